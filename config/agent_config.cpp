#include "config/agent_config.hpp"

#include <fstream>
#include <sstream>

#include "config/validate.hpp"

namespace itsa::config {

AgentConfig from_resolved(const nlohmann::json& r, const std::filesystem::path& base_dir) {
  auto resolve_path = [&](const std::string& p) -> std::filesystem::path {
    if (p.empty()) return {};
    std::filesystem::path path(p);
    return path.is_absolute() || base_dir.empty() ? path : base_dir / path;
  };
  AgentConfig c;
  c.data_dir = resolve_path(r["data_dir"].get<std::string>());
  c.site = r["site"].get<std::string>();
  const auto& s = r["server"];
  c.server.url = s["url"].get<std::string>();
  c.server.enroll_token = s["enroll_token"].get<std::string>();
  c.server.ca_file = resolve_path(s["ca_file"].get<std::string>()).string();
  c.server.proxy = s["proxy"].get<std::string>();
  c.server.upload_interval_s = s["upload_interval_s"].get<int>();
  c.server.routine_hold_s = s["routine_hold_s"].get<int>();
  c.server.batch_max_records = s["batch_max_records"].get<int>();
  c.server.batch_max_bytes = s["batch_max_bytes"].get<std::int64_t>();
  c.server.timeout_s = s["timeout_s"].get<int>();
  const auto& p = r["probes"];
  c.probes.interval_s = p["interval_s"].get<int>();
  c.probes.timeout_ms = p["timeout_ms"].get<int>();
  c.probes.gateway = p["gateway"].get<std::string>();
  c.probes.lan = p["lan"].get<std::vector<std::string>>();
  c.probes.internet = p["internet"].get<std::vector<std::string>>();
  c.probes.dns.resolver = p["dns"]["resolver"].get<std::string>();
  c.probes.dns.name = p["dns"]["name"].get<std::string>();
  c.probes.down_after = p["down_after"].get<int>();
  c.probes.up_after = p["up_after"].get<int>();
  c.probes.degraded_loss_pct = p["degraded_loss_pct"].get<double>();
  c.probes.degraded_rtt_factor = p["degraded_rtt_factor"].get<double>();
  c.probes.slow_ms = p["slow_ms"].get<int>();
  c.pressure_interval_s = r["pressure"]["interval_s"].get<int>();
  c.inventory_interval_h = r["inventory"]["interval_h"].get<int>();
  c.disk_health_worn_power_on_hours = r["disk_health"]["worn_power_on_hours"].get<std::int64_t>();
  c.history_days = r["history"]["days"].get<int>();
  c.assess_profile = r["assess"]["profile"].get<std::string>();
  c.store_max_bytes = r["store"]["max_bytes"].get<std::int64_t>();
  c.store_retention_days = r["store"]["retention_days"].get<int>();
  c.store_series_minutes = r["store"]["series_minutes"].get<int>();
  c.watchdog_max_rss_mb = r["watchdog"]["max_rss_mb"].get<int>();
  c.watchdog_max_cpu_pct = r["watchdog"]["max_cpu_pct"].get<double>();
  c.log_level = r["log"]["level"].get<std::string>();
  c.log_file = resolve_path(r["log"]["file"].get<std::string>()).string();
  c.resolved = r;
  return c;
}

Result<AgentConfig> load_agent_config(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error{file.string() + ": cannot open the config file"};
  std::ostringstream text;
  text << in.rdbuf();
  const auto validated = parse_and_validate(text.str());
  if (!validated.ok()) {
    std::string message;
    for (const auto& p : validated.problems)
      message += (message.empty() ? "" : "\n") + file.string() + ": " + p.to_string();
    return Error{message};
  }
  auto config = from_resolved(validated.resolved, std::filesystem::absolute(file).parent_path());
  config.source_file = file;
  return config;
}

AgentConfig default_agent_config() {
  return from_resolved(validate(nlohmann::json::object()).resolved, {});
}

}  // namespace itsa::config
