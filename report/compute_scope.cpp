// The "scope" section: which machines, how much observed time, probe settings, agent
// versions, clock-sync state and the limits of the evidence.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "config/defaults.hpp"
#include "protocol/payloads.hpp"
#include "protocol/record_types.hpp"
#include "report/compute_detail.hpp"

namespace ek = itsa::protocol::evidence_key;

namespace rt = itsa::protocol::record_type;

namespace itsa::report::detail {

namespace {

/// Looks for a probe setting in a payload's evidence / detail objects.
std::optional<double> probe_setting(const nlohmann::json& payload, std::initializer_list<const char*> keys) {
  for (const char* holder : {"evidence", "detail", "probes", "settings"}) {
    const auto it = payload.find(holder);
    if (it == payload.end() || !it->is_object()) continue;
    for (const char* key : keys) {
      if (auto v = number_field(*it, key)) return v;
      const auto nested = it->find("probes");
      if (nested != it->end() && nested->is_object()) {
        if (auto v2 = number_field(*nested, key)) return v2;
      }
    }
  }
  return std::nullopt;
}

nlohmann::json value_or_null(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

void digest_scope(const MachineInput& machine, MachineDigest& digest) {
  for (const Record& r : machine.records) {
    if (r.type == rt::lifecycle && r.seq > digest.lifecycle_seq) {
      const auto it = r.payload.find("agent_version");
      if (it != r.payload.end() && it->is_string() && !it->get<std::string>().empty()) {
        digest.lifecycle_version = it->get<std::string>();
        digest.lifecycle_seq = r.seq;
      }
    }
    if (r.type == rt::outage || r.type == rt::lifecycle) {
      ProbeSettings ps{probe_setting(r.payload, {ek::probe_interval_s, "interval_s"}),
                       probe_setting(r.payload, {ek::down_after}), probe_setting(r.payload, {ek::up_after})};
      if (ps.interval_s) digest.intervals.insert(*ps.interval_s);
      if (ps.down_after) digest.down_after.insert(*ps.down_after);
      if (ps.up_after) digest.up_after.insert(*ps.up_after);
      if (ps.any()) {
        digest.settings_seen.insert(ps.key());
        if (r.seq > digest.settings_seq) {
          digest.latest_settings = ps;
          digest.settings_seq = r.seq;
        }
      }
    }
  }
}

nlohmann::json compute_scope(const Context& ctx) {
  nlohmann::json scope;
  std::set<std::string> sites;
  long long observed_ms = 0;
  long long unsynced_ms = 0;
  nlohmann::json not_observed = nlohmann::json::array();
  nlohmann::json without_inventory = nlohmann::json::array();
  nlohmann::json unsynced_machines = nlohmann::json::array();
  std::map<std::string, int> versions;
  std::set<double> intervals;
  std::set<double> down_after;
  std::set<double> up_after;
  // Each machine's latest recorded settings, grouped: (interval, down, up) -> hostnames.
  std::map<std::tuple<double, double, double>, std::pair<ProbeSettings, nlohmann::json>> by_setting;
  nlohmann::json settings_not_recorded = nlohmann::json::array();
  nlohmann::json settings_changed = nlohmann::json::array();
  nlohmann::json pending = nlohmann::json::array();
  std::vector<Interval> any_observed;

  for (std::size_t m = 0; m < ctx.machines.size(); ++m) {
    const MachineInput& mi = *ctx.machines[m];
    any_observed.insert(any_observed.end(), ctx.observed[m].begin(), ctx.observed[m].end());
    // Records made before the period end and none after it: the PC has not yet sent what it
    // recorded since (a coverage span travels at its next start).
    if (const MachineDigest& d = *ctx.digests[m]; d.last_record_ms > 0 && !d.after_period) {
      pending.push_back({{"hostname", mi.hostname},
                         {"site", mi.site},
                         {"data_until", utc_text(d.last_record_ms)},
                         {"data_until_local", local_text(ctx.options->schedule, d.last_record_ms)}});
    }
    sites.insert(mi.site);
    const long long obs = total_ms(ctx.observed[m]);
    observed_ms += obs;
    unsynced_ms += total_ms(ctx.unsynced[m]);
    if (obs == 0) not_observed.push_back(mi.hostname);
    if (!mi.inventory) without_inventory.push_back(mi.hostname);
    if (total_ms(ctx.unsynced[m]) > 0) unsynced_machines.push_back(mi.hostname);

    const MachineDigest& digest = *ctx.digests[m];
    std::string version = digest.lifecycle_version.empty() ? mi.agent_version : digest.lifecycle_version;
    intervals.insert(digest.intervals.begin(), digest.intervals.end());
    down_after.insert(digest.down_after.begin(), digest.down_after.end());
    up_after.insert(digest.up_after.begin(), digest.up_after.end());
    const ProbeSettings& latest = digest.latest_settings;
    if (latest.any()) {
      auto& group = by_setting[latest.key()];
      group.first = latest;
      group.second.push_back(mi.hostname);
    } else {
      settings_not_recorded.push_back(mi.hostname);
    }
    if (digest.settings_changed()) settings_changed.push_back(mi.hostname);
    if (version.empty() && mi.inventory && mi.inventory->is_object()) {
      version = get_or(*mi.inventory, "agent_version", std::string());
    }
    ++versions[version.empty() ? "unknown" : version];
  }

  long long outages_unsynced = 0;
  for (const MachineOutage& o : ctx.outages) {
    if (!o.clock_synced) ++outages_unsynced;
  }

  const auto list = [](const std::set<double>& values) {
    nlohmann::json out = nlohmann::json::array();
    for (double v : values) out.push_back(v);
    return out;
  };
  nlohmann::json version_list = nlohmann::json::array();
  for (const auto& [v, count] : versions) version_list.push_back({{"version", v}, {"machines", count}});

  const long long window_ms = total_ms(ctx.window);
  const long long possible_ms = window_ms * static_cast<long long>(ctx.machines.size());
  // Working days of the period, and those on which at least one machine was observed.
  const auto [working, observed_days] = working_days(ctx, normalize(std::move(any_observed)));
  scope["working_days"] = working;
  scope["observed_working_days"] = observed_days;
  scope["machines_pending"] = pending;
  scope["frequency_minimums"] = {{"pc_hours", ctx.options->minimums.pc_hours},
                                 {"working_days", ctx.options->minimums.working_days},
                                 {"coverage_pct", ctx.options->minimums.coverage_pct}};
  scope["sites"] = std::vector<std::string>(sites.begin(), sites.end());
  scope["machines_total"] = ctx.machines.size();
  scope["machines_observed"] = ctx.machines.size() - not_observed.size();
  scope["machines_not_observed"] = not_observed;
  scope["machines_without_inventory"] = without_inventory;
  scope["observed_s"] = seconds(observed_ms);
  scope["observed_pc_hours"] = round_to(static_cast<double>(observed_ms) / 3'600'000.0, 2);
  scope["possible_s"] = seconds(possible_ms);
  scope["coverage_pct"] =
      possible_ms > 0
          ? nlohmann::json(round_to(100.0 * static_cast<double>(observed_ms) / static_cast<double>(possible_ms), 2))
          : nlohmann::json(nullptr);
  nlohmann::json settings = nlohmann::json::array();
  for (const auto& [key, group] : by_setting) {
    settings.push_back({{"interval_s", value_or_null(group.first.interval_s)},
                        {"down_after", value_or_null(group.first.down_after)},
                        {"up_after", value_or_null(group.first.up_after)},
                        {"machines", group.second}});
  }
  scope["probe"] = {{"interval_s", list(intervals)},
                    {"down_after", list(down_after)},
                    {"up_after", list(up_after)},
                    {"recorded", !intervals.empty() || !down_after.empty() || !up_after.empty()},
                    {"settings", settings},
                    {"mixed", settings.size() > 1 || !settings_changed.empty()},
                    {"machines_not_recorded", settings_not_recorded},
                    {"machines_changed", settings_changed},
                    {"defaults",
                     {{"interval_s", config::defaults::probe_interval_s},
                      {"down_after", config::defaults::probe_down_after},
                      {"up_after", config::defaults::probe_up_after}}}};
  scope["agent_versions"] = version_list;
  scope["clock"] = {
      {"unsynced_s", seconds(unsynced_ms)},
      {"synced_pct", observed_ms > 0 ? nlohmann::json(round_to(100.0 * static_cast<double>(observed_ms - unsynced_ms) /
                                                                   static_cast<double>(observed_ms),
                                                               2))
                                     : nlohmann::json(nullptr)},
      {"machines_unsynced", unsynced_machines},
      {"outages_unsynced", outages_unsynced}};
  return scope;
}

}  // namespace itsa::report::detail
