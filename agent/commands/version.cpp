#include <iostream>

#include <nlohmann/json.hpp>

#include "agent/commands/registry.hpp"
#include "itsa/version.hpp"

namespace itsa::agent {

void register_version(CLI::App& app, CommandResult& result) {
  auto* cmd = app.add_subcommand("version", "Print the agent version");
  static bool as_json = false;
  cmd->add_flag("--json", as_json, "Print as JSON");
  cmd->callback([&result] {
    if (as_json)
      std::cout << nlohmann::json{{"agent_version", k_version}}.dump() << "\n";
    else
      std::cout << "itsa-agent " << k_version << "\n";
    result.exit_code = k_exit_ok;
  });
}

}  // namespace itsa::agent
