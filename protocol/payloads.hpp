#pragma once
// Payload keys of the records that cross the wire (docs/protocol.md), written once, and the
// struct of the probe settings an outage carries in its evidence. JSON objects keep their keys
// sorted, so building a payload from these names gives the same bytes as before.
#include <nlohmann/json.hpp>

namespace itsa::protocol {

/// inventory.memory (docs/inventory.md) and its modules.
namespace memory_key {
inline constexpr char memory[] = "memory";
inline constexpr char installed_bytes[] = "installed_bytes";  ///< sum of the SMBIOS modules
inline constexpr char total_bytes[] = "total_bytes";          ///< usable memory the OS sees
inline constexpr char slots_total[] = "slots_total";
inline constexpr char slots_used[] = "slots_used";
inline constexpr char max_capacity_bytes[] = "max_capacity_bytes";  ///< SMBIOS type 16, system-memory arrays
inline constexpr char modules[] = "modules";
inline constexpr char size_bytes[] = "size_bytes";  ///< of one module (and of a disk)
inline constexpr char type[] = "type";
inline constexpr char speed_mts[] = "speed_mts";
inline constexpr char rated_speed_mts[] = "rated_speed_mts";
inline constexpr char locator[] = "locator";
inline constexpr char bank[] = "bank";
inline constexpr char manufacturer[] = "manufacturer";
inline constexpr char part_number[] = "part_number";
inline constexpr char serial[] = "serial";
}  // namespace memory_key

/// outage.evidence.
namespace evidence_key {
inline constexpr char evidence[] = "evidence";
inline constexpr char first_round[] = "first_round";
inline constexpr char confirming_round[] = "confirming_round";
inline constexpr char failed_rounds[] = "failed_rounds";
inline constexpr char probe_interval_s[] = "probe_interval_s";
inline constexpr char down_after[] = "down_after";
inline constexpr char up_after[] = "up_after";
}  // namespace evidence_key

/// link_minute fields (besides "minute").
namespace link_minute_key {
inline constexpr char iface[] = "interface";  ///< the series key ("interface" is a macro in Windows headers)
inline constexpr char carrier[] = "carrier";
inline constexpr char speed_mbps[] = "speed_mbps";
inline constexpr char max_speed_mbps[] = "max_speed_mbps";
inline constexpr char duplex[] = "duplex";
inline constexpr char flaps[] = "flaps";
inline constexpr char rx_errors[] = "rx_errors";
inline constexpr char tx_errors[] = "tx_errors";
inline constexpr char rx_crc_errors[] = "rx_crc_errors";
inline constexpr char rx_frame_errors[] = "rx_frame_errors";
inline constexpr char rx_dropped[] = "rx_dropped";
inline constexpr char tx_dropped[] = "tx_dropped";
inline constexpr char signal_dbm[] = "signal_dbm";  ///< wireless links only
}  // namespace link_minute_key

/// probe_minute fields (besides "minute").
namespace probe_minute_key {
inline constexpr char target[] = "target";  ///< the series key
inline constexpr char layer[] = "layer";
inline constexpr char sent[] = "sent";
inline constexpr char lost[] = "lost";
inline constexpr char rtt_p50_ms[] = "rtt_p50_ms";
inline constexpr char rtt_p95_ms[] = "rtt_p95_ms";
inline constexpr char rtt_max_ms[] = "rtt_max_ms";
inline constexpr char jitter_ms[] = "jitter_ms";
}  // namespace probe_minute_key

/// The probe settings that defined an outage, kept in its evidence (the report's "scope and
/// method"): {"probe_interval_s", "down_after", "up_after"}.
struct OutageProbeSettings {
  int probe_interval_s = 0;
  int down_after = 0;
  int up_after = 0;
};
void to_json(nlohmann::json& j, const OutageProbeSettings& s);
/// Reads the three fields of an outage's evidence; throws nlohmann::json errors when one is missing.
void from_json(const nlohmann::json& j, OutageProbeSettings& s);

}  // namespace itsa::protocol
