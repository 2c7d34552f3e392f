// itsa-agent outages: the outages the network task stored in the local evidence store.
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "agent/commands/registry.hpp"
#include "common/time_format.hpp"
#include "config/agent_config.hpp"
#include "protocol/record_types.hpp"
#include "store/evidence_store.hpp"

namespace rt = itsa::protocol::record_type;

namespace itsa::agent {

namespace {

// One outage in the CLI's shape; an open outage's duration runs up to now.
nlohmann::json outage_row(const nlohmann::json& p, UtcTime now) {
  nlohmann::json row{{"id", p.value("id", "")},
                     {"start", p.value("start", "")},
                     {"end", p.contains("end") ? p["end"] : nlohmann::json(nullptr)},
                     {"duration_s", p.value("duration_s", 0.0)},
                     {"cause", p.value("cause", "")},
                     {"interface", p.value("interface", "")},
                     {"evidence", p.value("evidence", nlohmann::json::object())},
                     {"state", p.value("state", "")},
                     {"end_reason", p.contains("end_reason") ? p["end_reason"] : nlohmann::json(nullptr)}};
  if (row["end"].is_null()) {
    if (auto start = parse_rfc3339(row["start"].get<std::string>()))
      row["duration_s"] = std::chrono::duration<double>(now - *start).count();
  }
  return row;
}

}  // namespace

void register_outages(CLI::App& app, CommandResult& result) {
  auto* cmd = app.add_subcommand("outages", "List the network outages this PC recorded (cause, start, end)");
  auto config_file = std::make_shared<std::string>();
  auto since_text = std::make_shared<std::string>();
  auto as_json = std::make_shared<bool>(false);
  cmd->add_option("--config", *config_file, "Agent config file")->required();
  cmd->add_option("--since", *since_text, "Only outages still open or ended at/after this RFC 3339 time");
  cmd->add_flag("--json", *as_json, "Print a JSON array");
  cmd->callback([&result, config_file, since_text, as_json] {
    auto loaded = config::load_agent_config(*config_file);
    if (!loaded) {
      std::cerr << loaded.error().message << "\n";
      result.exit_code = k_exit_invalid_config;
      return;
    }
    std::optional<UtcTime> since;
    if (!since_text->empty()) {
      since = parse_rfc3339(*since_text);
      if (!since) {
        std::cerr << "itsa-agent outages: --since '" << *since_text
                  << "' is not an RFC 3339 time (e.g. 2026-11-27T08:00:00Z)\n";
        result.exit_code = k_exit_invalid_config;
        return;
      }
    }
    store::StoreOptions so;
    so.data_dir = loaded.value().data_dir;
    so.read_only = true;
    auto opened = store::EvidenceStore::open(so);
    if (!opened) {
      std::cerr << "itsa-agent outages: " << opened.error().message << "\n";
      result.exit_code = k_exit_failure;
      return;
    }
    auto records = opened.value()->latest_by_payload_id(rt::outage, since);
    if (!records) {
      std::cerr << "itsa-agent outages: " << records.error().message << "\n";
      result.exit_code = k_exit_failure;
      return;
    }
    const auto now = SystemClock::instance().utc_now();
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& rec : records.value()) rows.push_back(outage_row(rec.payload, now));
    if (*as_json) {
      std::cout << rows.dump() << "\n";
    } else if (rows.empty()) {
      std::cout << "no outages recorded\n";
    } else {
      for (const auto& r : rows)
        std::cout << r["start"].get<std::string>() << "  "
                  << (r["end"].is_null() ? std::string("(open)") : r["end"].get<std::string>()) << "  "
                  << static_cast<long long>(r["duration_s"].get<double>()) << " s  " << r["cause"].get<std::string>()
                  << "  " << r["interface"].get<std::string>() << "\n";
    }
    result.exit_code = k_exit_ok;
  });
}

}  // namespace itsa::agent
