// Section II of the HTML report: computers (profile verdicts, failing rules, age, CPU/memory
// pressure), with the verdict and age charts, the failing list and the machine list.
#include <string>
#include <vector>

#include "report/html_writer.hpp"
#include "report/svg_charts.hpp"
#include "report/text.hpp"

namespace itsa::report::detail {

using nlohmann::json;

std::string Html::media_text(const json& media) const {
  if (!media.is_string()) return "—";
  const std::string m = media.get<std::string>();
  if (m == "ssd" || m == "hdd" || m == "nvme") return L(("media_" + m).c_str());
  return m == "unknown" ? L("media_unknown") : m;
}

std::string Html::failing_reason(const json& f) const {
  if (vi() && f.contains("reason_vi")) return f["reason_vi"].get<std::string>();
  return L("failing_reason",
           {rule_label(f["id"].get<std::string>(), m_lang), value_text(f["measured"]), value_text(f["required"])});
}

std::string Html::disk_health_cell(const json& row) const {
  const json& d = row["disk_health"];
  if (!d.is_object() || !d["verdict"].is_string()) return esc(L("disk_not_read"));
  const std::string v = d["verdict"].get<std::string>();
  std::string cell = esc(L(("disk_verdict_" + v).c_str()));
  if ((v == "failing" || v == "worn" || v == "unknown") && d["reason"].is_string())
    cell += "<br><small>" + esc(d["reason"].get<std::string>()) + "</small>";
  return cell;
}

void Html::computers() {
  const json& m = m_r["machines"];
  std::string profiles = join(m.contains("profile_titles") ? m["profile_titles"] : m["profiles"]);
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
  const json& h = m["health"];
  indicator(L("health_disk_failing_worn"), L("machines_unit"), num(h["disk"]["failing_or_worn"]),
            L("health_disk_note", {num(h["disk"]["failing"]), num(h["disk"]["worn"]), num(h["disk"]["judged"]),
                                   num(h["disk"]["unknown"].get<int>() + h["disk"]["not_read"].get<int>())}));
  indicator(L("health_own_shutdowns"), L("times_unit"), num(h["instability"]["own_shutdowns"]),
            L("health_own_shutdowns_note", {num(h["instability"]["machines_own_shutdowns"])}));
  indicator(L("health_os_crashes"), L("times_unit"), num(h["instability"]["os_crashes"]),
            L("health_own_shutdowns_note", {num(h["instability"]["machines_os_crashes"])}));
  indicator(L("health_power_cuts"), L("times_unit"), num(h["instability"]["power_cuts"]),
            L("health_power_cuts_note", {num(h["instability"]["power_cut_shutdowns"])}));
  indicator(L("health_disk_busy_share"), "%", fmt_pct(h["disk_saturation"]["over_90_pct"], 2, m_lang),
            L("often_saturated", {num(h["disk_saturation"]["machines_often_saturated"])}));
  const json& boot = h["boot"];
  indicator(L("health_boot_median"), L("seconds_unit"), num(boot["median_of_medians_s"], 1),
            L("health_boot_note", {num(boot["machines_slow"]), num(boot["machines_with_data"]),
                                   num(boot["slow_threshold_s"]), num(boot["machines_slow_hdd"])}));
  const json& battery = h["battery"];
  indicator(L("health_battery_worn", {num(battery["worn_threshold_pct"])}), L("machines_unit"),
            num(battery["machines_worn"]), L("health_battery_note", {num(battery["machines_with_data"])}));
  table_close();
  std::string cuts;
  for (const auto& c : h["instability"]["power_cut_events"]) {
    cuts += (cuts.empty() ? "" : "; ") +
            L("health_power_cut_item",
              {c["site"].get<std::string>(), datetime(c["start_local"].get<std::string>()), num(c["machines"].size())});
  }
  m_out += "<p class=\"muted\">" +
           esc(L("health_rule", {num(h["instability"]["power_cut_min_pcs"]),
                                 num(h["instability"]["power_cut_window_s"].get<double>() / 60)})) +
           (cuts.empty() ? std::string() : " " + esc(L("health_power_cut_list", {cuts}))) + " " +
           esc(L("health_wear_rule")) + "</p>";

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
             esc(value_text(row["os"])) + "</td><td class=\"c\">" + esc(media_text(row["system_disk"])) +
             "</td><td class=\"r\">" + esc(fmt_pct(row["pressure"]["over_90_pct"], 1, m_lang)) + "</td></tr>";
  }
  m_out += "</tbody></table>";

  // Wear and failure per PC (compute_health.cpp).
  m_out += "<h3>" + esc(L("health_table")) + "</h3>";
  m_out += "<table><thead><tr><th>" + esc(L("no")) + "</th><th>" + esc(L("hostname")) + "</th><th>" + esc(L("site")) +
           "</th><th>" + esc(L("health_col_disk")) + "</th><th>" + esc(L("csv_unexpected_shutdowns")) + "</th><th>" +
           esc(L("csv_power_cut_shutdowns")) + "</th><th>" + esc(L("csv_os_crashes")) + "</th><th>" +
           esc(L("health_col_disk_busy")) + "</th><th>" + esc(L("health_col_boot")) + "</th><th>" +
           esc(L("health_col_battery")) + "</th></tr></thead><tbody>";
  n = 0;
  for (const auto& row : m["list"]) {
    const json& i = row["instability"];
    m_out += "<tr><td class=\"c\">" + std::to_string(++n) + "</td><td>" + esc(row["hostname"].get<std::string>()) +
             "</td><td>" + esc(row["site"].get<std::string>()) + "</td><td>" + disk_health_cell(row) +
             "</td><td class=\"r\">" + num(i["unexpected_shutdowns"]) + "</td><td class=\"r\">" +
             num(i["power_cut_shutdowns"]) + "</td><td class=\"r\">" + num(i["os_crashes"]) + "</td><td class=\"r\">" +
             esc(fmt_pct(row["disk_saturation"]["busy_90_pct"], 1, m_lang)) + "</td><td class=\"r\">" +
             num(row["wear"]["boot_median_s"], 1) + "</td><td class=\"r\">" +
             esc(fmt_pct(row["wear"]["battery_wear_pct"], 1, m_lang)) + "</td></tr>";
  }
  m_out += "</tbody></table>";
  procurement();
  m_out += "</section>";
}

void Html::procurement() {
  const json& p = m_r["machines"]["procurement"];
  m_out += "<h3>" + esc(L("proc_title")) + "</h3>";
  m_out += "<table><thead><tr><th>" + esc(L("no")) + "</th><th>" + esc(L("hostname")) + "</th><th>" +
           esc(L("proc_config")) + "</th><th>" + esc(L("age")) + "</th><th>" + esc(L("os")) + "</th><th>" +
           esc(L("proc_win11")) + "</th><th>" + esc(L("pressure")) + "</th><th>" + esc(L("proc_proposal")) +
           "</th></tr></thead><tbody>";
  int n = 0;
  for (const auto& r : p["rows"]) {
    std::string config = value_text(r["cpu"]) + "; " +
                         (r["ram_bytes"].is_number() ? fmt_gb(r["ram_bytes"].get<double>(), m_lang) : "—") + "; " +
                         media_text(r["system_disk"]);
    if (r["disk_health"] == "failing" || r["disk_health"] == "worn")
      config += " (" + L(("disk_verdict_" + r["disk_health"].get<std::string>()).c_str()) + ")";
    const std::string cls = r["os_class"].get<std::string>();
    std::string os = value_text(r["os"]) + " — " + L(("proc_os_" + cls).c_str());
    if (cls == "ended" && r["os_extended_ends"].is_string())
      os += " " + L("proc_since", {date(r["os_extended_ends"].get<std::string>())});
    else if (cls == "ended" && r["os_support_ends"].is_string())
      os += " " + L("proc_since", {date(r["os_support_ends"].get<std::string>())});
    else if (cls == "paid_extension_only" && r["os_support_ends"].is_string())
      os += " " + L("proc_since", {date(r["os_support_ends"].get<std::string>())});
    const std::string win11 =
        r["windows11_ready"].is_boolean() ? L(r["windows11_ready"].get<bool>() ? "yes" : "proc_no") : "—";
    std::string reasons;
    for (const auto& reason : r["reasons"])
      reasons += (reasons.empty() ? "" : "; ") + L(("proc_reason_" + reason.get<std::string>()).c_str());
    m_out += "<tr><td class=\"c\">" + std::to_string(++n) + "</td><td>" + esc(value_text(r["hostname"])) + "<br>" +
             esc(value_text(r["site"])) + "</td><td>" + esc(config) + "</td><td class=\"r\">" + num(r["age_years"], 1) +
             "</td><td>" + esc(os) + "</td><td class=\"c\">" + esc(win11) + "</td><td class=\"r\">" +
             esc(fmt_pct(r["over_90_pct"], 1, m_lang)) + "</td><td><b>" +
             esc(L(("proc_" + r["proposal"].get<std::string>()).c_str())) + "</b>" +
             (reasons.empty() ? std::string() : "<br>" + esc(reasons)) + "</td></tr>";
  }
  if (n == 0) m_out += "<tr><td colspan=\"8\" class=\"c\">" + esc(L("none")) + "</td></tr>";
  m_out += "</tbody></table>";
  const json& c = p["counts"];
  m_out += "<p>" +
           esc(L("proc_counts", {num(c["replace"]), num(c["upgrade_ram_ssd"]), num(c["update_os"]), num(c["keep"]),
                                 num(c["unknown"]), num(c["replace_disk"])})) +
           "</p>";
  const json& price = p["price_ceiling"];
  std::string rules = L("proc_life", {num(p["useful_life"]["years"]), p["useful_life"]["source"].get<std::string>()});
  if (price["vnd"].is_number()) {
    rules += " " + L("proc_price", {num(price["vnd"]), price["source"].get<std::string>(), num(c["replace"]),
                                    num(p["replacement_budget_vnd"])});
  } else {
    rules += " " + L("proc_no_price");
  }
  // "2026-11" as 11/2026, "2026-11-03" as 03/11/2026 in Vietnamese.
  std::string checked = p["checked"].get<std::string>();
  if (vi() && checked.size() == 7 && checked[4] == '-') checked = checked.substr(5, 2) + "/" + checked.substr(0, 4);
  rules += " " + L("proc_checked", {date(checked)});
  m_out += "<p class=\"muted\">" + esc(rules) + " " + esc(L("proc_rule")) + "</p>";
}

}  // namespace itsa::report::detail
