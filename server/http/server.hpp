#pragma once
// The HTTP(S) server of itsa-server: Boost.Beast over Asio, a few I/O threads.
#include <cstdint>
#include <string>
#include <utility>

#include "common/result.hpp"
#include "server/storage/storage.hpp"

namespace itsa::server {

/// How `itsa-server run` serves.
struct ServerOptions {
  std::string address = "127.0.0.1";                 ///< listen address
  std::uint16_t port = 0;                            ///< listen port
  std::string tls_cert_file;                         ///< PEM chain; TLS when set (with the key)
  std::string tls_key_file;                          ///< PEM private key
  bool insecure_listen = false;                      ///< allow plain HTTP beyond loopback
  int threads = 2;                                   ///< I/O threads
  std::size_t max_body_bytes = 8 * 1024 * 1024;      ///< ingest body limit (413 above)
  std::size_t max_inflated_bytes = 8 * 1024 * 1024;  ///< limit after gunzip (the body limit: 413 above)
  int agent_batches_per_min = 60;                    ///< per-agent ingest rate (token bucket, burst 30)
  int header_timeout_s = 10;                         ///< to receive a request's header
  int body_timeout_s = 30;                           ///< to receive a request's body
  int idle_timeout_s = 60;                           ///< keep-alive idle time
  int display_utc_offset_min = 420;                  ///< time zone of dates in the UI (UTC+7)
  int session_hours = 12;                            ///< reviewer session lifetime
  int max_connections = 10000;                       ///< open connections; more get 503 and are closed
  int hash_threads = 1;                              ///< password-hashing workers (argon2id, 64 MiB each)
  std::size_t hash_waiting = 2;                      ///< logins waiting for a hasher; more get 429 at once
  int render_threads = 1;                            ///< workers rendering UI pages and reports
  std::size_t render_waiting = 16;                   ///< pages waiting for a renderer; more get 503
  int login_failures_per_ip_per_min = 10;            ///< failed logins per address (burst as many); then 429
  std::string data_dir;  ///< server data dir: the Report page reads its report.json ("" = defaults)
  bool tls() const { return !tls_cert_file.empty(); }
};

/// "ADDR:PORT" or "[v6]:PORT" → (address, port).
Result<std::pair<std::string, std::uint16_t>> parse_listen(const std::string& text);
/// Plain HTTP only on loopback unless insecure_listen.
Result<void> check_listen_policy(const ServerOptions& options);
/// Serves until SIGTERM/SIGINT. Error when it cannot listen or load TLS files.
Result<void> run_server(const ServerOptions& options, Storage& storage);

}  // namespace itsa::server
