// itsa-server run: serve the ingest API and the review UI until SIGTERM.
#include <iostream>

#include "report/settings.hpp"
#include "server/commands/registry.hpp"
#include "server/commands/store_options.hpp"
#include "server/http/server.hpp"
#include "server/report/digest_refresh.hpp"
#include "server/report/report_input.hpp"
#include "server/storage/retention_runner.hpp"

namespace itsa::server {

namespace {
/// Options of `run`.
struct RunOptions {
  StoreOptions store;          ///< where the store is
  ServerOptions server;        ///< listener, TLS, limits
  std::string listen;          ///< ADDR:PORT
  int digest_refresh_s = 600;  ///< how often stale day digests are computed again (0 = never)
  int retention_months = 0;    ///< months kept before the current one, applied daily (0 = keep everything)
};
}  // namespace

void register_run(CLI::App& app, CommandResult& result) {
  auto o = std::make_shared<RunOptions>();
  auto* cmd = app.add_subcommand("run", "Serve the ingest API and the review web UI until SIGTERM");
  add_store_options(*cmd, o->store);
  cmd->add_option("--listen", o->listen, "ADDR:PORT to listen on, e.g. 127.0.0.1:8443 or 0.0.0.0:443")->required();
  cmd->add_option("--tls-cert", o->server.tls_cert_file, "TLS certificate chain (PEM)");
  cmd->add_option("--tls-key", o->server.tls_key_file, "TLS private key (PEM)");
  cmd->add_flag("--insecure-listen", o->server.insecure_listen, "Allow plain HTTP on a non-loopback address");
  cmd->add_option("--threads", o->server.threads, "I/O threads (1..16)")->check(CLI::Range(1, 16));
  o->store.db_connections = 4;
  cmd->add_option("--db-connections", o->store.db_connections,
                  "PostgreSQL: connections that write side by side, besides one for reports and pages (default 4; "
                  "SQLite always writes through one)")
      ->check(CLI::Range(1, 64));
  cmd->add_option("--max-body-mib", o->server.max_body_bytes, "Largest ingest body in MiB (default 8)")
      ->transform([](std::string v) { return std::to_string(std::stoll(v) * 1024 * 1024); });
  cmd->add_option("--rate-limit-per-min", o->server.agent_batches_per_min,
                  "Ingest requests per agent per minute (burst 30)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--display-utc-offset-min", o->server.display_utc_offset_min,
                  "Time zone of dates shown in the UI, minutes east of UTC (default 420 = UTC+7)")
      ->check(CLI::Range(-720, 840));
  cmd->add_option("--header-timeout-s", o->server.header_timeout_s, "Seconds a client has to send a request header")
      ->check(CLI::Range(1, 600));
  cmd->add_option("--body-timeout-s", o->server.body_timeout_s, "Seconds a client has to send a request body")
      ->check(CLI::Range(1, 3600));
  cmd->add_option("--max-connections", o->server.max_connections,
                  "Open connections at most; more are answered 503 and closed (default 10000)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--login-failures-per-ip-per-min", o->server.login_failures_per_ip_per_min,
                  "Failed logins an address may make per minute (and in a burst) before it gets 429 (default 10)")
      ->check(CLI::Range(1, 10000));
  cmd->add_option("--digest-refresh-s", o->digest_refresh_s,
                  "Seconds between passes that compute again the report's day digests made stale by new records "
                  "(default 600; 0 = only when a report needs them)")
      ->check(CLI::Range(0, 86400));
  cmd->add_option("--retention-months", o->retention_months,
                  "Drop, once a day, the records older than the current UTC month and N months before it, as "
                  "`itsa-server retention --keep-months N` does (default 0 = keep everything)")
      ->check(CLI::Range(0, 1200));
  cmd->callback([o, &result] {
    result.exit_code = k_exit_usage;
    auto endpoint = parse_listen(o->listen);
    if (!endpoint) {
      std::cerr << "itsa-server: --listen: " << endpoint.error().message << "\n";
      return;
    }
    o->server.address = endpoint.value().first;
    o->server.port = endpoint.value().second;
    if (o->server.tls_cert_file.empty() != o->server.tls_key_file.empty()) {
      std::cerr << "itsa-server: --tls-cert and --tls-key go together\n";
      return;
    }
    if (auto check = check_listen_policy(o->server); !check) {
      std::cerr << "itsa-server: " << check.error().message << "\n";
      return;
    }
    // The Report page reads <data-dir>/report.json per request, as `itsa-server report` does.
    o->server.data_dir = o->store.data_dir;
    if (auto settings = report::load_settings_file(report_settings_file(o->store.data_dir)); !settings) {
      std::cerr << "itsa-server: warning: " << settings.error().message
                << " (the Report page answers 500 until it is fixed)\n";
    }
    result.exit_code = k_exit_failure;
    auto store = open_store_or_report(o->store);
    if (!store) return;
    o->server.max_inflated_bytes = o->server.max_body_bytes;  // a gzip body inflates to no more than a plain one
    std::optional<DigestRefresher> refresher;
    if (o->digest_refresh_s > 0)
      refresher.emplace(*store, o->store.data_dir, std::chrono::seconds(o->digest_refresh_s));
    std::optional<RetentionRunner> retention;
    if (o->retention_months > 0) retention.emplace(*store, o->retention_months);
    auto r = run_server(o->server, *store);
    if (!r) {
      std::cerr << "itsa-server: " << r.error().message << "\n";
      return;
    }
    result.exit_code = k_exit_ok;
  });
}

}  // namespace itsa::server
