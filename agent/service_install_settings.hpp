#pragma once
// Settings given at install time (MSI properties SERVER_URL / ENROLL_TOKEN, or the Debian
// package's /etc/default/itsa-agent) written into the agent's config file, so that nobody edits
// JSON by hand when deploying to 200 PCs.
#include <filesystem>
#include <optional>
#include <string>

#include "common/result.hpp"

namespace itsa::agent {

/// What the installer was given; nullopt = not given (leave the config's value alone).
struct InstallSettings {
  std::optional<std::string> server_url;    ///< -> server.url
  std::optional<std::string> enroll_token;  ///< -> server.enroll_token
  std::optional<std::string> log_file;      ///< -> log.file, only when the config has none
};

/// Writes the given settings into `config_file`: creates it (with only these keys) when missing,
/// otherwise changes only server.url / server.enroll_token and keeps every other key. The result is
/// validated first: an invalid value or an unreadable existing file is an error naming the file
/// and nothing is written. Returns true when the file changed.
Result<bool> apply_install_settings(const std::filesystem::path& config_file, const InstallSettings& settings);

/// Reads the install-time settings of this platform: on Windows the registry values ServerUrl and
/// EnrollToken under HKLM\SOFTWARE\itsa\Agent (written by the MSI); on Linux ITSA_SERVER_URL and
/// ITSA_ENROLL_TOKEN from the environment file `env_file` (default /etc/default/itsa-agent).
/// Empty values count as not given.
InstallSettings read_install_settings(const std::filesystem::path& env_file = {});

/// The default config file of this platform (/etc/itsa/agent.json, %ProgramData%\itsa\agent.json).
std::filesystem::path default_config_file();

}  // namespace itsa::agent
