#pragma once
// The record type names of the wire protocol (docs/protocol.md), written once. Everything
// that writes, stores, validates or reads records names its type through these constants.
// The three minute-series types are defined with minute series (common/minute_series.hpp,
// a layer below) and named here beside the others.
#include <array>
#include <string_view>

#include "common/minute_series.hpp"

namespace itsa::protocol {

namespace record_type {
inline constexpr char inventory[] = "inventory";
inline constexpr char assessment[] = "assessment";
inline constexpr const auto& pressure_minute = series::pressure_minute_type;
inline constexpr char link_event[] = "link_event";
inline constexpr const auto& link_minute = series::link_minute_type;
inline constexpr const auto& probe_minute = series::probe_minute_type;
inline constexpr char outage[] = "outage";
inline constexpr char degraded[] = "degraded";
inline constexpr char blip_minute[] = "blip_minute";  ///< failed rounds short of probes.down_after, per minute
inline constexpr char coverage[] = "coverage";
inline constexpr char lifecycle[] = "lifecycle";
inline constexpr char store_event[] = "store_event";
inline constexpr char disk_health[] = "disk_health";  ///< every disk's SMART / NVMe health, at start and daily
inline constexpr char instability[] = "instability";  ///< an unexpected shutdown or an OS crash of the PC
inline constexpr char history[] = "history";  ///< link/power events read from the system log (protocol/history.hpp)
}  // namespace record_type

/// Every record type, in the order of docs/protocol.md's table.
inline constexpr std::array<std::string_view, 15> record_types{
    record_type::inventory,   record_type::assessment,   record_type::pressure_minute, record_type::link_event,
    record_type::link_minute, record_type::probe_minute, record_type::outage,          record_type::degraded,
    record_type::blip_minute, record_type::coverage,     record_type::lifecycle,       record_type::store_event,
    record_type::disk_health, record_type::instability,  record_type::history};

/// The types the evidence report reads from a store (agent or server); of inventory and
/// assessment it reads only each machine's latest.
inline constexpr std::array<std::string_view, 12> report_types{
    record_type::coverage,    record_type::outage,       record_type::pressure_minute, record_type::link_event,
    record_type::link_minute, record_type::probe_minute, record_type::degraded,        record_type::blip_minute,
    record_type::lifecycle,   record_type::disk_health,  record_type::instability,     record_type::history};

/// True for a type of the table above.
bool is_record_type(std::string_view type);

/// True for the types kept and sent as minute series (series::minute_types).
inline bool is_minute_series(std::string_view type) {
  return series::is_minute_type(type);
}

}  // namespace itsa::protocol
