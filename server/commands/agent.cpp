// itsa-server agent list|revoke: the enrolled agents; revoking one cuts it off (issue 17).
#include <iostream>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/time_format.hpp"
#include "server/commands/registry.hpp"
#include "server/commands/store_options.hpp"

namespace itsa::server {

namespace {
/// Options of the agent subcommands.
struct AgentOptions {
  StoreOptions store;  ///< where the store is
  std::string id;      ///< revoke: agent id
  bool json = false;   ///< list: JSON output
};

std::string time_or_empty(std::int64_t ms) {
  return ms ? to_rfc3339(from_unix_ms(ms)) : "";
}
}  // namespace

void register_agent(CLI::App& app, CommandResult& result) {
  auto o = std::make_shared<AgentOptions>();
  auto* agent = app.add_subcommand("agent", "Enrolled agents (one per PC)");
  agent->require_subcommand(1);

  auto* list = agent->add_subcommand("list", "List agents: id, site, hostname, version, last seen, active or revoked");
  add_store_options(*list, o->store);
  list->add_flag("--json", o->json, "JSON output");
  list->callback([o, &result] {
    result.exit_code = k_exit_failure;
    auto store = open_store_or_report(o->store);
    if (!store) return;
    auto agents = store->agents();
    if (!agents) {
      std::cerr << "itsa-server: " << agents.error().message << "\n";
      return;
    }
    nlohmann::json out = nlohmann::json::array();
    for (const auto& a : agents.value()) {
      if (o->json) {
        out.push_back({{"agent_id", a.agent_id},
                       {"site", a.site},
                       {"hostname", a.hostname},
                       {"agent_version", a.agent_version},
                       {"previous_agent_id", a.previous_agent_id},
                       {"first_seen", time_or_empty(a.first_seen_ms)},
                       {"last_seen", time_or_empty(a.last_seen_ms)},
                       {"revoked", a.revoked()},
                       {"revoked_at", a.revoked() ? nlohmann::json(time_or_empty(a.revoked_ms)) : nlohmann::json()}});
      } else {
        std::cout << a.agent_id << "\t" << a.site << "\t" << a.hostname << "\t" << a.agent_version << "\t"
                  << time_or_empty(a.last_seen_ms) << "\t"
                  << (a.revoked() ? "revoked " + time_or_empty(a.revoked_ms) : std::string("active")) << "\n";
      }
    }
    if (o->json) std::cout << nlohmann::json{{"agents", out}}.dump(2) << "\n";
    result.exit_code = k_exit_ok;
  });

  auto* revoke = agent->add_subcommand(
      "revoke",
      "Revoke an agent: its secret gets 401 and it cannot re-enrol under its id; its records stay. "
      "A PC enrolled again with a token becomes a new agent: revoke the token too if it is compromised");
  add_store_options(*revoke, o->store);
  revoke->add_option("ID", o->id, "Agent id (from `agent list`)")->required();
  revoke->callback([o, &result] {
    result.exit_code = k_exit_failure;
    auto store = open_store_or_report(o->store);
    if (!store) return;
    auto r = store->revoke_agent(o->id, to_unix_ms(SystemClock::instance().utc_now()));
    if (!r) {
      std::cerr << "itsa-server: " << r.error().message << "\n";
      return;
    }
    if (!r.value()) {
      std::cerr << "itsa-server: no agent with id '" << o->id << "' (see `itsa-server agent list`)\n";
      return;
    }
    std::cout << "agent " << o->id << " revoked\n";
    result.exit_code = k_exit_ok;
  });
}

}  // namespace itsa::server
