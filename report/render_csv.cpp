// CSV tables of the report: one file per table, UTF-8 with BOM (Excel opens Vietnamese text
// correctly), CRLF rows, headers in the report's language, human units (minutes, hours, GB).
// Vietnamese: ';' between cells, decimal commas, dates dd/mm/yyyy, as Excel in a Vietnamese
// locale reads them; English: ',' and decimal points.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "report/causes.hpp"
#include "report/csv_table.hpp"
#include "report/render.hpp"
#include "report/text.hpp"

namespace itsa::report {

namespace {

using nlohmann::json;

/// Human units for spreadsheets: seconds as minutes, bytes as GB (nullptr stays null).
json minutes(const json& seconds) {
  return seconds.is_number() ? json(seconds.get<double>() / 60.0) : json(nullptr);
}
json hours(const json& seconds) {
  return seconds.is_number() ? json(seconds.get<double>() / 3600.0) : json(nullptr);
}
json gigabytes(const json& bytes) {  // GiB, written "GB" as the report and the UI write RAM
  return bytes.is_number() ? json(std::round(bytes.get<double>() / (1024.0 * 1024 * 1024) * 10) / 10.0) : json(nullptr);
}
/// An OS support status or a disk type as a reader writes it.
json status_text(const json& status, Lang lang) {
  if (!status.is_string()) return status;
  const std::string s = status.get<std::string>();
  if (s == "supported" || s == "ended" || s == "unknown") return label("proc_os_" + s, lang);
  if (s == "extended") return label("proc_os_paid_extension_only", lang);
  return status;
}
json media_text(const json& media, Lang lang) {
  if (!media.is_string()) return media;
  const std::string s = media.get<std::string>();
  if (s == "ssd" || s == "hdd" || s == "nvme" || s == "unknown") return label("media_" + s, lang);
  return media;
}

/// A system disk verdict in words; empty when no reading.
json disk_verdict_text(const json& verdict, Lang lang) {
  if (!verdict.is_string()) return nullptr;
  return label("disk_verdict_" + verdict.get<std::string>(), lang);
}

}  // namespace

std::vector<CsvTable> render_csv(const nlohmann::json& r) {
  const Lang lang = r.value("lang", std::string("vi")) == "en" ? Lang::en : Lang::vi;
  std::vector<CsvTable> out;
  const json& s = r["scope"];
  const json& m = r["machines"];
  const json& n = r["network"];
  const json& o = n["outages"];

  CsvWriter summary("summary.csv", {"indicator", "csv_key", "value", "unit"}, lang);
  const auto add = [&](const char* key, const json& value, const char* unit) {
    summary.row({label(key, lang), key, value, unit});
  };
  add("period", r["period"]["from"].get<std::string>() + " – " + r["period"]["to"].get<std::string>(), "");
  add("machines_total", s["machines_total"], "");
  add("machines_observed", s["machines_observed"], "");
  add("observed_pc_hours", s["observed_pc_hours"], label("pc_hours_unit", lang).c_str());
  add("coverage_pct", s["coverage_pct"], "%");
  add("inventoried", m["inventoried"], "");
  add("meeting", m["meeting"], "");
  add("not_meeting", m["not_meeting"], "");
  add("unknown_verdict", m["unknown"], "");
  add("age_avg", m["age"]["average_years"], label("years_unit", lang).c_str());
  add("age_past_life", m["age"]["past_useful_life"], "");
  add("pressure_share", m["pressure"]["over_90_pct"], "%");
  const json& h = m["health"];
  add("health_disk_failing_worn", h["disk"]["failing_or_worn"], "");
  add("health_own_shutdowns", h["instability"]["own_shutdowns"], "");
  add("health_os_crashes", h["instability"]["os_crashes"], "");
  add("health_power_cuts", h["instability"]["power_cuts"], "");
  add("health_disk_busy_share", h["disk_saturation"]["over_90_pct"], "%");
  add("health_boot_median", h["boot"]["median_of_medians_s"], label("seconds_unit", lang).c_str());
  summary.row({label("health_battery_worn", lang, {fmt_num(h["battery"]["worn_threshold_pct"].get<double>(), 0, lang)}),
               "health_battery_worn", h["battery"]["machines_worn"], ""});
  add("availability", n["availability_pct"], "%");
  add("outages_count", o["count"], "");
  for (const char* scope : {"agency_wide", "site_wide", "shared_equipment", "single_machine"}) add(scope, o[scope], "");
  for (const char* cause : k_outage_causes) {
    summary.row({label("by_cause", lang) + ": " + cause_label(cause, lang), std::string("by_cause.") + cause,
                 o["by_cause"][cause], ""});
  }
  const std::string min = label("minutes_unit", lang);
  add("downtime", minutes(n["downtime_s"]), min.c_str());
  add("event_downtime", minutes(o["event_downtime_s"]), min.c_str());
  add("mean_downtime", minutes(o["mean_event_downtime_s"]), min.c_str());
  add("mtbf", minutes(n["mtbf_s"]), min.c_str());
  add("mttr", minutes(n["mttr_s"]), min.c_str());
  out.push_back(summary.done());

  CsvWriter machines("machines.csv",
                     {"hostname",
                      "csv_site",
                      "csv_agent_id",
                      "verdict",
                      "age",
                      "csv_bios_date",
                      "csv_ram_gb",
                      "cpu",
                      "os",
                      "csv_os_support",
                      "disk",
                      "csv_failing_rules",
                      "csv_pressure_minutes",
                      "csv_cpu_over_90",
                      "csv_mem_over_90",
                      "csv_over_90",
                      "csv_disk_verdict",
                      "csv_disk_reason",
                      "csv_disk_read_at",
                      "csv_unexpected_shutdowns",
                      "csv_power_cut_shutdowns",
                      "csv_os_crashes",
                      "csv_disk_busy_90",
                      "csv_boot_median_s",
                      "csv_boots",
                      "csv_battery_wear_pct",
                      "csv_battery_cycles",
                      "csv_thermal_throttle",
                      "csv_wear_read_at"},
                     lang);
  CsvWriter failing("failing_rules.csv",
                    {"hostname", "csv_site", "csv_rule_id", "rule", "measured", "required", "csv_reason"}, lang);
  for (const auto& row : m["list"]) {
    json ids = json::array();
    for (const auto& f : row["failing"]) {
      ids.push_back(f["id"]);
      failing.row({row["hostname"], row["site"], f["id"], rule_label(f["id"].get<std::string>(), lang), f["measured"],
                   f["required"], lang == Lang::vi && f.contains("reason_vi") ? f["reason_vi"] : f["reason"]});
    }
    machines.row({row["hostname"],
                  row["site"],
                  row["agent_id"],
                  machine_verdict_label(row["verdict"].get<std::string>(), lang),
                  row["age_years"],
                  row["bios_date"],
                  gigabytes(row["ram_bytes"]),
                  row["cpu"],
                  row["os"],
                  status_text(row["os_support"], lang),
                  media_text(row["system_disk"], lang),
                  ids,
                  row["pressure"]["minutes"],
                  row["pressure"]["cpu_over_90_pct"],
                  row["pressure"]["mem_over_90_pct"],
                  row["pressure"]["over_90_pct"],
                  disk_verdict_text(row["disk_health"]["verdict"], lang),
                  row["disk_health"]["reason"],
                  row["disk_health"]["read_at"],
                  row["instability"]["unexpected_shutdowns"],
                  row["instability"]["power_cut_shutdowns"],
                  row["instability"]["os_crashes"],
                  row["disk_saturation"]["busy_90_pct"],
                  row["wear"]["boot_median_s"],
                  row["wear"]["boots"],
                  row["wear"]["battery_wear_pct"],
                  row["wear"]["battery_cycles"],
                  row["wear"]["thermal_throttle_events"],
                  row["wear"]["read_at"]});
  }
  out.push_back(machines.done());
  out.push_back(failing.done());

  CsvWriter procurement(
      "procurement.csv",
      {"hostname", "csv_site", "cpu", "csv_ram_gb", "disk", "age", "os", "csv_os_support", "csv_os_support_ends",
       "proc_win11", "csv_over_90", "csv_disk_verdict", "proc_proposal", "csv_reasons"},
      lang);
  for (const auto& p : m["procurement"]["rows"]) {
    json reasons = json::array();
    for (const auto& reason : p["reasons"]) reasons.push_back(label("proc_reason_" + reason.get<std::string>(), lang));
    procurement.row({p["hostname"], p["site"], p["cpu"], gigabytes(p["ram_bytes"]), media_text(p["system_disk"], lang),
                     p["age_years"], p["os"], label("proc_os_" + p["os_class"].get<std::string>(), lang),
                     p["os_class"] == "paid_extension_only" || p["os_extended_ends"].is_null() ? p["os_support_ends"]
                                                                                               : p["os_extended_ends"],
                     p["windows11_ready"], p["over_90_pct"], disk_verdict_text(p["disk_health"], lang),
                     label("proc_" + p["proposal"].get<std::string>(), lang), reasons});
  }
  out.push_back(procurement.done());

  CsvWriter rules("rules.csv", {"csv_rule_id", "rule", "csv_pass", "csv_fail", "unknown", "required"}, lang);
  for (const auto& rule : m["rules"]) {
    rules.row({rule["id"], rule_label(rule["id"].get<std::string>(), lang), rule["pass"], rule["fail"], rule["unknown"],
               rule["required"]});
  }
  out.push_back(rules.done());

  CsvWriter ages("machine_age.csv", {"age", "csv_computers"}, lang);
  for (const auto& b : m["age"]["distribution"]) ages.row({b["years"], b["machines"]});
  out.push_back(ages.done());

  // The system log's events from before itsa (compute_history.cpp): apart from the measured tables.
  CsvWriter history("history_system_log.csv",
                    {"hostname", "csv_site", "history_col_link_down", "history_col_nic_reset",
                     "history_col_unexpected_shutdown", "history_col_crash", "history_col_first", "history_col_last"},
                    lang);
  const json no_history = {{"machines", json::array()}};
  const json& history_doc = r.contains("history") ? r["history"] : no_history;
  for (const auto& pc : history_doc["machines"])
    history.row({pc["hostname"], pc["site"], pc["link_down"], pc["nic_reset"], pc["unexpected_shutdown"], pc["crash"],
                 pc["first"], pc["last"]});
  out.push_back(history.done());

  CsvWriter events("outages.csv",
                   {"csv_site", "csv_start_utc", "csv_end_utc", "csv_start_local", "csv_end_local", "csv_counted_min",
                    "csv_cause_id", "cause", "scope_col", "machines_col", "csv_interfaces"},
                   lang);
  for (const auto& e : n["events"]) {
    events.row({e["site"], e["start"], e["end"], e["start_local"], e["end_local"], minutes(e["duration_s"]), e["cause"],
                cause_label(e["cause"].get<std::string>(), lang), label("scope_" + e["scope"].get<std::string>(), lang),
                e["machines"], e["interfaces"]});
  }
  out.push_back(events.done());

  CsvWriter per_machine("availability_machines.csv",
                        {"hostname", "csv_site", "csv_observed_h", "csv_downtime_min", "csv_availability_pct",
                         "csv_outages", "csv_link_down", "csv_lan", "csv_upstream", "csv_dns", "csv_unknown"},
                        lang);
  for (const auto& pm : n["per_machine"]) {
    per_machine.row({pm["hostname"], pm["site"], hours(pm["observed_s"]), minutes(pm["downtime_s"]),
                     pm["availability_pct"], pm["outages"], pm["by_cause"]["link_down"], pm["by_cause"]["lan"],
                     pm["by_cause"]["upstream"], pm["by_cause"]["dns"], pm["by_cause"]["unknown"]});
  }
  out.push_back(per_machine.done());

  CsvWriter daily("availability_daily.csv",
                  {"hostname", "csv_site", "csv_date", "csv_observed_h", "csv_downtime_min", "csv_availability_pct"},
                  lang);
  for (const auto& dm : n["daily"]) {
    for (const auto& d : dm["days"])
      daily.row({dm["hostname"], dm["site"], d["date"], hours(d["observed_s"]), minutes(d["downtime_s"]),
                 d["availability_pct"]});
  }
  out.push_back(daily.done());

  CsvWriter links("links.csv",
                  {"hostname", "csv_site", "interface", "csv_flaps", "crc", "csv_errors", "csv_downgrades",
                   "csv_minutes_below_max", "csv_min_speed", "csv_max_speed"},
                  lang);
  for (const auto& l : n["links"]) {
    links.row({l["hostname"], l["site"], l["interface"], l["flaps"], l["crc_errors"], l["errors"],
               l["speed_downgrades"], l["minutes_below_max_speed"], l["min_speed_mbps"], l["max_speed_mbps"]});
  }
  out.push_back(links.done());

  CsvWriter survey("cabling_survey.csv",
                   {"csv_site", "hostname", "survey_priority", "csv_single_pc_outages", "csv_short_drops_per_day",
                    "csv_flaps", "csv_crc_minutes", "csv_downgrades", "csv_minutes_below_max"},
                   lang);
  for (const auto& pc : n["cabling_survey"]["rows"]) {
    survey.row({pc["site"], pc["hostname"], label("survey_priority_" + pc["priority"].get<std::string>(), lang),
                pc["single_pc_outages"], pc["short_drops_per_day"], pc["wired_flaps"], pc["crc_minutes"],
                pc["speed_downgrades"], pc["minutes_below_max_speed"]});
  }
  out.push_back(survey.done());

  CsvWriter probes("probes.csv",
                   {"layer", "csv_minutes", "csv_sent", "csv_lost", "csv_loss_pct", "csv_rtt_p50", "csv_rtt_p95",
                    "csv_rtt_max", "csv_jitter_avg"},
                   lang);
  for (const auto& p : n["probes"]) {
    probes.row({p["layer"], p["minutes"], p["sent"], p["lost"], p["loss_pct"], p["rtt_p50_ms"], p["rtt_p95_ms"],
                p["rtt_max_ms"], p["jitter_avg_ms"]});
  }
  out.push_back(probes.done());

  CsvWriter claims("claims.csv", {"csv_id", "csv_claim", "finding", "csv_verdict"}, lang);
  for (const auto& c : r["claims"])
    claims.row({c["id"], c["claim"], c["text"], verdict_label(c["verdict"].get<std::string>(), lang)});
  out.push_back(claims.done());
  return out;
}

namespace {
/// A path from UTF-8 text (Vietnamese folder names work on Windows too).
std::filesystem::path utf8_path(const std::string& text) {
  return std::filesystem::path(std::u8string(text.begin(), text.end()));
}
/// UTF-8 text of a path.
std::string utf8_text(const std::filesystem::path& path) {
  const std::u8string s = path.u8string();
  return std::string(s.begin(), s.end());
}
}  // namespace

Result<std::vector<std::string>> write_csv_dir(const nlohmann::json& report, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(utf8_path(dir), ec);
  if (ec) return Error{"cannot create directory " + dir + ": " + ec.message()};
  std::vector<std::string> written;
  for (const CsvTable& t : render_csv(report)) {
    const auto path = utf8_path(dir) / t.name;
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(t.content.data(), static_cast<std::streamsize>(t.content.size()));
    f.close();
    if (!f) return Error{"cannot write " + utf8_text(path)};
    written.push_back(utf8_text(path));
  }
  return written;
}

}  // namespace itsa::report
