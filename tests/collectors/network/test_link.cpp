// Link tracker events and minutes, and the Linux readers on fixture trees.
#include <doctest/doctest.h>

#include <cstring>
#include <fstream>

#include "collectors/network/link_reader.hpp"
#include "collectors/network/link_tracker.hpp"
#include "collectors/network/link_watch.hpp"
#include "common/time_format.hpp"
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

TEST_CASE("a NIC first seen below its maximum is below_max_speed, not a downgrade; a missed flap is counted") {
  LinkTracker tracker;
  ManualClock c;
  auto slow = reader("downgraded").read("eth0");
  REQUIRE(slow);
  auto ev = tracker.update(slow.value(), c.utc_now());
  REQUIRE(ev.size() == 1);
  CHECK(ev[0]["event"] == "below_max_speed");  // a gigabit card on a 100 Mb/s switch port
  CHECK(ev[0]["speed_mbps"] == 100);
  CHECK(tracker.update(slow.value(), c.utc_now() + 5s).empty());  // constant: reported once
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

namespace {
LinkSnapshot wired(bool carrier, std::uint64_t changes, int speed = 1000) {
  LinkSnapshot s;
  s.interface = "eth0";
  s.carrier = carrier;
  s.carrier_changes_total = changes;
  s.max_speed_mbps = 1000;
  s.counters.rx_crc_errors = 0;  // sysfs has both counters for every Linux NIC
  s.counters.rx_frame_errors = 0;
  if (carrier) s.speed_mbps = speed;
  return s;
}
UtcTime minute0() {
  return std::chrono::floor<std::chrono::minutes>(ManualClock{}.utc_now());
}
}  // namespace

TEST_CASE("issue 14 item 7: a carrier change as the first thing of a minute counts in that minute's link_minute") {
  LinkTracker tracker;
  const auto t0 = minute0();
  CHECK(tracker.update(wired(true, 4), t0 + 5s).empty());
  auto at = t0 + 60s + 100ms;  // the first look of the next minute is a carrier loss
  auto done = tracker.roll(at);
  REQUIRE(done.size() == 1);
  CHECK(done[0]["flaps"] == 0);
  auto down = wired(false, 5);
  down.counters.rx_crc_errors = 7;
  auto ev = tracker.update(down, at);
  REQUIRE(ev.size() == 1);
  CHECK(ev[0]["event"] == "carrier_down");
  for (const auto& e : ev) CHECK_FALSE(e.contains("minute"));  // events only, never a link_minute
  auto up = wired(true, 6);
  up.counters.rx_crc_errors = 7;
  CHECK(tracker.update(up, at + 1s).size() == 1);
  auto next = tracker.roll(t0 + 120s);
  REQUIRE(next.size() == 1);
  CHECK(next[0]["minute"] == to_rfc3339(t0 + 60s));
  CHECK(next[0]["flaps"] == 1);
  CHECK(next[0]["rx_crc_errors"] == 7);
}

TEST_CASE("every carrier loss counts: sub-second losses between two looks come from carrier_changes") {
  CHECK(losses_in_changes(true, 0) == 0);
  CHECK(losses_in_changes(true, 1) == 1);   // up -> down
  CHECK(losses_in_changes(true, 4) == 2);   // two down+up pairs
  CHECK(losses_in_changes(false, 1) == 0);  // down -> up
  CHECK(losses_in_changes(false, 3) == 1);  // down -> up -> down -> up
  LinkTracker tracker;
  const auto t0 = minute0();
  tracker.update(wired(true, 10), t0);
  CHECK(tracker.update(wired(true, 14), t0 + 5s).empty());  // two losses inside one round, never seen
  CHECK(tracker.flaps_total("eth0") == 2);
  CHECK(tracker.update(wired(false, 17), t0 + 10s).size() == 1);  // up,down,up,down: two more
  CHECK(tracker.flaps_total("eth0") == 4);
  tracker.update(wired(true, 20), t0 + 15s);  // down,up,down,up: one more
  CHECK(tracker.flaps_total("eth0") == 5);
  // A counter that went back (driver reload): the transition seen is what counts.
  tracker.update(wired(false, 1), t0 + 20s);
  CHECK(tracker.flaps_total("eth0") == 6);
  auto m = tracker.roll(t0 + 60s);
  REQUIRE(m.size() == 1);
  CHECK(m[0]["flaps"] == 6);
}

TEST_CASE("an interface disabled by the user or admin is admin_down, not a flap; nor losses just after enabling") {
  LinkTracker tracker;
  const auto t0 = minute0();
  tracker.update(wired(true, 2), t0);
  auto off = wired(false, 3);
  off.admin_up = false;
  auto ev = tracker.update(off, t0 + 1s);
  REQUIRE(ev.size() == 2);
  CHECK(ev[0]["event"] == "admin_down");
  CHECK(ev[1]["event"] == "carrier_down");
  auto on = wired(true, 4);
  ev = tracker.update(on, t0 + 20s);
  REQUIRE(ev.size() == 2);
  CHECK(ev[0]["event"] == "admin_up");
  CHECK(tracker.update(wired(false, 5), t0 + 22s).size() == 1);  // renegotiation after enabling
  tracker.update(wired(true, 6), t0 + 23s);
  CHECK(tracker.flaps_total("eth0") == 0);
  tracker.update(wired(false, 7), t0 + 20s + k_admin_grace + 1s);  // a real loss later on
  CHECK(tracker.flaps_total("eth0") == 1);
  // A loss seen by a poll just before the disable: the disable's own carrier drop.
  tracker.update(wired(true, 8), t0 + 40s);
  tracker.update(wired(false, 9), t0 + 45s);
  CHECK(tracker.flaps_total("eth0") == 2);
  auto off2 = wired(false, 9);
  off2.admin_up = false;
  tracker.update(off2, t0 + 47s);
  CHECK(tracker.flaps_total("eth0") == 1);
  auto m = tracker.roll(t0 + 61s);
  REQUIRE(m.size() == 1);
  CHECK(m[0]["flaps"] == 1);
}

TEST_CASE("a flap whose carrier came back is still a flap when the interface is disabled seconds later") {
  // lab_flap: the cable drops for 2 s and returns, 4 s later the user disables the interface.
  LinkTracker tracker;
  const auto t0 = minute0();
  tracker.update(wired(true, 2), t0);
  tracker.update(wired(false, 3), t0 + 1s);
  tracker.update(wired(true, 4), t0 + 3s);
  CHECK(tracker.flaps_total("eth0") == 1);
  auto off = wired(false, 5);
  off.admin_up = false;
  auto ev = tracker.update(off, t0 + 7s);
  REQUIRE_FALSE(ev.empty());
  CHECK(ev[0]["event"] == "admin_down");
  CHECK(tracker.flaps_total("eth0") == 1);
}

TEST_CASE("speed_downgrade is a change to a lower speed; constant below-max is below_max_speed; Wi-Fi has neither") {
  LinkTracker tracker;
  const auto t0 = minute0();
  CHECK(tracker.update(wired(true, 1, 1000), t0).empty());
  auto ev = tracker.update(wired(true, 1, 100), t0 + 5s);  // renegotiated while connected
  REQUIRE(ev.size() == 1);
  CHECK(ev[0]["event"] == "speed_downgrade");
  CHECK(tracker.update(wired(true, 1, 100), t0 + 10s).empty());
  ev = tracker.update(wired(true, 1, 1000), t0 + 15s);
  REQUIRE(ev.size() == 1);
  CHECK(ev[0]["event"] == "speed_change");
  // After a reconnect of the same NIC at a lower speed: a downgrade too.
  tracker.update(wired(false, 2), t0 + 20s);
  ev = tracker.update(wired(true, 3, 100), t0 + 22s);
  REQUIRE(ev.size() == 2);
  CHECK(ev[1]["event"] == "speed_downgrade");

  LinkTracker wifi;
  auto w = wired(true, 1, 144);
  w.interface = "wlan0";
  w.wireless = true;
  w.signal_dbm = -60;
  CHECK(wifi.update(w, t0).empty());
  w.speed_mbps = 54;
  CHECK(wifi.update(w, t0 + 5s).empty());
  auto down = w;
  down.carrier = false;
  down.carrier_changes_total = 2;
  CHECK(wifi.update(down, t0 + 6s).size() == 1);
  auto m = wifi.roll(t0 + 60s);
  REQUIRE(m.size() == 1);
  CHECK(m[0]["flaps"] == 1);
  CHECK(m[0]["signal_dbm"] == -60);  // a wireless link: the report counts its flaps apart
}

TEST_CASE("a link change message's own state is what the tracker sees; a stale message is ignored") {
  LinkSnapshot read = wired(true, 12);  // sysfs read after the message: already back up
  LinkChange change;
  change.interface = "eth0";
  change.admin_up = true;
  change.carrier = false;
  change.carrier_changes_total = 11;
  LinkSnapshot last = wired(true, 10);
  auto seen = with_change(read, change, &last);
  CHECK_FALSE(seen.carrier);
  CHECK(seen.carrier_changes_total == 11u);
  CHECK_FALSE(seen.speed_mbps);
  LinkSnapshot newer = wired(true, 12);
  CHECK(with_change(read, change, &newer).carrier);  // behind what we have: the read stands
  LinkChange name_only;                              // Windows: the name only
  name_only.interface = "eth0";
  CHECK(with_change(read, name_only, &last).carrier);
  change.admin_up = false;
  change.carrier = true;  // IFLA_CARRIER may stay set on a disabled interface
  seen = with_change(read, change, &last);
  CHECK_FALSE(seen.admin_up);
  CHECK_FALSE(seen.carrier);
}

TEST_CASE("netlink RTM_NEWLINK bytes: flags, IFLA_CARRIER, IFLA_OPERSTATE, IFLA_CARRIER_CHANGES") {
  // nlmsghdr(16) + ifinfomsg(16, flags IFF_UP|IFF_LOWER_UP) + IFNAME "pc0" (8) + OPERSTATE (8)
  // + CARRIER (8) + CARRIER_CHANGES (8) = 64 bytes, then a second message without carrier.
  auto msg = [](std::uint32_t flags, std::uint8_t oper, std::uint8_t carrier, std::uint32_t changes) {
    std::vector<std::uint8_t> m(64, 0);
    m[0] = 64;
    m[4] = 16;
    std::memcpy(&m[16 + 8], &flags, 4);
    std::size_t a = 32;
    auto attr = [&](std::uint16_t type, const void* v, std::uint16_t n) {
      std::uint16_t len = static_cast<std::uint16_t>(4 + n);
      std::memcpy(&m[a], &len, 2);
      std::memcpy(&m[a + 2], &type, 2);
      std::memcpy(&m[a + 4], v, n);
      a += (len + 3u) & ~3u;
    };
    attr(3, "pc0", 4);
    attr(16, &oper, 1);
    attr(33, &carrier, 1);
    attr(35, &changes, 4);
    return m;
  };
  auto a = msg(0x10001, 6, 1, 41);
  auto b = msg(0x1, 2, 0, 42);
  a.insert(a.end(), b.begin(), b.end());
  auto changes = parse_netlink_link_changes(a.data(), a.size());
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].interface == "pc0");
  CHECK(changes[0].admin_up == true);
  CHECK(changes[0].carrier == true);
  CHECK(changes[0].operstate == 6);
  CHECK(changes[0].carrier_changes_total == 41u);
  CHECK(changes[1].carrier == false);
  CHECK(changes[1].carrier_changes_total == 42u);
  CHECK(parse_netlink_link_messages(a.data(), a.size()) == std::vector<std::string>{"pc0", "pc0"});
  CHECK(parse_netlink_link_changes(a.data(), 63).size() == 0);  // truncated first message: nothing read past it
}
