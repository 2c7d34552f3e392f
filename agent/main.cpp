// itsa-agent: measures how fit this PC and its network are, keeps the evidence, uploads it.
#include <exception>
#include <iostream>

#include "agent/commands/registry.hpp"
#include "itsa/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"itsa-agent — IT self-assessment agent: hardware, resource pressure and network evidence"};
  app.set_version_flag("--version", std::string("itsa-agent ") + itsa::k_version);
  app.require_subcommand(1);
  itsa::agent::CommandResult result;
  itsa::agent::register_commands(app, result);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : itsa::agent::k_exit_invalid_config;
  } catch (const std::exception& e) {
    std::cerr << "itsa-agent: " << e.what() << "\n";
    return itsa::agent::k_exit_failure;
  }
  return result.exit_code;
}
