// The storage contract on a real PostgreSQL (a throwaway cluster this test starts itself).
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <string>
#include <thread>

#include "server/storage/storage.hpp"
#include "tests/server/day_digest_check.hpp"
#include "tests/server/pg_cluster.hpp"
#include "tests/server/records.hpp"
#include "tests/server/storage_contract.hpp"

TEST_CASE("PostgreSQL storage passes the storage contract") {
  itsa::test::PgCluster cluster;
  if (cluster.url().empty()) {
    std::cerr << "SKIPPED: " << cluster.skip_reason() << "\n";
    return;
  }
  auto s = itsa::server::open_storage("", cluster.url());
  REQUIRE_MESSAGE(s, (s ? "" : s.error().message));
  CHECK(s.value()->backend() == "postgres");
  itsa::test::check_storage_contract(*s.value());
  // A second instance on the same database (several servers behind a load balancer) sees the data.
  auto second = itsa::server::open_storage("", cluster.url());
  REQUIRE(second);
  CHECK(second.value()->stats().value().size() == 2);
  // Reports from day digests equal reports from records (issue 15), on PostgreSQL.
  itsa::test::check_day_digests(*s.value());
}

TEST_CASE("a wrong PostgreSQL URL is a clear error without the password") {
  auto s = itsa::server::open_storage("", "postgres://u:hunter2@127.0.0.1:1/db?connect_timeout=2");
  REQUIRE_FALSE(s);
  CHECK(s.error().message.find("cannot connect to PostgreSQL") != std::string::npos);
  CHECK(s.error().message.find("hunter2") == std::string::npos);
}

TEST_CASE("one instance's writer pool: an ingest held up by a row lock does not hold up another agent's") {
  itsa::test::PgCluster cluster;
  if (cluster.url().empty()) {
    std::cerr << "SKIPPED: " << cluster.skip_reason() << "\n";
    return;
  }
  using itsa::server::AgentEnrolment;
  constexpr std::int64_t k_now = 1'797'292'800'000;  // 2026-12-15
  const std::string a = "0b9d0000-0000-4000-8000-00000000f0a1", b = "0b9d0000-0000-4000-8000-00000000f0b2";
  auto s = itsa::server::open_storage("", cluster.url(), 4);
  REQUIRE_MESSAGE(s, (s ? "" : s.error().message));
  itsa::server::Storage& store = *s.value();
  for (const auto& id : {a, b}) {
    AgentEnrolment e;
    e.agent_id = id;
    e.hostname = "PC-" + id.substr(id.size() - 3);
    e.site = "Site";
    e.secret_hash = "hash-" + id;
    e.now_ms = k_now - 60'000;
    REQUIRE(store.enrol_agent(e).value());
  }
  // 4 writers + the reader are open beside this psql session.
  CHECK(std::stoi(itsa::test::psql(cluster.url(),
                                   "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = "
                                   "current_database() AND pid <> pg_backend_pid()")) >= 5);

  // Another session holds agent a's row for 4 s: a's ingest (which touches that row) waits.
  std::thread locker([&] {
    itsa::test::psql(cluster.url(), "BEGIN; UPDATE agents SET hostname = hostname WHERE agent_id = '" + a +
                                        "'; SELECT pg_sleep(4); COMMIT;");
  });
  for (int i = 0; i < 100; ++i) {
    if (itsa::test::psql(cluster.url(),
                         "SELECT COUNT(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                         "WHERE c.relname = 'agents' AND l.mode = 'RowExclusiveLock'") != "0")
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::atomic<int> order{0};
  int a_done = 0, b_done = 0;
  std::thread ingest_a([&] {
    auto r = store.ingest(a, {itsa::test::record(a, 1, "lifecycle", k_now, {{"event", "start"}})}, k_now);
    CHECK(r);
    a_done = ++order;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // a has borrowed a writer and waits on the lock
  auto r = store.ingest(b, {itsa::test::record(b, 1, "lifecycle", k_now, {{"event", "start"}})}, k_now);
  CHECK(r);
  b_done = ++order;
  ingest_a.join();
  locker.join();
  // With one writer b would wait behind a (b_done == 2); with the pool it goes through first.
  CHECK(b_done == 1);
  CHECK(a_done == 2);
  CHECK(itsa::test::psql(cluster.url(), "SELECT COUNT(*) FROM records") == "2");
}
