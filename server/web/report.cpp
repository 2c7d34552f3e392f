// /report: the evidence report in the review UI — a form (period, site, profile, hours,
// language) with one download button per format; /report.html, /report.json, /report.csv
// serve the same document `itsa-server report` writes.
#include <cstdio>
#include <cstdlib>
#include <variant>

#include "assess/assess.hpp"
#include "common/log.hpp"
#include "common/time_format.hpp"
#include "report/office_hours.hpp"
#include "report/render.hpp"
#include "report/settings.hpp"
#include "server/http/routes.hpp"
#include "server/report/report_input.hpp"
#include "server/web/page.hpp"

namespace itsa::server {
namespace {

using namespace web;

/// The installation's report settings (<data-dir>/report.json, read per request as
/// `itsa-server report` does); defaults when the server has no data dir or no file.
Result<report::ReportSettings> settings_of(RequestContext& ctx) {
  if (ctx.server.options.data_dir.empty()) return report::ReportSettings{};
  return report::load_settings_file(report_settings_file(ctx.server.options.data_dir));
}

/// The 500 page of a malformed report.json: names the file and the key, as the CLI does.
Reply bad_settings(const Request& req, Lang lang, const std::optional<WebUser>& user, const std::string& message) {
  log::get("server")->error("web /report: {}", message);
  return html_reply(layout(req, lang, user, Nav::report, t(lang, "report"),
                           "<p class=\"bad\">" + html_escape(t(lang, "form_bad_settings") + message) + "</p>"),
                    http::status::internal_server_error);
}

/// The report options of a request's query; an Error naming the bad parameter.
Result<report::ReportOptions> options_of(const Request& req, RequestContext& ctx, Lang ui_lang,
                                         const report::ReportSettings& settings) {
  auto q = query_of(req);
  report::ReportOptions o;
  o.schedule = settings.schedule;
  o.procurement = settings.procurement;
  o.generated_at = ctx.server.clock.utc_now();
  const long long today = report::local_day(o.schedule, to_unix_ms(o.generated_at));
  o.to_date = q["to"].empty() ? report::format_date(today) : q["to"];
  o.from_date = q["from"].empty() ? report::format_date(today - 29) : q["from"];
  if (!q["site"].empty()) o.site = q["site"];
  if (!q["profile"].empty()) {
    // Only installed profile names from the web, never a file path.
    if (q["profile"].find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") !=
        std::string::npos) {
      return Error{"profile: \"" + q["profile"] + "\" is not a profile name"};
    }
    if (auto profile = collectors::load_profile(q["profile"]); !profile)
      return Error{"profile: " + profile.error().message};
    o.profile = q["profile"];
    o.assessor = profile_assessor(o.to_date);
  }
  auto hours = report::parse_hours(q["hours"].empty() ? "office" : q["hours"]);
  if (!hours) return hours.error();
  o.hours = hours.value();
  auto lang = report::parse_lang(q["lang"].empty() ? (ui_lang == Lang::vi ? "vi" : "en") : q["lang"]);
  if (!lang) return lang.error();
  o.lang = lang.value();
  auto period = report::period_ms(o);
  if (!period) return period.error();
  return o;
}

/// One line naming the settings in use: agency, working days and hours, time zone.
std::string settings_text(const report::ReportSettings& settings, Lang lang) {
  static const char* const k_days_vi[7] = {"CN", "T2", "T3", "T4", "T5", "T6", "T7"};
  static const char* const k_days_en[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  std::string days;
  for (int d = 1; d <= 7; ++d) {
    if (!settings.schedule.weekdays[d % 7]) continue;
    days += (days.empty() ? "" : ", ") + std::string(lang == Lang::vi ? k_days_vi[d % 7] : k_days_en[d % 7]);
  }
  std::string windows;
  for (const auto& w : settings.schedule.windows) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d:%02d–%02d:%02d", w.start_min / 60, w.start_min % 60, w.end_min / 60,
                  w.end_min % 60);
    windows += (windows.empty() ? "" : ", ") + std::string(buf);
  }
  const int off = settings.schedule.utc_offset_min;
  char tz[32];
  std::snprintf(tz, sizeof tz, "UTC%c%02d:%02d", off < 0 ? '-' : '+', std::abs(off) / 60, std::abs(off) % 60);
  std::string out = t(lang, "form_office_hours_is") + days + " " + windows + " (" + tz + ")";
  if (!settings.agency.empty()) out = t(lang, "form_agency_is") + settings.agency + ". " + out;
  return out + t(lang, "form_settings_where");
}

Reply bad_request(const Request& req, Lang lang, const std::optional<WebUser>& user, const std::string& message) {
  return html_reply(
      layout(req, lang, user, Nav::report, t(lang, "report"), "<p class=\"bad\">" + html_escape(message) + "</p>"),
      http::status::bad_request);
}

Reply get_report_form(const Request& req, RequestContext& ctx) {
  WebUser user;
  if (auto r = require_login(req, ctx, user)) return *r;
  const Lang lang = lang_of(req);
  auto settings = settings_of(ctx);
  if (!settings) return bad_settings(req, lang, user, settings.error().message);
  auto o = options_of(req, ctx, lang, settings.value());
  if (!o) return bad_request(req, lang, user, o.error().message);
  auto sites = ctx.server.storage.site_rows();
  if (!sites) {
    log::get("server")->error("web /report: {}", sites.error().message);
    return html_reply("storage unavailable", http::status::service_unavailable);
  }
  auto q = query_of(req);
  const auto agency = agency_in_view(user, q);
  std::string b = "<form method=\"get\" action=\"/report.html\" id=\"report-form\"><table>";
  b += "<tr><td><label for=\"from\">" + t(lang, "form_from") +
       "</label></td><td><input type=\"date\" id=\"from\" name=\"from\" value=\"" + html_escape(o.value().from_date) +
       "\" required></td></tr>";
  b += "<tr><td><label for=\"to\">" + t(lang, "form_to") +
       "</label></td><td><input type=\"date\" id=\"to\" name=\"to\" value=\"" + html_escape(o.value().to_date) +
       "\" required></td></tr>";
  if (const auto select = agency_select_html(lang, user, sites.value(), q["agency"]); !select.empty())
    b += "<tr><td colspan=\"2\">" + select + "</td></tr>";
  b += "<tr><td><label for=\"site\">" + html_escape(t(lang, "site")) +
       "</label></td><td><select id=\"site\" name=\"site\"><option value=\"\">" + html_escape(t(lang, "all")) +
       "</option>";
  for (const auto& site : site_names(sites.value(), agency)) {
    b += "<option value=\"" + html_escape(site) + "\"" + (q["site"] == site ? " selected" : "") + ">" +
         html_escape(site) + "</option>";
  }
  b += "</select></td></tr>";
  b += "<tr><td><label for=\"profile\">" + t(lang, "form_profile") +
       "</label></td><td><input id=\"profile\" name=\"profile\" placeholder=\"office-recommended\" value=\"" +
       html_escape(q["profile"]) + "\"></td></tr>";
  b += "<tr><td><label for=\"hours\">" + t(lang, "form_hours") +
       "</label></td><td><select id=\"hours\" name=\"hours\">"
       "<option value=\"office\">" +
       t(lang, "form_hours_office") + "</option><option value=\"all\"" + (q["hours"] == "all" ? " selected" : "") +
       ">" + t(lang, "form_hours_all") + "</option></select></td></tr>";
  b += "<tr><td><label for=\"lang\">" + t(lang, "form_lang") +
       "</label></td><td><select id=\"lang\" name=\"lang\">"
       "<option value=\"vi\">Tiếng Việt</option><option value=\"en\"" +
       std::string(o.value().lang == report::Lang::en ? " selected" : "") + ">English</option></select></td></tr>";
  b += "<tr><td><label for=\"table\">" + t(lang, "form_csv_table") +
       "</label></td><td><select id=\"table\" name=\"table\">";
  // Every table of report::render_csv, named in the reader's language (the file name is the value).
  for (const char* table : {"summary", "machines", "procurement", "failing_rules", "rules", "machine_age", "outages",
                            "availability_machines", "availability_daily", "links", "cabling_survey", "probes",
                            "history_system_log", "claims"}) {
    b += std::string("<option value=\"") + table + ".csv\">" + html_escape(t(lang, std::string("csv_table_") + table)) +
         "</option>";
  }
  b += "</select></td></tr></table><p>";
  b += "<button type=\"submit\" formaction=\"/report.html\">" + t(lang, "form_view") + "</button> ";
  b += "<button type=\"submit\" formaction=\"/report.html\" name=\"download\" value=\"1\">" +
       t(lang, "form_download_html") + "</button> ";
  b += "<button type=\"submit\" formaction=\"/report.json\">" + t(lang, "form_download_json") + "</button> ";
  b += "<button type=\"submit\" formaction=\"/report.csv\">" + t(lang, "form_download_csv") + "</button></p></form>";
  b += "<p id=\"report-settings\">" + html_escape(settings_text(settings.value(), lang)) + "</p>";
  b += "<p>" + t(lang, "form_summary") + "</p>";
  return html_reply(layout(req, lang, user, Nav::report, t(lang, "report"), b));
}

/// Computes the report of the request; a Reply on error.
std::variant<nlohmann::json, Reply> computed(const Request& req, RequestContext& ctx, WebUser& user) {
  if (auto r = require_login(req, ctx, user)) return *r;
  const Lang lang = lang_of(req);
  auto settings = settings_of(ctx);
  if (!settings) return bad_settings(req, lang, user, settings.error().message);
  auto o = options_of(req, ctx, lang, settings.value());
  if (!o) return bad_request(req, lang, user, o.error().message);
  // A scoped reviewer's report covers its agency only, whatever the query asks.
  o.value().agency = agency_in_view(user, query_of(req));
  auto report = build_server_report(ctx.server.storage, o.value(), o.value().agency.value_or(settings.value().agency));
  if (!report) {
    log::get("server")->error("web /report: {}", report.error().message);
    return html_reply("storage unavailable", http::status::service_unavailable);
  }
  return report.value();
}

std::string file_stem(const nlohmann::json& r) {
  return "itsa-report-" + r["period"]["from"].get<std::string>() + "-" + r["period"]["to"].get<std::string>();
}

Reply get_report_html(const Request& req, RequestContext& ctx) {
  WebUser user;
  auto r = computed(req, ctx, user);
  if (auto* reply = std::get_if<Reply>(&r)) return std::move(*reply);
  const auto& report = std::get<nlohmann::json>(r);
  Reply reply = html_reply(report::render_html(report));
  if (query_of(req)["download"] == "1") {
    reply.response.set(http::field::content_disposition, "attachment; filename=\"" + file_stem(report) + ".html\"");
  }
  return reply;
}

Reply get_report_json(const Request& req, RequestContext& ctx) {
  WebUser user;
  auto r = computed(req, ctx, user);
  if (auto* reply = std::get_if<Reply>(&r)) return std::move(*reply);
  const auto& report = std::get<nlohmann::json>(r);
  Reply reply = make_reply(http::status::ok, report::render_json(report), "application/json; charset=utf-8");
  reply.response.set(http::field::content_disposition, "attachment; filename=\"" + file_stem(report) + ".json\"");
  reply.response.set(http::field::cache_control, "no-store");
  return reply;
}

Reply get_report_csv(const Request& req, RequestContext& ctx) {
  WebUser user;
  auto r = computed(req, ctx, user);
  if (auto* reply = std::get_if<Reply>(&r)) return std::move(*reply);
  const auto& report = std::get<nlohmann::json>(r);
  const std::string wanted = query_of(req)["table"].empty() ? "summary.csv" : query_of(req)["table"];
  for (auto& table : report::render_csv(report)) {
    if (table.name != wanted) continue;
    Reply reply = make_reply(http::status::ok, std::move(table.content), "text/csv; charset=utf-8");
    reply.response.set(http::field::content_disposition,
                       "attachment; filename=\"" + file_stem(report) + "-" + table.name + "\"");
    reply.response.set(http::field::cache_control, "no-store");
    return reply;
  }
  return bad_request(req, lang_of(req), user, "table: \"" + wanted + "\" is not a table of the report");
}

}  // namespace

void add_report_routes(Router& router) {
  router.add({http::verb::get, "/report", false, get_report_form, nullptr, 64 * 1024, Offload::render});
  router.add({http::verb::get, "/report.html", false, get_report_html, nullptr, 64 * 1024, Offload::render});
  router.add({http::verb::get, "/report.json", false, get_report_json, nullptr, 64 * 1024, Offload::render});
  router.add({http::verb::get, "/report.csv", false, get_report_csv, nullptr, 64 * 1024, Offload::render});
}

}  // namespace itsa::server
