// The daemon end to end on a real store: suspend/resume (seen by an injected SleepClock, or told
// by power events) end the coverage span "suspended"; request_stop() from another thread; a
// self-watchdog restart recorded as lifecycle "watchdog_restart".
#include <doctest/doctest.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "agent/daemon.hpp"
#include "agent/watchdog.hpp"
#include "common/time_format.hpp"
#include "store/evidence_store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace std::chrono_literals;

namespace {

// The real clocks plus a suspend the test makes: it moves the wall clock and the sleep clock in one
// step (one atomic), the monotonic clock not at all. Thread-safe: the daemon reads it on its thread.
class SuspendableClock final : public itsa::Clock, public itsa::agent::SleepClock {
 public:
  itsa::UtcTime utc_now() const override {
    return std::chrono::system_clock::now() + std::chrono::milliseconds{m_slept_ms.load()};
  }
  itsa::MonoTime mono_now() const override { return std::chrono::steady_clock::now(); }
  std::chrono::milliseconds slept_total() const override { return std::chrono::milliseconds{m_slept_ms.load()}; }
  void suspend_for(std::chrono::milliseconds d) { m_slept_ms += d.count(); }

 private:
  std::atomic<long long> m_slept_ms{0};
};

// A daemon on its own thread, with a fresh data dir and fast clock checks.
struct RunningDaemon {
  SuspendableClock clock;
  std::filesystem::path data_dir = itsa::test::temp_dir() / "data";
  std::unique_ptr<itsa::agent::Daemon> daemon;
  std::thread thread;
  int exit_code = -1;

  RunningDaemon() {
    const auto config = itsa::test::temp_dir() / "agent.json";
    std::ofstream(config) << R"({ "data_dir": "data", "log": { "level": "warn" } })";
    itsa::agent::DaemonOptions options;
    options.config_file = config;
    options.clock_check_interval = 50ms;
    options.memory_trim_delay = 0s;
    options.sleep_clock = &clock;
    daemon = std::make_unique<itsa::agent::Daemon>(options, clock);
  }
  void start() {
    thread = std::thread([this] { exit_code = daemon->run(); });
  }
  bool wait_running() {
    const auto give_up = std::chrono::steady_clock::now() + 30s;
    while (!daemon->running() && std::chrono::steady_clock::now() < give_up) std::this_thread::sleep_for(10ms);
    return daemon->running();
  }
  // Stops the daemon; returns how long the stop took.
  std::chrono::milliseconds stop(const std::string& reason) {
    const auto t0 = std::chrono::steady_clock::now();
    daemon->request_stop(reason);
    thread.join();
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  }
  ~RunningDaemon() {
    if (thread.joinable()) stop("test ended");
  }
  std::vector<itsa::store::StoredRecord> records(const std::string& type) const {
    itsa::store::StoreOptions o;
    o.data_dir = data_dir;
    o.read_only = true;
    auto store = itsa::store::EvidenceStore::open(o);
    REQUIRE(store);
    auto rows = store.value()->query(type);
    REQUIRE(rows);
    return rows.value();
  }
  std::vector<std::string> lifecycle_events() const {
    std::vector<std::string> events;
    for (const auto& r : records("lifecycle")) events.push_back(r.payload.value("event", ""));
    return events;
  }
  // Waits (up to 30 s: sanitizer builds on a loaded machine are slow) until these lifecycle
  // events are recorded; true when they are.
  bool wait_for_events(const std::vector<std::string>& expected) const {
    const auto give_up = std::chrono::steady_clock::now() + 30s;
    while (lifecycle_events() != expected && std::chrono::steady_clock::now() < give_up)
      std::this_thread::sleep_for(20ms);
    return lifecycle_events() == expected;
  }
};

itsa::UtcTime parse(const nlohmann::json& text) {
  return itsa::parse_rfc3339(text.get<std::string>()).value();
}

double seconds_between(itsa::UtcTime a, itsa::UtcTime b) {
  return std::chrono::duration<double>(b - a).count();
}

}  // namespace

TEST_CASE("a suspend seen by the sleep clock ends the span 'suspended' and a new span opens at the resume") {
  RunningDaemon d;
  d.start();
  REQUIRE(d.wait_running());
  std::this_thread::sleep_for(200ms);
  // The system sleeps 90 s: the wall clock moves on, the monotonic clock does not.
  d.clock.suspend_for(90s);
  REQUIRE(d.wait_for_events({"start", "suspend", "resume"}));
  CHECK(d.stop("test") < 5s);
  CHECK(d.exit_code == 0);

  REQUIRE(d.lifecycle_events() == std::vector<std::string>{"start", "suspend", "resume", "stop"});
  const auto lifecycle = d.records("lifecycle");
  // The start record states the probe settings in effect (the report's method section reads them).
  CHECK(lifecycle[0].payload["probes"] == nlohmann::json{{"interval_s", 5}, {"down_after", 2}, {"up_after", 2}});
  CHECK(lifecycle[1].payload["detail"].get<std::string>().find("slept 90 s") != std::string::npos);
  CHECK(seconds_between(lifecycle[1].time, lifecycle[2].time) == doctest::Approx(90).epsilon(0.02));

  const auto coverage = d.records("coverage");
  REQUIRE(coverage.size() == 4);
  CHECK(coverage[0].payload["end_reason"] == "running");
  CHECK(coverage[1].payload["end_reason"] == "suspended");
  CHECK(coverage[1].payload["start"] == coverage[0].payload["start"]);
  CHECK(parse(coverage[1].payload["end"]) == lifecycle[1].time);
  CHECK(coverage[2].payload["end_reason"] == "running");
  CHECK(parse(coverage[2].payload["start"]) == lifecycle[2].time);  // the new span starts at the resume
  CHECK(coverage[3].payload["end_reason"] == "stopped");
  CHECK(coverage[3].payload["start"] == coverage[2].payload["start"]);
}

TEST_CASE("power events: the span closes at the suspend; the resume is recorded once though also seen by the clock") {
  RunningDaemon d;
  d.start();
  REQUIRE(d.wait_running());
  d.daemon->notify_power(true);
  std::this_thread::sleep_for(200ms);  // clock checks while suspending: nothing more recorded
  d.clock.suspend_for(60s);
  std::this_thread::sleep_for(200ms);  // the clock check may see the sleep before the power event
  d.daemon->notify_power(false);
  d.daemon->notify_power(false);  // PBT_APMRESUMESUSPEND after PBT_APMRESUMEAUTOMATIC
  REQUIRE(d.wait_for_events({"start", "suspend", "resume"}));
  std::this_thread::sleep_for(200ms);  // time for a second resume to show, if it wrongly would
  d.stop("stop");

  REQUIRE(d.lifecycle_events() == std::vector<std::string>{"start", "suspend", "resume", "stop"});
  const auto coverage = d.records("coverage");
  REQUIRE(coverage.size() == 4);
  CHECK(coverage[1].payload["end_reason"] == "suspended");
  CHECK(coverage[2].payload["end_reason"] == "running");
  CHECK(coverage[3].payload["end_reason"] == "stopped");
  CHECK(seconds_between(parse(coverage[1].payload["end"]), parse(coverage[2].payload["start"])) >= 60);
  CHECK(d.records("lifecycle").back().payload["detail"] == "stop");
}

TEST_CASE("request_stop made before the loop starts stops the daemon cleanly as soon as it runs") {
  RunningDaemon d;
  d.daemon->request_stop("preshutdown");
  d.start();
  d.thread.join();
  CHECK(d.exit_code == 0);
  CHECK(d.lifecycle_events() == std::vector<std::string>{"start", "stop"});
  CHECK(d.records("lifecycle").back().payload["detail"] == "preshutdown");
  CHECK(d.records("coverage").back().payload["end_reason"] == "stopped");
}

TEST_CASE("a self-watchdog restart is recorded as lifecycle watchdog_restart, not config_reload") {
  RunningDaemon d;
  d.start();
  REQUIRE(d.wait_running());
  itsa::agent::request_work_restart("memory 300 MiB (peak 310 MiB) above watchdog.max_rss_mb 200 for 300 s");
  REQUIRE(d.wait_for_events({"start", "watchdog_restart"}));
  CHECK(d.daemon->running());  // the work restarted; the daemon did not stop
  d.stop("test");
  REQUIRE(d.lifecycle_events() == std::vector<std::string>{"start", "watchdog_restart", "stop"});
  CHECK(d.records("lifecycle")[1].payload["detail"].get<std::string>().find("watchdog.max_rss_mb 200") !=
        std::string::npos);
  // The observed span goes on through the restart.
  const auto coverage = d.records("coverage");
  CHECK(coverage.back().payload["end_reason"] == "stopped");
  CHECK(coverage.back().payload["start"] == coverage.front().payload["start"]);
}

TEST_CASE("the system sleep clock reads a steady total while the machine is awake") {
  const auto& clock = itsa::agent::system_sleep_clock();
  const auto first = clock.slept_total();
  std::this_thread::sleep_for(100ms);
  const auto second = clock.slept_total();
  CHECK(first.count() >= -50);  // 0 plus rounding, unless this machine has slept since boot
  CHECK(std::chrono::abs(second - first) < 50ms);
}
