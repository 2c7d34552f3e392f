// The storage contract on a real PostgreSQL (a throwaway cluster this test starts itself).
#include <doctest/doctest.h>

#include <iostream>

#include "server/storage/storage.hpp"
#include "tests/server/day_digest_check.hpp"
#include "tests/server/pg_cluster.hpp"
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
