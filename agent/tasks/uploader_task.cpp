#include "agent/tasks/uploader_task.hpp"

#include "common/log.hpp"
#include "store/evidence_store.hpp"
#include "uploader/protocol.hpp"
#include "uploader/uploader.hpp"

namespace itsa::uploader {
UploaderTask::~UploaderTask() {
  stop("destroyed");
}

namespace {
/// The evidence store the uploader reads: the context's, or the sink itself.
store::EvidenceStore* store_of(agent::TaskContext& ctx) {
  return ctx.store ? ctx.store : dynamic_cast<store::EvidenceStore*>(&ctx.sink);
}
}  // namespace

void UploaderTask::start(agent::TaskContext& ctx) {
  auto logger = log::get("uploader");
  auto* store = store_of(ctx);
  if (!store) {
    logger->error("the uploader needs the evidence store; not started");
    return;
  }
  if (auto checked = check_server_url(ctx.config.server.url); !checked) {
    logger->error("{}; nothing is uploaded until the config is fixed", checked.error().message);
    (void)store->set_meta("last_error", checked.error().message);
    return;
  }
  m_stopping = false;
  if (m_nudge) m_nudge->attach([this] { nudge(); });
  m_thread = std::thread([this, ctx] { run(ctx); });
}

void UploaderTask::stop(std::string_view) {
  if (m_nudge) m_nudge->detach();
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_cv.notify_all();
  if (m_thread.joinable()) m_thread.join();
}

void UploaderTask::nudge() {
  {
    std::lock_guard lock(m_mutex);
    m_nudged = true;
  }
  m_cv.notify_all();
}

nlohmann::json UploaderTask::status() const {
  std::lock_guard lock(m_mutex);
  return {{"state", m_state}};
}

void UploaderTask::run(agent::TaskContext ctx) {
  auto logger = log::get("uploader");
  auto& store = *store_of(ctx);
  Uploader uploader(ctx.config, store, ctx.clock, &m_stopping,
                    m_tuning.routine_hold.value_or(std::chrono::seconds{ctx.config.server.routine_hold_s}));
  UploadSchedule schedule(std::chrono::seconds{ctx.config.server.upload_interval_s},
                          Backoff{m_tuning.backoff_base, m_tuning.backoff_cap});
  const auto probe_interval = std::chrono::seconds{ctx.config.probes.interval_s};
  HttpSettings reach = uploader.http();
  reach.connect_timeout_s = std::max(1, std::min(5, ctx.config.probes.interval_s));
  logger->info("uploading to {}", uploader.server_url());
  while (!m_stopping) {
    const Step step = uploader.step();
    const auto wait = schedule.after(step);
    {
      std::lock_guard lock(m_mutex);
      m_state = step.result == StepResult::retry ? "retrying" : step.result == StepResult::idle ? "idle" : "sending";
    }
    const auto deadline = std::chrono::steady_clock::now() + wait;
    const bool probing = step.result == StepResult::retry && step.network;
    std::unique_lock lock(m_mutex);
    while (!m_stopping && !m_nudged && std::chrono::steady_clock::now() < deadline) {
      const auto until = probing ? std::min(deadline, std::chrono::steady_clock::now() + probe_interval) : deadline;
      m_cv.wait_until(lock, until, [&] { return m_stopping.load() || m_nudged; });
      if (probing && !m_stopping && !m_nudged && std::chrono::steady_clock::now() < deadline) {
        lock.unlock();
        const bool reachable = server_reachable(uploader.server_url(), reach);
        lock.lock();
        if (reachable) {
          logger->info("{} is reachable again; uploading now", uploader.server_url());
          break;
        }
      }
    }
    m_nudged = false;
  }
}

}  // namespace itsa::uploader
