#include <iostream>

#include "agent/commands/registry.hpp"
#include "config/agent_config.hpp"
#include "uploader/protocol.hpp"

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
    // Valid, but the agent would refuse to upload at run time (plain http:// to a host that is not
    // loopback): said now, as a warning, while the person writing the config is there (issue 17).
    if (const auto& url = loaded.value().server.url; !url.empty())
      if (auto checked = uploader::check_server_url(url); !checked)
        std::cerr << file << ": warning: " << checked.error().message << "\n";
    std::cout << file << ": OK\n";
    result.exit_code = k_exit_ok;
  });
}

}  // namespace itsa::agent
