// The wevtapi.dll reader (see event_log.hpp): loaded at run time, events rendered as XML.
#include <windows.h>

#include <string>

#include "collectors/eventlog/event_log.hpp"

namespace itsa::collectors::eventlog {
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
constexpr DWORD k_evt_query_reverse = 0x200;     // EvtQueryReverseDirection: newest first
constexpr DWORD k_evt_render_event_xml = 1;      // EvtRenderEventXml
constexpr DWORD k_batch = 16;

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

bool for_each_event_xml(const EventQuery& q, const std::function<bool(const std::string&)>& each, std::string* note) {
  auto say = [&](const std::string& what) {
    if (note) *note += (note->empty() ? "" : "; ") + what;
  };
  HMODULE wevtapi = LoadLibraryW(L"wevtapi.dll");
  if (!wevtapi) {
    say("wevtapi.dll not available (Windows XP/2003)");
    return false;
  }
  const auto query = function<EvtQueryFn>(wevtapi, "EvtQuery");
  const auto next = function<EvtNextFn>(wevtapi, "EvtNext");
  const auto render = function<EvtRenderFn>(wevtapi, "EvtRender");
  const auto close = function<EvtCloseFn>(wevtapi, "EvtClose");
  if (!query || !next || !render || !close) {
    say("wevtapi.dll lacks EvtQuery/EvtNext/EvtRender/EvtClose");
    FreeLibrary(wevtapi);
    return false;
  }
  const std::wstring xpath = widen(q.xpath);
  EvtHandle results = query(nullptr, q.channel, xpath.c_str(),
                            k_evt_query_channel_path | (q.newest_first ? k_evt_query_reverse : k_evt_query_forward));
  if (!results) {
    say("log query failed (error " + std::to_string(GetLastError()) + ")");
    FreeLibrary(wevtapi);
    return false;
  }
  std::wstring buffer(8192, L'\0');
  std::size_t seen = 0;
  bool more = true;
  while (more && seen < q.max_events) {
    EvtHandle events[k_batch];
    DWORD returned = 0;
    if (!next(results, k_batch, events, 1000, 0, &returned)) break;  // ERROR_NO_MORE_ITEMS or a failure: stop
    for (DWORD i = 0; i < returned; ++i) {
      if (more && seen < q.max_events) {
        DWORD used = 0, properties = 0;
        const DWORD bytes = static_cast<DWORD>(buffer.size() * sizeof(wchar_t));
        if (!render(nullptr, events[i], k_evt_render_event_xml, bytes, buffer.data(), &used, &properties)) {
          if (GetLastError() == ERROR_INSUFFICIENT_BUFFER) {  // `used` holds the size it needs
            buffer.assign(used / sizeof(wchar_t) + 1, L'\0');
            const DWORD bigger = static_cast<DWORD>(buffer.size() * sizeof(wchar_t));
            if (!render(nullptr, events[i], k_evt_render_event_xml, bigger, buffer.data(), &used, &properties))
              used = 0;
          } else {
            used = 0;
          }
        }
        ++seen;
        if (used > 0) more = each(narrow(buffer.c_str()));
      }
      close(events[i]);
    }
  }
  close(results);
  FreeLibrary(wevtapi);
  return true;
}

}  // namespace itsa::collectors::eventlog
