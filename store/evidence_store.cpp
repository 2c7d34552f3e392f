#include "store/evidence_store.hpp"

#include <algorithm>

#include "common/log.hpp"
#include "common/time_format.hpp"
#include "protocol/record_types.hpp"
#include "store/boot_id.hpp"
#include "store/payload_codec.hpp"
#include "store/sqlite_util.hpp"
#include "store/store_internal.hpp"

namespace rt = itsa::protocol::record_type;

namespace itsa::store {
namespace {

using internal::file_bytes;
using internal::last_seq;
using internal::meta_value;
using nlohmann::json;

constexpr std::uint64_t k_seq_reserve_block = 1000;           // seqs reserved in identity.json per write
constexpr unsigned k_check_every_appends = 32;                // appends between size-cap checks
constexpr std::uintmax_t k_resume_free_bytes = 512 * 1024;    // free space before a paused store tries again
constexpr auto k_pause_log_every = std::chrono::minutes(10);  // at most one "paused" line per this

constexpr const char* k_columns = "agent_id, boot_id, seq, type, time_ms, payload, delivered_ms, quarantined";

StoredRecord read_row(const Statement& st) {
  StoredRecord r;
  r.agent_id = st.text(0);
  r.boot_id = st.text(1);
  r.seq = static_cast<std::uint64_t>(st.int64(2));
  r.type = st.text(3);
  r.time = from_unix_ms(st.int64(4));
  if (st.is_blob(5)) {
    const auto text = decompress_payload(st.blob(5));
    r.payload = text ? json::parse(*text, nullptr, false) : json::object();
  } else {
    r.payload = json::parse(st.text(5), nullptr, false);
  }
  if (r.payload.is_discarded()) r.payload = json::object();
  if (!st.is_null(6)) r.delivered_at = from_unix_ms(st.int64(6));
  r.quarantined = st.int64(7) != 0;
  return r;
}

Result<std::vector<StoredRecord>> read_all(Statement& st, sqlite3* db) {
  std::vector<StoredRecord> out;
  int rc;
  while ((rc = st.step()) == SQLITE_ROW) out.push_back(read_row(st));
  if (rc != SQLITE_DONE) return Error{sql_error(db, "cannot read the evidence store")};
  return out;
}

}  // namespace

json StoredRecord::to_wire() const {
  return {{"agent_id", agent_id}, {"boot_id", boot_id},          {"seq", seq},
          {"type", type},         {"time", to_rfc3339_ms(time)}, {"payload", payload}};
}

Result<std::uint64_t> EvidenceStore::append(const std::string& type, UtcTime time, json payload) {
  std::lock_guard lock(m_mutex);
  return append_locked(type, time, payload);
}

Result<std::uint64_t> EvidenceStore::append_draft(const std::string& draft_key, const std::string& type, UtcTime time,
                                                  const json& payload) {
  std::lock_guard lock(m_mutex);
  return append_locked(type, time, payload, &draft_key);
}

Result<void> EvidenceStore::put_draft(const std::string& draft_key, const std::string& type, UtcTime time,
                                      const json& payload) {
  std::lock_guard lock(m_mutex);
  if (m_options.read_only) return Error{"the evidence store " + m_path.string() + " is open read-only"};
  Statement st(m_db, "INSERT OR REPLACE INTO drafts(key, type, time_ms, payload) VALUES (?1, ?2, ?3, ?4)");
  st.bind(1, draft_key);
  st.bind(2, type);
  st.bind(3, to_unix_ms(time));
  st.bind(4, payload.dump());
  const int rc = st.prepared() ? st.step() : st.rc();
  if (rc != SQLITE_DONE)
    return Error{"cannot keep the open " + type + " series in " + m_path.string() + ": " + sqlite3_errstr(rc)};
  return ok();
}

Result<void> EvidenceStore::remove_draft(const std::string& draft_key) {
  std::lock_guard lock(m_mutex);
  if (m_options.read_only) return Error{"the evidence store " + m_path.string() + " is open read-only"};
  Statement st(m_db, "DELETE FROM drafts WHERE key = ?1");
  st.bind(1, draft_key);
  const int rc = st.prepared() ? st.step() : st.rc();
  if (rc != SQLITE_DONE)
    return Error{"cannot remove the draft " + draft_key + " from " + m_path.string() + ": " + sqlite3_errstr(rc)};
  return ok();
}

Result<std::vector<Draft>> EvidenceStore::drafts() const {
  std::lock_guard lock(m_mutex);
  Statement st(m_db, "SELECT key, type, time_ms, payload FROM drafts ORDER BY time_ms, key");
  if (!st.prepared()) return Error{sql_error(m_db, "cannot read the open series of " + m_path.string())};
  std::vector<Draft> out;
  int rc;
  while ((rc = st.step()) == SQLITE_ROW) {
    Draft d;
    d.key = st.text(0);
    d.type = st.text(1);
    d.time = from_unix_ms(st.int64(2));
    d.payload = json::parse(st.text(3), nullptr, false);
    if (d.payload.is_discarded()) d.payload = json::object();
    out.push_back(std::move(d));
  }
  if (rc != SQLITE_DONE) return Error{sql_error(m_db, "cannot read the open series of " + m_path.string())};
  return out;
}

Result<void> EvidenceStore::reserve_seq_locked(std::uint64_t seq) {
  if (seq <= m_identity.seq_reserved) return ok();
  auto next = m_identity;
  next.seq_reserved = seq + k_seq_reserve_block - 1;
  auto saved = save_identity(m_options.data_dir, next);
  if (!saved) return saved.error();
  m_identity = next;
  return ok();
}

Result<std::uint64_t> EvidenceStore::append_locked(const std::string& type, UtcTime time, const json& payload,
                                                   const std::string* draft_key) {
  auto logger = log::get("store");
  if (m_options.read_only) return Error{"the evidence store " + m_path.string() + " is open read-only"};
  if (type.empty()) return Error{"a record needs a type"};
  if (!payload.is_object()) return Error{"the payload of a " + type + " record must be a JSON object"};
  const std::uint64_t seq = m_next_seq;
  auto pause = [&](const std::string& why) -> Error {
    ++m_refused_while_paused;
    if (!m_paused) {
      m_paused = true;
      const auto now = m_clock.mono_now();
      // One line per episode: a disk hovering at full does not flood the log.
      if (!m_last_pause_log || now - *m_last_pause_log > k_pause_log_every) {
        m_last_pause_log = now;
        logger->error("evidence store paused: cannot write {} ({}); new records are dropped until space returns",
                      m_path.string(), why);
      }
    }
    return Error{"evidence store paused: " + why};
  };
  // While paused, only try again once the disk has room (no flapping at the last few bytes).
  if (m_paused) {
    std::error_code ec;
    const auto space = std::filesystem::space(m_options.data_dir, ec);
    if (!ec && space.available < k_resume_free_bytes) return pause("the disk is still full");
  }
  if (auto reserved = reserve_seq_locked(seq); !reserved) return pause(reserved.error().message);

  const std::string payload_text = payload.dump();
  const auto id_it = payload.find("id");
  int rc = exec(m_db, "BEGIN IMMEDIATE");
  if (rc == SQLITE_OK) {
    Statement ins(m_db,
                  "INSERT INTO records(agent_id, boot_id, seq, type, time_ms, payload, payload_id) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    ins.bind(1, m_identity.agent_id);
    ins.bind(2, m_boot_id);
    ins.bind(3, static_cast<std::int64_t>(seq));
    ins.bind(4, type);
    ins.bind(5, to_unix_ms(time));
    if (payload_text.size() >= k_compress_from_bytes)
      ins.bind_blob(6, compress_payload(payload_text));
    else
      ins.bind(6, payload_text);
    if (id_it != payload.end() && id_it->is_string())
      ins.bind(7, id_it->get<std::string>());
    else
      ins.bind_null(7);
    rc = ins.prepared() ? ins.step() : ins.rc();
    if (rc == SQLITE_DONE) {
      Statement meta(m_db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)");
      meta.bind(1, "last_seq:" + m_identity.agent_id);
      meta.bind(2, std::to_string(seq));
      rc = meta.prepared() ? meta.step() : meta.rc();
    }
    if (rc == SQLITE_DONE && draft_key) {  // the draft becomes this record in the same transaction
      Statement del(m_db, "DELETE FROM drafts WHERE key = ?1");
      del.bind(1, *draft_key);
      rc = del.prepared() ? del.step() : del.rc();
    }
    if (rc == SQLITE_DONE) rc = exec(m_db, "COMMIT");
  }
  if (rc != SQLITE_OK) {
    const std::string message = sqlite3_errstr(rc);
    exec(m_db, "ROLLBACK");
    if (is_disk_full(rc) || (rc & 0xff) == SQLITE_IOERR) return pause(message);
    return Error{"cannot store a " + type + " record in " + m_path.string() + ": " + message};
  }
  ++m_next_seq;
  if (m_paused) {
    m_paused = false;
    const auto refused = m_refused_while_paused;
    m_refused_while_paused = 0;
    logger->warn("evidence store resumed: {} records could not be stored while the disk was full", refused);
    auto r = append_locked(rt::store_event, m_clock.utc_now(),
                           {{"event", "disk_full"},
                            {"detail", "no space to write " + m_path.string() + "; records made meanwhile were lost"},
                            {"count", refused}});
    if (!r) logger->warn("cannot record the disk-full episode: {}", r.error().message);
  }
  if (++m_appends_since_check >= k_check_every_appends) {
    m_appends_since_check = 0;
    auto enforced = enforce_limits_locked();
    if (!enforced) logger->warn("cannot apply store limits: {}", enforced.error().message);
  }
  return seq;
}

Result<std::size_t> EvidenceStore::enforce_limits() {
  std::lock_guard lock(m_mutex);
  return enforce_limits_locked();
}

Result<std::vector<StoredRecord>> EvidenceStore::query(const std::string& type, std::optional<UtcTime> since,
                                                       std::size_t limit) const {
  std::lock_guard lock(m_mutex);
  // The newest `limit` rows, then put back in oldest-first order.
  const std::string sql = std::string("SELECT ") + k_columns + " FROM (SELECT rowid AS r, " + k_columns +
                          " FROM records WHERE (?1 = '' OR type = ?1) AND time_ms >= ?2 ORDER BY rowid DESC LIMIT ?3)"
                          " ORDER BY r";
  Statement st(m_db, sql.c_str());
  if (!st.prepared()) return Error{sql_error(m_db, "cannot query the evidence store")};
  st.bind(1, type);
  st.bind(2, since ? to_unix_ms(*since) : std::numeric_limits<std::int64_t>::min());
  st.bind(3, static_cast<std::int64_t>(std::min<std::size_t>(limit, std::numeric_limits<std::int32_t>::max())));
  return read_all(st, m_db);
}

Result<std::vector<StoredRecord>> EvidenceStore::latest_by_payload_id(const std::string& type,
                                                                      std::optional<UtcTime> since) const {
  std::lock_guard lock(m_mutex);
  const std::string sql = std::string("SELECT ") + k_columns +
                          " FROM records r WHERE type = ?1 AND payload_id IS NOT NULL AND time_ms >= ?2 AND rowid = "
                          "(SELECT max(rowid) FROM records r2 WHERE r2.type = ?1 AND r2.payload_id = r.payload_id) "
                          "ORDER BY rowid";
  Statement st(m_db, sql.c_str());
  if (!st.prepared()) return Error{sql_error(m_db, "cannot query the evidence store")};
  st.bind(1, type);
  st.bind(2, since ? to_unix_ms(*since) : std::numeric_limits<std::int64_t>::min());
  return read_all(st, m_db);
}

Result<std::optional<StoredRecord>> EvidenceStore::latest(const std::string& type) const {
  auto rows = query(type, std::nullopt, 1);
  if (!rows) return rows.error();
  if (rows.value().empty()) return std::optional<StoredRecord>{};
  return std::optional<StoredRecord>{rows.value().back()};
}

Result<std::vector<StoredRecord>> EvidenceStore::pending_batch(std::size_t max_records, std::size_t max_bytes) const {
  std::lock_guard lock(m_mutex);
  const std::string sql = std::string("SELECT ") + k_columns +
                          " FROM records WHERE agent_id = ?1 AND delivered_ms IS NULL AND quarantined = 0 "
                          "ORDER BY seq LIMIT ?2";
  Statement st(m_db, sql.c_str());
  if (!st.prepared()) return Error{sql_error(m_db, "cannot query the evidence store")};
  st.bind(1, m_identity.agent_id);
  st.bind(2, static_cast<std::int64_t>(std::max<std::size_t>(max_records, 1)));
  std::vector<StoredRecord> out;
  std::size_t bytes = 0;
  int rc;
  while ((rc = st.step()) == SQLITE_ROW) {
    auto record = read_row(st);
    const auto size = record.to_wire().dump().size() + 1;
    if (!out.empty() && bytes + size > max_bytes) return out;
    bytes += size;
    out.push_back(std::move(record));
  }
  if (rc != SQLITE_DONE) return Error{sql_error(m_db, "cannot read pending records")};
  return out;
}

Result<std::size_t> EvidenceStore::mark_delivered(const std::vector<std::uint64_t>& seqs) {
  std::lock_guard lock(m_mutex);
  if (exec(m_db, "BEGIN IMMEDIATE") != SQLITE_OK) return Error{sql_error(m_db, "cannot mark records delivered")};
  Statement st(m_db, "UPDATE records SET delivered_ms = ?1 WHERE agent_id = ?2 AND seq = ?3 AND delivered_ms IS NULL");
  std::size_t changed = 0;
  const auto now = to_unix_ms(m_clock.utc_now());
  for (auto seq : seqs) {
    st.reset();
    st.bind(1, now);
    st.bind(2, m_identity.agent_id);
    st.bind(3, static_cast<std::int64_t>(seq));
    if (st.step() != SQLITE_DONE) {
      auto message = sql_error(m_db, "cannot mark records delivered");
      exec(m_db, "ROLLBACK");
      return Error{message};
    }
    changed += static_cast<std::size_t>(sqlite3_changes(m_db));
  }
  if (exec(m_db, "COMMIT") != SQLITE_OK) {
    auto message = sql_error(m_db, "cannot mark records delivered");
    exec(m_db, "ROLLBACK");
    return Error{message};
  }
  return changed;
}

Result<std::size_t> EvidenceStore::quarantine(const std::vector<std::uint64_t>& seqs, const std::string& reason) {
  std::lock_guard lock(m_mutex);
  if (exec(m_db, "BEGIN IMMEDIATE") != SQLITE_OK) return Error{sql_error(m_db, "cannot quarantine records")};
  Statement st(m_db, "UPDATE records SET quarantined = 1 WHERE agent_id = ?1 AND seq = ?2 AND delivered_ms IS NULL");
  std::size_t changed = 0;
  for (auto seq : seqs) {
    st.reset();
    st.bind(1, m_identity.agent_id);
    st.bind(2, static_cast<std::int64_t>(seq));
    if (st.step() != SQLITE_DONE) {
      auto message = sql_error(m_db, "cannot quarantine records");
      exec(m_db, "ROLLBACK");
      return Error{message};
    }
    changed += static_cast<std::size_t>(sqlite3_changes(m_db));
  }
  if (exec(m_db, "COMMIT") != SQLITE_OK) {
    auto message = sql_error(m_db, "cannot quarantine records");
    exec(m_db, "ROLLBACK");
    return Error{message};
  }
  std::string range =
      seqs.empty() ? "" : " (seq " + std::to_string(seqs.front()) + ".." + std::to_string(seqs.back()) + ")";
  auto r = append_locked(
      rt::store_event, m_clock.utc_now(),
      {{"event", "quarantined"}, {"detail", "server rejected a batch" + range + ": " + reason}, {"count", changed}});
  if (!r) return r.error();
  return changed;
}

Result<StoreStats> EvidenceStore::stats() const {
  std::lock_guard lock(m_mutex);
  StoreStats s;
  s.agent_id = m_identity.agent_id;
  s.records_total = last_seq(m_db, m_identity.agent_id);
  auto count = [&](const char* sql, bool bind_agent) -> std::uint64_t {
    Statement st(m_db, sql);
    if (bind_agent) st.bind(1, m_identity.agent_id);
    return st.prepared() && st.step() == SQLITE_ROW ? static_cast<std::uint64_t>(st.int64(0)) : 0;
  };
  s.records_stored = count("SELECT count(*) FROM records", false);
  s.records_pending =
      count("SELECT count(*) FROM records WHERE agent_id = ?1 AND delivered_ms IS NULL AND quarantined = 0", true);
  s.records_quarantined = count("SELECT count(*) FROM records WHERE quarantined = 1", false);
  s.store_bytes = file_bytes(m_path) + file_bytes(m_path.string() + "-wal");
  Statement last(m_db, "SELECT max(delivered_ms) FROM records WHERE delivered_ms IS NOT NULL");
  if (last.prepared() && last.step() == SQLITE_ROW && !last.is_null(0))
    s.last_delivered_at = from_unix_ms(last.int64(0));
  return s;
}

Result<void> EvidenceStore::set_meta(const std::string& key, const std::string& value) {
  std::lock_guard lock(m_mutex);
  if (m_options.read_only) return Error{"the evidence store is open read-only"};
  Statement st(m_db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)");
  st.bind(1, key);
  st.bind(2, value);
  if (st.step() != SQLITE_DONE) return Error{sql_error(m_db, "cannot write " + key + " to " + m_path.string())};
  return ok();
}

Result<std::optional<std::string>> EvidenceStore::get_meta(const std::string& key) const {
  std::lock_guard lock(m_mutex);
  return meta_value(m_db, key);
}

AgentIdentity EvidenceStore::identity() const {
  std::lock_guard lock(m_mutex);
  return m_identity;
}

std::string EvidenceStore::agent_id() const {
  std::lock_guard lock(m_mutex);
  return m_identity.agent_id;
}

bool EvidenceStore::paused() const {
  std::lock_guard lock(m_mutex);
  return m_paused;
}

Result<void> EvidenceStore::set_hardware(const json& hardware) {
  std::lock_guard lock(m_mutex);
  auto next = m_identity;
  next.hardware = hardware;
  if (auto saved = save_identity(m_options.data_dir, next); !saved) return saved.error();
  m_identity = next;
  Statement st(m_db, "INSERT OR REPLACE INTO meta(key, value) VALUES ('hardware', ?1)");
  st.bind(1, hardware.dump());
  st.step();
  return ok();
}

Result<std::string> EvidenceStore::rotate_agent_id(const json& hardware) {
  std::lock_guard lock(m_mutex);
  AgentIdentity next;
  next.agent_id = new_uuid();
  next.previous_agent_id = m_identity.agent_id;
  next.hardware = hardware;
  next.created_at = to_rfc3339(m_clock.utc_now());
  next.seq_reserved = 0;
  if (auto saved = save_identity(m_options.data_dir, next); !saved) return saved.error();
  log::get("store")->warn("hardware identity changed (cloned disk?): agent_id {} replaces {}", next.agent_id,
                          m_identity.agent_id);
  m_identity = next;
  m_next_seq = last_seq(m_db, next.agent_id) + 1;
  Statement st(m_db, "INSERT OR REPLACE INTO meta(key, value) VALUES ('agent_id', ?1)");
  st.bind(1, next.agent_id);
  st.step();
  Statement hw(m_db, "INSERT OR REPLACE INTO meta(key, value) VALUES ('hardware', ?1)");
  hw.bind(1, hardware.dump());
  hw.step();
  return next.agent_id;
}

}  // namespace itsa::store
