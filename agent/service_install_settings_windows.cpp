// Windows: install-time settings come from the registry values the MSI writes
// (installers/windows/itsa-agent.wxs: HKLM\SOFTWARE\itsa\Agent).
#include <windows.h>

#include <string>

#include "agent/service_install_settings.hpp"
#include "agent/service_windows.hpp"

namespace itsa::agent {
namespace {

// A REG_SZ value under HKLM\SOFTWARE\itsa\Agent as UTF-8; nullopt when missing or empty.
// The process's own registry view, which is the one its MSI wrote: the x64 MSI (64-bit components)
// the 64-bit view, the x86 MSI the 32-bit one (WOW6432Node on 64-bit Windows). No
// RRF_SUBKEY_WOW6464KEY: Windows 10 only, RegGetValueW fails with it on Windows 7.
std::optional<std::string> read_value(const wchar_t* name) {
  wchar_t buffer[2048];
  DWORD size = sizeof(buffer);
  const auto rc =
      RegGetValueW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\itsa\\Agent", name, RRF_RT_REG_SZ, nullptr, buffer, &size);
  if (rc != ERROR_SUCCESS || size < sizeof(wchar_t) || buffer[0] == L'\0') return std::nullopt;
  return wide_to_utf8(buffer);
}

}  // namespace

InstallSettings read_install_settings(const std::filesystem::path&) {
  InstallSettings settings;
  settings.server_url = read_value(L"ServerUrl");
  settings.enroll_token = read_value(L"EnrollToken");
  return settings;
}

std::filesystem::path default_config_file() {
  return program_data_dir() / "agent.json";
}

}  // namespace itsa::agent
