// The self-watchdog: a limit counts only when exceeded for a whole window, driven by ManualClock;
// the real task samples this process and fires on a real memory breach.
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstring>
#include <vector>

#include "agent/watchdog.hpp"
#include "common/clock.hpp"
#include "config/agent_config.hpp"

using namespace std::chrono_literals;
using itsa::agent::ResourceSample;
using itsa::agent::WatchdogRule;

TEST_CASE("memory above the limit for a whole window restarts the work, once") {
  itsa::ManualClock clock;
  WatchdogRule rule(64ll << 20, 5.0, 300s);
  std::optional<std::string> reason;
  for (int i = 0; i < 10; ++i) {  // 0..270 s above: not yet
    CHECK_FALSE(rule.update(clock.mono_now(), {100ll << 20, 0.0}));
    clock.advance(30s);
  }
  reason = rule.update(clock.mono_now(), {120ll << 20, 0.0});  // 300 s
  REQUIRE(reason);
  CHECK(reason->find("watchdog.max_rss_mb 64") != std::string::npos);
  CHECK(reason->find("peak 120 MiB") != std::string::npos);
  clock.advance(30s);
  CHECK_FALSE(rule.update(clock.mono_now(), {120ll << 20, 0.0}));  // a new window starts
}

TEST_CASE("memory that dips below the limit starts the window again") {
  itsa::ManualClock clock;
  WatchdogRule rule(64ll << 20, 5.0, 300s);
  for (int i = 0; i < 30; ++i) {
    const std::int64_t rss = (i % 8 == 7) ? (10ll << 20) : (100ll << 20);  // below every 4 minutes
    CHECK_FALSE(rule.update(clock.mono_now(), {rss, 0.0}));
    clock.advance(30s);
  }
}

TEST_CASE("CPU above the limit for a whole window restarts the work; a burst does not") {
  itsa::ManualClock clock;
  WatchdogRule rule(64ll << 20, 5.0, 300s);
  double cpu_s = 0;
  // 1% of a core for an hour, with one 60 s burst at 50%.
  for (int i = 0; i < 120; ++i) {
    cpu_s += (i == 40 || i == 41) ? 15.0 : 0.3;
    clock.advance(30s);
    CHECK_FALSE(rule.update(clock.mono_now(), {1 << 20, cpu_s}));
  }
  CHECK(rule.last_cpu_pct() == doctest::Approx(1.0));
  // Then 10% for 5 minutes.
  std::optional<std::string> reason;
  for (int i = 0; i < 10 && !reason; ++i) {
    cpu_s += 3.0;
    clock.advance(30s);
    reason = rule.update(clock.mono_now(), {1 << 20, cpu_s});
  }
  REQUIRE(reason);
  CHECK(reason->find("CPU 10.0%") != std::string::npos);
  CHECK(reason->find("watchdog.max_cpu_pct 5.0%") != std::string::npos);
}

TEST_CASE("this process's own memory and CPU are measured") {
  auto first = itsa::agent::sample_self();
  REQUIRE(first);
  CHECK(first.value().rss_bytes > (1 << 20));
  // Busy work until the counter shows 50 ms of CPU (the machine may be shared: wall time is no guide).
  volatile double x = 0;
  double cpu_s = first.value().cpu_s;
  const auto give_up = std::chrono::steady_clock::now() + 20s;
  while (cpu_s < first.value().cpu_s + 0.05 && std::chrono::steady_clock::now() < give_up) {
    for (int i = 0; i < 1000000; ++i) x = x + 1.0;
    auto again = itsa::agent::sample_self();
    REQUIRE(again);
    cpu_s = again.value().cpu_s;
  }
  CHECK(cpu_s >= first.value().cpu_s + 0.05);
}

TEST_CASE("the watchdog task restarts the work when the agent really uses too much memory") {
  boost::asio::io_context io;
  auto config = itsa::config::default_agent_config();
  config.watchdog_max_rss_mb = 8;
  std::vector<char> ballast(64u << 20);
  std::memset(ballast.data(), 1, ballast.size());  // resident, not just reserved
  std::string reason;
  itsa::agent::SelfWatchdogTask task(20ms, 0s, [&](const std::string& why) {
    reason = why;
    io.stop();
  });
  struct NullSink : itsa::EvidenceSink {
    itsa::Result<std::uint64_t> append(const std::string&, itsa::UtcTime, nlohmann::json) override { return 0; }
  } sink;
  itsa::agent::TaskContext ctx{io, config, sink, itsa::SystemClock::instance()};
  task.start(ctx);
  io.run_for(5s);
  task.stop("test");
  CHECK(reason.find("watchdog.max_rss_mb 8") != std::string::npos);
  CHECK(task.status()["rss_bytes"].get<std::int64_t>() > (64ll << 20));
  CHECK(ballast[12345] == 1);
}
