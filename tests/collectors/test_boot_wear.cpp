// Boot durations (systemd timestamps, Diagnostics-Performance event 100), CPU thermal throttling
// counts (sysfs trees) and the Windows battery structure, on the fixtures of tests/fixtures/boot/
// and tests/fixtures/thermal/ (PROVENANCE.md beside each) and on bytes.
#include <doctest/doctest.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "collectors/boot/boot_time.hpp"
#include "collectors/inventory/battery.hpp"
#include "collectors/thermal/throttle.hpp"
#include "tests/support/temp_dir.hpp"

namespace boot = itsa::collectors::boot;
namespace thermal = itsa::collectors::thermal;
namespace battery = itsa::collectors::battery;
using nlohmann::json;

namespace {

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string boot_fixture(const char* name) {
  return read(itsa::test::fixture(std::string("boot/") + name));
}

boot::BootDuration made(const std::string& id, const char* start, double total) {
  boot::BootDuration b;
  b.id = id;
  if (start) b.start = start;
  b.total_s = total;
  b.source = "systemd";
  return b;
}

}  // namespace

TEST_CASE("systemd timestamps: UEFI with a loader and an initrd") {
  auto r = boot::parse_systemd_times(boot_fixture("uefi-loader.properties"), "b1");
  REQUIRE(r);
  const auto& b = r.value();
  CHECK(b.id == "b1");
  CHECK(b.source == "systemd");
  REQUIRE(b.start);
  CHECK(*b.start == "2025-12-05T08:00:00Z");
  CHECK(*b.firmware_s == doctest::Approx(3.889));
  CHECK(*b.loader_s == doctest::Approx(1.235));
  CHECK(*b.kernel_s == doctest::Approx(1.5));
  CHECK(*b.initrd_s == doctest::Approx(1.7));
  CHECK(*b.userspace_s == doctest::Approx(22.2));
  CHECK(*b.os_s == doctest::Approx(25.4));
  CHECK(*b.total_s == doctest::Approx(30.523));
  CHECK_FALSE(b.main_path_s);
}

TEST_CASE("systemd timestamps: legacy BIOS, no initrd, KernelTimestamp as systemctl formats it") {
  auto r = boot::parse_systemd_times(boot_fixture("bios-no-initrd.properties"), "b2");
  REQUIRE(r);
  const auto& b = r.value();
  CHECK_FALSE(b.start);
  CHECK_FALSE(b.firmware_s);
  CHECK_FALSE(b.loader_s);
  CHECK_FALSE(b.initrd_s);
  CHECK(*b.kernel_s == doctest::Approx(1.8));
  CHECK(*b.userspace_s == doctest::Approx(39.45));
  CHECK(*b.os_s == doctest::Approx(41.25));
  CHECK(*b.total_s == doctest::Approx(41.25));
  const json j = boot::to_json(b);
  CHECK(j["firmware_s"].is_null());
  CHECK(j["total_s"] == 41.25);
}

TEST_CASE("systemd timestamps: a boot still starting is pending; damage is an error, never a crash") {
  auto pending = boot::parse_systemd_times(boot_fixture("still-starting.properties"), "b3");
  REQUIRE_FALSE(pending);
  CHECK(pending.error().message.rfind("pending", 0) == 0);
  CHECK_FALSE(boot::parse_systemd_times("", "x"));
  CHECK_FALSE(boot::parse_systemd_times("UserspaceTimestampMonotonic=abc\nFinishTimestampMonotonic=5\n", "x"));
  auto disordered = boot::parse_systemd_times("UserspaceTimestampMonotonic=9000\nFinishTimestampMonotonic=5\n", "x");
  REQUIRE_FALSE(disordered);
  CHECK(disordered.error().message.find("out of order") != std::string::npos);
  const std::string full = boot_fixture("uefi-loader.properties");
  for (std::size_t cut = 0; cut <= full.size(); ++cut) (void)boot::parse_systemd_times(full.substr(0, cut), "x");
}

TEST_CASE("Diagnostics-Performance event 100") {
  const std::string xml = boot_fixture("event100.xml");
  auto b = boot::parse_boot_event_xml(xml);
  REQUIRE(b);
  CHECK(b->id == "winevt:2417");
  CHECK(b->source == "windows_event_100");
  CHECK(*b->start == "2026-12-01T00:58:10Z");
  CHECK(*b->os_s == doctest::Approx(182.48));
  CHECK(*b->total_s == doctest::Approx(182.48));
  CHECK(*b->main_path_s == doctest::Approx(96.42));
  CHECK(*b->post_boot_s == doctest::Approx(86.06));
  CHECK_FALSE(b->kernel_s);
  std::string other = xml;
  other.replace(other.find("<EventID>100<"), 13, "<EventID>101<");
  CHECK_FALSE(boot::parse_boot_event_xml(other));
  for (std::size_t cut = 0; cut <= xml.size(); cut += 7) (void)boot::parse_boot_event_xml(xml.substr(0, cut));
}

TEST_CASE("boot history: one entry per boot, newest first, at most ten") {
  json history = json::array();
  for (int i = 0; i < 12; ++i) {
    const std::string start = "2026-12-" + std::string(i + 1 < 10 ? "0" : "") + std::to_string(i + 1) + "T01:00:00Z";
    history = boot::merge_boots(history, {made("boot" + std::to_string(i), start.c_str(), 30.0 + i)});
  }
  REQUIRE(history.size() == boot::k_kept_boots);
  CHECK(history[0]["id"] == "boot11");
  CHECK(history[9]["id"] == "boot2");
  // The same boot read again (a later, complete reading) replaces the older entry.
  history = boot::merge_boots(history, {made("boot11", "2026-12-12T01:00:00Z", 99.0)});
  CHECK(history.size() == boot::k_kept_boots);
  CHECK(history[0]["total_s"] == 99.0);
  // A boot without a start sorts last; anything but an array counts as no history.
  CHECK(boot::merge_boots(json("junk"), {made("a", nullptr, 1), made("b", "2026-01-01T00:00:00Z", 2)})[0]["id"] == "b");
}

TEST_CASE("the live boot reading never throws and says why when it has nothing") {
  const auto r = boot::read_boots();
  if (r.boots.empty()) CHECK_FALSE(r.note.empty());
  for (const auto& b : r.boots) CHECK(b.total_s.has_value());
}

TEST_CASE("thermal throttling: a 2-core 4-thread Intel tree, counted per core and per package") {
  const auto cpus = thermal::read_throttle_tree(itsa::test::fixture("thermal/intel-2c4t/sys/devices/system/cpu"));
  REQUIRE(cpus.size() == 4);
  CHECK(cpus[3].cpu == 3);
  CHECK(*cpus[3].core_id == 1);
  std::vector<std::string> notes;
  const json t = thermal::summarize_throttle(cpus, notes);
  CHECK(notes.empty());
  CHECK(t["core_events"] == 1551);
  CHECK(t["package_events"] == 213);
  CHECK(t["core_time_ms"] == 49122);
  CHECK(t["package_time_ms"] == 7300);
  CHECK(t["cpus"] == 4);
}

TEST_CASE("thermal throttling: an old kernel without topology or times") {
  std::vector<std::string> notes;
  const json t = thermal::read_thermal_throttle(itsa::test::fixture("thermal/old-kernel-no-topology"), notes);
#ifndef _WIN32
  CHECK(t["core_events"] == 12);
  CHECK(t["package_events"] == 4);
  CHECK(t["core_time_ms"].is_null());
  CHECK(t["package_time_ms"].is_null());
#else
  CHECK(t.is_null());
  CHECK(notes.size() == 1);
#endif
}

TEST_CASE("thermal throttling: a VM (captured) has no counters: null with a note") {
  const auto cpus = thermal::read_throttle_tree(itsa::test::fixture("thermal/vm/sys/devices/system/cpu"));
  CHECK(cpus.empty());
  std::vector<std::string> notes;
  CHECK(thermal::summarize_throttle(cpus, notes).is_null());
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].rfind("cpu.thermal_throttle:", 0) == 0);
  CHECK(thermal::read_throttle_tree("/nonexistent/cpu").empty());
}

TEST_CASE("BATTERY_INFORMATION from bytes") {
  // Capabilities BATTERY_SYSTEM_BATTERY, Technology 1 (rechargeable), Chemistry "LION",
  // design 48000 mWh, full charge 39360 mWh, alerts 2400/1200, bias 0, 312 cycles.
  const std::uint8_t info[36] = {0x00, 0x00, 0x00, 0x80, 0x01, 0,    0,    0,    'L',  'I',  'O',  'N',
                                 0x80, 0xBB, 0x00, 0x00, 0xC0, 0x99, 0x00, 0x00, 0x60, 0x09, 0x00, 0x00,
                                 0xB0, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x38, 0x01, 0x00, 0x00};
  auto b = battery::parse_battery_information(info, sizeof info);
  REQUIRE(b);
  CHECK(b.value().system_battery);
  CHECK_FALSE(b.value().relative);
  CHECK(b.value().chemistry == "LION");
  CHECK(*b.value().design_mwh == 48000);
  CHECK(*b.value().full_mwh == 39360);
  CHECK(*b.value().cycle_count == 312);
  // Relative capacities, unknown capacity and an uncounted cycle count are null.
  std::uint8_t rel[36];
  std::memcpy(rel, info, sizeof rel);
  rel[3] = 0xC0;  // BATTERY_SYSTEM_BATTERY | BATTERY_CAPACITY_RELATIVE
  std::memset(rel + 32, 0, 4);
  auto r = battery::parse_battery_information(rel, sizeof rel);
  REQUIRE(r);
  CHECK(r.value().relative);
  CHECK_FALSE(r.value().design_mwh);
  CHECK_FALSE(r.value().cycle_count);
  std::uint8_t unknown[36];
  std::memcpy(unknown, info, sizeof unknown);
  std::memset(unknown + 16, 0xFF, 4);  // BATTERY_UNKNOWN_CAPACITY
  CHECK_FALSE(battery::parse_battery_information(unknown, sizeof unknown).value().full_mwh);
  for (std::size_t n = 0; n < sizeof info; ++n) CHECK_FALSE(battery::parse_battery_information(info, n));
  CHECK_FALSE(battery::parse_battery_information(nullptr, 36));
}
