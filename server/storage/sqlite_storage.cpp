// SQLite backend: one connection in WAL mode (serialised by SqlStorage's lock). The embedded
// default. Only the connection lives here; the SQL is in sql_storage.cpp.
#include <sqlite3.h>

#include <vector>

#include "server/storage/sql_storage.hpp"

namespace itsa::server {
namespace {

/// SqlStorage writes PostgreSQL's $N; SQLite's numbered placeholder is ?N (its $N would be a
/// named one, numbered by first appearance).
std::string sqlite_placeholders(std::string sql) {
  bool quoted = false;
  for (std::size_t i = 0; i + 1 < sql.size(); ++i) {
    if (sql[i] == '\'') quoted = !quoted;
    if (!quoted && sql[i] == '$' && sql[i + 1] >= '0' && sql[i + 1] <= '9') sql[i] = '?';
  }
  return sql;
}

/// A prepared statement that finalises itself; also the current row of a query.
class Stmt final : public SqlRow {
 public:
  Stmt(sqlite3* db, const std::string& sql) {
    const auto text = sqlite_placeholders(sql);
    if (sqlite3_prepare_v2(db, text.c_str(), static_cast<int>(text.size()), &m_stmt, nullptr) != SQLITE_OK)
      m_stmt = nullptr;
  }
  ~Stmt() { sqlite3_finalize(m_stmt); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return m_stmt != nullptr; }
  /// Binds params to ?1, ?2, …; false when one does not fit.
  bool bind(const SqlValues& params) {
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int at = static_cast<int>(i + 1);
      int rc = SQLITE_OK;
      if (const auto* n = std::get_if<std::int64_t>(&params[i])) {
        rc = sqlite3_bind_int64(m_stmt, at, *n);
      } else {
        // The texts outlive the statement (SqlValue's rule): no copy. Never a null pointer,
        // which SQLite would bind as NULL.
        const auto v = std::get<std::string_view>(params[i]);
        rc = sqlite3_bind_text(m_stmt, at, v.data() ? v.data() : "", static_cast<int>(v.size()), SQLITE_STATIC);
      }
      if (rc != SQLITE_OK) return false;
    }
    return true;
  }
  /// SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(m_stmt); }
  std::string text(int col) const override {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, col));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col))) : std::string();
  }
  std::int64_t integer(int col) const override { return sqlite3_column_int64(m_stmt, col); }

 private:
  sqlite3_stmt* m_stmt = nullptr;
};

class SqliteConnection final : public SqlConnection {
 public:
  SqliteConnection(sqlite3* db, std::string file) : m_db(db), m_file(std::move(file)) {}
  ~SqliteConnection() override { sqlite3_close(m_db); }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  SqlDialect dialect() const override { return SqlDialect::sqlite; }
  std::size_t max_params() const override {
    return static_cast<std::size_t>(sqlite3_limit(m_db, SQLITE_LIMIT_VARIABLE_NUMBER, -1));
  }

  Result<std::int64_t> exec(std::string_view what, const std::string& sql, const SqlValues& params) override {
    Stmt s(m_db, sql);
    if (!s.ok() || !s.bind(params)) return fail(what);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) return fail(what);
    return static_cast<std::int64_t>(sqlite3_changes(m_db));
  }

  Result<void> query(std::string_view what, const std::string& sql, const SqlValues& params, const SqlRowVisitor& visit,
                     bool /*many: SQLite always steps*/) override {
    Stmt s(m_db, sql);
    if (!s.ok() || !s.bind(params)) return fail(what);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      if (!visit(s)) return ok();
    }
    if (rc != SQLITE_DONE) return fail(what);
    return ok();
  }

  Result<void> begin() override {
    if (auto r = exec("begin", "BEGIN IMMEDIATE", {}); !r) return r.error();
    return ok();
  }

  Result<void> migrating(const std::function<Result<void>()>& body) override { return body(); }

 private:
  Error fail(std::string_view what) const {
    return Error{"SQLite " + m_file + ": " + std::string(what) + ": " + sqlite3_errmsg(m_db)};
  }

  sqlite3* m_db;
  std::string m_file;
};

}  // namespace

namespace {

/// One connection with the server's settings; the reader is query-only.
Result<sqlite3*> open_connection(const std::string& file, bool reader) {
  sqlite3* db = nullptr;
  const int flags = reader ? SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX
                           : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
  int rc = sqlite3_open_v2(file.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Error{"cannot open SQLite database " + file + ": " + msg};
  }
  sqlite3_busy_timeout(db, 5000);
  const std::vector<const char*> writer_pragmas{"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                                                "PRAGMA foreign_keys=ON"};
  const std::vector<const char*> reader_pragmas{"PRAGMA query_only=1"};
  for (const char* pragma : reader ? reader_pragmas : writer_pragmas) {
    char* err = nullptr;
    if (sqlite3_exec(db, pragma, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown";
      sqlite3_free(err);
      sqlite3_close(db);
      return Error{"cannot set up SQLite database " + file + ": " + msg};
    }
  }
  return db;
}

}  // namespace

Result<std::unique_ptr<Storage>> open_sqlite_storage(const std::string& file) {
  auto db = open_connection(file, false);
  if (!db) return db.error();
  auto writer = std::make_unique<SqliteConnection>(db.value(), file);
  // In WAL mode a second connection reads while the first writes: reports and pages read there
  // (an in-memory database is private to its connection, so it has no reader).
  std::unique_ptr<SqliteConnection> reader;
  if (file != ":memory:" && file.rfind("file::memory:", 0) != 0) {
    auto rdb = open_connection(file, true);
    if (!rdb) return rdb.error();
    reader = std::make_unique<SqliteConnection>(rdb.value(), file);
  }
  return open_sql_storage(std::move(writer), std::move(reader));
}

}  // namespace itsa::server
