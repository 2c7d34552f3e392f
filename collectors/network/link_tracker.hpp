#pragma once
// Turns successive LinkSnapshots into link_event records (carrier up/down, speed and
// duplex changes, speed_downgrade) and per-minute link_minute records (counter deltas,
// flaps). Pure logic: time comes from the caller.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "collectors/network/link_state.hpp"
#include "common/clock.hpp"

namespace itsa::network {

class LinkTracker {
 public:
  /// Feeds a fresh snapshot; returns the link_event payloads it implies.
  std::vector<nlohmann::json> update(const LinkSnapshot& snap, UtcTime at);
  /// Finishes the minute when `now` is in a later one; returns its link_minute payloads.
  std::vector<nlohmann::json> roll(UtcTime now);
  /// Finishes the current minute now (shutdown).
  std::vector<nlohmann::json> flush();
  /// Latest snapshot of each interface.
  std::map<std::string, LinkSnapshot> current() const;
  /// Carrier-down transitions seen per interface since start.
  int flaps_total(const std::string& interface) const;

 private:
  struct State {
    LinkSnapshot last;
    LinkSnapshot minute_base;  ///< snapshot at the start of the minute
    int downs_in_minute = 0;
    int downs_total = 0;
    std::optional<int> last_up_speed_mbps;
    bool downgrade_reported = false;
  };
  std::vector<nlohmann::json> finish();
  std::optional<UtcTime> m_minute;
  std::map<std::string, State> m_states;
};

/// protocol.md link_event payload for `event` on `snap`.
nlohmann::json link_event_payload(const LinkSnapshot& snap, const std::string& event, UtcTime at);

}  // namespace itsa::network
