// What the UI shows: availability and events as the report library counts them, inventory facts,
// a machine's detail.
#include <doctest/doctest.h>

#include "common/minute_series.hpp"
#include "common/time_format.hpp"
#include "server/auth/crypto.hpp"
#include "server/report/report_input.hpp"
#include "server/web/views.hpp"
#include "tests/server/records.hpp"
#include "tests/support/temp_dir.hpp"

using namespace itsa::server;

namespace {

nlohmann::json coverage(std::int64_t start, std::int64_t end) {
  return {{"start", itsa::test::iso(start)}, {"end", itsa::test::iso(end)}, {"clock_synced", true}};
}

nlohmann::json outage(const std::string& id, std::int64_t start, std::int64_t end, const char* cause) {
  return {{"id", id},
          {"state", "closed"},
          {"start", itsa::test::iso(start)},
          {"end", itsa::test::iso(end)},
          {"cause", cause},
          {"interface", "eth0"},
          {"clock_synced", true}};
}

}  // namespace

TEST_CASE("/sites and the machines list count as the report does: events by scope, availability (issue 16 item 4)") {
  auto opened = open_storage(itsa::test::temp_dir().string(), "");
  REQUIRE(opened);
  auto& s = *opened.value();
  const std::int64_t t0 = 1764547200000;  // 2025-12-01T00:00:00Z
  const std::int64_t min = 60000;
  for (const char* id : {"a1", "a2", "a3"})
    REQUIRE(s.enrol_agent({id, id, "Nhà A", "0.1.0", "", hash_secret(id), t0, ""}));
  REQUIRE(s.enrol_agent({"b1", "b1", "Nhà B", "0.1.0", "", hash_secret("b1"), t0, ""}));
  auto post = [&](const std::string& agent, std::vector<std::pair<const char*, nlohmann::json>> records) {
    std::vector<RecordIn> batch;
    long long seq = 0;
    for (auto& [type, payload] : records)
      batch.push_back(itsa::test::record(agent, ++seq, type, t0 + 240 * min, payload));
    REQUIRE(s.ingest(agent, batch, t0 + 241 * min));
  };
  // Everyone observed 00:00-04:00Z. Nhà A: a1 and a2 lan at 01:00 for 20 min (2 of 3: the whole
  // site), a3 link_down alone at 01:30; at 02:00 upstream at a1, a2 and b1: one agency-wide event.
  post("a1", {{"coverage", coverage(t0, t0 + 240 * min)},
              {"outage", outage("l1", t0 + 60 * min, t0 + 80 * min, "lan")},
              {"outage", outage("u1", t0 + 120 * min, t0 + 130 * min, "upstream")}});
  post("a2", {{"coverage", coverage(t0, t0 + 240 * min)},
              {"outage", outage("l2", t0 + 60 * min, t0 + 80 * min, "lan")},
              {"outage", outage("u2", t0 + 120 * min, t0 + 130 * min, "upstream")}});
  post("a3", {{"coverage", coverage(t0, t0 + 240 * min)},
              {"outage", outage("k3", t0 + 90 * min, t0 + 95 * min, "link_down")}});
  post("b1", {{"coverage", coverage(t0, t0 + 240 * min)},
              {"outage", outage("ub", t0 + 121 * min, t0 + 131 * min, "upstream")}});

  const std::int64_t now = t0 + 300 * min;
  auto sites = site_summaries(s, now);
  REQUIRE(sites);
  REQUIRE(sites.value().size() == 2);
  const SiteSummary& a = sites.value()[0];
  const SiteSummary& b = sites.value()[1];
  CHECK(a.site == "Nhà A");
  CHECK(a.machines == 3);
  REQUIRE(a.outages.size() == 3);  // newest first
  CHECK(a.outages[0].scope == "agency_wide");
  CHECK(a.outages[0].sites == std::vector<std::string>{"Nhà A", "Nhà B"});
  CHECK(a.outages[0].agent_ids == std::vector<std::string>{"a1", "a2", "b1"});
  CHECK(a.outages[0].cause == "upstream");
  CHECK(a.outages[1].scope == "single_machine");
  CHECK(a.outages[1].agent_ids == std::vector<std::string>{"a3"});
  CHECK(a.outages[2].scope == "site_wide");
  CHECK(a.outages[2].duration_s == doctest::Approx(1200));
  REQUIRE(b.outages.size() == 1);
  CHECK(b.outages[0].scope == "agency_wide");  // the same event, shown at both sites
  CHECK(a.availability_30d.observed_s == doctest::Approx(3 * 4 * 3600));
  CHECK(a.availability_30d.outage_s == doctest::Approx(20 * 60 * 2 + 10 * 60 * 2 + 5 * 60));

  // The same events and figures as the report library computes over the same days.
  auto report = observation_report(s, now, 30, {});
  REQUIRE(report);
  const auto& net = report.value()["network"];
  CHECK(net["outages"]["count"] == 3);
  CHECK(net["outages"]["agency_wide"] == 1);
  CHECK(net["outages"]["site_wide"] == 1);
  CHECK(net["outages"]["single_machine"] == 1);

  auto rows = machine_rows(s, now);
  REQUIRE(rows);
  for (const auto& row : rows.value()) {
    CAPTURE(row.agent.agent_id);
    CHECK(row.availability_30d.observed_s == doctest::Approx(4 * 3600));
    for (const auto& pm : net["per_machine"])
      if (pm["agent_id"] == row.agent.agent_id) CHECK(row.availability_30d.outage_s == pm["downtime_s"].get<double>());
  }
  auto detail = machine_detail(s, "b1", now, 7);
  REQUIRE(detail);
  REQUIRE(detail.value());
  CHECK(detail.value()->row.availability_30d.outage_s == doctest::Approx(600));
}

TEST_CASE("machine facts come from the inventory and assessment payloads") {
  const std::int64_t now = 1'795'000'000'000;
  auto f = machine_facts(itsa::test::inventory("PC-1"), itsa::test::assessment("does_not_meet"), now);
  CHECK(f.model == "Dell Inc. OptiPlex 3020");
  CHECK(f.ram_gb == doctest::Approx(4));
  CHECK(f.system_disk_media == "hdd");
  CHECK(f.os == "Windows 10 Pro 22H2");
  CHECK(f.os_support == "ended");
  CHECK(f.age_years == doctest::Approx(12.5).epsilon(0.02));
  CHECK(f.verdict == "does_not_meet");
  auto none = machine_facts(nullptr, nullptr, now);
  CHECK(none.verdict == "unknown");
  CHECK(none.age_years < 0);
}

TEST_CASE("a machine with link minutes has a detail view: totals per NIC, series unrolled (was a 500)") {
  auto opened = open_storage(itsa::test::temp_dir().string(), "");
  REQUIRE(opened);
  auto& s = *opened.value();
  const std::int64_t t0 = 1764547200000;  // 2025-12-01T00:00:00Z
  REQUIRE(s.enrol_agent({"a1", "PC-01", "Nhà A", "0.1.0", "", hash_secret("s1"), t0, ""}));
  // One plain minute, then a two-minute series of the same NIC, as the agent builds them.
  auto minute = [&](std::int64_t ms, int flaps, int crc) {
    return nlohmann::json{{"minute", itsa::test::iso(ms)}, {"interface", "eth0"}, {"flaps", flaps},
                          {"rx_crc_errors", crc},          {"speed_mbps", 100},   {"max_speed_mbps", 1000}};
  };
  auto series =
      itsa::series::OpenSeries::start("link_minute", itsa::from_unix_ms(t0 + 120000), minute(t0 + 60000, 2, 0), 15);
  REQUIRE(series);
  series->add(itsa::from_unix_ms(t0 + 180000), minute(t0 + 120000, 0, 5));
  auto r = s.ingest("a1",
                    {itsa::test::record("a1", 1, "link_minute", t0 + 60000, minute(t0, 1, 2)),
                     itsa::test::record("a1", 2, "link_minute", t0 + 180000, series->payload)},
                    t0 + 200000);
  REQUIRE(r);
  auto detail = machine_detail(s, "a1", t0 + 300000, 7);
  REQUIRE(detail);
  REQUIRE(detail.value());
  const auto& totals = detail.value()->link_totals;
  REQUIRE(totals.contains("eth0"));
  CHECK(totals["eth0"]["flaps"].get<double>() == doctest::Approx(3));
  CHECK(totals["eth0"]["rx_crc_errors"].get<double>() == doctest::Approx(7));
  CHECK(totals["eth0"]["speed_mbps"] == 100);
}

TEST_CASE("the machines list and a machine's page read boot time and battery wear from the latest inventory") {
  auto opened = open_storage(itsa::test::temp_dir().string(), "");
  REQUIRE(opened);
  auto& s = *opened.value();
  const std::int64_t t0 = 1764547200000;  // 2025-12-01T00:00:00Z
  REQUIRE(s.enrol_agent({"a1", "PC-01", "Nhà A", "0.1.0", "", hash_secret("s1"), t0, ""}));
  REQUIRE(s.enrol_agent({"a2", "PC-02", "Nhà A", "0.1.0", "", hash_secret("s2"), t0, ""}));
  auto older = itsa::test::inventory("PC-01");
  older["boot_durations"] = {{{"total_s", 300.0}}};
  auto laptop = itsa::test::inventory("PC-01");
  // 62, 75, 81, 190 s: the median is (75 + 81) / 2 = 78; battery 1 - 33 / 44 = 25 %.
  laptop["boot_durations"] = {{{"total_s", 81.0}}, {{"total_s", 190.0}}, {{"total_s", 62.0}}, {{"os_s", 75.0}}};
  laptop["battery"] = {{"present", true}, {"design_wh", 44.0}, {"full_wh", 33.0}, {"cycle_count", 210}};
  REQUIRE(s.ingest("a1",
                   {itsa::test::record("a1", 1, "inventory", t0, older),
                    itsa::test::record("a1", 2, "inventory", t0 + 60000, laptop)},
                   t0 + 120000));
  REQUIRE(s.ingest("a2", {itsa::test::record("a2", 1, "inventory", t0, itsa::test::inventory("PC-02"))}, t0 + 120000));
  auto rows = machine_rows(s, t0 + 300000);
  REQUIRE(rows);
  REQUIRE(rows.value().size() == 2);
  for (const auto& row : rows.value()) {
    const auto& w = row.facts.wear;
    if (row.agent.agent_id == "a1") {
      REQUIRE(w.boot_median_s);
      CHECK(*w.boot_median_s == doctest::Approx(78.0));
      CHECK(w.boots == 4);
      REQUIRE(w.battery_wear_pct);
      CHECK(*w.battery_wear_pct == doctest::Approx(25.0));
      CHECK(w.battery_cycles == 210);
    } else {  // a desktop without boots listed: nothing, not 0
      CHECK_FALSE(w.boot_median_s);
      CHECK_FALSE(w.battery_wear_pct);
    }
  }
  auto detail = machine_detail(s, "a1", t0 + 300000, 7);
  REQUIRE(detail);
  REQUIRE(detail.value());
  REQUIRE(detail.value()->row.facts.wear.boot_median_s);
  CHECK(*detail.value()->row.facts.wear.boot_median_s == doctest::Approx(78.0));
}
