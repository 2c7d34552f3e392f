// The "network" section: availability over observed time, outages (site-wide counted once),
// causes, MTBF/MTTR, per-day availability, physical-layer evidence and probe statistics.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "common/time_format.hpp"
#include "protocol/payloads.hpp"
#include "protocol/record_types.hpp"
#include "report/causes.hpp"
#include "report/compute_detail.hpp"
#include "report/compute_links.hpp"
#include "report/minutes.hpp"
#include "report/office_hours.hpp"
#include "report/site_events.hpp"

namespace lk = itsa::protocol::link_minute_key;
namespace pk = itsa::protocol::probe_minute_key;

namespace rt = itsa::protocol::record_type;

namespace itsa::report::detail {

namespace {

constexpr long long k_day_ms = 86'400'000;
const auto& k_causes = k_outage_causes;

double pct_or(double num, double den) {
  return den > 0 ? round_to(100.0 * num / den, 3) : 0.0;
}

nlohmann::json nullable(std::optional<double> v, int digits) {
  return v ? nlohmann::json(round_to(*v, digits)) : nlohmann::json(nullptr);
}

/// Nearest-rank percentile of values counted per 0.01 ms (LayerDigest), in ms.
std::optional<double> percentile(const std::map<long long, long long>& centi_counts, double p) {
  long long total = 0;
  for (const auto& [v, count] : centi_counts) total += count;
  if (total == 0) return std::nullopt;
  const auto rank =
      std::clamp<long long>(static_cast<long long>(std::ceil(p / 100.0 * static_cast<double>(total))), 1, total);
  long long seen = 0;
  for (const auto& [v, count] : centi_counts) {
    seen += count;
    if (seen >= rank) return static_cast<double>(v) / 100.0;
  }
  return static_cast<double>(centi_counts.rbegin()->first) / 100.0;
}

/// A value's key at the precision the report prints (0.01 ms), rounded as round_to does.
long long centi(double ms) {
  return static_cast<long long>(std::round(ms * 100.0));
}

nlohmann::json cause_counts() {
  nlohmann::json j = nlohmann::json::object();
  for (const char* c : k_causes) j[c] = 0;
  return j;
}

/// The network figures of each site (issue 16 item 6): an agency average hides the bad building.
nlohmann::json site_breakdown(const Context& ctx, const std::vector<Event>& events,
                              const std::vector<IntervalSet>& down) {
  struct Site {
    int machines = 0;
    long long observed_ms = 0, downtime_ms = 0, possible_ms = 0;
    std::vector<Interval> observed;
    int events = 0;
    double cabling = 0;
    std::map<std::string, long long> downtime_by_cause_ms;
  };
  std::map<std::string, Site> sites;
  const long long window_ms = total_ms(ctx.window);
  for (std::size_t m = 0; m < ctx.machines.size(); ++m) {
    Site& s = sites[ctx.machines[m]->site];
    ++s.machines;
    s.observed_ms += total_ms(ctx.observed[m]);
    s.downtime_ms += total_ms(down[m]);
    s.possible_ms += window_ms;
    s.observed.insert(s.observed.end(), ctx.observed[m].begin(), ctx.observed[m].end());
  }
  for (const MachineOutage& o : ctx.outages)
    sites[ctx.machines[o.machine]->site].downtime_by_cause_ms[o.cause] += total_ms(o.counted);
  for (const Event& e : events) {
    for (const std::string& site : e.sites) ++sites[site].events;
    if (e.scope == Scope::single_machine && (e.cause == "link_down" || e.cause == "lan")) sites[e.site].cabling += 1;
  }
  nlohmann::json out = nlohmann::json::array();
  for (auto& [name, s] : sites) {
    const auto days = working_days(ctx, normalize(std::move(s.observed))).second;
    const double observed_h = static_cast<double>(s.observed_ms) / 3'600'000.0;
    const std::optional<double> coverage =
        s.possible_ms > 0 ? std::optional<double>(round_to(
                                100.0 * static_cast<double>(s.observed_ms) / static_cast<double>(s.possible_ms), 2))
                          : std::nullopt;
    double per_week = 0;
    const std::string verdict = loss_verdict(ctx.options->minimums, observed_h, days, coverage, s.cabling, per_week);
    nlohmann::json by_cause = nlohmann::json::object();
    for (const char* c : k_causes) by_cause[c] = seconds(s.downtime_by_cause_ms[c]);
    out.push_back(
        {{"site", name},
         {"machines", s.machines},
         {"observed_s", seconds(s.observed_ms)},
         {"observed_pc_hours", round_to(observed_h, 2)},
         {"observed_working_days", days},
         {"coverage_pct", coverage ? nlohmann::json(*coverage) : nlohmann::json(nullptr)},
         {"downtime_s", seconds(s.downtime_ms)},
         {"availability_pct", s.observed_ms > 0
                                  ? nlohmann::json(pct_or(static_cast<double>(s.observed_ms - s.downtime_ms),
                                                          static_cast<double>(s.observed_ms)))
                                  : nlohmann::json(nullptr)},
         {"events", s.events},
         {"single_pc_cabling_outages", s.cabling},
         {"cabling_per_pc_week", observed_h > 0 ? nlohmann::json(round_to(per_week, 2)) : nlohmann::json(nullptr)},
         {"downtime_by_cause_s", by_cause},
         {"verdict", verdict}});
  }
  // Worst first: the most cable/LAN outages per PC and week, then the lowest availability.
  std::vector<nlohmann::json> rows(out.begin(), out.end());
  std::stable_sort(rows.begin(), rows.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    const double wa = a["cabling_per_pc_week"].is_number() ? a["cabling_per_pc_week"].get<double>() : -1;
    const double wb = b["cabling_per_pc_week"].is_number() ? b["cabling_per_pc_week"].get<double>() : -1;
    if (wa != wb) return wa > wb;
    const double aa = a["availability_pct"].is_number() ? a["availability_pct"].get<double>() : 101;
    const double ab = b["availability_pct"].is_number() ? b["availability_pct"].get<double>() : 101;
    return aa < ab;
  });
  return nlohmann::json(rows);
}

}  // namespace

void digest_probes(const Context& ctx, const MachineInput& machine, MachineDigest& digest) {
  for (const Record& r : machine.records) {
    if (r.type == rt::probe_minute) {
      for_each_minute(r, [&](const MinuteView& v) {
        if (!contains(ctx.window, v.minute_ms())) return;
        LayerDigest& s = digest.layers[v.text(pk::layer, "?")];
        ++s.minutes;
        s.sent += static_cast<long long>(v.number(pk::sent).value_or(0));
        s.lost += static_cast<long long>(v.number(pk::lost).value_or(0));
        if (auto x = v.number(pk::rtt_p50_ms)) ++s.p50_centi_ms[centi(*x)];
        if (auto x = v.number(pk::rtt_p95_ms)) ++s.p95_centi_ms[centi(*x)];
        if (auto x = v.number(pk::rtt_max_ms)) s.max_rtt = s.max_rtt ? std::max(*s.max_rtt, *x) : *x;
        if (auto x = v.number(pk::jitter_ms)) {
          s.jitter_sum += *x;
          ++s.jitter_n;
        }
      });
    } else if (r.type == rt::degraded) {
      const auto minute = time_field(r.payload, "minute");
      if (!minute || !contains(ctx.window, *minute)) continue;
      ++digest.degraded_minutes;
      const std::string reason = get_or(r.payload, "reason", std::string());
      if (reason == "loss") ++digest.degraded_loss;
      if (reason == "latency") ++digest.degraded_latency;
    }
  }
}

nlohmann::json compute_network(const Context& ctx) {
  const OfficeSchedule& schedule = ctx.options->schedule;
  const std::size_t n = ctx.machines.size();

  // Per machine: downtime as the union of its counted outages.
  std::vector<IntervalSet> down(n);
  std::vector<std::vector<std::size_t>> machine_outages(n);
  for (std::size_t i = 0; i < ctx.outages.size(); ++i) machine_outages[ctx.outages[i].machine].push_back(i);
  long long observed_ms = 0;
  long long downtime_ms = 0;
  nlohmann::json machine_by_cause = cause_counts();
  nlohmann::json downtime_by_cause = cause_counts();
  std::map<std::string, long long> downtime_by_cause_ms;
  nlohmann::json per_machine = nlohmann::json::array();
  for (std::size_t m = 0; m < n; ++m) {
    std::vector<Interval> pieces;
    nlohmann::json by_cause = cause_counts();
    for (std::size_t i : machine_outages[m]) {
      const MachineOutage& o = ctx.outages[i];
      pieces.insert(pieces.end(), o.counted.begin(), o.counted.end());
      if (by_cause.contains(o.cause)) {
        by_cause[o.cause] = by_cause[o.cause].get<int>() + 1;
        machine_by_cause[o.cause] = machine_by_cause[o.cause].get<int>() + 1;
        downtime_by_cause_ms[o.cause] += total_ms(o.counted);
      }
    }
    down[m] = normalize(std::move(pieces));
    const long long obs = total_ms(ctx.observed[m]);
    const long long dt = total_ms(down[m]);
    observed_ms += obs;
    downtime_ms += dt;
    per_machine.push_back(
        {{"hostname", ctx.machines[m]->hostname},
         {"agent_id", ctx.machines[m]->agent_id},
         {"site", ctx.machines[m]->site},
         {"observed_s", seconds(obs)},
         {"downtime_s", seconds(dt)},
         {"availability_pct", obs > 0 ? nlohmann::json(pct_or(static_cast<double>(obs - dt), static_cast<double>(obs)))
                                      : nlohmann::json(nullptr)},
         {"outages", machine_outages[m].size()},
         {"by_cause", by_cause},
         {"data_until", ctx.digests[m]->last_record_ms > 0 ? nlohmann::json(utc_text(ctx.digests[m]->last_record_ms))
                                                           : nlohmann::json(nullptr)},
         {"records_pending", ctx.digests[m]->last_record_ms > 0 && !ctx.digests[m]->after_period}});
  }
  for (const char* c : k_causes) downtime_by_cause[c] = seconds(downtime_by_cause_ms[c]);

  // Events: a site-wide outage counts once.
  const std::vector<Event> events = group_events(ctx);
  nlohmann::json by_cause = cause_counts();
  nlohmann::json pc_by_event_cause = cause_counts();   // machine outages, by the cause of the event they belong to
  nlohmann::json single_pc_by_cause = cause_counts();  // events of one PC alone: its own cable or port
  std::map<Scope, int> by_scope;
  long long event_ms = 0;
  nlohmann::json event_list = nlohmann::json::array();
  for (const Event& e : events) {
    if (by_cause.contains(e.cause)) {
      by_cause[e.cause] = by_cause[e.cause].get<int>() + 1;
      pc_by_event_cause[e.cause] = pc_by_event_cause[e.cause].get<int>() + static_cast<int>(e.members.size());
    }
    ++by_scope[e.scope];
    if (e.scope == Scope::single_machine && single_pc_by_cause.contains(e.cause))
      single_pc_by_cause[e.cause] = single_pc_by_cause[e.cause].get<int>() + 1;
    const long long len = total_ms(e.counted);
    event_ms += len;
    std::set<std::string> hosts;
    std::set<std::string> agent_ids;
    std::set<std::string> interfaces;
    for (std::size_t i : e.members) {
      hosts.insert(ctx.machines[ctx.outages[i].machine]->hostname);
      agent_ids.insert(ctx.machines[ctx.outages[i].machine]->agent_id);
      if (!ctx.outages[i].interface.empty()) interfaces.insert(ctx.outages[i].interface);
    }
    event_list.push_back({{"site", e.site},
                          {"sites", e.sites},
                          {"start", utc_text(e.counted.front().start_ms)},
                          {"end", utc_text(e.counted.back().end_ms)},
                          {"start_local", local_text(schedule, e.counted.front().start_ms)},
                          {"end_local", local_text(schedule, e.counted.back().end_ms)},
                          {"duration_s", seconds(len)},
                          {"cause", e.cause},
                          {"scope", scope_name(e.scope)},
                          {"shared_equipment", e.scope == Scope::shared_equipment},
                          {"machines", std::vector<std::string>(hosts.begin(), hosts.end())},
                          {"agent_ids", std::vector<std::string>(agent_ids.begin(), agent_ids.end())},
                          {"interfaces", std::vector<std::string>(interfaces.begin(), interfaces.end())}});
  }
  const nlohmann::json per_site = site_breakdown(ctx, events, down);
  const auto count = static_cast<long long>(events.size());
  const auto machine_count = static_cast<long long>(ctx.outages.size());

  // Availability per local day and machine (the heatmap).
  nlohmann::json daily = nlohmann::json::array();
  const long long first_day = local_day(schedule, ctx.from_ms);
  const long long last_day = local_day(schedule, ctx.to_ms - 1);
  const long long offset_ms = static_cast<long long>(schedule.utc_offset_min) * 60'000;
  for (std::size_t m = 0; m < n; ++m) {
    nlohmann::json days = nlohmann::json::array();
    for (long long d = first_day; d <= last_day; ++d) {
      const Interval day{d * k_day_ms - offset_ms, (d + 1) * k_day_ms - offset_ms};
      const long long obs = total_ms(intersect(day, ctx.observed[m]));
      const long long dt = total_ms(intersect(day, down[m]));
      days.push_back({{"date", format_date(d)},
                      {"working_day", !office_intervals(schedule, day.start_ms, day.end_ms).empty()},
                      {"observed_s", seconds(obs)},
                      {"downtime_s", seconds(dt)},
                      {"availability_pct",
                       obs > 0 ? nlohmann::json(pct_or(static_cast<double>(obs - dt), static_cast<double>(obs)))
                               : nlohmann::json(nullptr)}});
    }
    daily.push_back({{"hostname", ctx.machines[m]->hostname}, {"site", ctx.machines[m]->site}, {"days", days}});
  }

  // Physical layer per machine and interface, and the cabling evidence per PC.
  const nlohmann::json physical = compute_links(ctx);

  // Probes per layer, summed over the machines' digests (digest_probes).
  std::map<std::string, LayerDigest> layers;
  nlohmann::json degraded_by_reason = {{"loss", 0}, {"latency", 0}};
  long long degraded_minutes = 0, degraded_loss = 0, degraded_latency = 0;
  for (std::size_t m = 0; m < n; ++m) {
    const MachineDigest& d = *ctx.digests[m];
    for (const auto& [name, part] : d.layers) {
      LayerDigest& s = layers[name];
      s.minutes += part.minutes;
      s.sent += part.sent;
      s.lost += part.lost;
      for (const auto& [v, n_v] : part.p50_centi_ms) s.p50_centi_ms[v] += n_v;
      for (const auto& [v, n_v] : part.p95_centi_ms) s.p95_centi_ms[v] += n_v;
      if (part.max_rtt) s.max_rtt = s.max_rtt ? std::max(*s.max_rtt, *part.max_rtt) : *part.max_rtt;
      s.jitter_sum += part.jitter_sum;
      s.jitter_n += part.jitter_n;
    }
    degraded_minutes += d.degraded_minutes;
    degraded_loss += d.degraded_loss;
    degraded_latency += d.degraded_latency;
  }
  degraded_by_reason["loss"] = degraded_loss;
  degraded_by_reason["latency"] = degraded_latency;
  nlohmann::json probes = nlohmann::json::array();
  for (const char* layer : {"gateway", "lan", "internet", "dns"}) {
    auto it = layers.find(layer);
    if (it == layers.end()) continue;
    const LayerDigest& s = it->second;
    probes.push_back(
        {{"layer", layer},
         {"minutes", s.minutes},
         {"sent", s.sent},
         {"lost", s.lost},
         {"loss_pct", s.sent > 0 ? nlohmann::json(pct_or(static_cast<double>(s.lost), static_cast<double>(s.sent)))
                                 : nlohmann::json(nullptr)},
         {"rtt_p50_ms", nullable(percentile(s.p50_centi_ms, 50), 2)},
         {"rtt_p95_ms", nullable(percentile(s.p95_centi_ms, 95), 2)},
         {"rtt_max_ms", nullable(s.max_rtt, 2)},
         {"jitter_avg_ms", s.jitter_n > 0 ? nlohmann::json(round_to(s.jitter_sum / static_cast<double>(s.jitter_n), 2))
                                          : nlohmann::json(nullptr)}});
  }

  nlohmann::json out;
  out["observed_s"] = seconds(observed_ms);
  out["downtime_s"] = seconds(downtime_ms);
  out["availability_pct"] =
      observed_ms > 0
          ? nlohmann::json(pct_or(static_cast<double>(observed_ms - downtime_ms), static_cast<double>(observed_ms)))
          : nlohmann::json(nullptr);
  out["outages"] = {
      {"count", count},
      {"by_cause", by_cause},
      {"agency_wide", by_scope[Scope::agency_wide]},
      {"site_wide", by_scope[Scope::site_wide]},
      {"shared_equipment", by_scope[Scope::shared_equipment]},
      {"single_machine", by_scope[Scope::single_machine]},
      {"single_pc_by_cause", single_pc_by_cause},
      {"machine_outages", machine_count},
      {"machine_by_cause", machine_by_cause},
      {"machine_by_event_cause", pc_by_event_cause},
      {"event_downtime_s", seconds(event_ms)},
      {"mean_event_downtime_s", count > 0 ? nlohmann::json(seconds(event_ms / count)) : nlohmann::json(nullptr)}};
  out["downtime_by_cause_s"] = downtime_by_cause;
  // Which share of the PCs' downtime each cause made: what fixing one layer could recover.
  nlohmann::json share = nlohmann::json::object();
  for (const char* c : k_causes)
    share[c] = downtime_ms > 0
                   ? nlohmann::json(round_to(
                         100.0 * static_cast<double>(downtime_by_cause_ms[c]) / static_cast<double>(downtime_ms), 1))
                   : nlohmann::json(nullptr);
  out["downtime_share_by_cause_pct"] = share;
  out["per_site"] = per_site;
  out["mttr_s"] = machine_count > 0 ? nlohmann::json(seconds(downtime_ms / machine_count)) : nlohmann::json(nullptr);
  out["mtbf_s"] = machine_count > 0 ? nlohmann::json(seconds((observed_ms - downtime_ms) / machine_count))
                                    : nlohmann::json(nullptr);
  out["events"] = event_list;
  out["per_machine"] = per_machine;
  out["daily"] = daily;
  out["links"] = physical["links"];
  out["links_summary"] = physical["links_summary"];
  out["cabling"] = physical["cabling"];
  std::vector<long long> single_pc_outages(n, 0);
  for (const Event& e : events)
    if (e.scope == Scope::single_machine && (e.cause == "link_down" || e.cause == "lan"))
      ++single_pc_outages[ctx.outages[e.members.front()].machine];
  out["cabling_survey"] = cabling_survey(ctx, physical["cabling"], single_pc_outages);
  out["probes"] = probes;
  out["degraded"] = {{"minutes", degraded_minutes}, {"by_reason", degraded_by_reason}};
  return out;
}

}  // namespace itsa::report::detail
