// Machine outages grouped into events (docs/report.md "Events"): per site, overlapping outages
// are one site-wide event when most machines observing in one minute were down, one
// shared-equipment event when several PCs went down together with the same cause; provider-side
// events seen at several sites at once are one agency-wide event.
#include "report/site_events.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace itsa::report::detail {

long long floor_minute(long long ms) {
  return ms - (((ms % k_minute_ms) + k_minute_ms) % k_minute_ms);
}
long long ceil_minute(long long ms) {
  const long long f = floor_minute(ms);
  return f == ms ? ms : f + k_minute_ms;
}

bool overlaps(const IntervalSet& set, long long lo, long long hi) {
  return !intersect(Interval{lo, hi}, set).empty();
}

namespace {

/// The cause most members share; a tie goes to the layer farthest from the PC.
std::string majority_cause(const Context& ctx, const std::vector<std::size_t>& members) {
  std::map<std::string, int> counts;
  for (std::size_t i : members) ++counts[ctx.outages[i].cause];
  std::string best;
  int best_count = -1;
  for (const char* cause : {"dns", "upstream", "lan", "link_down", "unknown"}) {
    const auto it = counts.find(cause);
    if (it != counts.end() && it->second > best_count) {
      best = cause;
      best_count = it->second;
    }
  }
  return best;
}

}  // namespace

const char* scope_name(Scope scope) {
  switch (scope) {
    case Scope::single_machine:
      return "single_machine";
    case Scope::shared_equipment:
      return "shared_equipment";
    case Scope::site_wide:
      return "site_wide";
    case Scope::agency_wide:
      return "agency_wide";
  }
  return "single_machine";
}

namespace {

/// Groups items (indexes) whose minute-rounded spans [lo, hi) overlap, in order of start.
template <class Lo, class Hi>
std::vector<std::vector<std::size_t>> overlapping(std::vector<std::size_t> items, Lo lo, Hi hi) {
  std::sort(items.begin(), items.end(), [&](std::size_t a, std::size_t b) { return lo(a) < lo(b); });
  std::vector<std::vector<std::size_t>> clusters;
  long long cluster_end = 0;
  for (std::size_t i : items) {
    if (clusters.empty() || lo(i) >= cluster_end) {
      clusters.push_back({i});
      cluster_end = hi(i);
    } else {
      clusters.back().push_back(i);
      cluster_end = std::max(cluster_end, hi(i));
    }
  }
  return clusters;
}

/// Whether, in some minute, at least `at_least` distinct machines of `members` were down and
/// (when `observing` is given) they were more than half of the machines observing then.
bool down_together(const Context& ctx, const std::vector<std::size_t>& members, std::size_t at_least,
                   const std::vector<std::size_t>* observing_machines) {
  long long lo = INT64_MAX;
  long long hi = INT64_MIN;
  for (std::size_t i : members) {
    lo = std::min(lo, floor_minute(ctx.outages[i].counted.front().start_ms));
    hi = std::max(hi, ceil_minute(ctx.outages[i].counted.back().end_ms));
  }
  for (long long minute = lo; minute < hi; minute += k_minute_ms) {
    std::set<std::size_t> down;
    for (std::size_t i : members) {
      if (overlaps(ctx.outages[i].counted, minute, minute + k_minute_ms)) down.insert(ctx.outages[i].machine);
    }
    if (down.size() < at_least) continue;
    if (observing_machines == nullptr) return true;
    std::size_t observing = 0;
    for (std::size_t m : *observing_machines) {
      if (overlaps(ctx.observed[m], minute, minute + k_minute_ms)) ++observing;
    }
    if (down.size() * 2 > observing) return true;
  }
  return false;
}

Event make_event(const Context& ctx, const std::string& site, std::vector<std::size_t> members, std::string cause,
                 Scope scope) {
  Event e;
  e.site = site;
  e.sites = {site};
  std::vector<Interval> pieces;
  for (std::size_t i : members)
    pieces.insert(pieces.end(), ctx.outages[i].counted.begin(), ctx.outages[i].counted.end());
  e.counted = normalize(std::move(pieces));
  e.members = std::move(members);
  e.cause = std::move(cause);
  e.scope = scope;
  return e;
}

/// One site's outages: site-wide when most machines observing in one minute were down (at
/// least 2); else several PCs down together with the same cause are one shared-equipment
/// event; else each PC's outage is its own.
void group_site(const Context& ctx, const std::string& site, const std::vector<std::size_t>& outages,
                std::vector<Event>& events) {
  std::vector<std::size_t> site_machines;
  for (std::size_t m = 0; m < ctx.machines.size(); ++m) {
    if (ctx.machines[m]->site == site) site_machines.push_back(m);
  }
  const auto lo = [&](std::size_t i) { return floor_minute(ctx.outages[i].counted.front().start_ms); };
  const auto hi = [&](std::size_t i) { return ceil_minute(ctx.outages[i].counted.back().end_ms); };
  for (const auto& cluster : overlapping(outages, lo, hi)) {
    std::set<std::size_t> machines;
    for (std::size_t i : cluster) machines.insert(ctx.outages[i].machine);
    if (machines.size() >= 2 && down_together(ctx, cluster, 2, &site_machines)) {
      events.push_back(make_event(ctx, site, cluster, majority_cause(ctx, cluster), Scope::site_wide));
      continue;
    }
    std::map<std::string, std::vector<std::size_t>> by_cause;
    for (std::size_t i : cluster) by_cause[ctx.outages[i].cause].push_back(i);
    for (const auto& [cause, same] : by_cause) {
      for (const auto& group : overlapping(same, lo, hi)) {
        if (group.size() >= 2 && down_together(ctx, group, 2, nullptr)) {
          events.push_back(make_event(ctx, site, group, cause, Scope::shared_equipment));
        } else {
          for (std::size_t i : group) events.push_back(make_event(ctx, site, {i}, cause, Scope::single_machine));
        }
      }
    }
  }
}

}  // namespace

std::vector<Event> group_events(const Context& ctx) {
  std::vector<Event> events;
  std::map<std::string, std::vector<std::size_t>> by_site;
  for (std::size_t i = 0; i < ctx.outages.size(); ++i) by_site[ctx.machines[ctx.outages[i].machine]->site].push_back(i);
  for (const auto& [site, idx] : by_site) group_site(ctx, site, idx, events);

  // The provider or DNS failing is one event however many sites saw it: events with that cause
  // overlapping in time at two or more sites merge into one agency-wide event.
  const auto lo = [&](std::size_t k) { return floor_minute(events[k].counted.front().start_ms); };
  const auto hi = [&](std::size_t k) { return ceil_minute(events[k].counted.back().end_ms); };
  std::map<std::string, std::vector<std::size_t>> provider;
  for (std::size_t k = 0; k < events.size(); ++k) {
    if (events[k].cause == "upstream" || events[k].cause == "dns") provider[events[k].cause].push_back(k);
  }
  std::vector<bool> merged(events.size(), false);
  std::vector<Event> agency;
  for (const auto& [cause, ks] : provider) {
    for (const auto& group : overlapping(ks, lo, hi)) {
      std::set<std::string> sites;
      for (std::size_t k : group) sites.insert(events[k].site);
      if (sites.size() < 2) continue;
      std::vector<std::size_t> members;
      for (std::size_t k : group) {
        members.insert(members.end(), events[k].members.begin(), events[k].members.end());
        merged[k] = true;
      }
      Event e = make_event(ctx, *sites.begin(), std::move(members), cause, Scope::agency_wide);
      e.sites.assign(sites.begin(), sites.end());
      agency.push_back(std::move(e));
    }
  }
  std::vector<Event> out;
  for (std::size_t k = 0; k < events.size(); ++k) {
    if (!merged[k]) out.push_back(std::move(events[k]));
  }
  for (Event& e : agency) out.push_back(std::move(e));
  std::stable_sort(out.begin(), out.end(), [](const Event& a, const Event& b) {
    return a.counted.front().start_ms < b.counted.front().start_ms;
  });
  return out;
}

}  // namespace itsa::report::detail
