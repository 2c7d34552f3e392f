// The system log's history from before itsa (issue 18 item 4): `history` records (link down/up,
// NIC resets, unexpected shutdowns and crashes the operating system logged itself, read back by
// the agent at its first start) counted per PC. Shown apart, titled as read from the system log;
// never added to a measured figure (outages, downtime, availability, instability).
#include <algorithm>
#include <set>

#include "common/time_format.hpp"
#include "protocol/history.hpp"
#include "protocol/record_types.hpp"
#include "report/compute_detail.hpp"

namespace rt = itsa::protocol::record_type;

namespace itsa::report::detail {

using nlohmann::json;

void digest_history(const Context& ctx, const MachineInput& machine, MachineDigest& digest) {
  for (const Record& r : machine.records) {
    if (r.type != rt::history) continue;
    const long long made = to_unix_ms(r.time);  // by the time the record was made, as a day digest reads it
    if (made < ctx.from_ms || made >= ctx.to_ms) continue;
    const auto group = protocol::history_group_of(r.payload);
    if (!group) continue;
    const auto first = parse_rfc3339(group->first);
    const auto last = parse_rfc3339(group->last);
    if (!first || !last) continue;
    digest.history[group->id] = {group->kind,       group->count,          to_unix_ms(*first),
                                 to_unix_ms(*last), group->before_install, group->source};
  }
}

json compute_history(const Context& ctx) {
  static const char* const k_kinds[] = {protocol::history_kind::link_down, protocol::history_kind::link_up,
                                        protocol::history_kind::nic_reset, protocol::history_kind::unexpected_shutdown,
                                        protocol::history_kind::crash};
  json rows = json::array();
  json totals = json::object();
  for (const char* k : k_kinds) totals[k] = 0;
  for (std::size_t i = 0; i < ctx.machines.size(); ++i) {
    const MachineDigest& d = *ctx.digests[i];
    json counts = json::object();
    for (const char* k : k_kinds) counts[k] = 0;
    long long first = 0, last = 0, events = 0;
    std::set<std::string> sources;
    for (const auto& [id, h] : d.history) {
      if (!h.before_install || !counts.contains(h.kind)) continue;
      counts[h.kind] = counts[h.kind].get<long long>() + h.count;
      totals[h.kind] = totals[h.kind].get<long long>() + h.count;
      events += h.count;
      first = first == 0 ? h.first_ms : std::min(first, h.first_ms);
      last = std::max(last, h.last_ms);
      sources.insert(h.source);
    }
    if (events == 0) continue;
    json row = {{"agent_id", ctx.machines[i]->agent_id},
                {"hostname", ctx.machines[i]->hostname},
                {"site", ctx.machines[i]->site},
                {"first", utc_text(first)},
                {"last", utc_text(last)},
                {"sources", json(std::vector<std::string>(sources.begin(), sources.end()))}};
    for (const char* k : k_kinds) row[k] = counts[k];
    rows.push_back(std::move(row));
  }
  return {{"machines", rows}, {"machines_with_events", rows.size()}, {"totals", totals}};
}

}  // namespace itsa::report::detail
