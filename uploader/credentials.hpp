#pragma once
// data_dir/credentials.json (mode 0600): the secret the server gave this agent_id at enrolment.
#include <filesystem>
#include <optional>
#include <string>

#include "common/result.hpp"

namespace itsa::uploader {

struct Credentials {
  std::string agent_id;
  std::string secret;
  std::string server_url;   ///< the server it was enrolled with (another server = enrol again)
  std::string site;         ///< as the server answered
  std::string enrolled_at;  ///< RFC 3339
};

/// data_dir/credentials.json
std::filesystem::path credentials_file(const std::filesystem::path& data_dir);
/// The stored credentials; nullopt when missing or unreadable (then the agent enrols again).
std::optional<Credentials> load_credentials(const std::filesystem::path& data_dir);
/// Writes them atomically, readable by the owner only.
Result<void> save_credentials(const std::filesystem::path& data_dir, const Credentials& credentials);
/// Forgets them (after a 401).
void remove_credentials(const std::filesystem::path& data_dir);

}  // namespace itsa::uploader
