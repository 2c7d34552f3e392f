// The daemon's inventory and pressure tasks on a real io_context, writing through a
// capturing EvidenceSink.
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>

#include "agent/tasks/inventory_task.hpp"
#include "agent/tasks/pressure_task.hpp"
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
