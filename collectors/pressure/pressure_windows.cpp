// Windows pressure counters: GetSystemTimes (idle/kernel/user 100-ns ticks),
// GlobalMemoryStatusEx (physical memory and commit charge for the pagefile) and the free
// space of the system drive, and the busy time of the system drive's physical disk
// (IOCTL_DISK_PERFORMANCE, IdleTime against QueryTime; Windows 2000 and later). Windows has
// no PSI: those stay null.
#include <windows.h>
#include <winioctl.h>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>

#include "collectors/pressure/pressure.hpp"

namespace itsa::collectors {
namespace {

std::uint64_t ticks(const FILETIME& f) {
  return (static_cast<std::uint64_t>(f.dwHighDateTime) << 32) | f.dwLowDateTime;
}

// SystemPageFileInformation (class 18) of NtQuerySystemInformation: sizes in pages.
struct PageFileInfo {
  ULONG next_entry_offset;
  ULONG total_size;
  ULONG total_in_use;
  ULONG peak_usage;
  USHORT name_length;
  USHORT name_max_length;
  PWSTR name;
};
using NtQuerySystemInformationFn = LONG(WINAPI*)(ULONG, PVOID, ULONG, PULONG);

// Share of all page files in use; nullopt when there is no page file.
std::optional<double> pagefile_used_pct() {
  HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  if (!ntdll) return std::nullopt;
  auto query = reinterpret_cast<NtQuerySystemInformationFn>(
      reinterpret_cast<void*>(GetProcAddress(ntdll, "NtQuerySystemInformation")));
  if (!query) return std::nullopt;
  alignas(8) unsigned char buf[4096] = {};
  ULONG len = 0;
  if (query(18, buf, sizeof buf, &len) != 0 || len == 0) return std::nullopt;
  std::uint64_t total = 0, used = 0;
  std::size_t off = 0;
  while (off + sizeof(PageFileInfo) <= sizeof buf) {
    const auto* p = reinterpret_cast<const PageFileInfo*>(buf + off);
    total += p->total_size;
    used += p->total_in_use;
    if (p->next_entry_offset == 0) break;
    off += p->next_entry_offset;
  }
  if (total == 0) return std::nullopt;
  return 100.0 * static_cast<double>(used) / static_cast<double>(total);
}

std::wstring system_drive() {
  wchar_t drive[MAX_PATH] = L"C:";
  if (GetEnvironmentVariableW(L"SystemDrive", drive, MAX_PATH) == 0) return L"C:";
  return drive;
}

// \\.\PhysicalDriveN of the disk holding %SystemDrive% (its first extent), opened without
// read/write access: IOCTL_DISK_PERFORMANCE is FILE_ANY_ACCESS. INVALID_HANDLE_VALUE when unknown.
HANDLE open_system_disk() {
  const std::wstring volume = L"\\\\.\\" + system_drive();
  HANDLE v = CreateFileW(volume.c_str(), 0, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_EXISTING, 0, nullptr);
  if (v == INVALID_HANDLE_VALUE) return INVALID_HANDLE_VALUE;
  alignas(8) unsigned char buf[sizeof(VOLUME_DISK_EXTENTS) + 8 * sizeof(DISK_EXTENT)] = {};
  DWORD got = 0;
  const BOOL ok = DeviceIoControl(v, IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS, nullptr, 0, buf, sizeof buf, &got, nullptr);
  CloseHandle(v);
  const auto* extents = reinterpret_cast<const VOLUME_DISK_EXTENTS*>(buf);
  if (!ok || extents->NumberOfDiskExtents == 0) return INVALID_HANDLE_VALUE;
  const std::wstring disk = L"\\\\.\\PhysicalDrive" + std::to_wstring(extents->Extents[0].DiskNumber);
  return CreateFileW(disk.c_str(), 0, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_EXISTING, 0, nullptr);
}

std::uint64_t quad(const LARGE_INTEGER& v) {
  return v.QuadPart > 0 ? static_cast<std::uint64_t>(v.QuadPart) : 0;
}

class WindowsPressureSource final : public PressureSource {
 public:
  WindowsPressureSource() : m_disk(open_system_disk()) {}
  ~WindowsPressureSource() override {
    if (m_disk != INVALID_HANDLE_VALUE) CloseHandle(m_disk);
  }
  WindowsPressureSource(const WindowsPressureSource&) = delete;
  WindowsPressureSource& operator=(const WindowsPressureSource&) = delete;

  PressureCounters read() override {
    PressureCounters c;
    FILETIME idle{}, kernel{}, user{};
    if (GetSystemTimes(&idle, &kernel, &user)) {
      // Kernel time includes idle time.
      c.cpu_total_ticks = ticks(kernel) + ticks(user);
      c.cpu_idle_ticks = ticks(idle);
    }
    MEMORYSTATUSEX ms{};
    ms.dwLength = sizeof ms;
    if (GlobalMemoryStatusEx(&ms) && ms.ullTotalPhys > 0) {
      c.mem_used_pct =
          100.0 * static_cast<double>(ms.ullTotalPhys - ms.ullAvailPhys) / static_cast<double>(ms.ullTotalPhys);
    }
    c.swap_used_pct = pagefile_used_pct();
    wchar_t drive[MAX_PATH] = L"C:\\";
    if (GetEnvironmentVariableW(L"SystemDrive", drive, MAX_PATH) > 0) wcscat_s(drive, L"\\");
    ULARGE_INTEGER avail{}, total{}, free_total{};
    if (GetDiskFreeSpaceExW(drive, &avail, &total, &free_total) && total.QuadPart > 0)
      c.system_disk_free_pct = 100.0 * static_cast<double>(avail.QuadPart) / static_cast<double>(total.QuadPart);
    read_disk(c);
    return c;
  }

 private:
  // Busy = QueryTime − IdleTime (both 100-ns units, cumulative), with QueryTime as the clock.
  void read_disk(PressureCounters& c) const {
    if (m_disk == INVALID_HANDLE_VALUE) return;
    DISK_PERFORMANCE p{};
    DWORD got = 0;
    if (!DeviceIoControl(m_disk, IOCTL_DISK_PERFORMANCE, nullptr, 0, &p, sizeof p, &got, nullptr) ||
        got < offsetof(DISK_PERFORMANCE, StorageDeviceNumber))
      return;
    const std::uint64_t query = quad(p.QueryTime), idle = quad(p.IdleTime);
    if (query == 0 || idle > query) return;
    c.disk_busy_us = (query - idle) / 10;
    c.disk_clock_us = query / 10;
  }

  HANDLE m_disk;
};

}  // namespace

std::unique_ptr<PressureSource> make_pressure_source(const std::filesystem::path&) {
  return std::make_unique<WindowsPressureSource>();
}

}  // namespace itsa::collectors
