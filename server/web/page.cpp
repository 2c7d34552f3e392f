#include "server/web/page.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>

#include "common/time_format.hpp"
#include "report/catalogue.hpp"
#include "server/auth/crypto.hpp"

namespace itsa::server::web {
namespace {

struct Civil {
  int y;
  unsigned m, d, hh, mm;
};

Civil civil(std::int64_t unix_ms, int offset_min) {
  using namespace std::chrono;
  const sys_time<milliseconds> t{milliseconds{unix_ms + static_cast<std::int64_t>(offset_min) * 60000}};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const auto tod = duration_cast<minutes>(t - day);
  return {static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
          static_cast<unsigned>(tod.count() / 60), static_cast<unsigned>(tod.count() % 60)};
}

}  // namespace

Lang lang_of(const Request& req) {
  return cookie(req, "lang") == "en" ? Lang::en : Lang::vi;
}

std::string t(Lang lang, const std::string& key) {
  // The UI's own entry ("ui.<key>") where its wording differs from the report's, else the
  // report's entry of the same name: one catalogue (report/catalogue.cpp).
  const std::string ui_key = "ui." + key;
  if (report::catalogue().contains(ui_key)) return report::label(ui_key, lang);
  return report::label(key, lang);
}

std::string safe_ui_path(std::string_view requested) {
  static const std::string fallback = "/machines";
  const auto q = requested.find('?');
  const std::string_view path = requested.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? std::string_view() : requested.substr(q + 1);
  static const char* const pages[] = {"/machines",    "/machines.csv", "/sites",      "/report",
                                      "/report.html", "/report.csv",   "/report.json"};
  bool allowed = std::find(std::begin(pages), std::end(pages), path) != std::end(pages);
  const std::string_view machine_prefix = "/machines/";
  if (!allowed && path.size() > machine_prefix.size() && path.size() <= machine_prefix.size() + 100 &&
      path.substr(0, machine_prefix.size()) == machine_prefix) {
    allowed = std::all_of(path.begin() + static_cast<long>(machine_prefix.size()), path.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    });
  }
  if (!allowed || query.size() > 1000) return fallback;
  const bool query_safe = std::all_of(query.begin(), query.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("%&=._~+-").find(c) != std::string_view::npos;
  });
  return query_safe ? std::string(requested) : fallback;
}

std::string url_encode(std::string_view s) {
  static const char* k_hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 15];
    }
  }
  return out;
}

std::string url_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::map<std::string, std::string> parse_form(std::string_view text) {
  std::map<std::string, std::string> out;
  while (!text.empty()) {
    auto amp = text.find('&');
    auto pair = text.substr(0, amp);
    auto eq = pair.find('=');
    if (!pair.empty())
      out[url_decode(pair.substr(0, eq))] = eq == std::string_view::npos ? "" : url_decode(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    text.remove_prefix(amp + 1);
  }
  return out;
}

std::map<std::string, std::string> query_of(const Request& req) {
  std::string_view target = sv(req.target());
  auto q = target.find('?');
  return q == std::string_view::npos ? std::map<std::string, std::string>{} : parse_form(target.substr(q + 1));
}

std::string cookie(const Request& req, const std::string& name) {
  std::string_view all = sv(req[http::field::cookie]);
  while (!all.empty()) {
    auto semi = all.find(';');
    auto part = all.substr(0, semi);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    auto eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
    if (semi == std::string_view::npos) break;
    all.remove_prefix(semi + 1);
  }
  return {};
}

std::string set_cookie(const std::string& name, const std::string& value, bool tls, int max_age_s) {
  std::string c = name + "=" + value + "; Path=/; HttpOnly; SameSite=Strict";
  if (tls) c += "; Secure";
  if (max_age_s >= 0) c += "; Max-Age=" + std::to_string(max_age_s);
  return c;
}

std::string format_datetime(Lang lang, std::int64_t unix_ms, int utc_offset_min) {
  if (unix_ms <= 0) return "—";
  auto c = civil(unix_ms, utc_offset_min);
  char buf[40];
  if (lang == Lang::vi) {
    std::snprintf(buf, sizeof buf, "%02u/%02u/%04d %02u:%02u", c.d, c.m, c.y, c.hh, c.mm);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02u:%02u", c.y, c.m, c.d, c.hh, c.mm);
  }
  return buf;
}

std::string format_date(Lang lang, std::int64_t unix_ms, int utc_offset_min) {
  auto c = civil(unix_ms, utc_offset_min);
  char buf[32];
  if (lang == Lang::vi) {
    std::snprintf(buf, sizeof buf, "%02u/%02u/%04d", c.d, c.m, c.y);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", c.y, c.m, c.d);
  }
  return buf;
}

std::string format_percent(Lang lang, double ratio) {
  if (ratio < 0) return "—";
  return format_number(lang, ratio * 100.0, ratio >= 0.9995 || ratio < 0.9 ? 1 : 2) + " %";
}

std::optional<WebUser> current_user(const Request& req, RequestContext& ctx) {
  auto id = cookie(req, "itsa_session");
  if (id.empty() || id.size() > 100) return std::nullopt;
  auto s = ctx.server.storage.session(hash_secret(id), to_unix_ms(ctx.server.clock.utc_now()));
  if (!s || !s.value()) return std::nullopt;
  // The scope is read with every request: `user remove` or a changed scope applies at once.
  auto u = ctx.server.storage.user(s.value()->user_name);
  if (!u || !u.value()) return std::nullopt;
  return WebUser{s.value()->user_name, s.value()->csrf_token, u.value()->agency};
}

std::optional<std::string> agency_in_view(const WebUser& user, const std::map<std::string, std::string>& query) {
  if (!user.agency.empty()) return user.agency;
  const auto it = query.find("agency");
  if (it == query.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

bool may_see(const WebUser& user, const std::string& agency) {
  return user.agency.empty() || user.agency == agency;
}

std::string agency_select_html(Lang lang, const WebUser& user, const std::vector<SiteRow>& sites,
                               const std::string& selected) {
  if (!user.agency.empty()) return {};
  std::set<std::string> agencies;
  for (const auto& s : sites)
    if (!s.agency.empty()) agencies.insert(s.agency);
  if (agencies.empty()) return {};
  std::string h = "<label>" + html_escape(t(lang, "agency")) + "<select name=\"agency\"><option value=\"\">" +
                  html_escape(t(lang, "all")) + "</option>";
  for (const auto& a : agencies)
    h += "<option value=\"" + html_escape(a) + "\"" + (a == selected ? " selected" : "") + ">" + html_escape(a) +
         "</option>";
  return h + "</select></label>";
}

std::vector<std::string> site_names(const std::vector<SiteRow>& sites, const std::optional<std::string>& agency) {
  std::vector<std::string> out;
  for (const auto& s : sites)
    if (!agency || s.agency == *agency) out.push_back(s.name);
  return out;
}

std::optional<Reply> require_login(const Request& req, RequestContext& ctx, WebUser& user) {
  auto u = current_user(req, ctx);
  if (!u) return redirect("/login");
  user = *u;
  return std::nullopt;
}

bool csrf_ok(const std::map<std::string, std::string>& form, const WebUser& user) {
  auto it = form.find("csrf_token");
  return it != form.end() && !user.csrf_token.empty() && equal_constant_time(it->second, user.csrf_token);
}

std::string layout(const Request& req, Lang lang, const std::optional<WebUser>& user, Nav nav, const std::string& title,
                   const std::string& body_html) {
  auto link = [&](const char* href, const char* key, Nav which) {
    return std::string("<a href=\"") + href + "\"" + (nav == which ? " class=\"current\"" : "") + ">" +
           html_escape(t(lang, key)) + "</a>";
  };
  const std::string back = url_encode(sv(req.target()));
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"";
  h += lang == Lang::vi ? "vi" : "en";
  h += "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  h += "<title>" + html_escape(title) +
       " — itsa</title><style>"
       "body{font-family:system-ui,'DejaVu Sans',sans-serif;margin:0;color:#1a1a1a;background:#fafafa}"
       "header{background:#14456e;color:#fff;padding:.5em 1em;display:flex;gap:1.5em;align-items:center;flex-wrap:wrap}"
       "header a{color:#fff;text-decoration:none}header a.current{text-decoration:underline;font-weight:bold}"
       "header .right{margin-left:auto;display:flex;gap:1em;align-items:center}"
       "main{padding:1em}table{border-collapse:collapse;background:#fff;font-size:.9em}"
       "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}th{background:#e8eef4}"
       "td.num{text-align:right}.bad{color:#b00020;font-weight:bold}.good{color:#1b6e20}.warn{color:#a05a00}"
       "form.inline{display:inline}button{cursor:pointer}.filters{margin:.5em 0 "
       "1em;display:flex;gap:.5em;flex-wrap:wrap;align-items:end}"
       "label{display:flex;flex-direction:column;font-size:.85em}dl{display:grid;grid-template-columns:max-content "
       "auto;gap:.2em 1em}"
       "dt{font-weight:bold}.legend span{display:inline-block;width:1em;height:1em;vertical-align:middle;margin:0 .3em "
       "0 1em}"
       "</style></head><body><header><strong>itsa</strong>";
  if (user) {
    h += link("/machines", "machines", Nav::machines) + link("/sites", "sites", Nav::sites) +
         link("/report", "report", Nav::report);
  }
  h += "<span class=\"right\"><a href=\"/lang?set=vi&amp;back=" + back +
       "\">Tiếng Việt</a> | <a href=\"/lang?set=en&amp;back=" + back + "\">English</a>";
  if (user) {
    h += " <span>" + html_escape(user->name) +
         "</span><form class=\"inline\" method=\"post\" action=\"/logout\">"
         "<input type=\"hidden\" name=\"csrf_token\" value=\"" +
         html_escape(user->csrf_token) + "\"><button type=\"submit\">" + html_escape(t(lang, "logout")) +
         "</button></form>";
  }
  h += "</span></header><main><h1>" + html_escape(title) + "</h1>\n" + body_html + "\n</main></body></html>\n";
  return h;
}

Reply html_reply(std::string page, http::status status) {
  Reply r = make_reply(status, std::move(page), "text/html; charset=utf-8");
  r.response.set(http::field::cache_control, "no-store");
  r.response.set("Content-Security-Policy",
                 "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
                 "frame-ancestors 'none'");
  r.response.set("X-Frame-Options", "DENY");
  r.response.set("Referrer-Policy", "same-origin");
  return r;
}

}  // namespace itsa::server::web
