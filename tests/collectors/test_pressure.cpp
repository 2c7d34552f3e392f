// Pressure sampler: per-minute aggregation driven by a ManualClock over a /proc tree the
// test rewrites between samples, and the Linux source on the live host.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "collectors/pressure/diskstats.hpp"
#include "collectors/pressure/pressure.hpp"
#include "common/minute_series.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

void write(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << content;
}

// A /proc whose counters the test moves: `busy` and `idle` ticks, memory available kB,
// PSI cpu total µs.
struct FakeProc {
  fs::path root = itsa::test::temp_dir() / "root";
  std::uint64_t busy = 0, idle = 0;
  void set(std::uint64_t mem_avail_kb, std::uint64_t psi_cpu_us, bool with_psi = true) {
    write(root / "proc/stat",
          "cpu  " + std::to_string(busy) + " 0 0 " + std::to_string(idle) + " 0 0 0 0 0 0\ncpu0 1 2 3 4\n");
    write(root / "proc/meminfo", "MemTotal: 1000 kB\nMemFree: 10 kB\nMemAvailable: " + std::to_string(mem_avail_kb) +
                                     " kB\nSwapTotal: 200 kB\nSwapFree: 150 kB\n");
    if (with_psi)
      write(root / "proc/pressure/cpu", "some avg10=0.00 avg60=0.00 avg300=0.00 total=" + std::to_string(psi_cpu_us) +
                                            "\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
  }
};

}  // namespace

TEST_CASE("pressure: six samples a minute become one pressure_minute") {
  FakeProc proc;
  itsa::ManualClock clock(itsa::UtcTime{std::chrono::seconds{1'795'000'020}});  // hh:mm:00 + 0 s? (see minute below)
  clock.jump_utc(-std::chrono::duration_cast<std::chrono::seconds>(clock.utc_now().time_since_epoch() % 60s));
  auto source = itsa::collectors::make_pressure_source(proc.root);
  itsa::collectors::PressureSampler sampler(*source, clock);
  std::uint64_t psi = 0;
  proc.set(500, psi);
  sampler.sample();  // first sample: no CPU delta yet
  for (int i = 1; i < 6; ++i) {
    clock.advance(10s);
    // 95 % busy in the odd intervals, 50 % in the even ones.
    const bool hot = i % 2 == 1;
    proc.busy += hot ? 95 : 50;
    proc.idle += hot ? 5 : 50;
    psi += 2'000'000;  // 2 s stalled per 10 s = 20 %
    proc.set(hot ? 50 : 500, psi);
    sampler.sample();
  }
  CHECK(sampler.take_completed().empty());
  clock.advance(10s);  // next minute
  proc.busy += 10;
  proc.idle += 90;
  psi += 1'000'000;
  proc.set(500, psi);
  sampler.sample();
  auto done = sampler.take_completed();
  REQUIRE(done.size() == 1);
  const json m = done[0];
  CHECK(m["samples"] == 6);
  CHECK(m["cpu_samples"] == 5);
  CHECK(m["cpu_busy_pct"].get<double>() == doctest::Approx((95.0 * 3 + 50.0 * 2) / 5).epsilon(0.01));
  CHECK(m["cpu_busy_max_pct"] == 95.0);
  CHECK(m["cpu_over_90_samples"] == 3);
  CHECK(m["mem_used_pct"].get<double>() == doctest::Approx((50.0 * 3 + 95.0 * 3) / 6).epsilon(0.01));
  CHECK(m["mem_over_90_samples"] == 3);
  CHECK(m["swap_used_pct"] == 25.0);
  CHECK(m["psi_cpu_some_avg"] == 20.0);
  CHECK(m["psi_mem_some_avg"].is_null());  // no /proc/pressure/memory in the tree
  CHECK(m["system_disk_free_pct"].is_number());
  for (const char* k : {"minute", "samples", "cpu_busy_pct", "mem_used_pct", "swap_used_pct", "system_disk_free_pct",
                        "psi_cpu_some_avg", "psi_mem_some_avg", "psi_io_some_avg", "disk_busy_pct"})
    CHECK_MESSAGE(m.contains(k), k);
  CHECK(m["minute"].get<std::string>().substr(17, 2) == "00");
  // The partial minute comes out on flush, then nothing more.
  auto partial = sampler.flush();
  REQUIRE(partial);
  CHECK((*partial)["samples"] == 1);
  CHECK((*partial)["cpu_busy_pct"] == 10.0);
  CHECK_FALSE(sampler.flush());
}

TEST_CASE("pressure: unreadable /proc gives nulls, counters going backwards are ignored") {
  FakeProc proc;
  itsa::ManualClock clock;
  auto source = itsa::collectors::make_pressure_source(proc.root / "missing");
  itsa::collectors::PressureSampler sampler(*source, clock);
  sampler.sample();
  clock.advance(10s);
  sampler.sample();
  auto m = sampler.flush();
  REQUIRE(m);
  CHECK((*m)["cpu_busy_pct"].is_null());
  CHECK((*m)["mem_used_pct"].is_null());
  CHECK((*m)["psi_io_some_avg"].is_null());

  auto real = itsa::collectors::make_pressure_source(proc.root);
  itsa::collectors::PressureSampler s2(*real, clock);
  proc.busy = 1000;
  proc.idle = 1000;
  proc.set(500, 100);
  s2.sample();
  clock.advance(10s);
  proc.busy = 10;  // counter reset (e.g. a restored VM)
  proc.set(500, 50);
  s2.sample();
  auto m2 = s2.flush();
  REQUIRE(m2);
  CHECK((*m2)["cpu_busy_pct"].is_null());
  CHECK((*m2)["psi_cpu_some_avg"].is_null());
}

TEST_CASE("pressure: the live host gives plausible values") {
  auto source = itsa::collectors::make_pressure_source("/");
  const auto c = source->read();
  REQUIRE(c.cpu_total_ticks);
  REQUIRE(c.mem_used_pct);
  CHECK(*c.mem_used_pct > 0.0);
  CHECK(*c.mem_used_pct < 100.0);
  REQUIRE(c.system_disk_free_pct);
  CHECK(*c.system_disk_free_pct >= 0.0);
  // The disk's busy counter is there whenever the parsers find the disk of "/" (on this VM,
  // vda; in a container on overlayfs, none) and it never goes backwards.
  namespace ds = itsa::collectors::diskstats;
  const auto text = [](const char* p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  const auto dev = ds::mount_device(text("/proc/self/mountinfo"));
  if (dev && ds::system_disk(text("/proc/diskstats"), dev.value())) {
    REQUIRE(c.disk_busy_us);
    const auto again = source->read();
    REQUIRE(again.disk_busy_us);
    CHECK(*again.disk_busy_us >= *c.disk_busy_us);
  } else {
    MESSAGE("the disk of / is not in /proc/diskstats here: disk_busy_pct is null");
  }
}

TEST_CASE("pressure: system disk busy % from io_ticks over the monotonic clock, weighted by interval") {
  FakeProc proc;
  write(proc.root / "proc/self/mountinfo", "27 1 259:2 / / rw,relatime - ext4 /dev/nvme0n1p2 rw\n");
  auto stats = [&](std::uint64_t disk_ticks_ms) {
    write(proc.root / "proc/diskstats", " 259 0 nvme0n1 1 0 8 0 0 0 0 0 0 " + std::to_string(disk_ticks_ms) +
                                            " 0 0 0 0 0 0 0\n 259 2 nvme0n1p2 1 0 8 0 0 0 0 0 0 7 0 0 0 0 0 0 0\n");
  };
  itsa::ManualClock clock(itsa::UtcTime{std::chrono::seconds{1'795'000'020}});
  clock.jump_utc(-std::chrono::duration_cast<std::chrono::seconds>(clock.utc_now().time_since_epoch() % 60s));
  auto source = itsa::collectors::make_pressure_source(proc.root);
  itsa::collectors::PressureSampler sampler(*source, clock);
  proc.set(500, 0);
  std::uint64_t ticks = 1'000'000;
  stats(ticks);
  sampler.sample();
  clock.advance(10s);
  stats(ticks += 10'000);  // 100 % of 10 s
  sampler.sample();
  clock.advance(30s);
  stats(ticks += 6'000);  // 20 % of 30 s
  sampler.sample();
  clock.advance(10s);
  stats(ticks += 10'500);  // a jiffy ahead of the clock: 100 %
  sampler.sample();
  auto m = sampler.flush();
  REQUIRE(m);
  // (10 + 6 + 10) s busy in 50 s.
  CHECK((*m)["disk_busy_pct"] == 52.0);

  // A counter going backwards (a disk re-attached) gives no value for that interval; no
  // diskstats at all gives null.
  clock.advance(10s);
  stats(5);
  sampler.sample();
  auto m2 = sampler.flush();
  REQUIRE(m2);
  CHECK((*m2)["disk_busy_pct"].is_null());
  // Carried in a minute series as one column like every other field.
  auto series = itsa::series::OpenSeries::start(itsa::series::pressure_minute_type, clock.utc_now(), *m, 15);
  REQUIRE(series);
  REQUIRE(series->extends(*m2, 15));
  series->add(clock.utc_now(), *m2);
  CHECK(series->payload["disk_busy_pct"] == json({52.0, nullptr}));
  const auto back = itsa::series::expand(series->payload);
  REQUIRE(back.size() == 2);
  CHECK(back[0]["disk_busy_pct"] == 52.0);
  CHECK(back[1]["disk_busy_pct"].is_null());
  std::filesystem::remove(proc.root / "proc/diskstats");
  clock.advance(10s);
  sampler.sample();
  clock.advance(10s);
  sampler.sample();
  auto m3 = sampler.flush();
  REQUIRE(m3);
  CHECK((*m3)["disk_busy_pct"].is_null());
}

TEST_CASE("pressure: a root on no listed disk (overlayfs) is looked up once and stays null") {
  FakeProc proc;
  write(proc.root / "proc/self/mountinfo", "27 1 0:45 / / rw,relatime - overlay overlay rw,lowerdir=/a\n");
  write(proc.root / "proc/diskstats", " 254 0 vda 1 0 8 0 0 0 0 0 0 100 0 0 0 0 0 0 0\n");
  auto source = itsa::collectors::make_pressure_source(proc.root);
  CHECK_FALSE(source->read().disk_busy_us);
  // Even once the mount is on a listed disk, the first answer stands.
  write(proc.root / "proc/self/mountinfo", "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n");
  CHECK_FALSE(source->read().disk_busy_us);
  auto fresh = itsa::collectors::make_pressure_source(proc.root);
  REQUIRE(fresh->read().disk_busy_us);
  CHECK(*fresh->read().disk_busy_us == 100'000);
}

TEST_CASE("pressure: the disk counters' own clock is used when the source has one") {
  struct Fake final : itsa::collectors::PressureSource {
    std::uint64_t busy_us = 0, clock_us = 0;
    itsa::collectors::PressureCounters read() override {
      itsa::collectors::PressureCounters c;
      c.disk_busy_us = busy_us;
      c.disk_clock_us = clock_us;
      return c;
    }
  } fake;
  itsa::ManualClock clock;
  itsa::collectors::PressureSampler sampler(fake, clock);
  sampler.sample();
  clock.advance(10s);  // the monotonic clock says 10 s; the disk's clock says 4 s, 1 s of it busy
  fake.busy_us += 1'000'000;
  fake.clock_us += 4'000'000;
  sampler.sample();
  auto m = sampler.flush();
  REQUIRE(m);
  CHECK((*m)["disk_busy_pct"] == 25.0);
}
