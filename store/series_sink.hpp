#pragma once
// The sink the daemon's tasks write through: it passes every record to the evidence store,
// except per-minute samples (pressure_minute, link_minute, probe_minute), which it folds into
// minute series (common/minute_series.hpp): one record per key per aligned window of
// `store.series_minutes` minutes. The series being filled is kept as a durable draft in the
// store after every minute, so a power cut loses no minute: the next start turns the drafts
// it finds into records. With a window of 1 minute every sample is its own record.
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "common/minute_series.hpp"
#include "store/evidence_store.hpp"

namespace itsa::store {

class SeriesSink final : public EvidenceSink {
 public:
  /// Wraps `store`; turns the minute-series drafts a previous run left into records first (other
  /// drafts, such as the daemon's coverage draft, are left alone).
  SeriesSink(EvidenceStore& store, int window_minutes);
  ~SeriesSink() override;
  SeriesSink(const SeriesSink&) = delete;
  SeriesSink& operator=(const SeriesSink&) = delete;

  /// Other records: stored at once (their seq). Minute samples: folded into their series;
  /// returns the series record's seq when this minute completed it, 0 while it stays a draft.
  Result<std::uint64_t> append(const std::string& type, UtcTime time, nlohmann::json payload) override;

  /// Stores every open series as a record now (at stop, before a reload). Returns how many.
  std::size_t close_all();
  /// Drops the series being filled without storing them, as a power cut would: their drafts
  /// stay in the store for the next start. For tests.
  void forget_open_for_test() {
    std::lock_guard lock(m_mutex);
    m_open.clear();
  }
  /// Minutes per series.
  int window_minutes() const { return m_window_minutes; }
  EvidenceStore& store() { return m_store; }

 private:
  Result<std::uint64_t> commit_locked(const std::string& draft_key, const series::OpenSeries& s);
  void close_ended_locked(long long window_start_ms);

  EvidenceStore& m_store;
  int m_window_minutes;
  std::mutex m_mutex;
  std::map<std::string, series::OpenSeries> m_open;  ///< by draft key "type|key"
};

}  // namespace itsa::store
