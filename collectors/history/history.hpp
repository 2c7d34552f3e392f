#pragma once
// Link and power events the operating system logged before itsa was installed (issue 18 item 4),
// for the daemon's `history` records (protocol/history.hpp, docs/protocol.md). Windows: the System
// event log through the shared wevtapi.dll reader (collectors/eventlog/): NIC driver link down/up,
// NDIS resets, Kernel-Power 41, EventLog 6008, BugCheck 1001. Linux: the journal's kernel messages
// through libsystemd's sd_journal API, libsystemd.so.0 loaded at run time: "Link is Down/Up" of
// the NIC drivers, NETDEV WATCHDOG, hardware unit hangs, kernel panics. Reading is per platform
// (history_windows.cpp, history_linux.cpp); parsing is portable (history_parse.cpp,
// history_group.cpp) and tested on fixtures. Machine facts only: the event's identity (kind,
// provider or driver, event id, adapter or interface name, time), never the message text.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "protocol/history.hpp"

namespace itsa::collectors::history {

/// One logged event that says something about the link or the power of the PC.
struct LogEvent {
  std::string source;                  ///< protocol::history_source
  std::string kind;                    ///< protocol::history_kind
  UtcTime at{};                        ///< the event's own time
  std::string provider;                ///< Windows: the event provider; Linux: the kernel driver ("" = unknown)
  std::optional<int> event_id;         ///< Windows only
  std::optional<std::string> adapter;  ///< the adapter (Windows) or interface (Linux) it names
};

/// A System-log event rendered as XML (EvtRenderEventXml): the NIC driver events (Intel e1*express
/// and Realtek rt* drivers: 27 link down, 32 link up), Microsoft-Windows-NDIS 10400 and 10317 (a
/// NIC reset / fatal error), Kernel-Power 41 and EventLog 6008 (unexpected shutdown), BugCheck 1001
/// (crash); nullopt for any other event or an XML without EventID, provider or TimeCreated.
std::optional<LogEvent> parse_windows_event(std::string_view xml);

/// The XPath query for parse_windows_event()'s event ids made after `since` and at or before `until`.
std::string windows_query(UtcTime since, UtcTime until);

/// A kernel message (the journal's MESSAGE of a _TRANSPORT=kernel entry) made at `at`: "Link is
/// Down" / "Link is Up" of a NIC driver (e1000e, igb, r8169, tg3, … "<driver> <bus id> <ifname>: …"),
/// NETDEV WATCHDOG and "Detected Hardware Unit Hang" / "Reset adapter" (a NIC reset), "Kernel panic"
/// (a crash); nullopt for any other message.
std::optional<LogEvent> parse_kernel_message(std::string_view message, UtcTime at);

/// What a journal export gave.
struct JournalParse {
  std::vector<LogEvent> events;
  std::size_t entries = 0;  ///< entries read (any message)
  std::string note;         ///< what was malformed or cut short; empty when all was well
};

/// `journalctl -k -o export` text (systemd's Journal Export Format: "FIELD=value" lines, binary
/// fields as the name, a newline, a 64-bit little-endian length and the bytes; entries separated
/// by an empty line): the events of entries with a MESSAGE and __REALTIME_TIMESTAMP whose
/// _TRANSPORT, when given, is "kernel". A truncated or garbage export gives what could be read
/// and a note, never throws.
JournalParse parse_journal_export(std::string_view text);

/// The events as `history` payloads: one group per UTC day, kind, source, provider, event id and
/// adapter, in order of day then kind; `before_install` is set on every group.
std::vector<protocol::HistoryGroup> group_events(const std::vector<LogEvent>& events, bool before_install);

/// What the platform reader found.
struct HistoryReading {
  std::vector<LogEvent> events;
  bool read = false;  ///< the log could be read (false: `note` says why; nothing is known)
  std::string note;   ///< why nothing (or less) was read; empty when all is well
};

/// The events logged after `since` and at or before `until` (platform file). Never throws.
HistoryReading read_history(UtcTime since, UtcTime until);

}  // namespace itsa::collectors::history
