#pragma once
// The agent's self-watchdog: if its own memory (RSS) or CPU use stays above the configured limits
// (watchdog.max_rss_mb, watchdog.max_cpu_pct) for a whole window, it logs why and restarts the
// daemon's work cleanly (every task stopped and started again, as on a config reload).
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <boost/asio/steady_timer.hpp>

#include "agent/tasks/task.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"

namespace itsa::agent {

/// This process's resource use at one moment.
struct ResourceSample {
  std::int64_t rss_bytes = 0;  ///< resident set (Linux) / private working set (Windows)
  double cpu_s = 0;            ///< user + system CPU time since the process started
};

/// Reads this process's resource use (/proc/self on Linux, GetProcessMemoryInfo/GetProcessTimes on Windows).
Result<ResourceSample> sample_self();

/// The rule: a limit is breached when every sample of a whole window is above it. CPU % is the
/// CPU time between two samples over the wall (monotonic) time between them, 100 = one core.
class WatchdogRule {
 public:
  WatchdogRule(std::int64_t max_rss_bytes, double max_cpu_pct, std::chrono::seconds window);
  /// Feeds one sample taken at `now`; returns why the work must restart, once per breach.
  std::optional<std::string> update(MonoTime now, const ResourceSample& sample);
  /// CPU % between the last two samples (0 before the second).
  double last_cpu_pct() const { return m_last_cpu_pct; }

 private:
  std::int64_t m_max_rss_bytes;
  double m_max_cpu_pct;
  std::chrono::seconds m_window;
  std::optional<MonoTime> m_prev_time;
  double m_prev_cpu_s = 0;
  double m_last_cpu_pct = 0;
  std::optional<MonoTime> m_rss_over_since;  ///< first sample of the current run above the RSS limit
  std::optional<MonoTime> m_cpu_over_since;  ///< start of the current run above the CPU limit
  std::int64_t m_peak_rss_bytes = 0;
  double m_cpu_s_at_over = 0;
};

/// Asks the daemon to restart its work: the running daemon's handler when one is installed (it
/// stops and starts every task and records lifecycle "watchdog_restart"), else the platform's
/// fallback (Linux: SIGHUP = reload; Windows: the service runs a fresh daemon after this one stops).
void request_work_restart(const std::string& reason);

/// Installs the running daemon's restart handler (nullptr removes it). Thread-safe.
void set_work_restart_handler(std::function<void(const std::string& reason)> handler);

/// The platform's fallback for request_work_restart() (watchdog_linux.cpp / watchdog_windows.cpp).
void request_work_restart_fallback(const std::string& reason);

/// Whether request_work_restart() was called since the last take (the Windows service loop).
bool take_work_restart_request();

/// The watchdog as one of the daemon's tasks: samples every `interval`.
class SelfWatchdogTask final : public DaemonTask {
 public:
  /// Samples every `interval`; a limit must be exceeded for all of `window`; `restart` is called with
  /// the reason on a breach (default request_work_restart).
  explicit SelfWatchdogTask(std::chrono::milliseconds interval = std::chrono::seconds{30},
                            std::chrono::seconds window = std::chrono::seconds{300},
                            std::function<void(const std::string&)> restart = request_work_restart);
  std::string name() const override { return "watchdog"; }
  void start(TaskContext& ctx) override;
  void stop(std::string_view reason) override;
  nlohmann::json status() const override;

 private:
  void schedule();
  std::chrono::milliseconds m_interval;
  std::chrono::seconds m_window;
  std::function<void(const std::string&)> m_restart;
  std::optional<WatchdogRule> m_rule;
  std::optional<boost::asio::steady_timer> m_timer;
  const Clock* m_clock = nullptr;
  ResourceSample m_last{};
  bool m_stopped = false;
};

}  // namespace itsa::agent
