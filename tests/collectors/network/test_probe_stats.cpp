// Per-minute probe statistics and degraded minutes.
#include <doctest/doctest.h>

#include "collectors/network/probe_stats.hpp"
#include "common/time_format.hpp"

using namespace itsa;
using namespace itsa::network;
using namespace std::chrono_literals;

namespace {
ProbeTarget target() {
  auto t = parse_probe_target("icmp://192.0.2.1", Layer::internet);
  REQUIRE(t);
  return t.value();
}
ProbeSample ok(double rtt) {
  ProbeSample s;
  s.ok = true;
  s.rtt_ms = rtt;
  return s;
}
}  // namespace

TEST_CASE("a minute's sent, lost, RTT percentiles and jitter") {
  ProbeStats stats(5.0, 4.0);
  UtcTime t0 = minute_start(ManualClock{}.utc_now()) + 1min;
  const double rtts[] = {10, 12, 11, 30, 10, 12, 11, 10, 13, 11};
  for (int i = 0; i < 10; ++i)
    CHECK(stats.add(target(), ok(rtts[i]), t0 + std::chrono::seconds(i * 5)).probe_minutes.empty());
  ProbeSample lost;
  lost.attempts_sent = 4;
  lost.attempts_lost = 4;
  stats.add(target(), lost, t0 + 55s);
  auto out = stats.roll(t0 + 60s);
  REQUIRE(out.probe_minutes.size() == 1);
  auto& m = out.probe_minutes[0];
  CHECK(m["minute"] == to_rfc3339(t0));
  CHECK(m["layer"] == "internet");
  CHECK(m["sent"] == 14);
  CHECK(m["lost"] == 4);
  CHECK_FALSE(m.contains("rtt_min_ms"));  // not kept: p50/p95/max say more per byte
  CHECK_FALSE(m.contains("rtt_avg_ms"));
  CHECK(m["rtt_max_ms"] == 30.0);
  CHECK(m["rtt_p50_ms"] == 11.0);
  CHECK(m["rtt_p95_ms"] == 30.0);
  // |12-10|+|11-12|+|30-11|+|10-30|+|12-10|+|11-12|+|10-11|+|13-10|+|11-13| = 51 over 9 = 5.67,
  // kept to two significant digits
  CHECK(m["jitter_ms"].get<double>() == doctest::Approx(5.7));
  REQUIRE(out.degraded.size() == 1);  // 4/14 lost
  CHECK(out.degraded[0]["reason"] == "loss");
  CHECK(out.degraded[0]["loss_pct"].get<double>() == doctest::Approx(28.571).epsilon(0.001));
}

TEST_CASE("a minute where nothing answered has null RTTs; failing minutes are not degraded") {
  ProbeStats stats(5.0, 4.0);
  UtcTime t0 = minute_start(ManualClock{}.utc_now());
  ProbeSample lost;
  lost.attempts_sent = 2;
  stats.add(target(), ok(5), t0);
  stats.add(target(), lost, t0 + 5s);
  stats.mark_failing();
  auto out = stats.flush();
  REQUIRE(out.probe_minutes.size() == 1);
  CHECK(out.probe_minutes[0]["lost"] == 2);
  CHECK(out.degraded.empty());
  ProbeStats none(5.0, 4.0);
  none.add(target(), lost, t0);
  auto out2 = none.flush();
  CHECK(out2.probe_minutes[0]["rtt_p50_ms"].is_null());
  CHECK(out2.probe_minutes[0]["jitter_ms"].is_null());
}

TEST_CASE("latency degraded against the baseline of earlier clean minutes") {
  ProbeStats stats(5.0, 4.0);
  UtcTime t = minute_start(ManualClock{}.utc_now());
  for (int minute = 0; minute < 3; ++minute) {
    for (int i = 0; i < 12; ++i) stats.add(target(), ok(10.0 + i % 3), t + std::chrono::seconds(i * 5));
    t += 1min;
    CHECK(stats.roll(t).degraded.empty());
  }
  REQUIRE(stats.baseline_ms("icmp://192.0.2.1"));
  CHECK(*stats.baseline_ms("icmp://192.0.2.1") == doctest::Approx(11.0));
  for (int i = 0; i < 12; ++i) stats.add(target(), ok(60.0), t + std::chrono::seconds(i * 5));
  auto out = stats.roll(t + 1min);
  REQUIRE(out.degraded.size() == 1);
  CHECK(out.degraded[0]["reason"] == "latency");
  CHECK(out.degraded[0]["baseline_rtt_ms"] == 11.0);
  CHECK(out.degraded[0]["rtt_p50_ms"] == 60.0);
}

TEST_CASE("RTTs are kept to about two significant digits, at least 0.01 ms") {
  ProbeStats stats(5.0, 4.0);
  UtcTime t0 = minute_start(ManualClock{}.utc_now());
  stats.add(target(), ok(0.4567), t0);
  stats.add(target(), ok(3.456), t0 + 5s);
  stats.add(target(), ok(24.37), t0 + 10s);
  auto out = stats.roll(t0 + 60s);
  REQUIRE(out.probe_minutes.size() == 1);
  auto& m = out.probe_minutes[0];
  CHECK(m["rtt_p50_ms"].get<double>() == doctest::Approx(3.5));
  CHECK(m["rtt_max_ms"].get<double>() == doctest::Approx(24.0));
  CHECK(m["rtt_p50_ms"].dump() == "3.5");  // no binary-fraction noise on the wire
}
