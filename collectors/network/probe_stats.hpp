#pragma once
// Per-minute, per-target probe statistics (protocol.md probe_minute) and the degraded
// minutes found in them (protocol.md degraded): loss >= degraded_loss_pct, or a median
// RTT above degraded_rtt_factor x the target's baseline, or an answer later than the probe
// timeout (reason "slow": a resolver that still resolves, only late), in a minute without an outage.
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "collectors/network/probe_target.hpp"
#include "common/clock.hpp"

namespace itsa::network {

/// The outcome of one probe of one target (up to a few attempts inside the timeout).
struct ProbeSample {
  bool ok = false;        ///< some attempt was answered in time
  double rtt_ms = 0;      ///< RTT of the answered attempt
  int attempts_sent = 1;  ///< packets/connections sent
  int attempts_lost = 0;  ///< attempts not answered before the next was due (or at all)
  std::string error;      ///< why it failed ("timeout", "connection refused", ...)
  bool refused = false;   ///< answered by a refusal (TCP reset): may come from a first-hop firewall
  bool slow = false;      ///< answered after probes.timeout_ms but within probes.slow_ms (DNS, HTTP)
};

/// The records of one finished minute.
struct MinuteRecords {
  std::vector<nlohmann::json> probe_minutes;
  std::vector<nlohmann::json> degraded;
};

class ProbeStats {
 public:
  ProbeStats(double degraded_loss_pct, double degraded_rtt_factor);
  /// Adds a sample made at `at`; finishes the previous minute first when `at` is in a later one.
  MinuteRecords add(const ProbeTarget& target, const ProbeSample& sample, UtcTime at);
  /// Marks the current minute as overlapping an outage (no degraded record for it).
  void mark_failing() { m_minute_failing = true; }
  /// Finishes the current minute if `now` is past it (call every round).
  MinuteRecords roll(UtcTime now);
  /// Finishes the current minute now (shutdown).
  MinuteRecords flush();
  /// Baseline RTT of a target: median of recent good minutes' medians (nullopt until 3 minutes).
  std::optional<double> baseline_ms(const std::string& target) const;

 private:
  struct Acc {
    ProbeTarget target;
    int sent = 0;  ///< attempts sent
    int lost = 0;  ///< attempts lost
    int slow = 0;  ///< samples answered late (ProbeSample::slow)
    std::vector<double> rtts_ms;
  };
  MinuteRecords finish();
  double m_loss_pct;
  double m_rtt_factor;
  std::optional<UtcTime> m_minute;  ///< start of the current minute
  bool m_minute_failing = false;
  std::map<std::string, Acc> m_acc;                        ///< by target uri
  std::map<std::string, std::deque<double>> m_history_ms;  ///< recent good minutes' p50 by target
};

/// Start of the UTC minute holding `t`.
UtcTime minute_start(UtcTime t);

}  // namespace itsa::network
