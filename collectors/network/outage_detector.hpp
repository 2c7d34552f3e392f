#pragma once
// The outage state machine: down after `down_after` failed rounds in a row, up after
// `up_after` good rounds in a row. An outage starts at the first failed round and ends at
// the first good round of the run that closed it; durations come from the monotonic clock.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "collectors/network/cause_rules.hpp"
#include "common/clock.hpp"

namespace itsa::network {

/// What one probe round found (cause_rules.hpp decides what it proves).
struct RoundResult {
  UtcTime utc{};                                       ///< when the round's probes were sent
  MonoTime mono{};                                     ///< same instant on the monotonic clock
  RoundFacts facts;                                    ///< per layer, what answered
  std::string interface;                               ///< interface of the default route (may be empty)
  nlohmann::json evidence = nlohmann::json::object();  ///< failed probes, carrier, counters
};

/// The failing layer of a round, or nullopt when the round is good (classify(round.facts)).
std::optional<Cause> classify_round(const RoundResult& round);

/// Failed rounds in a row that ended before `down_after`: a short drop, not an outage.
struct Blip {
  Cause cause = Cause::unknown;  ///< lowest layer seen failing in the streak
  UtcTime start_utc{};           ///< first failed round
  int rounds = 0;
  std::string interface;
};

/// One outage, open or closed.
struct Outage {
  std::string id;  ///< "outage-<start unix ms>", stable across re-emits
  Cause cause = Cause::lan;
  std::string interface;
  UtcTime start_utc{};
  MonoTime start_mono{};
  std::optional<UtcTime> end_utc;  ///< empty while open
  double duration_s = 0;           ///< monotonic; while open: up to the last round
  std::string end_reason;          ///< "recovered", "observation_ended", "agent_stopped" or empty (open)
  bool clock_synced = false;
  int failed_rounds = 0;
  nlohmann::json evidence = nlohmann::json::object();
};

/// protocol.md `outage` payload.
nlohmann::json outage_payload(const Outage& outage);

class OutageDetector {
 public:
  OutageDetector(int down_after, int up_after);
  /// Feeds one round; returns the outage when it just opened or just closed (else nullopt).
  std::optional<Outage> feed(const RoundResult& round, bool clock_synced);
  /// Closes an open outage at `now` ("observation_ended"); nullopt when none is open.
  std::optional<Outage> close(UtcTime now_utc, MonoTime now_mono, std::string_view reason);
  /// The open outage, if any.
  const std::optional<Outage>& open_outage() const { return m_open; }
  /// Failed rounds in a row that open an outage (as applied: at least 1).
  int down_after() const { return m_down_after; }
  /// Good rounds in a row that close it.
  int up_after() const { return m_up_after; }
  /// True while rounds are failing (an outage open or being confirmed).
  bool failing() const { return m_open.has_value() || m_fail_streak > 0; }
  /// The short drop the last feed() ended (a good round after fewer than down_after failed), once.
  std::optional<Blip> take_blip() { return std::exchange(m_blip, std::nullopt); }

 private:
  int m_down_after;
  int m_up_after;
  int m_fail_streak = 0;
  int m_good_streak = 0;
  std::optional<RoundResult> m_first_fail;  ///< first failed round of the current streak
  std::optional<Cause> m_streak_cause;      ///< lowest layer seen failing in the streak
  std::optional<RoundResult> m_first_good;  ///< first good round while an outage is open
  std::optional<Outage> m_open;
  std::optional<Blip> m_blip;
};

}  // namespace itsa::network
