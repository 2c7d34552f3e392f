#include "report/office_hours.hpp"

#include <algorithm>

namespace itsa::report {

namespace {
constexpr long long k_day_ms = 86'400'000;

long long floor_div(long long a, long long b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}
}  // namespace

long long local_day(const OfficeSchedule& schedule, long long utc_ms) {
  return floor_div(utc_ms + static_cast<long long>(schedule.utc_offset_min) * 60'000, k_day_ms);
}

IntervalSet office_intervals(const OfficeSchedule& schedule, long long from_ms, long long to_ms) {
  std::vector<Interval> out;
  if (to_ms <= from_ms) return out;
  const long long offset_ms = static_cast<long long>(schedule.utc_offset_min) * 60'000;
  for (long long day = local_day(schedule, from_ms); day <= local_day(schedule, to_ms - 1); ++day) {
    const long long weekday = ((day % 7) + 7 + 4) % 7;  // 1970-01-01 was a Thursday (4)
    if (!schedule.weekdays[weekday]) continue;
    for (const DailyWindow& w : schedule.windows) {
      const long long start = day * k_day_ms + w.start_min * 60'000LL - offset_ms;
      const long long end = day * k_day_ms + w.end_min * 60'000LL - offset_ms;
      out.push_back({std::max(start, from_ms), std::min(end, to_ms)});
    }
  }
  return normalize(std::move(out));
}

IntervalSet counted_window(const ReportOptions& options, long long from_ms, long long to_ms) {
  if (options.hours == HoursMode::all) return normalize({{from_ms, to_ms}});
  return office_intervals(options.schedule, from_ms, to_ms);
}

}  // namespace itsa::report
