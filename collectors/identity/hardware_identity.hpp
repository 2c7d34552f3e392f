#pragma once
// The hardware an agent_id belongs to (SMBIOS UUID and serial, MACs of physical NICs), read
// live from the OS: used for enrolment and to detect a cloned disk image (agent/identity_check.hpp).
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace itsa::identity {

struct HardwareIdentity {
  std::string hostname;
  std::string smbios_uuid;  ///< lower-case; empty when unreadable (not root) or a vendor default (see notes)
  std::string serial;
  std::vector<std::string> macs;   ///< physical NICs, sorted, lower-case
  std::vector<std::string> notes;  ///< why a field is empty though the OS gave a value (not sent)

  /// {"smbios_uuid","serial","macs"} (the protocol's enrolment "identity").
  nlohmann::json to_json() const;
};

/// Reads the identity from the OS (Linux: sysfs under `sys_root`).
HardwareIdentity read_hardware_identity(const std::filesystem::path& sys_root = "/sys");

/// False only when the recorded identity positively differs: another SMBIOS UUID, or (no
/// UUIDs) no MAC in common. Unknown fields never count as a change.
bool same_machine(const nlohmann::json& recorded, const nlohmann::json& current);

}  // namespace itsa::identity
