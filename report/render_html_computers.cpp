// Section II of the HTML report: computers (profile verdicts, failing rules, age, CPU/memory
// pressure), with the verdict and age charts, the failing list and the machine list.
#include <string>
#include <vector>

#include "report/html_writer.hpp"
#include "report/svg_charts.hpp"
#include "report/text.hpp"

namespace itsa::report::detail {

using nlohmann::json;

std::string Html::failing_reason(const json& f) const {
  if (vi() && f.contains("reason_vi")) return f["reason_vi"].get<std::string>();
  return L("failing_reason",
           {rule_label(f["id"].get<std::string>(), m_lang), value_text(f["measured"]), value_text(f["required"])});
}

void Html::computers() {
  const json& m = m_r["machines"];
  std::string profiles = join(m["profiles"]);
  m_out += "<section class=\"page\"><h2>" + esc(L("s2")) + "</h2>";
  table_open({"no", "indicator", "unit", "value", "notes"});
  indicator(L("inventoried"), L("machines_unit"), num(m["inventoried"]), L("of_total_machines", {num(m["total"])}));
  indicator(L("meeting"), L("machines_unit"), num(m["meeting"]), L("profile") + ": " + profiles);
  indicator(L("not_meeting"), L("machines_unit"), num(m["not_meeting"]),
            L("of_assessed", {fmt_pct(m["not_meeting_pct"], 1, m_lang)}));
  indicator(L("unknown_verdict"), L("machines_unit"), num(m["unknown"]));
  for (const auto& rule : m["rules"]) {
    if (rule["fail"].get<int>() == 0) continue;
    indicator("– " + rule_label(rule["id"].get<std::string>(), m_lang), L("machines_unit"), num(rule["fail"]),
              L("required") + ": " + value_text(rule["required"]));
  }
  indicator(L("age_avg"), L("years_unit"), num(m["age"]["average_years"], 1),
            L("oldest", {num(m["age"]["oldest_years"], 1) + " " + L("years_unit")}));
  indicator(L("age_past_life"), L("machines_unit"), num(m["age"]["past_useful_life"]),
            L("of_known_age", {num(m["age"]["known"])}));
  indicator(L("pressure_share"), "%", fmt_pct(m["pressure"]["over_90_pct"], 2, m_lang),
            L("often_saturated", {num(m["pressure"]["machines_often_saturated"])}));
  table_close();

  json rules = json::array();
  for (const auto& rule : m["rules"]) {
    json r = rule;
    r["label"] = rule_label(rule["id"].get<std::string>(), m_lang);
    rules.push_back(r);
  }
  if (!rules.empty()) figure(svg::verdict_bars(rules, m_lang), "verdict_chart");
  std::vector<svg::Bar> ages;
  for (const auto& b : m["age"]["distribution"]) {
    const std::string years = b["years"].get<std::string>();
    const bool old = years == "5-7" || years == "7-10" || years == "10+";
    ages.push_back({years, b["machines"].get<double>(), old ? "#d73027" : "#4575b4"});
  }
  if (m["age"]["known"].get<int>() > 0) figure(svg::histogram(ages, L("age_hist_axis"), m_lang), "age_hist");

  m_out += "<h3>" + esc(L("failing_list")) + "</h3>";
  m_out += "<table><thead><tr><th>" + esc(L("no")) + "</th><th>" + esc(L("hostname")) + "</th><th>" + esc(L("site")) +
           "</th><th>" + esc(L("age")) + "</th><th>" + esc(L("ram")) + "</th><th>" + esc(L("reasons")) +
           "</th></tr></thead><tbody>";
  int n = 0;
  for (const auto& row : m["list"]) {
    if (row["verdict"] != "does_not_meet") continue;
    std::string reasons;
    for (const auto& f : row["failing"]) reasons += "<li>" + esc(failing_reason(f)) + "</li>";
    m_out += "<tr><td class=\"c\">" + std::to_string(++n) + "</td><td>" + esc(row["hostname"].get<std::string>()) +
             "</td><td>" + esc(row["site"].get<std::string>()) + "</td><td class=\"r\">" + num(row["age_years"], 1) +
             "</td><td class=\"r\">" +
             (row["ram_bytes"].is_number() ? esc(fmt_gb(row["ram_bytes"].get<double>(), m_lang)) : "—") +
             "</td><td><ul>" + reasons + "</ul></td></tr>";
  }
  if (n == 0) m_out += "<tr><td colspan=\"6\" class=\"c\">" + esc(L("none")) + "</td></tr>";
  m_out += "</tbody></table>";

  m_out += "<h3>" + esc(L("machine_list")) + "</h3>";
  m_out += "<table><thead><tr><th>" + esc(L("no")) + "</th><th>" + esc(L("hostname")) + "</th><th>" + esc(L("site")) +
           "</th><th>" + esc(L("verdict")) + "</th><th>" + esc(L("os")) + "</th><th>" + esc(L("disk")) + "</th><th>" +
           esc(L("pressure")) + "</th></tr></thead><tbody>";
  n = 0;
  for (const auto& row : m["list"]) {
    const std::string v = row["verdict"].get<std::string>();
    m_out += "<tr><td class=\"c\">" + std::to_string(++n) + "</td><td>" + esc(row["hostname"].get<std::string>()) +
             "</td><td>" + esc(row["site"].get<std::string>()) + "</td><td class=\"c" +
             (v == "does_not_meet" ? " fail" : "") + "\">" + esc(machine_verdict_label(v, m_lang)) + "</td><td>" +
             esc(value_text(row["os"])) + "</td><td class=\"c\">" + esc(value_text(row["system_disk"])) +
             "</td><td class=\"r\">" + esc(fmt_pct(row["pressure"]["over_90_pct"], 1, m_lang)) + "</td></tr>";
  }
  m_out += "</tbody></table></section>";
}

}  // namespace itsa::report::detail
