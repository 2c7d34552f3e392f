#include "uploader/hardware_identity.hpp"

#include <algorithm>

#include "agent/store/evidence_store.hpp"
#include "common/log.hpp"

namespace itsa::uploader {

using nlohmann::json;

json HardwareIdentity::to_json() const {
  return {{"smbios_uuid", smbios_uuid}, {"serial", serial}, {"macs", macs}};
}

bool same_machine(const json& recorded, const json& current) {
  if (!recorded.is_object() || !current.is_object()) return true;
  const auto uuid_a = recorded.value("smbios_uuid", "");
  const auto uuid_b = current.value("smbios_uuid", "");
  if (!uuid_a.empty() && !uuid_b.empty()) return uuid_a == uuid_b;
  const auto macs_a = recorded.value("macs", std::vector<std::string>{});
  const auto macs_b = current.value("macs", std::vector<std::string>{});
  if (macs_a.empty() || macs_b.empty()) return true;
  return std::any_of(macs_a.begin(), macs_a.end(),
                     [&](const std::string& m) { return std::find(macs_b.begin(), macs_b.end(), m) != macs_b.end(); });
}

bool check_hardware_identity(store::EvidenceStore& store, const HardwareIdentity& current) {
  const auto now = current.to_json();
  const auto identity = store.identity();
  if (identity.hardware.is_null() || !identity.hardware.is_object()) {
    if (auto r = store.set_hardware(now); !r)
      log::get("uploader")->warn("cannot record the hardware identity: {}", r.error().message);
    return false;
  }
  if (same_machine(identity.hardware, now)) return false;
  log::get("uploader")
      ->warn("hardware identity changed from {} to {}: this looks like a cloned disk image", identity.hardware.dump(),
             now.dump());
  auto rotated = store.rotate_agent_id(now);
  if (!rotated) {
    log::get("uploader")->error("cannot make a new agent_id: {}", rotated.error().message);
    return false;
  }
  return true;
}

bool check_hardware_identity(store::EvidenceStore& store) {
  return check_hardware_identity(store, read_hardware_identity());
}

}  // namespace itsa::uploader
