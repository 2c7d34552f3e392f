#pragma once
// Per machine and local day: the additive counters of its minute records (pressure_minute,
// link_minute), computed once when the records arrive (issue 15: rollups at ingest) so the
// review UI's 30-day columns read a few rows per machine instead of a month of minute series.
// Counters only (sums of minutes and events), so a late record adds to its day and never
// needs the day recomputed; `itsa-server rollup rebuild` recomputes them from the records.
#include <map>
#include <string_view>

#include "report/model.hpp"

namespace itsa::report {

/// What one machine's minute records add up to in one local day.
struct DayCounters {
  long long pressure_minutes = 0;   ///< minutes with a pressure sample
  long long cpu_over_minutes = 0;   ///< of them, CPU busy above 90% (the report's threshold)
  long long mem_over_minutes = 0;   ///< of them, memory used above 90%
  long long load_over_minutes = 0;  ///< of them, CPU or memory above 90%
  long long link_minutes = 0;       ///< interface-minutes with a link sample
  long long link_flaps = 0;         ///< carrier losses counted in those minutes (all, near power events too)
  long long rx_crc_errors = 0;      ///< CRC and frame errors received (a cable/port sign)
  long long crc_error_minutes = 0;  ///< interface-minutes with at least one CRC/frame error

  DayCounters& operator+=(const DayCounters& other);
  bool operator==(const DayCounters& other) const = default;
};

/// Whether records of `type` feed the day counters.
bool feeds_day_counters(std::string_view type);

/// Adds `record`'s minutes to `days` (local day number at `utc_offset_min` → counters, as
/// local_day() numbers days). Records of other types add nothing.
void add_day_counters(const Record& record, int utc_offset_min, std::map<long long, DayCounters>& days);

}  // namespace itsa::report
