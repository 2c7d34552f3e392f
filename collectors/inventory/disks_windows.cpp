// Windows disks: \\.\PhysicalDriveN with IOCTL_STORAGE_QUERY_PROPERTY (model, bus type,
// seek penalty → ssd/hdd) and IOCTL_DISK_GET_LENGTH_INFO; the system disk is the one
// holding %SystemDrive% (IOCTL_STORAGE_GET_DEVICE_NUMBER).
#include <windows.h>
#include <winioctl.h>

#include <string>
#include <vector>

#include "collectors/inventory/platform.hpp"
#include "collectors/inventory/win_util.hpp"
#include "collectors/smbios/decode.hpp"

namespace itsa::collectors::platform {
namespace {

using nlohmann::json;

const char* bus_name(STORAGE_BUS_TYPE t) {
  switch (t) {
    case BusTypeAta:
      return "ata";
    case BusTypeSata:
      return "sata";
    case BusTypeNvme:
      return "nvme";
    case BusTypeUsb:
      return "usb";
    case BusTypeScsi:
      return "scsi";
    case BusTypeSas:
      return "sas";
    case BusTypeRAID:
      return "raid";
    case BusTypeSd:
      return "sd";
    case BusTypeMmc:
      return "mmc";
    case BusTypeVirtual:
      return "virtual";
    case BusTypeFileBackedVirtual:
      return "virtual";
    default:
      return "unknown";
  }
}

// Device number of the disk holding the system drive; -1 when unknown.
long system_disk_number() {
  wchar_t drive[MAX_PATH] = L"C:";
  GetEnvironmentVariableW(L"SystemDrive", drive, MAX_PATH);
  const std::wstring path = std::wstring(L"\\\\.\\") + drive;
  HANDLE h = CreateFileW(path.c_str(), 0, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_EXISTING, 0, nullptr);
  if (h == INVALID_HANDLE_VALUE) return -1;
  STORAGE_DEVICE_NUMBER n{};
  DWORD got = 0;
  const BOOL ok = DeviceIoControl(h, IOCTL_STORAGE_GET_DEVICE_NUMBER, nullptr, 0, &n, sizeof n, &got, nullptr);
  CloseHandle(h);
  return ok ? static_cast<long>(n.DeviceNumber) : -1;
}

}  // namespace

json disks(const InventoryOptions&, Notes& notes) {
  json out = json::array();
  const long system = system_disk_number();
  if (system < 0) notes.push_back("disks.system: the disk holding %SystemDrive% was not found");
  for (int i = 0; i < 32; ++i) {
    const std::wstring path = L"\\\\.\\PhysicalDrive" + std::to_wstring(i);
    HANDLE h = CreateFileW(path.c_str(), 0, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_EXISTING, 0, nullptr);
    if (h == INVALID_HANDLE_VALUE) continue;
    json d;
    d["name"] = "PhysicalDrive" + std::to_string(i);
    d["model"] = nullptr;
    d["bus"] = "unknown";
    d["media"] = "unknown";
    d["removable"] = nullptr;
    STORAGE_PROPERTY_QUERY q{};
    q.PropertyId = StorageDeviceProperty;
    q.QueryType = PropertyStandardQuery;
    std::vector<unsigned char> buf(4096);
    DWORD got = 0;
    if (DeviceIoControl(h, IOCTL_STORAGE_QUERY_PROPERTY, &q, sizeof q, buf.data(), static_cast<DWORD>(buf.size()), &got,
                        nullptr) &&
        got >= sizeof(STORAGE_DEVICE_DESCRIPTOR)) {
      const auto* desc = reinterpret_cast<const STORAGE_DEVICE_DESCRIPTOR*>(buf.data());
      if (desc->ProductIdOffset && desc->ProductIdOffset < got) {
        const char* model = reinterpret_cast<const char*>(buf.data() + desc->ProductIdOffset);
        const std::string m(model, strnlen(model, got - desc->ProductIdOffset));
        if (auto c = smbios::clean_string(m)) d["model"] = *c;
      }
      d["bus"] = bus_name(desc->BusType);
      d["removable"] = desc->RemovableMedia != FALSE;
    }
    q.PropertyId = StorageDeviceSeekPenaltyProperty;
    DEVICE_SEEK_PENALTY_DESCRIPTOR seek{};
    if (DeviceIoControl(h, IOCTL_STORAGE_QUERY_PROPERTY, &q, sizeof q, &seek, sizeof seek, &got, nullptr) &&
        got >= sizeof seek)
      d["media"] = seek.IncursSeekPenalty ? "hdd" : "ssd";
    else
      notes.push_back("disks[" + d["name"].get<std::string>() + "].media: the driver does not report a seek penalty");
    GET_LENGTH_INFORMATION len{};
    d["size_bytes"] = DeviceIoControl(h, IOCTL_DISK_GET_LENGTH_INFO, nullptr, 0, &len, sizeof len, &got, nullptr)
                          ? json(static_cast<std::uint64_t>(len.Length.QuadPart))
                          : json(nullptr);
    CloseHandle(h);
    d["system"] = system == i;
    d["system_fs"] = nullptr;
    if (system == i) {
      wchar_t drive[MAX_PATH] = L"C:";
      GetEnvironmentVariableW(L"SystemDrive", drive, MAX_PATH);
      const std::wstring root = std::wstring(drive) + L"\\";
      ULARGE_INTEGER avail{}, total{}, free_total{};
      if (GetDiskFreeSpaceExW(root.c_str(), &avail, &total, &free_total))
        d["system_fs"] = {{"mount", win::utf8(drive)}, {"size_bytes", total.QuadPart}, {"free_bytes", avail.QuadPart}};
    }
    out.push_back(std::move(d));
  }
  if (out.empty()) notes.push_back("disks: no \\\\.\\PhysicalDriveN could be opened");
  return out;
}

}  // namespace itsa::collectors::platform
