// Inventory snapshots for the daemon (see inventory_task.hpp).
#include "agent/tasks/inventory_task.hpp"

#include "agent/tasks/disk_health_task.hpp"
#include "assess/assess.hpp"
#include "common/log.hpp"
#include "common/time_format.hpp"
#include "protocol/record_types.hpp"
#include "store/evidence_store.hpp"

namespace rt = itsa::protocol::record_type;

namespace itsa::agent {

InventoryTask::InventoryTask(collectors::InventoryOptions options, std::chrono::seconds check_every,
                             std::shared_ptr<DiskHealthBoard> disk_health, BootReader boots)
    : m_options(std::move(options)),
      m_check_every(check_every),
      m_disk_health(std::move(disk_health)),
      m_boot_reader(boots ? std::move(boots) : BootReader([] { return collectors::boot::read_boots(); })) {}

void InventoryTask::start(TaskContext& ctx) {
  m_ctx = &ctx;
  m_stopped = false;
  m_options.clock = &ctx.clock;
  if (ctx.store && !m_boots_done && m_boots.empty()) {  // the boots of earlier runs
    auto last = ctx.store->latest(rt::inventory);
    if (last && last.value() && last.value()->payload.contains("boot_durations"))
      m_boots = collectors::boot::merge_boots(last.value()->payload["boot_durations"], {});
  }
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

void InventoryTask::read_boots() {
  if (m_boots_done) return;
  collectors::boot::BootReading r;
  try {
    r = m_boot_reader();
  } catch (const std::exception& e) {  // the readers never throw; one that does costs a note, not the daemon
    r.note = std::string("boot_durations: ") + e.what();
  }
  m_boots = collectors::boot::merge_boots(m_boots, r.boots);
  m_boot_note = r.note;
  m_boots_done = !r.pending;
  if (m_boots_done && !r.note.empty()) log::get("inventory")->info("{}", r.note);
}

void InventoryTask::check() {
  auto log = log::get("inventory");
  read_boots();
  nlohmann::json inv = collectors::collect_inventory(m_options);
  inv["boot_durations"] = m_boots;
  if (!m_boot_note.empty()) inv["notes"].push_back(m_boot_note);
  if (m_disk_health)
    if (auto health = m_disk_health->get()) inv["disk_health"] = std::move(*health);
  const nlohmann::json stable = collectors::stable_inventory(inv);
  const MonoTime now = m_ctx->clock.mono_now();
  const auto every = std::chrono::hours(m_ctx->config.inventory_interval_h);
  // A boot's duration read after start-up finished is stored at once, not at the next due time.
  const bool changed = !m_last_stable || *m_last_stable != stable || m_stored_boots != m_boots;
  const bool due = !m_last_stored || now - *m_last_stored >= every;
  if (changed || due) {
    const UtcTime at = m_ctx->clock.utc_now();
    auto seq = m_ctx->sink.append(rt::inventory, at, inv);
    if (!seq) {
      log->error("cannot store the inventory: {}", seq.error().message);
    } else {
      m_last_stable = stable;
      m_stored_boots = m_boots;
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
