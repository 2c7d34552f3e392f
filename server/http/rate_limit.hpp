#pragma once
// Token buckets by key (agent id, client address): capacity `burst`, refilled at `per_s`.
#include <algorithm>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/clock.hpp"

namespace itsa::server {

class RateLimiter {
 public:
  RateLimiter(double per_s, double burst) : m_per_s(per_s), m_burst(burst) {}
  /// Takes one token; 0 when allowed, else the seconds until one is available.
  int take(const std::string& key, MonoTime now) {
    std::lock_guard lock(m_mutex);
    auto& b = bucket(key, now);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return std::max(1, static_cast<int>((1 - b.tokens) / m_per_s + 0.999));
  }
  /// 0 when a token is available now, else the seconds until one is (without taking one).
  int wait_s(const std::string& key, MonoTime now) {
    std::lock_guard lock(m_mutex);
    const double tokens = bucket(key, now).tokens;
    return tokens >= 1 ? 0 : std::max(1, static_cast<int>((1 - tokens) / m_per_s + 0.999));
  }
  /// Tokens left (without taking one).
  double level(const std::string& key, MonoTime now) {
    std::lock_guard lock(m_mutex);
    return bucket(key, now).tokens;
  }

 private:
  struct Bucket {
    double tokens = 0;  ///< available now
    MonoTime at{};      ///< last refill
  };
  Bucket& bucket(const std::string& key, MonoTime now) {
    if (m_buckets.size() > 100000) m_buckets.clear();  // bounded memory against key floods
    auto [it, fresh] = m_buckets.try_emplace(key, Bucket{m_burst, now});
    auto& b = it->second;
    if (!fresh) {
      const double elapsed_s = std::chrono::duration<double>(now - b.at).count();
      b.tokens = std::min(m_burst, b.tokens + std::max(0.0, elapsed_s) * m_per_s);
      b.at = now;
    }
    return b;
  }
  double m_per_s;
  double m_burst;

 public:
  double burst() const { return m_burst; }

 private:
  std::mutex m_mutex;
  std::unordered_map<std::string, Bucket> m_buckets;
};

}  // namespace itsa::server
