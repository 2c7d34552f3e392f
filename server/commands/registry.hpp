#pragma once
// The one list of itsa-server subcommands. Each command lives in its own file and adds
// itself to the CLI11 app through a register_* function declared here.
#include <CLI/CLI.hpp>

namespace itsa::server {

/// Exit codes of itsa-server (as the agent's: docs/cli.md).
enum ExitCode : int {
  k_exit_ok = 0,       ///< done
  k_exit_failure = 1,  ///< the command ran and failed (storage, I/O, not found)
  k_exit_usage = 2,    ///< invalid command line
};

/// Where a command's callback leaves its exit code.
struct CommandResult {
  int exit_code = k_exit_ok;
};

void register_commands(CLI::App& app, CommandResult& result);

void register_init(CLI::App& app, CommandResult& result);
void register_token(CLI::App& app, CommandResult& result);
void register_agent(CLI::App& app, CommandResult& result);
void register_user(CLI::App& app, CommandResult& result);
void register_run(CLI::App& app, CommandResult& result);
void register_stats(CLI::App& app, CommandResult& result);
void register_rollup(CLI::App& app, CommandResult& result);
void register_report(CLI::App& app, CommandResult& result);
void register_retention(CLI::App& app, CommandResult& result);

}  // namespace itsa::server
