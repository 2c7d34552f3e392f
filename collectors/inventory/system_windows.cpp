// Windows: host name, SMBIOS via GetSystemFirmwareTable('RSMB') (no WMI), memory,
// uptime, battery, firmware type and Secure Boot, TPM via TBS.
// Windows headers in this order: <winsock2.h> / <windows.h> first.
// Windows 7 SP1 is the oldest target (issue 18): GetFirmwareType (kernel32) and
// Tbsi_GetDeviceInfo (tbs.dll) are Windows 8+, so both are looked up at run time and never
// imported; without them the firmware type comes from GetFirmwareEnvironmentVariableW and the
// TPM's presence from opening a TBS 1.2 context (Tbsi_Context_Create, Vista+; tbs.dll is loaded
// at run time too), its version then unknown with a note.
// clang-format off
#include <windows.h>
// clang-format on

#include <cstdio>
#include <string>

#include "collectors/inventory/platform.hpp"
#include "collectors/inventory/win_util.hpp"

namespace itsa::collectors::platform {

namespace {

/// The layout Tbsi_GetDeviceInfo fills (tbs.h of the Windows 8 SDK; mingw-w64 10 lacks it).
struct TpmDeviceInfo {
  UINT32 struct_version;
  UINT32 tpm_version;  // 1 = TPM 1.2, 2 = TPM 2.0
  UINT32 tpm_interface_type;
  UINT32 tpm_imp_revision;
};
/// TBS_CONTEXT_PARAMS of tbs.h (Vista): version 1 = TBS_CONTEXT_VERSION_ONE, a TPM 1.2 context.
struct TbsContextParams {
  UINT32 version;
};
constexpr UINT32 k_tbs_success = 0;
constexpr UINT32 k_tbs_e_tpm_not_found = 0x8028400F;  // TBS_E_TPM_NOT_FOUND
constexpr UINT32 k_tpm_version_12 = 1;
constexpr UINT32 k_tpm_version_20 = 2;
constexpr int k_firmware_type_unknown = 0;  // FIRMWARE_TYPE: FirmwareTypeUnknown, Bios, Uefi
constexpr int k_firmware_type_uefi = 2;

/// A function of a DLL, or nullptr when this Windows does not have it.
template <class Fn>
Fn find_function(const wchar_t* dll, const char* name, bool load = false) {
  HMODULE module = load ? LoadLibraryW(dll) : GetModuleHandleW(dll);
  if (module == nullptr) return nullptr;
  return reinterpret_cast<Fn>(reinterpret_cast<void*>(GetProcAddress(module, name)));
}

}  // namespace

using nlohmann::json;

json hostname(const InventoryOptions&, Notes& notes) {
  wchar_t buf[256] = {};
  DWORD size = 255;
  if (GetComputerNameExW(ComputerNameDnsHostname, buf, &size)) return win::utf8(buf);
  notes.push_back("hostname: GetComputerNameExW failed");
  return nullptr;
}

Result<smbios::Table> smbios_table(const InventoryOptions&) {
  const DWORD rsmb = (DWORD{'R'} << 24) | (DWORD{'S'} << 16) | (DWORD{'M'} << 8) | DWORD{'B'};  // 'RSMB'
  const UINT size = GetSystemFirmwareTable(rsmb, 0, nullptr, 0);
  if (size == 0)
    return Error{"GetSystemFirmwareTable('RSMB') returned no data (error " + std::to_string(GetLastError()) + ")"};
  smbios::Bytes blob(size);
  if (GetSystemFirmwareTable(rsmb, 0, blob.data(), size) != size) return Error{"GetSystemFirmwareTable('RSMB') failed"};
  return smbios::parse(blob);
}

json dmi_fallback(const InventoryOptions&, Notes&) {
  return nullptr;
}

json memory(const InventoryOptions&, Notes& notes) {
  MEMORYSTATUSEX ms{};
  ms.dwLength = sizeof ms;
  if (GlobalMemoryStatusEx(&ms)) return {{"total_bytes", ms.ullTotalPhys}};
  notes.push_back("memory.total_bytes: GlobalMemoryStatusEx failed");
  return {{"total_bytes", nullptr}};
}

json uptime_s(const InventoryOptions&, Notes&) {
  return static_cast<std::int64_t>(GetTickCount64() / 1000);
}

json battery(const InventoryOptions&, Notes& notes) {
  json b = {
      {"present", false}, {"design_wh", nullptr}, {"full_wh", nullptr}, {"wear_pct", nullptr}, {"charge_pct", nullptr}};
  SYSTEM_POWER_STATUS ps{};
  if (GetSystemPowerStatus(&ps) && ps.BatteryFlag != 128 && ps.BatteryFlag != 255) {
    b["present"] = true;
    if (ps.BatteryLifePercent <= 100) b["charge_pct"] = ps.BatteryLifePercent;
    notes.push_back("battery.wear_pct: design/full capacity not read on Windows yet (IOCTL_BATTERY_QUERY_INFORMATION)");
  }
  return b;
}

json firmware(const InventoryOptions&, Notes& notes) {
  json f = {{"uefi", nullptr}, {"secure_boot", nullptr}, {"secure_boot_capable", nullptr}};
  // Wine (ntdll exports wine_get_version) aborts the process on GetFirmwareType: not implemented there.
  const bool under_wine = GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "wine_get_version") != nullptr;
  using GetFirmwareTypeFn = BOOL(WINAPI*)(int*);
  const auto get_firmware_type = find_function<GetFirmwareTypeFn>(L"kernel32.dll", "GetFirmwareType");
  int type = k_firmware_type_unknown;
  if (under_wine) {
    notes.push_back("firmware.uefi: unknown under Wine (GetFirmwareType is not implemented)");
  } else if (get_firmware_type != nullptr) {
    if (get_firmware_type(&type) && type != k_firmware_type_unknown) {
      f["uefi"] = type == k_firmware_type_uefi;
    } else {
      notes.push_back("firmware.uefi: GetFirmwareType failed");
    }
  } else {
    // Windows 7: reading any firmware variable fails with ERROR_INVALID_FUNCTION on a legacy
    // BIOS boot and with another error (no such variable, no privilege) on UEFI.
    SetLastError(ERROR_SUCCESS);
    (void)GetFirmwareEnvironmentVariableW(L"", L"{00000000-0000-0000-0000-000000000000}", nullptr, 0);
    f["uefi"] = GetLastError() != ERROR_INVALID_FUNCTION;
    notes.push_back("firmware.uefi: from GetFirmwareEnvironmentVariableW (no GetFirmwareType before Windows 8)");
  }
  if (auto sb = win::reg_dword(L"SYSTEM\\CurrentControlSet\\Control\\SecureBoot\\State", L"UEFISecureBootEnabled")) {
    f["secure_boot"] = *sb == 1;
    f["secure_boot_capable"] = true;
  } else if (f["uefi"] == false) {
    f["secure_boot"] = false;
    notes.push_back(
        "firmware.secure_boot_capable: legacy (BIOS/CSM) boot; whether the firmware can do Secure Boot is unknown");
  } else {
    notes.push_back("firmware.secure_boot: SecureBoot\\State registry value absent");
  }
  return f;
}

json tpm(const InventoryOptions&, Notes& notes) {
  json t = {{"present", false}, {"version", nullptr}};
  using GetDeviceInfoFn = UINT32(WINAPI*)(UINT32, PVOID);
  const auto get_device_info = find_function<GetDeviceInfoFn>(L"tbs.dll", "Tbsi_GetDeviceInfo", true);
  if (get_device_info == nullptr) {
    // Windows 7: a TBS context opens only when a TPM is there and enabled; which version it is,
    // TBS does not say before Windows 8.
    using ContextCreateFn = UINT32(WINAPI*)(const TbsContextParams*, void**);
    using ContextCloseFn = UINT32(WINAPI*)(void*);
    const auto create = find_function<ContextCreateFn>(L"tbs.dll", "Tbsi_Context_Create", true);
    const auto close = find_function<ContextCloseFn>(L"tbs.dll", "Tbsip_Context_Close", true);
    t["present"] = nullptr;
    if (create == nullptr || close == nullptr) {
      notes.push_back("tpm: unknown (no TPM Base Services: tbs.dll or Tbsi_Context_Create missing)");
      return t;
    }
    const TbsContextParams params{1};
    void* context = nullptr;
    const UINT32 rc = create(&params, &context);
    if (rc == k_tbs_success) {
      close(context);
      t["present"] = true;
      notes.push_back(
          "tpm.version: unknown before Windows 8 (a TBS 1.2 context opened; Tbsi_GetDeviceInfo is Windows 8+)");
    } else if (rc == k_tbs_e_tpm_not_found) {
      t["present"] = false;
    } else {
      char code[16];
      std::snprintf(code, sizeof code, "0x%08X", static_cast<unsigned>(rc));
      notes.push_back(std::string("tpm: unknown (Tbsi_Context_Create failed with ") + code + ")");
    }
    return t;
  }
  TpmDeviceInfo info{};
  if (get_device_info(sizeof info, &info) == 0 /* TBS_SUCCESS */) {
    t["present"] = true;
    t["version"] = info.tpm_version == k_tpm_version_20   ? "2.0"
                   : info.tpm_version == k_tpm_version_12 ? "1.2"
                                                          : nullptr;
  } else {
    notes.push_back("tpm: TBS reports no TPM (absent or disabled in firmware)");
  }
  return t;
}

}  // namespace itsa::collectors::platform
