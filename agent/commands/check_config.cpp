#include <iostream>

#include "agent/commands/registry.hpp"
#include "config/agent_config.hpp"

namespace itsa::agent {

void register_check_config(CLI::App& app, CommandResult& result) {
  auto* cmd = app.add_subcommand("check-config", "Validate a config file; print every problem (exit 2 when invalid)");
  static std::string file;
  cmd->add_option("FILE", file, "Config file to check")->required();
  cmd->callback([&result] {
    auto loaded = config::load_agent_config(file);
    if (!loaded) {
      std::cerr << loaded.error().message << "\n";
      result.exit_code = k_exit_invalid_config;
      return;
    }
    std::cout << file << ": OK\n";
    result.exit_code = k_exit_ok;
  });
}

}  // namespace itsa::agent
