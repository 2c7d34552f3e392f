// Logged events → `history` payloads (see history.hpp): one group per UTC day, kind, source,
// provider, event id and adapter. Portable.
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "collectors/history/history.hpp"
#include "common/time_format.hpp"

namespace itsa::collectors::history {

std::vector<protocol::HistoryGroup> group_events(const std::vector<LogEvent>& events, bool before_install) {
  using Key = std::tuple<std::string, std::string, std::string, std::string, int, std::string, bool, bool>;
  std::map<Key, protocol::HistoryGroup> groups;
  for (const LogEvent& e : events) {
    const std::string day = to_rfc3339(e.at).substr(0, 10);
    const Key key{day,          e.kind,     e.source, e.provider, e.event_id.value_or(-1), e.adapter.value_or(""),
                  !!e.event_id, !!e.adapter};
    auto [it, fresh] = groups.try_emplace(key);
    protocol::HistoryGroup& g = it->second;
    if (fresh) {
      g.source = e.source;
      g.kind = e.kind;
      g.provider = e.provider;
      g.event_id = e.event_id;
      g.adapter = e.adapter;
      g.day = day;
      g.first = g.last = to_rfc3339(e.at);
      g.before_install = before_install;
    }
    ++g.count;
    const std::string at = to_rfc3339(e.at);
    if (at < g.first) g.first = at;
    if (at > g.last) g.last = at;
  }
  std::vector<protocol::HistoryGroup> out;
  for (auto& [key, g] : groups) {
    const auto first = parse_rfc3339(g.first);
    g.id = fmt::format("{}:{}:{}:{}:{}:{}:{}", g.source, g.day, g.kind, g.provider,
                       g.event_id ? std::to_string(*g.event_id) : "", g.adapter.value_or(""),
                       first ? to_unix_ms(*first) : 0);
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace itsa::collectors::history
