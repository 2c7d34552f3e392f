// Issue 15's stateless servers: two `itsa-server run` processes on one PostgreSQL behind no
// sticky balancer. Enrolment, records (exactly once), reviewer sessions, revocation and reports
// hold whichever instance a request reaches.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/server/pg_cluster.hpp"
#include "tests/server/records.hpp"
#include "tests/server/server_process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace itsa::test;
using json = nlohmann::json;

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string agent_id(int i) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "0c1d0000-0000-4000-8000-%012d", i);
  return buf;
}

}  // namespace

TEST_CASE("two server instances on one PostgreSQL serve any request of any agent or reviewer") {
  PgCluster cluster;
  if (cluster.url().empty()) {
    std::cerr << "SKIPPED: " << cluster.skip_reason() << "\n";
    return;
  }
  const auto dir_a = temp_dir().string();
  const auto dir_b = temp_dir().string();
  for (const auto& dir : {dir_a, dir_b}) {
    auto init = run_server_cli({"init", "--data-dir", dir, "--db", cluster.url()});
    REQUIRE_MESSAGE(init.exit_code == 0, init.err);
  }
  // Accounts and tokens made through one instance's data dir work on the other: one database.
  REQUIRE(run_server_cli({"user", "add", "--data-dir", dir_b, "--name", "lan", "--password-stdin"}, "mat-khau-123\n")
              .exit_code == 0);
  auto token_out = run_server_cli({"token", "create", "--data-dir", dir_a, "--site", "So Tai chinh"});
  REQUIRE(token_out.exit_code == 0);
  std::string token = token_out.out;
  while (!token.empty() && token.back() == '\n') token.pop_back();
  token = token.substr(token.rfind('\n') + 1);

  ServerProcess a(dir_a);
  ServerProcess b(dir_b);
  const int pa = a.port(), pb = b.port();

  // Enrolled through A, ingesting through B then A again: stored once, duplicates counted.
  const auto first = agent_id(1);
  const auto secret = enrol(pa, token, first, "PC-KETOAN-01");
  REQUIRE_FALSE(secret.empty());
  const std::int64_t t0 = now_ms() - 2 * 3600 * 1000;
  std::vector<itsa::server::RecordIn> recs{record(first, 1, "inventory", t0, inventory("PC-KETOAN-01")),
                                           record(first, 2, "coverage", t0 + 60000, coverage(t0, t0 + 60000))};
  auto via_b = http_request(pb, "POST", "/api/v1/ingest", auth(secret), batch(first, recs));
  REQUIRE(via_b.status == 200);
  CHECK(json::parse(via_b.body)["stored"] == 2);
  auto via_a = http_request(pa, "POST", "/api/v1/ingest", auth(secret), batch(first, recs));
  REQUIRE(via_a.status == 200);
  CHECK(json::parse(via_a.body)["stored"] == 0);
  CHECK(json::parse(via_a.body)["duplicates"] == 2);

  // Agents spread over both instances at once, each batch sent to both: every record once.
  constexpr int k_agents = 8, k_batches = 10, k_per_batch = 20;
  std::vector<std::string> secrets(k_agents);
  for (int i = 0; i < k_agents; ++i) {
    secrets[i] = enrol(i % 2 ? pb : pa, token, agent_id(100 + i), "PC-" + std::to_string(i));
    REQUIRE_FALSE(secrets[i].empty());
  }
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < k_agents; ++i) {
    threads.emplace_back([&, i] {
      const auto id = agent_id(100 + i);
      for (int k = 0; k < k_batches; ++k) {
        std::vector<itsa::server::RecordIn> batch_recs;
        for (int j = 0; j < k_per_batch; ++j) {
          const std::int64_t seq = k * k_per_batch + j + 1;
          batch_recs.push_back(
              record(id, seq, "lifecycle", t0 + seq * 1000, {{"event", "start"}, {"agent_version", "0.1.0"}}));
        }
        const auto body = batch(id, batch_recs);
        for (int port : {pa, pb}) {
          auto r = http_request(port, "POST", "/api/v1/ingest", auth(secrets[i]), body);
          if (r.status != 200) ++failures;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(failures == 0);
  auto stats = run_server_cli({"stats", "--data-dir", dir_b, "--json"});
  REQUIRE(stats.exit_code == 0);
  const auto s = json::parse(stats.out);
  CHECK(s["total_agents"] == k_agents + 1);
  CHECK(s["total_records"] == 2 + k_agents * k_batches * k_per_batch);

  // A reviewer logged in on A is logged in on B (sessions live in the database); logging out on
  // B ends the session on A.
  const auto session = reviewer_session(pa);
  REQUIRE_FALSE(session.empty());
  auto page = http_request(pb, "GET", "/machines", {session});
  REQUIRE(page.status == 200);
  CHECK(page.body.find("PC-KETOAN-01") != std::string::npos);
  auto report = http_request(pb, "GET", "/report.json", {session});
  REQUIRE(report.status == 200);
  CHECK(report.body.find("PC-KETOAN-01") != std::string::npos);
  const auto csrf_at = page.body.find("name=\"csrf_token\" value=\"");
  REQUIRE(csrf_at != std::string::npos);
  const auto csrf_start = csrf_at + std::string("name=\"csrf_token\" value=\"").size();
  const auto csrf = page.body.substr(csrf_start, page.body.find('"', csrf_start) - csrf_start);
  auto out = http_request(pb, "POST", "/logout", {session, "Content-Type: application/x-www-form-urlencoded"},
                          "csrf_token=" + csrf);
  CHECK(out.status / 100 == 3);
  auto after = http_request(pa, "GET", "/machines", {session});
  CHECK(after.status / 100 == 3);  // back to /login
  CHECK(after.header("location") == "/login");

  // An agent revoked through one instance's data dir is refused by both at once.
  REQUIRE(run_server_cli({"agent", "revoke", "--data-dir", dir_a, first}).exit_code == 0);
  for (int port : {pa, pb})
    CHECK(http_request(port, "POST", "/api/v1/ingest", auth(secret), batch(first, recs)).status == 401);
  CHECK(a.running());
  CHECK(b.running());
}
