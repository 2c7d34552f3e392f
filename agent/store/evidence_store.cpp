#include "agent/store/evidence_store.hpp"

#include <algorithm>

#include "agent/store/boot_id.hpp"
#include "agent/store/payload_codec.hpp"
#include "agent/store/sqlite_util.hpp"
#include "common/log.hpp"
#include "common/time_format.hpp"

namespace itsa::store {
namespace {

using nlohmann::json;

constexpr std::uint64_t k_seq_reserve_block = 1000;           // seqs reserved in identity.json per write
constexpr unsigned k_check_every_appends = 32;                // appends between size-cap checks
constexpr std::uintmax_t k_resume_free_bytes = 512 * 1024;    // free space before a paused store tries again
constexpr auto k_pause_log_every = std::chrono::minutes(10);  // at most one "paused" line per this

// Schema migrations: k_migrations[i] takes user_version i to i + 1.
const char* const k_migrations[] = {
    R"sql(
CREATE TABLE records (
  agent_id TEXT NOT NULL,
  boot_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  time_ms INTEGER NOT NULL,
  payload TEXT NOT NULL,
  payload_id TEXT,
  delivered_ms INTEGER,
  quarantined INTEGER NOT NULL DEFAULT 0,
  UNIQUE (agent_id, seq));
CREATE INDEX records_pending ON records(agent_id, seq) WHERE delivered_ms IS NULL AND quarantined = 0;
CREATE INDEX records_type_time ON records(type, time_ms);
CREATE INDEX records_payload_id ON records(type, payload_id) WHERE payload_id IS NOT NULL;
CREATE INDEX records_delivered ON records(delivered_ms) WHERE delivered_ms IS NOT NULL;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql",
    // 2: drafts = minute series still being filled (agent/store/series_sink.hpp); not records yet.
    R"sql(
CREATE TABLE drafts (key TEXT PRIMARY KEY, type TEXT NOT NULL, time_ms INTEGER NOT NULL, payload TEXT NOT NULL);
)sql",
};
constexpr int k_schema_version = static_cast<int>(std::size(k_migrations));

constexpr const char* k_columns = "agent_id, boot_id, seq, type, time_ms, payload, delivered_ms, quarantined";

// The eviction tiers, first evicted first (docs/store.md).
struct Tier {
  const char* name;
  const char* where;
};
#define ITSA_DONE "(delivered_ms IS NOT NULL OR quarantined = 1)"
#define ITSA_PENDING "(delivered_ms IS NULL AND quarantined = 0)"
#define ITSA_MINUTE "type IN ('pressure_minute', 'link_minute', 'probe_minute')"
#define ITSA_KEPT "type IN ('outage', 'inventory')"
const Tier k_tiers[] = {
    {"delivered per-minute samples", ITSA_DONE " AND " ITSA_MINUTE},
    {"delivered events", ITSA_DONE " AND NOT " ITSA_MINUTE " AND NOT " ITSA_KEPT},
    {"delivered outages and inventories", ITSA_DONE " AND " ITSA_KEPT},
    {"undelivered per-minute samples", ITSA_PENDING " AND " ITSA_MINUTE},
    {"undelivered events", ITSA_PENDING " AND NOT " ITSA_MINUTE " AND NOT " ITSA_KEPT},
    {"undelivered inventories", ITSA_PENDING " AND type = 'inventory'"},
    {"undelivered superseded outage updates",
     ITSA_PENDING " AND type = 'outage' AND EXISTS (SELECT 1 FROM records r2 WHERE r2.type = 'outage' AND "
                  "r2.payload_id = records.payload_id AND r2.rowid > records.rowid)"},
    {"undelivered outages", ITSA_PENDING " AND type = 'outage'"},
};

std::string sql_error(sqlite3* db, const std::string& what) {
  return what + ": " + sqlite3_errmsg(db);
}

// An opened connection, or why not (and whether the file is damaged).
struct Opened {
  sqlite3* db = nullptr;
  int rc = SQLITE_OK;
  std::string message;
};

Opened open_db(const std::filesystem::path& path, bool read_only, bool durable) {
  Opened out;
  const int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  out.rc = sqlite3_open_v2(path.string().c_str(), &out.db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  auto fail = [&](int rc, const std::string& what) {
    out.rc = rc;
    out.message = sql_error(out.db, what);
    sqlite3_close_v2(out.db);
    out.db = nullptr;
    return out;
  };
  if (out.rc != SQLITE_OK) return fail(out.rc, "cannot open " + path.string());
  sqlite3_extended_result_codes(out.db, 1);
  sqlite3_busy_timeout(out.db, 5000);
  if (!read_only) {
    for (const char* pragma :
         {"PRAGMA auto_vacuum = INCREMENTAL", "PRAGMA journal_mode = WAL",
          durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = OFF", "PRAGMA journal_size_limit = 4194304"}) {
      const int rc = exec(out.db, pragma);
      if (rc != SQLITE_OK) return fail(rc, std::string("cannot set ") + pragma + " on " + path.string());
    }
    Statement check(out.db, "PRAGMA quick_check");
    if (!check.prepared()) return fail(check.rc(), "cannot check " + path.string());
    const int rc = check.step();
    if (rc != SQLITE_ROW) return fail(rc, "cannot check " + path.string());
    if (check.text(0) != "ok") {
      out.message = path.string() + " failed its integrity check: " + check.text(0);
      sqlite3_close_v2(out.db);
      out.db = nullptr;
      out.rc = SQLITE_CORRUPT;
      return out;
    }
  }
  return out;
}

Result<void> migrate(sqlite3* db, const std::filesystem::path& path, int& corrupt_rc) {
  Statement uv(db, "PRAGMA user_version");
  if (!uv.prepared() || uv.step() != SQLITE_ROW) {
    corrupt_rc = uv.rc();
    return Error{sql_error(db, "cannot read the schema version of " + path.string())};
  }
  const int version = static_cast<int>(uv.int64(0));
  if (version > k_schema_version)
    return Error{path.string() + " has schema version " + std::to_string(version) +
                 " but this itsa-agent knows up to " + std::to_string(k_schema_version) +
                 "; install a newer itsa-agent or move the file away"};
  for (int v = version; v < k_schema_version; ++v) {
    const std::string sql = std::string("BEGIN IMMEDIATE;") + k_migrations[v] +
                            "PRAGMA user_version = " + std::to_string(v + 1) + "; COMMIT;";
    const int rc = exec(db, sql);
    if (rc != SQLITE_OK) {
      std::string message = sql_error(db, "cannot migrate " + path.string() + " to schema " + std::to_string(v + 1));
      exec(db, "ROLLBACK");
      corrupt_rc = rc;
      return Error{message};
    }
  }
  return ok();
}

std::string compact_utc(UtcTime t) {
  std::string s = to_rfc3339(t);
  s.erase(std::remove(s.begin(), s.end(), '-'), s.end());
  s.erase(std::remove(s.begin(), s.end(), ':'), s.end());
  return s;  // 20261127T123456Z
}

// Moves a damaged store (and its WAL) aside; returns the new name of the database file.
std::filesystem::path move_aside(const std::filesystem::path& path, UtcTime now) {
  const auto aside = std::filesystem::path(path.string() + ".corrupt-" + compact_utc(now));
  std::error_code ec;
  std::filesystem::rename(path, aside, ec);
  std::filesystem::rename(path.string() + "-wal", aside.string() + "-wal", ec);
  std::filesystem::remove(path.string() + "-shm", ec);
  return aside;
}

std::int64_t file_bytes(const std::filesystem::path& p) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(p, ec);
  return ec ? 0 : static_cast<std::int64_t>(n);
}

std::int64_t pragma_int(sqlite3* db, const char* pragma) {
  Statement st(db, pragma);
  return st.prepared() && st.step() == SQLITE_ROW ? st.int64(0) : 0;
}

// Bytes of pages in use (file size minus free pages).
std::int64_t used_bytes(sqlite3* db) {
  return (pragma_int(db, "PRAGMA page_count") - pragma_int(db, "PRAGMA freelist_count")) *
         pragma_int(db, "PRAGMA page_size");
}

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

std::optional<std::string> meta_value(sqlite3* db, const std::string& key) {
  Statement st(db, "SELECT value FROM meta WHERE key = ?1");
  if (!st.prepared()) return std::nullopt;
  st.bind(1, key);
  if (st.step() != SQLITE_ROW) return std::nullopt;
  return st.text(0);
}

// Highest seq ever assigned to agent_id in this database (meta survives eviction).
std::uint64_t last_seq(sqlite3* db, const std::string& agent_id) {
  std::uint64_t high = 0;
  if (auto v = meta_value(db, "last_seq:" + agent_id)) high = std::strtoull(v->c_str(), nullptr, 10);
  Statement st(db, "SELECT max(seq) FROM records WHERE agent_id = ?1");
  if (st.prepared()) {
    st.bind(1, agent_id);
    if (st.step() == SQLITE_ROW && !st.is_null(0)) high = std::max(high, static_cast<std::uint64_t>(st.int64(0)));
  }
  return high;
}

}  // namespace

json StoredRecord::to_wire() const {
  return {{"agent_id", agent_id}, {"boot_id", boot_id},          {"seq", seq},
          {"type", type},         {"time", to_rfc3339_ms(time)}, {"payload", payload}};
}

std::filesystem::path store_file(const std::filesystem::path& data_dir) {
  return data_dir / "evidence.db";
}

Result<std::unique_ptr<EvidenceStore>> EvidenceStore::open(const StoreOptions& options) {
  const Clock& clock = options.clock ? *options.clock : SystemClock::instance();
  auto logger = log::get("store");
  const auto path = store_file(options.data_dir);
  std::error_code ec;
  if (options.read_only) {
    if (!std::filesystem::exists(path, ec))
      return Error{"no evidence store at " + path.string() + " (has the agent run with this data_dir?)"};
  } else {
    std::filesystem::create_directories(options.data_dir, ec);
    if (ec) return Error{"cannot create data_dir " + options.data_dir.string() + ": " + ec.message()};
  }

  std::string reset_detail;
  sqlite3* db = nullptr;
  bool fresh = !std::filesystem::exists(path, ec) || file_bytes(path) == 0;
  for (int attempt = 0; attempt < 2 && !db; ++attempt) {
    Opened opened = open_db(path, options.read_only, options.durable);
    int corrupt_rc = opened.rc;
    std::string message = opened.message;
    if (opened.db && !options.read_only) {
      auto migrated = migrate(opened.db, path, corrupt_rc);
      if (migrated) {
        db = opened.db;
        break;
      }
      message = migrated.error().message;
      sqlite3_close_v2(opened.db);
    } else if (opened.db) {
      db = opened.db;
      break;
    }
    if (options.read_only || !is_corruption(corrupt_rc) || attempt > 0) return Error{message};
    const auto aside = move_aside(path, clock.utc_now());
    logger->error("evidence store {} is damaged ({}); moved it to {} and started a fresh store", path.string(), message,
                  aside.string());
    reset_detail = path.string() + " was damaged (" + message + "); moved to " + aside.string();
    fresh = true;
  }

  // Identity: identity.json wins; rebuilt from the database when the file is lost.
  auto identity = load_identity(options.data_dir);
  bool identity_changed = false;
  if (!identity) {
    AgentIdentity made;
    if (auto from_db = meta_value(db, "agent_id")) {
      made.agent_id = *from_db;
      made.seq_reserved = last_seq(db, made.agent_id);
    } else {
      made.agent_id = new_uuid();
    }
    made.created_at = to_rfc3339(clock.utc_now());
    if (auto hw = meta_value(db, "hardware")) made.hardware = json::parse(*hw, nullptr, false);
    if (made.hardware.is_discarded()) made.hardware = nullptr;
    identity = made;
    identity_changed = true;
  }
  if (options.read_only) {
    if (identity_changed) {
      sqlite3_close_v2(db);
      return Error{"no agent identity in " + options.data_dir.string()};
    }
  } else {
    if (identity_changed) {
      auto saved = save_identity(options.data_dir, *identity);
      if (!saved) {
        sqlite3_close_v2(db);
        return saved.error();
      }
    }
    Statement st(db, "INSERT OR REPLACE INTO meta(key, value) VALUES ('agent_id', ?1)");
    st.bind(1, identity->agent_id);
    st.step();
  }
  std::uint64_t high = last_seq(db, identity->agent_id);
  if (fresh) high = std::max(high, identity->seq_reserved);
  std::unique_ptr<EvidenceStore> store(new EvidenceStore(options, db, *identity, high + 1));
  if (!reset_detail.empty()) {
    auto r = store->append("store_event", clock.utc_now(),
                           {{"event", "store_reset"}, {"detail", reset_detail}, {"count", 0}});
    if (!r) logger->error("cannot record the store reset: {}", r.error().message);
  }
  if (!options.read_only) {
    std::lock_guard lock(store->m_mutex);
    auto enforced = store->enforce_limits_locked();
    if (!enforced) logger->warn("cannot apply store limits: {}", enforced.error().message);
  }
  return store;
}

EvidenceStore::EvidenceStore(const StoreOptions& options, sqlite3* db, AgentIdentity identity, std::uint64_t next_seq)
    : m_options(options),
      m_clock(options.clock ? *options.clock : SystemClock::instance()),
      m_db(db),
      m_path(store_file(options.data_dir)),
      m_identity(std::move(identity)),
      m_boot_id(options.boot_id.empty() ? current_boot_id() : options.boot_id),
      m_next_seq(next_seq) {}

EvidenceStore::~EvidenceStore() {
  if (m_db) {
    if (!m_options.read_only) exec(m_db, "PRAGMA wal_checkpoint(PASSIVE)");
    sqlite3_close_v2(m_db);
  }
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
    auto r = append_locked("store_event", m_clock.utc_now(),
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

Result<std::size_t> EvidenceStore::enforce_limits_locked() {
  if (m_options.read_only) return std::size_t{0};
  m_appends_since_check = 0;
  struct Evicted {
    std::string detail;
    std::int64_t count;
  };
  std::vector<Evicted> evicted;
  const auto cutoff = to_unix_ms(m_clock.utc_now() - std::chrono::hours(24) * m_options.retention_days);
  {
    Statement del(m_db,
                  "DELETE FROM records WHERE (delivered_ms IS NOT NULL AND delivered_ms < ?1) OR "
                  "(quarantined = 1 AND time_ms < ?1)");
    del.bind(1, cutoff);
    if (del.step() != SQLITE_DONE) return Error{sql_error(m_db, "cannot apply retention to " + m_path.string())};
    if (const auto n = sqlite3_changes(m_db); n > 0)
      evicted.push_back(
          {"retention: delivered records older than " + std::to_string(m_options.retention_days) + " days", n});
  }
  std::int64_t used = used_bytes(m_db);
  if (used > m_options.max_bytes) {
    const std::int64_t target = m_options.max_bytes / 10 * 9;
    for (const auto& tier : k_tiers) {
      std::int64_t count = 0;
      const std::string sql = std::string("DELETE FROM records WHERE rowid IN (SELECT rowid FROM records WHERE ") +
                              tier.where + " ORDER BY rowid LIMIT 256)";
      while (used > target) {
        if (exec(m_db, sql) != SQLITE_OK) return Error{sql_error(m_db, "cannot evict from " + m_path.string())};
        const auto n = sqlite3_changes(m_db);
        if (n == 0) break;
        count += n;
        used = used_bytes(m_db);
      }
      if (count > 0)
        evicted.push_back({"size cap " + std::to_string(m_options.max_bytes) + " bytes: " + tier.name, count});
      if (used <= target) break;
    }
  }
  std::size_t total = 0;
  for (const auto& e : evicted) total += static_cast<std::size_t>(e.count);
  if (total > 0) exec(m_db, "PRAGMA incremental_vacuum");
  for (const auto& e : evicted) {
    log::get("store")->warn("evicted {} records from the evidence store ({})", e.count, e.detail);
    auto r = append_locked("store_event", m_clock.utc_now(),
                           {{"event", "evicted"}, {"detail", e.detail}, {"count", e.count}});
    if (!r) return r.error();
  }
  m_appends_since_check = 0;
  return total;
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
      "store_event", m_clock.utc_now(),
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
