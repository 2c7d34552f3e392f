// What a run killed -9 (or cut by a power loss) leaves open is closed by the next start, on a real
// store: the coverage span "crashed" at the later of its last record and its draft, outages still
// open "agent_stopped" at that run's last observation (issue 14 items 4 and 10). And the draft the
// daemon keeps of its open span while it runs.
#include <doctest/doctest.h>

#include <fstream>
#include <thread>

#include "agent/daemon.hpp"
#include "common/time_format.hpp"
#include "store/evidence_store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace std::chrono_literals;
using itsa::UtcTime;
using nlohmann::json;

namespace {

const UtcTime k_t0 = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()) - 2h;

std::string at(std::chrono::seconds offset) {
  return itsa::to_rfc3339_ms(k_t0 + offset);
}

json span(std::chrono::seconds start, std::chrono::seconds end, const char* reason) {
  return {{"start", at(start)}, {"end", at(end)}, {"end_reason", reason}, {"clock_synced", true}};
}

json open_outage(const std::string& id, std::chrono::seconds start) {
  return {{"id", id},
          {"state", "open"},
          {"start", at(start)},
          {"end", nullptr},
          {"duration_s", 2.0},
          {"cause", "upstream"},
          {"interface", "eth0"},
          {"end_reason", nullptr},
          {"clock_synced", true},
          {"evidence", {{"first_round", at(start)}, {"failed_rounds", 2}}}};
}

// A data dir, a loopback-only config, and the store of a run that "crashed".
struct CrashedRun {
  std::filesystem::path data_dir = itsa::test::temp_dir() / "data";
  std::filesystem::path config = itsa::test::temp_dir() / "agent.json";

  CrashedRun() {
    std::ofstream(config) << json{{"data_dir", data_dir.string()},
                                  {"log", {{"level", "warn"}}},
                                  {"probes",
                                   {{"interval_s", 1},
                                    {"gateway", "127.0.0.1"},
                                    {"internet", {"tcp://127.0.0.1:9"}},
                                    {"dns", {{"resolver", "127.0.0.1"}, {"name", "localhost"}}}}}}
                                 .dump();
  }
  std::unique_ptr<itsa::store::EvidenceStore> open(bool read_only = false) const {
    itsa::store::StoreOptions o;
    o.data_dir = data_dir;
    o.read_only = read_only;
    auto s = itsa::store::EvidenceStore::open(o);
    REQUIRE_MESSAGE(s, (s ? "" : s.error().message));
    return std::move(s.value());
  }
  // Runs a daemon on the store until it is running, then stops it cleanly.
  int start_and_stop(std::chrono::milliseconds draft_interval = 60'000ms) const {
    itsa::agent::DaemonOptions options;
    options.config_file = config;
    options.memory_trim_delay = 0s;
    options.coverage_draft_interval = draft_interval;
    itsa::agent::Daemon daemon(options);
    int code = -1;
    std::thread t([&] { code = daemon.run(); });
    const auto give_up = std::chrono::steady_clock::now() + 30s;
    while (!daemon.running() && std::chrono::steady_clock::now() < give_up) std::this_thread::sleep_for(10ms);
    CHECK(daemon.running());
    daemon.request_stop("test");
    t.join();
    return code;
  }
  std::vector<itsa::store::StoredRecord> records(const std::string& type) const {
    auto rows = open(true)->query(type, std::nullopt, 100'000);
    REQUIRE(rows);
    return rows.value();
  }
  json latest_outage(const std::string& id) const {
    auto rows = open(true)->latest_by_payload_id("outage");
    REQUIRE(rows);
    for (const auto& r : rows.value())
      if (r.payload.value("id", "") == id) return r.payload;
    FAIL("no outage " << id);
    return {};
  }
  std::vector<json> spans_with_reason(const std::string& reason) const {
    std::vector<json> out;
    for (const auto& r : records("coverage"))
      if (r.payload.value("end_reason", "") == reason) out.push_back(r.payload);
    return out;
  }
};

}  // namespace

TEST_CASE("a crash mid-outage: the next start closes span and outage at the draft's later end") {
  CrashedRun run;
  {
    auto store = run.open();
    REQUIRE(store->append("coverage", k_t0, span(0s, 0s, "running")));
    REQUIRE(store->append("coverage", k_t0 + 300s, span(0s, 300s, "running")));
    REQUIRE(store->append("outage", k_t0 + 332s, open_outage("o-crash", 330s)));
    // The draft was updated at 420 s, then the process was killed.
    REQUIRE(store->put_draft("coverage|open", "coverage", k_t0 + 420s, span(0s, 420s, "running")));
  }
  CHECK(run.start_and_stop() == 0);

  const auto crashed = run.spans_with_reason("crashed");
  REQUIRE(crashed.size() == 1);
  CHECK(crashed[0] == span(0s, 420s, "crashed"));  // the draft's end, later than the record's 300 s
  const json o = run.latest_outage("o-crash");
  CHECK(o["state"] == "closed");
  CHECK(o["end_reason"] == "agent_stopped");
  CHECK(o["end"] == at(420s));
  CHECK(o["duration_s"] == 90.0);
  CHECK(o["start"] == at(330s));  // the rest of the payload is kept
  CHECK(o["evidence"]["failed_rounds"] == 2);
  CHECK(run.open(true)->drafts().value().empty());  // the clean stop removed the new run's draft
  CHECK(run.spans_with_reason("stopped").size() == 1);
}

TEST_CASE("a draft older than the last coverage record does not shorten the span") {
  CrashedRun run;
  {
    auto store = run.open();
    REQUIRE(store->append("coverage", k_t0 + 300s, span(0s, 300s, "running")));
    REQUIRE(store->put_draft("coverage|open", "coverage", k_t0 + 240s, span(0s, 240s, "running")));
    REQUIRE(store->append("outage", k_t0 + 62s, open_outage("o-1", 60s)));
  }
  CHECK(run.start_and_stop() == 0);
  const auto crashed = run.spans_with_reason("crashed");
  REQUIRE(crashed.size() == 1);
  CHECK(crashed[0]["end"] == at(300s));
  CHECK(run.latest_outage("o-1")["end"] == at(300s));
  CHECK(run.latest_outage("o-1")["duration_s"] == 240.0);
}

TEST_CASE("an outage opened after the last coverage update ends at its own record, never before its start") {
  CrashedRun run;
  {
    auto store = run.open();
    REQUIRE(store->append("coverage", k_t0, span(0s, 0s, "running")));
    // The outage was confirmed at 12 s (its record), the process died before any coverage update.
    REQUIRE(store->append("outage", k_t0 + 12s, open_outage("o-early", 10s)));
  }
  CHECK(run.start_and_stop() == 0);
  const auto crashed = run.spans_with_reason("crashed");
  REQUIRE(crashed.size() == 1);
  CHECK(crashed[0]["end"] == at(12s));  // the outage record proves the run observed until then
  const json o = run.latest_outage("o-early");
  CHECK(o["end_reason"] == "agent_stopped");
  CHECK(o["end"] == at(12s));
  CHECK(o["duration_s"] == 2.0);
}

TEST_CASE("an outage left open by an older run ends with that run, not with a later one") {
  CrashedRun run;
  {
    auto store = run.open();
    // Run 1 crashed (already closed by run 2's start, by an agent that did not close outages),
    // run 2 stopped cleanly; the outage of run 1 is still open in the store.
    REQUIRE(store->append("coverage", k_t0, span(0s, 0s, "running")));
    REQUIRE(store->append("outage", k_t0 + 32s, open_outage("o-old", 30s)));
    REQUIRE(store->append("coverage", k_t0 + 100s, span(0s, 60s, "crashed")));
    REQUIRE(store->append("coverage", k_t0 + 600s, span(100s, 600s, "stopped")));
  }
  CHECK(run.start_and_stop() == 0);
  CHECK(run.spans_with_reason("crashed").size() == 1);  // nothing new to close
  const json o = run.latest_outage("o-old");
  CHECK(o["end_reason"] == "agent_stopped");
  CHECK(o["end"] == at(60s));
  CHECK(o["duration_s"] == 30.0);
}

TEST_CASE("a clean stop leaves nothing open: the next start closes nothing") {
  CrashedRun run;
  CHECK(run.start_and_stop() == 0);
  CHECK(run.start_and_stop() == 0);
  CHECK(run.spans_with_reason("crashed").empty());
  CHECK(run.spans_with_reason("stopped").size() == 2);
  for (const auto& r : run.records("outage")) CHECK(r.payload.value("end_reason", "") != "agent_stopped");
}

TEST_CASE("while running, the open span's end is kept as a draft at the draft interval") {
  CrashedRun run;
  itsa::agent::DaemonOptions options;
  options.config_file = run.config;
  options.memory_trim_delay = 0s;
  options.coverage_draft_interval = 100ms;
  itsa::agent::Daemon daemon(options);
  int code = -1;
  std::thread t([&] { code = daemon.run(); });
  auto draft_end = [&]() -> std::optional<UtcTime> {
    auto drafts = run.open(true)->drafts();
    REQUIRE(drafts);
    for (const auto& d : drafts.value())
      if (d.key == "coverage|open") {
        CHECK(d.type == "coverage");
        CHECK(d.payload["end_reason"] == "running");
        return itsa::parse_rfc3339(d.payload["end"].get<std::string>());
      }
    return std::nullopt;
  };
  const auto give_up = std::chrono::steady_clock::now() + 30s;
  while (!daemon.running() && std::chrono::steady_clock::now() < give_up) std::this_thread::sleep_for(10ms);
  if (!daemon.running()) {
    daemon.request_stop("test");
    t.join();
    FAIL("the daemon did not start");
  }
  while (!draft_end() && std::chrono::steady_clock::now() < give_up) std::this_thread::sleep_for(20ms);
  const auto first = draft_end();
  REQUIRE(first);
  std::optional<UtcTime> later;
  while (std::chrono::steady_clock::now() < give_up) {
    later = draft_end();
    if (later && *later > *first) break;
    std::this_thread::sleep_for(20ms);
  }
  REQUIRE(later);
  CHECK(*later > *first);  // updated, not written once
  // The draft is of the span the records hold (same start), and no extra records were made for it.
  const auto spans = run.records("coverage");
  REQUIRE(spans.size() == 1);
  auto drafts = run.open(true)->drafts().value();
  CHECK(std::any_of(drafts.begin(), drafts.end(), [&](const auto& d) {
    return d.key == "coverage|open" && d.payload["start"] == spans[0].payload["start"];
  }));
  daemon.request_stop("test");
  t.join();
  CHECK(code == 0);
  CHECK_FALSE(draft_end());  // closed with the "stopped" record
  CHECK(run.spans_with_reason("stopped").size() == 1);
}
