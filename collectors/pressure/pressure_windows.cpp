// Windows pressure counters: GetSystemTimes (idle/kernel/user 100-ns ticks),
// GlobalMemoryStatusEx (physical memory and commit charge for the pagefile) and the free
// space of the system drive. Windows has no PSI: those stay null.
#include <windows.h>

#include <algorithm>
#include <optional>

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

class WindowsPressureSource final : public PressureSource {
 public:
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
    return c;
  }
};

}  // namespace

std::unique_ptr<PressureSource> make_pressure_source(const std::filesystem::path&) {
  return std::make_unique<WindowsPressureSource>();
}

}  // namespace itsa::collectors
