#pragma once
// Pieces the evidence store's files share (evidence_store.cpp, evidence_store_open.cpp,
// retention.cpp). Not a public interface.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <sqlite3.h>

namespace itsa::store::internal {

/// Size of a file in bytes, 0 when it is missing.
std::int64_t file_bytes(const std::filesystem::path& p);
/// A value of the meta table.
std::optional<std::string> meta_value(sqlite3* db, const std::string& key);
/// Highest seq ever assigned to agent_id in this database (meta survives eviction).
std::uint64_t last_seq(sqlite3* db, const std::string& agent_id);

}  // namespace itsa::store::internal
