// Issue 15: reports from stored day digests equal reports from the records, on SQLite
// (tests/server/day_digest_check.cpp; PostgreSQL in test_storage_postgres.cpp).
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <chrono>
#include <thread>

#include "common/clock.hpp"
#include "common/time_format.hpp"
#include "report/compute.hpp"
#include "report/day_digest.hpp"
#include "server/report/digest_refresh.hpp"
#include "server/report/report_input.hpp"
#include "server/storage/storage.hpp"
#include "tests/server/day_digest_check.hpp"
#include "tests/server/seed_month.hpp"
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

namespace {

long long digests_of(itsa::server::Storage& s, const std::string& key) {
  long long n = 0;
  REQUIRE(s.day_digests(key, 0, 100'000, [&](const auto&) {
    ++n;
    return true;
  }));
  return n;
}

}  // namespace

TEST_CASE("the refresher computes the stale day digests of every key a report or the UI reads") {
  const auto dir = itsa::test::temp_dir();
  auto opened = itsa::server::open_storage(dir.string(), "");
  REQUIRE(opened);
  auto& s = *opened.value();
  const std::int64_t end = itsa::to_unix_ms(*itsa::parse_rfc3339("2026-11-30T10:00:00Z"));
  const auto month = itsa::test::seed_month(end);
  itsa::test::load_seed_month(s, month);
  itsa::report::ReportOptions office;
  itsa::report::ReportOptions all;
  all.hours = itsa::report::HoursMode::all;
  const std::string ui_key = itsa::report::digest_key(all) + "|coverage|outage|lifecycle|disk_health|instability";
  CHECK(digests_of(s, itsa::report::digest_key(office)) == 0);
  // Stopped at once: an Error, nothing half-written is wrong (each stored digest is whole).
  auto stopped = itsa::server::refresh_day_digests(s, {}, end, 35, [] { return true; });
  REQUIRE_FALSE(stopped);
  REQUIRE(itsa::server::refresh_day_digests(s, {}, end, 35, [] { return false; }));
  const long long machine_days = digests_of(s, itsa::report::digest_key(office));
  CHECK(machine_days >= 21 * 28);  // every PC, every day with records (and the day before)
  CHECK(digests_of(s, itsa::report::digest_key(all)) == machine_days);
  CHECK(digests_of(s, ui_key) == machine_days);
  // A report now finds every digest current: the same report as from the records.
  office.from_date = "2026-11-01";
  office.to_date = "2026-11-29";
  auto period = itsa::report::period_ms(office);
  REQUIRE(period);
  auto raw = itsa::server::load_report_input(s, period.value().first, period.value().second, std::nullopt);
  REQUIRE(raw);
  auto reference = itsa::report::compute_report(raw.value(), office);
  REQUIRE(reference);
  auto served = itsa::server::build_server_report(s, office, "");
  REQUIRE(served);
  CHECK(served.value() == reference.value());
  CHECK(digests_of(s, itsa::report::digest_key(office)) == machine_days);  // nothing new to store

  // The thread runs a pass at start and stops when destroyed.
  REQUIRE(s.rebuild_day_gens());
  CHECK(digests_of(s, ui_key) == 0);
  itsa::ManualClock clock(*itsa::parse_rfc3339("2026-11-30T10:00:00Z"));
  {
    itsa::server::DigestRefresher refresher(s, dir.string(), std::chrono::seconds(3600), clock);
    for (int i = 0; i < 600 && digests_of(s, ui_key) < machine_days; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(digests_of(s, ui_key) == machine_days);
}
