#pragma once
// The agent's config as typed values, filled from a validated document (defaults applied).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "config/defaults.hpp"

namespace itsa::config {

struct ServerConfig {
  std::string url;  ///< empty = no upload
  std::string enroll_token;
  std::string ca_file;
  std::string proxy;
  int upload_interval_s = 60;
  int routine_hold_s = 3600;  ///< routine records wait up to this long for one batch (events go at once)
  int batch_max_records = 500;
  std::int64_t batch_max_bytes = 1 << 20;
  int timeout_s = 30;
};

struct DnsProbeConfig {
  std::string resolver = "auto";
  std::string name;
};

struct ProbesConfig {
  int interval_s = defaults::probe_interval_s;
  int timeout_ms = 1000;
  int slow_ms = 5000;  ///< DNS/HTTP(S) answers after timeout_ms but within this are slow, not failed
  std::string gateway = "auto";
  std::vector<std::string> lan;
  std::vector<std::string> internet;
  DnsProbeConfig dns;
  int down_after = defaults::probe_down_after;
  int up_after = defaults::probe_up_after;
  double degraded_loss_pct = 5.0;
  double degraded_rtt_factor = 4.0;
};

struct AgentConfig {
  std::filesystem::path data_dir;
  std::string site;
  ServerConfig server;
  ProbesConfig probes;
  int pressure_interval_s = 10;
  int inventory_interval_h = 24;
  std::int64_t disk_health_worn_power_on_hours = 40000;  ///< disk_health.worn_power_on_hours
  std::string assess_profile;
  std::int64_t store_max_bytes = 64ll << 20;
  int store_retention_days = 90;
  int store_series_minutes = 15;  ///< minutes per minute-series record (common/minute_series.hpp)
  int watchdog_max_rss_mb = 64;
  double watchdog_max_cpu_pct = 5.0;
  std::string log_level = "info";
  std::string log_file;
  std::filesystem::path source_file;  ///< where it was loaded from (empty for defaults)
  nlohmann::json resolved;            ///< the whole resolved document
  int history_days = 90;              ///< history.days: days of the system log read back (0 = never); added last
};

/// Typed config from a resolved document (validate() output). Relative data_dir and
/// log.file are taken relative to base_dir.
AgentConfig from_resolved(const nlohmann::json& resolved, const std::filesystem::path& base_dir);

/// Reads, validates and converts a config file. The error lists every problem, one per
/// line, each prefixed with the file name.
Result<AgentConfig> load_agent_config(const std::filesystem::path& file);

/// The config with every default (no file).
AgentConfig default_agent_config();

}  // namespace itsa::config
