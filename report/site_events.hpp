#pragma once
// Machine outages grouped into events per site (one event per site-wide outage, one per machine
// otherwise). Internal to the report, like compute_detail.hpp.
#include <string>
#include <vector>

#include "report/compute_detail.hpp"

namespace itsa::report::detail {

constexpr long long k_minute_ms = 60'000;

/// The start of the minute holding `ms` (UTC).
long long floor_minute(long long ms);
/// The first minute boundary at or after `ms`.
long long ceil_minute(long long ms);
/// Whether [lo, hi) meets the set.
bool overlaps(const IntervalSet& set, long long lo, long long hi);

/// One outage as the report counts it.
struct Event {
  std::string site;
  std::vector<std::size_t> members;  // indexes into ctx.outages
  IntervalSet counted;               // union of the members' counted time
  std::string cause;
  bool site_wide = false;
  bool shared = false;  // one machine's part of several down together, not most of the site: shared equipment
};

/// Groups the counted machine outages of the context into events, per site, sorted by start.
std::vector<Event> group_events(const Context& ctx);

}  // namespace itsa::report::detail
