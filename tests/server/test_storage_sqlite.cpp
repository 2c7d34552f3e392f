// The storage contract on the embedded SQLite backend.
#include <doctest/doctest.h>

#include <filesystem>
#include <mutex>
#include <thread>

#include <sqlite3.h>

#include "server/storage/retention_runner.hpp"
#include "server/storage/storage.hpp"
#include "tests/server/records.hpp"
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

TEST_CASE("SQLite retention deletes the records and rollups before the cut in batches; later ones are refused") {
  using itsa::test::record;
  auto s = itsa::server::open_storage(itsa::test::temp_dir().string(), "").value();
  s->set_day_offset(7 * 60);
  const std::string agent = "0b9d0000-0000-4000-8000-0000000000a1";
  constexpr std::int64_t aug_10 = 1'786'320'000'000, oct_01 = 1'790'812'800'000, nov_05 = 1'793'836'800'000,
                         dec_15 = 1'797'292'800'000;
  REQUIRE(s->enrol_agent({agent, "PC-01", "site", "0.1.0", "", "secret-hash", dec_15, ""}).value());
  std::int64_t seq = 0;
  for (const std::int64_t from : {aug_10, nov_05}) {
    std::vector<itsa::server::RecordIn> batch;
    for (int i = 0; i < 12'000; ++i) {  // more than one delete batch
      const std::int64_t t = from + i * 60'000LL;
      batch.push_back(record(agent, ++seq, "pressure_minute", t,
                             {{"minute", itsa::test::iso(t)}, {"cpu_busy_pct", 95}, {"mem_used_pct", 20}}));
    }
    REQUIRE(s->ingest(agent, batch, dec_15).value().stored == 12'000);
  }
  auto dry = s->retention(dec_15, 2, true);
  REQUIRE(dry);
  CHECK(dry.value().cut_ms == oct_01);
  CHECK(dry.value().records_deleted == 12'000);
  CHECK(dry.value().rollup_rows_deleted > 0);
  CHECK(s->stats().value().at(0).records == 24'000);  // a dry run changes nothing
  auto done = s->retention(dec_15, 2, false);
  REQUIRE_MESSAGE(done, (done ? "" : done.error().message));
  CHECK(done.value().records_deleted == 12'000);
  CHECK(done.value().dropped_partitions.empty());
  CHECK(s->stats().value().at(0).records == 12'000);
  CHECK(s->machine_days("2000-01-01", "2026-10-01").value().empty());
  CHECK_FALSE(s->machine_days("2026-11-01", "2026-11-30").value().empty());
  CHECK(s->day_gens(0, oct_01 / 86'400'000 - 1).value().empty());
  auto late = s->ingest(agent, {record(agent, 99'999, "lifecycle", aug_10, {{"event", "start"}})}, dec_15);
  REQUIRE(late);
  CHECK(late.value().expired == 1);
  CHECK(late.value().stored == 0);
  CHECK(late.value().acked == std::vector<std::int64_t>{99'999});
  CHECK(s->stats().value().at(0).records == 12'000);
  CHECK(s->retention(dec_15, 2, false).value().records_deleted == 0);
}

TEST_CASE("run --retention-months: the runner applies retention at start, at the clock's time") {
  using itsa::test::record;
  auto s = itsa::server::open_storage(itsa::test::temp_dir().string(), "").value();
  const std::string agent = "0b9d0000-0000-4000-8000-0000000000a2";
  REQUIRE(s->enrol_agent({agent, "PC-02", "site", "0.1.0", "", "secret-hash-2", 1, ""}).value());
  constexpr std::int64_t aug_10 = 1'786'320'000'000, nov_05 = 1'793'836'800'000, dec_15 = 1'797'292'800'000;
  REQUIRE(s->ingest(agent,
                    {record(agent, 1, "lifecycle", aug_10, {{"event", "start"}}),
                     record(agent, 2, "lifecycle", nov_05, {{"event", "start"}})},
                    dec_15));
  itsa::ManualClock clock{itsa::from_unix_ms(dec_15)};
  std::mutex m;
  int passes = 0;
  std::int64_t cut = 0;
  {
    itsa::server::RetentionRunner runner(*s, 2, clock, std::chrono::hours(24),
                                         [&](const itsa::Result<itsa::server::RetentionResult>& r) {
                                           std::lock_guard lock(m);
                                           ++passes;
                                           if (r) cut = r.value().cut_ms;
                                         });
    for (int i = 0; i < 1500; ++i) {
      {
        std::lock_guard lock(m);
        if (passes > 0) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  CHECK(cut == 1'790'812'800'000);  // 2026-10-01
  CHECK(s->stats().value().at(0).records == 1);
}
