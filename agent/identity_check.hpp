#pragma once
// The agent_id belongs to one machine: at start the daemon compares the live hardware identity
// with the one the store's agent_id was made on; a cloned disk image gets a new agent_id and
// enrols again with previous_agent_id (docs/protocol.md).
#include "collectors/identity/hardware_identity.hpp"

namespace itsa::store {
class EvidenceStore;
}

namespace itsa::agent {

/// Compares `current` with the identity the store's agent_id was made on: records it the
/// first time; on a change (cloned disk) makes a new agent_id. Returns true when it rotated.
bool check_hardware_identity(store::EvidenceStore& store, const identity::HardwareIdentity& current);
/// Same with the live identity.
bool check_hardware_identity(store::EvidenceStore& store);

}  // namespace itsa::agent
