// itsa-server stats: per-agent record counts (the end-to-end test compares them with the agent's status).
#include <iostream>

#include <nlohmann/json.hpp>

#include "common/time_format.hpp"
#include "server/commands/registry.hpp"
#include "server/commands/store_options.hpp"

namespace itsa::server {

namespace {
/// Options of `stats`.
struct StatsOptions {
  StoreOptions store;  ///< where the store is
  bool json = false;   ///< JSON output
};
}  // namespace

void register_stats(CLI::App& app, CommandResult& result) {
  auto o = std::make_shared<StatsOptions>();
  auto* cmd = app.add_subcommand("stats", "Agents and how many distinct records each has stored");
  add_store_options(*cmd, o->store);
  cmd->add_flag("--json", o->json, "JSON output: {\"agents\":[{agent_id,hostname,site,records,last_seen}],...}");
  cmd->callback([o, &result] {
    result.exit_code = k_exit_failure;
    auto store = open_store_or_report(o->store);
    if (!store) return;
    auto stats = store->stats();
    if (!stats) {
      std::cerr << "itsa-server: " << stats.error().message << "\n";
      return;
    }
    nlohmann::json agents = nlohmann::json::array();
    std::int64_t total = 0;
    for (const auto& a : stats.value()) {
      total += a.records;
      const auto last_seen = to_rfc3339_ms(from_unix_ms(a.last_seen_ms));
      if (o->json) {
        agents.push_back({{"agent_id", a.agent_id},
                          {"hostname", a.hostname},
                          {"site", a.site},
                          {"records", a.records},
                          {"last_seen", last_seen}});
      } else {
        std::cout << a.agent_id << "\t" << a.hostname << "\t" << a.site << "\t" << a.records << "\t" << last_seen
                  << "\n";
      }
    }
    if (o->json) {
      nlohmann::json out{{"agents", agents},
                         {"total_agents", stats.value().size()},
                         {"total_records", total},
                         {"backend", store->backend()}};
      std::cout << out.dump(2) << "\n";
    } else {
      std::cout << stats.value().size() << " agents, " << total << " records\n";
    }
    result.exit_code = k_exit_ok;
  });
}

}  // namespace itsa::server
