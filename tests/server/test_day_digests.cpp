// Issue 15: reports from stored day digests equal reports from the records, on SQLite
// (tests/server/day_digest_check.cpp; PostgreSQL in test_storage_postgres.cpp).
#include <doctest/doctest.h>

#include <sqlite3.h>

#include "server/storage/storage.hpp"
#include "tests/server/day_digest_check.hpp"
#include "tests/support/temp_dir.hpp"

TEST_CASE("SQLite: reports from day digests equal reports from records, cold, warm, after new records") {
  const auto dir = itsa::test::temp_dir();
  auto s = itsa::server::open_storage(dir.string(), "");
  REQUIRE(s);
  itsa::test::check_day_digests(*s.value());
}

TEST_CASE("a store made before day generations gets them from its records when opened") {
  const auto dir = itsa::test::temp_dir();
  {
    auto s = itsa::server::open_storage(dir.string(), "");
    REQUIRE(s);
    REQUIRE(s.value()->enrol_agent({"a1", "pc1", "Nhà A", "0.1.0", "", "h", 0, ""}));
    REQUIRE(s.value()->ingest("a1", {{"a1", "b", 1, "lifecycle", 1'764'000'000'000, R"({"event":"start"})"}}, 1));
    REQUIRE(s.value()->rebuild_day_gens());
    CHECK(s.value()->day_gens(0, 100'000).value().size() == 1);
  }
  // The older store: records, no generations.
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((dir / "itsa-server.db").string().c_str(), &db) == SQLITE_OK);
  CHECK(sqlite3_exec(db, "DELETE FROM day_gens", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  auto s = itsa::server::open_storage(dir.string(), "");
  REQUIRE(s);
  const auto gens = s.value()->day_gens(0, 100'000).value();
  REQUIRE(gens.size() == 1);
  CHECK(gens.front().utc_day == 1'764'000'000'000 / 86'400'000);
}
