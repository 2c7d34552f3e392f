// Windows OS facts: RtlGetVersion (true build, not the manifest-limited GetVersionEx) and
// the CurrentVersion registry key (edition, display version, UBR, install date).
#include <windows.h>

#include <chrono>

#include "collectors/inventory/platform.hpp"
#include "collectors/inventory/win_util.hpp"
#include "common/time_format.hpp"

namespace itsa::collectors::platform {

using nlohmann::json;

json os(const InventoryOptions&, Notes& notes) {
  json j = {{"family", "windows"}, {"id", "windows"},   {"name", nullptr}, {"version", nullptr},     {"build", nullptr},
            {"edition", nullptr},  {"kernel", nullptr}, {"arch", nullptr}, {"install_date", nullptr}};
  using RtlGetVersionFn = LONG(WINAPI*)(PRTL_OSVERSIONINFOW);
  RTL_OSVERSIONINFOW v{};
  v.dwOSVersionInfoSize = sizeof v;
  HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  auto fn = ntdll ? reinterpret_cast<RtlGetVersionFn>(reinterpret_cast<void*>(GetProcAddress(ntdll, "RtlGetVersion")))
                  : nullptr;
  int build = 0;
  if (fn && fn(&v) == 0) {
    build = static_cast<int>(v.dwBuildNumber);
    j["build"] = build;
    j["kernel"] = std::to_string(v.dwMajorVersion) + "." + std::to_string(v.dwMinorVersion) + "." +
                  std::to_string(v.dwBuildNumber);
    // Windows 11 still reports 10.0; the build tells them apart.
    if (v.dwMajorVersion == 10)
      j["version"] = build >= 22000 ? "11" : "10";
    else if (v.dwMajorVersion == 6 && v.dwMinorVersion == 3)
      j["version"] = "8.1";
    else if (v.dwMajorVersion == 6 && v.dwMinorVersion == 2)
      j["version"] = "8";
    else if (v.dwMajorVersion == 6 && v.dwMinorVersion == 1)
      j["version"] = "7";
  } else {
    notes.push_back("os.build: RtlGetVersion failed");
  }
  const wchar_t* key = L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";
  if (auto edition = win::reg_string(key, L"EditionID")) j["edition"] = *edition;
  std::string name = "Windows";
  if (j["version"].is_string()) name += " " + j["version"].get<std::string>();
  if (auto product = win::reg_string(key, L"ProductName")) {
    // ProductName says "Windows 10 Pro" on Windows 11 too: keep its edition words only.
    const auto pos = product->find(' ', product->find("Windows ") + 8);
    if (pos != std::string::npos) name += product->substr(pos);
  }
  if (auto display = win::reg_string(key, L"DisplayVersion")) name += " " + *display;
  j["name"] = name;
  if (auto ubr = win::reg_dword(key, L"UBR"); ubr && build)
    j["kernel"] = j["kernel"].get<std::string>() + "." + std::to_string(*ubr);
  if (auto installed = win::reg_dword(key, L"InstallDate"))
    j["install_date"] = to_rfc3339(UtcTime{std::chrono::seconds{*installed}}).substr(0, 10);
  else
    notes.push_back("os.install_date: InstallDate registry value absent");
  SYSTEM_INFO si{};
  GetNativeSystemInfo(&si);
  switch (si.wProcessorArchitecture) {
    case PROCESSOR_ARCHITECTURE_AMD64:
      j["arch"] = "x86_64";
      break;
    case PROCESSOR_ARCHITECTURE_ARM64:
      j["arch"] = "aarch64";
      break;
    case PROCESSOR_ARCHITECTURE_INTEL:
      j["arch"] = "x86";
      break;
    default:
      notes.push_back("os.arch: unknown processor architecture");
      break;
  }
  return j;
}

}  // namespace itsa::collectors::platform
