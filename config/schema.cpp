#include "config/schema.hpp"

#include "config/defaults.hpp"

#include <boost/asio/ip/address.hpp>

namespace itsa::config {
namespace {

using nlohmann::json;

bool is_ip_address(const std::string& text) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(text, ec);
  return !ec;
}

std::optional<std::string> auto_or_address(const json& v) {
  const auto s = v.get<std::string>();
  if (s == "auto" || is_ip_address(s)) return std::nullopt;
  return "\"" + s + "\" is neither \"auto\" nor an IP address";
}

// A probe target: icmp://ADDR, tcp://HOST:PORT, http://... or https://...
std::optional<std::string> probe_uri_problem(const std::string& uri) {
  auto rest_after = [&](const std::string& scheme) { return uri.substr(scheme.size()); };
  if (uri.rfind("icmp://", 0) == 0) {
    if (rest_after("icmp://").empty()) return "\"" + uri + "\" has no address after icmp://";
    return std::nullopt;
  }
  if (uri.rfind("tcp://", 0) == 0) {
    const auto rest = rest_after("tcp://");
    const auto colon = rest.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size())
      return "\"" + uri + "\" must be tcp://HOST:PORT";
    const auto port = rest.substr(colon + 1);
    if (port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5 || std::stoi(port) == 0 ||
        std::stoi(port) > 65535)
      return "\"" + uri + "\" has an invalid port";
    return std::nullopt;
  }
  if (uri.rfind("http://", 0) == 0 || uri.rfind("https://", 0) == 0) {
    const auto host_start = uri.find("://") + 3;
    if (host_start >= uri.size() || uri[host_start] == '/') return "\"" + uri + "\" has no host";
    return std::nullopt;
  }
  return "\"" + uri + "\" must start with icmp://, tcp://, http:// or https://";
}

std::optional<std::string> probe_uri_list(const json& v) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (auto problem = probe_uri_problem(v[i].get<std::string>())) return "item " + std::to_string(i) + ": " + *problem;
  }
  return std::nullopt;
}

std::optional<std::string> server_url(const json& v) {
  const auto s = v.get<std::string>();
  if (s.empty() || s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0) return std::nullopt;
  return "\"" + s + "\" must be empty (no upload) or start with https:// (or http:// for a loopback server)";
}

std::string default_data_dir() {
#ifdef _WIN32
  return "C:\\ProgramData\\itsa\\data";
#else
  return "/var/lib/itsa";
#endif
}

std::vector<KeySpec> make_keys() {
  using T = KeyType;
  const json internet_default = json::array({"tcp://1.1.1.1:443", "icmp://8.8.8.8", "https://dichvucong.gov.vn/"});
  return {
      {"data_dir", T::String, default_data_dir(), {}, {}, {}, "Folder of the local evidence store and credentials", {}},
      {"site", T::String, "", {}, {}, {}, "Office or department this PC belongs to (shown in reports)", {}},
      {"server.url",
       T::String,
       "",
       {},
       {},
       {},
       "Collection server base URL; empty = keep evidence locally only",
       server_url},
      {"server.enroll_token", T::String, "", {}, {}, {}, "Enrolment token from 'itsa-server token create'", {}},
      {"server.ca_file", T::String, "", {}, {}, {}, "PEM file of a private CA that signed the server certificate", {}},
      {"server.proxy", T::String, "", {}, {}, {}, "HTTP(S) proxy URL; empty = use the usual environment variables", {}},
      {"server.upload_interval_s",
       T::Integer,
       60,
       5,
       86400,
       {},
       "Seconds between upload attempts when all is well",
       {}},
      {"server.routine_hold_s",
       T::Integer,
       3600,
       0,
       86400,
       {},
       "Routine records (minute series, coverage updates) wait up to this many seconds to travel in one batch; "
       "events (outages, link events, lifecycle, inventory) go at once",
       {}},
      {"server.batch_max_records", T::Integer, 500, 1, 10000, {}, "Most records in one upload batch", {}},
      {"server.batch_max_bytes",
       T::Integer,
       1048576,
       1024,
       8388608,
       {},
       "Most JSON bytes (before gzip) in one batch",
       {}},
      {"server.timeout_s", T::Integer, 30, 1, 600, {}, "Whole-request timeout of one upload, seconds", {}},
      {"probes.interval_s",
       T::Integer,
       defaults::probe_interval_s,
       1,
       300,
       {},
       "Seconds between probe rounds (jittered)",
       {}},
      {"probes.timeout_ms", T::Integer, 1000, 50, 30000, {}, "Time a probe waits for its answer, milliseconds", {}},
      {"probes.slow_ms",
       T::Integer,
       5000,
       100,
       30000,
       {},
       "DNS and HTTP(S) answers later than probes.timeout_ms (HTTP: 3000 ms) but within this many milliseconds "
       "are a degraded minute (reason slow), not an outage",
       {}},
      {"probes.gateway",
       T::String,
       "auto",
       {},
       {},
       {},
       "Default gateway to probe: \"auto\" (routing table) or an address",
       auto_or_address},
      {"probes.lan",
       T::StringList,
       json::array(),
       {},
       {},
       {},
       "Extra LAN targets (icmp://, tcp://, http(s):// URIs)",
       probe_uri_list},
      {"probes.internet",
       T::StringList,
       internet_default,
       {},
       {},
       {},
       "Internet targets (icmp://ADDR, tcp://HOST:PORT, http(s)://URL)",
       probe_uri_list},
      {"probes.dns.resolver",
       T::String,
       "auto",
       {},
       {},
       {},
       "DNS resolver to query: \"auto\" (system) or an address",
       auto_or_address},
      {"probes.dns.name", T::String, "dichvucong.gov.vn", {}, {}, {}, "Name resolved by the DNS probe", {}},
      {"probes.down_after",
       T::Integer,
       defaults::probe_down_after,
       1,
       100,
       {},
       "Failed rounds in a row before an outage starts",
       {}},
      {"probes.up_after",
       T::Integer,
       defaults::probe_up_after,
       1,
       100,
       {},
       "Good rounds in a row before an outage ends",
       {}},
      {"probes.degraded_loss_pct",
       T::Number,
       5.0,
       0.1,
       100,
       {},
       "Packet loss % in a minute that marks it degraded",
       {}},
      {"probes.degraded_rtt_factor",
       T::Number,
       4.0,
       1.5,
       100,
       {},
       "A minute whose median RTT exceeds this times the baseline is degraded",
       {}},
      {"pressure.interval_s", T::Integer, 10, 1, 300, {}, "Seconds between resource-pressure samples", {}},
      {"inventory.interval_h", T::Integer, 24, 1, 720, {}, "Hours between inventory snapshots (also on change)", {}},
      {"disk_health.worn_power_on_hours",
       T::Integer,
       40000,
       1000,
       1000000,
       {},
       "A disk powered on longer than this many hours is worn (read at start and once a day)",
       {}},
      {"history.days",
       T::Integer,
       90,
       0,
       366,
       {},
       "Days of the system log read back at first start (link and power events before itsa); 0 = never read",
       {}},
      {"assess.profile",
       T::String,
       "office-recommended",
       {},
       {},
       {},
       "Profile name or file the PC is assessed against",
       {}},
      {"store.max_bytes",
       T::Integer,
       67108864,
       1048576,
       4294967296.0,
       {},
       "Size cap of the local evidence store, bytes",
       {}},
      {"store.retention_days", T::Integer, 90, 1, 3650, {}, "Days a delivered record is kept locally", {}},
      {"store.series_minutes",
       T::Integer,
       15,
       1,
       60,
       {},
       "Per-minute samples of one target/interface are kept and uploaded as one record per this many minutes",
       {}},
      {"watchdog.max_rss_mb",
       T::Integer,
       64,
       8,
       4096,
       {},
       "Restart the agent's work if its memory stays above this",
       {}},
      {"watchdog.max_cpu_pct",
       T::Number,
       5.0,
       0.1,
       100,
       {},
       "Restart the agent's work if its CPU stays above this %",
       {}},
      {"log.level",
       T::String,
       "info",
       {},
       {},
       {"trace", "debug", "info", "warn", "error", "critical", "off"},
       "Least severe level that is logged",
       {}},
      {"log.file", T::String, "", {}, {}, {}, "Rotating log file; empty = stderr only", {}},
  };
}

}  // namespace

const std::vector<KeySpec>& agent_keys() {
  static const std::vector<KeySpec> keys = make_keys();
  return keys;
}

const KeySpec* find_key(const std::string& path) {
  for (const auto& k : agent_keys())
    if (k.path == path) return &k;
  return nullptr;
}

const char* type_name(KeyType type) {
  switch (type) {
    case KeyType::String:
      return "a string";
    case KeyType::Integer:
      return "an integer";
    case KeyType::Number:
      return "a number";
    case KeyType::Boolean:
      return "true or false";
    case KeyType::StringList:
      return "a list of strings";
  }
  return "?";
}

}  // namespace itsa::config
