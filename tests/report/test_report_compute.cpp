// The report's figures on the seeded dataset (seed_dataset.hpp), every number hand-computed.
#include <doctest/doctest.h>

#include "common/minute_series.hpp"
#include "common/time_format.hpp"
#include "report/compute.hpp"
#include "report/office_hours.hpp"
#include "report/render.hpp"
#include "tests/report/seed_dataset.hpp"

using itsa::report::HoursMode;
using itsa::report::Lang;
using itsa::report::ReportOptions;
using nlohmann::json;

namespace {

ReportOptions seed_options() {
  ReportOptions o;
  o.from_date = "2026-11-02";
  o.to_date = "2026-11-03";
  o.generated_at = *itsa::parse_rfc3339("2026-11-04T03:00:00Z");
  o.minimums.working_days = 2;  // a two-day dataset (the default 10 days: test_site_events.cpp)
  return o;
}

json compute(const ReportOptions& o) {
  auto r = itsa::report::compute_report(itsa::report::test::seed_dataset(), o);
  REQUIRE(r);
  return r.value();
}

}  // namespace

TEST_CASE("office hours: Monday 07:30-11:30 and 13:30-17:00 at UTC+7, weekends skipped") {
  ReportOptions o;
  // Saturday 2026-11-07 to Monday 2026-11-09.
  const long long from = itsa::report::parse_date("2026-11-07", "x").value() * 86'400'000 - 7 * 3'600'000;
  const long long to = from + 3 * 86'400'000;
  const auto set = itsa::report::office_intervals(o.schedule, from, to);
  REQUIRE(set.size() == 2);
  CHECK(itsa::to_rfc3339(itsa::from_unix_ms(set[0].start_ms)) == "2026-11-09T00:30:00Z");
  CHECK(itsa::to_rfc3339(itsa::from_unix_ms(set[0].end_ms)) == "2026-11-09T04:30:00Z");
  CHECK(itsa::to_rfc3339(itsa::from_unix_ms(set[1].start_ms)) == "2026-11-09T06:30:00Z");
  CHECK(itsa::to_rfc3339(itsa::from_unix_ms(set[1].end_ms)) == "2026-11-09T10:00:00Z");
}

TEST_CASE("bad options are errors that name the option") {
  ReportOptions o = seed_options();
  o.from_date = "2026-13-01";
  auto r = itsa::report::compute_report({}, o);
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("--from") != std::string::npos);
  o = seed_options();
  o.to_date = "2026-11-01";
  r = itsa::report::compute_report({}, o);
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("before") != std::string::npos);
  CHECK_FALSE(itsa::report::parse_windows("08:00-07:00"));
  CHECK_FALSE(itsa::report::parse_hours("night"));
  auto w = itsa::report::parse_windows("07:00-11:00,13:00-16:30");
  REQUIRE(w);
  CHECK(w.value().size() == 2);
  CHECK(w.value()[1].end_min == 16 * 60 + 30);
}

TEST_CASE("seeded dataset, office hours: every figure") {
  const json r = compute(seed_options());

  SUBCASE("period and scope") {
    CHECK(r["period"]["from"] == "2026-11-02");
    CHECK(r["period"]["to"] == "2026-11-03");
    CHECK(r["period"]["from_utc"] == "2026-11-01T17:00:00Z");
    CHECK(r["period"]["to_utc"] == "2026-11-03T17:00:00Z");
    CHECK(r["period"]["days"] == 2);
    CHECK(r["period"]["counted_s"] == 54000.0);  // 2 days x 7.5 h
    CHECK(r["generated_at"] == "2026-11-04T03:00:00Z");
    const json& s = r["scope"];
    CHECK(s["sites"] == json::array({"Branch", "HQ"}));
    CHECK(s["machines_total"] == 5);
    CHECK(s["machines_observed"] == 4);
    CHECK(s["machines_not_observed"] == json::array({"PC-D"}));  // off the whole period
    CHECK(s["machines_without_inventory"] == json::array({"PC-E"}));
    // A, B, C: 2 x 27000 s each; E: 07:30-09:30 = 7200 s; D: 0.
    CHECK(s["observed_s"] == 169200.0);
    CHECK(s["observed_pc_hours"] == 47.0);
    CHECK(s["possible_s"] == 270000.0);
    CHECK(s["coverage_pct"] == doctest::Approx(62.67));
    CHECK(s["probe"]["interval_s"] == json::array({5.0}));
    CHECK(s["probe"]["down_after"] == json::array({2.0}));
    // Only PC-A's outage carries its settings: the others are named as not recorded.
    CHECK(s["probe"]["settings"] ==
          json::parse(R"([{"interval_s":5,"down_after":2,"up_after":2,"machines":["PC-A"]}])"));
    CHECK(s["probe"]["mixed"] == false);
    CHECK(s["probe"]["machines_not_recorded"] ==
          json::array({"PC-E", "PC-B", "PC-C", "PC-D"}));  // site order: Branch, HQ
    CHECK(s["probe"]["machines_changed"] == json::array());
    CHECK(s["agent_versions"] ==
          json::array({{{"version", "0.0.9"}, {"machines", 1}}, {{"version", "0.1.0"}, {"machines", 4}}}));
    CHECK(s["clock"]["unsynced_s"] == 27000.0);  // PC-C on Tuesday
    CHECK(s["clock"]["synced_pct"] == doctest::Approx(84.04));
    CHECK(s["clock"]["machines_unsynced"] == json::array({"PC-C"}));
    CHECK(s["clock"]["outages_unsynced"] == 1);
  }

  SUBCASE("machines") {
    const json& m = r["machines"];
    CHECK(m["total"] == 5);
    CHECK(m["inventoried"] == 4);
    CHECK(m["assessed"] == 4);
    CHECK(m["meeting"] == 1);
    CHECK(m["not_meeting"] == 3);
    CHECK(m["unknown"] == 1);  // PC-E: no inventory
    CHECK(m["not_meeting_pct"] == 75.0);
    CHECK(m["by_rule"] == json{{"age", 1}, {"os_supported", 1}, {"ram_min", 2}, {"system_disk_ssd", 1}, {"tpm2", 1}});
    CHECK(m["not_meeting_small_ram"] == 2);         // A and B: 4 GB
    CHECK(m["not_meeting_past_useful_life"] == 3);  // A 11.4, B 7.6, D 14.2 years
    // Ages at 2026-11-04: A 4174 d = 11.4 y, B 2791 d = 7.6, C 1394 d = 3.8, D 5177 d = 14.2.
    CHECK(m["age"]["known"] == 4);
    CHECK(m["age"]["average_years"] == doctest::Approx(9.3));
    CHECK(m["age"]["oldest_years"] == doctest::Approx(14.2));
    CHECK(m["age"]["past_useful_life"] == 3);
    CHECK(m["age"]["distribution"] == json::array({{{"years", "0-2"}, {"machines", 0}},
                                                   {{"years", "2-4"}, {"machines", 1}},
                                                   {{"years", "4-5"}, {"machines", 0}},
                                                   {{"years", "5-7"}, {"machines", 0}},
                                                   {{"years", "7-10"}, {"machines", 1}},
                                                   {{"years", "10+"}, {"machines", 2}}}));
    // Rules: ram_min pass C, fail A B; tpm2 pass A C, fail B.
    bool saw_ram = false;
    for (const auto& rule : m["rules"]) {
      if (rule["id"] == "ram_min") {
        saw_ram = true;
        CHECK(rule["pass"] == 1);
        CHECK(rule["fail"] == 2);
      }
      if (rule["id"] == "tpm2") CHECK(rule["fail"] == 1);
    }
    CHECK(saw_ram);
    // Pressure: A 10 office minutes, 3 CPU > 90, 1 memory > 90 (lunch minutes ignored); B 4 calm minutes.
    const json& a = m["list"][1];
    REQUIRE(a["hostname"] == "PC-A");
    CHECK(a["verdict"] == "does_not_meet");
    CHECK(a["age_years"] == doctest::Approx(11.4));
    CHECK(a["bios_date"] == "2015-06-01");
    CHECK(a["failing"].size() == 3);
    CHECK(a["pressure"]["minutes"] == 10);
    CHECK(a["pressure"]["cpu_over_90_pct"] == 30.0);
    CHECK(a["pressure"]["mem_over_90_pct"] == 10.0);
    CHECK(a["pressure"]["over_90_pct"] == 40.0);
    CHECK(m["list"][0]["hostname"] == "PC-E");  // sorted by site then hostname: Branch first
    CHECK(m["list"][0]["verdict"] == "unknown");
    CHECK(m["list"][0]["pressure"]["over_90_pct"].is_null());
    CHECK(m["pressure"]["machines_with_data"] == 2);
    CHECK(m["pressure"]["machines_often_saturated"] == 1);
    CHECK(m["pressure"]["minutes"] == 14);
    CHECK(m["pressure"]["over_90_pct"] == doctest::Approx(28.57));
  }

  SUBCASE("network") {
    const json& n = r["network"];
    CHECK(n["observed_s"] == 169200.0);
    // A: 11:00-14:00 clipped to 11:00-11:30 + 13:30-14:00 = 3600 s, plus 600 s Tuesday;
    // B 690 s; C 420 s; E 300 s. The 18:00 outage of A is after hours.
    CHECK(n["downtime_s"] == 5610.0);
    CHECK(n["availability_pct"] == doctest::Approx(96.684));  // 163590 / 169200
    const json& o = n["outages"];
    // Events: A 11:00 (link_down, single), Tue 09:00 A+B+C (site-wide, majority upstream), E (dns, single).
    CHECK(o["count"] == 3);
    CHECK(o["by_cause"] == json{{"link_down", 1}, {"lan", 0}, {"upstream", 1}, {"dns", 1}, {"unknown", 0}});
    CHECK(o["site_wide"] == 1);
    CHECK(o["single_machine"] == 2);
    CHECK(o["machine_outages"] == 5);
    CHECK(o["machine_by_cause"] == json{{"link_down", 1}, {"lan", 1}, {"upstream", 2}, {"dns", 1}, {"unknown", 0}});
    // C's lan outage belongs to the site-wide upstream event: 3 PC-outages in upstream events.
    CHECK(o["machine_by_event_cause"] ==
          json{{"link_down", 1}, {"lan", 0}, {"upstream", 3}, {"dns", 1}, {"unknown", 0}});
    CHECK(o["event_downtime_s"] == 4620.0);  // 3600 + 720 (02:00-02:12Z) + 300
    CHECK(o["mean_event_downtime_s"] == 1540.0);
    CHECK(n["mttr_s"] == 1122.0);   // 5610 / 5
    CHECK(n["mtbf_s"] == 32718.0);  // (169200 - 5610) / 5
    CHECK(n["downtime_by_cause_s"] ==
          json{{"link_down", 3600.0}, {"lan", 420.0}, {"upstream", 1290.0}, {"dns", 300.0}, {"unknown", 0.0}});
    REQUIRE(n["events"].size() == 3);
    const json& first = n["events"][0];  // E at 08:00 Monday
    CHECK(first["cause"] == "dns");
    CHECK(first["machines"] == json::array({"PC-E"}));
    const json& clipped = n["events"][1];
    CHECK(clipped["start_local"] == "2026-11-02 11:00");
    CHECK(clipped["end_local"] == "2026-11-02 14:00");
    CHECK(clipped["duration_s"] == 3600.0);
    const json& wide = n["events"][2];
    CHECK(wide["scope"] == "site_wide");
    CHECK(wide["cause"] == "upstream");
    CHECK(wide["machines"] == json::array({"PC-A", "PC-B", "PC-C"}));
    CHECK(wide["duration_s"] == 720.0);
    // Heatmap: A Monday 27000 observed, 3600 down; D never observed.
    const json& daily_a = n["daily"][1];
    REQUIRE(daily_a["hostname"] == "PC-A");
    CHECK(daily_a["days"][0]["date"] == "2026-11-02");
    CHECK(daily_a["days"][0]["availability_pct"] == doctest::Approx(86.667));
    CHECK(daily_a["days"][1]["availability_pct"] == doctest::Approx(97.778));
    CHECK(n["daily"][4]["hostname"] == "PC-D");
    CHECK(n["daily"][4]["days"][0]["availability_pct"].is_null());
    // Physical layer: A eth0 4 flaps, 5 CRC, 1 downgrade event, 1 minute at 100 of 1000 Mb/s; B's lunch flaps ignored.
    const json& top = n["links"][0];
    CHECK(top["hostname"] == "PC-A");
    CHECK(top["flaps"] == 4);
    CHECK(top["crc_errors"] == 5);
    CHECK(top["speed_downgrades"] == 1);
    CHECK(top["minutes_below_max_speed"] == 1);
    CHECK(top["min_speed_mbps"] == 100.0);
    CHECK(n["links"][1]["flaps"] == 0);
    // Cabling evidence (compute_links): A's 4 flaps are its 4 short drops (no blip_minute seeded);
    // its minute at 100 of 1000 Mb/s is below the maximum, shown but not by itself evidence.
    CHECK(n["links_summary"] == json{{"machines_flapping", 1},
                                     {"machines_crc_errors", 1},
                                     {"machines_speed_downgraded", 1},
                                     {"machines_below_max_speed", 1},
                                     {"machines_cabling_evidence", 1},
                                     {"machines_wifi_disconnects", 0},
                                     {"short_drops", 4},
                                     {"wifi_disconnects", 0}});
    // Probes (gateway): 36 sent, 4 lost; p50 of {1,2,3} = 2; p95 of {2,4,6} = 6; max 8; jitter mean 1.
    REQUIRE(n["probes"].size() == 1);
    const json& g = n["probes"][0];
    CHECK(g["layer"] == "gateway");
    CHECK(g["minutes"] == 3);
    CHECK(g["sent"] == 36);
    CHECK(g["lost"] == 4);
    CHECK(g["loss_pct"] == doctest::Approx(11.111));
    CHECK(g["rtt_p50_ms"] == 2.0);
    CHECK(g["rtt_p95_ms"] == 6.0);
    CHECK(g["rtt_max_ms"] == 8.0);
    CHECK(g["jitter_avg_ms"] == 1.0);
    CHECK(n["degraded"]["minutes"] == 1);
    CHECK(n["degraded"]["by_reason"]["loss"] == 1);
  }

  SUBCASE("claims") {
    const json& c = r["claims"];
    REQUIRE(c.size() == 5);
    CHECK(c[0]["id"] == "computers_inadequate");
    CHECK(c[0]["verdict"] == "supported");
    CHECK(c[0]["text"].get<std::string>().find("Có 3/4 máy tính (75,0%) không đạt cấu hình office-recommended") == 0);
    CHECK(c[1]["verdict"] == "supported");  // 3 of 4 past 5 years
    CHECK(c[2]["id"] == "network_frequent_loss");
    // 1 PC-outage in cable/LAN events in 47 PC-hours = 0.85 per PC-week: occurs, but not "frequently".
    CHECK(c[2]["verdict"] == "partly_supported");
    CHECK(c[2]["text"].get<std::string>().find("0,9 lần/tuần làm việc") != std::string::npos);
    CHECK(c[2]["text"].get<std::string>().find("ghi nhận 3 lần mất kết nối") != std::string::npos);
    CHECK(c[3]["verdict"] == "supported");  // 1 of 4 observed PCs with cable symptoms
    CHECK(c[4]["verdict"] == "not_measured");
  }
}

TEST_CASE("seeded dataset, every hour, one site") {
  ReportOptions o = seed_options();
  o.hours = HoursMode::all;
  o.site = "HQ";
  o.lang = Lang::en;
  const json r = compute(o);
  CHECK(r["scope"]["machines_total"] == 4);
  // A, B, C observed 12 h a day for 2 days.
  CHECK(r["network"]["observed_s"] == 259200.0);
  // A: 10800 + 1800 (18:00 lan) + 600; B 690; C 420.
  CHECK(r["network"]["downtime_s"] == 14310.0);
  CHECK(r["network"]["outages"]["count"] == 3);
  CHECK(r["network"]["outages"]["by_cause"] ==
        json{{"link_down", 1}, {"lan", 1}, {"upstream", 1}, {"dns", 0}, {"unknown", 0}});
  CHECK(r["network"]["outages"]["site_wide"] == 1);
  // B's lunch-time flaps count now and put it first (sorted by flaps, then CRC errors).
  CHECK(r["network"]["links"][0]["hostname"] == "PC-B");
  CHECK(r["network"]["links"][0]["flaps"] == 7);
  CHECK(r["network"]["links"][1]["flaps"] == 4);
  CHECK(r["machines"]["pressure"]["minutes"] == 19);
  // Every hour counts: 3 of 4 PCs observed half of each day is 37.5% coverage, below 50%.
  CHECK(r["scope"]["coverage_pct"] == 37.5);
  CHECK(r["claims"][2]["verdict"] == "insufficient_data");
  CHECK(r["claims"][2]["text"].get<std::string>().find("coverage 37.5%") != std::string::npos);
  // Cable/LAN: A's link_down and A's 18:00 lan outage, 2 in 72 PC-hours = 1.1 per PC-week.
  o.minimums.coverage_pct = 30;
  CHECK(compute(o)["claims"][2]["verdict"] == "supported");
  CHECK(r["claims"][0]["text"].get<std::string>().find("3 of 4 computers (75.0%) do not meet") == 0);
}

TEST_CASE("probe settings read from the records: machines with different settings are named") {
  auto in = itsa::report::test::seed_dataset();
  const auto with_settings = [](const char* id, const char* start, const char* end, double interval, double down,
                                double up) {
    return json{{"id", id},
                {"state", "closed"},
                {"start", start},
                {"end", end},
                {"cause", "lan"},
                {"interface", "eth0"},
                {"clock_synced", true},
                {"evidence", {{"probe_interval_s", interval}, {"down_after", down}, {"up_after", up}}}};
  };
  for (auto& m : in.machines) {
    // PC-B runs at 1 s rounds with thresholds 3/3; PC-C changed from 5 s 2/2 to 10 s 2/2 (latest wins).
    if (m.hostname == "PC-B") {
      m.records.push_back(itsa::report::test::make_record(
          "outage", "2026-11-02T02:00:05Z", 900,
          with_settings("o-b9", "2026-11-02T02:00:00Z", "2026-11-02T02:00:05Z", 1, 3, 3)));
    }
    if (m.hostname == "PC-C") {
      m.records.push_back(itsa::report::test::make_record(
          "outage", "2026-11-02T02:00:05Z", 900,
          with_settings("o-c8", "2026-11-02T02:00:00Z", "2026-11-02T02:00:05Z", 5, 2, 2)));
      m.records.push_back(itsa::report::test::make_record(
          "outage", "2026-11-02T03:00:05Z", 901,
          with_settings("o-c9", "2026-11-02T03:00:00Z", "2026-11-02T03:00:05Z", 10, 2, 2)));
    }
    // PC-E had no outage with settings; a lifecycle payload's "probes" object also carries them.
    if (m.hostname == "PC-E") {
      m.records.push_back(
          itsa::report::test::make_record("lifecycle", "2026-11-02T00:30:00Z", 900,
                                          {{"event", "start"},
                                           {"agent_version", "0.1.0"},
                                           {"detail", ""},
                                           {"probes", {{"interval_s", 5}, {"down_after", 2}, {"up_after", 2}}}}));
    }
  }
  auto r = itsa::report::compute_report(in, seed_options());
  REQUIRE(r);
  const json& p = r.value()["scope"]["probe"];
  CHECK(p["recorded"] == true);
  CHECK(p["interval_s"] == json::array({1.0, 5.0, 10.0}));
  CHECK(p["down_after"] == json::array({2.0, 3.0}));
  CHECK(p["mixed"] == true);
  CHECK(p["settings"] == json::parse(R"([{"interval_s":1,"down_after":3,"up_after":3,"machines":["PC-B"]},
                                          {"interval_s":5,"down_after":2,"up_after":2,"machines":["PC-E","PC-A"]},
                                          {"interval_s":10,"down_after":2,"up_after":2,"machines":["PC-C"]}])"));
  CHECK(p["machines_changed"] == json::array({"PC-C"}));
  CHECK(p["machines_not_recorded"] == json::array({"PC-D"}));
  const std::string html = itsa::report::render_html(r.value());
  CHECK(html.find("Các máy dùng thiết lập khác nhau (chu kỳ, ngưỡng mất/có): 1 giây, 3/3: PC-B; 5 giây, 2/2: PC-E, "
                  "PC-A; 10 giây, 2/2: PC-C. "
                  "Đã thay đổi thiết lập trong kỳ: PC-C") != std::string::npos);
  CHECK(html.find("Không có trong bản ghi của (thiết lập được ghi kèm mỗi lần mất kết nối): PC-D") !=
        std::string::npos);
}

TEST_CASE("an outage whose cause the agent could not prove is counted as unknown, never as LAN or cabling") {
  auto in = itsa::report::test::seed_dataset();
  const json before = itsa::report::compute_report(in, seed_options()).value();
  for (auto& m : in.machines) {
    if (m.hostname != "PC-B") continue;
    m.records.push_back(itsa::report::test::make_record("outage", "2026-11-02T02:10:00Z", 950,
                                                        {{"id", "o-b-unknown"},
                                                         {"state", "closed"},
                                                         {"start", "2026-11-02T02:00:00Z"},
                                                         {"end", "2026-11-02T02:10:00Z"},
                                                         {"cause", "unknown"},
                                                         {"interface", "eth0"},
                                                         {"clock_synced", true},
                                                         {"evidence", json::object()}}));
  }
  auto r = itsa::report::compute_report(in, seed_options());
  REQUIRE(r);
  const json& by = r.value()["network"]["outages"]["by_cause"];
  const json& was = before["network"]["outages"]["by_cause"];
  CHECK(by["unknown"] == 1);
  CHECK(by["lan"] == was["lan"]);
  CHECK(by["link_down"] == was["link_down"]);
  CHECK(r.value()["network"]["downtime_by_cause_s"]["unknown"] == 600.0);
  const std::string html = itsa::report::render_html(r.value());
  CHECK(html.find("Chưa xác định được vị trí") != std::string::npos);
}

TEST_CASE("a profile the machines were not assessed for: the assessor is asked, else unknown") {
  ReportOptions o = seed_options();
  o.profile = "windows11";
  json r = compute(o);
  CHECK(r["machines"]["assessed"] == 0);
  CHECK(r["machines"]["unknown"] == 5);
  CHECK(r["claims"][0]["verdict"] == "insufficient_data");
  o.assessor = [](const json& inventory, const std::string& profile) -> std::optional<json> {
    const bool ok = inventory["memory"]["installed_bytes"].get<double>() >= 8.0 * 1024 * 1024 * 1024;
    return json{{"profile", profile},
                {"verdict", ok ? "meets" : "does_not_meet"},
                {"rules", {{{"id", "ram_min"}, {"result", ok ? "pass" : "fail"}}}}};
  };
  r = compute(o);
  CHECK(r["machines"]["assessed"] == 4);
  CHECK(r["machines"]["not_meeting"] == 2);
  CHECK(r["machines"]["profiles"] == json::array({"windows11"}));
}

TEST_CASE("no data at all: zero machines give nulls and insufficient-data sentences, no crash") {
  ReportOptions o = seed_options();
  auto r = itsa::report::compute_report({}, o);
  REQUIRE(r);
  CHECK(r.value()["network"]["availability_pct"].is_null());
  CHECK(r.value()["network"]["mtbf_s"].is_null());
  CHECK(r.value()["machines"]["total"] == 0);
  for (const auto& c : r.value()["claims"]) CHECK(c["verdict"] != "supported");
}

TEST_CASE("records of odd shapes are skipped or read with defaults, never a crash") {
  using itsa::report::test::make_record;
  itsa::report::ReportInput in;
  itsa::report::MachineInput m{"agent-x",
                               "PC-X",
                               "HQ",
                               "",
                               json{{"bios", {{"release_date", "To be filled by O.E.M."}}}, {"memory", 5}},
                               json{{"verdict", 3}, {"rules", "none"}},
                               {}};
  m.records.push_back(
      make_record("coverage", "2026-11-02T12:00:00Z", 1, {{"start", 12}, {"end", "2026-11-02T12:00:00Z"}}));
  m.records.push_back(make_record("coverage", "2026-11-02T12:00:00Z", 2,
                                  {{"start", "2026-11-02T00:00:00Z"}, {"end", "not a time"}, {"clock_synced", "yes"}}));
  m.records.push_back(make_record(
      "outage", "2026-11-02T02:00:00Z", 3,
      {{"id", 7}, {"start", "2026-11-02T01:00:00Z"}, {"end", "2026-11-02T01:10:00Z"}, {"cause", 5}, {"interface", 7}}));
  m.records.push_back(
      make_record("pressure_minute", "2026-11-02T02:00:00Z", 4, {{"minute", "garbage"}, {"cpu_busy_pct", "high"}}));
  m.records.push_back(
      make_record("link_minute", "2026-11-02T02:00:00Z", 5,
                  {{"minute", "2026-11-02T02:00:00Z"}, {"interface", 3}, {"flaps", "x"}, {"carrier", "up"}}));
  m.records.push_back(make_record("probe_minute", "2026-11-02T02:00:00Z", 6,
                                  {{"minute", "2026-11-02T02:00:00Z"}, {"layer", nullptr}, {"sent", "12"}}));
  m.records.push_back(make_record("degraded", "2026-11-02T02:00:00Z", 7, json::array()));
  in.machines.push_back(m);
  ReportOptions o = seed_options();
  auto r = itsa::report::compute_report(in, o);
  REQUIRE(r);
  // The span without an end closes at its record's time (12:00Z = 19:00 local): Monday's 7.5 office hours.
  CHECK(r.value()["network"]["observed_s"] == 27000.0);
  // The outage without an id is keyed by its start; its cause is unreadable: counted as unknown, never as one of
  // the four proven causes.
  CHECK(r.value()["network"]["outages"]["machine_outages"] == 1);
  CHECK(r.value()["network"]["outages"]["by_cause"] ==
        json{{"link_down", 0}, {"lan", 0}, {"upstream", 0}, {"dns", 0}, {"unknown", 1}});
  CHECK(r.value()["machines"]["unknown"] == 1);
  CHECK(r.value()["machines"]["age"]["known"] == 0);
  CHECK(r.value()["machines"]["pressure"]["minutes"] == 0);
  // And it still renders.
  CHECK_FALSE(itsa::report::render_html(r.value()).empty());
  CHECK(itsa::report::render_csv(r.value()).size() == 14);
}

namespace {

/// The input with every machine's minute records regrouped as the agent stores them: one
/// series record per key per aligned 15-minute window (common/minute_series.hpp).
itsa::report::ReportInput as_series(itsa::report::ReportInput input) {
  namespace series = itsa::series;
  for (auto& m : input.machines) {
    std::vector<itsa::report::Record> out;
    std::vector<series::OpenSeries> open;
    long long seq = 0;
    const auto close = [&](series::OpenSeries& s) { out.push_back({s.type, s.time, ++seq, "boot", s.payload}); };
    for (auto& r : m.records) {
      if (!series::is_minute_type(r.type)) {
        r.seq = ++seq;
        out.push_back(std::move(r));
        continue;
      }
      bool added = false;
      for (auto it = open.begin(); it != open.end(); ++it) {
        if (it->type != r.type || it->key != series::key_of(r.type, r.payload)) continue;
        if (it->extends(r.payload, 15)) {
          it->add(r.time, r.payload);
          added = true;
        } else {
          close(*it);
          open.erase(it);
        }
        break;
      }
      if (!added) open.push_back(*series::OpenSeries::start(r.type, r.time, r.payload, 15));
    }
    for (auto& s : open) close(s);
    m.records = std::move(out);
  }
  return input;
}

}  // namespace

TEST_CASE("minute series are read in place: the same report as from single minutes") {
  for (auto hours : {HoursMode::office, HoursMode::all}) {
    ReportOptions o = seed_options();
    o.hours = hours;
    auto minutes = itsa::report::compute_report(itsa::report::test::seed_dataset(), o);
    REQUIRE(minutes);
    auto grouped = as_series(itsa::report::test::seed_dataset());
    std::size_t series_records = 0;
    for (const auto& m : grouped.machines)
      for (const auto& r : m.records) series_records += r.payload.contains("minutes") ? 1 : 0;
    CHECK(series_records > 3);
    auto from_series = itsa::report::compute_report(grouped, o);
    REQUIRE(from_series);
    // Record seqs changed, so the report can only differ in what it computes from minutes.
    CHECK(from_series.value()["network"] == minutes.value()["network"]);
    CHECK(from_series.value()["machines"] == minutes.value()["machines"]);
    CHECK(minutes.value()["network"]["links"].size() > 0);
  }
}

TEST_CASE("reduced machine by machine (digest_records), the report is the same as from all records at once") {
  for (auto hours : {HoursMode::office, HoursMode::all}) {
    CAPTURE(static_cast<int>(hours));
    ReportOptions o = seed_options();
    o.hours = hours;
    o.from_date = "2026-10-01";
    o.to_date = "2026-11-30";
    auto whole = itsa::report::compute_report(itsa::report::test::seed_dataset(), o);
    REQUIRE(whole);
    auto input = itsa::report::test::seed_dataset();
    for (auto& m : input.machines) {
      REQUIRE(itsa::report::digest_records(m, o));
      CHECK(m.records.empty());
      CHECK(m.digest);
    }
    auto streamed = itsa::report::compute_report(input, o);
    REQUIRE(streamed);
    CHECK(streamed.value() == whole.value());
    CHECK(whole.value()["network"]["probes"].size() > 0);
    CHECK(whole.value()["network"]["outages"]["machine_outages"].get<int>() > 0);
    // Reduced for one period, the machines cannot be reported for another.
    ReportOptions other = o;
    other.hours = hours == HoursMode::office ? HoursMode::all : HoursMode::office;
    auto wrong = itsa::report::compute_report(input, other);
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().message.find("reduced for another period") != std::string::npos);
  }
}

TEST_CASE("seeded dataset: system disk verdicts, unexpected shutdowns and crashes, disk saturation (issue 19)") {
  const json r = compute(seed_options());
  const json& h = r["machines"]["health"];
  // A failing (Tuesday's reading wins over Monday's worn), B ok (Saturday's failing reading is
  // before the period), C worn, E unknown (virtual), D never read.
  CHECK(h["disk"] == json{{"failing", 1},
                          {"worn", 1},
                          {"ok", 1},
                          {"unknown", 1},
                          {"not_read", 1},
                          {"judged", 3},
                          {"failing_or_worn", 2}});
  // A 19:00:00 and B 19:01:30 Monday at HQ: one power cut; C after its crash and E alone at Branch: their own.
  const json& inst = h["instability"];
  CHECK(inst["unexpected_shutdowns"] == 4);
  CHECK(inst["power_cut_shutdowns"] == 2);
  CHECK(inst["own_shutdowns"] == 2);
  CHECK(inst["machines_own_shutdowns"] == 2);
  CHECK(inst["os_crashes"] == 1);  // October's crash found at Tuesday's start is before the period
  CHECK(inst["machines_os_crashes"] == 1);
  CHECK(inst["machines_unstable"] == 2);
  CHECK(inst["power_cuts"] == 1);
  CHECK(inst["power_cut_machines"] == 2);
  CHECK(inst["power_cut_window_s"] == 300);
  REQUIRE(inst["power_cut_events"].size() == 1);
  CHECK(inst["power_cut_events"][0] == json{{"site", "HQ"},
                                            {"start", "2026-11-02T12:00:00Z"},
                                            {"start_local", "2026-11-02 19:00"},
                                            {"end", "2026-11-02T12:01:30Z"},
                                            {"shutdowns", 2},
                                            {"machines", {"PC-A", "PC-B"}}});
  // Disk busy >= 90% in 4 of A's 10 office minutes (90 counts, 89.9 does not; lunch not counted); B 0 of 4.
  const json& busy = h["disk_saturation"];
  CHECK(busy["machines_with_data"] == 2);
  CHECK(busy["machines_often_saturated"] == 1);
  CHECK(busy["minutes"] == 14);
  CHECK(busy["over_90_pct"] == 28.57);  // 4 / 14

  const json& list = r["machines"]["list"];
  REQUIRE(list.size() == 5);
  const auto listed = [&](const char* host) {
    for (const auto& m : list)
      if (m["hostname"] == host) return m;
    FAIL("no row " << host);
    return json();
  };
  const json a = listed("PC-A");
  CHECK(a["disk_health"]["verdict"] == "failing");
  CHECK(a["disk_health"]["device"] == "/dev/sda");
  CHECK(a["disk_health"]["reason_code"] == "reallocated_growing");
  CHECK(a["disk_health"]["reason"] == "Số sector hỏng phải thay tăng từ 8 lên 10");
  CHECK(a["disk_health"]["reallocated_sectors"] == 10);
  CHECK(a["disk_health"]["read_at"] == "2026-11-03T00:05:00Z");
  CHECK(a["disk_health"]["disks_read"] == 2);
  CHECK(a["disk_health"]["other_disks_failing_or_worn"] == 1);  // sdb: not the system disk
  CHECK(a["instability"] == json{{"unexpected_shutdowns", 1},
                                 {"power_cut_shutdowns", 1},
                                 {"own_shutdowns", 0},
                                 {"own_shutdowns_after_crash", 0},
                                 {"os_crashes", 0}});
  CHECK(a["disk_saturation"] == json{{"minutes", 10}, {"busy_90_minutes", 4}, {"busy_90_pct", 40.0}});
  const json b = listed("PC-B");
  CHECK(b["disk_health"]["verdict"] == "ok");
  CHECK(b["disk_saturation"]["busy_90_pct"] == 0.0);
  const json c = listed("PC-C");
  CHECK(c["disk_health"]["verdict"] == "worn");
  CHECK(c["disk_health"]["wear_pct"] == 85);
  CHECK(c["instability"] == json{{"unexpected_shutdowns", 1},
                                 {"power_cut_shutdowns", 0},
                                 {"own_shutdowns", 1},
                                 {"own_shutdowns_after_crash", 1},
                                 {"os_crashes", 1}});
  CHECK(c["disk_saturation"]["busy_90_pct"].is_null());  // no pressure minute
  const json d = listed("PC-D");
  CHECK(d["disk_health"]["verdict"].is_null());
  const json e = listed("PC-E");
  CHECK(e["disk_health"]["verdict"] == "unknown");  // no inventory: the only disk read is the system disk
  CHECK(e["disk_health"]["reason_code"] == "no_smart_virtual");
  CHECK(e["instability"]["own_shutdowns"] == 1);

  // The claim cites them (supported: 3 of 4 PCs of known age are past 5 years, and 2 of 3 disks read are failing or
  // worn).
  json degraded;
  for (const auto& claim : r["claims"])
    if (claim["id"] == "computers_degraded") degraded = claim;
  CHECK(degraded["verdict"] == "supported");
  const std::string text = degraded["text"].get<std::string>();
  CHECK(text.find("2/3 máy đọc được tình trạng ổ đĩa có ổ đĩa hệ thống đang hỏng hoặc đã hao mòn (1 máy đang hỏng, "
                  "1 máy đã hao mòn).") != std::string::npos);
  CHECK(text.find("Trong kỳ, 2 máy bị tắt đột ngột tổng cộng 2 lần (không kể các lần mất điện chung của địa điểm).") !=
        std::string::npos);
  CHECK(text.find("Ghi nhận 1 lần lỗi hệ điều hành (sập hệ thống) trên 1 máy.") != std::string::npos);
  CHECK(text.find("Riêng 1 lần mất điện chung làm tắt cùng lúc 2 lượt máy") != std::string::npos);
  CHECK(text.find("1/2 máy có từ 10% thời gian làm việc trở lên ở mức ổ đĩa hệ thống bận từ 90% trở lên.") !=
        std::string::npos);

  // Procurement: C (worn disk, otherwise only its OS) gets "replace the disk"; A is replaced anyway.
  const json& p = r["machines"]["procurement"];
  CHECK(p["counts"]["replace_disk"] == 1);
  for (const auto& row : p["rows"]) {
    if (row["hostname"] == "PC-C") {
      CHECK(row["proposal"] == "replace_disk");
      CHECK(row["reasons"] == json{"disk_worn"});
      CHECK(row["disk_health"] == "worn");
    }
    if (row["hostname"] == "PC-A") CHECK(row["proposal"] == "replace");
  }

  // Every hour: A's lunch minutes (disk 100%) count too: 9 of 15, 9 of 19 in all.
  ReportOptions all = seed_options();
  all.hours = HoursMode::all;
  const json r_all = compute(all);
  CHECK(r_all["machines"]["list"][1]["hostname"] == "PC-A");
  CHECK(r_all["machines"]["list"][1]["disk_saturation"]["busy_90_pct"] == 60.0);
  CHECK(r_all["machines"]["health"]["disk_saturation"]["over_90_pct"] == 47.37);
  CHECK(r_all["machines"]["health"]["instability"] == h["instability"]);  // whole days in both

  // Tuesday alone: Monday's readings and events are outside it (A's Tuesday reading is read; the
  // shutdowns happened Monday).
  ReportOptions tuesday = seed_options();
  tuesday.from_date = "2026-11-03";
  const json r_tue = compute(tuesday);
  CHECK(r_tue["machines"]["health"]["disk"]["failing"] == 1);
  CHECK(r_tue["machines"]["health"]["disk"]["ok"] == 0);  // B's reading was Monday's
  CHECK(r_tue["machines"]["health"]["instability"]["unexpected_shutdowns"] == 0);
}

TEST_CASE("power cuts: 2+ PCs of one site within 5 minutes of the first; a crash or a later PC is its own") {
  using itsa::report::MachineInput;
  using itsa::report::test::make_record;
  const auto down = [](const std::string& id, const std::string& last_seen, const char* cause) {
    return json{{"event", "unexpected_shutdown"}, {"id", id}, {"last_seen", last_seen}, {"cause", cause}};
  };
  itsa::report::ReportInput in;
  const auto pc = [&](const char* host, const char* site, std::vector<itsa::report::Record> records) {
    MachineInput m{std::string("agent-") + host, host, site, "0.1.0", std::nullopt, std::nullopt, std::move(records)};
    in.machines.push_back(std::move(m));
  };
  // Site S: P1 10:00:00, P2 10:04:00 (same cut), P3 10:06:00 (over 5 minutes after the first: its
  // own), P4 10:01:00 after a crash (its own), P1's record re-emitted (counted once).
  pc("P1", "S",
     {make_record("instability", "2026-11-03T01:00:00Z", 1, down("boot:p1", "2026-11-02T03:00:00Z", "unknown")),
      make_record("instability", "2026-11-03T01:00:01Z", 2, down("boot:p1", "2026-11-02T03:00:00Z", "unknown"))});
  pc("P2", "S",
     {make_record("instability", "2026-11-03T01:00:00Z", 1, down("boot:p2", "2026-11-02T03:04:00Z", "unknown"))});
  pc("P3", "S",
     {make_record("instability", "2026-11-03T01:00:00Z", 1, down("boot:p3", "2026-11-02T03:06:00Z", "unknown"))});
  pc("P4", "S",
     {make_record("instability", "2026-11-03T01:00:00Z", 1, down("boot:p4", "2026-11-02T03:01:00Z", "os_crash"))});
  // Site T, one PC down at the same minute as P1: another site, its own.
  pc("Q1", "T",
     {make_record("instability", "2026-11-03T01:00:00Z", 1, down("boot:q1", "2026-11-02T03:00:00Z", "unknown"))});
  auto r = itsa::report::compute_report(in, seed_options());
  REQUIRE(r);
  const json& inst = r.value()["machines"]["health"]["instability"];
  CHECK(inst["unexpected_shutdowns"] == 5);
  CHECK(inst["power_cuts"] == 1);
  CHECK(inst["power_cut_shutdowns"] == 2);
  CHECK(inst["own_shutdowns"] == 3);
  CHECK(inst["machines_own_shutdowns"] == 3);
  REQUIRE(inst["power_cut_events"].size() == 1);
  CHECK(inst["power_cut_events"][0]["machines"] == json{"P1", "P2"});
  CHECK(inst["power_cut_events"][0]["end"] == "2026-11-02T03:04:00Z");
  for (const auto& row : r.value()["machines"]["list"]) {
    CAPTURE(row["hostname"]);
    const bool cut = row["hostname"] == "P1" || row["hostname"] == "P2";
    CHECK(row["instability"]["power_cut_shutdowns"] == (cut ? 1 : 0));
    CHECK(row["instability"]["own_shutdowns"] == (cut ? 0 : 1));
    CHECK(row["disk_health"]["verdict"].is_null());
  }
}

TEST_CASE("computers_degraded: the disks support 'many' only when those read cover half of the PCs") {
  // Four PCs of unknown age, no load data; the disk of one is read, failing. 1 of 1 disk read is
  // failing, but one PC in four was read: partly supported, not supported.
  itsa::report::ReportInput in;
  for (const char* id : {"p1", "p2", "p3", "p4"})
    in.machines.push_back({id, id, "HQ", "0.1.0", std::nullopt, std::nullopt, {}});
  const json failing = {
      {"disks",
       {{{"device", "/dev/sda"},
         {"verdict", "failing"},
         {"reasons", {{{"code", "pending_sectors"}, {"en", "3 pending"}, {"vi", "3 sector chờ"}}}}}}}};
  in.machines[0].records.push_back(itsa::report::test::make_record("disk_health", "2026-11-02T00:05:00Z", 1, failing));
  const auto verdict_of = [](const itsa::report::ReportInput& input) {
    auto r = itsa::report::compute_report(input, seed_options());
    REQUIRE(r);
    CHECK(r.value()["machines"]["health"]["disk"]["judged"].get<int>() >= 1);
    for (const auto& claim : r.value()["claims"])
      if (claim["id"] == "computers_degraded") return claim["verdict"].get<std::string>();
    return std::string();
  };
  CHECK(verdict_of(in) == "partly_supported");
  // The second PC's disk read too, ok: 2 of 4 read, 1 of 2 failing -> supported.
  json ok = failing;
  ok["disks"][0]["verdict"] = "ok";
  in.machines[1].records.push_back(itsa::report::test::make_record("disk_health", "2026-11-02T00:05:00Z", 1, ok));
  CHECK(verdict_of(in) == "supported");
}
