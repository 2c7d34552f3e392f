// The real itsa-server on a throwaway PostgreSQL (issue 15): agents post over loopback HTTP while
// `itsa-server retention` drops an expired month's partition; every record that was not expired
// is stored once, an old record is acknowledged as expired, and a second instance started with
// `--retention-months` applies its own cut at start.
#include <doctest/doctest.h>

#include <atomic>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "server/storage/storage.hpp"
#include "tests/server/pg_cluster.hpp"
#include "tests/server/records.hpp"
#include "tests/server/server_process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace itsa::test;
using nlohmann::json;

namespace {

std::map<std::string, std::int64_t> records_per_agent(const std::string& dir) {
  auto stats = run_server_cli({"stats", "--data-dir", dir, "--json"});
  REQUIRE(stats.exit_code == 0);
  std::map<std::string, std::int64_t> out;
  const json doc = json::parse(stats.out);
  for (const auto& a : doc["agents"]) out[a["agent_id"].get<std::string>()] = a["records"].get<std::int64_t>();
  return out;
}

}  // namespace

TEST_CASE("itsa-server on PostgreSQL: retention drops an expired partition while agents post; nothing else lost") {
  PgCluster cluster;
  if (cluster.url().empty()) {
    std::cerr << "SKIPPED: " << cluster.skip_reason() << "\n";
    return;
  }
  const auto dir = (temp_dir() / "data").string();
  REQUIRE(run_server_cli({"init", "--data-dir", dir, "--db", cluster.url()}).exit_code == 0);
  auto created = run_server_cli({"token", "create", "--data-dir", dir, "--site", "So Tai chinh"});
  REQUIRE(created.exit_code == 0);
  std::string token = created.out;
  while (!token.empty() && token.back() == '\n') token.pop_back();
  token = token.substr(token.rfind('\n') + 1);

  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  constexpr std::int64_t k_day = 86'400'000;
  const std::int64_t old_month = itsa::server::retention_cut_ms(now, 3) + 10 * k_day;  // dropped by keep 2
  const std::int64_t two_back = itsa::server::retention_cut_ms(now, 2) + 10 * k_day;   // kept by 2, not by 1
  ServerProcess server(dir, {"--rate-limit-per-min", "100000"});
  constexpr int k_agents = 3;
  std::vector<std::string> ids, secrets;
  for (int a = 0; a < k_agents; ++a) {
    ids.push_back("0b9d0000-0000-4000-8000-00000000d0" + std::to_string(10 + a));
    secrets.push_back(enrol(server.port(), token, ids.back(), "PC-" + std::to_string(a)));
    REQUIRE_FALSE(secrets.back().empty());
  }
  // Before: each agent's month three months back (to expire).
  std::int64_t seq_base = 0;
  for (int a = 0; a < k_agents; ++a) {
    std::vector<itsa::server::RecordIn> recs;
    for (int i = 1; i <= 40; ++i)
      recs.push_back(
          record(ids[static_cast<std::size_t>(a)], i, "lifecycle", old_month + i * 60'000, {{"event", "start"}}));
    auto r = http_request(server.port(), "POST", "/api/v1/ingest", auth(secrets[static_cast<std::size_t>(a)]),
                          batch(ids[static_cast<std::size_t>(a)], recs));
    REQUIRE(r.status == 200);
    CHECK(json::parse(r.body)["stored"] == 40);
  }
  seq_base = 40;

  // Agents post this month and two months back, each batch twice, while the retention runs.
  constexpr int k_batches = 15;
  std::atomic<bool> go{false};
  std::atomic<int> errors{0};
  std::vector<std::int64_t> current(k_agents, 0), previous(k_agents, 0);
  std::vector<std::thread> threads;
  for (int a = 0; a < k_agents; ++a) {
    threads.emplace_back([&, a] {
      while (!go.load()) std::this_thread::yield();
      const auto ai = static_cast<std::size_t>(a);
      for (int b = 0; b < k_batches; ++b) {
        std::vector<itsa::server::RecordIn> recs;
        for (int i = 0; i < 10; ++i) {
          const std::int64_t seq = seq_base + b * 10 + i + 1;
          const bool last = i % 3 == 0;
          recs.push_back(record(ids[ai], seq, "lifecycle", last ? two_back + seq * 60'000 : now - seq * 1000,
                                {{"event", "start"}}));
        }
        for (int twice = 0; twice < 2; ++twice) {
          auto r = http_request(server.port(), "POST", "/api/v1/ingest", auth(secrets[ai]), batch(ids[ai], recs));
          if (r.status != 200 || json::parse(r.body)["acked"].size() != recs.size()) ++errors;
        }
        for (int i = 0; i < 10; ++i) ++(i % 3 == 0 ? previous[ai] : current[ai]);
      }
    });
  }
  go = true;
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto dropped = run_server_cli({"retention", "--data-dir", dir, "--keep-months", "2", "--json"});
  for (auto& t : threads) t.join();
  REQUIRE_MESSAGE(dropped.exit_code == 0, dropped.err);
  auto doc = json::parse(dropped.out);
  CHECK(doc["backend"] == "postgres");
  CHECK_MESSAGE(doc["dropped_partitions"].size() >= 1, dropped.out);
  CHECK(doc["records_deleted"] == 0);  // whole partitions, no DELETE of records
  CHECK(errors.load() == 0);
  auto counts = records_per_agent(dir);
  for (int a = 0; a < k_agents; ++a) {
    const auto ai = static_cast<std::size_t>(a);
    CHECK(counts[ids[ai]] == current[ai] + previous[ai]);
  }
  // A record of the dropped month, sent late: acknowledged as expired, not stored.
  auto late = http_request(server.port(), "POST", "/api/v1/ingest", auth(secrets[0]),
                           batch(ids[0], {record(ids[0], 9999, "lifecycle", old_month, {{"event", "start"}})}));
  REQUIRE(late.status == 200);
  auto lj = json::parse(late.body);
  CHECK(lj["acked"] == json::array({9999}));
  CHECK(lj["expired"] == 1);
  CHECK(lj["stored"] == 0);
  CHECK(records_per_agent(dir)[ids[0]] == current[0] + previous[0]);

  // A second instance on the same database with --retention-months 1 (this month and the last
  // kept) drops the month two back at start.
  ServerProcess second(dir, {"--retention-months", "1"});
  bool applied = false;
  for (int i = 0; i < 800 && !applied; ++i) {
    applied = second.log().find("retention: records before") != std::string::npos;
    if (!applied) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK_MESSAGE(applied, second.log());
  counts = records_per_agent(dir);
  for (int a = 0; a < k_agents; ++a)
    CHECK(counts[ids[static_cast<std::size_t>(a)]] == current[static_cast<std::size_t>(a)]);
}
