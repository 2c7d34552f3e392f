// Inventory snapshots for the daemon (see inventory_task.hpp).
#include "agent/tasks/inventory_task.hpp"

#include "agent/tasks/disk_health_task.hpp"
#include "assess/assess.hpp"
#include "common/log.hpp"
#include "common/time_format.hpp"
#include "protocol/record_types.hpp"

namespace rt = itsa::protocol::record_type;

namespace itsa::agent {

InventoryTask::InventoryTask(collectors::InventoryOptions options, std::chrono::seconds check_every,
                             std::shared_ptr<DiskHealthBoard> disk_health)
    : m_options(std::move(options)), m_check_every(check_every), m_disk_health(std::move(disk_health)) {}

void InventoryTask::start(TaskContext& ctx) {
  m_ctx = &ctx;
  m_stopped = false;
  m_options.clock = &ctx.clock;
  m_timer = std::make_unique<boost::asio::steady_timer>(ctx.io);
  // First snapshot as soon as the loop runs.
  m_timer->expires_after(std::chrono::milliseconds(0));
  m_timer->async_wait([this](const boost::system::error_code& ec) {
    if (!ec && !m_stopped) check();
  });
}

void InventoryTask::schedule() {
  if (m_stopped || !m_timer) return;
  m_timer->expires_after(m_check_every);
  m_timer->async_wait([this](const boost::system::error_code& ec) {
    if (!ec && !m_stopped) check();
  });
}

void InventoryTask::check() {
  auto log = log::get("inventory");
  nlohmann::json inv = collectors::collect_inventory(m_options);
  if (m_disk_health)
    if (auto health = m_disk_health->get()) inv["disk_health"] = std::move(*health);
  const nlohmann::json stable = collectors::stable_inventory(inv);
  const MonoTime now = m_ctx->clock.mono_now();
  const auto every = std::chrono::hours(m_ctx->config.inventory_interval_h);
  const bool changed = !m_last_stable || *m_last_stable != stable;
  const bool due = !m_last_stored || now - *m_last_stored >= every;
  if (changed || due) {
    const UtcTime at = m_ctx->clock.utc_now();
    auto seq = m_ctx->sink.append(rt::inventory, at, inv);
    if (!seq) {
      log->error("cannot store the inventory: {}", seq.error().message);
    } else {
      m_last_stable = stable;
      m_last_stored = now;
      ++m_snapshots;
      log->info("inventory stored (seq {}, {})", seq.value(), changed && m_snapshots > 1 ? "changed" : "scheduled");
      const std::string profile_name =
          m_ctx->config.assess_profile.empty() ? "office-recommended" : m_ctx->config.assess_profile;
      nlohmann::json assessment;
      auto profile = collectors::load_profile(profile_name);
      if (profile) {
        assessment = collectors::assess(inv, profile.value(), to_rfc3339(at).substr(0, 10));
      } else {
        log->error("assessment skipped: {}", profile.error().message);
        assessment = {{"profile", profile_name},
                      {"verdict", "unknown"},
                      {"rules", nlohmann::json::array()},
                      {"error", profile.error().message}};
      }
      m_last_verdict = assessment.value("verdict", "unknown");
      if (auto s = m_ctx->sink.append(rt::assessment, at, assessment); !s)
        log->error("cannot store the assessment: {}", s.error().message);
    }
  }
  schedule();
}

void InventoryTask::stop(std::string_view) {
  m_stopped = true;
  if (m_timer) m_timer->cancel();
}

nlohmann::json InventoryTask::status() const {
  return {{"snapshots", m_snapshots},
          {"last_verdict", m_last_verdict.empty() ? nlohmann::json(nullptr) : nlohmann::json(m_last_verdict)}};
}

}  // namespace itsa::agent
