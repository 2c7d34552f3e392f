// Windows: host name, SMBIOS via GetSystemFirmwareTable('RSMB') (no WMI), memory,
// uptime, battery, firmware type and Secure Boot, TPM via TBS.
// Windows headers in this order: <winsock2.h> / <windows.h> first.
// Windows 7 SP1 is the oldest target (issue 18): GetFirmwareType (kernel32) and
// Tbsi_GetDeviceInfo (tbs.dll) are Windows 8+, so both are looked up at run time and never
// imported; without them the firmware type comes from GetFirmwareEnvironmentVariableW and the
// TPM's presence from opening a TBS 1.2 context (Tbsi_Context_Create, Vista+; tbs.dll is loaded
// at run time too), its version then unknown with a note.
// Battery wear: the batteries' device interfaces through SetupAPI (setupapi.dll, loaded at run
// time: the exe imports no new DLL), then IOCTL_BATTERY_QUERY_TAG and IOCTL_BATTERY_QUERY_INFORMATION
// (BatteryInformation: design and full-charge capacity, cycle count; Windows 2000 and later), the
// structure parsed by collectors/inventory/battery.cpp.
// clang-format off
#include <windows.h>
#include <setupapi.h>
// clang-format on

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "collectors/inventory/battery.hpp"
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

// poclass.h / batclass.h (Windows DDK): the battery class interface and its IOCTLs.
const GUID k_guid_devclass_battery = {0x72631e54, 0x78a4, 0x11d0, {0xbc, 0xf7, 0x00, 0xaa, 0x00, 0xb7, 0xb3, 0x2a}};
// CTL_CODE(FILE_DEVICE_BATTERY 0x29, function, METHOD_BUFFERED 0, FILE_READ_ACCESS 1).
constexpr DWORD k_ioctl_battery_query_tag = (0x29u << 16) | (1u << 14) | (0x10u << 2);          // 0x294040
constexpr DWORD k_ioctl_battery_query_information = (0x29u << 16) | (1u << 14) | (0x11u << 2);  // 0x294044
/// BATTERY_QUERY_INFORMATION with InformationLevel BatteryInformation (0).
struct BatteryQueryInformation {
  ULONG battery_tag;
  LONG information_level;
  LONG at_rate;
};
constexpr int k_max_batteries = 8;

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

namespace {

/// BATTERY_INFORMATION of every battery the battery class lists; `note` says why none was read.
std::vector<battery::BatteryInformation> read_batteries(std::string& note) {
  std::vector<battery::BatteryInformation> out;
  using GetClassDevsFn = HDEVINFO(WINAPI*)(const GUID*, PCWSTR, HWND, DWORD);
  using EnumInterfacesFn = BOOL(WINAPI*)(HDEVINFO, PSP_DEVINFO_DATA, const GUID*, DWORD, PSP_DEVICE_INTERFACE_DATA);
  using InterfaceDetailFn = BOOL(WINAPI*)(HDEVINFO, PSP_DEVICE_INTERFACE_DATA, PSP_DEVICE_INTERFACE_DETAIL_DATA_W,
                                          DWORD, PDWORD, PSP_DEVINFO_DATA);
  using DestroyListFn = BOOL(WINAPI*)(HDEVINFO);
  HMODULE setupapi = LoadLibraryW(L"setupapi.dll");
  if (setupapi == nullptr) {
    note = "setupapi.dll not loadable";
    return out;
  }
  const auto get_class_devs = find_function<GetClassDevsFn>(L"setupapi.dll", "SetupDiGetClassDevsW");
  const auto enum_interfaces = find_function<EnumInterfacesFn>(L"setupapi.dll", "SetupDiEnumDeviceInterfaces");
  const auto detail = find_function<InterfaceDetailFn>(L"setupapi.dll", "SetupDiGetDeviceInterfaceDetailW");
  const auto destroy = find_function<DestroyListFn>(L"setupapi.dll", "SetupDiDestroyDeviceInfoList");
  if (!get_class_devs || !enum_interfaces || !detail || !destroy) {
    note = "setupapi.dll lacks the SetupDi functions";
    FreeLibrary(setupapi);
    return out;
  }
  HDEVINFO devices = get_class_devs(&k_guid_devclass_battery, nullptr, nullptr, DIGCF_PRESENT | DIGCF_DEVICEINTERFACE);
  if (devices == INVALID_HANDLE_VALUE) {
    note = "SetupDiGetClassDevsW(GUID_DEVCLASS_BATTERY) failed (error " + std::to_string(GetLastError()) + ")";
    FreeLibrary(setupapi);
    return out;
  }
  for (DWORD index = 0; index < k_max_batteries; ++index) {
    SP_DEVICE_INTERFACE_DATA iface{};
    iface.cbSize = sizeof iface;
    if (!enum_interfaces(devices, nullptr, &k_guid_devclass_battery, index, &iface)) break;  // no more
    DWORD needed = 0;
    detail(devices, &iface, nullptr, 0, &needed, nullptr);
    if (needed < sizeof(SP_DEVICE_INTERFACE_DETAIL_DATA_W)) continue;
    std::vector<std::uint8_t> buffer(needed);
    auto* path = reinterpret_cast<PSP_DEVICE_INTERFACE_DETAIL_DATA_W>(buffer.data());
    path->cbSize = sizeof(SP_DEVICE_INTERFACE_DETAIL_DATA_W);
    if (!detail(devices, &iface, path, needed, &needed, nullptr)) continue;
    HANDLE h = CreateFileW(path->DevicePath, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (h == INVALID_HANDLE_VALUE) {
      note = "a battery could not be opened (error " + std::to_string(GetLastError()) + ")";
      continue;
    }
    ULONG wait = 0;
    BatteryQueryInformation query{};
    DWORD returned = 0;
    if (DeviceIoControl(h, k_ioctl_battery_query_tag, &wait, sizeof wait, &query.battery_tag, sizeof query.battery_tag,
                        &returned, nullptr) &&
        query.battery_tag != 0) {
      std::uint8_t info[battery::k_battery_information_size] = {};
      query.information_level = 0;  // BatteryInformation
      if (DeviceIoControl(h, k_ioctl_battery_query_information, &query, sizeof query, info, sizeof info, &returned,
                          nullptr)) {
        if (auto parsed = battery::parse_battery_information(info, returned)) {
          out.push_back(parsed.value());
        } else {
          note = parsed.error().message;
        }
      } else {
        note = "IOCTL_BATTERY_QUERY_INFORMATION failed (error " + std::to_string(GetLastError()) + ")";
      }
    } else {
      note = "IOCTL_BATTERY_QUERY_TAG failed: no battery in the slot";
    }
    CloseHandle(h);
  }
  destroy(devices);
  FreeLibrary(setupapi);
  return out;
}

}  // namespace

json battery(const InventoryOptions&, Notes& notes) {
  json b = {{"present", false},    {"design_wh", nullptr},  {"full_wh", nullptr},
            {"wear_pct", nullptr}, {"charge_pct", nullptr}, {"cycle_count", nullptr}};
  SYSTEM_POWER_STATUS ps{};
  if (!GetSystemPowerStatus(&ps) || ps.BatteryFlag == 128 || ps.BatteryFlag == 255) return b;
  b["present"] = true;
  if (ps.BatteryLifePercent <= 100) b["charge_pct"] = ps.BatteryLifePercent;
  std::string why;
  const auto batteries = read_batteries(why);
  // Several batteries (some laptops have two): capacities and cycles summed over those that give them.
  std::uint64_t design = 0, full = 0, cycles = 0;
  bool have_cycles = false, relative = false;
  for (const auto& bat : batteries) {
    if (!bat.system_battery) continue;  // a UPS
    relative = relative || bat.relative;
    if (bat.design_mwh && bat.full_mwh) {
      design += *bat.design_mwh;
      full += *bat.full_mwh;
    }
    if (bat.cycle_count) {
      cycles += *bat.cycle_count;
      have_cycles = true;
    }
  }
  if (design > 0) {
    b["design_wh"] = static_cast<double>(design) / 1000.0;
    b["full_wh"] = static_cast<double>(full) / 1000.0;
    b["wear_pct"] = std::max(0.0, 100.0 * (1.0 - static_cast<double>(full) / static_cast<double>(design)));
  } else if (relative) {
    notes.push_back("battery.wear_pct: the battery reports relative capacities only (BATTERY_CAPACITY_RELATIVE)");
  } else {
    notes.push_back("battery.wear_pct: no design/full capacity from IOCTL_BATTERY_QUERY_INFORMATION" +
                    (why.empty() ? std::string() : " (" + why + ")"));
  }
  if (have_cycles) b["cycle_count"] = cycles;
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
