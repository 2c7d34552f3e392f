// Machine outages grouped into events per site: overlapping outages of several machines are one
// site-wide event when most machines observing in one minute were down (docs/report.md).
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

/// Groups the counted machine outages into events, per site.
std::vector<Event> group_events(const Context& ctx) {
  std::vector<Event> events;
  std::map<std::string, std::vector<std::size_t>> by_site;
  for (std::size_t i = 0; i < ctx.outages.size(); ++i) by_site[ctx.machines[ctx.outages[i].machine]->site].push_back(i);
  for (const auto& [site, idx] : by_site) {
    std::vector<std::size_t> site_machines;
    for (std::size_t m = 0; m < ctx.machines.size(); ++m) {
      if (ctx.machines[m]->site == site) site_machines.push_back(m);
    }
    // Clusters of outages whose minute-rounded counted hulls overlap.
    std::vector<std::vector<std::size_t>> clusters;
    long long cluster_end = 0;
    std::vector<std::size_t> sorted = idx;
    std::sort(sorted.begin(), sorted.end(), [&](std::size_t a, std::size_t b) {
      return ctx.outages[a].counted.front().start_ms < ctx.outages[b].counted.front().start_ms;
    });
    for (std::size_t i : sorted) {
      const long long lo = floor_minute(ctx.outages[i].counted.front().start_ms);
      const long long hi = ceil_minute(ctx.outages[i].counted.back().end_ms);
      if (clusters.empty() || lo >= cluster_end) {
        clusters.push_back({i});
        cluster_end = hi;
      } else {
        clusters.back().push_back(i);
        cluster_end = std::max(cluster_end, hi);
      }
    }
    for (const auto& cluster : clusters) {
      std::set<std::size_t> machines;
      long long lo = INT64_MAX;
      long long hi = INT64_MIN;
      for (std::size_t i : cluster) {
        machines.insert(ctx.outages[i].machine);
        lo = std::min(lo, floor_minute(ctx.outages[i].counted.front().start_ms));
        hi = std::max(hi, ceil_minute(ctx.outages[i].counted.back().end_ms));
      }
      bool site_wide = false;
      if (machines.size() >= 2) {
        for (long long minute = lo; minute < hi && !site_wide; minute += k_minute_ms) {
          std::set<std::size_t> down;
          for (std::size_t i : cluster) {
            if (overlaps(ctx.outages[i].counted, minute, minute + k_minute_ms)) down.insert(ctx.outages[i].machine);
          }
          std::size_t observing = 0;
          for (std::size_t m : site_machines) {
            if (overlaps(ctx.observed[m], minute, minute + k_minute_ms)) ++observing;
          }
          site_wide = down.size() >= 2 && down.size() * 2 > observing;
        }
      }
      if (site_wide) {
        Event e{site, cluster, {}, majority_cause(ctx, cluster), true};
        std::vector<Interval> pieces;
        for (std::size_t i : cluster)
          pieces.insert(pieces.end(), ctx.outages[i].counted.begin(), ctx.outages[i].counted.end());
        e.counted = normalize(std::move(pieces));
        events.push_back(std::move(e));
      } else {
        // Several PCs down together but not most of the site: a switch or other shared
        // equipment, not each PC's cable (each still counts as its own event).
        for (std::size_t i : cluster)
          events.push_back({site, {i}, ctx.outages[i].counted, ctx.outages[i].cause, false, machines.size() >= 2});
      }
    }
  }
  std::sort(events.begin(), events.end(),
            [](const Event& a, const Event& b) { return a.counted.front().start_ms < b.counted.front().start_ms; });
  return events;
}

}  // namespace itsa::report::detail
