#pragma once
// The agent's daemon: opens the evidence store, runs every DaemonTask on one Boost.Asio
// io_context until SIGTERM/SIGINT or request_stop(), reloads the config on SIGHUP (an invalid new
// config is reported and the old one kept), restarts its work on a self-watchdog request, and
// records `lifecycle` and `coverage` (docs/protocol.md). A system suspend (seen as growth of the
// SleepClock, or told by notify_power) closes the coverage span with end_reason "suspended".
// The open span's end is also kept as a store draft, updated every coverage_draft_interval, so a
// crash loses at most that much observed time. At start it holds data_dir's lock (one agent per
// data folder), then closes what the previous run left open: its coverage span ("crashed", at
// the later of its last record and its draft) and any outage still open (end_reason
// "agent_stopped", at that run's last observation).
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "agent/sleep_clock.hpp"
#include "common/clock.hpp"

namespace itsa::agent {

/// How the daemon is started (itsa-agent run).
struct DaemonOptions {
  std::filesystem::path config_file;
  std::filesystem::path data_dir_override;                    ///< empty = the config's data_dir
  std::chrono::seconds coverage_interval{300};                ///< re-emit the open coverage span this often
  std::chrono::milliseconds coverage_draft_interval{60'000};  ///< update the open span's draft this often
  std::chrono::milliseconds clock_check_interval{10'000};     ///< how often a clock jump or a suspend is looked for
  std::chrono::seconds clock_jump_threshold{30};              ///< wall vs monotonic drift that counts as a jump
  std::chrono::seconds memory_trim_delay{60};                 ///< first memory trim this long after the start
  std::chrono::seconds memory_trim_interval{900};             ///< then a trim this often (0 = never)
  std::chrono::milliseconds suspend_threshold{2000};          ///< SleepClock growth that counts as a suspend
  const SleepClock* sleep_clock = nullptr;                    ///< nullptr = system_sleep_clock()
};

class Daemon {
 public:
  explicit Daemon(DaemonOptions options, const Clock& clock = SystemClock::instance());
  ~Daemon();
  /// Runs in the foreground until a stop signal; returns the process exit code
  /// (0 clean stop, 1 store/runtime failure, 2 invalid config, 4 data_dir in use by another agent).
  int run();
  /// Stops run() cleanly (coverage "stopped", lifecycle "stop" with `reason`). Thread-safe; a
  /// request made before run() starts its loop is handled as soon as it does.
  void request_stop(std::string reason);
  /// The system is about to suspend (true) or has resumed (false): the Windows service's power
  /// events. Thread-safe. A resume without a prior suspend is left to the SleepClock check.
  void notify_power(bool suspending);
  /// True from the start of the tasks until the stop (for the service and tests).
  bool running() const;

 private:
  struct State;
  std::unique_ptr<State> m_state;
};

}  // namespace itsa::agent
