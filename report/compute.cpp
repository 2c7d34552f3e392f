#include "report/compute.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "common/time_format.hpp"
#include "protocol/record_types.hpp"
#include "report/compute_detail.hpp"
#include "report/office_hours.hpp"

namespace rt = itsa::protocol::record_type;

namespace itsa::report {

namespace detail {

std::optional<long long> time_field(const nlohmann::json& payload, const char* key) {
  if (!payload.is_object()) return std::nullopt;
  const auto it = payload.find(key);
  if (it == payload.end() || !it->is_string()) return std::nullopt;
  const auto t = parse_rfc3339(it->get<std::string>());
  if (!t) return std::nullopt;
  return to_unix_ms(*t);
}

std::optional<double> number_field(const nlohmann::json& payload, const char* key) {
  if (!payload.is_object()) return std::nullopt;
  const auto it = payload.find(key);
  if (it == payload.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

bool contains(const IntervalSet& set, long long ms) {
  const auto it =
      std::upper_bound(set.begin(), set.end(), ms, [](long long v, const Interval& i) { return v < i.start_ms; });
  if (it == set.begin()) return false;
  return ms < std::prev(it)->end_ms;
}

double round_to(double value, int digits) {
  const double scale = std::pow(10.0, digits);
  return std::round(value * scale) / scale;
}

double seconds(long long ms) {
  return round_to(static_cast<double>(ms) / 1000.0, 3);
}

std::string utc_text(long long ms) {
  return to_rfc3339(from_unix_ms(ms));
}

std::string local_text(const OfficeSchedule& schedule, long long ms) {
  const long long local_ms = ms + static_cast<long long>(schedule.utc_offset_min) * 60'000;
  const long long day = local_day(schedule, ms);
  const long long in_day_min = (local_ms - day * 86'400'000) / 60'000;
  char buf[48];
  std::snprintf(buf, sizeof buf, " %02lld:%02lld", in_day_min / 60, in_day_min % 60);
  return format_date(day) + buf;
}

std::pair<long long, long long> working_days(const Context& ctx, const IntervalSet& observed) {
  const OfficeSchedule& schedule = ctx.options->schedule;
  const long long offset_ms = static_cast<long long>(schedule.utc_offset_min) * 60'000;
  long long days = 0;
  long long seen = 0;
  for (long long day = local_day(schedule, ctx.from_ms); day <= local_day(schedule, ctx.to_ms - 1); ++day) {
    const long long lo = std::max(ctx.from_ms, day * 86'400'000 - offset_ms);
    const long long hi = std::min(ctx.to_ms, (day + 1) * 86'400'000 - offset_ms);
    if (office_intervals(schedule, lo, hi).empty()) continue;
    ++days;
    if (!intersect(Interval{lo, hi}, observed).empty()) ++seen;
  }
  return {days, seen};
}

std::string loss_verdict(const FrequencyMinimums& minimums, double observed_h, long long observed_days,
                         std::optional<double> coverage_pct, double cabling, double& per_week_out) {
  per_week_out = observed_h > 0 ? cabling / observed_h * k_working_week_hours : 0.0;
  if (observed_h < minimums.pc_hours || observed_days < minimums.working_days || !coverage_pct ||
      *coverage_pct < minimums.coverage_pct)
    return "insufficient_data";
  if (per_week_out >= 1.0) return "supported";
  return cabling > 0 ? "partly_supported" : "not_supported";
}

void observe_machine(const Context& ctx, const MachineInput& machine, MachineDigest& digest) {
  std::vector<Interval> spans;
  std::vector<Interval> unsynced;
  // Outages: the latest seq of each id wins.
  std::map<std::string, const Record*> latest_outage;
  // Where a run of the agent ended: a span closed "stopped"/"crashed", or a later run's start.
  // An outage still open is never counted past the end of the run that observed it.
  std::vector<long long> run_ends;
  for (const Record& r : machine.records) {
    if (r.type == rt::lifecycle) {
      if (get_or(r.payload, "event", std::string()) == "start") run_ends.push_back(to_unix_ms(r.time));
    } else if (r.type == rt::coverage) {
      const auto start = time_field(r.payload, "start");
      if (!start) continue;
      const long long end = time_field(r.payload, "end").value_or(to_unix_ms(r.time));
      spans.push_back({*start, end});
      const auto reason = get_or(r.payload, "end_reason", std::string());
      if (reason == "stopped" || reason == "crashed") run_ends.push_back(end);
      const auto synced = r.payload.find("clock_synced");
      if (synced != r.payload.end() && synced->is_boolean() && !synced->get<bool>()) {
        unsynced.push_back({*start, end});
      }
    } else if (r.type == rt::outage) {
      std::string id;
      if (const auto it = r.payload.find("id"); it != r.payload.end() && it->is_string()) {
        id = it->get<std::string>();
      } else if (const auto s = r.payload.find("start"); s != r.payload.end() && s->is_string()) {
        id = "start:" + s->get<std::string>();
      } else {
        continue;
      }
      auto& slot = latest_outage[id];
      if (slot == nullptr || r.seq > slot->seq) slot = &r;
    }
  }
  // An outage's own span is observed time: the agent watched the network fail, even when the
  // coverage span around it has not arrived yet (it travels at the next start, issue 16 item 7).
  // An open outage was watched up to its latest record, not beyond.
  for (const auto& [id, rec] : latest_outage) {
    const auto start = time_field(rec->payload, "start");
    if (!start) continue;
    const long long until = time_field(rec->payload, "end").value_or(to_unix_ms(rec->time));
    if (until > *start) spans.push_back({*start, until});
  }
  for (const Record& r : machine.records) {
    const long long at = to_unix_ms(r.time);
    digest.last_record_ms = std::max(digest.last_record_ms, at);
    if (at >= ctx.to_ms) digest.after_period = true;
  }
  digest.observed = intersect(normalize(std::move(spans)), ctx.window);
  digest.unsynced = intersect(normalize(std::move(unsynced)), ctx.window);
  for (const auto& [id, rec] : latest_outage) {
    const auto start = time_field(rec->payload, "start");
    if (!start) continue;
    MachineOutage o;
    o.id = id;
    o.cause = get_or(rec->payload, "cause", std::string("unknown"));
    if (o.cause != "link_down" && o.cause != "lan" && o.cause != "upstream" && o.cause != "dns") o.cause = "unknown";
    std::optional<long long> end = time_field(rec->payload, "end");
    if (!end) {  // open: until the end of its run (the gap after a crash is neither up nor down)
      end = ctx.to_ms;
      for (const long long e : run_ends)
        if (e > *start && e < *end) end = e;
    }
    o.raw = {*start, std::max(*start, *end)};
    o.seq = rec->seq;
    o.counted = intersect(o.raw, digest.observed);
    if (const auto it = rec->payload.find("clock_synced"); it != rec->payload.end() && it->is_boolean()) {
      o.clock_synced = it->get<bool>();
    }
    if (const auto it = rec->payload.find("interface"); it != rec->payload.end() && it->is_string()) {
      o.interface = it->get<std::string>();
    }
    if (total_ms(o.counted) > 0) digest.outages.push_back(std::move(o));
  }
}

MachineDigest digest_machine(const Context& ctx, const MachineInput& machine) {
  MachineDigest d;
  d.window = ctx.window;
  observe_machine(ctx, machine, d);
  digest_links(ctx, machine, d);
  digest_pressure(ctx, machine, d);
  digest_probes(ctx, machine, d);
  digest_scope(machine, d);
  digest_health(ctx, machine, d);
  digest_history(ctx, machine, d);
  return d;
}

Result<void> collect_observation(Context& ctx, std::vector<MachineDigest>& owned) {
  const std::size_t n = ctx.machines.size();
  std::size_t to_compute = 0;
  for (const MachineInput* m : ctx.machines) to_compute += m->digest ? 0 : 1;
  owned.clear();
  owned.reserve(to_compute);  // pointers into it stay valid
  ctx.digests.assign(n, nullptr);
  ctx.observed.assign(n, {});
  ctx.unsynced.assign(n, {});
  for (std::size_t m = 0; m < n; ++m) {
    const MachineInput& machine = *ctx.machines[m];
    if (machine.digest) {
      if (machine.digest->window != ctx.window)
        return Error{"report: the records of " + machine.hostname + " were reduced for another period or hours"};
      ctx.digests[m] = machine.digest.get();
    } else {
      owned.push_back(digest_machine(ctx, machine));
      ctx.digests[m] = &owned.back();
    }
    const MachineDigest& d = *ctx.digests[m];
    ctx.observed[m] = d.observed;
    ctx.unsynced[m] = d.unsynced;
    for (MachineOutage o : d.outages) {
      o.machine = m;
      ctx.outages.push_back(std::move(o));
    }
  }
  std::sort(ctx.outages.begin(), ctx.outages.end(), [](const MachineOutage& a, const MachineOutage& b) {
    return a.raw.start_ms != b.raw.start_ms ? a.raw.start_ms < b.raw.start_ms : a.machine < b.machine;
  });
  return ok();
}

}  // namespace detail

namespace detail {

Result<Context> base_context(const ReportOptions& options) {
  auto period = period_ms(options);
  if (!period) return period.error();
  if (options.schedule.windows.empty()) return Error{"office hours: no daily window configured"};
  detail::Context ctx;
  ctx.options = &options;
  ctx.from_ms = period.value().first;
  ctx.to_ms = period.value().second;
  ctx.window = counted_window(options, ctx.from_ms, ctx.to_ms);
  return ctx;
}

}  // namespace detail

namespace {

Result<nlohmann::json> compute_report_unchecked(const ReportInput& input, const ReportOptions& options) {
  auto base = detail::base_context(options);
  if (!base) return base.error();
  detail::Context& ctx = base.value();
  for (const MachineInput& m : input.machines) {
    if (options.site && m.site != *options.site) continue;
    if (options.agency && m.agency != *options.agency) continue;
    ctx.machines.push_back(&m);
  }
  std::sort(ctx.machines.begin(), ctx.machines.end(), [](const MachineInput* a, const MachineInput* b) {
    return a->site != b->site ? a->site < b->site : a->hostname < b->hostname;
  });
  std::vector<detail::MachineDigest> owned;
  if (auto collected = detail::collect_observation(ctx, owned); !collected) return collected.error();

  nlohmann::json report;
  report["schema"] = "itsa-report/1";
  report["generated_at"] = to_rfc3339(options.generated_at);
  report["lang"] = options.lang == Lang::vi ? "vi" : "en";
  report["agency"] = input.agency;
  report["site"] = options.site ? nlohmann::json(*options.site) : nlohmann::json(nullptr);
  report["agency_filter"] = options.agency ? nlohmann::json(*options.agency) : nlohmann::json(nullptr);

  nlohmann::json weekdays = nlohmann::json::array();
  static const char* const k_day_names[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  for (int d = 1; d <= 7; ++d) {
    if (options.schedule.weekdays[d % 7]) weekdays.push_back(k_day_names[d % 7]);
  }
  nlohmann::json windows = nlohmann::json::array();
  for (const DailyWindow& w : options.schedule.windows) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%02d:%02d-%02d:%02d", w.start_min / 60, w.start_min % 60, w.end_min / 60,
                  w.end_min % 60);
    windows.push_back(buf);
  }
  report["period"] = {
      {"from", options.from_date},
      {"to", options.to_date},
      {"from_utc", detail::utc_text(ctx.from_ms)},
      {"to_utc", detail::utc_text(ctx.to_ms)},
      {"days", (ctx.to_ms - ctx.from_ms) / 86'400'000},
      {"hours", options.hours == HoursMode::office ? "office" : "all"},
      {"counted_s", detail::seconds(total_ms(ctx.window))},
      {"office_hours",
       {{"time_zone", options.schedule.time_zone},
        {"utc_offset_min", options.schedule.utc_offset_min},
        {"weekdays", weekdays},
        {"windows", windows}}},
  };
  report["scope"] = detail::compute_scope(ctx);
  report["machines"] = detail::compute_machines(ctx);
  report["network"] = detail::compute_network(ctx);
  report["history"] = detail::compute_history(ctx);  // from the system log: apart from every measured figure
  report["claims"] = detail::compute_claims(report, options.lang);
  return report;
}
}  // namespace

Result<void> digest_records(MachineInput& machine, const ReportOptions& options) {
  auto ctx = detail::base_context(options);
  if (!ctx) return ctx.error();
  try {
    machine.digest = std::make_shared<const detail::MachineDigest>(detail::digest_machine(ctx.value(), machine));
  } catch (const nlohmann::json::exception& e) {
    return Error{std::string("report: a stored record has an unexpected shape: ") + e.what()};
  }
  std::vector<Record>().swap(machine.records);
  return ok();
}

Result<nlohmann::json> compute_report(const ReportInput& input, const ReportOptions& options) {
  try {
    return compute_report_unchecked(input, options);
  } catch (const nlohmann::json::exception& e) {
    // A record of an unexpected shape: say so instead of crashing.
    return Error{std::string("report: a stored record has an unexpected shape: ") + e.what()};
  }
}

}  // namespace itsa::report
