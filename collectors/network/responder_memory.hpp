#pragma once
// Which probe targets gave a proven answer, through which gateway, remembered across runs of
// the agent. The cause rules count a silent target only when it is "known good" (cause_rules.hpp):
// in-run knowledge alone would make a fault that is already there when the agent starts (a
// provider outage over a restart, a power cut, a PC switched on during the outage) invisible
// until the fault ends. A target that answered through the same gateway (and the same proxy
// setting) within k_responder_keep is known good at start too; moving the PC to another network
// (another gateway) starts afresh. Pure: the network task keeps it as a store draft.
#include <chrono>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"

namespace itsa::network {

/// How long a proven answer keeps a target known good without a new one.
inline constexpr std::chrono::hours k_responder_keep{24 * 30};
/// A remembered answer is written again only when the saved one is older than this.
inline constexpr std::chrono::hours k_responder_refresh{1};
/// Bounds: gateways (networks the PC was on) and targets per gateway kept.
inline constexpr std::size_t k_responder_max_gateways = 8;
inline constexpr std::size_t k_responder_max_targets = 64;

class ResponderMemory {
 public:
  /// Reads a saved memory; entries that are not {gateway: {target: RFC 3339 time}} are skipped.
  static ResponderMemory from_json(const nlohmann::json& saved);
  nlohmann::json to_json() const;
  /// `target` gave a proven answer through `gateway` within k_responder_keep before `now`.
  bool known(const std::string& gateway, const std::string& target, UtcTime now) const;
  /// Notes a proven answer at `now`; true when the memory should be saved (a new entry, or the
  /// saved answer is older than k_responder_refresh).
  bool note(const std::string& gateway, const std::string& target, UtcTime now);
  bool empty() const { return m_seen.empty(); }

 private:
  void bound();
  std::map<std::string, std::map<std::string, UtcTime>> m_seen;  ///< gateway -> target -> last proven answer
};

}  // namespace itsa::network
