// Boot time median, battery wear and thermal throttling in the report (issue 19 item 5): the
// figures of the seeded dataset computed by hand (seed_dataset.hpp), in the JSON, the claim,
// the HTML (vi and en) and the CSV; wear_facts on its own inputs.
#include <doctest/doctest.h>

#include <algorithm>

#include "common/time_format.hpp"
#include "report/compute.hpp"
#include "report/facts.hpp"
#include "report/render.hpp"
#include "tests/report/seed_dataset.hpp"

using itsa::report::Lang;
using nlohmann::json;

namespace {

json seeded(Lang lang) {
  itsa::report::ReportOptions o;
  o.from_date = "2026-11-02";
  o.to_date = "2026-11-03";
  o.lang = lang;
  o.generated_at = *itsa::parse_rfc3339("2026-11-04T03:00:00Z");
  auto r = itsa::report::compute_report(itsa::report::test::seed_dataset(), o);
  REQUIRE(r);
  return r.value();
}

json row_of(const json& r, const char* host) {
  for (const auto& m : r["machines"]["list"])
    if (m["hostname"] == host) return m;
  FAIL("no row " << host);
  return json();
}

bool has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

std::string csv_file(const json& r, const char* name) {
  for (const auto& t : itsa::report::render_csv(r))
    if (t.name == name) return t.content;
  FAIL("no " << name);
  return {};
}

}  // namespace

TEST_CASE("wear: boot median, battery wear and throttling per PC and in all, by hand") {
  const json r = seeded(Lang::vi);
  // A: 98.0, 131.5 (total, not the OS part 120.1), 140.0 (OS part only), 150.2 -> (131.5 + 140.0) / 2.
  const json a = row_of(r, "PC-A")["wear"];
  CHECK(a["boot_median_s"] == 135.8);
  CHECK(a["boots"] == 4);
  CHECK(a["battery_wear_pct"].is_null());  // no battery: never 0 %
  CHECK(a["battery_cycles"].is_null());
  CHECK(a["thermal_throttle_events"] == 37);  // the cores' events, not the packages' 40
  CHECK(a["read_at"] == "2026-11-03T00:01:00.000Z");
  // B: 35.2, 38.4, 41.0 -> 38.4; battery 1 - 27.5 / 50 = 45 %.
  const json b = row_of(r, "PC-B")["wear"];
  CHECK(b["boot_median_s"] == 38.4);
  CHECK(b["boots"] == 3);
  CHECK(b["battery_wear_pct"] == 45.0);
  CHECK(b["battery_cycles"] == 612);
  CHECK(b["thermal_throttle_events"].is_null());
  // C: no capacities, the agent's wear_pct; no boot listed.
  const json c = row_of(r, "PC-C")["wear"];
  CHECK(c["boot_median_s"].is_null());
  CHECK(c["boots"] == 0);
  CHECK(c["battery_wear_pct"] == 12.3);
  // D: inventory without boots or battery; E: no inventory at all.
  CHECK(row_of(r, "PC-D")["wear"]["boot_median_s"].is_null());
  CHECK(row_of(r, "PC-E")["wear"] == json{{"boot_median_s", nullptr},
                                          {"boots", 0},
                                          {"battery_wear_pct", nullptr},
                                          {"battery_cycles", nullptr},
                                          {"thermal_throttle_events", nullptr},
                                          {"read_at", nullptr}});

  const json& h = r["machines"]["health"];
  CHECK(h["boot"] == json{{"slow_threshold_s", 120.0},
                          {"machines_with_data", 2},
                          {"median_of_medians_s", 87.1},  // (38.4 + 135.8) / 2
                          {"machines_slow", 1},           // A
                          {"machines_slow_hdd", 1}});     // A's system disk is an HDD
  CHECK(h["battery"] == json{{"worn_threshold_pct", 40.0}, {"machines_with_data", 2}, {"machines_worn", 1}});
  CHECK(h["thermal"] == json{{"machines_with_data", 1}, {"machines_throttled", 1}});

  // The claim states them; its verdict stays the disks' and ages' (supported, as before).
  json degraded;
  for (const auto& claim : r["claims"])
    if (claim["id"] == "computers_degraded") degraded = claim;
  CHECK(degraded["verdict"] == "supported");
  const std::string text = degraded["text"].get<std::string>();
  CHECK(has(text,
            "1/2 máy có số liệu khởi động mất trên 120 giây mỗi lần khởi động (trung vị các lần khởi động gần "
            "nhất)."));
  CHECK(has(text, "Trong 2 máy có pin đọc được dung lượng, 1 máy có pin đã chai từ 40% trở lên."));
  const json en = seeded(Lang::en);
  for (const auto& claim : en["claims"])
    if (claim["id"] == "computers_degraded") {
      CHECK(has(claim["text"].get<std::string>(),
                "1 of 2 PCs whose boot was measured take over 120 s to start (median of their last boots)."));
      CHECK(has(claim["text"].get<std::string>(),
                "1 of 2 PCs with a battery whose capacity was read have lost 40% or more of it."));
    }
}

TEST_CASE("wear: section II and the CSV show them, in Vietnamese and in English") {
  const std::string vi = itsa::report::render_html(seeded(Lang::vi));
  CHECK(has(vi, "<th>Khởi động (giây, trung vị)</th><th>Độ chai pin (%)</th>"));
  CHECK(has(vi, "<td class=\"r\">135,8</td><td class=\"r\">—</td>"));     // PC-A: no battery
  CHECK(has(vi, "<td class=\"r\">38,4</td><td class=\"r\">45,0%</td>"));  // PC-B
  CHECK(has(vi, "Thời gian khởi động máy (trung vị của các máy)"));
  CHECK(has(vi, "87,1"));
  CHECK(
      has(vi, "1/2 máy có số liệu khởi động mất trên 120 giây mỗi lần khởi động (1 máy trong số đó dùng ổ cứng HDD)"));
  CHECK(has(vi, "Số máy có pin đã chai từ 40% dung lượng thiết kế trở lên"));
  const std::string en = itsa::report::render_html(seeded(Lang::en));
  CHECK(has(en, "<th>Boot (s, median)</th><th>Battery wear (%)</th>"));
  CHECK(has(en, "<td class=\"r\">135.8</td><td class=\"r\">—</td>"));
  CHECK(has(en, "<td class=\"r\">38.4</td><td class=\"r\">45.0%</td>"));
  CHECK_FALSE(has(en, "Khởi động"));

  const std::string machines = csv_file(seeded(Lang::vi), "machines.csv");
  CHECK(has(machines, ";Thời gian khởi động trung vị (giây);Số lần khởi động đã đo;Độ chai pin (%);"));
  CHECK(has(machines, ";135,8;4;;;37;2026-11-03T00:01:00.000Z"));  // A: no battery, 37 throttling events
  CHECK(has(machines, ";38,4;3;45;612;;"));                        // B
  const std::string summary = csv_file(seeded(Lang::vi), "summary.csv");
  CHECK(has(summary, ";health_boot_median;87,1;giây"));
  CHECK(has(summary, "Số máy có pin đã chai từ 40% dung lượng thiết kế trở lên;health_battery_worn;1;"));
  const std::string en_machines = csv_file(seeded(Lang::en), "machines.csv");
  CHECK(has(en_machines, ",135.8,4,,,37,2026-11-03T00:01:00.000Z"));
}

TEST_CASE("wear_facts: medians, a battery only when present, nothing invented") {
  using itsa::report::wear_facts;
  CHECK_FALSE(wear_facts(json()).boot_median_s);
  CHECK_FALSE(wear_facts(json::array()).battery_wear_pct);
  // An odd count takes the middle; zero, negative and non-numbers are not boots.
  auto w = wear_facts({{"boot_durations",
                        {{{"total_s", 30}},
                         {{"total_s", 0}},
                         {{"total_s", "x"}},
                         {{"os_s", -2}},
                         {{"total_s", 90}},
                         {{"total_s", 60}}}}});
  REQUIRE(w.boot_median_s);
  CHECK(*w.boot_median_s == 60.0);
  CHECK(w.boots == 3);
  // A battery said absent is not read even with figures; one present with a full charge above
  // its design is 0 % worn, never negative.
  CHECK_FALSE(wear_facts({{"battery", {{"present", false}, {"design_wh", 50}, {"full_wh", 20}}}}).battery_wear_pct);
  CHECK_FALSE(wear_facts({{"battery", {{"present", nullptr}, {"wear_pct", 50}}}}).battery_wear_pct);
  auto fresh = wear_facts({{"battery", {{"present", true}, {"design_wh", 50}, {"full_wh", 51}, {"cycle_count", 0}}}});
  REQUIRE(fresh.battery_wear_pct);
  CHECK(*fresh.battery_wear_pct == 0.0);
  CHECK_FALSE(fresh.battery_cycles);  // 0: the battery does not count
  // Throttling: the packages' events when the cores' are unknown.
  auto t = wear_facts({{"cpu", {{"thermal_throttle", {{"core_events", nullptr}, {"package_events", 5}}}}}});
  REQUIRE(t.throttle_events);
  CHECK(*t.throttle_events == 5);
}
