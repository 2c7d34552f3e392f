#pragma once
// Exponential backoff with full jitter (AWS architecture blog "Exponential Backoff And
// Jitter"): the n-th consecutive failure waits a uniform random time in
// [floor, min(cap, base * 2^n)]; a success resets it.
#include <chrono>
#include <cstdint>
#include <random>

namespace itsa::uploader {

class Backoff {
 public:
  /// base 5 s and cap 15 min by default (issue 5); `seed` makes tests repeatable.
  explicit Backoff(std::chrono::milliseconds base = std::chrono::seconds{5},
                   std::chrono::milliseconds cap = std::chrono::minutes{15},
                   std::uint64_t seed = std::random_device{}());
  /// The wait before the next attempt after one more failure.
  std::chrono::milliseconds next();
  /// The upper bound the next call to next() draws from.
  std::chrono::milliseconds ceiling() const;
  /// After a success: the next failure starts again from base.
  void reset() { m_failures = 0; }
  unsigned failures() const { return m_failures; }

 private:
  std::chrono::milliseconds m_base;
  std::chrono::milliseconds m_cap;
  std::mt19937_64 m_rng;
  unsigned m_failures = 0;
};

}  // namespace itsa::uploader
