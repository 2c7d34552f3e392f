// itsa-server: collects the agents' evidence and shows it to the agency's IT staff.
#include <exception>
#include <iostream>

#include "itsa/version.hpp"
#include "server/commands/registry.hpp"

int main(int argc, char** argv) {
  CLI::App app{"itsa-server — collection server: ingest API, storage and review web UI"};
  app.set_version_flag("--version", std::string("itsa-server ") + itsa::k_version);
  app.require_subcommand(1);
  itsa::server::CommandResult result;
  itsa::server::register_commands(app, result);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : itsa::server::k_exit_usage;
  } catch (const std::exception& e) {
    std::cerr << "itsa-server: " << e.what() << "\n";
    return itsa::server::k_exit_failure;
  }
  return result.exit_code;
}
