// NVMe SMART / Health Information log (log page 02h) and Identify Controller (CNS 01h),
// decoded from the NVMe Base Specification's byte offsets (little-endian; 128-bit counters).
#include <fmt/format.h>

#include <limits>

#include "collectors/disk_health/disk_health.hpp"

namespace itsa::collectors::disk_health {
namespace {

std::uint64_t le(ByteView b, std::size_t at, std::size_t bytes) {
  std::uint64_t v = 0;
  for (std::size_t i = bytes; i-- > 0;) v = (v << 8) | b[at + i];
  return v;
}

/// A 128-bit counter as int64 (saturated: no real drive gets near 2^63).
std::int64_t counter128(ByteView b, std::size_t at) {
  const std::uint64_t lo = le(b, at, 8);
  const std::uint64_t hi = le(b, at + 8, 8);
  constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (hi != 0 || lo > max) return std::numeric_limits<std::int64_t>::max();
  return static_cast<std::int64_t>(lo);
}

std::optional<std::string> ascii(ByteView b, std::size_t at, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += (b[at + i] >= 0x20 && b[at + i] < 0x7F) ? static_cast<char>(b[at + i]) : ' ';
  const auto first = s.find_first_not_of(' ');
  if (first == std::string::npos) return std::nullopt;
  return s.substr(first, s.find_last_not_of(' ') - first + 1);
}

}  // namespace

Result<DiskHealth> decode_nvme(ByteView log, ByteView identify) {
  if (log.size() < k_nvme_log_bytes)
    return Error{fmt::format("NVMe SMART/Health log truncated: {} of {} bytes", log.size(), k_nvme_log_bytes)};
  DiskHealth d;
  d.kind = "nvme";
  d.ssd = true;
  d.critical_warning = log[0];
  const auto kelvin = static_cast<std::int64_t>(le(log, 1, 2));
  if (kelvin > 0) d.temperature_c = kelvin - 273;
  d.available_spare_pct = log[3];
  d.available_spare_threshold_pct = log[4];
  d.wear_pct = log[5];  // percentage used: may exceed 100 (up to 255) past the rated endurance
  d.power_on_hours = counter128(log, 128);
  d.unsafe_shutdowns = counter128(log, 144);
  d.media_errors = counter128(log, 160);
  if (!identify.empty()) {
    if (identify.size() < k_nvme_ident_bytes) {
      d.notes.push_back(fmt::format("NVMe Identify Controller truncated: {} of {} bytes; model unknown",
                                    identify.size(), k_nvme_ident_bytes));
    } else {
      d.serial = ascii(identify, 4, 20);
      d.model = ascii(identify, 24, 40);
      d.firmware = ascii(identify, 64, 8);
    }
  }
  return d;
}

}  // namespace itsa::collectors::disk_health
