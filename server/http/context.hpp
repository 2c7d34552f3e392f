#pragma once
// What every handler can reach: the store, the options, metrics, rate limits, the clock.
#include <memory>
#include <mutex>
#include <unordered_map>

#include "common/clock.hpp"
#include "server/http/metrics.hpp"
#include "server/http/rate_limit.hpp"
#include "server/http/server.hpp"
#include "server/http/types.hpp"

namespace itsa::server {

/// Shared by all connections for the server's lifetime.
struct ServerContext {
  Storage& storage;              ///< the store
  const ServerOptions& options;  ///< how the server runs
  const Clock& clock;            ///< wall/monotonic time
  Metrics metrics;               ///< Prometheus counters
  RateLimiter agent_limiter;     ///< per-agent ingest rate
  RateLimiter login_failures;    ///< failed logins per client address and per name
  ServerContext(Storage& s, const ServerOptions& o, const Clock& c)
      : storage(s),
        options(o),
        clock(c),
        agent_limiter(o.agent_batches_per_min / 60.0, 30),
        login_failures(1.0 / 60.0, 5) {}
};

/// One request's context.
struct RequestContext {
  ServerContext& server;  ///< shared state
  std::string remote_ip;  ///< client address
  bool tls = false;       ///< over TLS
  std::string agent_id;   ///< authenticated agent (ingest), set by the route's header check
};

}  // namespace itsa::server
