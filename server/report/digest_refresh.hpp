#pragma once
// Keeps the report's day digests current while `itsa-server run` serves (issue 15): every few
// minutes, each machine's digests of the last weeks that a record made stale are computed again
// and stored, for the report's office and all hours and for the review UI's network views, so a
// report or a page finds them ready instead of reading the records.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "report/options.hpp"
#include "server/storage/storage.hpp"

namespace itsa::server {

/// One pass: the stale day digests of the `days` local days up to `now_ms` (the installation's
/// schedule), for every key a report or the UI reads. Stops early with an Error when `cancelled`.
Result<void> refresh_day_digests(Storage& storage, const report::OfficeSchedule& schedule, long long now_ms, int days,
                                 const std::function<bool()>& cancelled);

/// Runs refresh_day_digests on its own thread every `every` (and once at start) until destroyed.
class DigestRefresher {
 public:
  DigestRefresher(Storage& storage, std::string data_dir, std::chrono::seconds every,
                  const Clock& clock = SystemClock::instance());
  ~DigestRefresher();
  DigestRefresher(const DigestRefresher&) = delete;
  DigestRefresher& operator=(const DigestRefresher&) = delete;

 private:
  void loop();
  Storage& m_storage;
  std::string m_data_dir;
  std::chrono::seconds m_every;
  const Clock& m_clock;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_stop = false;
  std::thread m_thread;
};

}  // namespace itsa::server
