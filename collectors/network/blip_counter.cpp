#include "collectors/network/blip_counter.hpp"

#include "collectors/network/probe_stats.hpp"
#include "common/time_format.hpp"

namespace itsa::network {

std::vector<nlohmann::json> BlipCounter::add(const Blip& blip) {
  const auto minute = minute_start(blip.start_utc);
  auto out = finish_before(minute);
  ++m_counts[Key{minute, blip.interface}][blip.cause];
  return out;
}

std::vector<nlohmann::json> BlipCounter::roll(UtcTime now) {
  return finish_before(minute_start(now));
}

std::vector<nlohmann::json> BlipCounter::flush() {
  return finish_before(std::nullopt);
}

std::vector<nlohmann::json> BlipCounter::finish_before(std::optional<UtcTime> minute) {
  std::vector<nlohmann::json> out;
  for (auto it = m_counts.begin(); it != m_counts.end() && (!minute || it->first.minute < *minute);) {
    nlohmann::json blips = {{"link_down", 0}, {"lan", 0}, {"upstream", 0}, {"dns", 0}, {"unknown", 0}};
    int total = 0;
    for (const auto& [cause, n] : it->second) {
      blips[std::string(cause_name(cause))] = n;
      total += n;
    }
    out.push_back({{"minute", to_rfc3339(it->first.minute)},
                   {"interface", it->first.interface},
                   {"blips", blips},
                   {"total", total}});
    it = m_counts.erase(it);
  }
  return out;
}

}  // namespace itsa::network
