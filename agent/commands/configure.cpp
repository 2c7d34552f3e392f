// itsa-agent configure: writes install-time settings (server URL, enrolment token) into the config
// file. Used by the Debian postinst (from /etc/default/itsa-agent) and by hand.
#include <iostream>
#include <memory>

#include "agent/commands/registry.hpp"
#include "agent/service_install_settings.hpp"

namespace itsa::agent {

void register_configure(CLI::App& app, CommandResult& result) {
  auto* cmd = app.add_subcommand("configure",
                                 "Write the server URL / enrolment token into the config file (other keys are kept)");
  struct Options {
    std::string config;
    std::string server_url;
    std::string enroll_token;
    std::string env_file;
  };
  auto options = std::make_shared<Options>();
  cmd->add_option("--config", options->config, "Config file (default: this platform's agent.json)");
  cmd->add_option("--server-url", options->server_url, "Collection server base URL (server.url)");
  cmd->add_option("--enroll-token", options->enroll_token, "Enrolment token (server.enroll_token)");
  cmd->add_option("--env-file", options->env_file,
                  "Read ITSA_SERVER_URL / ITSA_ENROLL_TOKEN from this file (Linux default /etc/default/itsa-agent; "
                  "Windows: the MSI's registry values) when the options are not given");
  cmd->callback([&result, options] {
    InstallSettings settings;
    if (options->server_url.empty() && options->enroll_token.empty()) {
      settings = read_install_settings(options->env_file);
    }
    if (!options->server_url.empty()) settings.server_url = options->server_url;
    if (!options->enroll_token.empty()) settings.enroll_token = options->enroll_token;
    const std::filesystem::path file =
        options->config.empty() ? default_config_file() : std::filesystem::path(options->config);
    auto changed = apply_install_settings(file, settings);
    if (!changed) {
      std::cerr << changed.error().message << "\n";
      result.exit_code = k_exit_invalid_config;
      return;
    }
    std::cout << file.string() << (changed.value() ? ": updated\n" : ": unchanged\n");
    result.exit_code = k_exit_ok;
  });
}

}  // namespace itsa::agent
