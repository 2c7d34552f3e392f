// Opening the evidence store: the schema and its migrations, integrity check, a damaged file
// moved aside, the agent identity and the next seq.
#include <algorithm>

#include "common/log.hpp"
#include "common/time_format.hpp"
#include "protocol/record_types.hpp"
#include "store/boot_id.hpp"
#include "store/evidence_store.hpp"
#include "store/sqlite_util.hpp"
#include "store/store_internal.hpp"

namespace rt = itsa::protocol::record_type;

namespace itsa::store {

using nlohmann::json;

namespace internal {

std::int64_t file_bytes(const std::filesystem::path& p) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(p, ec);
  return ec ? 0 : static_cast<std::int64_t>(n);
}

std::optional<std::string> meta_value(sqlite3* db, const std::string& key) {
  Statement st(db, "SELECT value FROM meta WHERE key = ?1");
  if (!st.prepared()) return std::nullopt;
  st.bind(1, key);
  if (st.step() != SQLITE_ROW) return std::nullopt;
  return st.text(0);
}

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

}  // namespace internal

namespace {

using internal::file_bytes;
using internal::last_seq;
using internal::meta_value;

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
    // 2: drafts = minute series still being filled (store/series_sink.hpp); not records yet.
    R"sql(
CREATE TABLE drafts (key TEXT PRIMARY KEY, type TEXT NOT NULL, time_ms INTEGER NOT NULL, payload TEXT NOT NULL);
)sql",
};
constexpr int k_schema_version = static_cast<int>(std::size(k_migrations));

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

}  // namespace

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
    auto r = store->append(rt::store_event, clock.utc_now(),
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

}  // namespace itsa::store
