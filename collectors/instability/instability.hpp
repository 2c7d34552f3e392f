#pragma once
// OS crash records the system itself keeps, for the daemon's `instability` records
// (docs/protocol.md): Linux pstore entries (/sys/fs/pstore and systemd-pstore's archive
// /var/lib/systemd/pstore: file name, time and the one-line "Panic#1 Part1" header, never the
// kernel log inside) and the Windows System event log (Kernel-Power 41, EventLog 6008, BugCheck
// 1001 through wevtapi.dll, loaded at run time). Reading is per platform (instability_linux.cpp,
// instability_windows.cpp); parsing is portable (instability_parse.cpp) and tested on fixtures.
// Machine facts only: record kinds, codes and times.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"

namespace itsa::collectors::instability {

/// One OS crash or unexpected-shutdown mark found on the machine.
struct SystemMark {
  std::string id;             ///< stable across runs: "pstore:dmesg-efi-1733..." / "winevt:System:1234"
  std::string source;         ///< "pstore", "windows_event_log"
  std::string kind;           ///< "panic", "oops" (pstore); "bugcheck", "kernel_power_41", "eventlog_6008" (Windows)
  std::optional<UtcTime> at;  ///< when it happened (pstore: the dump's time; Windows: the event's time)
  bool crash = false;         ///< an OS crash (panic, oops, bug check), not only an unexpected shutdown
  std::optional<std::uint64_t> bugcheck_code;  ///< Windows: the stop code (1001 param1, 41 BugcheckCode ≠ 0)
};

/// A pstore entry from its file name and the first bytes of its content (at most the kernel's
/// header lines: ramoops' "====<sec>.<usec>-<C|D>" then "<Reason>#<n> Part<k>"). `file_time` is the
/// file's modification time (pstorefs sets it to the record's time). Only the first part
/// ("Part1") of a "dmesg-*" dump of reason Panic or Oops is a crash; any other entry (console,
/// pmsg, ftrace, the other parts, reasons Restart/Halt/Poweroff/Emergency) gives nullopt, as does
/// a compressed entry ("*.enc.z") whose header cannot be read (kind "panic" is then not proven).
std::optional<SystemMark> parse_pstore_entry(std::string_view file_name, std::string_view head,
                                             std::optional<UtcTime> file_time);

/// A System-log event rendered as XML (EvtRender EvtRenderEventXml; the documented Event schema):
/// Kernel-Power 41, EventLog 6008 and BugCheck 1001 (provider Microsoft-Windows-WER-SystemErrorReporting
/// or event source BugCheck); nullopt for any other event or an XML without EventID/TimeCreated.
std::optional<SystemMark> parse_windows_event_xml(std::string_view xml);

/// The XPath query for parse_windows_event_xml()'s events made at or after `since`
/// (TimeCreated[@SystemTime>='…']).
std::string windows_event_query(UtcTime since);

/// Every mark this machine holds made at or after `since` (platform file): the pstore
/// directories on Linux (entries need root; an unreadable directory gives nothing, `note` says
/// why), the System log on Windows. Never throws.
std::vector<SystemMark> read_system_marks(UtcTime since, std::string* note = nullptr);

#ifndef _WIN32
/// The crash marks of pstore entries under `dirs` (and their subfolders, as systemd-pstore
/// archives them) made at or after `since`; an entry found twice (live and archived) counts once.
std::vector<SystemMark> read_pstore(const std::vector<std::filesystem::path>& dirs, UtcTime since,
                                    std::string* note = nullptr);
#endif

}  // namespace itsa::collectors::instability
