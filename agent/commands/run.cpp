#include <memory>

#include "agent/commands/registry.hpp"
#include "agent/daemon.hpp"

namespace itsa::agent {

void register_run(CLI::App& app, CommandResult& result) {
  auto* cmd =
      app.add_subcommand("run", "Run the agent in the foreground until SIGTERM/SIGINT (SIGHUP reloads the config)");
  auto options = std::make_shared<DaemonOptions>();
  auto config = std::make_shared<std::string>();
  auto data_dir = std::make_shared<std::string>();
  cmd->add_option("--config", *config, "Agent config file")->required();
  cmd->add_option("--data-dir", *data_dir, "Override the config's data_dir");
  cmd->callback([&result, options, config, data_dir] {
    options->config_file = *config;
    options->data_dir_override = *data_dir;
    Daemon daemon(*options);
    result.exit_code = daemon.run();
  });
}

}  // namespace itsa::agent
