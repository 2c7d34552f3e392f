// The storage contract on the embedded SQLite backend.
#include <doctest/doctest.h>

#include <filesystem>

#include <sqlite3.h>

#include "server/storage/storage.hpp"
#include "tests/server/storage_contract.hpp"
#include "tests/support/temp_dir.hpp"

TEST_CASE("SQLite storage passes the storage contract") {
  auto s = itsa::server::open_storage(itsa::test::temp_dir().string(), "");
  REQUIRE_MESSAGE(s, (s ? "" : s.error().message));
  CHECK(s.value()->backend() == "sqlite");
  itsa::test::check_storage_contract(*s.value());
}

TEST_CASE("SQLite storage keeps its data across reopen, in WAL mode") {
  auto dir = itsa::test::temp_dir().string();
  {
    auto s = itsa::server::open_storage(dir, "").value();
    REQUIRE(s->create_token("t", "site", "h", 1));
  }
  CHECK(std::filesystem::exists(dir + "/itsa-server.db"));
  auto s = itsa::server::open_storage(dir, "").value();
  CHECK(s->list_tokens().value().size() == 1);
}

TEST_CASE("open_storage names a bad --db value") {
  auto s = itsa::server::open_storage(itsa::test::temp_dir().string(), "mysql://x");
  REQUIRE_FALSE(s);
  CHECK(s.error().message.find("postgres://") != std::string::npos);
}

TEST_CASE("a store made before agencies gets its agency columns when opened, its rows kept") {
  const auto dir = itsa::test::temp_dir().string();
  {
    // The sites and users tables as they were made before issue 15's agency level.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((dir + "/itsa-server.db").c_str(), &db) == SQLITE_OK);
    const char* old_schema =
        "CREATE TABLE sites (name TEXT PRIMARY KEY, created_ms BIGINT NOT NULL);"
        "CREATE TABLE users (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created_ms BIGINT NOT NULL);"
        "INSERT INTO sites VALUES ('So Tai chinh', 1);"
        "INSERT INTO users VALUES ('lan', 'h', 1);";
    CHECK(sqlite3_exec(db, old_schema, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  auto s = itsa::server::open_storage(dir, "");
  REQUIRE_MESSAGE(s, (s ? "" : s.error().message));
  auto sites = s.value()->site_rows();
  REQUIRE(sites);
  REQUIRE(sites.value().size() == 1);
  CHECK(sites.value()[0].name == "So Tai chinh");
  CHECK(sites.value()[0].agency == "");
  CHECK(s.value()->user("lan").value()->agency == "");
  REQUIRE(s.value()->create_token("t", "So Tai chinh", "So Tai chinh tinh", "h", 2));
  CHECK(s.value()->site_rows().value()[0].agency == "So Tai chinh tinh");
  // Opening again finds the columns and adds nothing.
  s.value().reset();
  auto again = itsa::server::open_storage(dir, "");
  REQUIRE_MESSAGE(again, (again ? "" : again.error().message));
  CHECK(again.value()->site_rows().value()[0].agency == "So Tai chinh tinh");
}
