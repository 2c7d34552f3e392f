#include "store/identity.hpp"

#include "common/log.hpp"
#include "store/atomic_file.hpp"

namespace itsa::store {

std::filesystem::path identity_file(const std::filesystem::path& data_dir) {
  return data_dir / "identity.json";
}

std::optional<AgentIdentity> load_identity(const std::filesystem::path& data_dir) {
  const auto file = identity_file(data_dir);
  auto text = read_small_file(file);
  if (!text || !text.value()) return std::nullopt;
  const auto doc = nlohmann::json::parse(*text.value(), nullptr, false);
  if (!doc.is_object() || !doc.contains("agent_id") || !doc["agent_id"].is_string() ||
      doc["agent_id"].get<std::string>().size() != 36) {
    log::get("store")->error("{} is not a valid identity file; the agent identity is rebuilt", file.string());
    return std::nullopt;
  }
  AgentIdentity id;
  id.agent_id = doc["agent_id"].get<std::string>();
  id.previous_agent_id = doc.value("previous_agent_id", "");
  id.seq_reserved = doc.value("seq_reserved", std::uint64_t{0});
  id.hardware = doc.value("hardware", nlohmann::json());
  id.created_at = doc.value("created_at", "");
  return id;
}

Result<void> save_identity(const std::filesystem::path& data_dir, const AgentIdentity& identity) {
  nlohmann::json doc = {{"agent_id", identity.agent_id},
                        {"previous_agent_id", identity.previous_agent_id},
                        {"seq_reserved", identity.seq_reserved},
                        {"hardware", identity.hardware},
                        {"created_at", identity.created_at}};
  return write_file_atomic(identity_file(data_dir), doc.dump(2) + "\n", false);
}

}  // namespace itsa::store
