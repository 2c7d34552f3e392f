// itsa-agent service on Linux: not the entry point there (systemd runs 'itsa-agent run', see
// installers/linux/itsa-agent.service); kept so that the command list is the same everywhere.
#include <iostream>

#include "agent/commands/registry.hpp"

namespace itsa::agent {

void register_service(CLI::App& app, CommandResult& result) {
  auto* cmd = app.add_subcommand("service", "Windows service entry point (started by the service manager)");
  cmd->callback([&result] {
    std::cerr << "itsa-agent service: this is the Windows service entry point; on Linux systemd runs "
                 "'itsa-agent run' (unit itsa-agent.service)\n";
    result.exit_code = k_exit_invalid_config;
  });
}

}  // namespace itsa::agent
