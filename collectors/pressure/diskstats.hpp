#pragma once
// The system disk's busy time on Linux, parsed from the text of /proc/self/mountinfo and
// /proc/diskstats (reading the files is pressure_linux.cpp's job). Portable and pure, so the
// tests run it on captured text.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace itsa::collectors::diskstats {

/// The block device a mount comes from: "major:minor" (0:N for btrfs/overlay, whose device
/// number is anonymous) and its mount source ("/dev/sda2", "/dev/mapper/vg-root", "/dev/root").
struct MountDevice {
  unsigned major = 0;
  unsigned minor = 0;
  std::string source;
};

/// The device of the mount at `mount_point` (the last such line: the one on top) in a
/// /proc/self/mountinfo text.
Result<MountDevice> mount_device(std::string_view mountinfo, std::string_view mount_point = "/");

/// The whole-disk name in a /proc/diskstats text holding `dev`: a partition resolves to the
/// listed disk it belongs to (sda2 → sda, nvme0n1p2 → nvme0n1, mmcblk0p1 → mmcblk0); a whole
/// disk or a device-mapper/LVM device (dm-0) is itself. Found by major:minor, else by the
/// source's name (/dev/sda2 → sda2); /dev/mapper names and /dev/root are found only by number.
Result<std::string> system_disk(std::string_view diskstats, const MountDevice& dev);

/// Field 10 of `device`'s line (io_ticks: ms the device had I/O in flight, cumulative).
Result<std::uint64_t> io_ticks_ms(std::string_view diskstats, std::string_view device);

/// Busy share (0..100) of an interval from two readings of a cumulative busy counter and a
/// clock in the same unit; nullopt when the clock did not move or a counter went backwards.
std::optional<double> busy_pct(std::uint64_t busy_before, std::uint64_t busy_after, std::uint64_t clock_before,
                               std::uint64_t clock_after);

}  // namespace itsa::collectors::diskstats
