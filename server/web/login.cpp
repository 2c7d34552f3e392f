// /login, /logout, /lang, /: reviewer sessions (cookie HttpOnly + SameSite=Strict, CSRF on
// every form, failed logins slowed down).
#include <algorithm>

#include "common/log.hpp"
#include "common/time_format.hpp"
#include "server/auth/crypto.hpp"
#include "server/http/routes.hpp"
#include "server/web/page.hpp"

namespace itsa::server {
namespace {

using namespace web;

constexpr const char* k_login_csrf_cookie = "itsa_login_csrf";

Reply login_page(const Request& req, RequestContext& ctx, const std::string& message, http::status status) {
  const Lang lang = lang_of(req);
  const auto csrf = random_token(24);
  std::string body;
  if (!message.empty()) body += "<p class=\"bad\" role=\"alert\">" + html_escape(message) + "</p>";
  body +=
      "<form method=\"post\" action=\"/login\" class=\"filters\">"
      "<input type=\"hidden\" name=\"csrf_token\" value=\"" +
      csrf +
      "\">"
      "<label>" +
      html_escape(t(lang, "name")) +
      "<input name=\"name\" autocomplete=\"username\" required autofocus></label>"
      "<label>" +
      html_escape(t(lang, "password")) +
      "<input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>"
      "<button type=\"submit\">" +
      html_escape(t(lang, "login")) + "</button></form>";
  auto r = html_reply(layout(req, lang, std::nullopt, Nav::none, t(lang, "login"), body), status);
  r.response.set(http::field::set_cookie, set_cookie(k_login_csrf_cookie, csrf, ctx.tls, 3600));
  return r;
}

Reply get_login(const Request& req, RequestContext& ctx) {
  if (current_user(req, ctx)) return redirect("/machines");
  return login_page(req, ctx, "", http::status::ok);
}

Reply post_login(const Request& req, RequestContext& ctx) {
  const Lang lang = lang_of(req);
  auto form = parse_form(req.body());
  const auto expected = cookie(req, k_login_csrf_cookie);
  if (expected.empty() || !equal_constant_time(form["csrf_token"], expected))
    return login_page(req, ctx, t(lang, "login_expired"), http::status::forbidden);
  const auto& name = form["name"];
  const auto& password = form["password"];
  auto user =
      name.size() <= 100 ? ctx.server.storage.user(name) : Result<std::optional<UserRow>>(std::optional<UserRow>());
  if (!user) {
    log::get("server")->error("login: {}", user.error().message);
    return html_reply("storage unavailable", http::status::service_unavailable);
  }
  // Unknown names cost the same argon2id work as known ones.
  static const std::string k_dummy_hash = hash_password("itsa-dummy-password").value();
  const bool good =
      verify_password(password, user.value() ? user.value()->password_hash : k_dummy_hash) && user.value();
  if (!good) {
    ++ctx.server.metrics.login_failures;
    const auto now = ctx.server.clock.mono_now();
    // Each failure takes a token from the address's bucket (an empty one refuses logins before
    // hashing: login_header_check) and from the name's (5, refilled 1/min): the emptier they are,
    // the longer the answer waits (1 s .. 10 s). The name's bucket never refuses, so nobody can
    // lock a reviewer out by guessing their name.
    auto& by_ip = ctx.server.login_ip_failures;
    auto& by_name = ctx.server.login_name_failures;
    by_ip.take("ip:" + ctx.remote_ip, now);
    by_name.take("name:" + name, now);
    const double fullness = std::min(by_ip.level("ip:" + ctx.remote_ip, now) / by_ip.burst(),
                                     by_name.level("name:" + name, now) / by_name.burst());
    log::get("server")->warn("failed login for '{}' from {}", name.substr(0, 100), ctx.remote_ip);
    auto r = login_page(req, ctx, t(lang, "login_failed"), http::status::unauthorized);
    r.delay = std::chrono::milliseconds(std::clamp(static_cast<int>(1000 + (1 - fullness) * 9000), 1000, 10000));
    return r;
  }
  const auto session_id = random_token(32);
  const auto now_ms = to_unix_ms(ctx.server.clock.utc_now());
  const int life_s = ctx.server.options.session_hours * 3600;
  if (auto r = ctx.server.storage.create_session(
          {hash_secret(session_id), name, random_token(24), now_ms + life_s * 1000LL});
      !r) {
    log::get("server")->error("login: {}", r.error().message);
    return html_reply("storage unavailable", http::status::service_unavailable);
  }
  log::get("server")->info("reviewer '{}' logged in from {}", name, ctx.remote_ip);
  auto r = redirect("/machines");
  r.response.insert(http::field::set_cookie, set_cookie("itsa_session", session_id, ctx.tls, life_s));
  r.response.insert(http::field::set_cookie, set_cookie(k_login_csrf_cookie, "", ctx.tls, 0));
  return r;
}

/// Before the body and before any hashing: an address whose failures emptied its bucket gets 429.
std::optional<Reply> login_header_check(const RequestHeader& header, RequestContext& ctx) {
  const int wait_s = ctx.server.login_ip_failures.wait_s("ip:" + ctx.remote_ip, ctx.server.clock.mono_now());
  if (wait_s == 0) return std::nullopt;
  ++ctx.server.metrics.login_failures;
  const Request req(header);
  const Lang lang = lang_of(req);
  auto r = html_reply(layout(req, lang, std::nullopt, Nav::none, t(lang, "login"),
                             "<p class=\"bad\" role=\"alert\">" + html_escape(t(lang, "login_too_many")) + "</p>"),
                      http::status::too_many_requests);
  r.response.set(http::field::retry_after, std::to_string(wait_s));
  return r;
}

/// A full worker pool: 429 for a login, 503 for a page, in the reader's language.
Reply busy_page(const Request& req, Offload offload) {
  const Lang lang = lang_of(req);
  const bool login = offload == Offload::hash;
  return html_reply(
      layout(req, lang, std::nullopt, Nav::none, t(lang, login ? "login" : "app"),
             "<p class=\"bad\" role=\"alert\">" + html_escape(t(lang, login ? "busy_login" : "busy_page")) + "</p>"),
      login ? http::status::too_many_requests : http::status::service_unavailable);
}

Reply post_logout(const Request& req, RequestContext& ctx) {
  WebUser user;
  if (auto r = require_login(req, ctx, user)) return *r;
  if (!csrf_ok(parse_form(req.body()), user)) return html_reply("CSRF token missing or wrong", http::status::forbidden);
  (void)ctx.server.storage.delete_session(hash_secret(cookie(req, "itsa_session")));
  auto r = redirect("/login");
  r.response.set(http::field::set_cookie, set_cookie("itsa_session", "", ctx.tls, 0));
  return r;
}

Reply get_lang(const Request& req, RequestContext& ctx) {
  auto q = query_of(req);
  auto r = redirect(safe_ui_path(q["back"]));
  r.response.set(http::field::set_cookie, set_cookie("lang", q["set"] == "en" ? "en" : "vi", ctx.tls, 365 * 24 * 3600));
  return r;
}

Reply get_root(const Request&, RequestContext&) {
  return redirect("/machines");
}

}  // namespace

void add_login_routes(Router& router) {
  router.add({http::verb::get, "/", false, get_root, nullptr});
  router.add({http::verb::get, "/login", false, get_login, nullptr});
  router.add({http::verb::post, "/login", false, post_login, login_header_check, 64 * 1024, Offload::hash});
  router.add({http::verb::post, "/logout", false, post_logout, nullptr});
  router.add({http::verb::get, "/lang", false, get_lang, nullptr});
  router.set_busy_reply(busy_page);
}

}  // namespace itsa::server
