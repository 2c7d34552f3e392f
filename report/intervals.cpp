#include "report/intervals.hpp"

#include <algorithm>

namespace itsa::report {

IntervalSet normalize(std::vector<Interval> intervals) {
  std::erase_if(intervals, [](const Interval& i) { return i.end_ms <= i.start_ms; });
  std::sort(intervals.begin(), intervals.end(),
            [](const Interval& x, const Interval& y) { return x.start_ms < y.start_ms; });
  IntervalSet out;
  for (const Interval& i : intervals) {
    if (!out.empty() && i.start_ms <= out.back().end_ms) {
      out.back().end_ms = std::max(out.back().end_ms, i.end_ms);
    } else {
      out.push_back(i);
    }
  }
  return out;
}

IntervalSet intersect(const IntervalSet& a, const IntervalSet& b) {
  IntervalSet out;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    const long long lo = std::max(a[i].start_ms, b[j].start_ms);
    const long long hi = std::min(a[i].end_ms, b[j].end_ms);
    if (lo < hi) out.push_back({lo, hi});
    if (a[i].end_ms < b[j].end_ms) {
      ++i;
    } else {
      ++j;
    }
  }
  return out;
}

IntervalSet intersect(const Interval& a, const IntervalSet& b) {
  return intersect(normalize({a}), b);
}

long long total_ms(const IntervalSet& set) {
  long long sum = 0;
  for (const Interval& i : set) sum += i.length_ms();
  return sum;
}

}  // namespace itsa::report
