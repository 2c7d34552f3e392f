// BATTERY_INFORMATION from its bytes (see battery.hpp).
#include "collectors/inventory/battery.hpp"

#include <fmt/format.h>

namespace itsa::collectors::battery {
namespace {

constexpr std::uint32_t k_system_battery = 0x80000000;     // BATTERY_SYSTEM_BATTERY
constexpr std::uint32_t k_capacity_relative = 0x40000000;  // BATTERY_CAPACITY_RELATIVE
constexpr std::uint32_t k_unknown_capacity = 0xFFFFFFFF;   // BATTERY_UNKNOWN_CAPACITY

std::uint32_t u32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

std::optional<std::uint32_t> capacity(std::uint32_t v) {
  if (v == 0 || v == k_unknown_capacity) return std::nullopt;
  return v;
}

}  // namespace

Result<BatteryInformation> parse_battery_information(const std::uint8_t* data, std::size_t size) {
  if (data == nullptr || size < k_battery_information_size)
    return Error{fmt::format("BATTERY_INFORMATION too short: {} bytes, {} expected", size, k_battery_information_size)};
  BatteryInformation b;
  const std::uint32_t caps = u32(data);
  b.system_battery = (caps & k_system_battery) != 0;
  b.relative = (caps & k_capacity_relative) != 0;
  for (std::size_t i = 8; i < 12; ++i)
    if (data[i] >= 0x20 && data[i] < 0x7F) b.chemistry += static_cast<char>(data[i]);
  if (!b.relative) {
    b.design_mwh = capacity(u32(data + 12));
    b.full_mwh = capacity(u32(data + 16));
  }
  if (const std::uint32_t cycles = u32(data + 32); cycles != 0) b.cycle_count = cycles;
  return b;
}

}  // namespace itsa::collectors::battery
