#include "server/http/router.hpp"

namespace itsa::server {

std::string_view target_path(std::string_view target) {
  auto q = target.find('?');
  return q == std::string_view::npos ? target : target.substr(0, q);
}

const Route* Router::match(http::verb method, std::string_view target, bool& path_known) const {
  path_known = false;
  const auto path = target_path(target);
  for (const auto& r : m_routes) {
    const bool hit =
        r.prefix ? (path.size() > r.path.size() && path.substr(0, r.path.size()) == r.path) : path == r.path;
    if (!hit) continue;
    path_known = true;
    if (r.method == method || (method == http::verb::head && r.method == http::verb::get)) return &r;
  }
  return nullptr;
}

Reply Router::busy_reply(const Request& req, Offload offload) const {
  Reply r = m_busy ? m_busy(req, offload)
                   : json_error(
                         offload == Offload::hash ? http::status::too_many_requests : http::status::service_unavailable,
                         "busy: retry in a few seconds");
  r.response.set(http::field::retry_after, "5");
  return r;
}

Reply make_reply(http::status status, std::string body, const std::string& content_type) {
  Reply r;
  r.response.result(status);
  r.response.set(http::field::content_type, content_type);
  r.response.body() = std::move(body);
  return r;
}

Reply json_error(http::status status, const std::string& message) {
  std::string escaped;
  for (char c : message) {
    if (c == '"' || c == '\\') {
      escaped += '\\';
      escaped += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      escaped += ' ';
    } else {
      escaped += c;
    }
  }
  return make_reply(status, "{\"error\":\"" + escaped + "\"}", "application/json");
}

Reply redirect(const std::string& location) {
  Reply r = make_reply(http::status::see_other, "", "text/plain; charset=utf-8");
  r.response.set(http::field::location, location);
  return r;
}

}  // namespace itsa::server
