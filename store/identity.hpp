#pragma once
// data_dir/identity.json: the agent_id (made at first start, kept across restarts and store
// resets), the hardware it was made on (cloned-disk detection) and the seq reservation that
// keeps seq strictly increasing even when the database is reset.
#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace itsa::store {

struct AgentIdentity {
  std::string agent_id;
  std::string previous_agent_id;   ///< set when made because the hardware changed (cloned disk)
  std::uint64_t seq_reserved = 0;  ///< every seq ever committed for agent_id is <= this
  nlohmann::json hardware;         ///< {"smbios_uuid","serial","macs"} agent_id belongs to; null = not known yet
  std::string created_at;          ///< RFC 3339
};

/// data_dir/identity.json
std::filesystem::path identity_file(const std::filesystem::path& data_dir);
/// Reads the identity; nullopt when the file is missing or unreadable garbage (logged).
std::optional<AgentIdentity> load_identity(const std::filesystem::path& data_dir);
/// Writes it atomically and durably.
Result<void> save_identity(const std::filesystem::path& data_dir, const AgentIdentity& identity);

}  // namespace itsa::store
