// /machines (filter, sort, search), /machines.csv (UTF-8 with BOM), /machines/<id> (detail).
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "common/log.hpp"
#include "common/time_format.hpp"
#include "report/csv_table.hpp"
#include "report/text.hpp"
#include "server/http/routes.hpp"
#include "server/report/report_input.hpp"
#include "server/web/page.hpp"
#include "server/web/timeline.hpp"
#include "server/web/views.hpp"

namespace itsa::server {
namespace {

using namespace web;
using nlohmann::json;

std::int64_t now_ms(const RequestContext& ctx) {
  return to_unix_ms(ctx.server.clock.utc_now());
}

Reply storage_error(const Error& e) {
  log::get("server")->error("web: {}", e.message);
  return html_reply("<h1>503</h1><p>storage unavailable</p>", http::status::service_unavailable);
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// Worst first: failing, worn, unknown, ok, no reading.
int disk_rank(const std::string& verdict) {
  return verdict == "failing" ? 0 : verdict == "worn" ? 1 : verdict == "unknown" ? 2 : verdict == "ok" ? 3 : 4;
}

/// The system disk's verdict (report/compute_health.cpp), with its deciding reason when `reason`.
std::string disk_health_html(Lang lang, const MachineRow& r, bool reason) {
  if (r.disk_verdict.empty()) return "—";
  const char* cls = r.disk_verdict == "failing" ? "bad"
                    : r.disk_verdict == "worn"  ? "warn"
                    : r.disk_verdict == "ok"    ? "good"
                                                : "";
  std::string h =
      std::string("<span class=\"") + cls + "\">" + html_escape(t(lang, "disk_verdict_" + r.disk_verdict)) + "</span>";
  if (reason && r.disk_reason.is_object()) {
    const std::string text = r.disk_reason.value(lang == Lang::vi ? "vi" : "en", std::string());
    if (!text.empty()) h += " — " + html_escape(text);
  }
  return h;
}

/// Its own unexpected shutdowns / OS crashes, and its shutdowns in power cuts of its site apart.
std::string instability_html(Lang lang, const MachineRow& r) {
  std::string h = std::to_string(r.own_shutdowns_30d) + " / " + std::to_string(r.os_crashes_30d);
  if (r.power_cut_shutdowns_30d > 0)
    h += " <small>" +
         html_escape(report::label("health_power_cut_cell", lang, {std::to_string(r.power_cut_shutdowns_30d)})) +
         "</small>";
  return h;
}

/// A PC's boot time median in seconds (report/wear.cpp), "—" when not measured.
std::string boot_html(Lang lang, const MachineRow& r) {
  const auto& w = r.facts.wear;
  return w.boot_median_s ? format_number(lang, *w.boot_median_s, 1) : "—";
}

/// Its battery's wear in %, "—" without a battery or a capacity read.
std::string battery_html(Lang lang, const MachineRow& r) {
  const auto& w = r.facts.wear;
  return w.battery_wear_pct ? format_number(lang, *w.battery_wear_pct, 1) + " %" : "—";
}

/// Rows kept by the filters (site, verdict, os, q) in the order asked (sort, dir).
std::vector<MachineRow> select_rows(std::vector<MachineRow> rows, std::map<std::string, std::string>& q) {
  const auto needle = lower(q["q"]);
  std::erase_if(rows, [&](const MachineRow& r) {
    if (!q["site"].empty() && r.agent.site != q["site"]) return true;
    if (!q["verdict"].empty() && r.facts.verdict != q["verdict"]) return true;
    if (!q["os"].empty() && r.facts.os_support != q["os"]) return true;
    if (!q["media"].empty() && r.facts.system_disk_media != q["media"]) return true;
    if (!needle.empty()) {
      auto hay =
          lower(r.agent.hostname + " " + r.facts.model + " " + r.facts.cpu + " " + r.facts.os + " " + r.agent.agent_id);
      if (hay.find(needle) == std::string::npos) return true;
    }
    return false;
  });
  const auto sort = q["sort"].empty() ? std::string("site") : q["sort"];
  const bool desc = q["dir"] == "desc";
  auto key_less = [&](const MachineRow& a, const MachineRow& b) {
    if (sort == "hostname") return lower(a.agent.hostname) < lower(b.agent.hostname);
    if (sort == "age") return a.facts.age_years < b.facts.age_years;
    if (sort == "ram") return a.facts.ram_gb < b.facts.ram_gb;
    if (sort == "availability") return a.availability_30d.ratio() < b.availability_30d.ratio();
    if (sort == "last_seen") return a.agent.last_seen_ms < b.agent.last_seen_ms;
    if (sort == "verdict") return a.facts.verdict < b.facts.verdict;
    if (sort == "os") return a.facts.os_support < b.facts.os_support;
    if (sort == "outages") return a.outages_30d < b.outages_30d;
    if (sort == "downtime") return a.availability_30d.outage_s < b.availability_30d.outage_s;
    if (sort == "crc") return a.days_30d.rx_crc_errors < b.days_30d.rx_crc_errors;
    if (sort == "flaps") return a.days_30d.link_flaps < b.days_30d.link_flaps;
    if (sort == "load") return a.load_over_ratio() < b.load_over_ratio();
    if (sort == "disk_health") return disk_rank(a.disk_verdict) < disk_rank(b.disk_verdict);
    if (sort == "instability") return a.own_shutdowns_30d + a.os_crashes_30d < b.own_shutdowns_30d + b.os_crashes_30d;
    if (sort == "boot") return a.facts.wear.boot_median_s.value_or(-1) < b.facts.wear.boot_median_s.value_or(-1);
    if (sort == "battery")
      return a.facts.wear.battery_wear_pct.value_or(-1) < b.facts.wear.battery_wear_pct.value_or(-1);
    if (sort == "media") return a.facts.system_disk_media < b.facts.system_disk_media;
    if (sort == "model") return lower(a.facts.model) < lower(b.facts.model);
    if (sort == "cpu") return lower(a.facts.cpu) < lower(b.facts.cpu);
    if (sort == "os_name") return lower(a.facts.os) < lower(b.facts.os);
    return std::tie(a.agent.site, a.agent.hostname) < std::tie(b.agent.site, b.agent.hostname);
  };
  std::stable_sort(rows.begin(), rows.end(),
                   [&](const MachineRow& a, const MachineRow& b) { return desc ? key_less(b, a) : key_less(a, b); });
  return rows;
}

std::string media_text(Lang lang, const std::string& media) {
  if (media == "ssd") return "SSD";
  if (media == "nvme") return "SSD NVMe";
  if (media == "hdd") return "HDD";
  return media.empty() || media == "unknown" ? t(lang, "unknown") : media;
}

std::string verdict_html(Lang lang, const std::string& v) {
  const char* cls = v == "meets" ? "good" : v == "does_not_meet" ? "bad" : "";
  return std::string("<span class=\"") + cls + "\">" + html_escape(t(lang, v)) + "</span>";
}

std::string support_html(Lang lang, const std::string& v) {
  const char* cls = v == "supported" ? "good" : v == "ended" ? "bad" : v == "extended" ? "warn" : "";
  return std::string("<span class=\"") + cls + "\">" + html_escape(t(lang, v)) + "</span>";
}

std::string select_html(const std::string& name, const std::string& label,
                        const std::vector<std::pair<std::string, std::string>>& options, const std::string& current) {
  std::string h = "<label>" + html_escape(label) + "<select name=\"" + name + "\">";
  for (const auto& [value, text] : options)
    h += "<option value=\"" + html_escape(value) + "\"" + (value == current ? " selected" : "") + ">" +
         html_escape(text) + "</option>";
  return h + "</select></label>";
}

std::string query_string(const std::map<std::string, std::string>& q) {
  std::string s;
  for (const auto& [k, v] : q) {
    if (v.empty()) continue;
    s += (s.empty() ? "?" : "&") + url_encode(k) + "=" + url_encode(v);
  }
  return s;
}

Reply get_machines(const Request& req, RequestContext& ctx) {
  WebUser user;
  if (auto r = require_login(req, ctx, user)) return *r;
  const Lang lang = lang_of(req);
  const int tz = ctx.server.options.display_utc_offset_min;
  auto q = query_of(req);
  const auto agency = agency_in_view(user, q);
  auto all = machine_rows(ctx.server.storage, now_ms(ctx), installation_schedule(ctx.server.options.data_dir), agency);
  if (!all) return storage_error(all.error());
  auto sites = ctx.server.storage.site_rows();
  if (!sites) return storage_error(sites.error());
  const auto total = all.value().size();
  auto rows = select_rows(std::move(all.value()), q);

  std::vector<std::pair<std::string, std::string>> site_opts{{"", t(lang, "all")}};
  for (const auto& s : site_names(sites.value(), agency)) site_opts.emplace_back(s, s);
  std::string b = "<form method=\"get\" action=\"/machines\" class=\"filters\">";
  b += agency_select_html(lang, user, sites.value(), q["agency"]);
  b += select_html("site", t(lang, "site"), site_opts, q["site"]);
  b += select_html("verdict", t(lang, "verdict"),
                   {{"", t(lang, "all")},
                    {"meets", t(lang, "meets")},
                    {"does_not_meet", t(lang, "does_not_meet")},
                    {"unknown", t(lang, "unknown")}},
                   q["verdict"]);
  b += select_html("os", t(lang, "os_status"),
                   {{"", t(lang, "all")},
                    {"supported", t(lang, "supported")},
                    {"extended", t(lang, "extended")},
                    {"ended", t(lang, "ended")},
                    {"unknown", t(lang, "unknown")}},
                   q["os"]);
  b += select_html("media", t(lang, "disk"),
                   {{"", t(lang, "all")}, {"ssd", "SSD"}, {"nvme", "SSD NVMe"}, {"hdd", "HDD"}}, q["media"]);
  b += "<label>" + html_escape(t(lang, "search")) + "<input name=\"q\" type=\"search\" value=\"" + html_escape(q["q"]) +
       "\"></label>";
  b += select_html("sort", t(lang, "sort"),
                   {{"site", t(lang, "site")},
                    {"hostname", t(lang, "hostname")},
                    {"age", t(lang, "age")},
                    {"ram", t(lang, "ram")},
                    {"verdict", t(lang, "verdict")},
                    {"os", t(lang, "os_status")},
                    {"availability", t(lang, "availability")},
                    {"last_seen", t(lang, "last_seen")}},
                   q["sort"]);
  b += select_html("dir", "↑↓", {{"asc", "↑"}, {"desc", "↓"}}, q["dir"]);
  b += "<button type=\"submit\" id=\"filter\">" + html_escape(t(lang, "filter")) + "</button></form>";
  b += "<p><span id=\"count\">" + std::to_string(rows.size()) + "</span> / " + std::to_string(total) +
       " — <a id=\"csv\" href=\"/machines.csv" + html_escape(query_string(q)) + "\" download>" +
       html_escape(t(lang, "csv")) + "</a> — " + html_escape(t(lang, "time_zone")) + " UTC" + (tz >= 0 ? "+" : "-") +
       std::to_string(std::abs(tz) / 60) + "</p>";
  // Every header sorts by its column: a click on the current one reverses the order.
  static constexpr std::pair<const char*, const char*> k_columns[] = {{"site", "site"},
                                                                      {"hostname", "hostname"},
                                                                      {"model", "model"},
                                                                      {"cpu", "cpu"},
                                                                      {"ram", "ram"},
                                                                      {"disk", "media"},
                                                                      {"os", "os_name"},
                                                                      {"os_status", "os"},
                                                                      {"age", "age"},
                                                                      {"verdict", "verdict"},
                                                                      {"outages_30d", "outages"},
                                                                      {"downtime_min", "downtime"},
                                                                      {"crc_30d", "crc"},
                                                                      {"flaps_30d", "flaps"},
                                                                      {"load_30d", "load"},
                                                                      {"disk_health", "disk_health"},
                                                                      {"instability_30d", "instability"},
                                                                      {"boot_median", "boot"},
                                                                      {"battery_wear", "battery"},
                                                                      {"availability", "availability"},
                                                                      {"last_seen", "last_seen"}};
  b += "<table id=\"machines\"><thead><tr>";
  for (const auto& [k, key] : k_columns) {
    const bool current = (q["sort"].empty() ? std::string("site") : q["sort"]) == key;
    auto link = q;
    link["sort"] = key;
    link["dir"] = current && q["dir"] != "desc" ? "desc" : "asc";
    b += "<th><a class=\"sort\" href=\"/machines" + html_escape(query_string(link)) + "\">" + html_escape(t(lang, k)) +
         (current ? (q["dir"] == "desc" ? " ↓" : " ↑") : "") + "</a></th>";
  }
  b += "</tr></thead><tbody>";
  for (const auto& r : rows) {
    const auto& f = r.facts;
    b += "<tr><td>" + html_escape(r.agent.site) + "</td><td><a href=\"/machines/" + url_encode(r.agent.agent_id) +
         "\">" + html_escape(r.agent.hostname) + "</a>" +
         (r.agent.revoked() ? " <span class=\"bad\">(" + html_escape(t(lang, "agent_revoked")) + ")</span>" : "") +
         "</td><td>" + html_escape(f.model) + "</td><td>" + html_escape(f.cpu) + "</td><td class=\"num\">" +
         (f.ram_gb < 0 ? "—" : format_number(lang, f.ram_gb, 1)) + "</td><td>" +
         html_escape(media_text(lang, f.system_disk_media)) + "</td><td>" + html_escape(f.os) + "</td><td>" +
         support_html(lang, f.os_support) + "</td><td class=\"num\">" +
         (f.age_years < 0 ? "—" : format_number(lang, f.age_years, 1)) + "</td><td>" + verdict_html(lang, f.verdict) +
         "</td><td class=\"num\">" + std::to_string(r.outages_30d) + "</td><td class=\"num\">" +
         format_number(lang, r.availability_30d.outage_s / 60.0, 0) + "</td><td class=\"num\">" +
         (r.days_30d.link_minutes > 0 ? format_number(lang, static_cast<double>(r.days_30d.rx_crc_errors), 0) : "—") +
         "</td><td class=\"num\">" +
         (r.days_30d.link_minutes > 0 ? format_number(lang, static_cast<double>(r.days_30d.link_flaps), 0) : "—") +
         "</td><td class=\"num\">" + format_percent(lang, r.load_over_ratio()) + "</td><td>" +
         disk_health_html(lang, r, false) + "</td><td class=\"num\">" + instability_html(lang, r) +
         "</td><td class=\"num\">" + boot_html(lang, r) + "</td><td class=\"num\">" + battery_html(lang, r) +
         "</td><td class=\"num\">" + format_percent(lang, r.availability_30d.ratio()) + "</td><td>" +
         format_datetime(lang, r.agent.last_seen_ms, tz) + "</td></tr>";
  }
  b += "</tbody></table>";
  if (rows.empty()) b += "<p>" + html_escape(t(lang, "no_data")) + "</p>";
  return html_reply(layout(req, lang, user, Nav::machines, t(lang, "machines"), b));
}

/// A figure for the CSV: null when unknown (negative).
nlohmann::json figure(double v, int decimals) {
  if (v < 0) return nullptr;
  const double scale = std::pow(10.0, decimals);
  return std::round(v * scale) / scale;
}

/// /machines.csv: the rows of /machines (same filters and order) as the reader's spreadsheet
/// opens them: headers in the UI language, Vietnamese ';' and decimal commas, local times
/// dd/mm/yyyy HH:MM, words instead of codes (report/csv_table.hpp, as the report's tables).
Reply get_machines_csv(const Request& req, RequestContext& ctx) {
  WebUser user;
  if (auto r = require_login(req, ctx, user)) return *r;
  const Lang lang = lang_of(req);
  const int tz = ctx.server.options.display_utc_offset_min;
  auto q = query_of(req);
  auto all = machine_rows(ctx.server.storage, now_ms(ctx), installation_schedule(ctx.server.options.data_dir),
                          agency_in_view(user, q));
  if (!all) return storage_error(all.error());
  auto rows = select_rows(std::move(all.value()), q);
  report::CsvWriter table("machines.csv",
                          {"ui.csv_col_site",
                           "ui.csv_col_hostname",
                           "ui.csv_col_agent_id",
                           "ui.csv_col_model",
                           "ui.csv_col_cpu",
                           "ui.csv_col_ram_gb",
                           "ui.csv_col_system_disk",
                           "ui.csv_col_os",
                           "ui.csv_col_os_support",
                           "ui.csv_col_bios_date",
                           "ui.csv_col_age_years",
                           "ui.csv_col_verdict",
                           "ui.csv_col_outages_30d",
                           "ui.csv_col_downtime_30d_min",
                           "ui.csv_col_crc_30d",
                           "ui.csv_col_flaps_30d",
                           "ui.csv_col_load_30d_pct",
                           "ui.csv_col_disk_health",
                           "ui.csv_col_disk_reason",
                           "ui.csv_col_shutdowns_30d",
                           "ui.csv_col_power_cut_shutdowns_30d",
                           "ui.csv_col_os_crashes_30d",
                           "ui.csv_col_boot_median_s",
                           "ui.csv_col_battery_wear_pct",
                           "ui.csv_col_availability_30d_pct",
                           "ui.csv_col_last_seen",
                           "ui.csv_col_revoked_at"},
                          lang);
  for (const auto& r : rows) {
    const auto& f = r.facts;
    const double avail = r.availability_30d.ratio();
    table.row(
        {r.agent.site,
         r.agent.hostname,
         r.agent.agent_id,
         f.model,
         f.cpu,
         figure(f.ram_gb, 1),
         media_text(lang, f.system_disk_media),
         f.os,
         t(lang, f.os_support.empty() ? "unknown" : f.os_support),
         f.bios_date.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.bios_date),
         figure(f.age_years, 1),
         t(lang, f.verdict.empty() ? "unknown" : f.verdict),
         r.outages_30d,
         figure(r.availability_30d.outage_s / 60.0, 0),
         r.days_30d.link_minutes > 0 ? nlohmann::json(r.days_30d.rx_crc_errors) : nlohmann::json(nullptr),
         r.days_30d.link_minutes > 0 ? nlohmann::json(r.days_30d.link_flaps) : nlohmann::json(nullptr),
         r.load_over_ratio() < 0 ? nlohmann::json(nullptr) : figure(r.load_over_ratio() * 100, 1),
         r.disk_verdict.empty() ? nlohmann::json(nullptr) : nlohmann::json(t(lang, "disk_verdict_" + r.disk_verdict)),
         r.disk_reason.is_object() ? nlohmann::json(r.disk_reason.value(lang == Lang::vi ? "vi" : "en", std::string()))
                                   : nlohmann::json(nullptr),
         r.own_shutdowns_30d,
         r.power_cut_shutdowns_30d,
         r.os_crashes_30d,
         f.wear.boot_median_s ? nlohmann::json(*f.wear.boot_median_s) : nlohmann::json(nullptr),
         f.wear.battery_wear_pct ? nlohmann::json(*f.wear.battery_wear_pct) : nlohmann::json(nullptr),
         avail < 0 ? nlohmann::json(nullptr) : figure(avail * 100, 2),
         format_datetime(lang, r.agent.last_seen_ms, tz),
         r.agent.revoked() ? nlohmann::json(format_datetime(lang, r.agent.revoked_ms, tz)) : nlohmann::json(nullptr)});
  }
  std::string csv = std::move(table.done().content);
  auto reply = make_reply(http::status::ok, std::move(csv), "text/csv; charset=utf-8");
  reply.response.set(http::field::content_disposition, "attachment; filename=\"machines.csv\"");
  reply.response.set(http::field::cache_control, "no-store");
  return reply;
}

/// Nested inventory JSON as definition lists.
// Stored JSON (an inventory) as nested lists; deeper than k_max_depth is shown as "…", so a
// hostile record stored before the ingest depth limit cannot exhaust the stack (issue 17).
std::string json_html(const json& v, int depth = 0) {
  constexpr int k_max_depth = 16;
  if ((v.is_object() || v.is_array()) && !v.empty() && depth >= k_max_depth) return "…";
  if (v.is_object()) {
    if (v.empty()) return "—";
    std::string h = "<dl>";
    for (const auto& [k, x] : v.items()) h += "<dt>" + html_escape(k) + "</dt><dd>" + json_html(x, depth + 1) + "</dd>";
    return h + "</dl>";
  }
  if (v.is_array()) {
    if (v.empty()) return "—";
    std::string h = "<ol>";
    for (const auto& x : v) h += "<li>" + json_html(x, depth + 1) + "</li>";
    return h + "</ol>";
  }
  if (v.is_string()) return html_escape(v.get<std::string>());
  if (v.is_null()) return "—";
  return html_escape(v.dump());
}

std::string text_of(const json& v) {
  return v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump();
}

Reply get_machine(const Request& req, RequestContext& ctx) {
  WebUser user;
  if (auto r = require_login(req, ctx, user)) return *r;
  const Lang lang = lang_of(req);
  const int tz = ctx.server.options.display_utc_offset_min;
  const auto id = url_decode(target_path(sv(req.target())).substr(std::string_view("/machines/").size()));
  auto q = query_of(req);
  const int days = q["days"] == "30" ? 30 : 7;
  auto detail =
      machine_detail(ctx.server.storage, id, now_ms(ctx), days, installation_schedule(ctx.server.options.data_dir));
  if (!detail) return storage_error(detail.error());
  // Another agency's machine is, to a scoped reviewer, no machine at all.
  if (!detail.value() || !may_see(user, detail.value()->row.agent.agency))
    return html_reply(layout(req, lang, user, Nav::machines, t(lang, "not_found"),
                             "<p><a href=\"/machines\">← " + html_escape(t(lang, "machines")) + "</a></p>"),
                      http::status::not_found);
  const auto& d = *detail.value();
  const auto& a = d.row.agent;
  const auto& f = d.row.facts;
  std::string b = "<dl id=\"summary\">";
  auto item = [&](const char* key, const std::string& value_html) {
    b += "<dt>" + html_escape(t(lang, key)) + "</dt><dd>" + value_html + "</dd>";
  };
  item("site", html_escape(a.site));
  item("model", html_escape(f.model));
  item("cpu", html_escape(f.cpu));
  item("ram", f.ram_gb < 0 ? "—" : format_number(lang, f.ram_gb, 1));
  item("disk", html_escape(media_text(lang, f.system_disk_media)));
  item("os", html_escape(f.os) + " — " + support_html(lang, f.os_support));
  item("age", f.age_years < 0 ? "—"
                              : format_number(lang, f.age_years, 1) + " (BIOS " +
                                    html_escape(lang == Lang::vi && f.bios_date.size() == 10
                                                    ? f.bios_date.substr(8, 2) + "/" + f.bios_date.substr(5, 2) + "/" +
                                                          f.bios_date.substr(0, 4)
                                                    : f.bios_date) +
                                    ")");
  item("verdict", verdict_html(lang, f.verdict));
  item("disk_health", disk_health_html(lang, d.row, true));
  item("instability_days",
       instability_html(lang, d.row) + " (" + std::to_string(days) + " " + html_escape(t(lang, "days_word")) + ")");
  item("boot_median", f.wear.boot_median_s
                          ? boot_html(lang, d.row) + " " + html_escape(t(lang, "seconds_unit")) + " (" +
                                std::to_string(f.wear.boots) + " " + html_escape(t(lang, "boots_word")) + ")"
                          : "—");
  item("battery_wear", battery_html(lang, d.row));
  item("availability", format_percent(lang, d.row.availability_30d.ratio()) + " (" + std::to_string(days) + " " +
                           html_escape(t(lang, "days_word")) + ")");
  item("agent_version", html_escape(a.agent_version));
  item("first_seen", format_datetime(lang, a.first_seen_ms, tz));
  item("last_seen", format_datetime(lang, a.last_seen_ms, tz));
  item("agent_status", a.revoked() ? "<span class=\"bad\">" + html_escape(t(lang, "agent_revoked")) + " " +
                                         format_datetime(lang, a.revoked_ms, tz) + "</span> — " +
                                         html_escape(t(lang, "agent_revoked_note"))
                                   : html_escape(t(lang, "agent_active")));
  if (!a.previous_agent_id.empty())
    item("previous_id",
         "<a href=\"/machines/" + url_encode(a.previous_agent_id) + "\">" + html_escape(a.previous_agent_id) + "</a>");
  b += "<dt>" + html_escape(t(lang, "agent_id")) + "</dt><dd><code>" + html_escape(a.agent_id) + "</code></dd></dl>";

  b += "<h2>" + html_escape(t(lang, "assessment")) + "</h2>";
  if (d.row.assessment.is_object() && d.row.assessment.contains("rules") && d.row.assessment["rules"].is_array()) {
    b += "<table id=\"rules\"><tr><th>" + html_escape(t(lang, "rule")) + "</th><th>" + html_escape(t(lang, "result")) +
         "</th><th>" + html_escape(t(lang, "measured")) + "</th><th>" + html_escape(t(lang, "required")) + "</th><th>" +
         html_escape(t(lang, "reason")) + "</th></tr>";
    for (const auto& rule : d.row.assessment["rules"]) {
      if (!rule.is_object()) continue;
      // In the reader's language: the rule's name, its result, the requirement and reason as the
      // assessor wrote them in that language (required_vi / reason_vi), never ids or pass/fail.
      const auto result = text_of(rule.value("result", json()));
      const bool vi = lang == Lang::vi;
      const auto pick = [&](const char* key) {
        const std::string vi_key = std::string(key) + "_vi";
        return text_of(vi && rule.contains(vi_key) ? rule[vi_key] : rule.value(key, json()));
      };
      b += "<tr><td>" + html_escape(report::rule_label(text_of(rule.value("id", json())), lang)) + "</td><td class=\"" +
           (result == "fail"   ? "bad"
            : result == "pass" ? "good"
                               : "") +
           "\">" +
           html_escape(t(lang, result == "pass"   ? "rule_pass"
                               : result == "fail" ? "rule_fail"
                                                  : "unknown")) +
           "</td><td>" + html_escape(text_of(rule.value("measured", json()))) + "</td><td>" +
           html_escape(pick("required")) + "</td><td>" + html_escape(pick("reason")) + "</td></tr>";
    }
    b += "</table>";
  } else {
    b += "<p>" + html_escape(t(lang, "no_data")) + "</p>";
  }

  b += "<h2>" + html_escape(t(lang, "connectivity")) + "</h2><p><a href=\"?days=7\">" + html_escape(t(lang, "days7")) +
       "</a> | <a href=\"?days=30\">" + html_escape(t(lang, "days30")) + "</a></p>";
  b += timeline_svg(lang, d.from_ms, d.to_ms, d.coverage, d.outages, tz);
  b += "<h3>" + html_escape(t(lang, "outages")) + "</h3>";
  if (d.outages.empty()) {
    b += "<p>" + html_escape(t(lang, "no_data")) + "</p>";
  } else {
    b += "<table id=\"outages\"><tr><th>" + html_escape(t(lang, "start")) + "</th><th>" +
         html_escape(t(lang, "duration_min")) + "</th><th>" + html_escape(t(lang, "cause")) + "</th><th>" +
         html_escape(t(lang, "interface")) + "</th></tr>";
    for (auto it = d.outages.rbegin(); it != d.outages.rend(); ++it) {
      b += "<tr><td>" + format_datetime(lang, it->span.start_ms, tz) + "</td><td class=\"num\">" +
           format_number(lang, static_cast<double>(it->span.end_ms - it->span.start_ms) / 60000.0, 1) +
           (it->open ? " …" : "") + "</td><td>" + html_escape(t(lang, it->cause)) + "</td><td>" +
           html_escape(it->interface_name) + "</td></tr>";
    }
    b += "</table>";
  }
  b += "<h3>" + html_escape(t(lang, "link_events")) + "</h3>";
  if (d.link_events.empty()) {
    b += "<p>" + html_escape(t(lang, "no_data")) + "</p>";
  } else {
    b += "<table id=\"link-events\"><tr><th>" + html_escape(t(lang, "start")) + "</th><th>" +
         html_escape(t(lang, "interface")) + "</th><th>" + html_escape(t(lang, "event")) + "</th><th>" +
         html_escape(t(lang, "speed")) + "</th></tr>";
    for (const auto& e : d.link_events) {
      auto at = parse_rfc3339(text_of(e.value("at", json())));
      const auto event = text_of(e.value("event", json()));
      b += "<tr><td>" + (at ? format_datetime(lang, to_unix_ms(*at), tz) : "—") + "</td><td>" +
           html_escape(text_of(e.value("interface", json()))) + "</td><td class=\"" +
           (event == "speed_downgrade" || event == "carrier_down" ? "bad" : "") + "\">" +
           html_escape(t(lang, ("event_" + event).c_str())) + "</td><td>" +
           html_escape(text_of(e.value("speed_mbps", json()))) + " / " +
           html_escape(text_of(e.value("max_speed_mbps", json()))) + "</td></tr>";
    }
    b += "</table>";
  }
  b += "<h3>" + html_escape(t(lang, "errors")) + "</h3>";
  if (d.link_totals.empty()) {
    b += "<p>" + html_escape(t(lang, "no_data")) + "</p>";
  } else {
    b += "<table id=\"errors\"><tr><th>" + html_escape(t(lang, "interface")) + "</th>";
    const std::vector<std::string> keys{"flaps",           "rx_errors",  "tx_errors", "rx_crc_errors",
                                        "rx_frame_errors", "rx_dropped", "tx_dropped"};
    for (const auto& k : keys)
      b += "<th>" + html_escape(t(lang, k == "flaps" ? "flaps" : ("nic_" + k).c_str())) + "</th>";
    b += "</tr>";
    for (const auto& [nic, totals] : d.link_totals.items()) {
      b += "<tr><td>" + html_escape(nic) + "</td>";
      for (const auto& k : keys) {
        const double v = totals.value(k, 0.0);
        b += "<td class=\"num" + std::string(v > 0 ? " bad" : "") + "\">" + format_number(lang, v, 0) + "</td>";
      }
      b += "</tr>";
    }
    b += "</table>";
  }

  b += "<h2>" + html_escape(t(lang, "pressure")) + "</h2>";
  if (d.pressure.is_object()) {
    b += "<table id=\"pressure\"><tr><th>" + html_escape(t(lang, "field")) + "</th><th>" +
         html_escape(t(lang, "value")) + "</th></tr>";
    for (const auto& [k, v] : d.pressure.items())
      b += "<tr><td>" + html_escape(t(lang, ("pressure_" + k).c_str())) + "</td><td class=\"num\">" +
           format_number(lang, v.get<double>(), k == "minutes" ? 0 : 1) + "</td></tr>";
    b += "</table>";
  } else {
    b += "<p>" + html_escape(t(lang, "no_data")) + "</p>";
  }
  b += "<h2>" + html_escape(t(lang, "inventory")) + "</h2><div id=\"inventory\">" + json_html(d.row.inventory) +
       "</div>";
  return html_reply(layout(req, lang, user, Nav::machines, a.hostname, b));
}

}  // namespace

void add_machine_routes(Router& router) {
  router.add({http::verb::get, "/machines", false, get_machines, nullptr, 64 * 1024, Offload::render});
  router.add({http::verb::get, "/machines.csv", false, get_machines_csv, nullptr, 64 * 1024, Offload::render});
  router.add({http::verb::get, "/machines/", true, get_machine, nullptr, 64 * 1024, Offload::render});
}

}  // namespace itsa::server
