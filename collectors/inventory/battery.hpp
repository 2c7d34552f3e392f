#pragma once
// The portable half of the Windows battery reader (system_windows.cpp): the BATTERY_INFORMATION
// structure IOCTL_BATTERY_QUERY_INFORMATION returns (batclass.h; Windows 2000 and later), parsed
// from its bytes so it is tested on any host.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "common/result.hpp"

namespace itsa::collectors::battery {

/// sizeof(BATTERY_INFORMATION): Capabilities, Technology, Reserved[3], Chemistry[4],
/// DesignedCapacity, FullChargedCapacity, DefaultAlert1, DefaultAlert2, CriticalBias, CycleCount.
inline constexpr std::size_t k_battery_information_size = 36;

/// One battery's wear facts.
struct BatteryInformation {
  bool system_battery = false;              ///< BATTERY_SYSTEM_BATTERY (not a UPS)
  bool relative = false;                    ///< BATTERY_CAPACITY_RELATIVE: capacities are not mWh
  std::string chemistry;                    ///< "LION", "LiP ", "PbAc", … (printable ASCII only)
  std::optional<std::uint32_t> design_mwh;  ///< null when unknown (0, BATTERY_UNKNOWN_CAPACITY) or relative
  std::optional<std::uint32_t> full_mwh;
  std::optional<std::uint32_t> cycle_count;  ///< null when 0 (batteries that do not count report 0)
};

/// Parses BATTERY_INFORMATION (little-endian, as Windows returns it); an error when fewer than
/// k_battery_information_size bytes are given.
Result<BatteryInformation> parse_battery_information(const std::uint8_t* data, std::size_t size);

}  // namespace itsa::collectors::battery
