#include "collectors/network/responder_memory.hpp"

#include <algorithm>
#include <vector>

#include "common/time_format.hpp"

namespace itsa::network {

ResponderMemory ResponderMemory::from_json(const nlohmann::json& saved) {
  ResponderMemory m;
  if (!saved.is_object()) return m;
  for (const auto& [gateway, targets] : saved.items()) {
    if (!targets.is_object()) continue;
    for (const auto& [target, at] : targets.items()) {
      if (!at.is_string()) continue;
      if (auto t = parse_rfc3339(at.get<std::string>())) m.m_seen[gateway][target] = *t;
    }
  }
  m.bound();
  return m;
}

nlohmann::json ResponderMemory::to_json() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [gateway, targets] : m_seen)
    for (const auto& [target, at] : targets) out[gateway][target] = to_rfc3339(at);
  return out;
}

bool ResponderMemory::known(const std::string& gateway, const std::string& target, UtcTime now) const {
  const auto g = m_seen.find(gateway);
  if (g == m_seen.end()) return false;
  const auto t = g->second.find(target);
  return t != g->second.end() && t->second <= now + std::chrono::minutes(5) && now - t->second <= k_responder_keep;
}

bool ResponderMemory::note(const std::string& gateway, const std::string& target, UtcTime now) {
  auto& targets = m_seen[gateway];
  const auto it = targets.find(target);
  const bool save = it == targets.end() || now - it->second >= k_responder_refresh || it->second > now;
  targets[target] = now;
  if (save) bound();
  return save;
}

// Keeps the most recent gateways and targets within the bounds (hostile or old saves included).
void ResponderMemory::bound() {
  const auto newest = [](const std::map<std::string, UtcTime>& targets) {
    UtcTime n{};
    for (const auto& [target, at] : targets) n = std::max(n, at);
    return n;
  };
  for (auto& [gateway, targets] : m_seen) {
    while (targets.size() > k_responder_max_targets) {
      auto oldest = std::min_element(targets.begin(), targets.end(),
                                     [](const auto& a, const auto& b) { return a.second < b.second; });
      targets.erase(oldest);
    }
  }
  while (m_seen.size() > k_responder_max_gateways) {
    auto oldest = std::min_element(m_seen.begin(), m_seen.end(),
                                   [&](const auto& a, const auto& b) { return newest(a.second) < newest(b.second); });
    m_seen.erase(oldest);
  }
}

}  // namespace itsa::network
