#pragma once
// What happened to the PC between the previous run and this start, as `instability` records
// (docs/protocol.md): an `unexpected_shutdown` when the previous run ended without a clean stop
// (its coverage span "crashed") in another OS boot, and an `os_crash` for each crash record the
// system kept (pstore, the Windows System log). The shutdown's cause is "os_crash" only when a crash
// record of that gap proves it, else "unknown" (a power cut, the power switch, a hang).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "collectors/instability/instability.hpp"
#include "common/clock.hpp"

namespace itsa::store {
class EvidenceStore;
}

namespace itsa::agent {

/// How the previous run ended, as the daemon's close_previous_run() found it.
struct PreviousRun {
  bool crashed = false;              ///< its span was closed "crashed" at this start
  std::optional<UtcTime> last_seen;  ///< the last moment it observed
  std::string boot_id;               ///< the OS boot it ran in (its latest lifecycle record's)
  bool known = false;                ///< a previous run exists in the store
};

using MarkReader = std::function<std::vector<collectors::instability::SystemMark>(UtcTime since, std::string* note)>;

/// Appends the `instability` records of this start to `store` (made at `now`); crash marks already
/// recorded (same `id`) are not recorded again. Marks are read from `since` = the previous run's
/// last moment minus 2 minutes (its coverage draft is at most 60 s old), or 31 days back on a
/// first start. Returns the number of records appended.
int record_instability(store::EvidenceStore& store, const PreviousRun& previous, UtcTime now,
                       const MarkReader& read_marks = collectors::instability::read_system_marks);

}  // namespace itsa::agent
