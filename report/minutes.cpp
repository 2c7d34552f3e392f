#include "report/minutes.hpp"

#include <algorithm>

#include "common/minute_series.hpp"
#include "common/time_format.hpp"

namespace itsa::report {

namespace {
constexpr long long k_max_minutes = 1440;  // as common/minute_series.cpp: a record never holds more than a day
const nlohmann::json k_null;
}  // namespace

const nlohmann::json* MinuteView::field(const char* key) const {
  const auto it = m_payload.find(key);
  if (it == m_payload.end()) return nullptr;
  if (m_index < 0 || !it->is_array()) return &*it;
  const auto i = static_cast<std::size_t>(m_index);
  return i < it->size() ? &(*it)[i] : &k_null;
}

PressureOver pressure_over(const MinuteView& minute) {
  return {minute.number("cpu_busy_pct").value_or(0) > k_pressure_threshold_pct,
          minute.number("mem_used_pct").value_or(0) > k_pressure_threshold_pct};
}

std::optional<double> MinuteView::number(const char* key) const {
  const auto* v = field(key);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  return v->get<double>();
}

std::string MinuteView::text(const char* key, const std::string& fallback) const {
  const auto* v = field(key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : fallback;
}

bool MinuteView::flag(const char* key, bool fallback) const {
  const auto* v = field(key);
  return v != nullptr && v->is_boolean() ? v->get<bool>() : fallback;
}

namespace minutes_detail {

std::optional<std::pair<long long, int>> series_span(const nlohmann::json& payload) {
  if (!payload.is_object() || !payload.contains("minutes")) return std::nullopt;
  const auto& n = payload["minutes"];
  const auto first = series::minute_of(payload);
  if (!n.is_number_integer() || !first) return std::make_pair(0LL, 0);
  return std::make_pair(*first, static_cast<int>(std::clamp<long long>(n.get<long long>(), 0, k_max_minutes)));
}

std::optional<long long> single_minute(const nlohmann::json& payload) {
  if (!payload.is_object()) return std::nullopt;
  const auto it = payload.find("minute");
  if (it == payload.end() || !it->is_string()) return std::nullopt;
  const auto t = parse_rfc3339(it->get<std::string>());
  if (!t) return std::nullopt;
  return to_unix_ms(*t);
}

}  // namespace minutes_detail

}  // namespace itsa::report
