#pragma once
// Reading a Windows event log channel through wevtapi.dll (EvtQuery/EvtNext/EvtRender/EvtClose,
// Windows Vista and later), loaded at run time so the agent's imports stay those of Windows 7
// (tests/windows/imports-allowed.txt). Each event is rendered as XML for a portable parser. The
// one reader of instability/ (System log), boot/ (Diagnostics-Performance) and history/ (System
// log). Windows only (event_log_windows.cpp).
#include <cstddef>
#include <functional>
#include <string>

namespace itsa::collectors::eventlog {

/// One query of one channel.
struct EventQuery {
  const wchar_t* channel = L"System";  ///< a channel path ("System", "…/Operational")
  std::string xpath;                   ///< the XPath filter (ASCII)
  bool newest_first = false;           ///< EvtQueryReverseDirection
  std::size_t max_events = 10'000;     ///< stop after this many events
};

/// Calls `each` with every matching event's XML (UTF-8), oldest first unless newest_first, until
/// it returns false or max_events were seen. False, with `note` saying why (wevtapi.dll missing,
/// the query refused), when the channel could not be read at all. Never throws.
bool for_each_event_xml(const EventQuery& query, const std::function<bool(const std::string&)>& each,
                        std::string* note);

}  // namespace itsa::collectors::eventlog
