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
#include "server/http/worker_pool.hpp"

namespace itsa::server {

/// Shared by all connections for the server's lifetime.
struct ServerContext {
  Storage& storage;                 ///< the store
  const ServerOptions& options;     ///< how the server runs
  const Clock& clock;               ///< wall/monotonic time
  Metrics metrics;                  ///< Prometheus counters
  RateLimiter agent_limiter;        ///< per-agent ingest rate
  RateLimiter login_ip_failures;    ///< failed logins per client address: empty = 429 before hashing
  RateLimiter login_name_failures;  ///< failed logins per name: slows the answer (never locks the name)
  WorkerPool hash_pool;             ///< password hashing (POST /login), off the I/O threads
  WorkerPool render_pool;           ///< UI pages and reports, off the I/O threads
  ServerContext(Storage& s, const ServerOptions& o, const Clock& c)
      : storage(s),
        options(o),
        clock(c),
        agent_limiter(o.agent_batches_per_min / 60.0, 30),
        login_ip_failures(o.login_failures_per_ip_per_min / 60.0, o.login_failures_per_ip_per_min),
        login_name_failures(1.0 / 60.0, 5),
        hash_pool("hash", o.hash_threads, o.hash_waiting, 10),
        render_pool("render", o.render_threads, o.render_waiting, 5) {}
};

/// One request's context.
struct RequestContext {
  ServerContext& server;  ///< shared state
  std::string remote_ip;  ///< client address
  bool tls = false;       ///< over TLS
  std::string agent_id;   ///< authenticated agent (ingest), set by the route's header check
};

}  // namespace itsa::server
