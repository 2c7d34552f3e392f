// The storage contract on the embedded SQLite backend.
#include <doctest/doctest.h>

#include <filesystem>

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
