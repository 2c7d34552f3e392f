// The cause rules on the office networks of issue 14: gateways that ignore ping, first-hop
// firewalls that answer for the internet, single targets, targets that never worked.
#include <doctest/doctest.h>

#include "collectors/network/blip_counter.hpp"
#include "collectors/network/cause_rules.hpp"
#include "collectors/network/outage_detector.hpp"
#include "common/time_format.hpp"

using namespace itsa;
using namespace itsa::network;
using namespace std::chrono_literals;

namespace {
InternetProbe target(const std::string& host, TargetOutcome outcome, bool known_good = true) {
  InternetProbe p;
  p.target = "tcp://" + host + ":443";
  p.network = network_key(host);
  p.outcome = outcome;
  p.known_good = known_good;
  return p;
}
// The default targets' shape: two independent networks.
RoundFacts provider_down() {
  RoundFacts f;
  f.internet = {target("1.1.1.1", TargetOutcome::failed), target("8.8.8.8", TargetOutcome::failed)};
  f.dns_ok = false;
  return f;
}
}  // namespace

TEST_CASE("a gateway that ignores ping but answers ARP, provider down: upstream, not lan") {
  RoundFacts f = provider_down();
  f.lan.gateway_echo = false;  // it never answered echo in this run
  f.lan.gateway_l2 = true;
  auto v = classify(f);
  CHECK(v.cause == Cause::upstream);
  CHECK(v.rule == "gateway_reachable_internet_silent");
  // Without layer 2 (no CAP_NET_RAW), a silent gateway that never answered echo proves nothing.
  f.lan.gateway_l2.reset();
  v = classify(f);
  CHECK(v.cause == Cause::unknown);
  CHECK(v.rule == "internet_silent_gateway_unproven");
}

TEST_CASE("the LAN is blamed only on positive evidence") {
  RoundFacts f = provider_down();
  f.lan.gateway_l2 = false;  // ARP unanswered
  auto v = classify(f);
  CHECK(v.cause == Cause::lan);
  CHECK(v.rule == "gateway_unresolvable");
  // A gateway that always answered echo is silent, ARP not available.
  f.lan.gateway_l2.reset();
  f.lan.gateway_echo = false;
  f.lan.gateway_echo_known = true;
  v = classify(f);
  CHECK(v.cause == Cause::lan);
  CHECK(v.rule == "lan_silent");
  // ...but if anything beyond the PC answered (a reset from the first hop), the LAN works.
  f.internet[0].outcome = TargetOutcome::answered_near;
  CHECK(classify(f).cause == Cause::upstream);
}

TEST_CASE("a first-hop firewall that resets the TCP target while the provider is down") {
  RoundFacts f = provider_down();
  f.internet[0].outcome = TargetOutcome::answered_near;  // the RST came as fast as the gateway answers
  f.lan.gateway_echo = false;
  auto v = classify(f);
  CHECK(v.cause == Cause::upstream);  // not dns, not "answered"
  // The same refusal, clearly from far away, proves the internet: the round is good.
  CHECK_FALSE(refusal_from_beyond(0.4, 0.3));
  CHECK_FALSE(refusal_from_beyond(40.0, std::nullopt));
  CHECK(refusal_from_beyond(40.0, 1.0));
  CHECK_FALSE(refusal_from_beyond(6.0, 2.5));  // 3x but not 5 ms more
  f.internet[0].outcome = TargetOutcome::answered;
  v = classify(f);
  CHECK(v.cause == Cause::dns);  // the resolver is still silent
  f.dns_ok = true;
  CHECK_FALSE(classify(f).cause);
}

TEST_CASE("one silent target, or targets that never answered, are no outage") {
  RoundFacts f = provider_down();
  f.lan.gateway_l2 = true;
  f.internet = {target("1.1.1.1", TargetOutcome::failed), target("1.1.2.2", TargetOutcome::failed)};  // one /16
  auto v = classify(f);
  CHECK_FALSE(v.cause);
  CHECK(v.rule == "target_unreachable");
  f.internet = {target("1.1.1.1", TargetOutcome::failed, false), target("8.8.8.8", TargetOutcome::failed, false)};
  v = classify(f);
  CHECK_FALSE(v.cause);
  CHECK(v.rule == "targets_never_answered");
  // One known-good target silent beside one that never worked: still a single network.
  f.internet[0].known_good = true;
  CHECK_FALSE(classify(f).cause);
}

TEST_CASE("carrier of the route's interface, no route, no internet target") {
  RoundFacts f = provider_down();
  f.route_link_up = false;
  CHECK(classify(f).cause == Cause::link_down);
  f.route_link_up = true;
  f.lan.has_route = false;
  auto v = classify(f);
  CHECK(v.cause == Cause::unknown);
  CHECK(v.rule == "no_default_route");
  RoundFacts lan_only;
  lan_only.lan.gateway_echo = true;
  CHECK_FALSE(classify(lan_only).cause);
  lan_only.dns_ok = false;
  CHECK(classify(lan_only).cause == Cause::unknown);
}

TEST_CASE("network keys make targets independent or not") {
  CHECK(network_key("1.1.1.1") == "1.1.0.0/16");
  CHECK(network_key("1.1.250.3") == network_key("1.1.1.1"));
  CHECK(network_key("8.8.8.8") != network_key("1.1.1.1"));
  CHECK(network_key("www.Example.COM.") == "example.com");
  CHECK(network_key("a.b.example.com") == "example.com");
  CHECK(network_key("localhost") == "localhost");
  CHECK(network_key("[2001:db8::1]") == "2001:0db8::/32");
  CHECK(cause_name(Cause::unknown) == "unknown");
}

TEST_CASE("failed rounds that stop before down_after are a blip, counted per minute") {
  ManualClock c;
  OutageDetector d(3, 2);
  RoundResult bad;
  bad.facts = provider_down();
  bad.facts.lan.gateway_l2 = false;
  bad.interface = "eth0";
  RoundResult good;
  good.facts.internet = {target("1.1.1.1", TargetOutcome::answered)};
  good.facts.dns_ok = true;
  auto at = [&](RoundResult r) {
    r.utc = c.utc_now();
    r.mono = c.mono_now();
    return r;
  };
  const auto first = c.utc_now();
  CHECK_FALSE(d.feed(at(bad), true));
  CHECK_FALSE(d.take_blip());
  c.advance(5s);
  CHECK_FALSE(d.feed(at(bad), true));
  c.advance(5s);
  CHECK_FALSE(d.feed(at(good), true));
  auto blip = d.take_blip();
  REQUIRE(blip);
  CHECK(blip->cause == Cause::lan);
  CHECK(blip->rounds == 2);
  CHECK(blip->start_utc == first);
  CHECK_FALSE(d.take_blip());

  BlipCounter counter;
  CHECK(counter.add(*blip).empty());
  Blip second = *blip;
  second.cause = Cause::link_down;
  CHECK(counter.add(second).empty());
  CHECK(counter.roll(first).empty());  // the same minute: not finished
  auto recs = counter.roll(first + 2min);
  REQUIRE(recs.size() == 1);
  CHECK(recs[0]["interface"] == "eth0");
  CHECK(recs[0]["blips"]["lan"] == 1);
  CHECK(recs[0]["blips"]["link_down"] == 1);
  CHECK(recs[0]["blips"]["upstream"] == 0);
  CHECK(recs[0]["total"] == 2);
  CHECK(recs[0]["minute"] == to_rfc3339(std::chrono::floor<std::chrono::minutes>(first)));
  CHECK(counter.flush().empty());
}
