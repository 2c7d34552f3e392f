// Linux: install-time settings come from the Debian package's environment file.
#include <fstream>
#include <string>

#include "agent/service_install_settings.hpp"

namespace itsa::agent {
namespace {

// "VALUE", 'VALUE' or VALUE -> VALUE (shell-style quoting of an environment file).
std::string unquote(std::string value) {
  while (!value.empty() && (value.back() == ' ' || value.back() == '\r' || value.back() == '\t')) value.pop_back();
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
    return value.substr(1, value.size() - 2);
  }
  return value;
}

}  // namespace

InstallSettings read_install_settings(const std::filesystem::path& env_file) {
  InstallSettings settings;
  std::ifstream in(env_file.empty() ? std::filesystem::path("/etc/default/itsa-agent") : env_file);
  std::string line;
  while (std::getline(in, line)) {
    const auto start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    line = line.substr(start);
    if (line.rfind("export ", 0) == 0) line = line.substr(7);
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const auto key = line.substr(0, eq);
    const auto value = unquote(line.substr(eq + 1));
    if (value.empty()) continue;
    if (key == "ITSA_SERVER_URL") settings.server_url = value;
    if (key == "ITSA_ENROLL_TOKEN") settings.enroll_token = value;
  }
  return settings;
}

std::filesystem::path default_config_file() {
  return "/etc/itsa/agent.json";
}

}  // namespace itsa::agent
