// Windows crash and unexpected-shutdown marks from the System event log: Kernel-Power 41,
// EventLog 6008 and BugCheck 1001, read through the shared wevtapi.dll reader
// (collectors/eventlog/event_log.hpp, loaded at run time: the agent's imports stay those of
// Windows 7). Each event is rendered as XML and parsed by parse_windows_event_xml() (portable, tested).
#include <string>

#include "collectors/eventlog/event_log.hpp"
#include "collectors/instability/instability.hpp"

namespace itsa::collectors::instability {

std::vector<SystemMark> read_system_marks(UtcTime since, std::string* note) {
  std::vector<SystemMark> out;
  eventlog::EventQuery query;
  query.xpath = windows_event_query(since);
  query.max_events = 10'000;  // a month of a very unstable PC is far fewer
  std::string why;
  const bool read = eventlog::for_each_event_xml(
      query,
      [&](const std::string& xml) {
        if (auto mark = parse_windows_event_xml(xml)) out.push_back(std::move(*mark));
        return true;
      },
      &why);
  if (!read && note) *note += (note->empty() ? "" : "; ") + ("System log not read: " + why);
  return out;
}

}  // namespace itsa::collectors::instability
