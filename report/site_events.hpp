#pragma once
// Machine outages grouped into events: one PC, shared equipment, a whole site, the whole
// agency. Internal to the report, like compute_detail.hpp.
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

/// Where an event reached (docs/report.md "Events"): one PC alone (its cable or port), several
/// PCs of a site together but not most of them (shared equipment such as a switch), most PCs of
/// a site, or several sites at once with the same provider-side cause.
enum class Scope { single_machine, shared_equipment, site_wide, agency_wide };
const char* scope_name(Scope scope);

/// One outage as the report counts it.
struct Event {
  std::string site;                  // the first site (agency_wide: every site is in `sites`)
  std::vector<std::string> sites;    // every site it reached, sorted
  std::vector<std::size_t> members;  // indexes into ctx.outages
  IntervalSet counted;               // union of the members' counted time
  std::string cause;
  Scope scope = Scope::single_machine;
};

/// Groups the counted machine outages of the context into events, sorted by start: per site first,
/// then provider-side events (upstream, dns) overlapping at several sites become one agency-wide event.
std::vector<Event> group_events(const Context& ctx);

}  // namespace itsa::report::detail
