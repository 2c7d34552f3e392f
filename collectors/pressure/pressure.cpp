// Per-minute aggregation of pressure samples: means of CPU busy %, memory and swap in use,
// the PSI "some" share of the interval, the system disk's busy share, and how many samples
// were above 90 %.
#include "collectors/pressure/pressure.hpp"

#include <algorithm>
#include <cmath>

#include "collectors/pressure/diskstats.hpp"
#include "common/time_format.hpp"

namespace itsa::collectors {
namespace {

using nlohmann::json;

double round1(double v) {
  return std::round(v * 10.0) / 10.0;
}

json mean_or_null(double sum, int n) {
  return n > 0 ? json(round1(sum / n)) : json(nullptr);
}

UtcTime minute_start(UtcTime t) {
  return std::chrono::floor<std::chrono::minutes>(t);
}

}  // namespace

PressureSampler::PressureSampler(PressureSource& source, const Clock& clock) : m_source(source), m_clock(clock) {}

void PressureSampler::sample() {
  const UtcTime now = m_clock.utc_now();
  const MonoTime mono = m_clock.mono_now();
  const PressureCounters c = m_source.read();
  const UtcTime start = minute_start(now);
  if (m_minute && m_minute->start != start) {
    m_completed.push_back(finish(*m_minute));
    m_minute.reset();
  }
  if (!m_minute) {
    m_minute.emplace();
    m_minute->start = start;
  }
  Minute& m = *m_minute;
  ++m.samples;
  if (m_prev) {
    // CPU busy over the interval since the previous sample.
    if (c.cpu_total_ticks && c.cpu_idle_ticks && m_prev->cpu_total_ticks && m_prev->cpu_idle_ticks &&
        *c.cpu_total_ticks > *m_prev->cpu_total_ticks && *c.cpu_idle_ticks >= *m_prev->cpu_idle_ticks) {
      const double total = static_cast<double>(*c.cpu_total_ticks - *m_prev->cpu_total_ticks);
      const double idle = static_cast<double>(*c.cpu_idle_ticks - *m_prev->cpu_idle_ticks);
      const double busy = std::clamp(100.0 * (total - idle) / total, 0.0, 100.0);
      m.cpu_sum += busy;
      m.cpu_max = std::max(m.cpu_max, busy);
      ++m.cpu_n;
      if (busy > 90.0) ++m.cpu_over_90;
    }
    // PSI: stalled µs over elapsed µs.
    const double elapsed_us = std::chrono::duration<double, std::micro>(mono - m_prev_mono).count();
    const std::optional<std::uint64_t> now_psi[3] = {c.psi_cpu_some_us, c.psi_mem_some_us, c.psi_io_some_us};
    const std::optional<std::uint64_t> prev_psi[3] = {m_prev->psi_cpu_some_us, m_prev->psi_mem_some_us,
                                                      m_prev->psi_io_some_us};
    for (int i = 0; i < 3; ++i) {
      if (elapsed_us > 0 && now_psi[i] && prev_psi[i] && *now_psi[i] >= *prev_psi[i]) {
        m.psi_sum[i] += std::clamp(100.0 * static_cast<double>(*now_psi[i] - *prev_psi[i]) / elapsed_us, 0.0, 100.0);
        ++m.psi_n[i];
      }
    }
    // System disk busy: busy time over the disk counters' clock (or the monotonic clock).
    if (c.disk_busy_us && m_prev->disk_busy_us) {
      const bool own_clock = c.disk_clock_us && m_prev->disk_clock_us;
      const auto as_us = [](MonoTime t) {
        return static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count());
      };
      const std::uint64_t before = own_clock ? *m_prev->disk_clock_us : as_us(m_prev_mono);
      const std::uint64_t after = own_clock ? *c.disk_clock_us : as_us(mono);
      if (const auto pct = diskstats::busy_pct(*m_prev->disk_busy_us, *c.disk_busy_us, before, after)) {
        const double elapsed = static_cast<double>(after - before);
        m.disk_busy_us += *pct / 100.0 * elapsed;
        m.disk_elapsed_us += elapsed;
      }
    }
  }
  if (c.mem_used_pct) {
    m.mem_sum += *c.mem_used_pct;
    ++m.mem_n;
    if (*c.mem_used_pct > 90.0) ++m.mem_over_90;
  }
  if (c.swap_used_pct) {
    m.swap_sum += *c.swap_used_pct;
    ++m.swap_n;
  }
  if (c.system_disk_free_pct) m.disk_free_pct = c.system_disk_free_pct;
  m_prev = c;
  m_prev_mono = mono;
}

json PressureSampler::finish(const Minute& m) const {
  json j;
  j["minute"] = to_rfc3339(m.start);
  j["samples"] = m.samples;
  j["cpu_busy_pct"] = mean_or_null(m.cpu_sum, m.cpu_n);
  j["cpu_busy_max_pct"] = m.cpu_n > 0 ? json(round1(m.cpu_max)) : json(nullptr);
  j["cpu_samples"] = m.cpu_n;
  j["cpu_over_90_samples"] = m.cpu_over_90;
  j["mem_used_pct"] = mean_or_null(m.mem_sum, m.mem_n);
  j["mem_samples"] = m.mem_n;
  j["mem_over_90_samples"] = m.mem_over_90;
  j["swap_used_pct"] = mean_or_null(m.swap_sum, m.swap_n);
  j["system_disk_free_pct"] = m.disk_free_pct ? json(round1(*m.disk_free_pct)) : json(nullptr);
  j["psi_cpu_some_avg"] = mean_or_null(m.psi_sum[0], m.psi_n[0]);
  j["psi_mem_some_avg"] = mean_or_null(m.psi_sum[1], m.psi_n[1]);
  j["psi_io_some_avg"] = mean_or_null(m.psi_sum[2], m.psi_n[2]);
  j["disk_busy_pct"] = m.disk_elapsed_us > 0 ? json(round1(100.0 * m.disk_busy_us / m.disk_elapsed_us)) : json(nullptr);
  return j;
}

std::vector<json> PressureSampler::take_completed() {
  std::vector<json> out;
  out.swap(m_completed);
  return out;
}

std::optional<json> PressureSampler::flush() {
  if (!m_minute || m_minute->samples == 0) return std::nullopt;
  json j = finish(*m_minute);
  m_minute.reset();
  return j;
}

}  // namespace itsa::collectors
