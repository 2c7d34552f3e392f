// The daemon's disk-health task: a reading at start, then once a day by the injected clock;
// "reallocated growing" against the previous reading; an unreadable disk costs one log line a
// day; on this VM (virtio disk, no SMART) every disk is "unknown" and the task keeps running.
#include <doctest/doctest.h>

#include <fstream>

#include <boost/asio/io_context.hpp>

#include "agent/tasks/disk_health_task.hpp"
#include "tests/support/temp_dir.hpp"

using namespace std::chrono_literals;
using nlohmann::json;
namespace dh = itsa::collectors::disk_health;

namespace {

struct Sink final : itsa::EvidenceSink {
  std::vector<std::pair<std::string, json>> records;
  itsa::Result<std::uint64_t> append(const std::string& type, itsa::UtcTime, json payload) override {
    records.emplace_back(type, std::move(payload));
    return records.size();
  }
};

// A SATA disk as decoded from SMART data, with `reallocated` sectors, judged with `limits`.
dh::DiskHealth ata_disk(std::int64_t reallocated, std::int64_t hours, const dh::HealthLimits& limits) {
  dh::DiskHealth d;
  d.device = "/dev/sda";
  d.kind = "ata";
  d.model = "WDC WD5000AAKX-08U6AA0";
  d.serial = "WD-WCC2EXXXXXXX";
  d.reallocated_sectors = reallocated;
  d.pending_sectors = 0;
  d.power_on_hours = hours;
  dh::judge(d, limits);
  return d;
}

}  // namespace

TEST_CASE("disk health task: at start, then once a day by the clock; growth makes the disk failing") {
  boost::asio::io_context io;
  itsa::config::AgentConfig config;
  config.disk_health_worn_power_on_hours = 20000;  // the config key reaches the verdict
  Sink sink;
  itsa::ManualClock clock;
  itsa::agent::TaskContext ctx{io, config, sink, clock};
  std::int64_t reallocated = 8;
  std::vector<std::int64_t> limits_seen;
  auto reader = [&](const dh::HealthLimits& l) {
    limits_seen.push_back(l.worn_power_on_hours);
    return std::vector<dh::DiskHealth>{ata_disk(reallocated, 12000, l),
                                       dh::unknown_disk("/dev/sdb", dh::refused_reason("/dev/sdb", "SG_IO: EINVAL"))};
  };
  auto board = std::make_shared<itsa::agent::DiskHealthBoard>();
  itsa::agent::DiskHealthTask task(board, reader, std::chrono::seconds(0), std::chrono::hours(24));
  task.start(ctx);
  io.run_for(100ms);  // many checks within the same day: one reading
  REQUIRE(sink.records.size() == 1);
  CHECK(sink.records[0].first == "disk_health");
  const json& first = sink.records[0].second;
  REQUIRE(first["disks"].size() == 2);
  CHECK(first["disks"][0]["verdict"] == "worn");  // 8 reallocated
  CHECK(first["disks"][0]["reallocated_sectors"] == 8);
  for (const char* k : {"verdict", "reasons", "power_on_hours", "temperature_c", "reallocated_sectors",
                        "pending_sectors", "offline_uncorrectable", "udma_crc_errors", "wear_pct", "media_errors",
                        "unsafe_shutdowns", "critical_warning", "attributes"})
    CHECK_MESSAGE(first["disks"][0].contains(k), k);
  CHECK(first["disks"][1]["verdict"] == "unknown");
  CHECK(first["disks"][1]["reasons"][0]["code"] == "not_supported");
  CHECK(task.unreadable_log_lines() == 1);
  REQUIRE(board->get());
  CHECK((*board->get())[0]["verdict"] == "worn");
  CHECK(limits_seen.at(0) == 20000);

  // 23 hours later: still no new reading.
  clock.advance(23h);
  io.restart();
  io.run_for(50ms);
  CHECK(sink.records.size() == 1);

  // A day after the first: read again; two more sectors reallocated since: failing.
  clock.advance(1h);
  reallocated = 10;
  io.restart();
  io.run_for(50ms);
  REQUIRE(sink.records.size() == 2);
  const json& second = sink.records[1].second["disks"][0];
  CHECK(second["verdict"] == "failing");
  CHECK(second["reasons"][0]["code"] == "reallocated_growing");
  CHECK(second["reasons"][0]["en"].get<std::string>().find("from 8 to 10") != std::string::npos);
  CHECK(second["reasons"][0]["vi"].get<std::string>().find("tăng từ 8 lên 10") != std::string::npos);
  CHECK(task.unreadable_log_lines() == 2);  // one line a day for /dev/sdb
  CHECK((*board->get())[0]["verdict"] == "failing");

  // Next day, no growth: worn again (growth is against the previous reading only).
  clock.advance(24h);
  io.restart();
  io.run_for(50ms);
  REQUIRE(sink.records.size() == 3);
  CHECK(sink.records[2].second["disks"][0]["verdict"] == "worn");
  CHECK(task.status()["readings"] == 3);
  task.stop("test");
}

TEST_CASE("disk health task: an unreadable disk costs one log line a day, however often it is read") {
  boost::asio::io_context io;
  itsa::config::AgentConfig config;
  Sink sink;
  itsa::ManualClock clock;
  itsa::agent::TaskContext ctx{io, config, sink, clock};
  auto reader = [](const dh::HealthLimits&) {
    return std::vector<dh::DiskHealth>{dh::unknown_disk("/dev/vda", dh::refused_reason("/dev/vda", "ENOTTY"))};
  };
  // Read every hour (a shorter `every` than a day): 30 readings, 2 log lines.
  itsa::agent::DiskHealthTask task({}, reader, std::chrono::seconds(0), std::chrono::hours(1));
  task.start(ctx);
  io.run_for(20ms);
  for (int h = 0; h < 29; ++h) {
    clock.advance(1h);
    io.restart();
    io.run_for(10ms);
  }
  task.stop("test");
  CHECK(sink.records.size() == 30);
  CHECK(task.unreadable_log_lines() == 2);  // hour 0 and hour 24
}

TEST_CASE("disk health payload: growth only for the same disk (serial and model)") {
  dh::HealthLimits limits;
  json previous = {{"disks", json::array({dh::to_json(ata_disk(3, 100, limits))})}};
  auto other = ata_disk(9, 100, limits);
  other.serial = "ANOTHER-SERIAL";  // a replaced disk on the same port
  json p = itsa::agent::disk_health_payload({other}, limits, &previous, "2026-11-26T08:00:00Z");
  CHECK(p["disks"][0]["verdict"] == "worn");
  p = itsa::agent::disk_health_payload({ata_disk(9, 100, limits)}, limits, &previous, "2026-11-26T08:00:00Z");
  CHECK(p["disks"][0]["verdict"] == "failing");
  CHECK(p["disks"][0]["reasons"][0]["en"].get<std::string>().find("2026-11-26T08:00:00Z") != std::string::npos);
  p = itsa::agent::disk_health_payload({ata_disk(3, 100, limits)}, limits, &previous, "x");
  CHECK(p["disks"][0]["verdict"] == "worn");
}

#ifndef _WIN32
TEST_CASE("disk health task live: this machine's disks and a file that refuses the ioctl; the task keeps running") {
  boost::asio::io_context io;
  itsa::config::AgentConfig config;
  Sink sink;
  itsa::ManualClock clock;
  itsa::agent::TaskContext ctx{io, config, sink, clock};
  const auto fake = itsa::test::temp_dir() / "sdz";
  { std::ofstream(fake) << std::string(4096, '\0'); }
  auto reader = [&](const dh::HealthLimits& l) {
    auto disks = dh::read_all_disks(l);
    disks.push_back(dh::read_device(fake.string(), l));
    return disks;
  };
  itsa::agent::DiskHealthTask task({}, reader, std::chrono::seconds(0), std::chrono::hours(24));
  task.start(ctx);
  io.run_for(50ms);
  clock.advance(25h);
  io.restart();
  io.run_for(50ms);
  task.stop("test");
  REQUIRE(sink.records.size() == 2);  // the task went on after unreadable disks
  for (const auto& [type, payload] : sink.records) {
    const json& disks = payload["disks"];
    REQUIRE_FALSE(disks.empty());
    CHECK(disks.back()["device"] == fake.string());
    CHECK(disks.back()["verdict"] == "unknown");
    CHECK(disks.back()["reasons"][0]["code"] == "not_supported");
    for (const auto& d : disks) {
      CAPTURE(d.dump());
      if (d["device"].get<std::string>().rfind("/dev/vd", 0) == 0) {
        CHECK(d["verdict"] == "unknown");
        CHECK(d["reasons"][0]["code"] == "no_smart_virtual");
      }
    }
  }
}
#endif
