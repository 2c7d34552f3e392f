#pragma once
// Shared pieces of the review UI: language (Vietnamese default, English), escaping, forms,
// cookies, locale formatting, the page frame, and the login guard. Report pages use these too.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "report/text.hpp"
#include "server/http/context.hpp"

namespace itsa::server::web {

/// UI language: the report's (one catalogue, report/catalogue.cpp).
using Lang = report::Lang;

/// The chosen language: `lang` cookie, else Vietnamese.
Lang lang_of(const Request& req);
/// A UI string by key in the language: the catalogue's "ui.<key>", else its "<key>" (the key
/// itself when missing).
std::string t(Lang lang, const std::string& key);

using report::html_escape;  // one escaping for the report and the review UI
std::string url_encode(std::string_view s);
std::string url_decode(std::string_view s);
/// A redirect target taken from a request (`/lang?back=`): a path of the UI's own pages
/// (/machines, /machines/<id>, /machines.csv, /sites, /report, /report.html|.csv|.json) with an
/// optional query of URL-safe characters; anything else — control characters, "//", "\\", a
/// scheme, another path — is "/machines" (issue 17: no header injection, no open redirect).
std::string safe_ui_path(std::string_view requested);
/// key=value&… of a query string or an x-www-form-urlencoded body (last one wins).
std::map<std::string, std::string> parse_form(std::string_view text);
/// The query parameters of a request target.
std::map<std::string, std::string> query_of(const Request& req);
/// A cookie's value, or empty.
std::string cookie(const Request& req, const std::string& name);
/// A Set-Cookie value: HttpOnly, SameSite=Strict, Path=/, Secure under TLS.
std::string set_cookie(const std::string& name, const std::string& value, bool tls, int max_age_s = -1);

/// 1.234,5 (vi) or 1,234.5 (en): the report's number format.
using report::format_number;
/// 27/11/2026 10:15 (vi) or 2026-11-27 10:15 (en), in the display time zone.
std::string format_datetime(Lang lang, std::int64_t unix_ms, int utc_offset_min);
/// Date only.
std::string format_date(Lang lang, std::int64_t unix_ms, int utc_offset_min);
/// 99,5 % style percentage of a 0..1 ratio; "—" when negative (unknown).
std::string format_percent(Lang lang, double ratio);

/// The logged-in reviewer.
struct WebUser {
  std::string name;        ///< login name
  std::string csrf_token;  ///< token every form of this session carries
  std::string agency;      ///< the only agency it may see; "" = every agency (users table)
};

/// The reviewer of this request's session cookie, if any.
std::optional<WebUser> current_user(const Request& req, RequestContext& ctx);
/// Redirect to /login when not logged in (nullopt = go on, `user` set).
std::optional<Reply> require_login(const Request& req, RequestContext& ctx, WebUser& user);
/// The agency a page shows: a scoped reviewer's own, whatever the query asks; else the query's
/// `agency` (nullopt = every agency).
std::optional<std::string> agency_in_view(const WebUser& user, const std::map<std::string, std::string>& query);
/// True when the reviewer may see a machine of this agency.
bool may_see(const WebUser& user, const std::string& agency);
/// The <select name="agency"> of a filter form: every named agency of the store for a reviewer
/// who sees them all; empty (no control) for a scoped reviewer or a store of one agency.
std::string agency_select_html(Lang lang, const WebUser& user, const std::vector<SiteRow>& sites,
                               const std::string& selected);
/// The sites a reviewer picks from: those of `agency` (every site when nullopt), sorted.
std::vector<std::string> site_names(const std::vector<SiteRow>& sites, const std::optional<std::string>& agency);

/// True when the form's csrf_token matches the session's.
bool csrf_ok(const std::map<std::string, std::string>& form, const WebUser& user);

/// Which nav entry is current.
enum class Nav { none, machines, sites, report };
/// A whole HTML page: header, nav (Máy / Sites / Báo cáo), language switch, logout form, body.
std::string layout(const Request& req, Lang lang, const std::optional<WebUser>& user, Nav nav, const std::string& title,
                   const std::string& body_html);
/// An HTML reply (200 unless given), no-store caching, strict CSP.
Reply html_reply(std::string page, http::status status = http::status::ok);

}  // namespace itsa::server::web
