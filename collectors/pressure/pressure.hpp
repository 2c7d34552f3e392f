#pragma once
// Resource pressure: a low-cost sampler driven by the caller (every pressure.interval_s)
// that folds samples into per-minute aggregates, the `pressure_minute` payload of
// docs/protocol.md. The OS counters come from a PressureSource (Linux /proc, Windows APIs).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/result.hpp"

namespace itsa::collectors {

/// Raw OS counters at one instant. Cumulative counters are turned into rates by the sampler.
struct PressureCounters {
  std::optional<std::uint64_t> cpu_total_ticks;  ///< all CPU time (any unit, cumulative)
  std::optional<std::uint64_t> cpu_idle_ticks;   ///< idle + iowait time, same unit
  std::optional<double> mem_used_pct;            ///< memory in use (total − available) / total
  std::optional<double> swap_used_pct;           ///< swap/pagefile in use; nullopt when there is none
  std::optional<double> system_disk_free_pct;    ///< free space of the OS file system
  std::optional<std::uint64_t> psi_cpu_some_us;  ///< Linux PSI "some" totals (µs, cumulative)
  std::optional<std::uint64_t> psi_mem_some_us;
  std::optional<std::uint64_t> psi_io_some_us;
  std::optional<std::uint64_t> disk_busy_us;   ///< system disk busy (I/O in flight) time, µs, cumulative
  std::optional<std::uint64_t> disk_clock_us;  ///< the disk counters' own clock (µs; Windows QueryTime);
                                               ///< nullopt: the sampler's monotonic clock
};

/// Where the counters come from.
class PressureSource {
 public:
  virtual ~PressureSource() = default;
  /// Reads the counters now; fields that cannot be read stay nullopt.
  virtual PressureCounters read() = 0;
};

/// The platform source: Linux reads <root>/proc/stat, /proc/meminfo, /proc/pressure/*,
/// /proc/diskstats (the disk of <root>/proc/self/mountinfo's "/") and the free space of
/// <root>; Windows uses GetSystemTimes, GlobalMemoryStatusEx and the system drive (free space,
/// IOCTL_DISK_PERFORMANCE of its physical drive; root ignored).
std::unique_ptr<PressureSource> make_pressure_source(const std::filesystem::path& root = "/");

/// Folds samples into minutes. Not thread-safe; one owner calls sample().
class PressureSampler {
 public:
  PressureSampler(PressureSource& source, const Clock& clock);
  /// Takes one sample; when it starts a new minute, the previous minute becomes available
  /// from take_completed().
  void sample();
  /// The finished minutes since the last call (oldest first).
  std::vector<nlohmann::json> take_completed();
  /// The current, unfinished minute's aggregate (for a stop); nullopt when it is empty.
  std::optional<nlohmann::json> flush();

 private:
  // Running sums for one minute.
  struct Minute {
    UtcTime start;
    int samples = 0;
    double cpu_sum = 0, cpu_max = 0;
    int cpu_n = 0, cpu_over_90 = 0;
    double mem_sum = 0;
    int mem_n = 0, mem_over_90 = 0;
    double swap_sum = 0;
    int swap_n = 0;
    std::optional<double> disk_free_pct;
    double psi_sum[3] = {0, 0, 0};
    int psi_n[3] = {0, 0, 0};
    double disk_busy_us = 0, disk_elapsed_us = 0;  // the system disk: busy share weighted by interval
  };
  nlohmann::json finish(const Minute& m) const;

  PressureSource& m_source;
  const Clock& m_clock;
  std::optional<PressureCounters> m_prev;
  MonoTime m_prev_mono{};
  std::optional<Minute> m_minute;
  std::vector<nlohmann::json> m_completed;
};

}  // namespace itsa::collectors
