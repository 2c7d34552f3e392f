#pragma once
// Counts short drops (failed rounds that did not reach probes.down_after) per minute,
// interface and layer: the `blip_minute` records (docs/protocol.md), emitted only for minutes
// that had one. A cabling survey needs exactly these: a bad cable drops for a second or two.
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "collectors/network/outage_detector.hpp"
#include "common/clock.hpp"

namespace itsa::network {

class BlipCounter {
 public:
  /// Counts `blip` in the minute of its first failed round; returns the finished earlier minutes.
  std::vector<nlohmann::json> add(const Blip& blip);
  /// Finishes the minutes before the one holding `now`.
  std::vector<nlohmann::json> roll(UtcTime now);
  /// Finishes every minute (shutdown).
  std::vector<nlohmann::json> flush();

 private:
  struct Key {
    UtcTime minute;
    std::string interface;
    bool operator<(const Key& o) const { return std::tie(minute, interface) < std::tie(o.minute, o.interface); }
  };
  std::vector<nlohmann::json> finish_before(std::optional<UtcTime> minute);
  std::map<Key, std::map<Cause, int>> m_counts;
};

}  // namespace itsa::network
