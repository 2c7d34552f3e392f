// The daemon's inventory and pressure tasks on a real io_context, writing through a
// capturing EvidenceSink.
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>

#include "agent/tasks/inventory_task.hpp"
#include "agent/tasks/pressure_task.hpp"
#include "common/time_format.hpp"
#include "store/evidence_store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace std::chrono_literals;
using nlohmann::json;

namespace {

struct CapturingSink final : itsa::EvidenceSink {
  std::vector<std::pair<std::string, json>> records;
  itsa::Result<std::uint64_t> append(const std::string& type, itsa::UtcTime, json payload) override {
    records.emplace_back(type, std::move(payload));
    return records.size();
  }
};

}  // namespace

TEST_CASE("inventory task: inventory + assessment at start, nothing more while unchanged") {
  boost::asio::io_context io;
  itsa::config::AgentConfig config;
  config.assess_profile = "windows11";
  CapturingSink sink;
  itsa::ManualClock clock;
  itsa::agent::TaskContext ctx{io, config, sink, clock};
  itsa::collectors::InventoryOptions o;
  o.root = itsa::test::fixture("inventory/hwloc/4em64t-2c2t-ignore-reorder");
  o.smbios_file = itsa::test::fixture("smbios/lenovo-thinkpad-t430.bin");
  itsa::agent::InventoryTask task(o, std::chrono::seconds(0));
  task.start(ctx);
  io.run_for(300ms);  // several checks with the same inventory
  task.stop("test");
  REQUIRE(sink.records.size() == 2);
  CHECK(sink.records[0].first == "inventory");
  CHECK(sink.records[0].second["system"]["product"] == "2347A49");
  CHECK(sink.records[1].first == "assessment");
  CHECK(sink.records[1].second["profile"] == "windows11");
  CHECK(sink.records[1].second["verdict"] == "does_not_meet");  // 1st-gen Core i7
  CHECK(task.status()["snapshots"] == 1);
}

TEST_CASE("inventory task: boot durations read until this boot finished starting, earlier boots from the store") {
  namespace boot = itsa::collectors::boot;
  boost::asio::io_context io;
  itsa::config::AgentConfig config;
  itsa::ManualClock clock;
  itsa::store::StoreOptions so;
  so.data_dir = itsa::test::temp_dir();
  so.clock = &clock;
  auto store = itsa::store::EvidenceStore::open(so);
  REQUIRE(store);
  // An earlier run's inventory held two boots.
  boot::BootDuration b1, b2;
  b1.id = "boot-1";
  b1.start = "2026-12-01T01:00:00Z";
  b1.total_s = 40.0;
  b2.id = "boot-2";
  b2.start = "2026-12-02T01:00:00Z";
  b2.total_s = 50.0;
  REQUIRE(store.value()->append("inventory", clock.utc_now(),
                                {{"boot_durations", boot::merge_boots(json::array(), {b1, b2})}}));
  itsa::agent::TaskContext ctx{io, config, *store.value(), clock, store.value().get()};
  itsa::collectors::InventoryOptions o;
  o.root = itsa::test::fixture("inventory/hwloc/4em64t-2c2t-ignore-reorder");
  o.smbios_file = itsa::test::fixture("smbios/lenovo-thinkpad-t430.bin");
  int reads = 0;
  auto reader = [&reads] {
    boot::BootReading r;
    if (++reads == 1) {  // systemd still starting at the agent's start
      r.pending = true;
      r.note = "boot_durations: pending";
      return r;
    }
    boot::BootDuration now;
    now.id = "boot-3";
    now.start = "2026-12-03T01:00:00Z";
    now.total_s = 35.5;
    r.boots.push_back(now);
    return r;
  };
  itsa::agent::InventoryTask task(o, std::chrono::seconds(0), {}, reader);
  task.start(ctx);
  io.run_for(300ms);
  task.stop("test");
  CHECK(reads == 2);  // once complete, never read again this run
  auto last = store.value()->latest("inventory");
  REQUIRE(last);
  REQUIRE(last.value());
  const json boots = last.value()->payload["boot_durations"];
  REQUIRE(boots.size() == 3);
  CHECK(boots[0]["id"] == "boot-3");
  CHECK(boots[0]["total_s"] == 35.5);
  CHECK(boots[2]["id"] == "boot-1");
}

TEST_CASE("pressure task: stop writes the partial minute") {
  boost::asio::io_context io;
  itsa::config::AgentConfig config;
  config.pressure_interval_s = 1;
  CapturingSink sink;
  itsa::agent::TaskContext ctx{io, config, sink, itsa::SystemClock::instance()};
  itsa::agent::PressureTask task;
  task.start(ctx);
  io.run_for(1200ms);
  task.stop("test");
  REQUIRE_FALSE(sink.records.empty());
  const auto& last = sink.records.back();
  CHECK(last.first == "pressure_minute");
  CHECK(last.second["samples"].get<int>() >= 1);
  CHECK(last.second.contains("cpu_busy_pct"));
}
