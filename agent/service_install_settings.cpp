#include "agent/service_install_settings.hpp"

#include <fstream>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "config/validate.hpp"

namespace itsa::agent {
namespace {

// Replaces the file through a temp file + rename, so a crash leaves the old or the new config.
Result<void> replace_file(const std::filesystem::path& file, const std::string& content) {
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) return Error{file.parent_path().string() + ": cannot create the folder: " + ec.message()};
  auto temp = file;
  temp += ".new";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << content;
    out.flush();
    if (!out) return Error{temp.string() + ": cannot write the config"};
  }
  std::filesystem::rename(temp, file, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    return Error{file.string() + ": cannot replace the config: " + ec.message()};
  }
  return ok();
}

}  // namespace

Result<bool> apply_install_settings(const std::filesystem::path& config_file, const InstallSettings& settings) {
  nlohmann::json doc = nlohmann::json::object();
  std::error_code ec;
  if (std::filesystem::exists(config_file, ec)) {
    std::ifstream in(config_file, std::ios::binary);
    if (!in) return Error{config_file.string() + ": cannot read the config file"};
    std::ostringstream text;
    text << in.rdbuf();
    doc = nlohmann::json::parse(text.str(), nullptr, false, true);
    if (doc.is_discarded() || !doc.is_object()) {
      return Error{config_file.string() + ": not a JSON object; install settings not applied (fix or delete the file)"};
    }
  }
  auto updated = doc;
  if (settings.server_url) updated["server"]["url"] = *settings.server_url;
  if (settings.enroll_token) updated["server"]["enroll_token"] = *settings.enroll_token;
  if (settings.log_file &&
      !(updated.contains("log") && updated["log"].is_object() && updated["log"].contains("file"))) {
    updated["log"]["file"] = *settings.log_file;
  }
  if (updated == doc && std::filesystem::exists(config_file, ec)) return false;

  const auto validated = config::validate(updated);
  if (!validated.ok()) {
    std::string message = config_file.string() + ": install settings not applied:";
    for (const auto& p : validated.problems) message += "\n  " + p.to_string();
    return Error{message};
  }
  auto written = replace_file(config_file, updated.dump(2) + "\n");
  if (!written) return written.error();
  return true;
}

}  // namespace itsa::agent
