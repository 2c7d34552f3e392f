// SQLite backend: one connection in WAL mode, serialised by a mutex. The embedded default.
#include <sqlite3.h>

#include <mutex>

#include "server/storage/schema.hpp"
#include "server/storage/storage.hpp"

namespace itsa::server {
namespace {

/// A prepared statement that finalises itself.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : m_db(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr) != SQLITE_OK) m_stmt = nullptr;
  }
  ~Stmt() { sqlite3_finalize(m_stmt); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return m_stmt != nullptr; }
  Stmt& bind(int i, const std::string& v) {
    sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(m_stmt, i, v);
    return *this;
  }
  /// SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(m_stmt); }
  void reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
  }
  std::string text(int i) const {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, i));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, i))) : std::string();
  }
  std::int64_t integer(int i) const { return sqlite3_column_int64(m_stmt, i); }
  std::string error() const { return sqlite3_errmsg(m_db); }

 private:
  sqlite3* m_db;
  sqlite3_stmt* m_stmt = nullptr;
};

class SqliteStorage final : public Storage {
 public:
  SqliteStorage(sqlite3* db, std::string file) : m_db(db), m_file(std::move(file)) {}
  ~SqliteStorage() override { sqlite3_close(m_db); }

  std::string backend() const override { return "sqlite"; }

  Result<void> migrate() override {
    std::lock_guard lock(m_mutex);
    for (const auto& sql : schema_statements(SqlDialect::sqlite)) {
      if (auto r = exec(sql); !r) return r;
    }
    return ok();
  }

  Result<void> create_token(const std::string& id, const std::string& site, const std::string& token_hash,
                            std::int64_t now_ms) override {
    std::lock_guard lock(m_mutex);
    if (auto r = exec("BEGIN IMMEDIATE"); !r) return r;
    Stmt s1(m_db, "INSERT OR IGNORE INTO sites(name, created_ms) VALUES(?1, ?2)");
    s1.bind(1, site).bind(2, now_ms);
    Stmt s2(m_db, "INSERT INTO enrolment_tokens(id, site, token_hash, created_ms, revoked) VALUES(?1,?2,?3,?4,0)");
    s2.bind(1, id).bind(2, site).bind(3, token_hash).bind(4, now_ms);
    if (s1.step() != SQLITE_DONE || s2.step() != SQLITE_DONE) {
      auto msg = s2.error();
      (void)exec("ROLLBACK");
      return fail("create token", msg);
    }
    return exec("COMMIT");
  }

  Result<std::vector<TokenRow>> list_tokens() override {
    std::lock_guard lock(m_mutex);
    Stmt s(m_db, "SELECT id, site, created_ms, revoked FROM enrolment_tokens ORDER BY created_ms, id");
    std::vector<TokenRow> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back({s.text(0), s.text(1), s.integer(2), s.integer(3) != 0});
    if (rc != SQLITE_DONE) return fail("list tokens", s.error());
    return out;
  }

  Result<bool> revoke_token(const std::string& id) override {
    std::lock_guard lock(m_mutex);
    Stmt s(m_db, "UPDATE enrolment_tokens SET revoked = 1 WHERE id = ?1");
    s.bind(1, id);
    if (s.step() != SQLITE_DONE) return fail("revoke token", s.error());
    return sqlite3_changes(m_db) > 0;
  }

  Result<std::optional<std::string>> site_for_token(const std::string& token_hash) override {
    std::lock_guard lock(m_mutex);
    Stmt s(m_db, "SELECT site FROM enrolment_tokens WHERE token_hash = ?1 AND revoked = 0");
    s.bind(1, token_hash);
    int rc = s.step();
    if (rc == SQLITE_ROW) return std::optional<std::string>(s.text(0));
    if (rc != SQLITE_DONE) return fail("look up token", s.error());
    return std::optional<std::string>();
  }

  Result<std::vector<std::string>> sites() override {
    std::lock_guard lock(m_mutex);
    Stmt s(m_db, "SELECT name FROM sites ORDER BY name");
    std::vector<std::string> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(s.text(0));
    if (rc != SQLITE_DONE) return fail("list sites", s.error());
    return out;
  }

  Result<void> enrol_agent(const AgentEnrolment& e) override {
    std::lock_guard lock(m_mutex);
    Stmt s(
        m_db,
        "INSERT INTO agents(agent_id, hostname, site, secret_hash, previous_agent_id, agent_version, first_seen_ms, "
        "last_seen_ms) VALUES(?1,?2,?3,?4,?5,?6,?7,?7) ON CONFLICT(agent_id) DO UPDATE SET hostname=excluded.hostname, "
        "site=excluded.site, secret_hash=excluded.secret_hash, previous_agent_id=CASE WHEN excluded.previous_agent_id "
        "= '' THEN agents.previous_agent_id ELSE excluded.previous_agent_id END, agent_version=excluded.agent_version, "
        "last_seen_ms=excluded.last_seen_ms");
    s.bind(1, e.agent_id).bind(2, e.hostname).bind(3, e.site).bind(4, e.secret_hash).bind(5, e.previous_agent_id);
    s.bind(6, e.agent_version).bind(7, e.now_ms);
    if (s.step() != SQLITE_DONE) return fail("enrol agent", s.error());
    return ok();
  }

  Result<std::optional<std::string>> agent_for_secret(const std::string& secret_hash) override {
    std::lock_guard lock(m_mutex);
    Stmt s(m_db, "SELECT agent_id FROM agents WHERE secret_hash = ?1");
    s.bind(1, secret_hash);
    int rc = s.step();
    if (rc == SQLITE_ROW) return std::optional<std::string>(s.text(0));
    if (rc != SQLITE_DONE) return fail("look up agent secret", s.error());
    return std::optional<std::string>();
  }

  Result<std::optional<AgentRow>> agent(const std::string& agent_id) override {
    auto all = select_agents("WHERE agent_id = ?1", agent_id);
    if (!all) return all.error();
    if (all.value().empty()) return std::optional<AgentRow>();
    return std::optional<AgentRow>(all.value().front());
  }

  Result<std::vector<AgentRow>> agents() override { return select_agents("", ""); }

  Result<IngestResult> ingest(const std::string& agent_id, const std::vector<RecordIn>& records,
                              std::int64_t now_ms) override {
    std::lock_guard lock(m_mutex);
    if (auto r = exec("BEGIN IMMEDIATE"); !r) return r.error();
    IngestResult result;
    Stmt ins(m_db,
             "INSERT OR IGNORE INTO records(agent_id, boot_id, seq, type, time_ms, payload, received_ms) "
             "VALUES(?1,?2,?3,?4,?5,?6,?7)");
    for (const auto& rec : records) {
      ins.bind(1, rec.agent_id).bind(2, rec.boot_id).bind(3, rec.seq).bind(4, rec.type).bind(5, rec.time_ms);
      ins.bind(6, rec.payload_json).bind(7, now_ms);
      if (ins.step() != SQLITE_DONE) {
        auto msg = ins.error();
        (void)exec("ROLLBACK");
        return fail("store records", msg);
      }
      if (sqlite3_changes(m_db) > 0) {
        ++result.stored;
      } else {
        ++result.duplicates;
      }
      result.acked.push_back(rec.seq);
      ins.reset();
    }
    Stmt upd(m_db, "UPDATE agents SET last_seen_ms = MAX(last_seen_ms, ?2) WHERE agent_id = ?1");
    upd.bind(1, agent_id).bind(2, now_ms);
    if (upd.step() != SQLITE_DONE) {
      auto msg = upd.error();
      (void)exec("ROLLBACK");
      return fail("update agent", msg);
    }
    if (auto r = exec("COMMIT"); !r) {
      (void)exec("ROLLBACK");
      return r.error();
    }
    return result;
  }

  Result<void> records(const RecordQuery& q, const RecordVisitor& visit) override {
    std::lock_guard lock(m_mutex);
    std::string sql =
        "SELECT r.agent_id, r.boot_id, r.seq, r.type, r.time_ms, r.payload FROM records r WHERE r.time_ms >= ?1 AND "
        "r.time_ms < ?2";
    int next = 3;
    auto in_list = [&](const std::vector<std::string>& values, const char* column) {
      if (values.empty()) return;
      sql += std::string(" AND ") + column + " IN (";
      for (std::size_t i = 0; i < values.size(); ++i) sql += (i ? ",?" : "?") + std::to_string(next++);
      sql += ")";
    };
    in_list(q.agent_ids, "r.agent_id");
    in_list(q.types, "r.type");
    if (!q.site.empty())
      sql += " AND r.agent_id IN (SELECT agent_id FROM agents WHERE site = ?" + std::to_string(next++) + ")";
    sql += " ORDER BY r.agent_id, r.seq";
    Stmt s(m_db, sql.c_str());
    if (!s.ok()) return fail("query records", sqlite3_errmsg(m_db));
    s.bind(1, q.from_ms).bind(2, q.to_ms);
    int i = 3;
    for (const auto& v : q.agent_ids) s.bind(i++, v);
    for (const auto& v : q.types) s.bind(i++, v);
    if (!q.site.empty()) s.bind(i++, q.site);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      StoredRecord rec{s.text(0), s.text(1), s.integer(2), s.text(3), s.integer(4), s.text(5)};
      if (!visit(rec)) return ok();
    }
    if (rc != SQLITE_DONE) return fail("query records", s.error());
    return ok();
  }

  Result<std::vector<StoredRecord>> latest_of_type(const std::string& type) override {
    std::lock_guard lock(m_mutex);
    Stmt s(m_db,
           "SELECT r.agent_id, r.boot_id, r.seq, r.type, r.time_ms, r.payload FROM records r JOIN (SELECT agent_id, "
           "MAX(seq) AS seq FROM records WHERE type = ?1 GROUP BY agent_id) m ON r.agent_id = m.agent_id AND r.seq = "
           "m.seq AND r.type = ?1 ORDER BY r.agent_id");
    s.bind(1, type);
    std::vector<StoredRecord> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW)
      out.push_back({s.text(0), s.text(1), s.integer(2), s.text(3), s.integer(4), s.text(5)});
    if (rc != SQLITE_DONE) return fail("latest records", s.error());
    return out;
  }

  Result<std::vector<AgentStats>> stats() override {
    std::lock_guard lock(m_mutex);
    Stmt s(m_db,
           "SELECT a.agent_id, a.hostname, a.site, (SELECT COUNT(*) FROM records r WHERE r.agent_id = a.agent_id), "
           "a.last_seen_ms FROM agents a ORDER BY a.site, a.hostname, a.agent_id");
    std::vector<AgentStats> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back({s.text(0), s.text(1), s.text(2), s.integer(3), s.integer(4)});
    if (rc != SQLITE_DONE) return fail("stats", s.error());
    return out;
  }

  Result<void> add_user(const UserRow& u) override {
    std::lock_guard lock(m_mutex);
    Stmt s(m_db, "INSERT INTO users(name, password_hash, created_ms) VALUES(?1,?2,?3)");
    s.bind(1, u.name).bind(2, u.password_hash).bind(3, u.created_ms);
    int rc = s.step();
    if (rc == SQLITE_CONSTRAINT) return Error{"user '" + u.name + "' already exists"};
    if (rc != SQLITE_DONE) return fail("add user", s.error());
    return ok();
  }

  Result<std::optional<UserRow>> user(const std::string& name) override {
    std::lock_guard lock(m_mutex);
    Stmt s(m_db, "SELECT name, password_hash, created_ms FROM users WHERE name = ?1");
    s.bind(1, name);
    int rc = s.step();
    if (rc == SQLITE_ROW) return std::optional<UserRow>(UserRow{s.text(0), s.text(1), s.integer(2)});
    if (rc != SQLITE_DONE) return fail("look up user", s.error());
    return std::optional<UserRow>();
  }

  Result<std::vector<UserRow>> users() override {
    std::lock_guard lock(m_mutex);
    Stmt s(m_db, "SELECT name, password_hash, created_ms FROM users ORDER BY name");
    std::vector<UserRow> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back({s.text(0), s.text(1), s.integer(2)});
    if (rc != SQLITE_DONE) return fail("list users", s.error());
    return out;
  }

  Result<bool> remove_user(const std::string& name) override {
    std::lock_guard lock(m_mutex);
    Stmt s1(m_db, "DELETE FROM sessions WHERE user_name = ?1");
    s1.bind(1, name);
    if (s1.step() != SQLITE_DONE) return fail("remove sessions", s1.error());
    Stmt s2(m_db, "DELETE FROM users WHERE name = ?1");
    s2.bind(1, name);
    if (s2.step() != SQLITE_DONE) return fail("remove user", s2.error());
    return sqlite3_changes(m_db) > 0;
  }

  Result<void> create_session(const SessionRow& row) override {
    std::lock_guard lock(m_mutex);
    Stmt s(m_db, "INSERT INTO sessions(id_hash, user_name, csrf_token, expires_ms) VALUES(?1,?2,?3,?4)");
    s.bind(1, row.id_hash).bind(2, row.user_name).bind(3, row.csrf_token).bind(4, row.expires_ms);
    if (s.step() != SQLITE_DONE) return fail("create session", s.error());
    return ok();
  }

  Result<std::optional<SessionRow>> session(const std::string& id_hash, std::int64_t now_ms) override {
    std::lock_guard lock(m_mutex);
    Stmt s(m_db,
           "SELECT id_hash, user_name, csrf_token, expires_ms FROM sessions WHERE id_hash = ?1 AND expires_ms > ?2");
    s.bind(1, id_hash).bind(2, now_ms);
    int rc = s.step();
    if (rc == SQLITE_ROW) return std::optional<SessionRow>(SessionRow{s.text(0), s.text(1), s.text(2), s.integer(3)});
    if (rc != SQLITE_DONE) return fail("look up session", s.error());
    return std::optional<SessionRow>();
  }

  Result<void> delete_session(const std::string& id_hash) override {
    std::lock_guard lock(m_mutex);
    Stmt s(m_db, "DELETE FROM sessions WHERE id_hash = ?1");
    s.bind(1, id_hash);
    if (s.step() != SQLITE_DONE) return fail("delete session", s.error());
    return ok();
  }

 private:
  Result<void> exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      return fail(sql.substr(0, 40), msg);
    }
    return ok();
  }

  Error fail(const std::string& what, const std::string& msg) const {
    return Error{"SQLite " + m_file + ": " + what + ": " + msg};
  }

  Result<std::vector<AgentRow>> select_agents(const std::string& where, const std::string& arg) {
    std::lock_guard lock(m_mutex);
    std::string sql =
        "SELECT agent_id, hostname, site, agent_version, previous_agent_id, first_seen_ms, last_seen_ms FROM agents " +
        where + " ORDER BY site, hostname, agent_id";
    Stmt s(m_db, sql.c_str());
    if (!where.empty()) s.bind(1, arg);
    std::vector<AgentRow> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      out.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.integer(5), s.integer(6)});
    }
    if (rc != SQLITE_DONE) return fail("list agents", s.error());
    return out;
  }

  sqlite3* m_db;
  std::string m_file;
  std::mutex m_mutex;
};

}  // namespace

Result<std::unique_ptr<Storage>> open_sqlite_storage(const std::string& file) {
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Error{"cannot open SQLite database " + file + ": " + msg};
  }
  sqlite3_busy_timeout(db, 5000);
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
    char* err = nullptr;
    if (sqlite3_exec(db, pragma, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown";
      sqlite3_free(err);
      sqlite3_close(db);
      return Error{"cannot set up SQLite database " + file + ": " + msg};
    }
  }
  auto storage = std::make_unique<SqliteStorage>(db, file);
  if (auto r = storage->migrate(); !r) return r.error();
  return std::unique_ptr<Storage>(std::move(storage));
}

}  // namespace itsa::server
