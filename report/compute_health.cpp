// Wear and failure measured on each PC (issue 19 item 5): the system disk's health verdict from
// the latest `disk_health` reading of the period, unexpected shutdowns and OS crashes from
// `instability` records (power cuts of a site kept apart from one PC's own trouble), and the
// share of office minutes with the system disk 90% busy or more (pressure_minute disk_busy_pct);
// boot time median, battery wear and thermal throttling from the latest inventory (wear.cpp).
#include <algorithm>
#include <set>

#include "common/time_format.hpp"
#include "protocol/record_types.hpp"
#include "report/compute_detail.hpp"
#include "report/facts.hpp"
#include "report/minutes.hpp"
#include "report/text.hpp"

namespace rt = itsa::protocol::record_type;

namespace itsa::report::detail {

namespace {

using json = nlohmann::json;

constexpr long long k_power_cut_window_ms = 5 * 60'000;  // shutdowns of a site within 5 minutes: one power cut
constexpr int k_power_cut_min_pcs = 2;                   // ... of at least 2 PCs
constexpr double k_disk_machine_share_pct = 10.0;        // a PC "often disk-saturated" from this share of minutes
constexpr double k_slow_boot_s = 120.0;                  // a boot median above this: a slow start (docs/report.md)
constexpr double k_worn_battery_pct = 40.0;              // a battery that lost this much of its design capacity

/// What the report keeps of one disk of a reading: identity, verdict, the deciding reason, the
/// figures a reader checks (null where the disk does not report them).
json trimmed_disk(const json& d) {
  json out = json::object();
  for (const char* key :
       {"device", "model", "serial", "kind", "ssd", "verdict", "power_on_hours", "reallocated_sectors",
        "pending_sectors", "offline_uncorrectable", "wear_pct", "media_errors", "critical_warning"}) {
    const auto it = d.find(key);
    out[key] = it == d.end() ? json(nullptr) : *it;
  }
  out["reason"] = nullptr;
  if (const auto reasons = d.find("reasons"); reasons != d.end() && reasons->is_array() && !reasons->empty()) {
    const json& first = reasons->front();
    if (first.is_object())
      out["reason"] = {{"code", get_or(first, "code", std::string())},
                       {"en", get_or(first, "en", std::string())},
                       {"vi", get_or(first, "vi", std::string())}};
  }
  return out;
}

/// The last path element of a device name ("/dev/sda" -> "sda", "\\.\PhysicalDrive0" -> "PhysicalDrive0").
std::string device_name(const json& disk) {
  std::string dev = get_or(disk, "device", std::string());
  const auto cut = dev.find_last_of("/\\");
  return cut == std::string::npos ? dev : dev.substr(cut + 1);
}

/// The system disk of a reading: the inventory's system disk by name, else the only disk read.
const json* system_disk_of(const json& disks, const std::optional<json>& inventory) {
  if (!disks.is_array() || disks.empty()) return nullptr;
  if (inventory && inventory->is_object()) {
    if (const auto inv = inventory->find("disks"); inv != inventory->end() && inv->is_array()) {
      for (const json& d : *inv) {
        if (!d.is_object() || !get_or(d, "system", false)) continue;
        const std::string name = get_or(d, "name", std::string());
        for (const json& read : disks)
          if (!name.empty() && device_name(read) == name) return &read;
      }
    }
  }
  return disks.size() == 1 ? &disks.front() : nullptr;
}

std::string verdict_of(const json& disk) {
  const std::string v = get_or(disk, "verdict", std::string("unknown"));
  return v == "failing" || v == "worn" || v == "ok" ? v : "unknown";
}

}  // namespace

void digest_health(const Context& ctx, const MachineInput& machine, MachineDigest& digest) {
  for (const Record& r : machine.records) {
    if (r.type != rt::disk_health && r.type != rt::instability) continue;
    // By the time the record was made: a day's digest reads the records made that day (the
    // agent writes a shutdown at the next start, possibly days after the PC went down).
    const long long made = to_unix_ms(r.time);
    if (made < ctx.from_ms || made >= ctx.to_ms) continue;
    if (r.type == rt::disk_health) {
      const auto disks = r.payload.find("disks");
      if (disks == r.payload.end() || !disks->is_array() || r.seq <= digest.disks_seq) continue;
      json kept = json::array();
      for (const json& d : *disks)
        if (d.is_object()) kept.push_back(trimmed_disk(d));
      digest.disks = std::move(kept);
      digest.disks_seq = r.seq;
      digest.disks_ms = made;
      continue;
    }
    const std::string id = get_or(r.payload, "id", std::string());
    const std::string event = get_or(r.payload, "event", std::string());
    if (id.empty() || (event != "unexpected_shutdown" && event != "os_crash")) continue;
    InstabilityEvent e;
    e.id = id;
    e.event = event;
    e.at_ms = time_field(r.payload, event == "os_crash" ? "at" : "last_seen").value_or(made);
    if (event == "unexpected_shutdown")
      e.cause = get_or(r.payload, "cause", std::string()) == "os_crash" ? "os_crash" : "unknown";
    e.seq = r.seq;
    const auto it = digest.instability.find(id);
    if (it == digest.instability.end() || it->second.seq < e.seq) digest.instability[id] = std::move(e);
  }
}

json compute_health(const Context& ctx, json& machine_rows) {
  const ReportOptions& options = *ctx.options;
  const Lang lang = options.lang;
  std::map<std::string, int> disk_counts = {{"failing", 0}, {"worn", 0}, {"ok", 0}, {"unknown", 0}, {"not_read", 0}};
  // Unexpected shutdowns of unknown cause, per site, for the power-cut rule.
  struct Shutdown {
    std::string site;
    long long at_ms;
    std::size_t machine;
    std::string id;
  };
  std::vector<Shutdown> shutdowns;
  for (std::size_t i = 0; i < ctx.machines.size(); ++i) {
    const MachineDigest& d = *ctx.digests[i];
    for (const auto& [id, e] : d.instability) {
      if (e.event != "unexpected_shutdown" || e.cause == "os_crash") continue;
      if (e.at_ms < ctx.from_ms || e.at_ms >= ctx.to_ms) continue;
      shutdowns.push_back({ctx.machines[i]->site, e.at_ms, i, id});
    }
  }
  std::sort(shutdowns.begin(), shutdowns.end(), [](const Shutdown& a, const Shutdown& b) {
    return a.site != b.site ? a.site < b.site : a.at_ms != b.at_ms ? a.at_ms < b.at_ms : a.machine < b.machine;
  });
  std::set<std::pair<std::size_t, std::string>> in_power_cut;  // (machine, event id)
  json power_cuts = json::array();
  std::set<std::size_t> power_cut_machines;
  for (std::size_t a = 0; a < shutdowns.size();) {
    std::size_t b = a + 1;
    while (b < shutdowns.size() && shutdowns[b].site == shutdowns[a].site &&
           shutdowns[b].at_ms - shutdowns[a].at_ms <= k_power_cut_window_ms)
      ++b;
    std::set<std::size_t> pcs;
    for (std::size_t k = a; k < b; ++k) pcs.insert(shutdowns[k].machine);
    if (static_cast<int>(pcs.size()) >= k_power_cut_min_pcs) {
      json hosts = json::array();
      for (std::size_t k = a; k < b; ++k) in_power_cut.insert({shutdowns[k].machine, shutdowns[k].id});
      for (std::size_t pc : pcs) {
        hosts.push_back(ctx.machines[pc]->hostname);
        power_cut_machines.insert(pc);
      }
      power_cuts.push_back({{"site", shutdowns[a].site},
                            {"start", utc_text(shutdowns[a].at_ms)},
                            {"start_local", local_text(options.schedule, shutdowns[a].at_ms)},
                            {"end", utc_text(shutdowns[b - 1].at_ms)},
                            {"shutdowns", b - a},
                            {"machines", hosts}});
    }
    a = b;
  }

  long long total_shutdowns = 0, cut_shutdowns = 0, crashes = 0;
  int machines_own = 0, machines_crashed = 0, machines_unstable = 0;
  long long disk_minutes = 0, disk_over = 0;
  int disk_with_data = 0, disk_saturated = 0;
  int boot_with_data = 0, boot_slow = 0, boot_slow_hdd = 0, battery_with_data = 0, battery_worn = 0;
  int throttle_with_data = 0, throttled = 0;
  std::vector<double> boot_medians;
  for (std::size_t i = 0; i < ctx.machines.size() && i < machine_rows.size(); ++i) {
    const MachineInput& m = *ctx.machines[i];
    const MachineDigest& d = *ctx.digests[i];
    json& row = machine_rows[i];

    // The system disk's verdict, as the latest reading of the period says.
    json disk = {{"verdict", nullptr},
                 {"device", nullptr},
                 {"model", nullptr},
                 {"reason_code", nullptr},
                 {"reason", nullptr},
                 {"reason_texts", nullptr},
                 {"read_at", nullptr},
                 {"disks_read", 0},
                 {"other_disks_failing_or_worn", 0},
                 {"power_on_hours", nullptr},
                 {"reallocated_sectors", nullptr},
                 {"pending_sectors", nullptr},
                 {"wear_pct", nullptr}};
    if (d.disks.is_array()) {
      disk["read_at"] = utc_text(d.disks_ms);
      disk["disks_read"] = d.disks.size();
      const json* sys = system_disk_of(d.disks, m.inventory);
      int others = 0;
      for (const json& one : d.disks) {
        const std::string v = verdict_of(one);
        if (&one != sys && (v == "failing" || v == "worn")) ++others;
      }
      disk["other_disks_failing_or_worn"] = others;
      if (sys) {
        const std::string v = verdict_of(*sys);
        disk["verdict"] = v;
        for (const char* key :
             {"device", "model", "power_on_hours", "reallocated_sectors", "pending_sectors", "wear_pct"})
          disk[key] = (*sys)[key];
        const json& reason = (*sys)["reason"];
        if (reason.is_object()) {
          disk["reason_code"] = reason["code"];
          std::string text = get_or(reason, lang == Lang::vi ? "vi" : "en", std::string());
          if (text.empty()) text = get_or(reason, "en", std::string());
          disk["reason"] = text;
          disk["reason_texts"] = {{"vi", get_or(reason, "vi", std::string())},
                                  {"en", get_or(reason, "en", std::string())}};
        }
        ++disk_counts[v];
      } else {
        disk["verdict"] = "unknown";
        disk["reason_code"] = "system_disk_not_identified";
        disk["reason"] = label("disk_system_not_identified", lang);
        disk["reason_texts"] = {{"vi", label("disk_system_not_identified", Lang::vi)},
                                {"en", label("disk_system_not_identified", Lang::en)}};
        ++disk_counts["unknown"];
      }
    } else {
      ++disk_counts["not_read"];
    }
    row["disk_health"] = disk;

    // Unexpected shutdowns and crashes that happened in the period.
    long long own = 0, cut = 0, crashed = 0, by_crash = 0;
    for (const auto& [id, e] : d.instability) {
      if (e.at_ms < ctx.from_ms || e.at_ms >= ctx.to_ms) continue;
      if (e.event == "os_crash") {
        ++crashed;
      } else if (in_power_cut.contains({i, id})) {
        ++cut;
      } else {
        ++own;
        if (e.cause == "os_crash") ++by_crash;
      }
    }
    row["instability"] = {{"unexpected_shutdowns", own + cut},
                          {"power_cut_shutdowns", cut},
                          {"own_shutdowns", own},
                          {"own_shutdowns_after_crash", by_crash},
                          {"os_crashes", crashed}};
    total_shutdowns += own + cut;
    cut_shutdowns += cut;
    crashes += crashed;
    machines_own += own > 0 ? 1 : 0;
    machines_crashed += crashed > 0 ? 1 : 0;
    machines_unstable += own > 0 || crashed > 0 ? 1 : 0;

    // The system disk's busy share: office minutes with disk_busy_pct >= 90.
    const auto pct = [](long long part, long long of) {
      return of > 0 ? json(round_to(100.0 * static_cast<double>(part) / static_cast<double>(of), 2)) : json(nullptr);
    };
    row["disk_saturation"] = {{"minutes", d.disk_busy_minutes},
                              {"busy_90_minutes", d.disk_busy_over},
                              {"busy_90_pct", pct(d.disk_busy_over, d.disk_busy_minutes)}};
    if (d.disk_busy_minutes > 0) {
      ++disk_with_data;
      disk_minutes += d.disk_busy_minutes;
      disk_over += d.disk_busy_over;
      if (100.0 * static_cast<double>(d.disk_busy_over) / static_cast<double>(d.disk_busy_minutes) >=
          k_disk_machine_share_pct)
        ++disk_saturated;
    }

    // Boot time median, battery wear and thermal throttling: the latest inventory, as the
    // machine's other facts (its collected_at is read_at).
    const WearFacts wear = m.inventory ? wear_facts(*m.inventory) : WearFacts{};
    row["wear"] = wear_json(wear);
    if (wear.boot_median_s) {
      ++boot_with_data;
      boot_medians.push_back(*wear.boot_median_s);
      if (*wear.boot_median_s > k_slow_boot_s) {
        ++boot_slow;
        if (row["system_disk"] == "hdd") ++boot_slow_hdd;
      }
    }
    if (wear.battery_wear_pct) {
      ++battery_with_data;
      if (*wear.battery_wear_pct >= k_worn_battery_pct) ++battery_worn;
    }
    if (wear.throttle_events) {
      ++throttle_with_data;
      if (*wear.throttle_events > 0) ++throttled;
    }
  }
  json boot_median = nullptr;
  if (!boot_medians.empty()) {
    std::sort(boot_medians.begin(), boot_medians.end());
    const std::size_t n = boot_medians.size();
    boot_median = round_to(n % 2 == 1 ? boot_medians[n / 2] : (boot_medians[n / 2 - 1] + boot_medians[n / 2]) / 2.0, 1);
  }
  const int read = disk_counts["failing"] + disk_counts["worn"] + disk_counts["ok"];
  return {{"disk",
           {{"failing", disk_counts["failing"]},
            {"worn", disk_counts["worn"]},
            {"ok", disk_counts["ok"]},
            {"unknown", disk_counts["unknown"]},
            {"not_read", disk_counts["not_read"]},
            {"judged", read},
            {"failing_or_worn", disk_counts["failing"] + disk_counts["worn"]}}},
          {"instability",
           {{"unexpected_shutdowns", total_shutdowns},
            {"power_cut_shutdowns", cut_shutdowns},
            {"own_shutdowns", total_shutdowns - cut_shutdowns},
            {"machines_own_shutdowns", machines_own},
            {"os_crashes", crashes},
            {"machines_os_crashes", machines_crashed},
            {"machines_unstable", machines_unstable},
            {"power_cuts", power_cuts.size()},
            {"power_cut_machines", power_cut_machines.size()},
            {"power_cut_window_s", k_power_cut_window_ms / 1000},
            {"power_cut_min_pcs", k_power_cut_min_pcs},
            {"power_cut_events", power_cuts}}},
          {"disk_saturation",
           {{"threshold_pct", k_disk_busy_threshold_pct},
            {"machine_share_pct", k_disk_machine_share_pct},
            {"machines_with_data", disk_with_data},
            {"machines_often_saturated", disk_saturated},
            {"minutes", disk_minutes},
            {"over_90_pct",
             disk_minutes > 0
                 ? json(round_to(100.0 * static_cast<double>(disk_over) / static_cast<double>(disk_minutes), 2))
                 : json(nullptr)}}},
          {"boot",
           {{"slow_threshold_s", k_slow_boot_s},
            {"machines_with_data", boot_with_data},
            {"median_of_medians_s", boot_median},
            {"machines_slow", boot_slow},
            {"machines_slow_hdd", boot_slow_hdd}}},
          {"battery",
           {{"worn_threshold_pct", k_worn_battery_pct},
            {"machines_with_data", battery_with_data},
            {"machines_worn", battery_worn}}},
          {"thermal", {{"machines_with_data", throttle_with_data}, {"machines_throttled", throttled}}}};
}

}  // namespace itsa::report::detail
