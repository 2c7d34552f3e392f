#pragma once
// Public API of the hardware/OS inventory (docs/inventory.md documents every field).
// One call returns the whole document; nothing throws past it: every field that cannot be
// read is null with the reason in "notes".
#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"

namespace itsa::collectors {

/// What collect_inventory reads and how.
struct InventoryOptions {
  /// Root of the file system the Linux readers use for /proc, /sys, /etc ("/" = live
  /// host). Live-only sources (ioctls, statvfs, uname, getifaddrs) are skipped with a note
  /// when it is not "/". Ignored on Windows.
  std::filesystem::path root = "/";
  /// A saved SMBIOS table (dump-bin, sysfs DMI [+ .smbios_entry_point], RSMB) decoded
  /// instead of the live one.
  std::optional<std::filesystem::path> smbios_file;
  /// Clock for collected_at, boot time and the OS support status (nullptr = system clock).
  const Clock* clock = nullptr;
};

/// Collects the inventory document: hostname, system, bios, cpu, memory, disks, os,
/// firmware, tpm, network, uptime, battery, collected_at, agent_version, notes.
nlohmann::json collect_inventory(const InventoryOptions& options);

/// The inventory without the fields that change while nothing changed (uptime, boot time,
/// free space, link speed, addresses, collected_at, notes): two snapshots of an unchanged
/// machine give equal results.
nlohmann::json stable_inventory(const nlohmann::json& inventory);

}  // namespace itsa::collectors
