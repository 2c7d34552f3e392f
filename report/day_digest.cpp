// Day digests: key, codec, merge (day_digest.hpp).
#include "report/day_digest.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>

#include "report/compute_detail.hpp"
#include "report/office_hours.hpp"

namespace itsa::report {

namespace detail {

namespace {

using json = nlohmann::json;

constexpr long long k_day_ms = 86'400'000;
/// Bumped whenever what a digest holds or how it is computed changes: old rows are then ignored.
constexpr int k_digest_format = 3;  // 2: disk health, instability, disk busy (issue 19); 3: history (issue 18)

json intervals_json(const IntervalSet& set) {
  json a = json::array();
  for (const Interval& i : set) a.push_back({i.start_ms, i.end_ms});
  return a;
}

IntervalSet intervals_from(const json& a) {
  IntervalSet set;
  for (const json& i : a.get_ref<const json::array_t&>())
    set.push_back({i.at(0).get<long long>(), i.at(1).get<long long>()});
  return normalize(std::move(set));
}

json optional_json(const std::optional<double>& v) {
  return v ? json(*v) : json(nullptr);
}

std::optional<double> optional_from(const json& v) {
  if (v.is_null()) return std::nullopt;
  return v.get<double>();
}

json counts_json(const std::map<long long, long long>& counts) {
  json a = json::array();
  for (const auto& [k, n] : counts) a.push_back({k, n});
  return a;
}

std::map<long long, long long> counts_from(const json& a) {
  std::map<long long, long long> counts;
  for (const json& p : a.get_ref<const json::array_t&>()) counts[p.at(0).get<long long>()] += p.at(1).get<long long>();
  return counts;
}

json doubles_json(const std::set<double>& values) {
  return json(std::vector<double>(values.begin(), values.end()));
}

std::set<double> doubles_from(const json& a) {
  const auto v = a.get<std::vector<double>>();
  return {v.begin(), v.end()};
}

template <class T>
void add_optional_min(std::optional<T>& into, const std::optional<T>& v) {
  if (v) into = into ? std::min(*into, *v) : *v;
}

template <class T>
void add_optional_max(std::optional<T>& into, const std::optional<T>& v) {
  if (v) into = into ? std::max(*into, *v) : *v;
}

IntervalSet united(const IntervalSet& a, const IntervalSet& b) {
  IntervalSet all = a;
  all.insert(all.end(), b.begin(), b.end());
  return normalize(std::move(all));
}

}  // namespace

json digest_to_json(const MachineDigest& d) {
  json outages = json::array();
  for (const MachineOutage& o : d.outages) {
    outages.push_back({{"id", o.id},
                       {"cause", o.cause},
                       {"raw", {o.raw.start_ms, o.raw.end_ms}},
                       {"counted", intervals_json(o.counted)},
                       {"synced", o.clock_synced},
                       {"if", o.interface},
                       {"seq", o.seq}});
  }
  json links = json::object();
  for (const auto& [name, s] : d.link_stats) {
    links[name] = {s.flaps,
                   s.flaps_near_power,
                   s.crc,
                   s.crc_minutes,
                   s.errors,
                   s.downgrades,
                   s.minutes,
                   s.minutes_below,
                   s.wireless,
                   optional_json(s.min_speed),
                   optional_json(s.max_speed)};
  }
  json layers = json::object();
  for (const auto& [name, l] : d.layers) {
    layers[name] = {{"sent", l.sent},
                    {"lost", l.lost},
                    {"minutes", l.minutes},
                    {"p50", counts_json(l.p50_centi_ms)},
                    {"p95", counts_json(l.p95_centi_ms)},
                    {"max", optional_json(l.max_rtt)},
                    {"jitter_sum", l.jitter_sum},
                    {"jitter_n", l.jitter_n}};
  }
  json instability = json::array();
  for (const auto& [id, e] : d.instability) instability.push_back({e.id, e.event, e.at_ms, e.cause, e.seq});
  json history = json::array();
  for (const auto& [id, h] : d.history)
    history.push_back({id, h.kind, h.count, h.first_ms, h.last_ms, h.before_install, h.source});
  json seen = json::array();
  for (const auto& [i, down, up] : d.settings_seen) seen.push_back({i, down, up});
  const ProbeSettings& ls = d.latest_settings;
  return {
      {"format", k_digest_format},
      {"window", intervals_json(d.window)},
      {"observed", intervals_json(d.observed)},
      {"unsynced", intervals_json(d.unsynced)},
      {"outages", outages},
      {"links", links},
      {"drops",
       {d.drops.short_drops, d.drops.wifi_disconnects, d.drops.link_down_blips, d.drops.lan_blips, d.drops.any_minute}},
      {"pressure", {d.pressure_minutes, d.cpu_over, d.mem_over, d.either_over}},
      {"disk_busy", {d.disk_busy_minutes, d.disk_busy_over}},
      {"instability", instability},
      {"history", history},
      {"disks", d.disks},
      {"disks_seq", d.disks_seq},
      {"disks_ms", d.disks_ms},
      {"layers", layers},
      {"degraded", {d.degraded_minutes, d.degraded_loss, d.degraded_latency}},
      {"version", d.lifecycle_version},
      {"version_seq", d.lifecycle_seq},
      {"intervals", doubles_json(d.intervals)},
      {"down_after", doubles_json(d.down_after)},
      {"up_after", doubles_json(d.up_after)},
      {"settings", {optional_json(ls.interval_s), optional_json(ls.down_after), optional_json(ls.up_after)}},
      {"settings_seq", d.settings_seq},
      {"settings_seen", seen},
      {"last_record_ms", d.last_record_ms},
      {"after_period", d.after_period}};
}

Result<MachineDigest> digest_from_json(const json& doc) {
  try {
    if (!doc.is_object()) return Error{"report: a stored day digest is not a JSON object"};
    if (doc.at("format").get<int>() != k_digest_format)
      return Error{"report: a stored day digest has format " + doc.at("format").dump() + ", expected " +
                   std::to_string(k_digest_format)};
    MachineDigest d;
    d.window = intervals_from(doc.at("window"));
    d.observed = intervals_from(doc.at("observed"));
    d.unsynced = intervals_from(doc.at("unsynced"));
    for (const json& o : doc.at("outages").get_ref<const json::array_t&>()) {
      MachineOutage m;
      m.id = o.at("id").get<std::string>();
      m.cause = o.at("cause").get<std::string>();
      m.raw = {o.at("raw").at(0).get<long long>(), o.at("raw").at(1).get<long long>()};
      m.counted = intervals_from(o.at("counted"));
      m.clock_synced = o.at("synced").get<bool>();
      m.interface = o.at("if").get<std::string>();
      m.seq = o.at("seq").get<long long>();
      d.outages.push_back(std::move(m));
    }
    for (const auto& [name, v] : doc.at("links").items()) {
      LinkStats s;
      s.flaps = v.at(0).get<long long>();
      s.flaps_near_power = v.at(1).get<long long>();
      s.crc = v.at(2).get<long long>();
      s.crc_minutes = v.at(3).get<long long>();
      s.errors = v.at(4).get<long long>();
      s.downgrades = v.at(5).get<long long>();
      s.minutes = v.at(6).get<long long>();
      s.minutes_below = v.at(7).get<long long>();
      s.wireless = v.at(8).get<bool>();
      s.min_speed = optional_from(v.at(9));
      s.max_speed = optional_from(v.at(10));
      d.link_stats[name] = s;
    }
    const json& drops = doc.at("drops");
    d.drops = {drops.at(0).get<long long>(), drops.at(1).get<long long>(), drops.at(2).get<long long>(),
               drops.at(3).get<long long>(), drops.at(4).get<bool>()};
    const json& pressure = doc.at("pressure");
    d.pressure_minutes = pressure.at(0).get<long long>();
    d.cpu_over = pressure.at(1).get<long long>();
    d.mem_over = pressure.at(2).get<long long>();
    d.either_over = pressure.at(3).get<long long>();
    const json& busy = doc.at("disk_busy");
    d.disk_busy_minutes = busy.at(0).get<long long>();
    d.disk_busy_over = busy.at(1).get<long long>();
    for (const json& e : doc.at("instability").get_ref<const json::array_t&>()) {
      InstabilityEvent ev{e.at(0).get<std::string>(), e.at(1).get<std::string>(), e.at(2).get<long long>(),
                          e.at(3).get<std::string>(), e.at(4).get<long long>()};
      d.instability[ev.id] = std::move(ev);
    }
    for (const json& h : doc.at("history").get_ref<const json::array_t&>())
      d.history[h.at(0).get<std::string>()] = {h.at(1).get<std::string>(), h.at(2).get<long long>(),
                                               h.at(3).get<long long>(),   h.at(4).get<long long>(),
                                               h.at(5).get<bool>(),        h.at(6).get<std::string>()};
    d.disks = doc.at("disks");
    if (!d.disks.is_null() && !d.disks.is_array())
      return Error{"report: a stored day digest is malformed: disks is neither null nor an array"};
    d.disks_seq = doc.at("disks_seq").get<long long>();
    d.disks_ms = doc.at("disks_ms").get<long long>();
    for (const auto& [name, v] : doc.at("layers").items()) {
      LayerDigest l;
      l.sent = v.at("sent").get<long long>();
      l.lost = v.at("lost").get<long long>();
      l.minutes = v.at("minutes").get<long long>();
      l.p50_centi_ms = counts_from(v.at("p50"));
      l.p95_centi_ms = counts_from(v.at("p95"));
      l.max_rtt = optional_from(v.at("max"));
      l.jitter_sum = v.at("jitter_sum").get<double>();
      l.jitter_n = v.at("jitter_n").get<long long>();
      d.layers[name] = std::move(l);
    }
    const json& degraded = doc.at("degraded");
    d.degraded_minutes = degraded.at(0).get<long long>();
    d.degraded_loss = degraded.at(1).get<long long>();
    d.degraded_latency = degraded.at(2).get<long long>();
    d.lifecycle_version = doc.at("version").get<std::string>();
    d.lifecycle_seq = doc.at("version_seq").get<long long>();
    d.intervals = doubles_from(doc.at("intervals"));
    d.down_after = doubles_from(doc.at("down_after"));
    d.up_after = doubles_from(doc.at("up_after"));
    const json& ls = doc.at("settings");
    d.latest_settings = {optional_from(ls.at(0)), optional_from(ls.at(1)), optional_from(ls.at(2))};
    d.settings_seq = doc.at("settings_seq").get<long long>();
    for (const json& s : doc.at("settings_seen").get_ref<const json::array_t&>())
      d.settings_seen.insert({s.at(0).get<double>(), s.at(1).get<double>(), s.at(2).get<double>()});
    d.last_record_ms = doc.at("last_record_ms").get<long long>();
    d.after_period = doc.at("after_period").get<bool>();
    return d;
  } catch (const json::exception& e) {
    return Error{std::string("report: a stored day digest is malformed: ") + e.what()};
  }
}

void merge_digest(MachineDigest& into, const MachineDigest& day) {
  into.observed = united(into.observed, day.observed);
  into.unsynced = united(into.unsynced, day.unsynced);
  for (const MachineOutage& o : day.outages) {
    const auto same =
        std::find_if(into.outages.begin(), into.outages.end(), [&](const MachineOutage& x) { return x.id == o.id; });
    if (same == into.outages.end()) {
      into.outages.push_back(o);
      continue;
    }
    same->counted = united(same->counted, o.counted);
    same->raw = {std::min(same->raw.start_ms, o.raw.start_ms), std::max(same->raw.end_ms, o.raw.end_ms)};
    if (o.seq > same->seq) {  // the latest record of the id says what it was
      same->cause = o.cause;
      same->clock_synced = o.clock_synced;
      same->interface = o.interface;
      same->seq = o.seq;
    }
  }
  for (const auto& [name, s] : day.link_stats) {
    LinkStats& t = into.link_stats[name];
    t.flaps += s.flaps;
    t.flaps_near_power += s.flaps_near_power;
    t.crc += s.crc;
    t.crc_minutes += s.crc_minutes;
    t.errors += s.errors;
    t.downgrades += s.downgrades;
    t.minutes += s.minutes;
    t.minutes_below += s.minutes_below;
    t.wireless = t.wireless || s.wireless;
    add_optional_min(t.min_speed, s.min_speed);
    add_optional_max(t.max_speed, s.max_speed);
  }
  into.drops.short_drops += day.drops.short_drops;
  into.drops.wifi_disconnects += day.drops.wifi_disconnects;
  into.drops.link_down_blips += day.drops.link_down_blips;
  into.drops.lan_blips += day.drops.lan_blips;
  into.drops.any_minute = into.drops.any_minute || day.drops.any_minute;
  into.pressure_minutes += day.pressure_minutes;
  into.cpu_over += day.cpu_over;
  into.mem_over += day.mem_over;
  into.either_over += day.either_over;
  into.disk_busy_minutes += day.disk_busy_minutes;
  into.disk_busy_over += day.disk_busy_over;
  for (const auto& [id, e] : day.instability) {  // the latest record of an id says what it was
    const auto it = into.instability.find(id);
    if (it == into.instability.end() || it->second.seq < e.seq) into.instability[id] = e;
  }
  for (const auto& [id, h] : day.history) into.history[id] = h;  // an id is one group of events
  if (day.disks_seq > into.disks_seq) {                          // the latest reading of the period
    into.disks = day.disks;
    into.disks_seq = day.disks_seq;
    into.disks_ms = day.disks_ms;
  }
  for (const auto& [name, l] : day.layers) {
    LayerDigest& t = into.layers[name];
    t.sent += l.sent;
    t.lost += l.lost;
    t.minutes += l.minutes;
    for (const auto& [k, n] : l.p50_centi_ms) t.p50_centi_ms[k] += n;
    for (const auto& [k, n] : l.p95_centi_ms) t.p95_centi_ms[k] += n;
    add_optional_max(t.max_rtt, l.max_rtt);
    t.jitter_sum += l.jitter_sum;
    t.jitter_n += l.jitter_n;
  }
  into.degraded_minutes += day.degraded_minutes;
  into.degraded_loss += day.degraded_loss;
  into.degraded_latency += day.degraded_latency;
  if (day.lifecycle_seq > into.lifecycle_seq) {
    into.lifecycle_version = day.lifecycle_version;
    into.lifecycle_seq = day.lifecycle_seq;
  }
  into.intervals.insert(day.intervals.begin(), day.intervals.end());
  into.down_after.insert(day.down_after.begin(), day.down_after.end());
  into.up_after.insert(day.up_after.begin(), day.up_after.end());
  if (day.settings_seq > into.settings_seq) {
    into.latest_settings = day.latest_settings;
    into.settings_seq = day.settings_seq;
  }
  into.settings_seen.insert(day.settings_seen.begin(), day.settings_seen.end());
  into.last_record_ms = std::max(into.last_record_ms, day.last_record_ms);
}

}  // namespace detail

std::string digest_key(const ReportOptions& options) {
  const OfficeSchedule& s = options.schedule;
  std::string key = "d" + std::to_string(detail::k_digest_format) + "|" +
                    (options.hours == HoursMode::office ? "office" : "all") + "|" + std::to_string(s.utc_offset_min) +
                    "|";
  for (bool day : s.weekdays) key += day ? '1' : '0';
  if (options.hours == HoursMode::office) {
    for (const DailyWindow& w : s.windows) key += "|" + std::to_string(w.start_min) + "-" + std::to_string(w.end_min);
  }
  return key;
}

Result<std::pair<long long, long long>> period_days(const ReportOptions& options) {
  auto period = period_ms(options);
  if (!period) return period.error();
  return std::pair{local_day(options.schedule, period.value().first),
                   local_day(options.schedule, period.value().second - 1)};
}

std::pair<long long, long long> day_record_range(const OfficeSchedule& schedule, long long day) {
  const long long start = day * detail::k_day_ms - static_cast<long long>(schedule.utc_offset_min) * 60'000;
  return {start - detail::k_day_ms, start + 2 * detail::k_day_ms};
}

Result<std::string> digest_day(const MachineInput& machine, long long day, const ReportOptions& options) {
  ReportOptions one = options;
  one.from_date = one.to_date = format_date(day);
  auto ctx = detail::base_context(one);
  if (!ctx) return ctx.error();
  try {
    return detail::digest_to_json(detail::digest_machine(ctx.value(), machine)).dump();
  } catch (const nlohmann::json::exception& e) {
    return Error{std::string("report: a stored record has an unexpected shape: ") + e.what()};
  }
}

DayDigestMerger::DayDigestMerger() : m_merged(std::make_unique<detail::MachineDigest>()) {}
DayDigestMerger::~DayDigestMerger() = default;
DayDigestMerger::DayDigestMerger(DayDigestMerger&&) noexcept = default;
DayDigestMerger& DayDigestMerger::operator=(DayDigestMerger&&) noexcept = default;

Result<void> DayDigestMerger::add(const std::string& day_digest, const std::string& hostname) {
  auto day = detail::digest_from_json(nlohmann::json::parse(day_digest, nullptr, false));
  if (!day) return Error{day.error().message + " (" + hostname + ")"};
  detail::merge_digest(*m_merged, day.value());
  return ok();
}

Result<void> DayDigestMerger::finish(MachineInput& machine, const ReportOptions& options) {
  auto ctx = detail::base_context(options);
  if (!ctx) return ctx.error();
  detail::MachineDigest merged = std::move(*m_merged);
  m_merged = std::make_unique<detail::MachineDigest>();
  // In id order, as a period's digest lists them (observe_machine's map).
  std::sort(merged.outages.begin(), merged.outages.end(),
            [](const detail::MachineOutage& a, const detail::MachineOutage& b) { return a.id < b.id; });
  merged.window = ctx.value().window;
  merged.after_period = merged.last_record_ms >= ctx.value().to_ms;
  machine.digest = std::make_shared<const detail::MachineDigest>(std::move(merged));
  std::vector<Record>().swap(machine.records);
  return ok();
}

Result<void> set_digest_from_days(MachineInput& machine, const std::vector<std::string>& days,
                                  const ReportOptions& options) {
  DayDigestMerger merger;
  for (const std::string& text : days)
    if (auto r = merger.add(text, machine.hostname); !r) return r;
  return merger.finish(machine, options);
}

}  // namespace itsa::report
