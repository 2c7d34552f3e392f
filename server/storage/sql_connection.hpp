#pragma once
// The seam SqlStorage is written over: one connection to SQLite or PostgreSQL. SQL is written
// once, with PostgreSQL's numbered placeholders ($1, $2, … a number may repeat); a connection
// whose engine spells them otherwise (SQLite: ?1) rewrites them. Not thread-safe: SqlStorage
// lends each connection to one call at a time.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.hpp"

namespace itsa::server {

/// The SQL dialects: what a connection cannot hide (DDL types in schema.cpp; ingest's
/// data-modifying WITH and latest_of_type's DISTINCT ON in sql_storage.cpp).
enum class SqlDialect { sqlite, postgres };

/// A value bound to a placeholder: an integer or a text (which must outlive the call).
using SqlValue = std::variant<std::int64_t, std::string_view>;
using SqlValues = std::vector<SqlValue>;

/// The current row of a query (valid only inside the visitor).
class SqlRow {
 public:
  virtual std::string text(int col) const = 0;
  virtual std::int64_t integer(int col) const = 0;

 protected:
  ~SqlRow() = default;
};

/// Called for each row of a query; return false to stop (the rest is discarded).
using SqlRowVisitor = std::function<bool(const SqlRow&)>;

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  virtual SqlDialect dialect() const = 0;
  /// The most placeholders one statement may have.
  virtual std::size_t max_params() const = 0;

  /// Runs one statement; the number of rows it inserted, updated or deleted. `what` names the
  /// step in the error ("<engine> <database>: <what>: <message>").
  virtual Result<std::int64_t> exec(std::string_view what, const std::string& sql, const SqlValues& params) = 0;
  /// Runs one query and visits its rows in order. `many`: the rows may not fit in memory at
  /// once, fetch them one by one (PostgreSQL's single-row mode; SQLite always steps).
  virtual Result<void> query(std::string_view what, const std::string& sql, const SqlValues& params,
                             const SqlRowVisitor& visit, bool many = false) = 0;

  /// Starts a transaction (SQLite: BEGIN IMMEDIATE, so a writer never waits to upgrade);
  /// it ends with exec of COMMIT or ROLLBACK.
  virtual Result<void> begin() = 0;
  /// Runs the migration body while no other server instance migrates the same database
  /// (PostgreSQL: an advisory lock; SQLite: each statement takes the file's write lock).
  virtual Result<void> migrating(const std::function<Result<void>()>& body) = 0;
};

}  // namespace itsa::server
