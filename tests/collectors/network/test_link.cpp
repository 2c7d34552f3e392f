// Link tracker events and minutes, and the Linux readers on fixture trees.
#include <doctest/doctest.h>

#include <fstream>

#include "collectors/network/link_reader.hpp"
#include "collectors/network/link_tracker.hpp"
#include "tests/support/temp_dir.hpp"

using namespace itsa;
using namespace itsa::network;
using namespace std::chrono_literals;

namespace {
std::filesystem::path tree(const std::string& name) {
  return itsa::test::fixture("network/" + name);
}
LinkReader reader(const std::string& name) {
  return LinkReader(tree(name) / "sys", tree(name) / "proc", tree(name) / "etc");
}
}  // namespace

TEST_CASE("sysfs fixture: carrier, speed, duplex, counters, max speed") {
  auto snap = reader("downgraded").read("eth0");
  REQUIRE(snap);
  CHECK(snap.value().carrier);
  CHECK(snap.value().speed_mbps == 100);
  CHECK(snap.value().max_speed_mbps == 1000);
  CHECK(snap.value().duplex == "full");
  CHECK(snap.value().carrier_changes_total == 3u);
  CHECK(snap.value().counters.rx_crc_errors == 17u);
  CHECK_FALSE(snap.value().wireless);
  auto missing = reader("downgraded").read("eth9");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message.find("eth9") != std::string::npos);
  CHECK(reader("gigabit").interfaces() == std::vector<std::string>{"eth0"});
}

TEST_CASE("1000 -> 100 Mb/s on a gigabit NIC is a speed_downgrade; counters become per-minute deltas") {
  LinkTracker tracker;
  ManualClock c;
  auto t0 = std::chrono::floor<std::chrono::minutes>(c.utc_now());
  auto fast = reader("gigabit").read("eth0");
  REQUIRE(fast);
  CHECK(tracker.update(fast.value(), t0).empty());
  // The cable is reseated: carrier drops and comes back at 100 Mb/s.
  auto down = fast.value();
  down.carrier = false;
  down.speed_mbps.reset();
  auto ev = tracker.update(down, t0 + 10s);
  REQUIRE(ev.size() == 1);
  CHECK(ev[0]["event"] == "carrier_down");
  auto slow = reader("downgraded").read("eth0");
  REQUIRE(slow);
  ev = tracker.update(slow.value(), t0 + 12s);
  REQUIRE(ev.size() == 2);
  CHECK(ev[0]["event"] == "carrier_up");
  CHECK(ev[1]["event"] == "speed_downgrade");
  CHECK(ev[1]["speed_mbps"] == 100);
  CHECK(ev[1]["max_speed_mbps"] == 1000);
  CHECK(ev[1]["interface"] == "eth0");
  CHECK(tracker.update(slow.value(), t0 + 20s).empty());  // reported once
  auto minutes = tracker.roll(t0 + 61s);
  REQUIRE(minutes.size() == 1);
  CHECK(minutes[0]["flaps"] == 1);
  CHECK(minutes[0]["rx_crc_errors"] == 17);
  CHECK(minutes[0]["rx_errors"] == 20);
  CHECK(minutes[0]["speed_mbps"] == 100);
  CHECK(tracker.flaps_total("eth0") == 1);
}

TEST_CASE("a NIC first seen below its maximum is reported; a missed flap is counted from carrier_changes") {
  LinkTracker tracker;
  ManualClock c;
  auto slow = reader("downgraded").read("eth0");
  REQUIRE(slow);
  auto ev = tracker.update(slow.value(), c.utc_now());
  REQUIRE(ev.size() == 1);
  CHECK(ev[0]["event"] == "speed_downgrade");
  auto later = slow.value();
  *later.carrier_changes_total += 2;  // down+up between two looks
  CHECK(tracker.update(later, c.utc_now() + 1s).empty());
  CHECK(tracker.flaps_total("eth0") == 1);
}

TEST_CASE("procfs/etc fixtures: default route, resolvers, wireless signal") {
  auto r = reader("gigabit").default_route();
  REQUIRE(r);
  CHECK(r->gateway == "192.168.1.1");
  CHECK(r->interface == "eth0");
  CHECK(reader("gigabit").system_resolvers() == std::vector<std::string>{"192.168.1.1", "8.8.8.8"});
  std::ifstream in(tree("gigabit") / "proc/net/wireless");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  auto w = parse_proc_net_wireless(text);
  REQUIRE(w.count("wlan0"));
  CHECK(w["wlan0"] == -56);
  CHECK_FALSE(parse_proc_net_route("garbage\nnot a route table\n"));
  CHECK(parse_proc_net_route("").has_value() == false);
}

TEST_CASE("ethtool link-mode masks give the NIC's maximum") {
  CHECK(max_speed_from_link_modes({0x2f}) == 1000);  // 10/100/1000baseT + autoneg
  CHECK(max_speed_from_link_modes({0x0f}) == 100);
  CHECK(max_speed_from_link_modes({0, 1u << (47 - 32)}) == 2500);  // 2500baseT_Full
  CHECK_FALSE(max_speed_from_link_modes({1u << 6}));               // autoneg only
  CHECK_FALSE(max_speed_from_link_modes({}));
}
