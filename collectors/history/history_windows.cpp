// Windows: the System event log's link and power events (history.hpp) through the shared
// wevtapi.dll reader (collectors/eventlog/event_log.hpp, loaded at run time: the agent's imports
// stay those of Windows 7). Each event is rendered as XML and parsed by parse_windows_event().
#include <fmt/format.h>

#include "collectors/eventlog/event_log.hpp"
#include "collectors/history/history.hpp"

namespace itsa::collectors::history {

namespace {
constexpr std::size_t k_max_events = 100'000;  // 90 days of a flapping link; the rest is noted
}

HistoryReading read_history(UtcTime since, UtcTime until) {
  HistoryReading r;
  eventlog::EventQuery query;
  query.xpath = windows_query(since, until);
  query.max_events = k_max_events;
  std::size_t seen = 0;
  std::string why;
  r.read = eventlog::for_each_event_xml(
      query,
      [&](const std::string& xml) {
        ++seen;
        if (auto e = parse_windows_event(xml)) r.events.push_back(std::move(*e));
        return true;
      },
      &why);
  if (!r.read)
    r.note = "System log not read: " + why;
  else if (seen >= k_max_events)
    r.note = fmt::format("System log: stopped after {} events; later ones not read", k_max_events);
  return r;
}

}  // namespace itsa::collectors::history
