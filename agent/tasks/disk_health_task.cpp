// Disk health for the daemon (see disk_health_task.hpp).
#include "agent/tasks/disk_health_task.hpp"

#include "common/log.hpp"
#include "common/time_format.hpp"
#include "protocol/record_types.hpp"
#include "store/evidence_store.hpp"

namespace rt = itsa::protocol::record_type;
namespace dh = itsa::collectors::disk_health;

namespace itsa::agent {

using nlohmann::json;

json disk_health_payload(std::vector<dh::DiskHealth> disks, const dh::HealthLimits& limits, const json* previous,
                         const std::string& previous_at) {
  json out = json::array();
  for (auto& d : disks) {
    if (previous && !d.kind.empty() && d.reallocated_sectors && previous->contains("disks") &&
        (*previous)["disks"].is_array()) {
      const json now = dh::to_json(d);
      for (const auto& p : (*previous)["disks"]) {
        if (!dh::same_disk(now, p)) continue;
        const auto it = p.find("reallocated_sectors");
        if (it == p.end() || !it->is_number_integer()) break;
        dh::judge(d, limits, dh::PreviousReading{it->get<std::int64_t>(), previous_at});
        break;
      }
    }
    out.push_back(dh::to_json(d));
  }
  return {{"disks", out}};
}

DiskHealthTask::DiskHealthTask(std::shared_ptr<DiskHealthBoard> board, DiskReader reader,
                               std::chrono::seconds check_every, std::chrono::seconds every)
    : m_board(std::move(board)),
      m_reader(reader ? std::move(reader)
                      : DiskReader([](const dh::HealthLimits& l) { return dh::read_all_disks(l); })),
      m_check_every(check_every),
      m_every(every) {}

void DiskHealthTask::start(TaskContext& ctx) {
  m_ctx = &ctx;
  m_stopped = false;
  if (ctx.store && !m_previous) {
    auto last = ctx.store->latest(rt::disk_health);
    if (!last) {
      log::get("disk_health")->warn("previous disk-health reading not readable: {}", last.error().message);
    } else if (last.value()) {
      m_previous = last.value()->payload;
      m_previous_at = to_rfc3339(last.value()->time);
    }
  }
  m_timer = std::make_unique<boost::asio::steady_timer>(ctx.io);
  m_timer->expires_after(std::chrono::milliseconds(0));  // the reading at start
  m_timer->async_wait([this](const boost::system::error_code& ec) {
    if (!ec && !m_stopped) check();
  });
}

void DiskHealthTask::schedule() {
  if (m_stopped || !m_timer) return;
  m_timer->expires_after(m_check_every);
  m_timer->async_wait([this](const boost::system::error_code& ec) {
    if (!ec && !m_stopped) check();
  });
}

void DiskHealthTask::check() {
  const MonoTime now = m_ctx->clock.mono_now();
  if (!m_last_read || now - *m_last_read >= m_every) read_now();
  schedule();
}

void DiskHealthTask::read_now() {
  auto log = log::get("disk_health");
  const MonoTime now = m_ctx->clock.mono_now();
  m_last_read = now;
  dh::HealthLimits limits;
  limits.worn_power_on_hours = m_ctx->config.disk_health_worn_power_on_hours;
  std::vector<dh::DiskHealth> disks;
  try {
    disks = m_reader(limits);
  } catch (const std::exception& e) {  // the readers never throw; a reader that does costs a line, not the daemon
    log->error("disk health not read: {}", e.what());
    return;
  }
  for (const auto& d : disks) {
    if (d.verdict != "unknown") continue;
    auto it = m_logged.find(d.device);
    if (it != m_logged.end() && now - it->second < std::chrono::hours(24)) continue;
    m_logged[d.device] = now;
    ++m_unreadable_logs;
    log->info("{}: health unknown: {}", d.device, d.reasons.empty() ? std::string("no reason") : d.reasons[0].en);
  }
  const UtcTime at = m_ctx->clock.utc_now();
  json payload = disk_health_payload(std::move(disks), limits, m_previous ? &*m_previous : nullptr, m_previous_at);
  m_last_verdicts = json::object();
  for (const auto& d : payload["disks"]) {
    m_last_verdicts[d.value("device", "")] = d.value("verdict", "unknown");
    if (d.value("verdict", "") == "failing" || d.value("verdict", "") == "worn")
      log->warn("{}: disk {}: {}", d.value("device", ""), d.value("verdict", ""),
                d["reasons"].empty() ? std::string() : d["reasons"][0].value("en", ""));
  }
  if (m_board) m_board->set(dh::inventory_summary(payload["disks"]));
  if (auto seq = m_ctx->sink.append(rt::disk_health, at, payload); !seq) {
    log->error("cannot store the disk-health reading: {}", seq.error().message);
  } else {
    ++m_readings;
    m_previous = std::move(payload);
    m_previous_at = to_rfc3339(at);
  }
}

void DiskHealthTask::stop(std::string_view) {
  m_stopped = true;
  if (m_timer) m_timer->cancel();
}

json DiskHealthTask::status() const {
  return {{"readings", m_readings}, {"verdicts", m_last_verdicts}};
}

}  // namespace itsa::agent
