#include "agent/watchdog.hpp"

#include <mutex>

#include <fmt/format.h>

#include "common/log.hpp"
#include "config/agent_config.hpp"

namespace itsa::agent {

namespace {
std::mutex g_restart_mutex;
std::function<void(const std::string&)> g_restart_handler;  ///< the running daemon's, if any
}  // namespace

void set_work_restart_handler(std::function<void(const std::string& reason)> handler) {
  std::lock_guard lock(g_restart_mutex);
  g_restart_handler = std::move(handler);
}

void request_work_restart(const std::string& reason) {
  std::function<void(const std::string&)> handler;
  {
    std::lock_guard lock(g_restart_mutex);
    handler = g_restart_handler;
  }
  if (handler) {
    handler(reason);
  } else {
    request_work_restart_fallback(reason);
  }
}

WatchdogRule::WatchdogRule(std::int64_t max_rss_bytes, double max_cpu_pct, std::chrono::seconds window)
    : m_max_rss_bytes(max_rss_bytes), m_max_cpu_pct(max_cpu_pct), m_window(window) {}

std::optional<std::string> WatchdogRule::update(MonoTime now, const ResourceSample& sample) {
  std::optional<std::string> reason;
  // Memory: every sample over the limit for a whole window.
  if (sample.rss_bytes > m_max_rss_bytes) {
    if (!m_rss_over_since) {
      m_rss_over_since = now;
      m_peak_rss_bytes = 0;
    }
    m_peak_rss_bytes = std::max(m_peak_rss_bytes, sample.rss_bytes);
    if (now - *m_rss_over_since >= m_window) {
      reason = fmt::format("memory {} MiB (peak {} MiB) above watchdog.max_rss_mb {} for {} s", sample.rss_bytes >> 20,
                           m_peak_rss_bytes >> 20, m_max_rss_bytes >> 20,
                           std::chrono::duration_cast<std::chrono::seconds>(now - *m_rss_over_since).count());
      m_rss_over_since.reset();
    }
  } else {
    m_rss_over_since.reset();
  }
  // CPU: every interval between samples over the limit for a whole window.
  if (m_prev_time && now > *m_prev_time) {
    const double wall_s = std::chrono::duration<double>(now - *m_prev_time).count();
    m_last_cpu_pct = 100.0 * (sample.cpu_s - m_prev_cpu_s) / wall_s;
    if (m_last_cpu_pct > m_max_cpu_pct) {
      if (!m_cpu_over_since) {
        m_cpu_over_since = *m_prev_time;
        m_cpu_s_at_over = m_prev_cpu_s;
      }
      if (now - *m_cpu_over_since >= m_window && !reason) {
        const double over_s = std::chrono::duration<double>(now - *m_cpu_over_since).count();
        reason = fmt::format("CPU {:.1f}% of one core above watchdog.max_cpu_pct {:.1f}% for {:.0f} s",
                             100.0 * (sample.cpu_s - m_cpu_s_at_over) / over_s, m_max_cpu_pct, over_s);
        m_cpu_over_since.reset();
      }
    } else {
      m_cpu_over_since.reset();
    }
  }
  m_prev_time = now;
  m_prev_cpu_s = sample.cpu_s;
  return reason;
}

SelfWatchdogTask::SelfWatchdogTask(std::chrono::milliseconds interval, std::chrono::seconds window,
                                   std::function<void(const std::string&)> restart)
    : m_interval(interval), m_window(window), m_restart(std::move(restart)) {}

void SelfWatchdogTask::start(TaskContext& ctx) {
  m_clock = &ctx.clock;
  m_rule.emplace(std::int64_t{ctx.config.watchdog_max_rss_mb} << 20, ctx.config.watchdog_max_cpu_pct, m_window);
  m_timer.emplace(ctx.io);
  m_stopped = false;
  schedule();
}

void SelfWatchdogTask::schedule() {
  m_timer->expires_after(m_interval);
  m_timer->async_wait([this](boost::system::error_code ec) {
    if (ec || m_stopped) return;
    auto sample = sample_self();
    if (sample) {
      m_last = sample.value();
      if (auto reason = m_rule->update(m_clock->mono_now(), m_last)) {
        log::get("watchdog")->warn("restarting the agent's work: {}", *reason);
        m_restart(*reason);
      }
    }
    schedule();
  });
}

void SelfWatchdogTask::stop(std::string_view) {
  m_stopped = true;
  if (m_timer) m_timer->cancel();
}

nlohmann::json SelfWatchdogTask::status() const {
  return {{"rss_bytes", m_last.rss_bytes}, {"cpu_s", m_last.cpu_s}, {"cpu_pct", m_rule ? m_rule->last_cpu_pct() : 0.0}};
}

}  // namespace itsa::agent
