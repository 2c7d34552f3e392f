#pragma once
// Exit codes of itsa-agent, its commands and the daemon (documented in docs/cli.md).

namespace itsa::agent {

enum ExitCode : int {
  k_exit_ok = 0,
  k_exit_failure = 1,          ///< the command ran and failed (I/O, measurement, server)
  k_exit_invalid_config = 2,   ///< invalid config or invalid command line
  k_exit_not_met = 3,          ///< assess: the machine does not meet the profile
  k_exit_already_running = 4,  ///< run: another agent holds the data folder's lock (agent/data_dir_lock.hpp)
};

}  // namespace itsa::agent
