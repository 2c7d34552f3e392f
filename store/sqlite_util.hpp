#pragma once
// A thin RAII layer over the sqlite3 C API for the evidence store.
#include <cstdint>
#include <string>

#include <sqlite3.h>

#include "common/result.hpp"

namespace itsa::store {

/// "what: <sqlite message>".
inline std::string sql_error(sqlite3* db, const std::string& what) {
  return what + ": " + sqlite3_errmsg(db);
}

/// One prepared statement; finalized on destruction.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : m_db(db) { m_rc = sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr); }
  ~Statement() { sqlite3_finalize(m_stmt); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  /// False when preparing failed (error() says why).
  bool prepared() const { return m_rc == SQLITE_OK && m_stmt != nullptr; }
  void bind(int i, std::int64_t v) { sqlite3_bind_int64(m_stmt, i, v); }
  void bind(int i, const std::string& v) {
    sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void bind_null(int i) { sqlite3_bind_null(m_stmt, i); }
  void bind_blob(int i, const std::string& v) {
    sqlite3_bind_blob(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  /// SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return m_rc = sqlite3_step(m_stmt); }
  void reset() { sqlite3_reset(m_stmt); }
  std::int64_t int64(int col) const { return sqlite3_column_int64(m_stmt, col); }
  bool is_null(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }
  bool is_blob(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_BLOB; }
  std::string blob(int col) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(m_stmt, col));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col))) : std::string();
  }
  std::string text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, col));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col))) : std::string();
  }
  int rc() const { return m_rc; }
  std::string error() const { return sqlite3_errmsg(m_db); }

 private:
  sqlite3* m_db;
  sqlite3_stmt* m_stmt = nullptr;
  int m_rc;
};

/// Runs SQL without results; returns the sqlite result code.
inline int exec(sqlite3* db, const std::string& sql) {
  return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
}

/// True for the result codes that mean "the file is damaged".
inline bool is_corruption(int rc) {
  const int primary = rc & 0xff;
  return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

/// True for "no space left" (including I/O errors while extending files).
inline bool is_disk_full(int rc) {
  return (rc & 0xff) == SQLITE_FULL;
}

}  // namespace itsa::store
