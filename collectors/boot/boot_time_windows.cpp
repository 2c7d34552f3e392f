// Windows boot duration: Diagnostics-Performance event 100 ("Windows has started up", data
// BootTime in ms) of the Microsoft-Windows-Diagnostics-Performance/Operational log, one per boot
// Windows measured, the newest k_kept_boots, through the shared wevtapi.dll reader
// (collectors/eventlog/event_log.hpp, loaded at run time: the agent's imports stay those of
// Windows 7). Each event is rendered as XML and parsed by parse_boot_event_xml() (portable, tested).
#include <windows.h>

#include <chrono>
#include <string>

#include "collectors/boot/boot_time.hpp"
#include "collectors/eventlog/event_log.hpp"
#include "common/time_format.hpp"

namespace itsa::collectors::boot {

BootReading read_boots() {
  BootReading r;
  eventlog::EventQuery query;
  query.channel = L"Microsoft-Windows-Diagnostics-Performance/Operational";
  query.xpath = "*[System[(EventID=100)]]";
  query.newest_first = true;
  query.max_events = 1000;  // the newest event 100s; other events of the channel are not matched
  std::string why;
  const bool read = eventlog::for_each_event_xml(
      query,
      [&](const std::string& xml) {
        if (auto boot = parse_boot_event_xml(xml)) r.boots.push_back(std::move(*boot));
        return r.boots.size() < k_kept_boots;
      },
      &why);
  if (!read) {
    r.note = "boot_durations: Diagnostics-Performance log not read (" + why + "): boot duration unknown";
    return r;
  }
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
