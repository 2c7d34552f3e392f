// Resource-pressure sampling for the daemon (see pressure_task.hpp).
#include "agent/tasks/pressure_task.hpp"

#include "common/log.hpp"
#include "protocol/record_types.hpp"

namespace rt = itsa::protocol::record_type;

namespace itsa::agent {

PressureTask::PressureTask(std::unique_ptr<collectors::PressureSource> source) : m_source(std::move(source)) {}

void PressureTask::start(TaskContext& ctx) {
  m_ctx = &ctx;
  m_stopped = false;
  if (!m_source) m_source = collectors::make_pressure_source("/");
  m_sampler = std::make_unique<collectors::PressureSampler>(*m_source, ctx.clock);
  m_timer = std::make_unique<boost::asio::steady_timer>(ctx.io);
  m_sampler->sample();  // the baseline for the first CPU delta
  m_timer->expires_after(std::chrono::seconds(ctx.config.pressure_interval_s));
  m_timer->async_wait([this](const boost::system::error_code& ec) {
    if (!ec && !m_stopped) tick();
  });
}

void PressureTask::tick() {
  m_sampler->sample();
  for (const auto& minute : m_sampler->take_completed()) store(minute);
  m_timer->expires_after(std::chrono::seconds(m_ctx->config.pressure_interval_s));
  m_timer->async_wait([this](const boost::system::error_code& ec) {
    if (!ec && !m_stopped) tick();
  });
}

void PressureTask::store(const nlohmann::json& minute) {
  auto seq = m_ctx->sink.append(rt::pressure_minute, m_ctx->clock.utc_now(), minute);
  if (!seq) {
    log::get("pressure")->error("cannot store pressure_minute {}: {}", minute.value("minute", ""), seq.error().message);
    return;
  }
  m_last_minute = minute;
  ++m_minutes;
}

void PressureTask::stop(std::string_view) {
  if (m_stopped) return;
  m_stopped = true;
  if (m_timer) m_timer->cancel();
  if (m_sampler && m_ctx) {
    for (const auto& minute : m_sampler->take_completed()) store(minute);
    if (auto partial = m_sampler->flush()) {
      (*partial)["partial"] = true;
      store(*partial);
    }
  }
}

nlohmann::json PressureTask::status() const {
  return {{"minutes_stored", m_minutes}, {"last_minute", m_last_minute}};
}

}  // namespace itsa::agent
