#pragma once
// The counted window of a report: the period, cut to office hours when asked.
#include "report/intervals.hpp"
#include "report/options.hpp"

namespace itsa::report {

/// The UTC intervals inside [from_ms, to_ms) that fall in the schedule's working windows.
IntervalSet office_intervals(const OfficeSchedule& schedule, long long from_ms, long long to_ms);
/// The counted window: office_intervals for HoursMode::office, the whole period for all.
IntervalSet counted_window(const ReportOptions& options, long long from_ms, long long to_ms);
/// Local day number (days since 1970-01-01 in the schedule's offset) of a UTC ms time.
long long local_day(const OfficeSchedule& schedule, long long utc_ms);

}  // namespace itsa::report
