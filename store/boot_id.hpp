#pragma once
// The id of the current OS boot (docs/protocol.md `boot_id`).
#include <string>

namespace itsa::store {

/// Linux: /proc/sys/kernel/random/boot_id. Windows: a UUID derived from the boot time.
/// Falls back to a random UUID (made once per process) when the OS does not say.
std::string current_boot_id();

/// A new random UUID, lower-case with dashes.
std::string new_uuid();

}  // namespace itsa::store
