#pragma once
// How long the PC takes to boot, for the inventory's `boot_durations` (docs/inventory.md): the
// last boots, newest first. Linux: systemd's boot timestamps of the current boot (the Manager's
// Firmware/Loader/Kernel/InitRD/Userspace/Finish timestamps through sd-bus, libsystemd.so.0 loaded
// at run time); only the current boot is readable, so the daemon keeps the earlier ones in its
// store (the previous inventory's list). Windows: Diagnostics-Performance event 100 (`BootTime`),
// one per measured boot, through wevtapi.dll loaded at run time. Reading is per platform
// (boot_time_linux.cpp, boot_time_windows.cpp); parsing is portable (boot_time_parse.cpp).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace itsa::collectors::boot {

/// The boots the inventory keeps.
inline constexpr std::size_t k_kept_boots = 10;

/// One boot's duration; seconds, null where the OS does not measure that part.
struct BootDuration {
  std::string id;                     ///< Linux: the boot_id; Windows: "winevt:<EventRecordID>"
  std::optional<std::string> start;   ///< RFC 3339 UTC: the kernel's start (Linux), BootStartTime (Windows)
  std::optional<double> firmware_s;   ///< Linux, UEFI: firmware until the boot loader
  std::optional<double> loader_s;     ///< Linux, UEFI with a loader that reports it (systemd-boot)
  std::optional<double> kernel_s;     ///< Linux: kernel start until the initrd (or userspace)
  std::optional<double> initrd_s;     ///< Linux: the initrd, when there is one
  std::optional<double> userspace_s;  ///< Linux: systemd start until every start-up job finished
  std::optional<double> main_path_s;  ///< Windows: MainPathBootTime (until the desktop)
  std::optional<double> post_boot_s;  ///< Windows: BootPostBootTime (desktop until the system is idle)
  std::optional<double> os_s;         ///< from the kernel's start until the boot finished (both OSes)
  std::optional<double> total_s;      ///< os_s + firmware_s + loader_s where known
  std::string source;                 ///< "systemd", "windows_event_100"
};

/// systemd Manager properties as "Name=value" lines, one per line (the form `systemctl show -p
/// …` prints the *Monotonic properties in; the reader writes what sd-bus returned in the same form):
/// FirmwareTimestampMonotonic, LoaderTimestampMonotonic, KernelTimestamp (realtime µs since the
/// epoch), InitRDTimestampMonotonic, UserspaceTimestampMonotonic, FinishTimestampMonotonic (µs).
/// Error when the text has no UserspaceTimestampMonotonic or a value is not a number; a
/// FinishTimestampMonotonic of 0 (start-up still running) gives an error starting "pending".
Result<BootDuration> parse_systemd_times(std::string_view text, const std::string& boot_id);

/// A Diagnostics-Performance event rendered as XML (EvtRenderEventXml): event 100 with its
/// EventData BootTime (ms), MainPathBootTime, BootPostBootTime and BootStartTime; nullopt for any
/// other event or one without a BootTime.
std::optional<BootDuration> parse_boot_event_xml(std::string_view xml);

nlohmann::json to_json(const BootDuration& b);

/// `previous` (an earlier `boot_durations` array; anything else counts as empty) with `fresh`
/// added: one entry per id (the fresh one wins), newest start first (no start last), at most
/// `keep`.
nlohmann::json merge_boots(const nlohmann::json& previous, const std::vector<BootDuration>& fresh,
                           std::size_t keep = k_kept_boots);

/// What the platform reader found.
struct BootReading {
  std::vector<BootDuration> boots;  ///< Linux: the current boot; Windows: the last k_kept_boots of the log
  bool pending = false;             ///< Linux: the current boot is still starting: read again later
  std::string note;                 ///< why nothing (or less) was read; empty when all is well
};

/// The live reading (platform file). Never throws.
BootReading read_boots();

}  // namespace itsa::collectors::boot
