// /sites: per-site availability and outage events over the last 30 days, as the report counts
// them (report library: one PC, shared equipment, a whole site, several sites at once).
#include <algorithm>
#include <map>

#include "common/log.hpp"
#include "common/time_format.hpp"
#include "server/http/routes.hpp"
#include "server/report/report_input.hpp"
#include "server/web/page.hpp"
#include "server/web/timeline.hpp"
#include "server/web/views.hpp"

namespace itsa::server {
namespace {

using namespace web;

constexpr const char* k_scopes[] = {"agency_wide", "site_wide", "shared_equipment", "single_machine"};

Reply get_sites(const Request& req, RequestContext& ctx) {
  WebUser user;
  if (auto r = require_login(req, ctx, user)) return *r;
  const Lang lang = lang_of(req);
  const int tz = ctx.server.options.display_utc_offset_min;
  auto q = query_of(req);
  const auto agency = agency_in_view(user, q);
  auto sites = site_summaries(ctx.server.storage, to_unix_ms(ctx.server.clock.utc_now()),
                              installation_schedule(ctx.server.options.data_dir), agency);
  auto agents = ctx.server.storage.agents();
  if (!sites || !agents) {
    log::get("server")->error("web /sites: {}", !sites ? sites.error().message : agents.error().message);
    return html_reply("storage unavailable", http::status::service_unavailable);
  }
  std::map<std::string, std::string> hostnames;
  for (const auto& a : agents.value()) hostnames[a.agent_id] = a.hostname;
  // Sortable by any column (?sort=<column>&dir=asc|desc): a click on a header sorts by it.
  const std::string sort = q["sort"].empty() ? "site" : q["sort"];
  const bool desc = q["dir"] == "desc";
  const auto count = [](const SiteSummary& s, const std::string& scope) {
    return std::count_if(s.outages.begin(), s.outages.end(), [&](const SiteOutage& o) { return o.scope == scope; });
  };
  std::vector<SiteSummary>& list = sites.value();
  std::stable_sort(list.begin(), list.end(), [&](const SiteSummary& a, const SiteSummary& b) {
    const auto less = [&](const SiteSummary& x, const SiteSummary& y) {
      if (sort == "machines") return x.machines < y.machines;
      if (sort == "availability") return x.availability_30d.ratio() < y.availability_30d.ratio();
      for (const char* scope : k_scopes)
        if (sort == scope) return count(x, scope) < count(y, scope);
      return x.site < y.site;
    };
    return desc ? less(b, a) : less(a, b);
  });
  std::string b;
  auto site_rows = ctx.server.storage.site_rows();
  if (!site_rows) {
    log::get("server")->error("web /sites: {}", site_rows.error().message);
    return html_reply("storage unavailable", http::status::service_unavailable);
  }
  if (const auto select = agency_select_html(lang, user, site_rows.value(), q["agency"]); !select.empty())
    b += "<form method=\"get\" action=\"/sites\" class=\"filters\">" + select + "<button type=\"submit\">" +
         html_escape(t(lang, "filter")) + "</button></form>";
  const std::string agency_param = agency && user.agency.empty() ? "&amp;agency=" + url_encode(*agency) : "";
  b += "<table id=\"sites\"><tr>";
  std::vector<std::pair<std::string, std::string>> columns{
      {"site", "site"}, {"machines", "machine_count"}, {"availability", "availability"}};
  for (const char* scope : k_scopes) columns.emplace_back(scope, scope);
  for (const auto& [key, label] : columns) {
    const bool current = sort == key;
    const std::string dir = current && !desc ? "desc" : "asc";
    b += "<th><a class=\"sort\" href=\"/sites?sort=" + url_encode(key) + "&amp;dir=" + dir + agency_param + "\">" +
         html_escape(t(lang, label.c_str())) + (current ? (desc ? " ↓" : " ↑") : "") + "</a></th>";
  }
  b += "</tr>";
  for (const auto& s : list) {
    std::map<std::string, int> by_scope;
    for (const auto& o : s.outages) ++by_scope[o.scope];
    b += "<tr><td><a href=\"#site-" + url_encode(s.site) + "\">" + html_escape(s.site) + "</a></td><td class=\"num\">" +
         std::to_string(s.machines) + "</td><td class=\"num\">" + format_percent(lang, s.availability_30d.ratio()) +
         "</td>";
    for (const char* scope : k_scopes) b += "<td class=\"num\">" + std::to_string(by_scope[scope]) + "</td>";
    b += "</tr>";
  }
  b += "</table><p class=\"muted\">" + html_escape(t(lang, "sites_note")) + "</p>";
  for (const auto& s : sites.value()) {
    b += "<h2 id=\"site-" + url_encode(s.site) + "\">" + html_escape(s.site) + "</h2>";
    if (s.outages.empty()) {
      b += "<p>" + html_escape(t(lang, "no_data")) + "</p>";
      continue;
    }
    b += "<table class=\"site-outages\"><tr><th>" + html_escape(t(lang, "start")) + "</th><th>" +
         html_escape(t(lang, "scope")) + "</th><th>" + html_escape(t(lang, "cause")) + "</th><th>" +
         html_escape(t(lang, "machine_count")) + "</th><th>" + html_escape(t(lang, "duration_min")) + "</th></tr>";
    for (const auto& o : s.outages) {
      const bool wide = o.scope == "site_wide" || o.scope == "agency_wide";
      std::string who;
      if (wide) {
        who = std::to_string(o.agent_ids.size()) + " " + html_escape(t(lang, "machines_word"));
        if (o.scope == "agency_wide") {
          std::string where;
          for (const auto& site : o.sites) where += (where.empty() ? "" : ", ") + site;
          who += " (" + html_escape(where) + ")";
        }
      } else {
        for (const auto& id : o.agent_ids)
          who += (who.empty() ? "" : ", ") + std::string("<a href=\"/machines/") + url_encode(id) + "\">" +
                 html_escape(hostnames[id]) + "</a>";
      }
      b += "<tr class=\"" + o.scope + "\"><td>" + format_datetime(lang, o.minute_ms, tz) + "</td><td class=\"" +
           (wide ? "bad" : "warn") + "\">" + html_escape(t(lang, o.scope)) +
           "</td><td><span style=\"color:" + cause_colour(o.cause) + "\">■</span> " + html_escape(t(lang, o.cause)) +
           "</td><td>" + who + "</td><td class=\"num\">" + format_number(lang, o.duration_s / 60.0, 1) + "</td></tr>";
    }
    b += "</table>";
  }
  return html_reply(layout(req, lang, user, Nav::sites, t(lang, "sites"), b));
}

}  // namespace

void add_site_routes(Router& router) {
  router.add({http::verb::get, "/sites", false, get_sites, nullptr, 64 * 1024, Offload::render});
}

}  // namespace itsa::server
