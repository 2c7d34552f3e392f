// Windows crash and unexpected-shutdown marks from the System event log: Kernel-Power 41,
// EventLog 6008 and BugCheck 1001, queried with wevtapi.dll (Windows Vista and later) loaded at
// run time, so the agent's imports stay those of Windows 7 (tests/windows/imports-allowed.txt).
// Each event is rendered as XML and parsed by parse_windows_event_xml() (portable, tested).
#include <windows.h>

#include <string>

#include "collectors/instability/instability.hpp"

namespace itsa::collectors::instability {
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
constexpr DWORD k_evt_query_forward = 0x100;     // EvtQueryForwardDirection
constexpr DWORD k_evt_render_event_xml = 1;      // EvtRenderEventXml
constexpr DWORD k_max_events = 10'000;           // a month of a very unstable PC is far fewer

std::wstring widen(const std::string& s) {
  std::wstring w;
  for (char c : s) w += static_cast<wchar_t>(static_cast<unsigned char>(c));  // the query is ASCII
  return w;
}

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

std::vector<SystemMark> read_system_marks(UtcTime since, std::string* note) {
  std::vector<SystemMark> out;
  auto say = [&](const std::string& what) {
    if (note) *note += (note->empty() ? "" : "; ") + what;
  };
  HMODULE wevtapi = LoadLibraryW(L"wevtapi.dll");
  if (!wevtapi) {
    say("wevtapi.dll not available (Windows XP/2003): System log not read");
    return out;
  }
  const auto query = function<EvtQueryFn>(wevtapi, "EvtQuery");
  const auto next = function<EvtNextFn>(wevtapi, "EvtNext");
  const auto render = function<EvtRenderFn>(wevtapi, "EvtRender");
  const auto close = function<EvtCloseFn>(wevtapi, "EvtClose");
  if (!query || !next || !render || !close) {
    say("wevtapi.dll lacks EvtQuery/EvtNext/EvtRender/EvtClose");
    FreeLibrary(wevtapi);
    return out;
  }
  const std::wstring xpath = widen(windows_event_query(since));
  EvtHandle results = query(nullptr, L"System", xpath.c_str(), k_evt_query_channel_path | k_evt_query_forward);
  if (!results) {
    say("System log query failed (error " + std::to_string(GetLastError()) + ")");
    FreeLibrary(wevtapi);
    return out;
  }
  std::wstring buffer(4096, L'\0');
  DWORD seen = 0;
  for (;;) {
    EvtHandle events[16];
    DWORD returned = 0;
    if (!next(results, 16, events, 1000, 0, &returned)) break;  // ERROR_NO_MORE_ITEMS or a failure: stop
    for (DWORD i = 0; i < returned; ++i) {
      DWORD used = 0, properties = 0;
      const DWORD bytes = static_cast<DWORD>(buffer.size() * sizeof(wchar_t));
      if (!render(nullptr, events[i], k_evt_render_event_xml, bytes, buffer.data(), &used, &properties) &&
          GetLastError() == ERROR_INSUFFICIENT_BUFFER) {
        buffer.assign(used / sizeof(wchar_t) + 1, L'\0');
        const DWORD bigger = static_cast<DWORD>(buffer.size() * sizeof(wchar_t));
        if (!render(nullptr, events[i], k_evt_render_event_xml, bigger, buffer.data(), &used, &properties)) used = 0;
      }
      if (used > 0)
        if (auto mark = parse_windows_event_xml(narrow(buffer.c_str()))) out.push_back(std::move(*mark));
      close(events[i]);
    }
    seen += returned;
    if (seen >= k_max_events) break;
  }
  close(results);
  FreeLibrary(wevtapi);
  return out;
}

}  // namespace itsa::collectors::instability
