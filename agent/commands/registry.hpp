#pragma once
// The one list of itsa-agent subcommands. Each command lives in its own file and adds
// itself to the CLI11 app through a register_* function declared here.
#include <CLI/CLI.hpp>

#include "agent/exit_codes.hpp"

namespace itsa::agent {

/// Where a command's callback leaves its exit code.
struct CommandResult {
  int exit_code = k_exit_ok;
};

void register_commands(CLI::App& app, CommandResult& result);

void register_version(CLI::App& app, CommandResult& result);
void register_check_config(CLI::App& app, CommandResult& result);
void register_inventory(CLI::App& app, CommandResult& result);
void register_disk_health(CLI::App& app, CommandResult& result);
void register_assess(CLI::App& app, CommandResult& result);
void register_run(CLI::App& app, CommandResult& result);
void register_status(CLI::App& app, CommandResult& result);
void register_outages(CLI::App& app, CommandResult& result);
void register_links(CLI::App& app, CommandResult& result);
void register_report(CLI::App& app, CommandResult& result);
void register_service(CLI::App& app, CommandResult& result);
void register_configure(CLI::App& app, CommandResult& result);

}  // namespace itsa::agent
