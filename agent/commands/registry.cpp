#include "agent/commands/registry.hpp"

namespace itsa::agent {

void register_commands(CLI::App& app, CommandResult& result) {
  register_version(app, result);
  register_check_config(app, result);
  register_inventory(app, result);
  register_disk_health(app, result);
  register_assess(app, result);
  register_run(app, result);
  register_status(app, result);
  register_outages(app, result);
  register_links(app, result);
  register_report(app, result);
  register_service(app, result);
  register_configure(app, result);
}

}  // namespace itsa::agent
