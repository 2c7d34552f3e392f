// The start-time instability check (see instability_check.hpp).
#include "agent/instability_check.hpp"

#include <set>

#include "common/log.hpp"
#include "common/time_format.hpp"
#include "protocol/record_types.hpp"
#include "store/evidence_store.hpp"

namespace rt = itsa::protocol::record_type;
namespace inst = itsa::collectors::instability;

namespace itsa::agent {

using nlohmann::json;

namespace {

constexpr auto k_draft_slack = std::chrono::minutes(2);
constexpr auto k_first_history = std::chrono::hours(24 * 31);

json time_or_null(const std::optional<UtcTime>& t) {
  return t ? json(to_rfc3339(*t)) : json(nullptr);
}

}  // namespace

int record_instability(store::EvidenceStore& store, const PreviousRun& previous, UtcTime now,
                       const MarkReader& read_marks) {
  auto log = log::get("daemon");
  const UtcTime since = previous.last_seen ? *previous.last_seen - k_draft_slack : now - k_first_history;
  std::string note;
  std::vector<inst::SystemMark> marks;
  try {
    marks = read_marks(since, &note);
  } catch (const std::exception& e) {
    note = e.what();
  }
  if (!note.empty()) log->info("crash records: {}", note);

  std::set<std::string> recorded;
  if (auto old = store.query(rt::instability, now - k_first_history - std::chrono::hours(24), 100'000); old) {
    for (const auto& r : old.value())
      if (r.payload.contains("id") && r.payload["id"].is_string()) recorded.insert(r.payload["id"].get<std::string>());
  } else {
    log->warn("earlier instability records not readable: {}", old.error().message);
  }

  int appended = 0;
  auto append = [&](json payload) {
    if (auto r = store.append(rt::instability, now, std::move(payload)); r)
      ++appended;
    else
      log->error("cannot record {}: {}", rt::instability, r.error().message);
  };

  // Marks of the gap since the previous run: what proves a crash, and the system's own shutdown marks.
  json evidence = json::array();
  bool crash_in_gap = false;
  for (const auto& m : marks) {
    const bool in_gap = previous.last_seen && m.at && *m.at >= since && *m.at <= now;
    if (in_gap) {
      evidence.push_back({{"id", m.id}, {"kind", m.kind}, {"at", time_or_null(m.at)}});
      crash_in_gap = crash_in_gap || m.crash;
    }
    if (!m.crash || recorded.count(m.id)) continue;
    recorded.insert(m.id);
    append({{"event", "os_crash"},
            {"id", m.id},
            {"at", time_or_null(m.at)},
            {"source", m.source},
            {"kind", m.kind},
            {"bugcheck_code", m.bugcheck_code ? json(*m.bugcheck_code) : json(nullptr)}});
    log->warn("OS crash record found: {} ({}) at {}", m.kind, m.source, m.at ? to_rfc3339(*m.at) : "unknown time");
  }

  if (previous.crashed && !previous.boot_id.empty() && previous.boot_id != store.boot_id()) {
    append({{"event", "unexpected_shutdown"},
            {"id", "boot:" + store.boot_id()},
            {"last_seen", time_or_null(previous.last_seen)},
            {"previous_boot_id", previous.boot_id},
            {"cause", crash_in_gap ? "os_crash" : "unknown"},
            {"source", "itsa"},
            {"evidence", evidence}});
    log->warn("the PC went down without a clean shutdown after {} (cause {})",
              previous.last_seen ? to_rfc3339(*previous.last_seen) : "an unknown time",
              crash_in_gap ? "OS crash" : "unknown: no crash record");
  }
  return appended;
}

}  // namespace itsa::agent
