// Section I of the HTML report: scope and method (period, machines, observed time, probe
// settings, clock), what each outage cause means, and the limits of the evidence.
#include <string>

#include "report/causes.hpp"
#include "report/html_writer.hpp"
#include "report/text.hpp"

namespace itsa::report::detail {

using nlohmann::json;

std::string Html::probe_note(const json& probe) const {
  const auto settings = probe.value("settings", json::array());
  const auto not_recorded = probe.value("machines_not_recorded", json::array());
  const auto changed = probe.value("machines_changed", json::array());
  std::string out;
  if (probe.value("mixed", false)) {
    out = L("probe_mixed");
    std::string groups;
    for (const auto& g : settings) {
      groups += (groups.empty() ? "" : "; ") + num(g["interval_s"]) + " " + L("seconds_unit") + ", " +
                num(g["down_after"]) + "/" + num(g["up_after"]) + ": " + join(g["machines"]);
    }
    out += groups;
    if (!changed.empty()) out += L("probe_changed") + join(changed);
  } else {
    out = L("probe_as_recorded");
  }
  if (!not_recorded.empty()) {
    out += L("probe_not_recorded_by");
    out += join(not_recorded);
  }
  return out;
}

std::string Html::office_hours_text() const {
  const json& oh = m_r["period"]["office_hours"];
  std::string days;
  if (oh["weekdays"] == json::array({"mon", "tue", "wed", "thu", "fri"})) {
    days = L("weekdays_mon_fri");
  } else {
    days = join(oh["weekdays"]);
  }
  std::string windows;
  for (const auto& w : oh["windows"]) windows += (windows.empty() ? "" : ", ") + w.get<std::string>();
  // The offset, not the zone's English name: "(UTC+7)".
  const int offset = oh["utc_offset_min"].get<int>();
  const int a = offset < 0 ? -offset : offset;
  std::string utc = std::string("UTC") + (offset < 0 ? "-" : "+") + std::to_string(a / 60);
  if (a % 60 != 0) utc += ":" + std::string(a % 60 < 10 ? "0" : "") + std::to_string(a % 60);
  return days + " " + windows + " (" + utc + ")";
}

void Html::scope() {
  const json& s = m_r["scope"];
  const json& p = m_r["period"];
  m_out += "<section><h2>" + esc(L("s1")) + "</h2>";
  table_open({"no", "indicator", "unit", "value", "notes"});
  indicator(L("period"), L("days_unit"), num(p["days"]),
            date(p["from"]) + " – " + date(p["to"]) + "; " +
                (p["hours"] == "office" ? L("office_hours") + ": " + office_hours_text() : L("hours_all")));
  indicator(L("sites"), L("sites_unit"), num(json(s["sites"].size())), join(s["sites"]));
  indicator(L("machines_total"), L("machines_unit"), num(s["machines_total"]));
  indicator(L("machines_observed"), L("machines_unit"), num(s["machines_observed"]),
            s["machines_not_observed"].empty() ? "" : L("machines_no_data") + join(s["machines_not_observed"]));
  if (!s["machines_pending"].empty()) {
    std::string pending;
    for (const auto& pc : s["machines_pending"])
      pending += (pending.empty() ? "" : "; ") + L("data_until", {pc["hostname"].get<std::string>(),
                                                                  datetime(pc["data_until_local"].get<std::string>())});
    indicator(L("machines_pending"), L("machines_unit"), num(json(s["machines_pending"].size())),
              pending + ". " + L("pending_note"));
  }
  indicator(L("observed_pc_hours"), L("pc_hours_unit"), num(s["observed_pc_hours"], 1),
            L("coverage_pct") + ": " + fmt_pct(s["coverage_pct"], 2, m_lang));
  const json& probe = s["probe"];
  const bool recorded = probe["recorded"].get<bool>();
  const std::string from_where = recorded ? probe_note(probe) : L("probe_default");
  indicator(L("probe_interval"), L("seconds_unit"),
            recorded && !probe["interval_s"].empty() ? join(probe["interval_s"]) : num(probe["defaults"]["interval_s"]),
            from_where);
  indicator(
      L("probe_thresholds"), L("rounds_unit"),
      (recorded && !probe["down_after"].empty() ? join(probe["down_after"]) : num(probe["defaults"]["down_after"])) +
          " / " +
          (recorded && !probe["up_after"].empty() ? join(probe["up_after"]) : num(probe["defaults"]["up_after"])),
      from_where);
  std::string versions;
  for (const auto& v : s["agent_versions"]) {
    const std::string version = v["version"] == "unknown" ? L("media_unknown") : v["version"].get<std::string>();
    versions += (versions.empty() ? "" : "; ") + version + " (" + num(v["machines"]) + " " + L("machines_unit") + ")";
  }
  indicator(L("agent_versions"), "", versions);
  indicator(L("clock_sync"), "%", fmt_pct(s["clock"]["synced_pct"], 2, m_lang),
            s["clock"]["machines_unsynced"].empty()
                ? L("clock_synced_all")
                : L("clock_unsynced_machines") + join(s["clock"]["machines_unsynced"]) + L("clock_unsynced_outages") +
                      num(s["clock"]["outages_unsynced"]));
  table_close();

  const json& d = probe["recorded"].get<bool>() ? probe : probe["defaults"];
  const auto first = [&](const char* key) {
    const json& v = d[key];
    return v.is_array() ? (v.empty() ? num(probe["defaults"][key]) : num(v[0])) : num(v);
  };
  m_out += "<h3>" + esc(L("causes")) + "</h3><ul>";
  m_out += "<li>" + esc(L("probe_method", {first("interval_s"), first("down_after"), first("up_after")})) +
           (probe.value("mixed", false) ? esc(L("probe_mixed_see_s1")) : std::string()) + "</li>";
  for (const char* cause : k_outage_causes) {
    const std::string meaning = L(("meaning_" + std::string(cause)).c_str());
    m_out += "<li><b>" + esc(cause_label(cause, m_lang)) + "</b>: " + esc(meaning) + "</li>";
  }
  for (const char* key : {"site_wide_meaning", "shared_meaning", "agency_wide_meaning"})
    m_out += "<li>" + esc(L(key)) + "</li>";
  m_out += "</ul>";

  m_out += "<h3>" + esc(L("limits")) + "</h3><ul>";
  const auto li = [&](const std::string& t) { m_out += "<li>" + esc(t) + "</li>"; };
  li(L("limit_off"));
  if (!s["machines_not_observed"].empty()) li(L("limit_not_observed", {join(s["machines_not_observed"])}));
  if (!s["machines_without_inventory"].empty()) li(L("limit_no_inventory", {join(s["machines_without_inventory"])}));
  if (p["hours"] == "office") li(L("limit_office_hours"));
  li(L("limit_bios_age"));
  li(L("limit_cause_layer"));
  li(L("limit_summed"));
  m_out += "</ul></section>";
}

}  // namespace itsa::report::detail
