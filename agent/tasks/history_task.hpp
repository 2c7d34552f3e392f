#pragma once
// The daemon's history task (issue 18 item 4): at start and then once a day, reads the link and
// power events the system logged itself (collectors/history: the Windows System event log, the
// Linux journal's kernel messages) and stores them as `history` records (protocol/history.hpp),
// grouped per UTC day, kind and adapter. The first reading goes back `history.days` (90); each
// later one reads only after the previous one's end, kept in the store's meta
// "history.read_until", so a day's events are stored once however often the log is read. Events
// older than the agent's installation (its identity's created_at) are marked before_install.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/steady_timer.hpp>

#include "agent/tasks/task.hpp"
#include "collectors/history/history.hpp"

namespace itsa::agent {

/// Reads the log between two times (collectors::history::read_history in production).
using HistoryReader = std::function<collectors::history::HistoryReading(UtcTime since, UtcTime until)>;

/// The store meta key holding the end of the last complete reading (RFC 3339, ms).
inline constexpr char k_history_read_until[] = "history.read_until";

class HistoryTask final : public DaemonTask {
 public:
  /// `reader` defaults to the live log; `check_every` is how often the task looks whether a day
  /// has passed since its last reading (mono clock); `every` is that day.
  explicit HistoryTask(HistoryReader reader = {}, std::chrono::seconds check_every = std::chrono::minutes(15),
                       std::chrono::seconds every = std::chrono::hours(24));
  std::string name() const override { return "history"; }
  void start(TaskContext& ctx) override;
  void stop(std::string_view reason) override;
  nlohmann::json status() const override;

  /// One reading now (tests; the timer calls it at start and daily). Returns the records stored.
  int read_now();

 private:
  void check();
  void schedule();

  HistoryReader m_reader;
  std::chrono::seconds m_check_every;
  std::chrono::seconds m_every;
  TaskContext* m_ctx = nullptr;
  std::unique_ptr<boost::asio::steady_timer> m_timer;
  std::optional<MonoTime> m_last_read;
  std::optional<UtcTime> m_read_until;  ///< when the store is absent (tests): kept here
  int m_readings = 0;
  int m_records = 0;
  std::string m_last_note;
  bool m_stopped = false;
};

}  // namespace itsa::agent
