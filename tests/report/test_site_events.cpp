// Events by scope (report/site_events.cpp): one PC, shared equipment, a whole site, several sites
// at once; the per-site breakdown of the network claim; how much observation a frequency claim
// needs; an outage whose coverage has not arrived yet (issue 16 items 5-8).
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "common/time_format.hpp"
#include "report/compute.hpp"
#include "report/render.hpp"
#include "tests/report/seed_dataset.hpp"

using itsa::report::HoursMode;
using itsa::report::Lang;
using itsa::report::MachineInput;
using itsa::report::ReportInput;
using itsa::report::ReportOptions;
using itsa::report::test::make_record;
using nlohmann::json;

namespace {

// Two working weeks: Monday 2026-11-02 to Friday 2026-11-13 (10 working days).
const char* const k_days[] = {"2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06",
                              "2026-11-09", "2026-11-10", "2026-11-11", "2026-11-12", "2026-11-13"};

void add(MachineInput& m, const char* type, const std::string& time, json payload) {
  m.records.push_back(make_record(type, time, static_cast<long long>(m.records.size() + 1), std::move(payload)));
}

// Observed 00:00-12:00Z on `days` working days (office hours are 00:30-04:30Z and 06:30-10:00Z).
MachineInput pc(const std::string& host, const std::string& site, int days = 10) {
  MachineInput m{"agent-" + host, host, site, "0.2.0", std::nullopt, std::nullopt, {}};
  for (int d = 0; d < days; ++d) {
    const std::string day = k_days[d];
    add(m, "coverage", day + "T12:00:00Z",
        {{"start", day + "T00:00:00Z"}, {"end", day + "T12:00:00Z"}, {"clock_synced", true}});
  }
  return m;
}

json outage(const std::string& id, const std::string& start, const std::string& end, const char* cause) {
  return {{"id", id},       {"state", "closed"},   {"start", start},       {"end", end},
          {"cause", cause}, {"interface", "eth0"}, {"clock_synced", true}, {"evidence", json::object()}};
}

// An outage of `cause` on day d (0-based) from hh:00 to hh:mm (UTC).
void down(MachineInput& m, int d, int hour, int minutes, const char* cause) {
  const std::string day = k_days[d];
  char start[32], end[32];
  std::snprintf(start, sizeof start, "%sT%02d:00:00Z", day.c_str(), hour);
  std::snprintf(end, sizeof end, "%sT%02d:%02d:00Z", day.c_str(), hour, minutes);
  add(m, "outage", end, outage(m.hostname + start, start, end, cause));
}

ReportOptions options(Lang lang = Lang::en, const char* to = "2026-11-13") {
  ReportOptions o;
  o.from_date = "2026-11-02";
  o.to_date = to;
  o.lang = lang;
  o.generated_at = *itsa::parse_rfc3339("2026-11-16T03:00:00Z");
  return o;
}

json compute(const ReportInput& in, const ReportOptions& o) {
  auto r = itsa::report::compute_report(in, o);
  REQUIRE(r);
  return r.value();
}

const json& loss_claim(const json& r) {
  for (const auto& c : r["claims"])
    if (c["id"] == "network_frequent_loss") return c;
  FAIL("no network_frequent_loss claim");
  return r;
}

bool has(const json& claim, const std::string& text) {
  return claim["text"].get<std::string>().find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("a provider outage seen at two sites is one agency-wide event, not one per site") {
  ReportInput in;
  for (const char* host : {"A1", "A2"}) in.machines.push_back(pc(host, "Nha A"));
  for (const char* host : {"B1", "B2"}) in.machines.push_back(pc(host, "Nha B"));
  // Day 0 01:00-01:20Z: every PC of both sites, upstream. Day 1 01:00-01:10Z: both PCs of Nha A
  // only, upstream (site-wide there). Day 2: A1 and B1 upstream at the same time (one PC at each).
  for (auto& m : in.machines) down(m, 0, 1, 20, "upstream");
  down(in.machines[0], 1, 1, 10, "upstream");
  down(in.machines[1], 1, 1, 10, "upstream");
  down(in.machines[0], 2, 2, 5, "upstream");
  down(in.machines[2], 2, 2, 5, "upstream");
  const json r = compute(in, options());
  const json& o = r["network"]["outages"];
  CHECK(o["count"] == 3);
  CHECK(o["by_cause"]["upstream"] == 3);  // was 5: each site counted apart
  CHECK(o["agency_wide"] == 2);
  CHECK(o["site_wide"] == 1);
  CHECK(o["machine_outages"] == 8);
  const json& first = r["network"]["events"][0];
  CHECK(first["scope"] == "agency_wide");
  CHECK(first["sites"] == json::array({"Nha A", "Nha B"}));
  CHECK(first["machines"] == json::array({"A1", "A2", "B1", "B2"}));
  CHECK(r["network"]["events"][1]["scope"] == "site_wide");
  CHECK(r["network"]["events"][2]["scope"] == "agency_wide");
  CHECK(r["network"]["downtime_share_by_cause_pct"]["upstream"] == 100.0);
  CHECK(has(loss_claim(r), "The internet provider/DNS caused 100% of the PCs' total downtime"));

  // Cable faults never merge across sites: the same minute at two sites is two PCs' own cables.
  ReportInput cables;
  cables.machines.push_back(pc("A1", "Nha A"));
  cables.machines.push_back(pc("B1", "Nha B"));
  for (auto& m : cables.machines) down(m, 0, 1, 20, "link_down");
  const json rc = compute(cables, options());
  CHECK(rc["network"]["outages"]["single_machine"] == 2);
  CHECK(rc["network"]["outages"]["agency_wide"] == 0);
}

TEST_CASE("several PCs of a site down together with the same cause are one shared-equipment event") {
  ReportInput in;
  for (const char* host : {"P1", "P2", "P3", "P4", "P5", "P6", "P7"}) in.machines.push_back(pc(host, "Nha A"));
  // P1 and P2 lan together, P3 link_down in the same minutes: 3 of 7 is not most of the site. P1
  // and P2 are one shared-equipment event; P3's is its own cable.
  down(in.machines[0], 0, 1, 30, "lan");
  down(in.machines[1], 0, 1, 25, "lan");
  down(in.machines[2], 0, 1, 10, "link_down");
  const json r = compute(in, options());
  const json& o = r["network"]["outages"];
  CHECK(o["count"] == 2);
  CHECK(o["shared_equipment"] == 1);
  CHECK(o["single_machine"] == 1);
  CHECK(o["single_pc_by_cause"]["link_down"] == 1);
  CHECK(o["single_pc_by_cause"]["lan"] == 0);
  for (const auto& e : r["network"]["events"]) {
    if (e["scope"] == "shared_equipment") {
      CHECK(e["machines"] == json::array({"P1", "P2"}));
      CHECK(e["duration_s"] == 1800.0);
    } else {
      CHECK(e["machines"] == json::array({"P3"}));
    }
  }
}

TEST_CASE("the network claim per site: the bad building is named although the agency average is low") {
  ReportInput in;
  for (int i = 0; i < 8; ++i) in.machines.push_back(pc("A" + std::to_string(i), "Nha A"));
  for (int i = 0; i < 2; ++i) in.machines.push_back(pc("B" + std::to_string(i), "Nha B"));
  // Nha B: B0 loses its own cable 4 times a week (8 in 10 days), B1 never. Nha A: nothing.
  for (int d = 0; d < 10; d += 5)
    for (int k = 0; k < 4; ++k) down(in.machines[8], d + k, 1, 5, "link_down");
  const json r = compute(in, options());
  const json& sites = r["network"]["per_site"];
  REQUIRE(sites.size() == 2);
  CHECK(sites[0]["site"] == "Nha B");  // worst first
  CHECK(sites[0]["single_pc_cabling_outages"] == 8);
  CHECK(sites[0]["observed_working_days"] == 10);
  // 8 outages in 2 PCs x 10 days x 7.5 h = 150 PC-hours: 2.13 per PC per 40-hour week.
  CHECK(sites[0]["cabling_per_pc_week"] == doctest::Approx(2.13));
  CHECK(sites[0]["verdict"] == "supported");
  CHECK(sites[1]["site"] == "Nha A");
  CHECK(sites[1]["verdict"] == "not_supported");
  // The agency: 8 in 750 PC-hours = 0.43 a week: occurs, not frequent; Nha B is named.
  const json& c = loss_claim(r);
  CHECK(c["verdict"] == "partly_supported");
  CHECK(has(c,
            "By site (outages through one PC's own cable or LAN path, per PC and working week; worst first): "
            "Nha B: 2.1 per PC per week (Supported); Nha A: 0.0 per PC per week (Not supported)"));
  const json vi = compute(in, options(Lang::vi));
  CHECK(has(loss_claim(vi), "Nha B: 2,1 lần/máy/tuần"));
}

TEST_CASE("a frequency claim needs 10 working days with data and half the PCs' working time observed") {
  // Two days of data: the cable outages are shown, the verdict is insufficient_data with the numbers.
  ReportInput two;
  two.machines.push_back(pc("P1", "Nha A", 2));
  two.machines.push_back(pc("P2", "Nha A", 2));
  for (int d = 0; d < 2; ++d)
    for (int h = 1; h <= 3; ++h) down(two.machines[0], d, h, 5, "link_down");
  const json r2 = compute(two, options());
  CHECK(r2["scope"]["working_days"] == 10);
  CHECK(r2["scope"]["observed_working_days"] == 2);
  CHECK(r2["scope"]["frequency_minimums"]["working_days"] == 10);
  CHECK(loss_claim(r2)["verdict"] == "insufficient_data");
  CHECK(has(loss_claim(r2), "Only 30.0 PC-hours over 2 working days were observed, coverage 20.0% (6 outages"));
  CHECK(has(loss_claim(compute(two, options(Lang::vi))), "cần tối thiểu 40 giờ-máy, 10 ngày làm việc"));
  CHECK(r2["network"]["per_site"][0]["verdict"] == "insufficient_data");

  // Ten days but one PC of four switched on: 25% coverage is not enough either.
  ReportInput sparse;
  sparse.machines.push_back(pc("P1", "Nha A"));
  for (const char* host : {"P2", "P3", "P4"}) sparse.machines.push_back(pc(host, "Nha A", 0));
  for (int d = 0; d < 10; ++d) down(sparse.machines[0], d, 1, 5, "link_down");
  const json rs = compute(sparse, options());
  CHECK(rs["scope"]["observed_working_days"] == 10);
  CHECK(rs["scope"]["coverage_pct"] == 25.0);
  CHECK(loss_claim(rs)["verdict"] == "insufficient_data");

  // The same PC with its three colleagues observed: enough, and frequent (10 in 300 PC-hours
  // = 1.3 a week).
  ReportInput full;
  full.machines.push_back(sparse.machines[0]);
  for (const char* host : {"P2", "P3", "P4"}) full.machines.push_back(pc(host, "Nha A"));
  CHECK(loss_claim(compute(full, options()))["verdict"] == "supported");
}

TEST_CASE("an outage whose coverage span has not arrived yet is observed time; the PC's data are said pending") {
  // P1 observed 00:00-01:00Z on Monday; it then recorded an outage 01:30-01:50Z and shut down: its
  // last coverage span travels at its next start, which is after the report is made.
  ReportInput in;
  MachineInput m{"agent-P1", "P1", "Nha A", "0.2.0", std::nullopt, std::nullopt, {}};
  add(m, "coverage", "2026-11-02T01:00:00Z",
      {{"start", "2026-11-02T00:00:00Z"}, {"end", "2026-11-02T01:00:00Z"}, {"clock_synced", true}});
  add(m, "outage", "2026-11-02T01:50:00Z", outage("o1", "2026-11-02T01:30:00Z", "2026-11-02T01:50:00Z", "lan"));
  in.machines.push_back(m);
  in.machines.push_back(pc("P2", "Nha A"));  // its records reach past the period end below
  add(in.machines[1], "lifecycle", "2026-11-03T00:00:00Z", {{"event", "start"}});
  ReportOptions o = options(Lang::en, "2026-11-02");
  o.hours = HoursMode::all;
  const json r = compute(in, o);
  const json& pm = r["network"]["per_machine"][0];
  REQUIRE(pm["hostname"] == "P1");
  CHECK(pm["observed_s"] == 3600.0 + 1200.0);
  CHECK(pm["downtime_s"] == 1200.0);
  CHECK(pm["outages"] == 1);
  CHECK(pm["data_until"] == "2026-11-02T01:50:00Z");
  CHECK(pm["records_pending"] == true);
  CHECK(r["network"]["per_machine"][1]["records_pending"] == false);
  const json& pending = r["scope"]["machines_pending"];
  REQUIRE(pending.size() == 1);
  CHECK(pending[0]["hostname"] == "P1");
  CHECK(pending[0]["data_until_local"] == "2026-11-02 08:50");
  const std::string html = itsa::report::render_html(compute(in, [&] {
    ReportOptions v = o;
    v.lang = Lang::vi;
    return v;
  }()));
  CHECK(html.find("P1: số liệu đến 02/11/2026 08:50") != std::string::npos);
}

TEST_CASE("weekends in the heatmap are outside working days, not 'not observed'; the bar chart has an axis and unit") {
  ReportInput in;
  in.machines.push_back(pc("P1", "Nha A"));
  down(in.machines[0], 0, 1, 5, "link_down");
  const json r = compute(in, options(Lang::vi));
  const json& days = r["network"]["daily"][0]["days"];
  REQUIRE(days.size() == 12);  // 02/11 .. 13/11
  CHECK(days[0]["working_day"] == true);
  CHECK(days[5]["date"] == "2026-11-07");  // Saturday
  CHECK(days[5]["working_day"] == false);
  CHECK(days[5]["availability_pct"].is_null());
  const std::string html = itsa::report::render_html(r);
  CHECK(html.find("Ngoài giờ làm việc (ngày nghỉ)") != std::string::npos);
  CHECK(html.find("fill=\"#f4f4f4\"><title>P1 07/11/2026") != std::string::npos);
  CHECK(html.find("fill=\"#d9d9d9\"><title>P1 07/11/2026") == std::string::npos);
  CHECK(html.find(">lần</text>") != std::string::npos);  // the unit at the end of the cause chart's axis
}
