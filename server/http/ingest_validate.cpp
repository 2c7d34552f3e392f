#include "server/http/ingest_validate.hpp"

#include <array>
#include <nlohmann/json.hpp>

#include "common/minute_series.hpp"
#include "common/time_format.hpp"
#include "protocol/history.hpp"
#include "protocol/record_types.hpp"

namespace rt = itsa::protocol::record_type;

namespace itsa::server {
namespace {

using nlohmann::json;

bool is_time(const json& v) {
  return v.is_string() && parse_rfc3339(v.get<std::string>()).has_value();
}

/// Checks the payload fields the server relies on; empty when fine.
std::string check_payload(const std::string& type, const json& p) {
  auto need_time = [&](const char* k) -> std::string {
    if (!p.contains(k) || !is_time(p[k])) return std::string(k) + ": must be an RFC 3339 time";
    return {};
  };
  auto need_string = [&](const char* k) -> std::string {
    if (!p.contains(k) || !p[k].is_string() || p[k].get<std::string>().empty())
      return std::string(k) + ": must be a non-empty string";
    return {};
  };
  if (type == rt::coverage) {
    if (auto e = need_time("start"); !e.empty()) return e;
    return need_time("end");
  }
  if (type == rt::outage) {
    if (auto e = need_string("id"); !e.empty()) return e;
    if (auto e = need_time("start"); !e.empty()) return e;
    if (p.contains("end") && !p["end"].is_null() && !is_time(p["end"])) return "end: must be an RFC 3339 time or null";
    return need_string("cause");
  }
  if (type == rt::assessment) {
    const auto& v = p.contains("verdict") ? p["verdict"] : json();
    if (v != "meets" && v != "does_not_meet" && v != "unknown")
      return "verdict: must be \"meets\", \"does_not_meet\" or \"unknown\"";
    return {};
  }
  if (type == rt::inventory) return need_string("hostname");
  if (type == rt::link_event) {
    if (auto e = need_string("interface"); !e.empty()) return e;
    return need_string("event");
  }
  if (type == rt::lifecycle || type == rt::store_event) return need_string("event");
  if (type == rt::blip_minute) {
    if (auto e = need_time("minute"); !e.empty()) return e;
    if (!p.contains("blips") || !p["blips"].is_object()) return "blips: must be an object of counts per layer";
    for (const auto& [layer, n] : p["blips"].items())
      if (!n.is_number_integer() || n.get<long long>() < 0) return "blips." + layer + ": must be a count";
    return {};
  }
  if (type == rt::history) {  // read from the system log: the report trusts its kind, count and times
    const auto g = protocol::history_group_of(p);
    if (!g)
      return "history: must have id, source, kind (a known one), provider, event_id, adapter, day, count >= 1, "
             "first, last and before_install";
    if (!parse_rfc3339(g->first) || !parse_rfc3339(g->last)) return "first, last: must be RFC 3339 times";
    return {};
  }
  if (protocol::is_minute_series(type)) return series::check(p);  // a minute series: arrays of one length
  return {};
}

}  // namespace

bool known_record_type(std::string_view type) {
  return protocol::is_record_type(type);
}

IngestParse parse_ingest(std::string_view body, const std::string& agent_id, UtcTime now) {
  IngestParse out;
  auto bad = [&](int status, std::string message) {
    out.status = status;
    out.error = std::move(message);
    out.records.clear();
    return out;
  };
  json doc;
  // Limits checked by the parser's callback as each value arrives: a body nested 100k deep or
  // holding millions of tiny values is refused before it becomes a document.
  struct OverLimit {
    std::string what;
  };
  std::size_t values = 0;
  const json::parser_callback_t limits = [&values](int depth, json::parse_event_t event, json&) {
    if (depth > k_max_json_depth)
      throw OverLimit{"body: nested deeper than " + std::to_string(k_max_json_depth) + " levels"};
    if ((event == json::parse_event_t::value || event == json::parse_event_t::object_start ||
         event == json::parse_event_t::array_start) &&
        ++values > k_max_json_values)
      throw OverLimit{"body: more than " + std::to_string(k_max_json_values) + " JSON values"};
    return true;
  };
  try {
    doc = json::parse(body, limits);
  } catch (const json::parse_error& e) {
    return bad(400, "body: invalid JSON at byte " + std::to_string(e.byte));
  } catch (const OverLimit& e) {
    return bad(413, e.what);
  }
  if (!doc.is_object()) return bad(400, "body: must be a JSON object");
  if (!doc.contains("schema_version") || doc["schema_version"] != 1) return bad(400, "schema_version: must be 1");
  if (!doc.contains("agent_id") || !doc["agent_id"].is_string()) return bad(400, "agent_id: must be a string");
  if (doc["agent_id"].get<std::string>() != agent_id) return bad(403, "agent_id: not the agent the secret belongs to");
  if (!doc.contains("records") || !doc["records"].is_array()) return bad(400, "records: must be an array");
  const auto& records = doc["records"];
  if (records.size() > k_max_records_per_batch)
    return bad(400, "records: at most " + std::to_string(k_max_records_per_batch) + " records per batch");
  out.records.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& r = records[i];
    const auto at = "records[" + std::to_string(i) + "]";
    if (!r.is_object()) return bad(400, at + ": must be an object");
    if (!r.contains("agent_id") || !r["agent_id"].is_string()) return bad(400, at + ".agent_id: must be a string");
    if (r["agent_id"].get<std::string>() != agent_id) return bad(403, at + ".agent_id: a record of another agent");
    if (!r.contains("boot_id") || !r["boot_id"].is_string() || r["boot_id"].get<std::string>().empty() ||
        r["boot_id"].get<std::string>().size() > 64)
      return bad(400, at + ".boot_id: must be a string of 1..64 characters");
    const auto& seq = r.contains("seq") ? r["seq"] : json();
    const bool seq_ok = seq.is_number_unsigned()
                            ? (seq.get<std::uint64_t>() >= 1 && seq.get<std::uint64_t>() <= INT64_MAX)
                            : (seq.is_number_integer() && seq.get<std::int64_t>() >= 1);
    if (!seq_ok) return bad(400, at + ".seq: must be a positive integer");
    if (!r.contains("type") || !r["type"].is_string()) return bad(400, at + ".type: must be a string");
    const auto type = r["type"].get<std::string>();
    if (!known_record_type(type)) return bad(400, at + ".type: unknown record type " + json(type).dump());
    if (!r.contains("time") || !r["time"].is_string()) return bad(400, at + ".time: must be an RFC 3339 UTC time");
    auto time = parse_rfc3339(r["time"].get<std::string>());
    if (!time) return bad(400, at + ".time: must be an RFC 3339 UTC time, got " + r["time"].dump());
    static const UtcTime k_earliest = *parse_rfc3339("2000-01-01T00:00:00Z");
    if (*time < k_earliest || *time > now + std::chrono::hours(24))
      return bad(400, at + ".time: " + r["time"].get<std::string>() +
                          " is outside 2000-01-01 .. one day after the server's clock (the PC's clock is wrong)");
    if (!r.contains("payload") || !r["payload"].is_object()) return bad(400, at + ".payload: must be an object");
    if (auto e = check_payload(type, r["payload"]); !e.empty()) return bad(400, at + ".payload." + e);
    std::string payload = r["payload"].dump();
    if (payload.size() > k_max_payload_bytes)
      return bad(413, at + ".payload: " + std::to_string(payload.size()) + " bytes, at most " +
                          std::to_string(k_max_payload_bytes));
    out.records.push_back(RecordIn{agent_id, r["boot_id"].get<std::string>(), seq.get<std::int64_t>(), type,
                                   to_unix_ms(*time), std::move(payload)});
  }
  return out;
}

}  // namespace itsa::server
