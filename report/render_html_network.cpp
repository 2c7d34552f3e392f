// Section III of the HTML report: the network (availability, outages by cause, MTBF/MTTR),
// with the cause chart and the heatmap, the outage list, availability per machine, cable
// symptoms per port, and packet loss and latency per layer.
#include <string>
#include <vector>

#include "report/causes.hpp"
#include "report/html_writer.hpp"
#include "report/svg_charts.hpp"
#include "report/text.hpp"

namespace itsa::report::detail {

using nlohmann::json;

void Html::network() {
  const json& net = m_r["network"];
  const json& o = net["outages"];
  m_out += "<section class=\"page\"><h2>" + esc(L("s3")) + "</h2>";
  table_open({"no", "indicator", "unit", "value", "notes"});
  indicator(L("availability"), "%", fmt_pct(net["availability_pct"], 3, m_lang),
            L("over", {num(net["observed_s"].get<double>() / 3600.0, 1) + " " + L("pc_hours_unit")}));
  indicator(L("outages_count"), L("times_unit"), num(o["count"]), L("per_pc_summed", {num(o["machine_outages"])}));
  for (const char* scope : {"agency_wide", "site_wide", "shared_equipment", "single_machine"})
    indicator(L(scope), L("times_unit"), num(o[scope]));
  for (const char* cause : k_outage_causes) {
    const json& share = net["downtime_share_by_cause_pct"][cause];
    indicator("– " + cause_label(cause, m_lang), L("times_unit"), num(o["by_cause"][cause]),
              L("downtime_note", {fmt_duration(net["downtime_by_cause_s"][cause].get<double>(), m_lang)}) +
                  (share.is_number() ? "; " + L("share_of_downtime", {num(share, 1)}) : std::string()));
  }
  indicator(L("downtime"), L("pc_hours_unit"), num(net["downtime_s"].get<double>() / 3600.0, 2),
            fmt_duration(net["downtime_s"].get<double>(), m_lang));
  indicator(L("event_downtime"), L("hours_unit"), num(o["event_downtime_s"].get<double>() / 3600.0, 2),
            fmt_duration(o["event_downtime_s"].get<double>(), m_lang));
  indicator(L("mean_downtime"), L("minutes_unit"),
            o["mean_event_downtime_s"].is_number() ? num(o["mean_event_downtime_s"].get<double>() / 60.0, 1) : "—");
  indicator(L("mtbf"), L("hours_unit"), net["mtbf_s"].is_number() ? num(net["mtbf_s"].get<double>() / 3600.0, 1) : "—",
            net["mtbf_s"].is_number() ? "" : L("no_outage"));
  indicator(L("mttr"), L("minutes_unit"), net["mttr_s"].is_number() ? num(net["mttr_s"].get<double>() / 60.0, 1) : "—");
  indicator(L("degraded_minutes"), L("minutes_unit"), num(net["degraded"]["minutes"]));
  table_close();

  std::vector<svg::Bar> causes;
  const char* colors[] = {"#d73027", "#fc8d59", "#4575b4", "#91bfdb", "#999999"};
  int ci = 0;
  for (const char* cause : k_outage_causes) {
    causes.push_back({cause_label(cause, m_lang), o["by_cause"][cause].get<double>(), colors[ci++]});
  }
  figure(svg::horizontal_bars(causes, L("times_unit"), m_lang), "by_cause");
  if (!net["daily"].empty()) figure(svg::availability_heatmap(net["daily"], m_lang), "heatmap");

  if (net["per_site"].size() > 1) {
    m_out += "<h3>" + esc(L("per_site")) + "</h3>";
    m_out += "<table><thead><tr><th>" + esc(L("no")) + "</th><th>" + esc(L("site")) + "</th><th>" +
             esc(L("pc_count_col")) + "</th><th>" + esc(L("working_days_col")) + "</th><th>" + esc(L("availability")) +
             "</th><th>" + esc(L("events_col")) + "</th><th>" + esc(L("cabling_per_week_col")) + "</th><th>" +
             esc(L("verdict_col")) + "</th></tr></thead><tbody>";
    int row = 0;
    for (const auto& s : net["per_site"]) {
      m_out += "<tr><td class=\"c\">" + std::to_string(++row) + "</td><td>" + esc(s["site"].get<std::string>()) +
               "</td><td class=\"r\">" + num(s["machines"]) + "</td><td class=\"r\">" +
               num(s["observed_working_days"]) + "</td><td class=\"r\">" +
               esc(fmt_pct(s["availability_pct"], 2, m_lang)) + "</td><td class=\"r\">" + num(s["events"]) +
               "</td><td class=\"r\">" + num(s["cabling_per_pc_week"], 1) + "</td><td>" +
               esc(verdict_label(s["verdict"].get<std::string>(), m_lang)) + "</td></tr>";
    }
    m_out += "</tbody></table>";
  }

  m_out += "<h3>" + esc(L("events")) + "</h3>";
  m_out += "<table><thead><tr><th>" + esc(L("no")) + "</th><th>" + esc(L("start")) + "</th><th>" + esc(L("end")) +
           "</th><th>" + esc(L("duration")) + "</th><th>" + esc(L("cause")) + "</th><th>" + esc(L("scope_col")) +
           "</th><th>" + esc(L("machines_col")) + "</th></tr></thead><tbody>";
  int n = 0;
  for (const auto& e : net["events"]) {
    const std::string scope = e["scope"].get<std::string>();
    const std::string site = e["site"].get<std::string>();
    const std::string where = scope == "agency_wide"        ? L("agency_wide_event", {join(e["sites"])})
                              : scope == "site_wide"        ? L("site_wide_event", {site})
                              : scope == "shared_equipment" ? L("shared_event", {site})
                                                            : L("one_pc");
    m_out += "<tr><td class=\"c\">" + std::to_string(++n) + "</td><td>" + esc(datetime(e["start_local"])) +
             "</td><td>" + esc(datetime(e["end_local"])) + "</td><td class=\"r\">" +
             esc(fmt_duration(e["duration_s"].get<double>(), m_lang)) + "</td><td>" +
             esc(cause_label(e["cause"].get<std::string>(), m_lang)) + "</td><td>" + esc(where) + "</td><td>" +
             esc(join(e["machines"])) + "</td></tr>";
  }
  if (n == 0) m_out += "<tr><td colspan=\"7\" class=\"c\">" + esc(L("none")) + "</td></tr>";
  m_out += "</tbody></table>";
  if (m_r["period"]["hours"] == "office") m_out += "<p class=\"muted\">" + esc(L("local_times_office")) + "</p>";

  m_out += "<h3>" + esc(L("per_machine")) + "</h3>";
  m_out += "<table><thead><tr><th>" + esc(L("no")) + "</th><th>" + esc(L("hostname")) + "</th><th>" + esc(L("site")) +
           "</th><th>" + esc(L("observed_pc_hours")) + " (" + esc(L("hours_unit")) + ")</th><th>" +
           esc(L("outages_count")) + "</th><th>" + esc(L("downtime")) + "</th><th>" + esc(L("availability")) +
           "</th></tr></thead><tbody>";
  n = 0;
  for (const auto& pm : net["per_machine"]) {
    m_out += "<tr><td class=\"c\">" + std::to_string(++n) + "</td><td>" + esc(pm["hostname"].get<std::string>()) +
             "</td><td>" + esc(pm["site"].get<std::string>()) + "</td><td class=\"r\">" +
             num(pm["observed_s"].get<double>() / 3600.0, 1) + "</td><td class=\"r\">" + num(pm["outages"]) +
             "</td><td class=\"r\">" +
             (pm["availability_pct"].is_null() ? std::string("—")
                                               : esc(fmt_duration(pm["downtime_s"].get<double>(), m_lang))) +
             "</td><td class=\"r\">" +
             esc(pm["availability_pct"].is_null() ? L("legend_off") : fmt_pct(pm["availability_pct"], 2, m_lang)) +
             "</td></tr>";
  }
  m_out += "</tbody></table>";

  m_out += "<h3>" + esc(L("links")) + "</h3>";
  m_out += "<table><thead><tr><th>" + esc(L("no")) + "</th><th>" + esc(L("hostname")) + "</th><th>" +
           esc(L("interface")) + "</th><th>" + esc(L("flaps")) + "</th><th>" + esc(L("crc")) + "</th><th>" +
           esc(L("downgrades")) + "</th><th>" + esc(L("speed")) + "</th></tr></thead><tbody>";
  n = 0;
  for (const auto& l : net["links"]) {
    const long long signs = l["flaps"].get<long long>() + l["crc_errors"].get<long long>() +
                            l["speed_downgrades"].get<long long>() + l["minutes_below_max_speed"].get<long long>();
    if (signs == 0 || n >= 15) continue;
    const std::string speed = num(l["min_speed_mbps"]) + " / " + num(l["max_speed_mbps"]);
    m_out += "<tr><td class=\"c\">" + std::to_string(++n) + "</td><td>" + esc(l["hostname"].get<std::string>()) +
             "</td><td>" + esc(l["interface"].get<std::string>()) + "</td><td class=\"r\">" + num(l["flaps"]) +
             "</td><td class=\"r\">" + num(l["crc_errors"]) + "</td><td class=\"r\">" + num(l["speed_downgrades"]) +
             (l["minutes_below_max_speed"].get<long long>() > 0
                  ? " (" + L("minutes_below_max", {num(l["minutes_below_max_speed"])}) + ")"
                  : "") +
             "</td><td class=\"r\">" + esc(speed) + "</td></tr>";
  }
  if (n == 0) m_out += "<tr><td colspan=\"7\" class=\"c\">" + esc(L("no_symptom")) + "</td></tr>";
  m_out += "</tbody></table><p class=\"muted\">" + esc(L("link_speed_note")) + "</p>";

  const json& survey = net["cabling_survey"];
  m_out += "<h3>" + esc(L("survey_title")) + "</h3>";
  m_out += "<table><thead><tr><th>" + esc(L("no")) + "</th><th>" + esc(L("site")) + "</th><th>" + esc(L("hostname")) +
           "</th><th>" + esc(L("survey_priority")) + "</th><th>" + esc(L("survey_evidence")) +
           "</th></tr></thead><tbody>";
  n = 0;
  for (const auto& r : survey["rows"]) {
    std::string evidence;
    const auto add = [&](bool when, const std::string& text) {
      if (when) evidence += (evidence.empty() ? "" : "; ") + text;
    };
    add(r["single_pc_outages"].get<long long>() > 0, L("survey_outages", {num(r["single_pc_outages"])}));
    add(r["short_drops_per_day"].is_number() && r["short_drops_per_day"].get<double>() > 0,
        L("survey_drops", {num(r["short_drops_per_day"], 1)}));
    add(r["wired_flaps"].get<long long>() > 0, L("survey_flaps", {num(r["wired_flaps"])}));
    add(r["crc_minutes"].get<long long>() > 0, L("survey_crc", {num(r["crc_minutes"])}));
    add(r["speed_downgrades"].get<long long>() > 0, L("survey_downgrades", {num(r["speed_downgrades"])}));
    add(r["minutes_below_max_speed"].get<long long>() > 0, L("survey_below", {num(r["minutes_below_max_speed"])}));
    const std::string priority = r["priority"].get<std::string>();
    m_out += "<tr><td class=\"c\">" + std::to_string(++n) + "</td><td>" + esc(r["site"].get<std::string>()) +
             "</td><td>" + esc(r["hostname"].get<std::string>()) + "</td><td" +
             (priority == "survey" ? " class=\"fail\"" : "") + ">" + esc(L(("survey_priority_" + priority).c_str())) +
             "</td><td>" + esc(evidence) + "</td></tr>";
  }
  if (n == 0) m_out += "<tr><td colspan=\"5\" class=\"c\">" + esc(L("no_symptom")) + "</td></tr>";
  m_out += "</tbody></table>";
  m_out += "<p><i>" + esc(L("survey_for_ii5")) + "</i> " + esc(survey["paragraph_ii5"].get<std::string>()) + "</p>";
  m_out += "<p><i>" + esc(L("survey_for_iii")) + "</i> " + esc(survey["request_iii"].get<std::string>()) + "</p>";

  m_out += "<h3>" + esc(L("probes")) + "</h3>";
  m_out += "<table><thead><tr><th>" + esc(L("layer")) + "</th><th>" + esc(L("sent_lost")) + "</th><th>" +
           esc(L("loss")) + "</th><th>" + esc(L("latency_p50")) + "</th><th>" + esc(L("latency_p95")) + "</th><th>" +
           esc(L("jitter")) + "</th></tr></thead><tbody>";
  for (const auto& p : net["probes"]) {
    m_out += "<tr><td>" + esc(L(("layer_" + p["layer"].get<std::string>()).c_str())) + "</td><td class=\"r\">" +
             num(p["sent"]) + " / " + num(p["lost"]) + "</td><td class=\"r\">" +
             esc(fmt_pct(p["loss_pct"], 2, m_lang)) + "</td><td class=\"r\">" + num(p["rtt_p50_ms"], 1) +
             "</td><td class=\"r\">" + num(p["rtt_p95_ms"], 1) + "</td><td class=\"r\">" + num(p["jitter_avg_ms"], 1) +
             "</td></tr>";
  }
  if (net["probes"].empty()) m_out += "<tr><td colspan=\"6\" class=\"c\">" + esc(L("no_data")) + "</td></tr>";
  m_out += "</tbody></table></section>";
}

}  // namespace itsa::report::detail
