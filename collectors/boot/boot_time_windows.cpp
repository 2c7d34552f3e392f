// Windows boot duration: Diagnostics-Performance event 100 ("Windows has started up", data
// BootTime in ms) of the Microsoft-Windows-Diagnostics-Performance/Operational log, one per boot
// Windows measured, the newest k_kept_boots, through wevtapi.dll (Windows Vista and later)
// loaded at run time, as the instability collector reads the System log, so the agent's imports
// stay those of Windows 7 (tests/windows/imports-allowed.txt). Each event is rendered as XML and
// parsed by parse_boot_event_xml() (portable, tested).
#include <windows.h>

#include <chrono>
#include <string>

#include "collectors/boot/boot_time.hpp"
#include "common/time_format.hpp"

namespace itsa::collectors::boot {
namespace {

using EvtHandle = HANDLE;
// wevtapi.h (winevt.h): EvtQuery, EvtNext, EvtRender, EvtClose.
using EvtQueryFn = EvtHandle(WINAPI*)(EvtHandle session, LPCWSTR path, LPCWSTR query, DWORD flags);
using EvtNextFn = BOOL(WINAPI*)(EvtHandle result_set, DWORD size, EvtHandle* events, DWORD timeout, DWORD flags,
                                DWORD* returned);
using EvtRenderFn = BOOL(WINAPI*)(EvtHandle context, EvtHandle fragment, DWORD flags, DWORD buffer_size, PVOID buffer,
                                  DWORD* used, DWORD* property_count);
using EvtCloseFn = BOOL(WINAPI*)(EvtHandle object);

constexpr DWORD k_evt_query_channel_path = 0x1;  // EvtQueryChannelPath
constexpr DWORD k_evt_query_reverse = 0x200;     // EvtQueryReverseDirection: newest first
constexpr DWORD k_evt_render_event_xml = 1;      // EvtRenderEventXml
constexpr wchar_t k_channel[] = L"Microsoft-Windows-Diagnostics-Performance/Operational";

std::string narrow(const wchar_t* w) {
  const int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, nullptr, 0, nullptr, nullptr);
  if (n <= 1) return {};
  std::string s(static_cast<std::size_t>(n - 1), '\0');
  WideCharToMultiByte(CP_UTF8, 0, w, -1, s.data(), n, nullptr, nullptr);
  return s;
}

template <class Fn>
Fn function(HMODULE module, const char* name) {
  return reinterpret_cast<Fn>(reinterpret_cast<void*>(GetProcAddress(module, name)));
}

}  // namespace

BootReading read_boots() {
  BootReading r;
  HMODULE wevtapi = LoadLibraryW(L"wevtapi.dll");
  if (!wevtapi) {
    r.note = "boot_durations: wevtapi.dll not available: boot duration unknown";
    return r;
  }
  const auto query = function<EvtQueryFn>(wevtapi, "EvtQuery");
  const auto next = function<EvtNextFn>(wevtapi, "EvtNext");
  const auto render = function<EvtRenderFn>(wevtapi, "EvtRender");
  const auto close = function<EvtCloseFn>(wevtapi, "EvtClose");
  if (!query || !next || !render || !close) {
    r.note = "boot_durations: wevtapi.dll lacks EvtQuery/EvtNext/EvtRender/EvtClose";
    FreeLibrary(wevtapi);
    return r;
  }
  EvtHandle results =
      query(nullptr, k_channel, L"*[System[(EventID=100)]]", k_evt_query_channel_path | k_evt_query_reverse);
  if (!results) {
    r.note = "boot_durations: Diagnostics-Performance log query failed (error " + std::to_string(GetLastError()) +
             "): boot duration unknown";
    FreeLibrary(wevtapi);
    return r;
  }
  std::wstring buffer(8192, L'\0');
  while (r.boots.size() < k_kept_boots) {
    EvtHandle events[k_kept_boots];
    DWORD returned = 0;
    if (!next(results, static_cast<DWORD>(k_kept_boots), events, 1000, 0, &returned)) break;  // no more, or failed
    for (DWORD i = 0; i < returned; ++i) {
      DWORD used = 0, properties = 0;
      const DWORD bytes = static_cast<DWORD>(buffer.size() * sizeof(wchar_t));
      if (!render(nullptr, events[i], k_evt_render_event_xml, bytes, buffer.data(), &used, &properties) &&
          GetLastError() == ERROR_INSUFFICIENT_BUFFER) {
        buffer.assign(used / sizeof(wchar_t) + 1, L'\0');
        const DWORD bigger = static_cast<DWORD>(buffer.size() * sizeof(wchar_t));
        if (!render(nullptr, events[i], k_evt_render_event_xml, bigger, buffer.data(), &used, &properties)) used = 0;
      }
      if (used > 0 && r.boots.size() < k_kept_boots)
        if (auto boot = parse_boot_event_xml(narrow(buffer.c_str()))) r.boots.push_back(std::move(*boot));
      close(events[i]);
    }
  }
  close(results);
  FreeLibrary(wevtapi);
  // Windows writes event 100 minutes after the desktop appears; the service starts before: while
  // this boot is under an hour old and the log has no event of it yet, read again later.
  const auto uptime = std::chrono::milliseconds(GetTickCount64());
  const UtcTime booted = std::chrono::time_point_cast<UtcTime::duration>(std::chrono::system_clock::now()) - uptime;
  bool this_boot = false;
  for (const auto& b : r.boots)
    if (b.start)
      if (auto t = parse_rfc3339(*b.start); t && *t >= booted - std::chrono::minutes(2)) this_boot = true;
  r.pending = !this_boot && uptime < std::chrono::hours(1);
  if (r.boots.empty()) r.note = "boot_durations: no Diagnostics-Performance event 100 in the log";
  return r;
}

}  // namespace itsa::collectors::boot
