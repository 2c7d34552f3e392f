#include "uploader/backoff.hpp"

#include <algorithm>

namespace itsa::uploader {

namespace {
constexpr std::chrono::milliseconds k_floor{1000};  // never hammer: at least 1 s between attempts
}

Backoff::Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap, std::uint64_t seed)
    : m_base(base), m_cap(cap), m_rng(seed) {}

std::chrono::milliseconds Backoff::ceiling() const {
  const unsigned shift = std::min(m_failures, 30u);
  const auto raw = m_base.count() * (std::int64_t{1} << shift);
  return std::chrono::milliseconds{std::min<std::int64_t>(raw, m_cap.count())};
}

std::chrono::milliseconds Backoff::next() {
  const auto top = std::max(ceiling(), k_floor);
  ++m_failures;
  std::uniform_int_distribution<std::int64_t> pick(k_floor.count(), top.count());
  return std::chrono::milliseconds{pick(m_rng)};
}

}  // namespace itsa::uploader
