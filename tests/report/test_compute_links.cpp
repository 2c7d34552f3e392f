// The cabling evidence (report/compute_links.cpp) and the two network claims it feeds
// (report/compute_claims.cpp), from records: what is and is not evidence of a bad cable.
#include <doctest/doctest.h>

#include <string>

#include "common/time_format.hpp"
#include "report/compute.hpp"
#include "tests/report/seed_dataset.hpp"

using itsa::report::HoursMode;
using itsa::report::Lang;
using itsa::report::MachineInput;
using itsa::report::ReportInput;
using itsa::report::ReportOptions;
using itsa::report::test::make_record;
using nlohmann::json;

namespace {

// Monday 2026-11-02 and Tuesday 2026-11-03, observed 00:00-12:00Z each day (24 PC-hours).
MachineInput pc(const std::string& host, const std::string& site = "HQ") {
  MachineInput m{"agent-" + host, host, site, "0.2.0", std::nullopt, std::nullopt, {}};
  for (const char* day : {"2026-11-02", "2026-11-03"})
    m.records.push_back(make_record("coverage", std::string(day) + "T12:00:00Z",
                                    static_cast<long long>(m.records.size() + 1),
                                    {{"start", std::string(day) + "T00:00:00Z"},
                                     {"end", std::string(day) + "T12:00:00Z"},
                                     {"clock_synced", true}}));
  return m;
}

void add(MachineInput& m, const char* type, const std::string& time, json payload) {
  m.records.push_back(make_record(type, time, static_cast<long long>(m.records.size() + 1), std::move(payload)));
}

json link_minute(const std::string& minute, int flaps, int speed = 1000, int crc = 0) {
  return {{"minute", minute},       {"interface", "eth0"},  {"carrier", true},     {"speed_mbps", speed},
          {"max_speed_mbps", 1000}, {"duplex", "full"},     {"flaps", flaps},      {"rx_errors", crc},
          {"tx_errors", 0},         {"rx_crc_errors", crc}, {"rx_frame_errors", 0}};
}

json blip_minute(const std::string& minute, int link_down, int lan, const char* iface = "eth0") {
  return {{"minute", minute},
          {"interface", iface},
          {"blips", {{"link_down", link_down}, {"lan", lan}, {"upstream", 0}, {"dns", 0}, {"unknown", 0}}}};
}

json outage(const std::string& id, const std::string& start, const std::string& end, const char* cause) {
  return {{"id", id},       {"state", "closed"},   {"start", start},       {"end", end},
          {"cause", cause}, {"interface", "eth0"}, {"clock_synced", true}, {"evidence", json::object()}};
}

json compute(const ReportInput& in, Lang lang = Lang::en) {
  ReportOptions o;
  o.from_date = "2026-11-02";
  o.to_date = "2026-11-03";
  o.hours = HoursMode::all;
  o.lang = lang;
  o.generated_at = *itsa::parse_rfc3339("2026-11-04T03:00:00Z");
  o.minimums.working_days = 2;  // a two-day dataset; the minimums are tested in test_site_events.cpp
  auto r = itsa::report::compute_report(in, o);
  REQUIRE(r);
  return r.value();
}

const json& claim(const json& r, const char* id) {
  for (const auto& c : r["claims"])
    if (c["id"] == id) return c;
  FAIL("no claim " << id);
  static const json none;
  return none;
}

bool has(const json& c, const std::string& text) {
  return c["text"].get<std::string>().find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("a gigabit card on a 100 Mb/s switch at a constant speed: shown, no cabling claim") {
  ReportInput in;
  MachineInput m = pc("PC-A");
  add(m, "link_event", "2026-11-02T01:00:00Z",
      {{"interface", "eth0"}, {"event", "below_max_speed"}, {"at", "2026-11-02T01:00:00Z"}, {"speed_mbps", 100}});
  for (int i = 0; i < 30; ++i) {
    const std::string minute = "2026-11-02T01:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ":00Z";
    add(m, "link_minute", minute, link_minute(minute, 0, 100));
  }
  in.machines.push_back(m);
  const json r = compute(in);
  CHECK(r["network"]["links"][0]["minutes_below_max_speed"] == 30);
  CHECK(r["network"]["links_summary"]["machines_below_max_speed"] == 1);
  CHECK(r["network"]["links_summary"]["machines_speed_downgraded"] == 0);
  CHECK(r["network"]["cabling"][0]["signs"].empty());
  const json& c = claim(r, "cabling_degraded");
  CHECK(c["verdict"] == "not_supported");
  CHECK(has(c, "1 PCs run at a constant speed below their card's maximum"));
  CHECK(has(c, "3 or more short drops a day"));  // the threshold is stated
}

TEST_CASE("one flap is not a bad cable") {
  ReportInput in;
  MachineInput m = pc("PC-A");
  add(m, "link_minute", "2026-11-02T02:00:00Z", link_minute("2026-11-02T02:00:00Z", 1));
  in.machines.push_back(m);
  const json r = compute(in);
  CHECK(r["network"]["cabling"][0]["short_drops"] == 1);
  CHECK(r["network"]["cabling"][0]["short_drops_per_day"] == 0.5);
  CHECK(claim(r, "cabling_degraded")["verdict"] == "not_supported");
}

TEST_CASE("Wi-Fi disconnects are counted and shown apart, never as cabling") {
  ReportInput in;
  MachineInput m = pc("LAPTOP");
  for (int i = 0; i < 10; ++i) {
    const std::string minute = "2026-11-02T0" + std::to_string(i) + ":30:00Z";
    json w = link_minute(minute, 2, 144);
    w["interface"] = "wlan0";
    w["signal_dbm"] = -71;
    add(m, "link_minute", minute, w);
  }
  add(m, "blip_minute", "2026-11-02T03:31:00Z", blip_minute("2026-11-02T03:31:00Z", 1, 2, "wlan0"));
  in.machines.push_back(m);
  const json r = compute(in);
  CHECK(r["network"]["links"][0]["wireless"] == true);
  const json& pc0 = r["network"]["cabling"][0];
  CHECK(pc0["wired_flaps"] == 0);
  CHECK(pc0["short_drops"] == 0);
  CHECK(pc0["wifi_disconnects"] == 23);
  CHECK(r["network"]["links_summary"]["machines_flapping"] == 0);
  const json& c = claim(r, "cabling_degraded");
  CHECK(c["verdict"] == "not_supported");
  CHECK(has(c, "Wi-Fi: 23 disconnects on 1 PCs"));
  const json vi = compute(in, Lang::vi);
  CHECK(has(claim(vi, "cabling_degraded"), "Wi-Fi: 23 lần mất kết nối trên 1 máy"));
}

TEST_CASE("a site-wide or shared-equipment lan outage is not any PC's cabling; a single PC's is") {
  ReportInput in;
  for (const char* host : {"PC-A", "PC-B", "PC-C", "PC-D"}) in.machines.push_back(pc(host));
  // Monday 03:00: A, B, C down together (site-wide: 3 of 4). Tuesday 03:00: A and B (shared equipment).
  for (int i = 0; i < 3; ++i)
    add(in.machines[i], "outage", "2026-11-02T03:10:00Z",
        outage("sw" + std::to_string(i), "2026-11-02T03:00:00Z", "2026-11-02T03:10:00Z", "lan"));
  for (int i = 0; i < 2; ++i)
    add(in.machines[i], "outage", "2026-11-03T03:10:00Z",
        outage("sh" + std::to_string(i), "2026-11-03T03:00:00Z", "2026-11-03T03:10:00Z", "lan"));
  const json r = compute(in);
  const json& o = r["network"]["outages"];
  CHECK(o["site_wide"] == 1);
  CHECK(o["shared_equipment"] == 1);  // A and B together: one event, not two
  CHECK(o["single_machine"] == 0);
  CHECK(o["count"] == 2);
  CHECK(o["single_pc_by_cause"]["lan"] == 0);
  CHECK(r["network"]["events"][1]["scope"] == "shared_equipment");
  CHECK(r["network"]["events"][1]["machines"] == json::array({"PC-A", "PC-B"}));
  const json& loss = claim(r, "network_frequent_loss");
  CHECK(loss["verdict"] == "not_supported");
  CHECK(has(loss, "0 hit several sites at once (provider side), 1 hit most PCs of a site and 1 hit several PCs"));

  // The same lan outages of one PC alone, every day: its own LAN path.
  ReportInput one;
  one.machines.push_back(pc("PC-A"));
  one.machines.push_back(pc("PC-B"));
  one.machines.push_back(pc("PC-C"));
  for (int h = 1; h <= 3; ++h)
    for (const char* day : {"2026-11-02", "2026-11-03"})
      add(one.machines[0], "outage", std::string(day) + "T0" + std::to_string(h) + ":05:00Z",
          outage(std::string(day) + std::to_string(h), std::string(day) + "T0" + std::to_string(h) + ":00:00Z",
                 std::string(day) + "T0" + std::to_string(h) + ":05:00Z", "lan"));
  const json r1 = compute(one);
  CHECK(r1["network"]["outages"]["single_pc_by_cause"]["lan"] == 6);
  CHECK(claim(r1, "network_frequent_loss")["verdict"] == "supported");  // 6 in 72 PC-hours = 3.3 per week
}

TEST_CASE("many wired flaps and blips a day: the cabling claim, with the PC's short drops a day") {
  ReportInput in;
  MachineInput bad = pc("PC-BAD");
  for (const char* day : {"2026-11-02", "2026-11-03"}) {
    const std::string d = day;
    add(bad, "link_minute", d + "T01:00:00Z", link_minute(d + "T01:00:00Z", 2));
    // A loss shorter than down_after is a flap and a link_down blip of the same minute: once.
    add(bad, "blip_minute", d + "T01:00:59Z", blip_minute(d + "T01:00:00Z", 1, 0));
    add(bad, "blip_minute", d + "T02:00:59Z", blip_minute(d + "T02:00:00Z", 0, 2));
    add(bad, "blip_minute", d + "T03:00:59Z", blip_minute(d + "T03:00:00Z", 1, 0, ""));
  }
  in.machines.push_back(bad);
  in.machines.push_back(pc("PC-OK"));
  in.machines.push_back(pc("PC-OK2"));
  const json r = compute(in);
  const json& top = r["network"]["cabling"][0];
  CHECK(top["hostname"] == "PC-BAD");
  CHECK(top["observed_days"] == 2);
  CHECK(top["short_drops"] == 10);  // (2 + 2 + 1) a day
  CHECK(top["short_drops_per_day"] == 5.0);
  CHECK(top["signs"] == json::array({"short_drops"}));
  const json& c = claim(r, "cabling_degraded");
  CHECK(c["verdict"] == "supported");  // 1 of 3 PCs
  CHECK(has(c, "PC-BAD: 5.0 short drops a day on this PC"));
  CHECK(
      has(claim(compute(in, Lang::vi), "cabling_degraded"), "PC-BAD: 5,0 lần mất kết nối ngắn mỗi ngày trên máy này"));
  CHECK(has(claim(r, "network_frequent_loss"), "10 short drops"));
}

TEST_CASE("flaps at a suspend or resume are not counted; a speed downgrade while connected is a sign") {
  ReportInput in;
  MachineInput m = pc("PC-A");
  for (const char* day : {"2026-11-02", "2026-11-03"}) {
    const std::string d = day;
    add(m, "lifecycle", d + "T05:00:03Z", {{"event", "resume"}, {"detail", "after 3600 s asleep"}});
    add(m, "link_minute", d + "T05:00:00Z", link_minute(d + "T05:00:00Z", 4));
  }
  in.machines.push_back(m);
  json r = compute(in);
  CHECK(r["network"]["cabling"][0]["short_drops"] == 0);
  CHECK(r["network"]["cabling"][0]["flaps_near_resume"] == 8);
  CHECK(claim(r, "cabling_degraded")["verdict"] == "not_supported");
  CHECK(has(claim(r, "cabling_degraded"), "8 link losses right at a suspend or resume are not counted"));
  // A downgrade right at the resume is the renegotiation; one an hour later is the cable.
  add(in.machines[0], "link_event", "2026-11-02T05:00:05Z",
      {{"interface", "eth0"}, {"event", "speed_downgrade"}, {"at", "2026-11-02T05:00:05Z"}, {"speed_mbps", 100}});
  r = compute(in);
  CHECK(r["network"]["cabling"][0]["speed_downgrades"] == 0);
  add(in.machines[0], "link_event", "2026-11-02T06:00:00Z",
      {{"interface", "eth0"}, {"event", "speed_downgrade"}, {"at", "2026-11-02T06:00:00Z"}, {"speed_mbps", 100}});
  r = compute(in);
  CHECK(r["network"]["cabling"][0]["signs"] == json::array({"speed_downgrade"}));
  CHECK(claim(r, "cabling_degraded")["verdict"] == "supported");
}

TEST_CASE("CRC errors in one minute are a burst; in several minutes they keep growing") {
  ReportInput in;
  MachineInput m = pc("PC-A");
  add(m, "link_minute", "2026-11-02T01:00:00Z", link_minute("2026-11-02T01:00:00Z", 0, 1000, 40));
  in.machines.push_back(m);
  CHECK(compute(in)["network"]["cabling"][0]["signs"].empty());
  add(in.machines[0], "link_minute", "2026-11-03T01:00:00Z", link_minute("2026-11-03T01:00:00Z", 0, 1000, 3));
  CHECK(compute(in)["network"]["cabling"][0]["signs"] == json::array({"crc_errors"}));
}

TEST_CASE("the cabling survey list: PCs ranked by evidence per site, the II.5 paragraph and the III request") {
  ReportInput in;
  MachineInput bad = pc("PC-BAD", "Nha B");
  for (const char* day : {"2026-11-02", "2026-11-03"}) {
    const std::string d = day;
    add(bad, "link_minute", d + "T01:00:00Z", link_minute(d + "T01:00:00Z", 2));
    add(bad, "blip_minute", d + "T02:00:59Z", blip_minute(d + "T02:00:00Z", 0, 2));
  }
  in.machines.push_back(bad);
  MachineInput lan = pc("PC-LAN", "Nha A");  // its own LAN path failed twice: survey
  for (const char* day : {"2026-11-02", "2026-11-03"})
    add(lan, "outage", std::string(day) + "T03:05:00Z",
        outage(day, std::string(day) + "T03:00:00Z", std::string(day) + "T03:05:00Z", "lan"));
  in.machines.push_back(lan);
  MachineInput once = pc("PC-ONCE", "Nha A");  // one outage: keep watching, not in the request
  add(once, "outage", "2026-11-02T05:05:00Z", outage("x", "2026-11-02T05:00:00Z", "2026-11-02T05:05:00Z", "link_down"));
  in.machines.push_back(once);
  in.machines.push_back(pc("PC-OK", "Nha A"));
  const json r = compute(in, Lang::vi);
  const json& s = r["network"]["cabling_survey"];
  REQUIRE(s["rows"].size() == 3);  // PC-OK shows nothing
  // Equal strength (one sign; two own outages), then more outages first.
  CHECK(s["rows"][0]["hostname"] == "PC-LAN");
  CHECK(s["rows"][0]["single_pc_outages"] == 2);
  CHECK(s["rows"][0]["priority"] == "survey");
  CHECK(s["rows"][1]["hostname"] == "PC-BAD");  // a cabling sign (4 short drops a day)
  CHECK(s["rows"][1]["signs"] == json::array({"short_drops"}));
  CHECK(s["rows"][1]["priority"] == "survey");
  CHECK(s["rows"][2]["hostname"] == "PC-ONCE");
  CHECK(s["rows"][2]["priority"] == "check");
  CHECK(s["machines_to_survey"] == 2);
  CHECK(s["paragraph_ii5"] ==
        "Qua đo kiểm tự động từ ngày 02/11/2026 đến ngày 03/11/2026, 2 máy tính tại 2 địa điểm có dấu hiệu hư hỏng cáp "
        "mạng hoặc đầu nối (mất kết nối ngắn lặp lại, lỗi CRC tăng dần, tốc độ liên kết bị tụt, hoặc mất kết nối nhiều "
        "lần chỉ riêng máy đó): Nha A (PC-LAN); Nha B (PC-BAD).");
  CHECK(s["request_iii"] ==
        "Đề nghị cho phép khảo sát, kiểm tra và thay thế cáp mạng, đầu nối tại các điểm: Nha A (PC-LAN); Nha B "
        "(PC-BAD).");

  ReportInput clean;
  clean.machines.push_back(pc("PC-OK", "Nha A"));
  CHECK(compute(clean)["network"]["cabling_survey"]["request_iii"] ==
        "The measurements show no cabling point that needs a survey or replacement.");
}
