// PostgreSQL backend (libpq): for several stateless itsa-server instances sharing one
// database. A pool of writer connections per instance and one reader (SqlStorage lends them), each reset when it
// drops. Only the connection lives here; the SQL is in sql_storage.cpp.
#include <algorithm>
#include <vector>

#include <libpq-fe.h>

#include "server/storage/sql_storage.hpp"

namespace itsa::server {
namespace {

std::string trimmed(std::string msg) {
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  return msg;
}

/// A query result that clears itself; row() picks the row SqlRow reads.
class PgResult final : public SqlRow {
 public:
  explicit PgResult(PGresult* r) : m_r(r) {}
  ~PgResult() { PQclear(m_r); }
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  bool ok() const {
    auto s = PQresultStatus(m_r);
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_SINGLE_TUPLE;
  }
  int rows() const { return PQntuples(m_r); }
  const PgResult& row(int i) {
    m_row = i;
    return *this;
  }
  std::string text(int col) const override {
    return std::string(PQgetvalue(m_r, m_row, col), static_cast<std::size_t>(PQgetlength(m_r, m_row, col)));
  }
  std::int64_t integer(int col) const override { return std::stoll(text(col)); }
  std::int64_t affected() const {
    const char* n = PQcmdTuples(m_r);
    return (n && *n) ? std::stoll(n) : 0;
  }
  std::string error() const { return PQresultErrorMessage(m_r); }

 private:
  PGresult* m_r;
  int m_row = 0;
};

/// Parameters in libpq's text format.
class PgParams {
 public:
  explicit PgParams(const SqlValues& params) {
    m_text.reserve(params.size());
    for (const auto& p : params) {
      if (const auto* n = std::get_if<std::int64_t>(&p)) {
        m_text.push_back(std::to_string(*n));
      } else {
        m_text.emplace_back(std::get<std::string_view>(p));
      }
    }
    for (const auto& t : m_text) m_values.push_back(t.c_str());
  }
  PgParams(const PgParams&) = delete;
  PgParams& operator=(const PgParams&) = delete;
  int count() const { return static_cast<int>(m_values.size()); }
  const char* const* values() const { return m_values.data(); }

 private:
  std::vector<std::string> m_text;
  std::vector<const char*> m_values;
};

class PostgresConnection final : public SqlConnection {
 public:
  PostgresConnection(PGconn* conn, std::string where) : m_conn(conn), m_where(std::move(where)) {}
  ~PostgresConnection() override { PQfinish(m_conn); }
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  SqlDialect dialect() const override { return SqlDialect::postgres; }
  std::size_t max_params() const override { return 65535; }  // the protocol's 16-bit count

  Result<std::int64_t> exec(std::string_view what, const std::string& sql, const SqlValues& params) override {
    auto r = run(what, sql, params);
    if (!r) return r.error();
    return r.value()->affected();
  }

  Result<void> query(std::string_view what, const std::string& sql, const SqlValues& params, const SqlRowVisitor& visit,
                     bool many) override {
    if (!many) {
      auto r = run(what, sql, params);
      if (!r) return r.error();
      auto& res = *r.value();
      for (int i = 0; i < res.rows(); ++i)
        if (!visit(res.row(i))) break;
      return ok();
    }
    if (auto c = connected(); !c) return c;
    PgParams values(params);
    if (!PQsendQueryParams(m_conn, sql.c_str(), values.count(), nullptr, values.values(), nullptr, nullptr, 0))
      return fail(what, PQerrorMessage(m_conn));
    PQsetSingleRowMode(m_conn);
    bool keep_going = true;
    Result<void> out = ok();
    // Drain every result, even after the visitor stops, so the connection stays usable.
    while (PGresult* raw = PQgetResult(m_conn)) {
      PgResult res(raw);
      if (!res.ok()) {
        out = fail(what, res.error());
        continue;
      }
      for (int i = 0; keep_going && i < res.rows(); ++i) keep_going = visit(res.row(i));
    }
    return out;
  }

  Result<void> begin() override {
    if (auto r = exec("begin", "BEGIN", {}); !r) return r.error();
    return ok();
  }

  Result<void> migrating(const std::function<Result<void>()>& body) override {
    // Several instances may start at once: serialise the DDL on an advisory lock.
    if (auto r = exec("lock migration", "SELECT pg_advisory_lock(42424242)", {}); !r) return r.error();
    auto out = body();
    (void)exec("unlock migration", "SELECT pg_advisory_unlock(42424242)", {});
    return out;
  }

 private:
  Error fail(std::string_view what, const std::string& msg) const {
    return Error{"PostgreSQL " + m_where + ": " + std::string(what) + ": " + trimmed(msg)};
  }

  /// Reconnects when the connection dropped.
  Result<void> connected() {
    if (PQstatus(m_conn) == CONNECTION_OK) return ok();
    PQreset(m_conn);
    if (PQstatus(m_conn) != CONNECTION_OK) return fail("reconnect", PQerrorMessage(m_conn));
    return ok();
  }

  /// Runs one statement and keeps its whole result.
  Result<std::unique_ptr<PgResult>> run(std::string_view what, const std::string& sql, const SqlValues& params) {
    if (auto c = connected(); !c) return c.error();
    PgParams values(params);
    auto res = std::make_unique<PgResult>(
        PQexecParams(m_conn, sql.c_str(), values.count(), nullptr, values.values(), nullptr, nullptr, 0));
    if (!res->ok()) return fail(what, res->error());
    return res;
  }

  PGconn* m_conn;
  std::string m_where;
};

/// The URL without its password, for messages.
std::string redact(const std::string& url) {
  auto at = url.find('@');
  auto scheme = url.find("://");
  if (at == std::string::npos || scheme == std::string::npos) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + ":***" + url.substr(at);
}

}  // namespace

namespace {

Result<PGconn*> connect(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    PQfinish(conn);
    return Error{"cannot connect to PostgreSQL " + redact(url) + ": " + trimmed(msg)};
  }
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return conn;
}

}  // namespace

Result<std::unique_ptr<Storage>> open_postgres_storage(const std::string& url, int writers) {
  std::vector<std::unique_ptr<SqlConnection>> pool;
  for (int i = 0; i < std::max(1, writers); ++i) {
    auto writer = connect(url);
    if (!writer) return writer.error();
    pool.push_back(std::make_unique<PostgresConnection>(writer.value(), redact(url)));
  }
  // One more for reports and pages: their long reads never hold up ingest.
  auto reader = connect(url);
  if (!reader) return reader.error();
  return open_sql_storage(std::move(pool), std::make_unique<PostgresConnection>(reader.value(), redact(url)));
}

}  // namespace itsa::server
