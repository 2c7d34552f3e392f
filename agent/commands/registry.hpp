#pragma once
// The one list of itsa-agent subcommands. Each command lives in its own file and adds
// itself to the CLI11 app through a register_* function declared here.
#include <CLI/CLI.hpp>

namespace itsa::agent {

/// Exit codes of itsa-agent (documented in docs/cli.md).
enum ExitCode : int {
  k_exit_ok = 0,
  k_exit_failure = 1,         ///< the command ran and failed (I/O, measurement, server)
  k_exit_invalid_config = 2,  ///< invalid config or invalid command line
  k_exit_not_met = 3,         ///< assess: the machine does not meet the profile
};

/// Where a command's callback leaves its exit code.
struct CommandResult {
  int exit_code = k_exit_ok;
};

void register_commands(CLI::App& app, CommandResult& result);

void register_version(CLI::App& app, CommandResult& result);
void register_check_config(CLI::App& app, CommandResult& result);
void register_inventory(CLI::App& app, CommandResult& result);
void register_assess(CLI::App& app, CommandResult& result);
void register_run(CLI::App& app, CommandResult& result);
void register_status(CLI::App& app, CommandResult& result);
void register_outages(CLI::App& app, CommandResult& result);
void register_links(CLI::App& app, CommandResult& result);
void register_report(CLI::App& app, CommandResult& result);
void register_service(CLI::App& app, CommandResult& result);
void register_configure(CLI::App& app, CommandResult& result);

}  // namespace itsa::agent
