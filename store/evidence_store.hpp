#pragma once
// The agent's durable local evidence store: one SQLite database (WAL, synchronous=FULL)
// under data_dir. It implements EvidenceSink (append = committed to disk before it returns)
// and gives the CLI commands and the uploader their queries. Eviction order, durability
// and corruption handling: docs/store.md. Thread-safe (one mutex).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/evidence_sink.hpp"
#include "common/result.hpp"
#include "store/identity.hpp"

struct sqlite3;

namespace itsa::store {

/// One stored record (docs/protocol.md "Records") and its local delivery state.
struct StoredRecord {
  std::string agent_id;
  std::string boot_id;
  std::uint64_t seq = 0;
  std::string type;
  UtcTime time;
  nlohmann::json payload;
  std::optional<UtcTime> delivered_at;  ///< when the server acknowledged it
  bool quarantined = false;             ///< rejected by the server (400); never re-sent

  /// The record as it goes on the wire: {"agent_id","boot_id","seq","type","time","payload"}.
  nlohmann::json to_wire() const;
};

/// A minute series still being filled (store/series_sink.hpp), or the daemon's open coverage
/// span (key "coverage|open"): kept durable, not a record yet.
struct Draft {
  std::string key;
  std::string type;
  UtcTime time;
  nlohmann::json payload;
};

/// Counters for `itsa-agent status`.
struct StoreStats {
  std::string agent_id;
  std::uint64_t records_total = 0;        ///< every record this agent_id ever made (its seq high-water mark)
  std::uint64_t records_stored = 0;       ///< rows in the store now (all agent_ids)
  std::uint64_t records_pending = 0;      ///< this agent's records not yet acknowledged nor quarantined
  std::uint64_t records_quarantined = 0;  ///< rejected by the server
  std::int64_t store_bytes = 0;           ///< database + WAL files on disk
  std::optional<UtcTime> last_delivered_at;
};

/// How to open the store.
struct StoreOptions {
  std::filesystem::path data_dir;
  std::int64_t max_bytes = 64ll << 20;  ///< store.max_bytes
  int retention_days = 90;              ///< store.retention_days (counted from delivery)
  const Clock* clock = nullptr;         ///< nullptr = SystemClock
  bool read_only = false;               ///< for status/queries beside a running daemon: no reset, no migration
  std::string boot_id;                  ///< empty = current_boot_id()
  bool durable = true;                  ///< false = synchronous=OFF: only for benches measuring size
};

/// data_dir/evidence.db
std::filesystem::path store_file(const std::filesystem::path& data_dir);

class EvidenceStore final : public EvidenceSink {
 public:
  /// Opens (creating, migrating, or — when corrupt — moving aside and recreating) the store.
  /// Fails with a clear message when data_dir cannot be used or the schema is newer than this build.
  static Result<std::unique_ptr<EvidenceStore>> open(const StoreOptions& options);
  ~EvidenceStore() override;
  EvidenceStore(const EvidenceStore&) = delete;
  EvidenceStore& operator=(const EvidenceStore&) = delete;

  /// Commits one record (fsync'd) and returns its seq. Fails when the disk is full (the store
  /// pauses: one log line, a `store_event disk_full` once space returns) or the store is read-only.
  Result<std::uint64_t> append(const std::string& type, UtcTime time, nlohmann::json payload) override;

  /// Keeps (or replaces) the draft `draft_key`: durable, but neither a record nor uploaded.
  Result<void> put_draft(const std::string& draft_key, const std::string& type, UtcTime time,
                         const nlohmann::json& payload);
  /// Appends a record and removes the draft `draft_key` in one transaction (a series is complete).
  Result<std::uint64_t> append_draft(const std::string& draft_key, const std::string& type, UtcTime time,
                                     const nlohmann::json& payload);
  /// Removes the draft `draft_key` (nothing when there is none).
  Result<void> remove_draft(const std::string& draft_key);
  /// Drafts left in the store (by a run that ended without closing its series), oldest first.
  Result<std::vector<Draft>> drafts() const;

  /// Records of `type` ("" = every type) made at or after `since`: the newest `limit`, oldest first.
  Result<std::vector<StoredRecord>> query(const std::string& type, std::optional<UtcTime> since = {},
                                          std::size_t limit = 1000) const;
  /// For types whose payload has an "id" (outage): the latest record (highest seq) of each id
  /// whose time is at or after `since`, ordered by seq.
  Result<std::vector<StoredRecord>> latest_by_payload_id(const std::string& type,
                                                         std::optional<UtcTime> since = {}) const;
  /// The newest record of `type`, if any.
  Result<std::optional<StoredRecord>> latest(const std::string& type) const;

  /// The oldest undelivered records of the current agent_id, at most `max_records` and about
  /// `max_bytes` of wire JSON (always at least one record when any is pending).
  Result<std::vector<StoredRecord>> pending_batch(std::size_t max_records, std::size_t max_bytes) const;
  /// Marks these seqs of the current agent_id delivered now; returns how many changed.
  Result<std::size_t> mark_delivered(const std::vector<std::uint64_t>& seqs);
  /// Marks these seqs rejected (never re-sent) and records a `store_event quarantined` with `reason`.
  Result<std::size_t> quarantine(const std::vector<std::uint64_t>& seqs, const std::string& reason);

  /// Counters for status.
  Result<StoreStats> stats() const;
  /// Applies retention and the size cap now (also done every few appends); returns records evicted.
  Result<std::size_t> enforce_limits();

  /// Small persistent key/values (uploader: "last_upload", "last_error").
  Result<void> set_meta(const std::string& key, const std::string& value);
  Result<std::optional<std::string>> get_meta(const std::string& key) const;

  /// The agent's identity (agent_id, hardware it was made on).
  AgentIdentity identity() const;
  /// Records the hardware identity the agent_id belongs to (first enrolment).
  Result<void> set_hardware(const nlohmann::json& hardware);
  /// Cloned disk detected: makes a new agent_id (seq restarts at 1) remembering the old one.
  Result<std::string> rotate_agent_id(const nlohmann::json& hardware);

  std::string agent_id() const;
  const std::string& boot_id() const { return m_boot_id; }
  std::filesystem::path path() const { return m_path; }
  /// True while appends fail for lack of disk space.
  bool paused() const;

 private:
  EvidenceStore(const StoreOptions& options, sqlite3* db, AgentIdentity identity, std::uint64_t next_seq);
  Result<std::uint64_t> append_locked(const std::string& type, UtcTime time, const nlohmann::json& payload,
                                      const std::string* draft_key = nullptr);
  Result<std::size_t> enforce_limits_locked();
  Result<void> reserve_seq_locked(std::uint64_t seq);

  mutable std::mutex m_mutex;
  StoreOptions m_options;
  const Clock& m_clock;
  sqlite3* m_db;
  std::filesystem::path m_path;
  AgentIdentity m_identity;
  std::string m_boot_id;
  std::uint64_t m_next_seq;
  bool m_paused = false;
  std::uint64_t m_refused_while_paused = 0;
  std::optional<MonoTime> m_last_pause_log;
  unsigned m_appends_since_check = 0;
};

}  // namespace itsa::store
