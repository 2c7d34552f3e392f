#include "uploader/credentials.hpp"

#include <nlohmann/json.hpp>

#include "store/atomic_file.hpp"

namespace itsa::uploader {

std::filesystem::path credentials_file(const std::filesystem::path& data_dir) {
  return data_dir / "credentials.json";
}

std::optional<Credentials> load_credentials(const std::filesystem::path& data_dir) {
  auto text = store::read_small_file(credentials_file(data_dir));
  if (!text || !text.value()) return std::nullopt;
  const auto doc = nlohmann::json::parse(*text.value(), nullptr, false);
  if (!doc.is_object()) return std::nullopt;
  Credentials c;
  c.agent_id = doc.value("agent_id", "");
  c.secret = doc.value("secret", "");
  c.server_url = doc.value("server_url", "");
  c.site = doc.value("site", "");
  c.enrolled_at = doc.value("enrolled_at", "");
  if (c.agent_id.empty() || c.secret.empty()) return std::nullopt;
  return c;
}

Result<void> save_credentials(const std::filesystem::path& data_dir, const Credentials& c) {
  const nlohmann::json doc = {{"agent_id", c.agent_id},
                              {"secret", c.secret},
                              {"server_url", c.server_url},
                              {"site", c.site},
                              {"enrolled_at", c.enrolled_at}};
  return store::write_file_atomic(credentials_file(data_dir), doc.dump(2) + "\n", true);
}

void remove_credentials(const std::filesystem::path& data_dir) {
  std::error_code ec;
  std::filesystem::remove(credentials_file(data_dir), ec);
}

}  // namespace itsa::uploader
