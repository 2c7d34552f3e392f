// PostgreSQL backend (libpq): for several stateless itsa-server instances sharing one
// database. One connection per instance, serialised by a mutex, reset when it drops.
#include <libpq-fe.h>

#include <algorithm>
#include <mutex>

#include "server/storage/schema.hpp"
#include "server/storage/storage.hpp"

namespace itsa::server {
namespace {

/// A query result that clears itself.
class PgResult {
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
  std::string text(int row, int col) const {
    return std::string(PQgetvalue(m_r, row, col), PQgetlength(m_r, row, col));
  }
  std::int64_t integer(int row, int col) const { return std::stoll(text(row, col)); }
  std::int64_t affected() const {
    const char* n = PQcmdTuples(m_r);
    return (n && *n) ? std::stoll(n) : 0;
  }
  std::string error() const {
    std::string msg = PQresultErrorMessage(m_r);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    return msg;
  }
  /// SQLSTATE, e.g. "23505" for a unique violation.
  std::string state() const {
    const char* s = PQresultErrorField(m_r, PG_DIAG_SQLSTATE);
    return s ? s : "";
  }
  PGresult* get() const { return m_r; }

 private:
  PGresult* m_r;
};

class PostgresStorage final : public Storage {
 public:
  PostgresStorage(PGconn* conn, std::string where) : m_conn(conn), m_where(std::move(where)) {}
  ~PostgresStorage() override { PQfinish(m_conn); }

  std::string backend() const override { return "postgres"; }

  Result<void> migrate() override {
    std::lock_guard lock(m_mutex);
    // Several instances may start at once: serialise the DDL on an advisory lock.
    if (auto r = command("SELECT pg_advisory_lock(42424242)", {}); !r) return r.error();
    Result<void> out = ok();
    for (const auto& sql : schema_statements(SqlDialect::postgres)) {
      if (auto r = command(sql, {}); !r) {
        out = r.error();
        break;
      }
    }
    (void)command("SELECT pg_advisory_unlock(42424242)", {});
    return out;
  }

  Result<void> create_token(const std::string& id, const std::string& site, const std::string& token_hash,
                            std::int64_t now_ms) override {
    std::lock_guard lock(m_mutex);
    const auto now = std::to_string(now_ms);
    return transaction([&]() -> Result<void> {
      if (auto r = command("INSERT INTO sites(name, created_ms) VALUES($1, $2) ON CONFLICT DO NOTHING", {site, now});
          !r)
        return r.error();
      if (auto r =
              command("INSERT INTO enrolment_tokens(id, site, token_hash, created_ms, revoked) VALUES($1,$2,$3,$4,0)",
                      {id, site, token_hash, now});
          !r)
        return r.error();
      return ok();
    });
  }

  Result<std::vector<TokenRow>> list_tokens() override {
    std::lock_guard lock(m_mutex);
    auto r = query("SELECT id, site, created_ms, revoked FROM enrolment_tokens ORDER BY created_ms, id", {});
    if (!r) return r.error();
    std::vector<TokenRow> out;
    auto& res = *r.value();
    for (int i = 0; i < res.rows(); ++i)
      out.push_back({res.text(i, 0), res.text(i, 1), res.integer(i, 2), res.integer(i, 3) != 0});
    return out;
  }

  Result<bool> revoke_token(const std::string& id) override {
    std::lock_guard lock(m_mutex);
    auto r = query("UPDATE enrolment_tokens SET revoked = 1 WHERE id = $1", {id});
    if (!r) return r.error();
    return r.value()->affected() > 0;
  }

  Result<std::optional<std::string>> site_for_token(const std::string& token_hash) override {
    std::lock_guard lock(m_mutex);
    auto r = query("SELECT site FROM enrolment_tokens WHERE token_hash = $1 AND revoked = 0", {token_hash});
    if (!r) return r.error();
    if (r.value()->rows() == 0) return std::optional<std::string>();
    return std::optional<std::string>(r.value()->text(0, 0));
  }

  Result<std::vector<std::string>> sites() override {
    std::lock_guard lock(m_mutex);
    auto r = query("SELECT name FROM sites ORDER BY name", {});
    if (!r) return r.error();
    std::vector<std::string> out;
    for (int i = 0; i < r.value()->rows(); ++i) out.push_back(r.value()->text(i, 0));
    return out;
  }

  Result<void> enrol_agent(const AgentEnrolment& e) override {
    std::lock_guard lock(m_mutex);
    return command(
        "INSERT INTO agents(agent_id, hostname, site, secret_hash, previous_agent_id, agent_version, first_seen_ms, "
        "last_seen_ms) VALUES($1,$2,$3,$4,$5,$6,$7,$7) ON CONFLICT(agent_id) DO UPDATE SET hostname=excluded.hostname, "
        "site=excluded.site, secret_hash=excluded.secret_hash, previous_agent_id=CASE WHEN excluded.previous_agent_id "
        "= '' THEN agents.previous_agent_id ELSE excluded.previous_agent_id END, agent_version=excluded.agent_version, "
        "last_seen_ms=excluded.last_seen_ms",
        {e.agent_id, e.hostname, e.site, e.secret_hash, e.previous_agent_id, e.agent_version,
         std::to_string(e.now_ms)});
  }

  Result<std::optional<std::string>> agent_for_secret(const std::string& secret_hash) override {
    std::lock_guard lock(m_mutex);
    auto r = query("SELECT agent_id FROM agents WHERE secret_hash = $1", {secret_hash});
    if (!r) return r.error();
    if (r.value()->rows() == 0) return std::optional<std::string>();
    return std::optional<std::string>(r.value()->text(0, 0));
  }

  Result<std::optional<AgentRow>> agent(const std::string& agent_id) override {
    auto all = select_agents("WHERE agent_id = $1", {agent_id});
    if (!all) return all.error();
    if (all.value().empty()) return std::optional<AgentRow>();
    return std::optional<AgentRow>(all.value().front());
  }

  Result<std::vector<AgentRow>> agents() override { return select_agents("", {}); }

  Result<IngestResult> ingest(const std::string& agent_id, const std::vector<RecordIn>& records,
                              std::int64_t now_ms) override {
    std::lock_guard lock(m_mutex);
    IngestResult result;
    const auto now = std::to_string(now_ms);
    // One round trip per chunk: a multi-row INSERT … ON CONFLICT DO NOTHING counting the new
    // rows, and the agent's last_seen in the same statement. Chunks share one transaction.
    constexpr std::size_t k_chunk = 5000;  // 7 parameters per record, libpq allows 65535
    auto insert_chunk = [&](std::size_t from, std::size_t to) -> Result<void> {
      std::vector<std::string> params{agent_id, now};
      std::string sql =
          "WITH ins AS (INSERT INTO records(agent_id, boot_id, seq, type, time_ms, payload, received_ms) VALUES ";
      for (std::size_t i = from; i < to; ++i) {
        const auto& rec = records[i];
        const auto base = params.size();
        params.insert(params.end(), {rec.agent_id, rec.boot_id, std::to_string(rec.seq), rec.type,
                                     std::to_string(rec.time_ms), rec.payload_json});
        sql += (i == from ? "(" : ",(");
        for (std::size_t k = 1; k <= 6; ++k) sql += "$" + std::to_string(base + k) + ",";
        sql += "$2)";
      }
      sql +=
          " ON CONFLICT DO NOTHING RETURNING 1), upd AS (UPDATE agents SET last_seen_ms = GREATEST(last_seen_ms, $2) "
          "WHERE agent_id = $1 RETURNING 1) SELECT (SELECT COUNT(*) FROM ins), (SELECT COUNT(*) FROM upd)";
      auto r = query(sql, params);
      if (!r) return r.error();
      const auto stored = static_cast<int>(r.value()->integer(0, 0));
      result.stored += stored;
      result.duplicates += static_cast<int>(to - from) - stored;
      return ok();
    };
    Result<void> r = ok();
    if (records.empty()) {
      r = command("UPDATE agents SET last_seen_ms = GREATEST(last_seen_ms, $2) WHERE agent_id = $1", {agent_id, now});
    } else if (records.size() <= k_chunk) {
      r = insert_chunk(0, records.size());
    } else {
      r = transaction([&]() -> Result<void> {
        for (std::size_t from = 0; from < records.size(); from += k_chunk)
          if (auto c = insert_chunk(from, std::min(records.size(), from + k_chunk)); !c) return c;
        return ok();
      });
    }
    if (!r) return r.error();
    for (const auto& rec : records) result.acked.push_back(rec.seq);
    return result;
  }

  Result<void> records(const RecordQuery& q, const RecordVisitor& visit) override {
    std::lock_guard lock(m_mutex);
    std::vector<std::string> params{std::to_string(q.from_ms), std::to_string(q.to_ms)};
    std::string sql =
        "SELECT agent_id, boot_id, seq, type, time_ms, payload FROM records WHERE time_ms >= $1 AND time_ms < $2";
    auto in_list = [&](const std::vector<std::string>& values, const char* column) {
      if (values.empty()) return;
      sql += std::string(" AND ") + column + " IN (";
      for (std::size_t i = 0; i < values.size(); ++i) {
        params.push_back(values[i]);
        sql += (i ? ",$" : "$") + std::to_string(params.size());
      }
      sql += ")";
    };
    in_list(q.agent_ids, "agent_id");
    in_list(q.types, "type");
    if (!q.site.empty()) {
      params.push_back(q.site);
      sql += " AND agent_id IN (SELECT agent_id FROM agents WHERE site = $" + std::to_string(params.size()) + ")";
    }
    sql += " ORDER BY agent_id, seq";
    if (auto c = connected(); !c) return c;
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p.c_str());
    if (!PQsendQueryParams(m_conn, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                           nullptr, 0))
      return fail("query records", PQerrorMessage(m_conn));
    PQsetSingleRowMode(m_conn);
    bool keep_going = true;
    Result<void> out = ok();
    // Drain every result, even after the visitor stops, so the connection stays usable.
    while (PGresult* raw = PQgetResult(m_conn)) {
      PgResult res(raw);
      if (!res.ok()) {
        out = fail("query records", res.error());
        continue;
      }
      for (int i = 0; keep_going && i < res.rows(); ++i) {
        StoredRecord rec{res.text(i, 0), res.text(i, 1),    res.integer(i, 2),
                         res.text(i, 3), res.integer(i, 4), res.text(i, 5)};
        keep_going = visit(rec);
      }
    }
    return out;
  }

  Result<std::vector<StoredRecord>> latest_of_type(const std::string& type) override {
    std::lock_guard lock(m_mutex);
    auto r = query(
        "SELECT DISTINCT ON (agent_id) agent_id, boot_id, seq, type, time_ms, payload FROM records WHERE type = $1 "
        "ORDER BY agent_id, seq DESC",
        {type});
    if (!r) return r.error();
    std::vector<StoredRecord> out;
    auto& res = *r.value();
    for (int i = 0; i < res.rows(); ++i)
      out.push_back(
          {res.text(i, 0), res.text(i, 1), res.integer(i, 2), res.text(i, 3), res.integer(i, 4), res.text(i, 5)});
    return out;
  }

  Result<std::vector<AgentStats>> stats() override {
    std::lock_guard lock(m_mutex);
    auto r = query(
        "SELECT a.agent_id, a.hostname, a.site, (SELECT COUNT(*) FROM records r WHERE r.agent_id = a.agent_id), "
        "a.last_seen_ms FROM agents a ORDER BY a.site, a.hostname, a.agent_id",
        {});
    if (!r) return r.error();
    std::vector<AgentStats> out;
    auto& res = *r.value();
    for (int i = 0; i < res.rows(); ++i)
      out.push_back({res.text(i, 0), res.text(i, 1), res.text(i, 2), res.integer(i, 3), res.integer(i, 4)});
    return out;
  }

  Result<void> add_user(const UserRow& u) override {
    std::lock_guard lock(m_mutex);
    auto r = query("INSERT INTO users(name, password_hash, created_ms) VALUES($1,$2,$3) ON CONFLICT DO NOTHING",
                   {u.name, u.password_hash, std::to_string(u.created_ms)});
    if (!r) return r.error();
    if (r.value()->affected() == 0) return Error{"user '" + u.name + "' already exists"};
    return ok();
  }

  Result<std::optional<UserRow>> user(const std::string& name) override {
    std::lock_guard lock(m_mutex);
    auto r = query("SELECT name, password_hash, created_ms FROM users WHERE name = $1", {name});
    if (!r) return r.error();
    auto& res = *r.value();
    if (res.rows() == 0) return std::optional<UserRow>();
    return std::optional<UserRow>(UserRow{res.text(0, 0), res.text(0, 1), res.integer(0, 2)});
  }

  Result<std::vector<UserRow>> users() override {
    std::lock_guard lock(m_mutex);
    auto r = query("SELECT name, password_hash, created_ms FROM users ORDER BY name", {});
    if (!r) return r.error();
    std::vector<UserRow> out;
    auto& res = *r.value();
    for (int i = 0; i < res.rows(); ++i) out.push_back({res.text(i, 0), res.text(i, 1), res.integer(i, 2)});
    return out;
  }

  Result<bool> remove_user(const std::string& name) override {
    std::lock_guard lock(m_mutex);
    if (auto r = command("DELETE FROM sessions WHERE user_name = $1", {name}); !r) return r.error();
    auto r = query("DELETE FROM users WHERE name = $1", {name});
    if (!r) return r.error();
    return r.value()->affected() > 0;
  }

  Result<void> create_session(const SessionRow& s) override {
    std::lock_guard lock(m_mutex);
    return command("INSERT INTO sessions(id_hash, user_name, csrf_token, expires_ms) VALUES($1,$2,$3,$4)",
                   {s.id_hash, s.user_name, s.csrf_token, std::to_string(s.expires_ms)});
  }

  Result<std::optional<SessionRow>> session(const std::string& id_hash, std::int64_t now_ms) override {
    std::lock_guard lock(m_mutex);
    auto r =
        query("SELECT id_hash, user_name, csrf_token, expires_ms FROM sessions WHERE id_hash = $1 AND expires_ms > $2",
              {id_hash, std::to_string(now_ms)});
    if (!r) return r.error();
    auto& res = *r.value();
    if (res.rows() == 0) return std::optional<SessionRow>();
    return std::optional<SessionRow>(SessionRow{res.text(0, 0), res.text(0, 1), res.text(0, 2), res.integer(0, 3)});
  }

  Result<void> delete_session(const std::string& id_hash) override {
    std::lock_guard lock(m_mutex);
    return command("DELETE FROM sessions WHERE id_hash = $1", {id_hash});
  }

 private:
  Error fail(const std::string& what, const std::string& msg) const {
    std::string m = msg;
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    return Error{"PostgreSQL " + m_where + ": " + what + ": " + m};
  }

  /// Reconnects when the connection dropped.
  Result<void> connected() {
    if (PQstatus(m_conn) == CONNECTION_OK) return ok();
    PQreset(m_conn);
    if (PQstatus(m_conn) != CONNECTION_OK) return fail("reconnect", PQerrorMessage(m_conn));
    return ok();
  }

  Result<std::unique_ptr<PgResult>> query(const std::string& sql, const std::vector<std::string>& params) {
    if (auto c = connected(); !c) return c.error();
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p.c_str());
    auto res = std::make_unique<PgResult>(PQexecParams(m_conn, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                                       values.data(), nullptr, nullptr, 0));
    if (!res->ok()) return fail(sql.substr(0, 40), res->error());
    return res;
  }

  Result<void> command(const std::string& sql, const std::vector<std::string>& params) {
    auto r = query(sql, params);
    if (!r) return r.error();
    return ok();
  }

  /// Runs body inside BEGIN/COMMIT; rolls back when it fails.
  template <class Body>
  Result<void> transaction(Body&& body) {
    if (auto r = command("BEGIN", {}); !r) return r;
    if (auto r = body(); !r) {
      (void)command("ROLLBACK", {});
      return r;
    }
    if (auto r = command("COMMIT", {}); !r) {
      (void)command("ROLLBACK", {});
      return r;
    }
    return ok();
  }

  Result<std::vector<AgentRow>> select_agents(const std::string& where, const std::vector<std::string>& params) {
    std::lock_guard lock(m_mutex);
    auto r = query(
        "SELECT agent_id, hostname, site, agent_version, previous_agent_id, first_seen_ms, last_seen_ms FROM "
        "agents " +
            where + " ORDER BY site, hostname, agent_id",
        params);
    if (!r) return r.error();
    std::vector<AgentRow> out;
    auto& res = *r.value();
    for (int i = 0; i < res.rows(); ++i)
      out.push_back({res.text(i, 0), res.text(i, 1), res.text(i, 2), res.text(i, 3), res.text(i, 4), res.integer(i, 5),
                     res.integer(i, 6)});
    return out;
  }

  PGconn* m_conn;
  std::string m_where;
  std::mutex m_mutex;
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

Result<std::unique_ptr<Storage>> open_postgres_storage(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    PQfinish(conn);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    return Error{"cannot connect to PostgreSQL " + redact(url) + ": " + msg};
  }
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  auto storage = std::make_unique<PostgresStorage>(conn, redact(url));
  if (auto r = storage->migrate(); !r) return r.error();
  return std::unique_ptr<Storage>(std::move(storage));
}

}  // namespace itsa::server
