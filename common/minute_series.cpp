#include "common/minute_series.hpp"

#include <algorithm>
#include <array>

#include "common/time_format.hpp"

namespace itsa::series {
namespace {

using nlohmann::json;

constexpr long long k_minute_ms = 60'000;
constexpr int k_max_minutes = 1440;  // one record never holds more than a day

/// The fields a series keeps as scalars (its key and what the key implies).
std::vector<std::string_view> scalar_fields(std::string_view type) {
  if (type == probe_minute_type) return {"target", "layer"};
  if (type == link_minute_type) return {"interface"};
  return {};
}

bool is_scalar(std::string_view type, std::string_view field) {
  if (field == "minute" || field == "minutes") return true;
  const auto fields = scalar_fields(type);
  return std::find(fields.begin(), fields.end(), field) != fields.end();
}

}  // namespace

std::optional<long long> minute_of(const json& payload) {
  const auto it = payload.find("minute");
  if (it == payload.end() || !it->is_string()) return std::nullopt;
  const auto t = parse_rfc3339(it->get<std::string>());
  if (!t) return std::nullopt;
  return to_unix_ms(*t) / k_minute_ms * k_minute_ms;
}

std::string key_of(std::string_view type, const json& payload) {
  const auto field = key_field(type);
  if (field.empty()) return {};
  const auto it = payload.find(std::string(field));
  if (it == payload.end()) return {};
  return it->is_string() ? it->get<std::string>() : it->dump();
}

bool is_minute_type(std::string_view type) {
  for (auto t : minute_types)
    if (t == type) return true;
  return false;
}

std::string_view key_field(std::string_view type) {
  if (type == probe_minute_type) return "target";
  if (type == link_minute_type) return "interface";
  return {};
}

long long window_start_ms(long long minute_ms, int window_minutes) {
  const long long window_ms = k_minute_ms * std::max(1, window_minutes);
  const long long floor = minute_ms / window_ms * window_ms;
  return minute_ms < 0 && floor != minute_ms ? floor - window_ms : floor;
}

std::vector<json> expand(const json& payload) {
  if (!payload.is_object() || !payload.contains("minutes")) return {payload};
  const auto& n_field = payload["minutes"];
  const auto first = minute_of(payload);
  if (!n_field.is_number_integer() || !first) return {};
  const int n = static_cast<int>(std::clamp<long long>(n_field.get<long long>(), 0, k_max_minutes));
  std::vector<json> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    json one = json::object();
    for (const auto& [field, value] : payload.items()) {
      if (field == "minutes" || field == "minute") continue;
      if (value.is_array())
        one[field] = static_cast<std::size_t>(i) < value.size() ? value[static_cast<std::size_t>(i)] : json(nullptr);
      else
        one[field] = value;
    }
    one["minute"] = to_rfc3339(from_unix_ms(*first + i * k_minute_ms));
    out.push_back(std::move(one));
  }
  return out;
}

std::string check(const json& payload) {
  if (!payload.is_object() || !payload.contains("minutes")) return {};
  const auto& n = payload["minutes"];
  if (!n.is_number_integer() || n.get<long long>() < 1 || n.get<long long>() > k_max_minutes)
    return "minutes: must be an integer from 1 to " + std::to_string(k_max_minutes);
  if (!minute_of(payload)) return "minute: must be an RFC 3339 time";
  for (const auto& [field, value] : payload.items()) {
    if (value.is_array() && value.size() != n.get<std::size_t>())
      return field + ": must have one element per minute (" + std::to_string(n.get<long long>()) + "), has " +
             std::to_string(value.size());
  }
  return {};
}

std::optional<OpenSeries> OpenSeries::start(const std::string& type, UtcTime time, const json& minute_payload,
                                            int window_minutes) {
  const auto minute = minute_of(minute_payload);
  if (!minute || !minute_payload.is_object()) return std::nullopt;
  OpenSeries s;
  s.type = type;
  s.key = key_of(type, minute_payload);
  s.window_start_ms = series::window_start_ms(*minute, window_minutes);
  s.next_minute_ms = *minute;
  s.time = time;
  s.payload = json::object();
  s.payload["minute"] = to_rfc3339(from_unix_ms(*minute));
  for (const auto field : scalar_fields(type)) {
    const auto it = minute_payload.find(std::string(field));
    if (it != minute_payload.end()) s.payload[std::string(field)] = *it;
  }
  s.add(time, minute_payload);
  return s;
}

bool OpenSeries::extends(const json& minute_payload, int window_minutes) const {
  const auto minute = minute_of(minute_payload);
  if (!minute || *minute != next_minute_ms || series::window_start_ms(*minute, window_minutes) != window_start_ms)
    return false;
  for (const auto field : scalar_fields(type)) {
    const std::string f(field);
    const json mine = payload.contains(f) ? payload[f] : json(nullptr);
    const json theirs = minute_payload.contains(f) ? minute_payload[f] : json(nullptr);
    if (mine != theirs) return false;
  }
  return true;
}

void OpenSeries::add(UtcTime t, const json& minute_payload) {
  for (const auto& [field, value] : minute_payload.items()) {
    if (is_scalar(type, field)) continue;
    if (!payload.contains(field)) payload[field] = json::array();
    auto& column = payload[field];
    while (column.size() < static_cast<std::size_t>(minutes)) column.push_back(nullptr);
    column.push_back(value);
  }
  ++minutes;
  for (auto it = payload.begin(); it != payload.end(); ++it) {
    if (!it->is_array()) continue;
    while (it->size() < static_cast<std::size_t>(minutes)) it->push_back(nullptr);
  }
  payload["minutes"] = minutes;
  next_minute_ms += k_minute_ms;
  time = t;
}

bool OpenSeries::full(int window_minutes) const {
  return next_minute_ms >= window_start_ms + k_minute_ms * std::max(1, window_minutes);
}

}  // namespace itsa::series
