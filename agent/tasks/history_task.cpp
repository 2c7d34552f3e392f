// The system log's history for the daemon (see history_task.hpp).
#include "agent/tasks/history_task.hpp"

#include <algorithm>

#include "common/log.hpp"
#include "common/time_format.hpp"
#include "protocol/record_types.hpp"
#include "store/evidence_store.hpp"

namespace rt = itsa::protocol::record_type;
namespace hist = itsa::collectors::history;

namespace itsa::agent {

using nlohmann::json;

HistoryTask::HistoryTask(HistoryReader reader, std::chrono::seconds check_every, std::chrono::seconds every)
    : m_reader(reader ? std::move(reader)
                      : HistoryReader([](UtcTime since, UtcTime until) { return hist::read_history(since, until); })),
      m_check_every(check_every),
      m_every(every) {}

void HistoryTask::start(TaskContext& ctx) {
  m_ctx = &ctx;
  m_stopped = false;
  if (ctx.config.history_days <= 0) return;  // history.days 0: never read
  m_timer = std::make_unique<boost::asio::steady_timer>(ctx.io);
  m_timer->expires_after(std::chrono::milliseconds(0));  // the reading at start
  m_timer->async_wait([this](const boost::system::error_code& ec) {
    if (!ec && !m_stopped) check();
  });
}

void HistoryTask::schedule() {
  if (m_stopped || !m_timer) return;
  m_timer->expires_after(m_check_every);
  m_timer->async_wait([this](const boost::system::error_code& ec) {
    if (!ec && !m_stopped) check();
  });
}

void HistoryTask::check() {
  const MonoTime now = m_ctx->clock.mono_now();
  if (!m_last_read || now - *m_last_read >= m_every) {
    m_last_read = now;
    read_now();
  }
  schedule();
}

int HistoryTask::read_now() {
  auto log = log::get("history");
  const UtcTime now = m_ctx->clock.utc_now();
  // Whole milliseconds: the end is kept as RFC 3339 ms, the next reading starts strictly after it.
  const UtcTime until = std::chrono::time_point_cast<std::chrono::milliseconds>(now);
  const UtcTime oldest = until - std::chrono::hours(24) * std::max(m_ctx->config.history_days, 1);
  std::optional<UtcTime> read_until = m_read_until;
  std::optional<UtcTime> installed;
  if (m_ctx->store) {
    if (auto meta = m_ctx->store->get_meta(k_history_read_until); meta && meta.value())
      read_until = parse_rfc3339(*meta.value());
    installed = parse_rfc3339(m_ctx->store->identity().created_at);
  }
  const UtcTime since = read_until ? std::max(*read_until, oldest) : oldest;
  if (since >= until) return 0;
  hist::HistoryReading reading;
  try {
    reading = m_reader(since, until);
  } catch (const std::exception& e) {  // the readers never throw; one that does costs a line, not the daemon
    reading = {};
    reading.note = e.what();
  }
  ++m_readings;
  m_last_note = reading.note;
  if (!reading.note.empty()) log->info("system log history: {}", reading.note);
  if (!reading.read) return 0;  // tried again tomorrow, from the same point
  // An event older than the agent's installation was logged before itsa measured anything.
  std::vector<hist::LogEvent> before, after;
  for (auto& e : reading.events) (installed && e.at < *installed ? before : after).push_back(std::move(e));
  auto groups = hist::group_events(before, true);
  for (auto& g : hist::group_events(after, false)) groups.push_back(std::move(g));
  int stored = 0;
  bool complete = true;
  for (const auto& g : groups) {
    if (auto seq = m_ctx->sink.append(rt::history, now, json(g)); seq) {
      ++stored;
    } else {
      complete = false;
      log->error("cannot store a {} record: {}", rt::history, seq.error().message);
      break;
    }
  }
  m_records += stored;
  if (!complete) return stored;  // the same window is read again tomorrow (its stored groups keep their ids)
  m_read_until = until;
  if (m_ctx->store)
    if (auto r = m_ctx->store->set_meta(k_history_read_until, to_rfc3339_ms(until)); !r)
      log->warn("cannot keep the history reading's end: {}", r.error().message);
  if (stored > 0)
    log->info("system log history: {} event(s) in {} record(s) from {} to {}", reading.events.size(), stored,
              to_rfc3339(since), to_rfc3339(until));
  return stored;
}

void HistoryTask::stop(std::string_view) {
  m_stopped = true;
  if (m_timer) m_timer->cancel();
}

json HistoryTask::status() const {
  return {{"readings", m_readings}, {"records", m_records}, {"note", m_last_note}};
}

}  // namespace itsa::agent
