#pragma once
// The per-OS readers behind collect_inventory. Each returns its JSON section with every
// field present (null when unreadable) and appends the reason to `notes`. Implemented in
// *_linux.cpp or *_windows.cpp, chosen in collectors/CMakeLists.txt.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "collectors/inventory.hpp"
#include "collectors/smbios/smbios.hpp"

namespace itsa::collectors::platform {

using Notes = std::vector<std::string>;

/// The machine's host name; null when unknown.
nlohmann::json hostname(const InventoryOptions& o, Notes& notes);
/// The live SMBIOS table bytes, parsed; error says why it is not readable.
Result<smbios::Table> smbios_table(const InventoryOptions& o);
/// System/BIOS facts from an OS source other than the raw table (Linux /sys/class/dmi/id),
/// in the shape of smbios::decode(); null when there is none.
nlohmann::json dmi_fallback(const InventoryOptions& o, Notes& notes);
/// cpu{model,vendor,family,model_number,sockets,physical_cores,logical_cores,base_mhz,max_mhz,caches}.
nlohmann::json cpu(const InventoryOptions& o, Notes& notes);
/// {"total_bytes": usable memory the OS sees}.
nlohmann::json memory(const InventoryOptions& o, Notes& notes);
/// disks[{name,model,size_bytes,media,bus,removable,system,system_fs}].
nlohmann::json disks(const InventoryOptions& o, Notes& notes);
/// os{family,id,name,version,build,edition,kernel,arch,install_date} (support added by the caller).
nlohmann::json os(const InventoryOptions& o, Notes& notes);
/// firmware{uefi,secure_boot,secure_boot_capable}.
nlohmann::json firmware(const InventoryOptions& o, Notes& notes);
/// tpm{present,version}.
nlohmann::json tpm(const InventoryOptions& o, Notes& notes);
/// network{interfaces[{name,mac,kind,driver,speed_mbps,max_speed_mbps,duplex,ipv4}]}.
nlohmann::json network(const InventoryOptions& o, Notes& notes);
/// Seconds since boot; null when unknown.
nlohmann::json uptime_s(const InventoryOptions& o, Notes& notes);
/// battery{present,design_wh,full_wh,wear_pct} (present false on desktops).
nlohmann::json battery(const InventoryOptions& o, Notes& notes);

}  // namespace itsa::collectors::platform
