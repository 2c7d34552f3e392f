#pragma once
// Turns successive LinkSnapshots into link_event records (carrier up/down, admin up/down,
// speed and duplex changes, speed_downgrade, below_max_speed) and per-minute link_minute
// records (counter deltas, flaps). Every carrier loss is counted, also those shorter than a
// probe round: from the kernel's carrier_changes counter when it is known, from the carrier
// transitions otherwise. Losses while the interface is disabled, and within
// k_admin_grace of enabling/disabling it, are not flaps. Pure logic: time comes from the caller.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "collectors/network/link_state.hpp"
#include "collectors/network/link_watch.hpp"
#include "common/clock.hpp"

namespace itsa::network {

/// Carrier losses this close to an interface being disabled or enabled are the user's or
/// admin's doing (renegotiation after enabling), not a fault: not counted as flaps.
inline constexpr std::chrono::seconds k_admin_grace{10};

class LinkTracker {
 public:
  /// Feeds a fresh snapshot; returns the link_event payloads it implies (never link_minute:
  /// call roll(at) first, so a change at the start of a minute counts in that minute).
  std::vector<nlohmann::json> update(const LinkSnapshot& snap, UtcTime at);
  /// Finishes the minute when `now` is in a later one; returns its link_minute payloads.
  std::vector<nlohmann::json> roll(UtcTime now);
  /// Finishes the current minute now (shutdown).
  std::vector<nlohmann::json> flush();
  /// Latest snapshot of each interface.
  std::map<std::string, LinkSnapshot> current() const;
  /// Carrier losses (flaps) counted per interface since start.
  int flaps_total(const std::string& interface) const;

 private:
  struct State {
    LinkSnapshot last;
    LinkSnapshot minute_base;  ///< snapshot at the start of the minute
    int downs_in_minute = 0;
    int downs_total = 0;
    std::optional<UtcTime> last_down_at;      ///< the latest counted loss
    std::optional<UtcTime> admin_changed_at;  ///< the latest admin_up/admin_down
    std::optional<int> last_up_speed_mbps;
    bool below_max_reported = false;
  };
  std::vector<nlohmann::json> finish();
  std::optional<UtcTime> m_minute;
  std::map<std::string, State> m_states;
};

/// The snapshot `read` (speeds, counters: read after the change) with the state a link change
/// message carried at the change itself (admin, carrier, carrier_changes). A message older
/// than `last` (its carrier_changes behind) leaves `read` as it is.
LinkSnapshot with_change(LinkSnapshot read, const LinkChange& change, const LinkSnapshot* last);

/// Carrier losses among `changes` transitions of the carrier_changes counter that start in
/// state `was_up`: a down+up pair is one loss. Exposed for tests.
int losses_in_changes(bool was_up, std::uint64_t changes);

/// protocol.md link_event payload for `event` on `snap`.
nlohmann::json link_event_payload(const LinkSnapshot& snap, const std::string& event, UtcTime at);

}  // namespace itsa::network
