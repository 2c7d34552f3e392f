#include "collectors/network/probe_stats.hpp"

#include <algorithm>
#include <cmath>

#include "common/time_format.hpp"
#include "protocol/payloads.hpp"

namespace pk = itsa::protocol::probe_minute_key;

namespace itsa::network {

namespace {
constexpr std::size_t k_baseline_minutes = 30;
constexpr std::size_t k_baseline_min_minutes = 3;
/// A latency rise smaller than this is noise, whatever the ratio (LAN baselines are < 1 ms).
constexpr double k_latency_floor_ms = 20.0;

// Nearest-rank percentile of sorted values.
double percentile(const std::vector<double>& sorted, double pct) {
  auto rank = static_cast<std::size_t>(std::ceil(pct / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}
double round3(double v) {
  return std::round(v * 1000.0) / 1000.0;
}

// RTTs are kept to about two significant digits (0.01 ms below 1 ms, 0.1 ms below 10 ms,
// 1 ms above): finer digits are timer noise on an office PC and would dominate the upload.
double round_rtt_ms(double v) {
  const double scale = v < 1.0 ? 100.0 : v < 10.0 ? 10.0 : 1.0;
  return std::round(v * scale) / scale;
}
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return percentile(v, 50);
}
}  // namespace

UtcTime minute_start(UtcTime t) {
  return std::chrono::floor<std::chrono::minutes>(t);
}

ProbeStats::ProbeStats(double degraded_loss_pct, double degraded_rtt_factor)
    : m_loss_pct(degraded_loss_pct), m_rtt_factor(degraded_rtt_factor) {}

MinuteRecords ProbeStats::add(const ProbeTarget& target, const ProbeSample& s, UtcTime at) {
  MinuteRecords out = roll(at);
  if (!m_minute) m_minute = minute_start(at);
  auto& acc = m_acc[target.uri];
  acc.target = target;
  acc.sent += std::max(1, s.attempts_sent);
  acc.lost += s.ok ? std::min(s.attempts_lost, std::max(0, s.attempts_sent - 1)) : std::max(1, s.attempts_sent);
  if (s.ok) acc.rtts_ms.push_back(s.rtt_ms);
  if (s.ok && s.slow) ++acc.slow;
  return out;
}

MinuteRecords ProbeStats::roll(UtcTime now) {
  if (m_minute && minute_start(now) > *m_minute) return finish();
  return {};
}

MinuteRecords ProbeStats::flush() {
  return finish();
}

std::optional<double> ProbeStats::baseline_ms(const std::string& target) const {
  auto it = m_history_ms.find(target);
  if (it == m_history_ms.end() || it->second.size() < k_baseline_min_minutes) return std::nullopt;
  return median({it->second.begin(), it->second.end()});
}

MinuteRecords ProbeStats::finish() {
  MinuteRecords out;
  if (!m_minute) return out;
  const std::string minute = to_rfc3339(*m_minute);
  for (auto& [uri, acc] : m_acc) {
    nlohmann::json rec{{"minute", minute},        {pk::target, uri},         {pk::layer, layer_name(acc.target.layer)},
                       {pk::sent, acc.sent},      {pk::lost, acc.lost},      {pk::rtt_max_ms, nullptr},
                       {pk::rtt_p50_ms, nullptr}, {pk::rtt_p95_ms, nullptr}, {pk::jitter_ms, nullptr}};
    std::optional<double> p50;
    if (!acc.rtts_ms.empty()) {
      // Jitter: mean absolute difference of consecutive RTTs, in send order.
      double jitter = 0;
      for (std::size_t i = 1; i < acc.rtts_ms.size(); ++i) jitter += std::abs(acc.rtts_ms[i] - acc.rtts_ms[i - 1]);
      if (acc.rtts_ms.size() > 1) jitter /= static_cast<double>(acc.rtts_ms.size() - 1);
      std::vector<double> sorted = acc.rtts_ms;
      std::sort(sorted.begin(), sorted.end());
      p50 = percentile(sorted, 50);
      rec[pk::rtt_max_ms] = round_rtt_ms(sorted.back());
      rec[pk::rtt_p50_ms] = round_rtt_ms(*p50);
      rec[pk::rtt_p95_ms] = round_rtt_ms(percentile(sorted, 95));
      rec[pk::jitter_ms] = round_rtt_ms(jitter);
    }
    out.probe_minutes.push_back(rec);

    double loss_pct = acc.sent > 0 ? 100.0 * acc.lost / acc.sent : 0.0;
    auto baseline = baseline_ms(uri);
    std::string reason;
    if (acc.slow > 0)
      reason = "slow";  // before loss: a late answer's retransmissions are not lost packets
    else if (loss_pct >= m_loss_pct)
      reason = "loss";
    else if (p50 && baseline && *p50 > m_rtt_factor * *baseline && *p50 - *baseline > k_latency_floor_ms)
      reason = "latency";
    if (!reason.empty() && !m_minute_failing && !(loss_pct >= 100.0)) {
      out.degraded.push_back(
          {{"minute", minute},
           {"target", uri},
           {"layer", layer_name(acc.target.layer)},
           {"loss_pct", round3(loss_pct)},
           {"rtt_p50_ms", p50 ? nlohmann::json(round_rtt_ms(*p50)) : nlohmann::json(nullptr)},
           {"baseline_rtt_ms", baseline ? nlohmann::json(round_rtt_ms(*baseline)) : nlohmann::json(nullptr)},
           {"reason", reason},
           {"slow_answers", acc.slow}});
    }
    // Only clean minutes feed the baseline, so a slow hour does not become "normal".
    if (reason.empty() && !m_minute_failing && p50) {
      auto& hist = m_history_ms[uri];
      hist.push_back(*p50);
      if (hist.size() > k_baseline_minutes) hist.pop_front();
    }
  }
  m_acc.clear();
  m_minute.reset();
  m_minute_failing = false;
  return out;
}

}  // namespace itsa::network
