#pragma once
// `itsa-server run --retention-months N`: applies Storage::retention once at start and then once
// a day (an hour after a failure, e.g. a long report holding the partition lock), on its own
// thread, with an injectable clock (docs/server.md, "Retention").
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "common/clock.hpp"
#include "server/storage/storage.hpp"

namespace itsa::server {

class RetentionRunner {
 public:
  /// `on_pass` (optional) sees each pass's outcome (tests; the runner logs it as well).
  RetentionRunner(Storage& storage, int keep_months, const Clock& clock = SystemClock::instance(),
                  std::chrono::seconds every = std::chrono::hours(24),
                  std::function<void(const Result<RetentionResult>&)> on_pass = {});
  ~RetentionRunner();
  RetentionRunner(const RetentionRunner&) = delete;
  RetentionRunner& operator=(const RetentionRunner&) = delete;

 private:
  void loop();
  Storage& m_storage;
  int m_keep_months;
  const Clock& m_clock;
  std::chrono::seconds m_every;
  std::function<void(const Result<RetentionResult>&)> m_on_pass;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_stop = false;
  std::thread m_thread;
};

}  // namespace itsa::server
