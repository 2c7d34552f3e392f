#include "store/series_sink.hpp"

#include <algorithm>

#include "common/log.hpp"
#include "common/time_format.hpp"

namespace itsa::store {

SeriesSink::SeriesSink(EvidenceStore& store, int window_minutes)
    : m_store(store), m_window_minutes(std::max(1, window_minutes)) {
  auto logger = log::get("store");
  auto left = m_store.drafts();
  if (!left) {
    logger->error("{}", left.error().message);
    return;
  }
  std::size_t stored = 0;
  for (const auto& d : left.value()) {
    // Other drafts (the daemon's open coverage span, docs/store.md) belong to their writer.
    if (!series::is_minute_type(d.type)) continue;
    ++stored;
    auto r = m_store.append_draft(d.key, d.type, d.time, d.payload);
    if (!r) logger->error("cannot store the {} series left open by the previous run: {}", d.type, r.error().message);
  }
  if (stored > 0) logger->info("stored {} minute series left open by the previous run", stored);
}

SeriesSink::~SeriesSink() {
  close_all();
}

Result<std::uint64_t> SeriesSink::commit_locked(const std::string& draft_key, const series::OpenSeries& s) {
  return m_store.append_draft(draft_key, s.type, s.time, s.payload);
}

void SeriesSink::close_ended_locked(long long window_start_ms) {
  for (auto it = m_open.begin(); it != m_open.end();) {
    if (it->second.window_start_ms < window_start_ms) {
      if (auto r = commit_locked(it->first, it->second); !r)
        log::get("store")->error("cannot store a {} series: {}", it->second.type, r.error().message);
      it = m_open.erase(it);
    } else {
      ++it;
    }
  }
}

Result<std::uint64_t> SeriesSink::append(const std::string& type, UtcTime time, nlohmann::json payload) {
  if (m_window_minutes <= 1 || !series::is_minute_type(type)) return m_store.append(type, time, std::move(payload));
  std::lock_guard lock(m_mutex);
  const auto minute = series::minute_of(payload);
  if (!minute || !payload.is_object()) return m_store.append(type, time, std::move(payload));  // keep it as it came
  close_ended_locked(series::window_start_ms(*minute, m_window_minutes));

  const std::string draft_key = type + "|" + series::key_of(type, payload);
  auto it = m_open.find(draft_key);
  if (it != m_open.end() && it->second.extends(payload, m_window_minutes)) {
    it->second.add(time, payload);
  } else {
    if (it != m_open.end()) {  // a gap or a new layer: that series ends here
      if (auto r = commit_locked(draft_key, it->second); !r) return r.error();
      m_open.erase(it);
    }
    it = m_open.emplace(draft_key, *series::OpenSeries::start(type, time, payload, m_window_minutes)).first;
  }
  if (it->second.full(m_window_minutes)) {
    auto r = commit_locked(draft_key, it->second);
    if (r) m_open.erase(it);
    return r;
  }
  if (auto r = m_store.put_draft(draft_key, type, it->second.time, it->second.payload); !r) return r.error();
  return std::uint64_t{0};
}

std::size_t SeriesSink::close_all() {
  std::lock_guard lock(m_mutex);
  std::size_t n = 0;
  for (const auto& [key, s] : m_open) {
    if (auto r = commit_locked(key, s); r)
      ++n;
    else
      log::get("store")->error("cannot store a {} series: {}", s.type, r.error().message);  // it stays a draft
  }
  m_open.clear();
  return n;
}

}  // namespace itsa::store
