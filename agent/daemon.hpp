#pragma once
// The agent's daemon: opens the evidence store, runs every DaemonTask on one Boost.Asio
// io_context until SIGTERM/SIGINT, reloads the config on SIGHUP (an invalid new config is
// reported and the old one kept), and records `lifecycle` and `coverage` (docs/protocol.md).
#include <chrono>
#include <filesystem>
#include <memory>

#include "common/clock.hpp"

namespace itsa::agent {

/// How the daemon is started (itsa-agent run).
struct DaemonOptions {
  std::filesystem::path config_file;
  std::filesystem::path data_dir_override;                ///< empty = the config's data_dir
  std::chrono::seconds coverage_interval{300};            ///< re-emit the open coverage span this often
  std::chrono::seconds clock_check_interval{10};          ///< how often a wall-clock jump is looked for
  std::chrono::seconds clock_jump_threshold{30};          ///< wall vs monotonic drift that counts as a jump
  std::chrono::seconds memory_trim_delay{60};             ///< first memory trim this long after the start
  std::chrono::seconds memory_trim_interval{900};         ///< then a trim this often (0 = never)
};

class Daemon {
 public:
  explicit Daemon(DaemonOptions options, const Clock& clock = SystemClock::instance());
  ~Daemon();
  /// Runs in the foreground until a stop signal; returns the process exit code
  /// (0 clean stop, 1 store/runtime failure, 2 invalid config).
  int run();

 private:
  struct State;
  std::unique_ptr<State> m_state;
};

}  // namespace itsa::agent
