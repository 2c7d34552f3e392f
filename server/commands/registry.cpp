#include "server/commands/registry.hpp"

namespace itsa::server {

void register_commands(CLI::App& app, CommandResult& result) {
  register_init(app, result);
  register_token(app, result);
  register_agent(app, result);
  register_user(app, result);
  register_run(app, result);
  register_stats(app, result);
  register_rollup(app, result);
  register_report(app, result);
  register_retention(app, result);
}

}  // namespace itsa::server
