// The evidence store on real SQLite files: seq rules, queries, delivery, eviction order,
// corruption and identity handling.
#include <doctest/doctest.h>

#include <fstream>
#include <random>

#include "store/evidence_store.hpp"
#include "store/identity.hpp"
#include "tests/support/temp_dir.hpp"

using namespace itsa;
using namespace itsa::store;
using nlohmann::json;

namespace {

std::unique_ptr<EvidenceStore> open_store(const std::filesystem::path& dir, const Clock& clock,
                                          std::int64_t max_bytes = 64ll << 20) {
  StoreOptions o;
  o.data_dir = dir;
  o.clock = &clock;
  o.max_bytes = max_bytes;
  auto s = EvidenceStore::open(o);
  REQUIRE_MESSAGE(s, (s ? "" : s.error().message));
  return std::move(s.value());
}

std::uint64_t must_append(EvidenceStore& s, const std::string& type, UtcTime t, json payload) {
  auto r = s.append(type, t, std::move(payload));
  REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
  return r.value();
}

}  // namespace

TEST_CASE("seq starts at 1, increases, and survives reopen; agent_id is kept") {
  ManualClock clock;
  const auto dir = test::temp_dir() / "data";
  std::string agent_id;
  {
    auto s = open_store(dir, clock);
    agent_id = s->agent_id();
    CHECK(agent_id.size() == 36);
    CHECK(s->boot_id().size() == 36);
    CHECK(must_append(*s, "lifecycle", clock.utc_now(), {{"event", "start"}}) == 1);
    CHECK(must_append(*s, "lifecycle", clock.utc_now(), {{"event", "stop"}}) == 2);
  }
  auto s = open_store(dir, clock);
  CHECK(s->agent_id() == agent_id);
  CHECK(must_append(*s, "lifecycle", clock.utc_now(), {{"event", "start"}}) == 3);
  auto st = s->stats();
  REQUIRE(st);
  CHECK(st.value().records_total == 3);
  CHECK(st.value().records_pending == 3);
  CHECK(st.value().store_bytes > 0);
}

TEST_CASE("a deleted or reset database never reuses a seq") {
  ManualClock clock;
  const auto dir = test::temp_dir() / "data";
  {
    auto s = open_store(dir, clock);
    for (int i = 0; i < 5; ++i) must_append(*s, "lifecycle", clock.utc_now(), {{"event", "start"}});
  }
  std::filesystem::remove(store_file(dir));
  std::filesystem::remove(store_file(dir).string() + "-wal");
  auto s = open_store(dir, clock);
  CHECK(must_append(*s, "lifecycle", clock.utc_now(), {{"event", "start"}}) > 5);
}

TEST_CASE("payloads must be objects; bad input is an error, not a crash") {
  ManualClock clock;
  auto s = open_store(test::temp_dir(), clock);
  CHECK_FALSE(s->append("outage", clock.utc_now(), json::array()));
  CHECK_FALSE(s->append("", clock.utc_now(), json::object()));
}

TEST_CASE("query, latest and latest_by_payload_id") {
  ManualClock clock;
  auto s = open_store(test::temp_dir(), clock);
  const auto t0 = clock.utc_now();
  must_append(*s, "outage", t0, {{"id", "a"}, {"state", "open"}});
  clock.advance(std::chrono::minutes(1));
  must_append(*s, "probe_minute", clock.utc_now(), {{"target", "x"}});
  must_append(*s, "outage", clock.utc_now(), {{"id", "b"}, {"state", "open"}});
  clock.advance(std::chrono::minutes(1));
  must_append(*s, "outage", clock.utc_now(), {{"id", "a"}, {"state", "closed"}});

  auto outages = s->latest_by_payload_id("outage");
  REQUIRE(outages);
  REQUIRE(outages.value().size() == 2);
  CHECK(outages.value()[0].payload["id"] == "b");
  CHECK(outages.value()[1].payload["id"] == "a");
  CHECK(outages.value()[1].payload["state"] == "closed");

  auto all = s->query("", std::nullopt, 2);
  REQUIRE(all);
  REQUIRE(all.value().size() == 2);  // the newest two, oldest first
  CHECK(all.value()[0].seq == 3);
  CHECK(all.value()[1].seq == 4);
  auto since = s->query("outage", t0 + std::chrono::seconds(30));
  REQUIRE(since);
  CHECK(since.value().size() == 2);
  auto latest = s->latest("probe_minute");
  REQUIRE(latest);
  REQUIRE(latest.value());
  CHECK(latest.value()->seq == 2);
  CHECK(latest.value()->to_wire()["time"] == "2023-11-14T22:14:20.000Z");
}

TEST_CASE("pending batches respect caps; only acknowledged seqs become delivered; quarantine") {
  ManualClock clock;
  auto s = open_store(test::temp_dir(), clock);
  for (int i = 0; i < 10; ++i) must_append(*s, "probe_minute", clock.utc_now(), {{"i", i}});
  auto batch = s->pending_batch(4, 1 << 20);
  REQUIRE(batch);
  REQUIRE(batch.value().size() == 4);
  CHECK(batch.value()[0].seq == 1);
  auto small = s->pending_batch(100, 10);
  REQUIRE(small);
  CHECK(small.value().size() == 1);  // always at least one
  auto marked = s->mark_delivered({1, 3, 99});
  REQUIRE(marked);
  CHECK(marked.value() == 2);
  CHECK(s->stats().value().records_pending == 8);
  CHECK(s->pending_batch(100, 1 << 20).value()[0].seq == 2);
  auto q = s->quarantine({2}, "records[0].type: unknown");
  REQUIRE(q);
  CHECK(q.value() == 1);
  auto events = s->query("store_event");
  REQUIRE(events.value().size() == 1);
  CHECK(events.value()[0].payload["event"] == "quarantined");
  CHECK(s->stats().value().records_quarantined == 1);
  CHECK(s->stats().value().last_delivered_at.has_value());
}

TEST_CASE("size cap evicts minute samples first and undelivered outages last, and records it") {
  ManualClock clock;
  auto s = open_store(test::temp_dir(), clock, 1 << 20);
  // Incompressible filler: long payloads are stored compressed (store/payload_codec.hpp).
  std::mt19937 rng(1);
  std::string filler(4000, ' ');
  for (char& c : filler) c = static_cast<char>('a' + rng() % 26);
  for (int i = 0; i < 20; ++i) must_append(*s, "outage", clock.utc_now(), {{"id", "o" + std::to_string(i)}});
  for (int i = 0; i < 400; ++i) must_append(*s, "probe_minute", clock.utc_now(), {{"f", filler}});
  auto ev = s->enforce_limits();
  REQUIRE(ev);
  auto outages = s->query("outage");
  CHECK(outages.value().size() == 20);
  auto events = s->query("store_event");
  REQUIRE_FALSE(events.value().empty());
  CHECK(events.value()[0].payload["event"] == "evicted");
  CHECK(events.value()[0].payload["detail"].get<std::string>().find("undelivered per-minute samples") !=
        std::string::npos);
  CHECK(s->query("probe_minute", std::nullopt, 100000).value().size() < 400);
}

TEST_CASE("retention drops delivered records after retention_days") {
  ManualClock clock;
  auto s = open_store(test::temp_dir(), clock);
  must_append(*s, "probe_minute", clock.utc_now(), {{"a", 1}});
  must_append(*s, "outage", clock.utc_now(), {{"id", "x"}});
  REQUIRE(s->mark_delivered({1}));
  clock.advance(std::chrono::hours(24 * 91));
  REQUIRE(s->enforce_limits());
  CHECK(s->query("probe_minute").value().empty());
  CHECK(s->query("outage").value().size() == 1);  // undelivered: kept
}

TEST_CASE("a garbage database is moved aside, a fresh store starts and says so") {
  ManualClock clock;
  const auto dir = test::temp_dir() / "data";
  std::uint64_t last = 0;
  {
    auto s = open_store(dir, clock);
    for (int i = 0; i < 3; ++i) last = must_append(*s, "lifecycle", clock.utc_now(), {{"event", "start"}});
  }
  {
    std::ofstream out(store_file(dir), std::ios::binary | std::ios::trunc);
    out << std::string(8192, 'G');
  }
  std::filesystem::remove(store_file(dir).string() + "-wal");
  auto s = open_store(dir, clock);
  auto events = s->query("store_event");
  REQUIRE(events.value().size() == 1);
  CHECK(events.value()[0].payload["event"] == "store_reset");
  CHECK(events.value()[0].seq > last);
  int aside = 0;
  for (auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().filename().string().find("evidence.db.corrupt-") == 0) ++aside;
  CHECK(aside == 1);
}

TEST_CASE("clone detection makes a new agent_id and restarts seq") {
  ManualClock clock;
  const auto dir = test::temp_dir();
  auto s = open_store(dir, clock);
  const auto old_id = s->agent_id();
  must_append(*s, "lifecycle", clock.utc_now(), {{"event", "start"}});
  REQUIRE(s->set_hardware({{"smbios_uuid", "A"}}));
  auto rotated = s->rotate_agent_id({{"smbios_uuid", "B"}});
  REQUIRE(rotated);
  CHECK(rotated.value() != old_id);
  CHECK(s->identity().previous_agent_id == old_id);
  CHECK(must_append(*s, "lifecycle", clock.utc_now(), {{"event", "start"}}) == 1);
  CHECK(load_identity(dir)->agent_id == rotated.value());
}

TEST_CASE("read-only open of a missing store is a clear error") {
  StoreOptions o;
  o.data_dir = test::temp_dir() / "nothing";
  o.read_only = true;
  auto s = EvidenceStore::open(o);
  REQUIRE_FALSE(s);
  CHECK(s.error().message.find("no evidence store") != std::string::npos);
}

TEST_CASE("long payloads are stored compressed and read back unchanged") {
  ManualClock clock;
  const auto dir = test::temp_dir() / "data";
  auto s = open_store(dir, clock);
  json big = {{"minute", "2026-11-27T01:00:00Z"}, {"minutes", 15}, {"target", "icmp://192.168.1.1"}};
  for (int i = 0; i < 15; ++i) big["rtt_p50_ms"].push_back(0.5 + i * 0.01);
  const json small = {{"event", "start"}};
  const auto seq_big = must_append(*s, "probe_minute", clock.utc_now(), big);
  must_append(*s, "lifecycle", clock.utc_now(), small);
  CHECK(s->query("probe_minute").value().at(0).payload == big);
  CHECK(s->query("lifecycle").value().at(0).payload == small);
  auto batch = s->pending_batch(10, 1 << 20);
  REQUIRE(batch);
  REQUIRE(batch.value().size() == 2);
  CHECK(batch.value()[0].seq == seq_big);
  CHECK(batch.value()[0].to_wire()["payload"] == big);  // the wire carries the JSON, never the BLOB
}
