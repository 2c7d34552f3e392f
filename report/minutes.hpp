#pragma once
// The minutes of a minute record (pressure_minute, link_minute, probe_minute), read in place:
// a minute series (common/minute_series.hpp) is walked minute by minute without unrolling it
// into one JSON object per minute, so a machine's month of series costs what its records
// cost, not ~10x that (issue 15). A single-minute payload is its own only minute.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "report/model.hpp"

namespace itsa::report {

/// One minute of a minute record.
class MinuteView {
 public:
  MinuteView(const nlohmann::json& payload, int index, long long minute_ms)
      : m_payload(payload), m_index(index), m_minute_ms(minute_ms) {}
  /// Start of the minute (UTC ms).
  long long minute_ms() const { return m_minute_ms; }
  /// The field's value in this minute (a series array's element; null past its end), or
  /// nullptr when the record has no such field.
  const nlohmann::json* field(const char* key) const;
  /// The record has the field (in any minute).
  bool has(const char* key) const { return m_payload.contains(key); }
  /// A number field, nullopt when absent, null or not a number.
  std::optional<double> number(const char* key) const;
  /// A string field, or the fallback.
  std::string text(const char* key, const std::string& fallback) const;
  /// A boolean field, or the fallback.
  bool flag(const char* key, bool fallback) const;

 private:
  const nlohmann::json& m_payload;
  int m_index;  // -1 for a single-minute payload
  long long m_minute_ms;
};

/// "CPU or memory above 90%": the report's pressure threshold (percent).
inline constexpr double k_pressure_threshold_pct = 90.0;

/// Which of CPU and memory were above k_pressure_threshold_pct in one pressure_minute minute.
struct PressureOver {
  bool cpu = false;
  bool mem = false;
  bool either() const { return cpu || mem; }
};
PressureOver pressure_over(const MinuteView& minute);

/// "The system disk saturated": a minute with `disk_busy_pct` at or above this (percent).
inline constexpr double k_disk_busy_threshold_pct = 90.0;

/// Calls f(const MinuteView&) for each minute of a record, in order: a series' minutes (none
/// when it is malformed, as series::expand), or a single minute whose "minute" field reads as
/// a time (as the report always read it).
template <class F>
void for_each_minute(const Record& record, F&& f);

namespace minutes_detail {
/// The series' first minute (UTC ms, floored) and its minute count; nullopt for a single minute;
/// {0, 0} for a malformed series.
std::optional<std::pair<long long, int>> series_span(const nlohmann::json& payload);
std::optional<long long> single_minute(const nlohmann::json& payload);
}  // namespace minutes_detail

template <class F>
void for_each_minute(const Record& record, F&& f) {
  if (auto span = minutes_detail::series_span(record.payload)) {
    for (int i = 0; i < span->second; ++i) f(MinuteView(record.payload, i, span->first + i * 60'000LL));
    return;
  }
  if (auto minute = minutes_detail::single_minute(record.payload)) f(MinuteView(record.payload, -1, *minute));
}

}  // namespace itsa::report
