// The agent-facing API: /healthz, /metrics, /api/v1/enroll, /api/v1/ingest (docs/protocol.md).
#include <nlohmann/json.hpp>
#include <regex>

#include "common/log.hpp"
#include "common/time_format.hpp"
#include "server/auth/crypto.hpp"
#include "server/http/gzip.hpp"
#include "server/http/ingest_validate.hpp"
#include "server/http/routes.hpp"
#include "server/web/page.hpp"

namespace itsa::server {
namespace {

using nlohmann::json;

std::int64_t now_ms(const RequestContext& ctx) {
  return to_unix_ms(ctx.server.clock.utc_now());
}

bool is_uuid(const json& v) {
  static const std::regex k_uuid("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
  return v.is_string() && std::regex_match(v.get<std::string>(), k_uuid);
}

Reply internal_error(const std::string& what, const Error& e) {
  log::get("server")->error("{}: {}", what, e.message);
  return json_error(http::status::service_unavailable, "storage unavailable, retry later");
}

Reply healthz(const Request&, RequestContext&) {
  return make_reply(http::status::ok, R"({"status":"ok"})", "application/json");
}

// Behind the reviewers' login (issue 17): counts of agents and records are not for anyone who
// can reach the port. A scraper logs in like a reviewer and sends the session cookie.
Reply metrics(const Request& req, RequestContext& ctx) {
  if (!web::current_user(req, ctx)) return make_reply(http::status::unauthorized, "login required\n", "text/plain");
  std::int64_t total = 0, recent = 0;
  if (auto agents = ctx.server.storage.agents()) {
    const auto since = now_ms(ctx) - 24LL * 3600 * 1000;
    total = static_cast<std::int64_t>(agents.value().size());
    for (const auto& a : agents.value())
      if (a.last_seen_ms >= since) ++recent;
  }
  return make_reply(http::status::ok, ctx.server.metrics.render(total, recent), "text/plain; version=0.0.4");
}

Reply enroll(const Request& req, RequestContext& ctx) {
  json doc = json::parse(req.body(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return json_error(http::status::bad_request, "body: must be a JSON object");
  if (doc.value("schema_version", json()) != 1)
    return json_error(http::status::bad_request, "schema_version: must be 1");
  if (!doc.contains("token") || !doc["token"].is_string() || doc["token"].get<std::string>().empty())
    return json_error(http::status::bad_request, "token: must be a non-empty string");
  if (!doc.contains("agent_id") || !is_uuid(doc["agent_id"]))
    return json_error(http::status::bad_request, "agent_id: must be a UUID");
  const auto& host = doc.contains("hostname") ? doc["hostname"] : json();
  if (!host.is_string() || host.get<std::string>().empty() || host.get<std::string>().size() > 255)
    return json_error(http::status::bad_request, "hostname: must be a string of 1..255 characters");
  const auto& version = doc.contains("agent_version") ? doc["agent_version"] : json("");
  if (!version.is_string() || version.get<std::string>().size() > 64)
    return json_error(http::status::bad_request, "agent_version: must be a string of at most 64 characters");
  const auto& previous = doc.contains("previous_agent_id") ? doc["previous_agent_id"] : json();
  if (!previous.is_null() && !is_uuid(previous))
    return json_error(http::status::bad_request, "previous_agent_id: must be a UUID or null");
  if (doc.contains("identity") && !doc["identity"].is_object() && !doc["identity"].is_null())
    return json_error(http::status::bad_request, "identity: must be an object");

  auto site = ctx.server.storage.site_for_token(hash_secret(doc["token"].get<std::string>()));
  if (!site) return internal_error("enroll", site.error());
  if (!site.value()) return json_error(http::status::unauthorized, "unknown or revoked enrolment token");
  const auto secret = random_token(32);
  AgentEnrolment e{doc["agent_id"].get<std::string>(),
                   host.get<std::string>(),
                   *site.value(),
                   version.get<std::string>(),
                   previous.is_null() ? "" : previous.get<std::string>(),
                   hash_secret(secret),
                   now_ms(ctx),
                   ""};
  // Re-enrolling an agent_id that exists needs its current secret (Authorization: Bearer).
  if (auto authz = req[http::field::authorization];
      authz.size() > 7 && boost::beast::iequals(authz.substr(0, 7), "Bearer "))
    e.proof_hash = hash_secret(std::string(authz.substr(7)));
  auto enrolled = ctx.server.storage.enrol_agent(e);
  if (!enrolled) return internal_error("enroll", enrolled.error());
  if (!enrolled.value()) {
    log::get("server")->warn("enrolment of existing agent {} ({}) from {} refused: no proof of its secret", e.agent_id,
                             e.hostname, ctx.remote_ip);
    return json_error(http::status::conflict,
                      "agent_id: already enrolled; re-enrolling it needs its current secret (Authorization: Bearer), "
                      "else enrol a new agent_id with previous_agent_id");
  }
  ++ctx.server.metrics.enrolments;
  log::get("server")->info("enrolled agent {} ({}) into site '{}' from {}", e.agent_id, e.hostname, e.site,
                           ctx.remote_ip);
  return make_reply(http::status::ok, json{{"agent_id", e.agent_id}, {"secret", secret}, {"site", e.site}}.dump(),
                    "application/json");
}

/// Before the body: who is it (401), may it send now (429), is the body too large (413).
std::optional<Reply> ingest_header_check(const RequestHeader& h, RequestContext& ctx) {
  auto reject = [&](http::status s, const std::string& msg) {
    ++ctx.server.metrics.ingest_rejected;
    return std::optional<Reply>(json_error(s, msg));
  };
  auto auth = h[http::field::authorization];
  if (auth.size() < 8 || !boost::beast::iequals(auth.substr(0, 7), "Bearer "))
    return reject(http::status::unauthorized, "missing Authorization: Bearer <secret>");
  auto agent = ctx.server.storage.agent_for_secret(hash_secret(std::string(auth.substr(7))));
  if (!agent) return internal_error("ingest auth", agent.error());
  if (!agent.value()) return reject(http::status::unauthorized, "unknown or revoked agent secret: enrol again");
  ctx.agent_id = *agent.value();
  if (int wait_s = ctx.server.agent_limiter.take(ctx.agent_id, ctx.server.clock.mono_now())) {
    auto r = reject(http::status::too_many_requests, "rate limited: retry after " + std::to_string(wait_s) + " s");
    r->response.set(http::field::retry_after, std::to_string(wait_s));
    return r;
  }
  auto encoding = h[http::field::content_encoding];
  if (!encoding.empty() && !boost::beast::iequals(encoding, "gzip") && !boost::beast::iequals(encoding, "identity"))
    return reject(http::status::unsupported_media_type, "Content-Encoding: only gzip is supported");
  return std::nullopt;
}

Reply ingest(const Request& req, RequestContext& ctx) {
  std::string inflated;
  std::string_view body = req.body();
  if (boost::beast::iequals(req[http::field::content_encoding], "gzip")) {
    switch (gunzip(req.body(), ctx.server.options.max_inflated_bytes, inflated)) {
      case InflateStatus::ok:
        body = inflated;
        break;
      case InflateStatus::corrupt:
        ++ctx.server.metrics.ingest_rejected;
        return json_error(http::status::bad_request, "body: truncated or corrupt gzip");
      case InflateStatus::too_large:
        ++ctx.server.metrics.ingest_rejected;
        return json_error(http::status::payload_too_large, "body: larger than the limit once decompressed");
    }
  }
  auto parsed = parse_ingest(body, ctx.agent_id, ctx.server.clock.utc_now());
  if (parsed.status != 200) {
    ++ctx.server.metrics.ingest_rejected;
    log::get("server")->warn("ingest from {} refused: {}", ctx.agent_id, parsed.error);
    return json_error(static_cast<http::status>(parsed.status), parsed.error);
  }
  auto stored = ctx.server.storage.ingest(ctx.agent_id, parsed.records, now_ms(ctx));
  if (!stored) return internal_error("ingest", stored.error());
  ++ctx.server.metrics.ingest_batches;
  ctx.server.metrics.records_stored += static_cast<std::uint64_t>(stored.value().stored);
  ctx.server.metrics.records_duplicate += static_cast<std::uint64_t>(stored.value().duplicates);
  json out{
      {"acked", stored.value().acked}, {"stored", stored.value().stored}, {"duplicates", stored.value().duplicates}};
  // Older than the retention cut (docs/server.md): acknowledged so the agent drops them, not stored.
  if (stored.value().expired > 0) out["expired"] = stored.value().expired;
  return make_reply(http::status::ok, out.dump(), "application/json");
}

}  // namespace

void add_api_routes(Router& router) {
  router.add({http::verb::get, "/healthz", false, healthz, nullptr});
  router.add({http::verb::get, "/metrics", false, metrics, nullptr});
  router.add({http::verb::post, "/api/v1/enroll", false, enroll, nullptr, 64 * 1024});
  router.add({http::verb::post, "/api/v1/ingest", false, ingest, ingest_header_check, k_server_body_limit});
}

}  // namespace itsa::server
