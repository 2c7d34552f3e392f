#include "agent/identity_check.hpp"

#include "common/log.hpp"
#include "store/evidence_store.hpp"

namespace itsa::agent {

bool check_hardware_identity(store::EvidenceStore& store, const identity::HardwareIdentity& current) {
  for (const auto& note : current.notes) log::get("daemon")->info("hardware identity: {}", note);
  const auto now = current.to_json();
  const auto stored = store.identity();
  if (stored.hardware.is_null() || !stored.hardware.is_object()) {
    if (auto r = store.set_hardware(now); !r)
      log::get("daemon")->warn("cannot record the hardware identity: {}", r.error().message);
    return false;
  }
  if (identity::same_machine(stored.hardware, now)) return false;
  log::get("daemon")->warn("hardware identity changed from {} to {}: this looks like a cloned disk image",
                           stored.hardware.dump(), now.dump());
  auto rotated = store.rotate_agent_id(now);
  if (!rotated) {
    log::get("daemon")->error("cannot make a new agent_id: {}", rotated.error().message);
    return false;
  }
  return true;
}

bool check_hardware_identity(store::EvidenceStore& store) {
  return check_hardware_identity(store, identity::read_hardware_identity());
}

}  // namespace itsa::agent
