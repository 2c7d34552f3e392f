// An outage left open by a run that crashed (kill -9, power cut) counts as downtime only up to that
// run's last observation: never over the unobserved gap, never over a later run's coverage
// (issue 14 item 4; report/compute.cpp collect_observation).
#include <doctest/doctest.h>

#include "common/time_format.hpp"
#include "report/compute.hpp"
#include "tests/report/seed_dataset.hpp"

using itsa::report::HoursMode;
using itsa::report::MachineInput;
using itsa::report::ReportOptions;
using itsa::report::test::make_record;
using nlohmann::json;

namespace {

json coverage(const std::string& start, const std::string& end, const char* end_reason) {
  return {{"start", start}, {"end", end}, {"end_reason", end_reason}, {"clock_synced", true}};
}

json open_outage(const std::string& id, const std::string& start) {
  return {{"id", id},
          {"state", "open"},
          {"start", start},
          {"end", nullptr},
          {"duration_s", 4.0},
          {"cause", "upstream"},
          {"interface", "eth0"},
          {"end_reason", nullptr},
          {"clock_synced", true},
          {"evidence", json::object()}};
}

json lifecycle_start() {
  return {{"event", "start"}, {"agent_version", "0.1.0"}, {"detail", "test"}};
}

// Run 1 observes 01:00-02:00Z (its last coverage record, still "running": it was killed) with an
// outage opened at 01:30; run 2 starts at 03:00 and observes until 05:00 with no outage.
MachineInput crashed_machine(bool with_crashed_record, bool with_second_start) {
  MachineInput m;
  m.agent_id = "agent-crash";
  m.hostname = "PC-CRASH";
  long long seq = 0;
  m.records.push_back(make_record("lifecycle", "2026-11-02T01:00:00Z", ++seq, lifecycle_start()));
  m.records.push_back(make_record("coverage", "2026-11-02T01:00:00Z", ++seq,
                                  coverage("2026-11-02T01:00:00Z", "2026-11-02T01:00:00Z", "running")));
  m.records.push_back(make_record("outage", "2026-11-02T01:30:04Z", ++seq, open_outage("o-1", "2026-11-02T01:30:00Z")));
  m.records.push_back(make_record("coverage", "2026-11-02T02:00:00Z", ++seq,
                                  coverage("2026-11-02T01:00:00Z", "2026-11-02T02:00:00Z", "running")));
  if (with_crashed_record)  // what the next start writes (agent/daemon.cpp close_previous_run)
    m.records.push_back(make_record("coverage", "2026-11-02T03:00:00Z", ++seq,
                                    coverage("2026-11-02T01:00:00Z", "2026-11-02T02:00:00Z", "crashed")));
  if (with_second_start)
    m.records.push_back(make_record("lifecycle", "2026-11-02T03:00:00Z", ++seq, lifecycle_start()));
  m.records.push_back(make_record("coverage", "2026-11-02T03:00:00Z", ++seq,
                                  coverage("2026-11-02T03:00:00Z", "2026-11-02T03:00:00Z", "running")));
  m.records.push_back(make_record("coverage", "2026-11-02T05:00:00Z", ++seq,
                                  coverage("2026-11-02T03:00:00Z", "2026-11-02T05:00:00Z", "stopped")));
  return m;
}

json network_of(MachineInput m) {
  ReportOptions o;
  o.from_date = "2026-11-02";
  o.to_date = "2026-11-02";
  o.hours = HoursMode::all;
  o.generated_at = *itsa::parse_rfc3339("2026-11-03T00:00:00Z");
  itsa::report::ReportInput input;
  input.machines.push_back(std::move(m));
  auto r = itsa::report::compute_report(input, o);
  REQUIRE(r);
  return r.value()["network"];
}

}  // namespace

TEST_CASE("an open outage of a crashed run counts only up to that run's last observation") {
  // Every way the end of run 1 can be known: the "crashed" record, the next run's start, or both.
  for (const auto& [crashed_record, second_start] : {std::pair{true, true}, {true, false}, {false, true}}) {
    CAPTURE(crashed_record);
    CAPTURE(second_start);
    const json n = network_of(crashed_machine(crashed_record, second_start));
    CHECK(n["observed_s"] == 3.0 * 3600);  // 01:00-02:00 and 03:00-05:00
    CHECK(n["downtime_s"] == 30.0 * 60);   // 01:30-02:00, not 01:30-05:00 (nor the gap)
    CHECK(n["downtime_by_cause_s"]["upstream"] == 30.0 * 60);
    CHECK(n["per_machine"][0]["downtime_s"] == 30.0 * 60);
    CHECK(n["outages"]["machine_outages"] == 1);
  }
}

TEST_CASE("an outage still open in the running agent counts up to the period end within its coverage") {
  // No later start, no closed span: the agent is still observing (the live local report).
  MachineInput m;
  m.agent_id = "agent-live";
  m.hostname = "PC-LIVE";
  long long seq = 0;
  m.records.push_back(make_record("lifecycle", "2026-11-02T01:00:00Z", ++seq, lifecycle_start()));
  m.records.push_back(make_record("outage", "2026-11-02T01:30:04Z", ++seq, open_outage("o-1", "2026-11-02T01:30:00Z")));
  m.records.push_back(make_record("coverage", "2026-11-02T04:00:00Z", ++seq,
                                  coverage("2026-11-02T01:00:00Z", "2026-11-02T04:00:00Z", "running")));
  const json n = network_of(std::move(m));
  CHECK(n["observed_s"] == 3.0 * 3600);
  CHECK(n["downtime_s"] == 2.5 * 3600);  // 01:30-04:00: the whole observed rest
}
