#pragma once
// Routes: method + path (exact, or a prefix ending in '/'), a header check run before the
// body is read, the body limit, and the handler.
#include <cstdint>
#include <vector>

#include "server/http/context.hpp"

namespace itsa::server {

/// Runs on the header alone; a Reply here is sent without reading the body (401, 413, 429).
using HeaderCheck = std::function<std::optional<Reply>(const RequestHeader&, RequestContext&)>;
/// Builds the reply from the whole request.
using Handler = std::function<Reply(const Request&, RequestContext&)>;

/// Route::body_limit value meaning "the server's --max-body-mib".
constexpr std::size_t k_server_body_limit = SIZE_MAX;

/// Where a handler runs: on the I/O thread (quick work: agents' API, redirects) or on a worker
/// pool (issue 17: password hashing and page rendering never hold up agents' uploads).
enum class Offload { none, hash, render };

/// One route.
struct Route {
  http::verb method;                   ///< GET, POST
  std::string path;                    ///< "/machines" exact, or "/machines/" with prefix = true
  bool prefix = false;                 ///< match every path under `path`
  Handler handler;                     ///< the handler
  HeaderCheck header_check;            ///< optional, before the body
  std::size_t body_limit = 64 * 1024;  ///< larger bodies get 413
  Offload offload = Offload::none;     ///< run the handler on a worker pool
};

/// The answer when a route's worker pool is full (429 for logins, 503 for pages), in the reader's language.
using BusyReply = std::function<Reply(const Request&, Offload)>;

class Router {
 public:
  void add(Route route) { m_routes.push_back(std::move(route)); }
  void set_busy_reply(BusyReply busy) { m_busy = std::move(busy); }
  /// 429/503 with Retry-After for a request its pool could not take.
  Reply busy_reply(const Request& req, Offload offload) const;
  /// The route for a request; nullptr with `path_known` telling 405 from 404.
  const Route* match(http::verb method, std::string_view target, bool& path_known) const;

 private:
  std::vector<Route> m_routes;
  BusyReply m_busy;
};

/// The path of a target without its query string.
std::string_view target_path(std::string_view target);

}  // namespace itsa::server
