// Windows: host name, SMBIOS via GetSystemFirmwareTable('RSMB') (no WMI), memory,
// uptime, battery, firmware type and Secure Boot, TPM via TBS.
// Windows headers in this order: <winsock2.h> / <windows.h> first.
// clang-format off
#include <windows.h>
#include <tbs.h>
// clang-format on

#ifdef __MINGW32__
// mingw-w64 10's tbs.h lacks the TPM device-info API that libtbs.a exports (Windows 8+).
extern "C" {
typedef struct tdTPM_DEVICE_INFO {
  UINT32 structVersion;
  UINT32 tpmVersion;
  UINT32 tpmInterfaceType;
  UINT32 tpmImpRevision;
} TPM_DEVICE_INFO;
TBS_RESULT WINAPI Tbsi_GetDeviceInfo(UINT32 Size, PVOID Info);
}
#ifndef TPM_VERSION_12
#define TPM_VERSION_12 1
#define TPM_VERSION_20 2
#endif
#endif

#include "collectors/inventory/platform.hpp"
#include "collectors/inventory/win_util.hpp"

namespace itsa::collectors::platform {

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
  FIRMWARE_TYPE type = FirmwareTypeUnknown;
  // Wine (ntdll exports wine_get_version) aborts the process on GetFirmwareType: not implemented there.
  const bool under_wine = GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "wine_get_version") != nullptr;
  if (under_wine) {
    notes.push_back("firmware.uefi: unknown under Wine (GetFirmwareType is not implemented)");
  } else if (GetFirmwareType(&type) && type != FirmwareTypeUnknown) {
    f["uefi"] = type == FirmwareTypeUefi;
  } else {
    notes.push_back("firmware.uefi: GetFirmwareType failed");
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
  TPM_DEVICE_INFO info{};
  const TBS_RESULT r = Tbsi_GetDeviceInfo(sizeof info, &info);
  if (r == TBS_SUCCESS) {
    t["present"] = true;
    t["version"] = info.tpmVersion == TPM_VERSION_20 ? "2.0" : info.tpmVersion == TPM_VERSION_12 ? "1.2" : nullptr;
  } else {
    notes.push_back("tpm: TBS reports no TPM (absent or disabled in firmware)");
  }
  return t;
}

}  // namespace itsa::collectors::platform
