#pragma once
// CPU thermal throttling counts since boot, for the inventory's `cpu.thermal_throttle`
// (docs/inventory.md). Linux: the kernel's Intel thermal-interrupt counters,
// /sys/devices/system/cpu/cpu*/thermal_throttle/{core,package}_throttle_count (and, Linux 5.18+,
// *_throttle_total_time_ms), one set per logical CPU, deduplicated by core and package
// (topology/core_id, physical_package_id). Windows keeps no such count: null with a note
// (throttle_windows.cpp). Reading the tree is portable (a root folder; tested on captured trees in
// tests/fixtures/thermal/); throttle_linux.cpp reads the live one.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace itsa::collectors::thermal {

/// The counters of one logical CPU (null where the file is absent or unreadable).
struct CpuThrottle {
  int cpu = 0;
  std::optional<int> package_id;
  std::optional<int> core_id;
  std::optional<std::uint64_t> core_count;
  std::optional<std::uint64_t> package_count;
  std::optional<std::uint64_t> core_time_ms;
  std::optional<std::uint64_t> package_time_ms;
};

/// The cpuN folders of `cpu_dir` (a /sys/devices/system/cpu) that have a thermal_throttle
/// folder, in CPU order; empty when none has.
std::vector<CpuThrottle> read_throttle_tree(const std::filesystem::path& cpu_dir);

/// {"core_events", "package_events", "core_time_ms", "package_time_ms", "cpus"}: core counts summed
/// over physical cores (the largest of a core's threads: each thread counts its core's events),
/// package counts summed over packages (the largest of a package's CPUs); times likewise, null
/// where the kernel does not keep them; cpus = logical CPUs read. Null (and a note) when `cpus` is
/// empty.
nlohmann::json summarize_throttle(const std::vector<CpuThrottle>& cpus, std::vector<std::string>& notes);

/// The live counts (platform file): Linux reads `root`/sys/devices/system/cpu; Windows gives null
/// with a note.
nlohmann::json read_thermal_throttle(const std::filesystem::path& root, std::vector<std::string>& notes);

}  // namespace itsa::collectors::thermal
