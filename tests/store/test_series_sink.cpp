// Minute series (common/minute_series.hpp) and the daemon's SeriesSink on a real SQLite store:
// folding, unrolling, drafts that survive a power cut, and the report reading series as minutes.
#include <doctest/doctest.h>

#include "common/minute_series.hpp"
#include "common/time_format.hpp"
#include "report/minutes.hpp"
#include "report/model.hpp"
#include "store/evidence_store.hpp"
#include "store/series_sink.hpp"
#include "tests/support/temp_dir.hpp"

using namespace itsa;
using namespace itsa::store;
using nlohmann::json;
using namespace std::chrono;

namespace {

const UtcTime k_t0 = *parse_rfc3339("2026-11-27T01:00:00Z");  // a window boundary for 15 and 5

json probe(int minute, const std::string& target = "icmp://192.168.1.1", double rtt = 0.6) {
  json p = {{"minute", to_rfc3339(k_t0 + minutes(minute))},
            {"target", target},
            {"layer", "gateway"},
            {"sent", 12},
            {"lost", minute % 4 == 0 ? 1 : 0},
            {"rtt_p50_ms", rtt + minute * 0.01}};
  if (minute % 5 == 3) p["rtt_p50_ms"] = nullptr;  // nothing answered that minute
  return p;
}

UtcTime end_of(int minute) {
  return k_t0 + minutes(minute) + seconds(59);
}

std::unique_ptr<EvidenceStore> open_store(const std::filesystem::path& dir, const Clock& clock) {
  StoreOptions o;
  o.data_dir = dir;
  o.clock = &clock;
  auto s = EvidenceStore::open(o);
  REQUIRE_MESSAGE(s, (s ? "" : s.error().message));
  return std::move(s.value());
}

std::vector<StoredRecord> stored(EvidenceStore& s, const std::string& type) {
  auto r = s.query(type, std::nullopt, 100000);
  REQUIRE(r);
  return r.value();
}

}  // namespace

TEST_CASE("a series holds its minutes as columns and unrolls to the same minutes") {
  auto s = series::OpenSeries::start("probe_minute", end_of(0), probe(0), 15);
  REQUIRE(s);
  for (int m = 1; m < 7; ++m) {
    REQUIRE(s->extends(probe(m), 15));
    s->add(end_of(m), probe(m));
  }
  CHECK(s->minutes == 7);
  CHECK_FALSE(s->full(15));
  CHECK(s->payload["target"] == "icmp://192.168.1.1");  // key fields stay scalars
  CHECK(s->payload["lost"].size() == 7);
  CHECK(series::check(s->payload).empty());
  const auto minutes_back = series::expand(s->payload);
  REQUIRE(minutes_back.size() == 7);
  for (int m = 0; m < 7; ++m) CHECK(minutes_back[static_cast<std::size_t>(m)] == probe(m));
  // Not the next minute, another window, or another key: no.
  CHECK_FALSE(s->extends(probe(8), 15));
  CHECK_FALSE(s->extends(probe(7, "icmp://8.8.8.8"), 15));
  auto late = series::OpenSeries::start("probe_minute", end_of(14), probe(14), 15);
  REQUIRE(late);
  CHECK(late->full(15));
  CHECK_FALSE(late->extends(probe(15), 15));
  // A plain minute payload is its own single minute.
  CHECK(series::expand(probe(3)) == std::vector<json>{probe(3)});
}

TEST_CASE("fields that appear or vanish mid-series are padded with null") {
  json a = {{"minute", to_rfc3339(k_t0)}, {"cpu_busy_pct", 10.0}};
  json b = {{"minute", to_rfc3339(k_t0 + minutes(1))}, {"cpu_busy_pct", 20.0}, {"psi_io_some_avg", 1.5}};
  json c = {{"minute", to_rfc3339(k_t0 + minutes(2))}, {"psi_io_some_avg", 2.5}};
  auto s = series::OpenSeries::start("pressure_minute", end_of(0), a, 15);
  REQUIRE(s);
  s->add(end_of(1), b);
  s->add(end_of(2), c);
  CHECK(s->payload["cpu_busy_pct"] == json({10.0, 20.0, nullptr}));
  CHECK(s->payload["psi_io_some_avg"] == json({nullptr, 1.5, 2.5}));
  const auto back = series::expand(s->payload);
  REQUIRE(back.size() == 3);
  CHECK(back[0]["psi_io_some_avg"].is_null());
  CHECK(back[2]["cpu_busy_pct"].is_null());
}

TEST_CASE("malformed series are named, never a crash") {
  CHECK(series::check({{"minute", "2026-11-27T01:00:00Z"}, {"minutes", 2}, {"lost", {0}}}).find("lost") == 0);
  CHECK(series::check({{"minute", "nope"}, {"minutes", 2}}).find("minute:") == 0);
  CHECK(series::check({{"minute", "2026-11-27T01:00:00Z"}, {"minutes", 0}}).find("minutes:") == 0);
  CHECK(series::check({{"minute", "2026-11-27T01:00:00Z"}, {"minutes", "3"}}).find("minutes:") == 0);
  CHECK(series::expand({{"minute", "nope"}, {"minutes", 2}}).empty());
  // Short arrays read as null past their end.
  const auto short_arrays = series::expand({{"minute", "2026-11-27T01:00:00Z"}, {"minutes", 2}, {"lost", {4}}});
  REQUIRE(short_arrays.size() == 2);
  CHECK(short_arrays[1]["lost"].is_null());
}

TEST_CASE("the sink stores one record per target per window, other records at once") {
  ManualClock clock;
  auto store = open_store(test::temp_dir() / "data", clock);
  SeriesSink sink(*store, 15);
  for (int m = 0; m < 20; ++m) {
    REQUIRE(sink.append("probe_minute", end_of(m), probe(m)));
    REQUIRE(sink.append("probe_minute", end_of(m), probe(m, "tcp://1.1.1.1:443", 24.0)));
  }
  auto outage = sink.append("outage", end_of(20), {{"id", "o1"}, {"state", "open"}});
  REQUIRE(outage);
  CHECK(outage.value() > 0);  // events are records at once
  auto records = stored(*store, "probe_minute");
  REQUIRE(records.size() == 2);  // minutes 0..14 of both targets; 15..19 still drafts
  for (const auto& r : records) {
    CHECK(r.payload["minutes"] == 15);
    CHECK(r.payload["minute"] == to_rfc3339(k_t0));
    CHECK(r.time == end_of(14));
  }
  auto drafts = store->drafts();
  REQUIRE(drafts);
  CHECK(drafts.value().size() == 2);
  auto stats = store->stats();
  REQUIRE(stats);
  CHECK(stats.value().records_pending == 3);  // drafts are not pending uploads
  CHECK(sink.close_all() == 2);
  CHECK(store->drafts().value().empty());
  records = stored(*store, "probe_minute");
  REQUIRE(records.size() == 4);
  std::vector<json> all;
  for (const auto& r : records)
    for (auto& m : series::expand(r.payload))
      if (m["target"] == "icmp://192.168.1.1") all.push_back(m);
  REQUIRE(all.size() == 20);  // every minute of the gateway target, once
  for (int m = 0; m < 20; ++m) CHECK(all[static_cast<std::size_t>(m)] == probe(m));
}

TEST_CASE("a gap, or a key that stops reporting, ends its series") {
  ManualClock clock;
  auto store = open_store(test::temp_dir() / "data", clock);
  SeriesSink sink(*store, 15);
  REQUIRE(sink.append("probe_minute", end_of(0), probe(0)));
  REQUIRE(sink.append("probe_minute", end_of(1), probe(1)));
  REQUIRE(sink.append("probe_minute", end_of(3), probe(3)));  // minute 2 missing (agent paused)
  auto records = stored(*store, "probe_minute");
  REQUIRE(records.size() == 1);
  CHECK(records[0].payload["minutes"] == 2);
  // Another target's minute in the next window closes the first target's open series.
  REQUIRE(sink.append("probe_minute", end_of(16), probe(16, "icmp://8.8.8.8")));
  records = stored(*store, "probe_minute");
  REQUIRE(records.size() == 2);
  CHECK(records[1].payload["minute"] == to_rfc3339(k_t0 + minutes(3)));
  CHECK(records[1].payload["minutes"] == 1);
}

TEST_CASE("a power cut keeps the minutes being filled: the next start stores them") {
  ManualClock clock;
  const auto dir = test::temp_dir() / "data";
  {
    auto store = open_store(dir, clock);
    SeriesSink sink(*store, 15);
    for (int m = 0; m < 6; ++m) REQUIRE(sink.append("probe_minute", end_of(m), probe(m)));
    CHECK(stored(*store, "probe_minute").empty());
    sink.forget_open_for_test();  // the process dies here
  }
  auto store = open_store(dir, clock);
  {
    SeriesSink sink(*store, 15);
    auto records = stored(*store, "probe_minute");
    REQUIRE(records.size() == 1);
    CHECK(records[0].payload["minutes"] == 6);
    CHECK(series::expand(records[0].payload).back() == probe(5));
    CHECK(store->drafts().value().empty());
  }
  CHECK(stored(*store, "probe_minute").size() == 1);  // nothing stored twice
}

TEST_CASE("the daemon's coverage draft is not a series: the next start leaves it to the daemon") {
  ManualClock clock;
  const auto dir = test::temp_dir() / "data";
  const json span = {{"start", "2026-11-27T01:00:00.000Z"},
                     {"end", "2026-11-27T01:04:00.000Z"},
                     {"end_reason", "running"},
                     {"clock_synced", true}};
  {
    auto store = open_store(dir, clock);
    SeriesSink sink(*store, 15);
    REQUIRE(sink.append("probe_minute", end_of(0), probe(0)));
    REQUIRE(store->put_draft("coverage|open", "coverage", end_of(3), span));
    sink.forget_open_for_test();  // the process dies here
  }
  auto store = open_store(dir, clock);
  SeriesSink sink(*store, 15);
  CHECK(stored(*store, "probe_minute").size() == 1);  // the series draft became its record
  CHECK(stored(*store, "coverage").empty());          // the coverage draft did not
  auto left = store->drafts();
  REQUIRE(left);
  REQUIRE(left.value().size() == 1);
  CHECK(left.value()[0].key == "coverage|open");
  CHECK(left.value()[0].type == "coverage");
  CHECK(left.value()[0].time == end_of(3));
  CHECK(left.value()[0].payload == span);
  // Its owner closes it (agent/daemon.cpp) or drops it.
  REQUIRE(store->remove_draft("coverage|open"));
  CHECK(store->drafts().value().empty());
  CHECK(store->remove_draft("coverage|open"));  // none left: not an error
}

TEST_CASE("a window of one minute stores every sample as it comes") {
  ManualClock clock;
  auto store = open_store(test::temp_dir() / "data", clock);
  SeriesSink sink(*store, 1);
  for (int m = 0; m < 3; ++m) {
    auto r = sink.append("probe_minute", end_of(m), probe(m));
    REQUIRE(r);
    CHECK(r.value() > 0);
  }
  auto records = stored(*store, "probe_minute");
  REQUIRE(records.size() == 3);
  CHECK_FALSE(records[0].payload.contains("minutes"));
}

TEST_CASE("the report reads a series as its minutes, in place") {
  auto s = series::OpenSeries::start("probe_minute", end_of(0), probe(0), 15);
  REQUIRE(s);
  s->add(end_of(1), probe(1));
  std::vector<report::Record> records;
  report::add_record(records, {"probe_minute", end_of(1), 7, "boot", s->payload});
  report::add_record(records, {"outage", end_of(1), 8, "boot", {{"id", "o"}}});
  REQUIRE(records.size() == 2);  // the series stays one record
  std::vector<std::pair<long long, nlohmann::json>> seen;
  report::for_each_minute(records[0], [&](const report::MinuteView& v) {
    seen.emplace_back(v.minute_ms(), *v.field("rtt_p50_ms"));
    CHECK(v.text("target", "") == probe(0)["target"]);
  });
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].second == probe(0)["rtt_p50_ms"]);
  CHECK(seen[1].second == probe(1)["rtt_p50_ms"]);
  CHECK(seen[1].first - seen[0].first == 60'000);
  CHECK(records[1].type == "outage");
}
