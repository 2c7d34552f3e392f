#pragma once
// Half-open time intervals in Unix milliseconds and the set operations the report needs
// (union, intersection, total length). Pure functions, no time zone.
#include <vector>

namespace itsa::report {

/// [start_ms, end_ms); empty when end_ms <= start_ms.
struct Interval {
  long long start_ms = 0;
  long long end_ms = 0;
  long long length_ms() const { return end_ms > start_ms ? end_ms - start_ms : 0; }
  bool operator==(const Interval&) const = default;
};

/// A sorted list of disjoint, non-empty intervals.
using IntervalSet = std::vector<Interval>;

/// Sorts and merges overlapping or touching intervals; drops empty ones.
IntervalSet normalize(std::vector<Interval> intervals);
/// The intersection of two normalized sets.
IntervalSet intersect(const IntervalSet& a, const IntervalSet& b);
/// The intersection of one interval with a normalized set.
IntervalSet intersect(const Interval& a, const IntervalSet& b);
/// Total length in ms of a normalized set.
long long total_ms(const IntervalSet& set);

}  // namespace itsa::report
