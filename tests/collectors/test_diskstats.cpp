// System disk busy time: the /proc/self/mountinfo and /proc/diskstats parsers on this VM's
// captured files and a hand-written sample (tests/fixtures/pressure/PROVENANCE.md), and the
// busy-% math on explicit counter readings.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "collectors/pressure/diskstats.hpp"
#include "tests/support/temp_dir.hpp"

namespace ds = itsa::collectors::diskstats;

namespace {

std::string fixture_text(const char* name) {
  std::ifstream in(itsa::test::fixture(std::string("pressure/") + name), std::ios::binary);
  REQUIRE_MESSAGE(in, name);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The disk a mountinfo line for "/" on major:minor (source) resolves to in the hand sample.
std::string disk_of(const std::string& stats, const std::string& devno, const std::string& source) {
  const std::string mountinfo =
      "22 27 0:21 / /proc rw,relatime - proc proc rw\n"
      "27 1 " +
      devno + " / / rw,relatime shared:1 - ext4 " + source + " rw\n";
  auto dev = ds::mount_device(mountinfo);
  REQUIRE(dev);
  auto disk = ds::system_disk(stats, dev.value());
  REQUIRE_MESSAGE(disk, disk.error().message);
  return disk.value();
}

}  // namespace

TEST_CASE("diskstats: this VM's captured files give vda and its io_ticks") {
  const auto stats = fixture_text("vm-virtio.diskstats");
  auto dev = ds::mount_device(fixture_text("vm-virtio.mountinfo"));
  REQUIRE(dev);
  CHECK(dev.value().major == 254);
  CHECK(dev.value().minor == 0);
  CHECK(dev.value().source == "/dev/vda");
  auto disk = ds::system_disk(stats, dev.value());
  REQUIRE(disk);
  CHECK(disk.value() == "vda");
  auto ticks = ds::io_ticks_ms(stats, "vda");
  REQUIRE(ticks);
  CHECK(ticks.value() == 545152);  // field 10 of the captured vda line
  auto zram = ds::io_ticks_ms(stats, "zram0");
  REQUIRE(zram);
  CHECK(zram.value() == 0);
}

TEST_CASE("diskstats: partitions resolve to their disk, dm devices to themselves") {
  const auto stats = fixture_text("hand-sample.diskstats");
  CHECK(disk_of(stats, "8:2", "/dev/sda2") == "sda");
  CHECK(disk_of(stats, "8:1", "/dev/sda1") == "sda");
  CHECK(disk_of(stats, "8:0", "/dev/sda") == "sda");
  CHECK(disk_of(stats, "259:2", "/dev/nvme0n1p2") == "nvme0n1");
  CHECK(disk_of(stats, "179:1", "/dev/mmcblk0p1") == "mmcblk0");
  CHECK(disk_of(stats, "253:0", "/dev/mapper/vg-root") == "dm-0");  // LVM: the dm device's own line
  CHECK(disk_of(stats, "8:16", "/dev/root") == "sdb");
  // btrfs: an anonymous device number; the source's name finds the partition.
  CHECK(disk_of(stats, "0:31", "/dev/nvme0n1p2") == "nvme0n1");

  CHECK(ds::io_ticks_ms(stats, "sda").value() == 87654);
  CHECK(ds::io_ticks_ms(stats, "nvme0n1").value() == 456789);
  CHECK(ds::io_ticks_ms(stats, "dm-0").value() == 460000);
  CHECK(ds::io_ticks_ms(stats, "mmcblk0").value() == 480);  // a 14-column line (kernels before 4.18)
}

TEST_CASE("diskstats: what cannot be resolved or read is an error naming it") {
  const auto stats = fixture_text("hand-sample.diskstats");
  // btrfs on a mapper device: neither the number nor the name is in /proc/diskstats.
  auto dev = ds::mount_device("27 1 0:31 / / rw - btrfs /dev/mapper/luks-1 rw\n");
  REQUIRE(dev);
  auto disk = ds::system_disk(stats, dev.value());
  REQUIRE_FALSE(disk);
  CHECK(disk.error().message.find("0:31") != std::string::npos);
  CHECK(disk.error().message.find("/dev/mapper/luks-1") != std::string::npos);

  auto none = ds::mount_device("22 27 0:21 / /proc rw,relatime - proc proc rw\n");
  REQUIRE_FALSE(none);
  CHECK(none.error().message.find("no mount at /") != std::string::npos);
  CHECK_FALSE(ds::mount_device(""));

  auto missing = ds::io_ticks_ms(stats, "sdz");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message.find("sdz") != std::string::npos);
  auto short_line = ds::io_ticks_ms("   8 0 sda 1 2 3 4\n", "sda");
  REQUIRE_FALSE(short_line);
  CHECK(short_line.error().message.find("4 counters") != std::string::npos);
  auto garbage = ds::io_ticks_ms("   8 0 sda 1 2 3 4 5 6 7 8 9 x10 11\n", "sda");
  REQUIRE_FALSE(garbage);
  CHECK(garbage.error().message.find("not a number") != std::string::npos);
  // Cut at every byte: never a crash, never a value from a damaged line but the whole one.
  for (std::size_t n = 0; n <= stats.size(); ++n) {
    const auto cut = std::string_view(stats).substr(0, n);
    (void)ds::io_ticks_ms(cut, "sda");
    (void)ds::system_disk(cut, ds::MountDevice{8, 2, "/dev/sda2"});
  }
  const auto mountinfo = fixture_text("vm-virtio.mountinfo");
  for (std::size_t n = 0; n <= mountinfo.size(); ++n) (void)ds::mount_device(std::string_view(mountinfo).substr(0, n));
}

TEST_CASE("diskstats: the mount on top wins when / is mounted twice") {
  auto dev = ds::mount_device(
      "1 0 8:2 / / rw - ext4 /dev/sda2 rw\n"
      "30 1 253:0 / / rw - ext4 /dev/mapper/vg-root rw\n");
  REQUIRE(dev);
  CHECK(dev.value().major == 253);
  CHECK(dev.value().source == "/dev/mapper/vg-root");
}

TEST_CASE("diskstats: busy % from explicit readings") {
  // 3 s of I/O in 10 s.
  CHECK(ds::busy_pct(1000, 4000, 50'000, 60'000).value() == doctest::Approx(30.0));
  CHECK(ds::busy_pct(0, 0, 0, 10'000).value() == 0.0);
  // io_ticks can run ahead of the clock by a jiffy: clamped.
  CHECK(ds::busy_pct(0, 10'004, 0, 10'000).value() == 100.0);
  CHECK_FALSE(ds::busy_pct(5000, 100, 0, 10'000));    // counter reset
  CHECK_FALSE(ds::busy_pct(0, 100, 10'000, 10'000));  // no time passed
  CHECK_FALSE(ds::busy_pct(0, 100, 10'000, 9'000));   // clock backwards
}
