#pragma once
// A network interface's physical-layer state as read at one instant (sysfs + ethtool on
// Linux, MIB_IF_ROW2 + NDIS OIDs on Windows). Plain data, filled by the platform readers.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace itsa::network {

/// Error/drop counters since the driver loaded (totals; the tracker makes deltas).
struct LinkCounters {
  std::uint64_t rx_errors = 0;
  std::uint64_t tx_errors = 0;
  std::optional<std::uint64_t> rx_crc_errors;    ///< nullopt: the driver gives none (null in link_minute)
  std::optional<std::uint64_t> rx_frame_errors;  ///< alignment errors; nullopt as rx_crc_errors
  std::uint64_t rx_dropped = 0;
  std::uint64_t tx_dropped = 0;
};

struct LinkSnapshot {
  std::string interface;
  bool carrier = false;                                ///< link detected (cable in, peer up)
  bool admin_up = true;                                ///< enabled by the user/admin (Linux IFF_UP)
  std::optional<int> speed_mbps;                       ///< negotiated; empty when unknown/no carrier
  std::optional<int> max_speed_mbps;                   ///< fastest mode the NIC supports
  std::string duplex;                                  ///< "full", "half" or "" (unknown)
  std::optional<std::uint64_t> carrier_changes_total;  ///< kernel's transition counter
  LinkCounters counters;
  bool wireless = false;
  std::optional<int> signal_dbm;  ///< Wi-Fi signal level
  /// Why a field is unknown (a Windows driver without an NDIS OID, ...): shown by `itsa-agent links`.
  std::vector<std::string> notes = {};
};

}  // namespace itsa::network
