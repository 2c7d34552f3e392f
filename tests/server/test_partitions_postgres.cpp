// PostgreSQL's monthly partitions of records and retention by dropping them (issue 15), on a
// throwaway cluster: hostile times, the migration of a store made before partitioning, partitions
// made by concurrent ingests, and an expired partition dropped while agents ingest.
#include <doctest/doctest.h>

#include <atomic>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "server/storage/storage.hpp"
#include "tests/server/pg_cluster.hpp"
#include "tests/server/records.hpp"

namespace {

using itsa::server::RecordIn;
using itsa::server::RecordQuery;
using itsa::server::Storage;
using itsa::server::StoredRecord;
using itsa::test::psql;
using itsa::test::record;

constexpr std::int64_t k_may_10_2024_window_lo = 1'714'521'600'000;  // 2024-05-01
constexpr std::int64_t k_jun_15_2024 = 1'718'409'600'000;
constexpr std::int64_t k_may_10 = 1'778'371'200'000;  // 2026-05-10
constexpr std::int64_t k_aug_10 = 1'786'320'000'000;  // 2026-08-10
constexpr std::int64_t k_sep_20 = 1'789'862'400'000;
constexpr std::int64_t k_oct_01 = 1'790'812'800'000;  // the cut of 2 months kept on 2026-12-15
constexpr std::int64_t k_nov_05 = 1'793'836'800'000;
constexpr std::int64_t k_dec_15 = 1'797'292'800'000;  // "now" of these tests
constexpr std::int64_t k_jan_03 = 1'798'934'400'000;  // next month
constexpr std::int64_t k_minute = 60'000;
const std::string k_agent = "0b9d0000-0000-4000-8000-0000000000a1";

std::unique_ptr<Storage> open(const std::string& url) {
  auto s = itsa::server::open_storage("", url);
  REQUIRE_MESSAGE(s, (s ? "" : s.error().message));
  return std::move(s.value());
}

/// Every stored record of an agent: (boot_id, seq) → how many times, and their times.
std::map<std::pair<std::string, std::int64_t>, int> stored_keys(Storage& s, const std::string& agent,
                                                                std::vector<std::int64_t>* times = nullptr) {
  std::map<std::pair<std::string, std::int64_t>, int> out;
  RecordQuery q;
  q.agent_ids = {agent};
  q.from_ms = INT64_MIN;
  q.to_ms = INT64_MAX;
  REQUIRE(s.records(q, [&](const StoredRecord& r) {
    ++out[{r.boot_id, r.seq}];
    if (times) times->push_back(r.time_ms);
    return true;
  }));
  return out;
}

nlohmann::json pressure(std::int64_t minute_ms) {
  return {{"minute", itsa::test::iso(minute_ms)}, {"cpu_busy_pct", 95}, {"mem_used_pct", 20}};
}

}  // namespace

TEST_CASE("PostgreSQL records: one partition per month, hostile times in the default partition, never lost") {
  itsa::test::PgCluster cluster;
  if (cluster.url().empty()) {
    std::cerr << "SKIPPED: " << cluster.skip_reason() << "\n";
    return;
  }
  auto s = open(cluster.url());
  CHECK(psql(cluster.url(), "SELECT relkind FROM pg_class WHERE relname = 'records'") == "p");
  const std::vector<std::int64_t> hostile{1, -5'000, 4'102'444'800'000 /* 2100 */, INT64_MAX - 1, INT64_MIN + 2};
  std::vector<RecordIn> batch;
  for (std::size_t i = 0; i < hostile.size(); ++i)
    batch.push_back(record(k_agent, static_cast<std::int64_t>(i) + 1, "lifecycle", hostile[i], {{"event", "start"}}));
  batch.push_back(record(k_agent, 10, "lifecycle", k_nov_05, {{"event", "start"}}));
  auto r = s->ingest(k_agent, batch, k_dec_15);
  REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
  CHECK(r.value().stored == 6);
  CHECK(psql(cluster.url(), "SELECT COUNT(*) FROM records_default") == "5");
  CHECK(psql(cluster.url(), "SELECT COUNT(*) FROM records_p202611") == "1");
  // Sent again (the agent missed the ack): nothing stored twice, wherever it lives.
  auto again = s->ingest(k_agent, batch, k_dec_15 + 1000);
  REQUIRE(again);
  CHECK(again.value().stored == 0);
  CHECK(again.value().duplicates == 6);
  CHECK(again.value().acked.size() == 6);
  auto keys = stored_keys(*s, k_agent);
  CHECK(keys.size() == 6);
  for (const auto& [key, n] : keys) CHECK(n == 1);

  // 2024-06 is older than the 24 months that get partitions on demand on 2026-12-15: default.
  REQUIRE(s->ingest(k_agent, {record(k_agent, 20, "lifecycle", k_jun_15_2024, {{"event", "start"}})}, k_dec_15));
  CHECK(psql(cluster.url(), "SELECT COUNT(*) FROM records_default") == "6");
  // A server whose clock says 2026-05 makes that month's partition: the default partition's row
  // moves into it, none is lost or doubled.
  REQUIRE(
      s->ingest(k_agent, {record(k_agent, 21, "lifecycle", k_jun_15_2024 + k_minute, {{"event", "start"}})}, k_may_10));
  CHECK(k_may_10_2024_window_lo < k_jun_15_2024);
  CHECK(psql(cluster.url(), "SELECT COUNT(*) FROM records_p202406") == "2");
  CHECK(psql(cluster.url(), "SELECT COUNT(*) FROM records_default") == "5");
  CHECK(stored_keys(*s, k_agent).size() == 8);
  // Only the months of the window get partitions: the current and next ones exist from the start.
  const std::string parts =
      psql(cluster.url(),
           "SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_inherits i JOIN pg_class c ON c.oid = "
           "i.inhrelid WHERE i.inhparent = 'records'::regclass");
  CHECK(parts.find("records_default") != std::string::npos);
  CHECK(parts.find("records_p202611") != std::string::npos);
  CHECK(parts.find("records_p1970") == std::string::npos);
  CHECK(parts.find("records_p2100") == std::string::npos);
}

TEST_CASE("a PostgreSQL store made before partitioning is converted by the migration, in one transaction") {
  itsa::test::PgCluster cluster;
  if (cluster.url().empty()) {
    std::cerr << "SKIPPED: " << cluster.skip_reason() << "\n";
    return;
  }
  const std::string& url = cluster.url();
  // The schema of the releases before partitioning.
  psql(url,
       "CREATE TABLE records (agent_id TEXT NOT NULL, boot_id TEXT NOT NULL, seq BIGINT NOT NULL, type TEXT NOT "
       "NULL, time_ms BIGINT NOT NULL, payload TEXT NOT NULL, received_ms BIGINT NOT NULL, PRIMARY KEY (agent_id, "
       "boot_id, seq)); CREATE INDEX records_agent_seq ON records(agent_id, seq); CREATE INDEX records_type_agent ON "
       "records(type, agent_id, seq); CREATE INDEX records_time ON records(time_ms)");
  const std::int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  std::string values;
  const std::vector<std::int64_t> times{now_ms - 40LL * 86'400'000, now_ms - 39LL * 86'400'000, now_ms, 5};
  for (std::size_t i = 0; i < times.size(); ++i)
    values += std::string(i ? "," : "") + "('" + k_agent + "', 'b1', " + std::to_string(i + 1) + ", 'lifecycle', " +
              std::to_string(times[i]) + ", '{}', 1)";
  psql(url, "INSERT INTO records VALUES " + values);
  REQUIRE(psql(url, "SELECT relkind FROM pg_class WHERE relname = 'records'") == "r");

  auto s = open(url);
  CHECK(psql(url, "SELECT relkind FROM pg_class WHERE relname = 'records'") == "p");
  CHECK(psql(url, "SELECT COUNT(*) FROM pg_class WHERE relname = 'records_unpartitioned'") == "0");
  CHECK(psql(url, "SELECT COUNT(*) FROM records") == "4");
  CHECK(psql(url, "SELECT COUNT(*) FROM record_keys") == "4");
  CHECK(psql(url, "SELECT COUNT(*) FROM records_default") == "1");  // 1970
  CHECK(psql(url, "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'records'") == "4");
  // The moved records keep their exactly-once key; day generations were counted from them.
  auto dup = s->ingest(k_agent, {record(k_agent, 2, "lifecycle", times[1], {{"event", "start"}}, "b1")}, now_ms);
  REQUIRE_MESSAGE(dup, (dup ? "" : dup.error().message));
  CHECK(dup.value().duplicates == 1);
  CHECK_FALSE(s->day_gens(0, now_ms / 86'400'000 + 1).value().empty());
  // Opening again (another instance, a restart) changes nothing.
  auto second = open(url);
  CHECK(stored_keys(*second, k_agent).size() == 4);
}

TEST_CASE("concurrent ingests of a new month make its partition once") {
  itsa::test::PgCluster cluster;
  if (cluster.url().empty()) {
    std::cerr << "SKIPPED: " << cluster.skip_reason() << "\n";
    return;
  }
  constexpr int k_instances = 6;
  std::vector<std::unique_ptr<Storage>> instances;
  for (int i = 0; i < k_instances; ++i) instances.push_back(open(cluster.url()));
  std::atomic<int> ready{0}, failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < k_instances; ++i) {
    threads.emplace_back([&, i] {
      ++ready;
      while (ready.load() < k_instances) std::this_thread::yield();
      auto r = instances[static_cast<std::size_t>(i)]->ingest(
          k_agent, {record(k_agent, i + 1, "lifecycle", k_may_10 + i * k_minute, {{"event", "start"}})}, k_dec_15);
      if (!r || r.value().stored != 1) ++failures;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(failures.load() == 0);
  CHECK(psql(cluster.url(), "SELECT COUNT(*) FROM pg_class WHERE relname = 'records_p202605'") == "1");
  CHECK(psql(cluster.url(), "SELECT COUNT(*) FROM records_p202605") == std::to_string(k_instances));
  CHECK(psql(cluster.url(), "SELECT COUNT(*) FROM records_default") == "0");

  // The same key from every instance at once, each with a time in another month (another
  // partition): stored once.
  std::atomic<int> stored{0}, dups{0};
  ready = 0;
  threads.clear();
  for (int i = 0; i < k_instances; ++i) {
    threads.emplace_back([&, i] {
      ++ready;
      while (ready.load() < k_instances) std::this_thread::yield();
      const std::int64_t t = k_may_10 + i * 31LL * 86'400'000;
      auto r = instances[static_cast<std::size_t>(i)]->ingest(
          k_agent, {record(k_agent, 100, "lifecycle", t, {{"event", "start"}})}, k_dec_15);
      if (!r) return (void)++failures;
      stored += r.value().stored;
      dups += r.value().duplicates;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(failures.load() == 0);
  CHECK(stored.load() == 1);
  CHECK(dups.load() == k_instances - 1);
  CHECK(psql(cluster.url(), "SELECT COUNT(*) FROM records WHERE seq = 100") == "1");
  CHECK(psql(cluster.url(), "SELECT COUNT(*) FROM record_keys WHERE seq = 100") == "1");
}

TEST_CASE("retention drops an expired partition while agents ingest and loses nothing that was not expired") {
  itsa::test::PgCluster cluster;
  if (cluster.url().empty()) {
    std::cerr << "SKIPPED: " << cluster.skip_reason() << "\n";
    return;
  }
  const std::string& url = cluster.url();
  auto s = open(url);
  s->set_day_offset(7 * 60);
  // Before: August and September (to expire) and November (kept), with their day counters.
  std::int64_t seq = 0;
  std::map<std::pair<std::string, std::int64_t>, std::int64_t> kept_before;  // key → time
  for (const std::int64_t from : {k_aug_10, k_sep_20, k_nov_05}) {
    std::vector<RecordIn> batch;
    for (int i = 0; i < 200; ++i) {
      const std::int64_t t = from + i * k_minute;
      batch.push_back(record(k_agent, ++seq, "pressure_minute", t, pressure(t)));
      if (from == k_nov_05) kept_before[{batch.back().boot_id, seq}] = t;
    }
    auto r = s->ingest(k_agent, batch, k_dec_15);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    REQUIRE(r.value().stored == 200);
  }
  REQUIRE(psql(url, "SELECT COUNT(*) FROM records_p202608") == "200");
  REQUIRE_FALSE(s->machine_days("2026-08-01", "2026-09-30").value().empty());

  // Agents, each through its own server instance (own connections), post batches of this month,
  // the next, November, October and September — and send each batch twice — while the retention runs.
  constexpr int k_agents = 4;
  constexpr int k_batches = 30;
  struct Sent {
    std::map<std::pair<std::string, std::int64_t>, std::int64_t> keys;  // key → time
    int errors = 0;
  };
  std::vector<Sent> sent(k_agents);
  std::vector<std::unique_ptr<Storage>> instances;
  for (int a = 0; a < k_agents; ++a) instances.push_back(open(url));
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  auto agent_id = [](int a) { return "0b9d0000-0000-4000-8000-00000000c0" + std::to_string(10 + a); };
  for (int a = 0; a < k_agents; ++a) {
    threads.emplace_back([&, a] {
      while (!go.load()) std::this_thread::yield();
      Storage& st = *instances[static_cast<std::size_t>(a)];
      const std::string id = agent_id(a);
      const std::vector<std::int64_t> months{k_dec_15, k_jan_03, k_nov_05, k_sep_20, k_oct_01 + 14 * 86'400'000};
      for (int b = 0; b < k_batches; ++b) {
        std::vector<RecordIn> batch;
        for (int i = 0; i < 20; ++i) {
          const std::int64_t n = b * 20 + i + 1;
          const std::int64_t t = months[static_cast<std::size_t>(n % 5)] + n * k_minute;
          batch.push_back(record(id, n, "pressure_minute", t, pressure(t)));
        }
        for (int twice = 0; twice < 2; ++twice) {
          auto r = st.ingest(id, batch, k_dec_15 + b * 1000);
          if (!r || r.value().acked.size() != batch.size()) {
            ++sent[static_cast<std::size_t>(a)].errors;
            continue;
          }
        }
        for (const auto& rec : batch) sent[static_cast<std::size_t>(a)].keys[{rec.boot_id, rec.seq}] = rec.time_ms;
      }
    });
  }
  go = true;
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  auto dropped = s->retention(k_dec_15, 2, false);
  for (auto& t : threads) t.join();
  REQUIRE_MESSAGE(dropped, (dropped ? "" : dropped.error().message));
  CHECK(dropped.value().cut_ms == k_oct_01);
  CHECK(dropped.value().dropped_partitions == std::vector<std::string>{"records_p202608", "records_p202609"});

  // Nothing that was not expired is lost, nothing is stored twice, nothing expired is left.
  for (int a = 0; a < k_agents; ++a) {
    CHECK(sent[static_cast<std::size_t>(a)].errors == 0);
    std::vector<std::int64_t> times;
    auto stored = stored_keys(*s, agent_id(a), &times);
    std::size_t kept = 0;
    for (const auto& [key, t] : sent[static_cast<std::size_t>(a)].keys) {
      if (t < k_oct_01) {
        CHECK(stored.count(key) == 0);
        continue;
      }
      ++kept;
      CHECK(stored[key] == 1);
    }
    CHECK(stored.size() == kept);
    for (const std::int64_t t : times) CHECK(t >= k_oct_01);
  }
  auto mine = stored_keys(*s, k_agent);
  CHECK(mine.size() == kept_before.size());
  for (const auto& [key, t] : kept_before) CHECK(mine[key] == 1);
  CHECK(psql(url, "SELECT COUNT(*) FROM pg_class WHERE relname IN ('records_p202608', 'records_p202609')") == "0");
  CHECK(psql(url, "SELECT COUNT(*) FROM record_keys WHERE time_ms < " + std::to_string(k_oct_01)) == "0");
  CHECK(psql(url, "SELECT COUNT(*) FROM records WHERE time_ms < " + std::to_string(k_oct_01)) == "0");
  // The rollups of the dropped days went with them; November's stay.
  CHECK(s->machine_days("2000-01-01", "2026-09-30").value().empty());
  CHECK(s->day_gens(0, k_oct_01 / 86'400'000 - 1).value().empty());
  CHECK_FALSE(s->machine_days("2026-11-01", "2026-11-30").value().empty());

  // A duplicate whose time moved to another month is still a duplicate (one key for all partitions).
  const auto first = *kept_before.begin();
  auto moved = s->ingest(
      k_agent, {record(k_agent, first.first.second, "pressure_minute", k_dec_15, pressure(k_dec_15))}, k_dec_15);
  REQUIRE(moved);
  CHECK(moved.value().stored == 0);
  CHECK(moved.value().duplicates == 1);
  // A record older than the cut is acknowledged and not stored (the agent drops it).
  auto late = s->ingest(k_agent, {record(k_agent, 9999, "pressure_minute", k_aug_10, pressure(k_aug_10))}, k_dec_15);
  REQUIRE(late);
  CHECK(late.value().expired == 1);
  CHECK(late.value().stored == 0);
  CHECK(late.value().acked == std::vector<std::int64_t>{9999});
  CHECK(stored_keys(*s, k_agent).size() == kept_before.size());
  // Again: nothing more to drop; a dry run changes nothing.
  auto dry = s->retention(k_dec_15, 1, true);
  REQUIRE(dry);
  CHECK(dry.value().dropped_partitions == std::vector<std::string>{"records_p202610"});
  CHECK(psql(url, "SELECT COUNT(*) FROM pg_class WHERE relname = 'records_p202610'") == "1");
  auto none = s->retention(k_dec_15, 2, false);
  REQUIRE(none);
  CHECK(none.value().dropped_partitions.empty());
  CHECK(none.value().keys_deleted == 0);
}
