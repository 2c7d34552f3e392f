// The outage state machine and cause classification, driven by ManualClock.
#include <doctest/doctest.h>

#include "collectors/network/outage_detector.hpp"
#include "common/time_format.hpp"

using namespace itsa;
using namespace itsa::network;
using namespace std::chrono_literals;

namespace {
// A round of a PC whose gateway answers ARP (gw), with two known-good internet targets on
// independent networks (inet: both answered / both silent / none probed) and a resolver (dns).
RoundResult round_at(const ManualClock& c, bool link, std::optional<bool> gw, std::optional<bool> inet,
                     std::optional<bool> dns) {
  RoundResult r;
  r.utc = c.utc_now();
  r.mono = c.mono_now();
  r.facts.route_link_up = link;
  r.facts.lan.gateway_l2 = gw;
  if (inet) {
    for (const char* host : {"192.0.2.1", "198.51.100.1"}) {
      InternetProbe p;
      p.target = std::string("tcp://") + host + ":443";
      p.network = network_key(host);
      p.known_good = true;
      p.outcome = *inet ? TargetOutcome::answered : TargetOutcome::failed;
      r.facts.internet.push_back(p);
    }
  }
  r.facts.dns_ok = dns;
  r.interface = "eth0";
  return r;
}
RoundResult good(const ManualClock& c) {
  return round_at(c, true, true, true, true);
}
}  // namespace

TEST_CASE("classify_round names the lowest failing layer") {
  ManualClock c;
  CHECK_FALSE(classify_round(good(c)));
  CHECK(classify_round(round_at(c, false, false, false, false)) == Cause::link_down);
  CHECK(classify_round(round_at(c, true, false, false, false)) == Cause::lan);
  CHECK(classify_round(round_at(c, true, true, false, false)) == Cause::upstream);
  CHECK(classify_round(round_at(c, true, true, true, false)) == Cause::dns);
  // A gateway that does not resolve while the internet answers: the internet answer wins.
  CHECK_FALSE(classify_round(round_at(c, true, false, true, true)));
  // No internet targets: the gateway decides.
  CHECK(classify_round(round_at(c, true, false, std::nullopt, std::nullopt)) == Cause::lan);
}

TEST_CASE("an outage opens after down_after failed rounds, starting at the first, and closes at the first good") {
  ManualClock c;
  OutageDetector d(2, 2);
  CHECK_FALSE(d.feed(good(c), true));
  c.advance(5s);
  const auto first_fail = c.utc_now();
  CHECK_FALSE(d.feed(round_at(c, true, false, false, false), true));  // 1 failed round: not yet
  CHECK(d.failing());
  c.advance(5s);
  auto opened = d.feed(round_at(c, true, false, false, false), true);
  REQUIRE(opened);
  CHECK_FALSE(opened->end_utc);
  CHECK(opened->start_utc == first_fail);
  CHECK(opened->cause == Cause::lan);
  auto p = outage_payload(*opened);
  CHECK(p["state"] == "open");
  CHECK(p["end"].is_null());
  CHECK(p["end_reason"].is_null());
  CHECK(p["start"] == to_rfc3339_ms(first_fail));
  c.advance(5s);
  CHECK_FALSE(d.feed(round_at(c, true, false, false, false), true));
  c.advance(5s);
  const auto first_good = c.utc_now();
  CHECK_FALSE(d.feed(good(c), true));  // 1 good: still open (hysteresis)
  c.advance(5s);
  CHECK_FALSE(d.feed(round_at(c, true, false, false, false), true));  // relapse resets the good run
  c.advance(5s);
  const auto real_first_good = c.utc_now();
  CHECK_FALSE(d.feed(good(c), true));
  c.advance(5s);
  auto closed = d.feed(good(c), true);
  REQUIRE(closed);
  CHECK(closed->id == opened->id);
  CHECK(closed->end_utc == real_first_good);
  CHECK(closed->end_utc != first_good);
  CHECK(closed->duration_s == doctest::Approx(25.0));
  auto cp = outage_payload(*closed);
  CHECK(cp["state"] == "closed");
  CHECK(cp["end_reason"] == "recovered");
  CHECK(cp["evidence"]["failed_rounds"] == 4);
  CHECK_FALSE(d.open_outage());
}

TEST_CASE("a single failed round is no outage; durations use the monotonic clock") {
  ManualClock c;
  OutageDetector d(2, 1);
  CHECK_FALSE(d.feed(round_at(c, true, true, false, true), true));
  c.advance(5s);
  CHECK_FALSE(d.feed(good(c), true));
  CHECK_FALSE(d.failing());
  c.advance(5s);
  CHECK_FALSE(d.feed(round_at(c, true, true, false, true), true));
  c.advance(5s);
  auto o = d.feed(round_at(c, true, true, false, true), true);
  REQUIRE(o);
  CHECK(o->cause == Cause::upstream);
  c.jump_utc(-3600s);  // the wall clock is set back an hour mid-outage
  c.advance(10s);
  auto closed = d.feed(good(c), false);
  REQUIRE(closed);
  CHECK(closed->duration_s == doctest::Approx(15.0));
  CHECK_FALSE(closed->clock_synced);
}

TEST_CASE("the lowest layer seen while confirming decides the cause; stop() closes as observation_ended") {
  ManualClock c;
  OutageDetector d(2, 2);
  CHECK_FALSE(d.feed(round_at(c, true, false, false, false), true));  // looks like LAN first
  c.advance(1s);
  auto o = d.feed(round_at(c, false, false, false, false), true);  // then carrier is gone
  REQUIRE(o);
  CHECK(o->cause == Cause::link_down);
  c.advance(7s);
  auto ended = d.close(c.utc_now(), c.mono_now(), "observation_ended");
  REQUIRE(ended);
  CHECK(ended->duration_s == doctest::Approx(8.0));
  CHECK(outage_payload(*ended)["end_reason"] == "observation_ended");
  CHECK_FALSE(d.close(c.utc_now(), c.mono_now(), "observation_ended"));
}

TEST_CASE("dns cause when addresses answer and resolution fails") {
  ManualClock c;
  OutageDetector d(1, 1);
  auto o = d.feed(round_at(c, true, true, true, false), true);
  REQUIRE(o);
  CHECK(o->cause == Cause::dns);
}
