#pragma once
// The `history` record (docs/protocol.md): link and power events the operating system logged
// itself, read back from its log (Windows System event log, Linux journal) for the 90 days before
// the agent started and daily after, counted per UTC day, kind and adapter. Read from the system
// log, never measured by itsa: the report shows them apart from measured outages.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace itsa::protocol {

/// Where a history record was read.
namespace history_source {
inline constexpr char windows_system_log[] = "windows_system_log";
inline constexpr char linux_journal[] = "linux_journal";
}  // namespace history_source

/// What the logged event says happened.
namespace history_kind {
inline constexpr char link_down[] = "link_down";                      ///< the NIC driver lost the link
inline constexpr char link_up[] = "link_up";                          ///< the NIC driver saw the link come back
inline constexpr char nic_reset[] = "nic_reset";                      ///< the NIC was reset (NDIS, NETDEV WATCHDOG)
inline constexpr char unexpected_shutdown[] = "unexpected_shutdown";  ///< Kernel-Power 41, EventLog 6008
inline constexpr char crash[] = "crash";                              ///< BugCheck 1001, a kernel panic
}  // namespace history_kind

/// True for one of history_kind's names.
bool is_history_kind(const std::string& kind);

/// One `history` record's payload: the events of one kind, source, provider, event id and adapter
/// on one UTC day, read in one reading of the log.
struct HistoryGroup {
  std::string id;               ///< "<source>:<day>:<kind>:<provider>:<event_id>:<adapter>:<first_ms>" (unique)
  std::string source;           ///< history_source
  std::string kind;             ///< history_kind
  std::string provider;         ///< Windows: the event provider; Linux: the kernel driver ("e1000e"), "" = unknown
  std::optional<int> event_id;  ///< Windows event id; none on Linux
  std::optional<std::string> adapter;  ///< the interface or adapter the event names, when it names one
  std::string day;                     ///< UTC "YYYY-MM-DD" of the events
  std::int64_t count = 0;              ///< events in the group (>= 1)
  std::string first;                   ///< RFC 3339 UTC: the first event's own time
  std::string last;                    ///< RFC 3339 UTC: the last event's own time
  bool before_install = false;         ///< read at the agent's first reading: logged before itsa measured
};

void to_json(nlohmann::json& j, const HistoryGroup& g);
/// Throws nlohmann::json errors on a missing or mistyped field (see history_group_of for a lenient read).
void from_json(const nlohmann::json& j, HistoryGroup& g);
/// The group a payload holds, or nullopt when it is not a well-formed history payload (never throws).
std::optional<HistoryGroup> history_group_of(const nlohmann::json& payload);

}  // namespace itsa::protocol
