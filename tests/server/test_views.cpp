// Pure view rules: availability from coverage and outages, site-wide outage grouping, inventory facts.
#include <doctest/doctest.h>

#include "common/minute_series.hpp"
#include "common/time_format.hpp"
#include "server/auth/crypto.hpp"
#include "server/web/views.hpp"
#include "tests/server/records.hpp"
#include "tests/support/temp_dir.hpp"

using namespace itsa::server;

TEST_CASE("availability counts outage time only inside observed time") {
  std::vector<Span> coverage{{0, 600000}, {300000, 900000}, {2000000, 2600000}};  // overlapping spans merge
  OutageView inside;
  inside.span = {100000, 160000};
  OutageView unobserved;  // in a gap between spans: not counted
  unobserved.span = {1000000, 1500000};
  OutageView straddling;
  straddling.span = {850000, 1100000};  // only 50 s overlap observed time
  auto a = availability(coverage, {inside, unobserved, straddling}, Span{0, 3000000});
  CHECK(a.observed_s == doctest::Approx(1500));
  CHECK(a.outage_s == doctest::Approx(110));
  CHECK(a.ratio() == doctest::Approx((1500.0 - 110) / 1500));
  CHECK(availability({}, {}, Span{0, 1000}).ratio() < 0);
}

TEST_CASE("an outage seen by most machines of a site within one minute is site-wide") {
  auto o = [](const char* agent, std::int64_t start_s, const char* cause) {
    OutageView v;
    v.agent_id = agent;
    v.cause = cause;
    v.span = {start_s * 1000, start_s * 1000 + 120000};
    return v;
  };
  auto groups = group_site_outages(
      {o("a", 600, "upstream"), o("b", 610, "upstream"), o("c", 650, "lan"), o("a", 3600, "link_down")}, 4);
  REQUIRE(groups.size() == 2);
  CHECK(groups[1].site_wide);  // 3 of 4 machines at minute 10
  CHECK(groups[1].cause == "upstream");
  CHECK(groups[1].agent_ids.size() == 3);
  CHECK_FALSE(groups[0].site_wide);  // one PC alone: its cable/port
  CHECK(groups[0].agent_ids == std::vector<std::string>{"a"});
  // Half is not most.
  CHECK_FALSE(group_site_outages({o("a", 60, "lan"), o("b", 61, "lan")}, 4)[0].site_wide);
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
