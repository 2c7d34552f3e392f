#include "server/web/views.hpp"

#include "common/minute_series.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "common/minute_series.hpp"
#include "common/time_format.hpp"
#include "protocol/record_types.hpp"
#include "report/office_hours.hpp"
#include "server/report/report_input.hpp"

namespace rt = itsa::protocol::record_type;

namespace itsa::server {
namespace {

using nlohmann::json;

std::int64_t time_ms_of(const json& v, std::int64_t fallback) {
  if (!v.is_string()) return fallback;
  auto t = parse_rfc3339(v.get<std::string>());
  return t ? to_unix_ms(*t) : fallback;
}

json parse_payload(const StoredRecord& rec) {
  auto doc = json::parse(rec.payload_json, nullptr, false);
  return doc.is_discarded() ? json::object() : doc;
}

/// Coverage and outages of one agent, folded from its records (latest seq wins).
struct AgentSpans {
  std::map<std::int64_t, Span> coverage;      ///< by start
  std::map<std::string, OutageView> outages;  ///< by id

  void add(const StoredRecord& rec, const json& p) {
    if (rec.type == rt::coverage) {
      auto start = time_ms_of(p.value("start", json()), -1);
      if (start < 0) return;
      auto end = time_ms_of(p.value("end", json()), rec.time_ms);
      coverage[start] = Span{start, std::max(start, end)};
    } else if (rec.type == rt::outage) {
      OutageView o;
      o.agent_id = rec.agent_id;
      o.id = p.value("id", json()).is_string() ? p["id"].get<std::string>() : std::to_string(rec.seq);
      o.cause = p.value("cause", json()).is_string() ? p["cause"].get<std::string>() : "unknown";
      o.interface_name = p.value("interface", json()).is_string() ? p["interface"].get<std::string>() : "";
      o.open = p.value("state", json()) == "open";
      o.span.start_ms = time_ms_of(p.value("start", json()), rec.time_ms);
      o.span.end_ms = std::max<long long>(o.span.start_ms, time_ms_of(p.value("end", json()), rec.time_ms));
      outages[o.id] = o;
    }
  }
  std::vector<Span> coverage_list() const {
    std::vector<Span> out;
    for (const auto& [start, span] : coverage) out.push_back(span);
    return out;
  }
  std::vector<OutageView> outage_list() const {
    std::vector<OutageView> out;
    for (const auto& [id, o] : outages) out.push_back(o);
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.span.start_ms < b.span.start_ms; });
    return out;
  }
};

}  // namespace

Availability availability_of(const json& row) {
  Availability a;
  if (!row.is_object()) return a;
  a.observed_s = row.value("observed_s", 0.0);
  a.outage_s = row.value("downtime_s", 0.0);
  return a;
}

namespace {

/// The report's machines.list rows by agent_id (disk health and instability).
std::map<std::string, json> machine_list_by_agent(const json& report) {
  std::map<std::string, json> out;
  for (const auto& row : report["machines"]["list"]) out[row.value("agent_id", std::string())] = row;
  return out;
}

/// Disk health and instability of a machine, as the report's row says (compute_health.cpp).
void set_health(MachineRow& row, const json& list_row) {
  const json& disk = list_row["disk_health"];
  if (disk.is_object() && disk["verdict"].is_string()) {
    row.disk_verdict = disk["verdict"].get<std::string>();
    row.disk_reason = disk["reason_texts"];
  }
  const json& inst = list_row["instability"];
  if (inst.is_object()) {
    row.own_shutdowns_30d = inst.value("own_shutdowns", 0LL);
    row.power_cut_shutdowns_30d = inst.value("power_cut_shutdowns", 0LL);
    row.os_crashes_30d = inst.value("os_crashes", 0LL);
  }
}

/// The report's per_machine rows by agent_id.
std::map<std::string, json> per_machine_by_agent(const json& report) {
  std::map<std::string, json> out;
  for (const auto& row : report["network"]["per_machine"]) out[row.value("agent_id", std::string())] = row;
  return out;
}

}  // namespace

namespace {

Result<std::map<std::string, json>> latest_payloads(Storage& storage, const std::string& type) {
  auto latest = storage.latest_of_type(type);
  if (!latest) return latest.error();
  std::map<std::string, json> out;
  for (const auto& rec : latest.value()) out[rec.agent_id] = parse_payload(rec);
  return out;
}

}  // namespace

Result<std::vector<MachineRow>> machine_rows(Storage& storage, std::int64_t now_ms,
                                             const report::OfficeSchedule& schedule,
                                             const std::optional<std::string>& agency) {
  auto agents = storage.agents();
  if (!agents) return agents.error();
  auto inventories = latest_payloads(storage, rt::inventory);
  if (!inventories) return inventories.error();
  auto assessments = latest_payloads(storage, rt::assessment);
  if (!assessments) return assessments.error();
  auto network = observation_report(storage, now_ms, 30, schedule, std::nullopt, agency);
  if (!network) return network.error();
  const auto per_machine = per_machine_by_agent(network.value());
  const auto listed = machine_list_by_agent(network.value());
  // Link errors and load from the day counters written at ingest: a few rows per machine.
  const long long today = report::local_day(schedule, now_ms);
  auto days = storage.machine_days(report::format_date(today - 29), report::format_date(today));
  if (!days) return days.error();
  std::map<std::string, report::DayCounters> counters;
  for (const auto& d : days.value()) {
    if (d.utc_offset_min != schedule.utc_offset_min) continue;  // cut at another offset: rollup rebuild
    counters[d.agent_id] += d.counters;
  }
  std::vector<MachineRow> rows;
  for (const auto& a : agents.value()) {
    if (agency && a.agency != *agency) continue;
    MachineRow row;
    row.agent = a;
    if (auto it = inventories.value().find(a.agent_id); it != inventories.value().end()) row.inventory = it->second;
    if (auto it = assessments.value().find(a.agent_id); it != assessments.value().end()) row.assessment = it->second;
    row.facts = machine_facts(row.inventory, row.assessment, now_ms);
    if (auto it = per_machine.find(a.agent_id); it != per_machine.end()) {
      row.availability_30d = availability_of(it->second);
      row.outages_30d = it->second.value("outages", 0);
    }
    if (auto it = counters.find(a.agent_id); it != counters.end()) row.days_30d = it->second;
    if (auto it = listed.find(a.agent_id); it != listed.end()) set_health(row, it->second);
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<std::optional<MachineDetail>> machine_detail(Storage& storage, const std::string& agent_id, std::int64_t now_ms,
                                                    int days, const report::OfficeSchedule& schedule) {
  auto agent = storage.agent(agent_id);
  if (!agent) return agent.error();
  if (!agent.value()) return std::optional<MachineDetail>();
  MachineDetail d;
  d.from_ms = now_ms - days * k_day_ms;
  d.to_ms = now_ms;
  d.row.agent = *agent.value();
  RecordQuery q;
  q.agent_ids = {agent_id};
  q.from_ms = d.from_ms;
  q.types = {rt::coverage, rt::outage, rt::link_event, rt::link_minute, rt::pressure_minute};
  AgentSpans spans;
  d.link_totals = json::object();
  struct PressureSums {
    double n = 0, cpu = 0, mem = 0, cpu_max = 0, mem_max = 0, swap_max = 0, psi_cpu = 0, psi_mem = 0, psi_io = 0;
    double disk_free_min = 101;
  } p;
  auto r = storage.records(q, [&](const StoredRecord& rec) {
    const auto whole = parse_payload(rec);
    for (const auto& payload : series::expand(whole)) {  // a minute series: once per minute
      if (rec.type == rt::coverage || rec.type == rt::outage) {
        spans.add(rec, payload);
      } else if (rec.type == rt::link_event) {
        d.link_events.push_back(payload);
      } else if (rec.type == rt::link_minute) {
        auto nic = payload.value("interface", json()).is_string() ? payload["interface"].get<std::string>() : "?";
        auto& t = d.link_totals[nic];
        if (!t.is_object()) t = json::object();  // first minute of this NIC (json::value() throws on null)
        for (const char* k :
             {"flaps", "rx_errors", "tx_errors", "rx_crc_errors", "rx_frame_errors", "rx_dropped", "tx_dropped"}) {
          double v = payload.value(k, json()).is_number() ? payload[k].get<double>() : 0;
          t[k] = t.value(k, 0.0) + v;
        }
        if (payload.value("speed_mbps", json()).is_number()) t["speed_mbps"] = payload["speed_mbps"];
        if (payload.value("max_speed_mbps", json()).is_number()) t["max_speed_mbps"] = payload["max_speed_mbps"];
      } else if (rec.type == rt::pressure_minute) {
        auto num = [&](const char* k) { return payload.value(k, json()).is_number() ? payload[k].get<double>() : 0.0; };
        p.n += 1;
        p.cpu += num("cpu_busy_pct");
        p.mem += num("mem_used_pct");
        p.psi_cpu += num("psi_cpu_some_avg");
        p.psi_mem += num("psi_mem_some_avg");
        p.psi_io += num("psi_io_some_avg");
        p.cpu_max = std::max(p.cpu_max, num("cpu_busy_pct"));
        p.mem_max = std::max(p.mem_max, num("mem_used_pct"));
        p.swap_max = std::max(p.swap_max, num("swap_used_pct"));
        if (payload.value("system_disk_free_pct", json()).is_number())
          p.disk_free_min = std::min(p.disk_free_min, num("system_disk_free_pct"));
      }
    }
    return true;
  });
  if (!r) return r.error();
  if (p.n > 0) {
    d.pressure = {{"minutes", p.n},
                  {"cpu_busy_avg_pct", p.cpu / p.n},
                  {"cpu_busy_max_pct", p.cpu_max},
                  {"mem_used_avg_pct", p.mem / p.n},
                  {"mem_used_max_pct", p.mem_max},
                  {"swap_used_max_pct", p.swap_max},
                  {"psi_cpu_avg", p.psi_cpu / p.n},
                  {"psi_mem_avg", p.psi_mem / p.n},
                  {"psi_io_avg", p.psi_io / p.n}};
    if (p.disk_free_min <= 100) d.pressure["system_disk_free_min_pct"] = p.disk_free_min;
  }
  const Span window{d.from_ms, d.to_ms};
  d.coverage = report::intersect(window, report::normalize(spans.coverage_list()));
  d.outages = spans.outage_list();
  auto network = observation_report(storage, now_ms, days, schedule, agent_id);
  if (!network) return network.error();
  const auto per_machine = per_machine_by_agent(network.value());
  if (auto it = per_machine.find(agent_id); it != per_machine.end())
    d.row.availability_30d = availability_of(it->second);
  const auto listed = machine_list_by_agent(network.value());
  if (auto it = listed.find(agent_id); it != listed.end()) {
    set_health(d.row, it->second);
    // A shutdown no crash explains may be a power cut of its site: that shows only beside the
    // site's other PCs (report/compute_health.cpp), so they are read then, and only then.
    const json& inst = it->second["instability"];
    if (inst.value("own_shutdowns", 0LL) > inst.value("own_shutdowns_after_crash", 0LL)) {
      auto site = observation_report(storage, now_ms, days, schedule, std::nullopt, std::nullopt, d.row.agent.site);
      if (!site) return site.error();
      const auto site_rows = machine_list_by_agent(site.value());
      if (auto row = site_rows.find(agent_id); row != site_rows.end()) set_health(d.row, row->second);
    }
  }
  auto inv = storage.latest_of_type(rt::inventory);
  auto as = storage.latest_of_type(rt::assessment);
  if (!inv) return inv.error();
  if (!as) return as.error();
  for (const auto& rec : inv.value())
    if (rec.agent_id == agent_id) d.row.inventory = parse_payload(rec);
  for (const auto& rec : as.value())
    if (rec.agent_id == agent_id) d.row.assessment = parse_payload(rec);
  d.row.facts = machine_facts(d.row.inventory, d.row.assessment, now_ms);
  return std::optional<MachineDetail>(std::move(d));
}

Result<std::vector<SiteSummary>> site_summaries(Storage& storage, std::int64_t now_ms,
                                                const report::OfficeSchedule& schedule,
                                                const std::optional<std::string>& agency) {
  auto agents = storage.agents();
  if (!agents) return agents.error();
  auto network = observation_report(storage, now_ms, 30, schedule, std::nullopt, agency);
  if (!network) return network.error();
  const json& net = network.value()["network"];
  std::map<std::string, SiteSummary> by_site;
  for (const auto& a : agents.value()) {
    if (agency && a.agency != *agency) continue;
    auto& s = by_site[a.site];
    s.site = a.site;
    ++s.machines;
  }
  for (const auto& row : net["per_machine"]) {
    const auto it = by_site.find(row.value("site", std::string()));
    if (it == by_site.end()) continue;
    const Availability a = availability_of(row);
    it->second.availability_30d.observed_s += a.observed_s;
    it->second.availability_30d.outage_s += a.outage_s;
  }
  for (const auto& e : net["events"]) {
    SiteOutage o;
    const auto start = parse_rfc3339(e.value("start", std::string()));
    o.minute_ms = start ? to_unix_ms(*start) : 0;
    o.cause = e.value("cause", std::string("unknown"));
    o.agent_ids = e.value("agent_ids", std::vector<std::string>());
    o.sites = e.value("sites", std::vector<std::string>());
    o.duration_s = e.value("duration_s", 0.0);
    o.scope = e.value("scope", std::string("single_machine"));
    for (const auto& site : o.sites) {
      if (auto it = by_site.find(site); it != by_site.end()) it->second.outages.push_back(o);
    }
  }
  std::vector<SiteSummary> out;
  for (auto& [name, s] : by_site) {
    std::reverse(s.outages.begin(), s.outages.end());  // newest first
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace itsa::server
