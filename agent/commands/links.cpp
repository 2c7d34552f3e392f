// itsa-agent links: each watched interface's state now (carrier, speeds, error counters,
// flaps), read live from the OS, with the flaps of the last 24 h from the local store.
#include <iostream>
#include <map>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/commands/registry.hpp"
#include "collectors/network/link_reader.hpp"
#include "common/minute_series.hpp"
#include "common/time_format.hpp"
#include "config/agent_config.hpp"
#include "protocol/record_types.hpp"
#include "store/evidence_store.hpp"

namespace rt = itsa::protocol::record_type;

namespace itsa::agent {

namespace {
template <class T>
nlohmann::json opt(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
}  // namespace

void register_links(CLI::App& app, CommandResult& result) {
  auto* cmd = app.add_subcommand("links", "Show link state, speeds, error counters and flap counts");
  auto config_file = std::make_shared<std::string>();
  auto as_json = std::make_shared<bool>(false);
  cmd->add_option("--config", *config_file, "Agent config file")->required();
  cmd->add_flag("--json", *as_json, "Print one JSON object");
  cmd->callback([&result, config_file, as_json] {
    auto loaded = config::load_agent_config(*config_file);
    if (!loaded) {
      std::cerr << loaded.error().message << "\n";
      result.exit_code = k_exit_invalid_config;
      return;
    }
    // Flaps and error deltas of the last 24 h from the store, when there is one.
    std::map<std::string, nlohmann::json> day;
    store::StoreOptions so;
    so.data_dir = loaded.value().data_dir;
    so.read_only = true;
    const auto now = SystemClock::instance().utc_now();
    if (auto opened = store::EvidenceStore::open(so)) {
      std::vector<nlohmann::json> minutes;  // link_minute records and series, and the series still open
      if (auto recs = opened.value()->query(rt::link_minute, now - std::chrono::hours(24), 1440 * 8))
        for (const auto& r : recs.value())
          for (auto& m : series::expand(r.payload)) minutes.push_back(std::move(m));
      if (auto drafts = opened.value()->drafts())
        for (const auto& d : drafts.value())
          if (d.type == rt::link_minute)
            for (auto& m : series::expand(d.payload)) minutes.push_back(std::move(m));
      const auto count = [](const nlohmann::json& p, const char* k) {
        return p.contains(k) && p[k].is_number() ? p[k].get<long long>() : 0LL;
      };
      const auto since = now - std::chrono::hours(24);
      for (const auto& p : minutes) {
        const auto minute = parse_rfc3339(p.value("minute", ""));
        if (!minute || *minute < since - std::chrono::minutes(1)) continue;
        auto& d = day[p.contains("interface") && p["interface"].is_string() ? p["interface"].get<std::string>() : ""];
        if (d.is_null()) d = {{"flaps", 0}, {"rx_errors", 0}, {"rx_crc_errors", 0}, {"minutes", 0}};
        d["flaps"] = d["flaps"].get<long long>() + count(p, "flaps");
        d["rx_errors"] = d["rx_errors"].get<long long>() + count(p, "rx_errors");
        d["rx_crc_errors"] = d["rx_crc_errors"].get<long long>() + count(p, "rx_crc_errors");
        d["minutes"] = d["minutes"].get<long long>() + 1;
      }
    }
    network::LinkReader reader;
    auto route = reader.default_route();
    nlohmann::json links = nlohmann::json::array();
    for (const auto& name : reader.interfaces()) {
      auto snap = reader.read(name);
      if (!snap) {
        links.push_back({{"interface", name}, {"error", snap.error().message}});
        continue;
      }
      const auto& s = snap.value();
      nlohmann::json row{
          {"interface", name},
          {"carrier", s.carrier},
          {"speed_mbps", opt(s.speed_mbps)},
          {"max_speed_mbps", opt(s.max_speed_mbps)},
          {"speed_downgraded", s.speed_mbps && s.max_speed_mbps && *s.speed_mbps < *s.max_speed_mbps},
          {"duplex", s.duplex.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.duplex)},
          {"carrier_changes_total", s.carrier_changes_total ? nlohmann::json(*s.carrier_changes_total) : nullptr},
          {"rx_errors_total", s.counters.rx_errors},
          {"tx_errors_total", s.counters.tx_errors},
          {"rx_crc_errors_total", opt(s.counters.rx_crc_errors)},
          {"rx_frame_errors_total", opt(s.counters.rx_frame_errors)},
          {"rx_dropped_total", s.counters.rx_dropped},
          {"tx_dropped_total", s.counters.tx_dropped},
          {"wireless", s.wireless},
          {"signal_dbm", opt(s.signal_dbm)},
          {"default_route", route && route->interface == name},
          {"last_24h", day.count(name) ? day[name] : nlohmann::json(nullptr)},
          {"notes", s.notes}};
      links.push_back(row);
    }
    nlohmann::json doc{{"at", to_rfc3339(now)},
                       {"default_gateway", route ? nlohmann::json(route->gateway) : nlohmann::json(nullptr)},
                       {"links", links}};
    if (*as_json) {
      std::cout << doc.dump() << "\n";
    } else {
      for (const auto& l : links)
        std::cout << l["interface"].get<std::string>() << ": " << (l.value("carrier", false) ? "up" : "DOWN") << "  "
                  << l["speed_mbps"].dump() << "/" << l["max_speed_mbps"].dump() << " Mb/s  crc_errors "
                  << l["rx_crc_errors_total"].dump() << "  carrier_changes " << l["carrier_changes_total"].dump()
                  << "\n";
    }
    result.exit_code = k_exit_ok;
  });
}

}  // namespace itsa::agent
