// The storage contract in SQL, once for SQLite and PostgreSQL: every statement is portable
// between the two except two PostgreSQL-only forms kept for speed, the data-modifying WITH
// of ingest and latest_of_type's DISTINCT ON.
#include "server/storage/sql_storage.hpp"

#include <algorithm>

#include "server/storage/schema.hpp"

namespace itsa::server {
namespace {

/// Every row of a query, each mapped to a T.
template <class T, class Map>
Result<std::vector<T>> all_rows(SqlConnection& conn, std::string_view what, const std::string& sql,
                                const SqlValues& params, Map map) {
  std::vector<T> out;
  auto r = conn.query(what, sql, params, [&](const SqlRow& row) {
    out.push_back(map(row));
    return true;
  });
  if (!r) return r.error();
  return out;
}

/// The first row of a query mapped to a T, nullopt when there is none.
template <class T, class Map>
Result<std::optional<T>> first_row(SqlConnection& conn, std::string_view what, const std::string& sql,
                                   const SqlValues& params, Map map) {
  std::optional<T> out;
  auto r = conn.query(what, sql, params, [&](const SqlRow& row) {
    out = map(row);
    return false;
  });
  if (!r) return r.error();
  return out;
}

std::string text0(const SqlRow& row) {
  return row.text(0);
}

/// Columns agent_id, boot_id, seq, type, time_ms, payload.
StoredRecord stored_record(const SqlRow& row) {
  return {row.text(0), row.text(1), row.integer(2), row.text(3), row.integer(4), row.text(5)};
}

UserRow user_row(const SqlRow& row) {
  return {row.text(0), row.text(1), row.integer(2)};
}

/// The agent's last_seen moves forward only ($1 agent, $2 now).
const std::string k_touch_agent = "UPDATE agents SET last_seen_ms = $2 WHERE agent_id = $1 AND last_seen_ms < $2";

}  // namespace

SqlStorage::SqlStorage(std::unique_ptr<SqlConnection> connection, std::unique_ptr<SqlConnection> reader)
    : m_conn(std::move(connection)), m_reader(std::move(reader)) {}

std::pair<SqlConnection&, std::unique_lock<std::mutex>> SqlStorage::read_connection() {
  if (m_reader) return {*m_reader, std::unique_lock(m_read_mutex)};
  return {*m_conn, std::unique_lock(m_mutex)};
}

std::string SqlStorage::backend() const {
  return m_conn->dialect() == SqlDialect::sqlite ? "sqlite" : "postgres";
}

Result<void> SqlStorage::migrate() {
  std::lock_guard lock(m_mutex);
  return m_conn->migrating([&]() -> Result<void> {
    for (const auto& sql : schema_statements(m_conn->dialect())) {
      if (auto r = m_conn->exec("migrate", sql, {}); !r) return r.error();
    }
    return ok();
  });
}

Result<void> SqlStorage::transaction(const std::function<Result<void>()>& body) {
  if (auto r = m_conn->begin(); !r) return r;
  if (auto r = body(); !r) {
    (void)m_conn->exec("roll back", "ROLLBACK", {});
    return r;
  }
  if (auto r = m_conn->exec("commit", "COMMIT", {}); !r) {
    (void)m_conn->exec("roll back", "ROLLBACK", {});
    return r.error();
  }
  return ok();
}

// --- sites and enrolment tokens ---

Result<void> SqlStorage::create_token(const std::string& id, const std::string& site, const std::string& token_hash,
                                      std::int64_t now_ms) {
  std::lock_guard lock(m_mutex);
  return transaction([&]() -> Result<void> {
    if (auto r = m_conn->exec(
            "create site", "INSERT INTO sites(name, created_ms) VALUES($1, $2) ON CONFLICT DO NOTHING", {site, now_ms});
        !r)
      return r.error();
    if (auto r = m_conn->exec(
            "create token",
            "INSERT INTO enrolment_tokens(id, site, token_hash, created_ms, revoked) VALUES($1,$2,$3,$4,0)",
            {id, site, token_hash, now_ms});
        !r)
      return r.error();
    return ok();
  });
}

Result<std::vector<TokenRow>> SqlStorage::list_tokens() {
  std::lock_guard lock(m_mutex);
  return all_rows<TokenRow>(*m_conn, "list tokens",
                            "SELECT id, site, created_ms, revoked FROM enrolment_tokens ORDER BY created_ms, id", {},
                            [](const SqlRow& row) -> TokenRow {
                              return {row.text(0), row.text(1), row.integer(2), row.integer(3) != 0};
                            });
}

Result<bool> SqlStorage::revoke_token(const std::string& id) {
  std::lock_guard lock(m_mutex);
  auto r = m_conn->exec("revoke token", "UPDATE enrolment_tokens SET revoked = 1 WHERE id = $1", {id});
  if (!r) return r.error();
  return r.value() > 0;
}

Result<std::optional<std::string>> SqlStorage::site_for_token(const std::string& token_hash) {
  std::lock_guard lock(m_mutex);
  return first_row<std::string>(*m_conn, "look up token",
                                "SELECT site FROM enrolment_tokens WHERE token_hash = $1 AND revoked = 0", {token_hash},
                                text0);
}

Result<std::vector<std::string>> SqlStorage::sites() {
  std::lock_guard lock(m_mutex);
  return all_rows<std::string>(*m_conn, "list sites", "SELECT name FROM sites ORDER BY name", {}, text0);
}

Result<std::string> SqlStorage::commit_durability() {
  std::lock_guard lock(m_mutex);
  const bool sqlite = m_conn->dialect() == SqlDialect::sqlite;
  auto rows = all_rows<std::string>(*m_conn, "read the commit durability",
                                    sqlite ? "PRAGMA synchronous" : "SHOW synchronous_commit", {}, text0);
  if (!rows) return rows.error();
  if (rows.value().empty()) return Error{"the database did not report its commit durability"};
  const std::string v = rows.value().front();
  if (!sqlite) return "synchronous_commit=" + v;
  static const char* const levels[] = {"OFF", "NORMAL", "FULL", "EXTRA"};
  const bool known = v.size() == 1 && v[0] >= '0' && v[0] <= '3';
  return "synchronous=" + std::string(known ? levels[v[0] - '0'] : v.c_str());
}

// --- agents ---

Result<bool> SqlStorage::enrol_agent(const AgentEnrolment& e) {
  std::lock_guard lock(m_mutex);
  // One statement, so two enrolments of one id cannot race: the update applies only when the
  // caller proved the stored secret (stored hashes are never empty, so no proof never matches).
  auto r = m_conn->exec(
      "enrol agent",
      "INSERT INTO agents(agent_id, hostname, site, secret_hash, previous_agent_id, agent_version, first_seen_ms, "
      "last_seen_ms) VALUES($1,$2,$3,$4,$5,$6,$7,$7) ON CONFLICT(agent_id) DO UPDATE SET hostname=excluded.hostname, "
      "site=excluded.site, secret_hash=excluded.secret_hash, previous_agent_id=CASE WHEN excluded.previous_agent_id "
      "= '' THEN agents.previous_agent_id ELSE excluded.previous_agent_id END, agent_version=excluded.agent_version, "
      "last_seen_ms=excluded.last_seen_ms WHERE agents.secret_hash = $8 AND $8 <> '' AND agents.agent_id NOT IN "
      "(SELECT agent_id FROM agent_revocations)",
      {e.agent_id, e.hostname, e.site, e.secret_hash, e.previous_agent_id, e.agent_version, e.now_ms, e.proof_hash});
  if (!r) return r.error();
  return r.value() > 0;
}

Result<std::optional<std::string>> SqlStorage::agent_for_secret(const std::string& secret_hash) {
  std::lock_guard lock(m_mutex);
  return first_row<std::string>(*m_conn, "look up agent secret",
                                "SELECT agent_id FROM agents WHERE secret_hash = $1 AND agent_id NOT IN (SELECT "
                                "agent_id FROM agent_revocations)",
                                {secret_hash}, text0);
}

Result<bool> SqlStorage::revoke_agent(const std::string& agent_id, std::int64_t now_ms) {
  std::lock_guard lock(m_mutex);
  auto r = m_conn->exec("revoke agent",
                        "INSERT INTO agent_revocations(agent_id, revoked_ms) SELECT agent_id, $2 FROM agents WHERE "
                        "agent_id = $1 ON CONFLICT DO NOTHING",
                        {agent_id, now_ms});
  if (!r) return r.error();
  if (r.value() > 0) return true;
  auto known = first_row<std::string>(*m_conn, "revoke agent", "SELECT agent_id FROM agents WHERE agent_id = $1",
                                      {agent_id}, text0);
  if (!known) return known.error();
  return known.value().has_value();
}

Result<std::optional<AgentRow>> SqlStorage::agent(const std::string& agent_id) {
  auto all = select_agents("WHERE a.agent_id = $1", {agent_id});
  if (!all) return all.error();
  if (all.value().empty()) return std::optional<AgentRow>();
  return std::optional<AgentRow>(all.value().front());
}

Result<std::vector<AgentRow>> SqlStorage::agents() {
  return select_agents("", {});
}

Result<std::vector<AgentRow>> SqlStorage::select_agents(const std::string& where, const SqlValues& params) {
  std::lock_guard lock(m_mutex);
  return all_rows<AgentRow>(
      *m_conn, "list agents",
      "SELECT a.agent_id, a.hostname, a.site, a.agent_version, a.previous_agent_id, a.first_seen_ms, a.last_seen_ms, "
      "COALESCE(v.revoked_ms, 0) FROM agents a LEFT JOIN agent_revocations v ON v.agent_id = a.agent_id " +
          where + " ORDER BY a.site, a.hostname, a.agent_id",
      params, [](const SqlRow& row) -> AgentRow {
        return {row.text(0), row.text(1),    row.text(2),    row.text(3),
                row.text(4), row.integer(5), row.integer(6), row.integer(7)};
      });
}

// --- records ---

Result<IngestResult> SqlStorage::ingest(const std::string& agent_id, const std::vector<RecordIn>& records,
                                        std::int64_t now_ms) {
  std::lock_guard lock(m_mutex);
  IngestResult result;
  // One multi-row INSERT … ON CONFLICT DO NOTHING per chunk, whose row count is the number of
  // new records. On PostgreSQL the agent's last_seen is updated in the same statement (a
  // data-modifying WITH), so a batch is one round trip and needs no transaction of its own;
  // SQLite (in-process, no WITH INSERT) runs the INSERTs and the UPDATE in one transaction.
  const bool one_statement = m_conn->dialect() == SqlDialect::postgres;
  // 6 placeholders per record + 2 shared; 5000 stays within SQLite's 32766 and libpq's 65535.
  const std::size_t chunk = std::clamp<std::size_t>((m_conn->max_params() - 2) / 6, 1, 5000);
  auto insert_chunk = [&](std::size_t from, std::size_t to) -> Result<void> {
    SqlValues params{agent_id, now_ms};
    params.reserve(2 + 6 * (to - from));
    std::string sql = "INSERT INTO records(agent_id, boot_id, seq, type, time_ms, payload, received_ms) VALUES ";
    for (std::size_t i = from; i < to; ++i) {
      const auto& rec = records[i];
      const auto base = params.size();
      params.insert(params.end(), {rec.agent_id, rec.boot_id, rec.seq, rec.type, rec.time_ms, rec.payload_json});
      sql += (i == from ? "(" : ",(");
      for (std::size_t k = 1; k <= 6; ++k) sql += "$" + std::to_string(base + k) + ",";
      sql += "$2)";
    }
    sql += " ON CONFLICT DO NOTHING";
    std::int64_t stored = 0;
    if (one_statement) {
      sql = "WITH ins AS (" + sql + " RETURNING 1), upd AS (" + k_touch_agent + ") SELECT COUNT(*) FROM ins";
      auto r = m_conn->query("store records", sql, params, [&](const SqlRow& row) {
        stored = row.integer(0);
        return false;
      });
      if (!r) return r;
    } else {
      auto r = m_conn->exec("store records", sql, params);
      if (!r) return r.error();
      stored = r.value();
    }
    result.stored += static_cast<int>(stored);
    result.duplicates += static_cast<int>(to - from) - static_cast<int>(stored);
    return ok();
  };
  auto store_all = [&]() -> Result<void> {
    for (std::size_t from = 0; from < records.size(); from += chunk)
      if (auto r = insert_chunk(from, std::min(records.size(), from + chunk)); !r) return r;
    if (!one_statement || records.empty()) {
      if (auto r = m_conn->exec("update agent", k_touch_agent, {agent_id, now_ms}); !r) return r.error();
    }
    return ok();
  };
  auto r = (one_statement && records.size() <= chunk) ? store_all() : transaction(store_all);
  if (!r) return r.error();
  for (const auto& rec : records) result.acked.push_back(rec.seq);
  return result;
}

Result<void> SqlStorage::records(const RecordQuery& q, const RecordVisitor& visit) {
  auto [conn, lock] = read_connection();
  SqlValues params{q.from_ms, q.to_ms};
  std::string sql =
      "SELECT r.agent_id, r.boot_id, r.seq, r.type, r.time_ms, r.payload FROM records r WHERE r.time_ms >= $1 AND "
      "r.time_ms < $2";
  auto in_list = [&](const std::vector<std::string>& values, const char* column) {
    if (values.empty()) return;
    sql += std::string(" AND ") + column + " IN (";
    for (std::size_t i = 0; i < values.size(); ++i) {
      params.emplace_back(std::string_view(values[i]));
      sql += (i ? ",$" : "$") + std::to_string(params.size());
    }
    sql += ")";
  };
  in_list(q.agent_ids, "r.agent_id");
  in_list(q.types, "r.type");
  if (!q.site.empty()) {
    params.emplace_back(std::string_view(q.site));
    sql += " AND r.agent_id IN (SELECT agent_id FROM agents WHERE site = $" + std::to_string(params.size()) + ")";
  }
  sql += " ORDER BY r.agent_id, r.seq";
  return conn.query(
      "query records", sql, params, [&](const SqlRow& row) { return visit(stored_record(row)); }, true);
}

Result<std::vector<StoredRecord>> SqlStorage::latest_of_type(const std::string& type) {
  auto [conn, lock] = read_connection();
  // PostgreSQL's DISTINCT ON (one row per agent) is ~3× faster there than the portable JOIN,
  // which SQLite (without DISTINCT ON) uses.
  const std::string sql =
      conn.dialect() == SqlDialect::postgres
          ? "SELECT DISTINCT ON (agent_id) agent_id, boot_id, seq, type, time_ms, payload FROM records WHERE type = $1 "
            "ORDER BY agent_id, seq DESC"
          : "SELECT r.agent_id, r.boot_id, r.seq, r.type, r.time_ms, r.payload FROM records r JOIN (SELECT agent_id, "
            "MAX(seq) AS seq FROM records WHERE type = $1 GROUP BY agent_id) m ON r.agent_id = m.agent_id AND r.seq = "
            "m.seq AND r.type = $1 ORDER BY r.agent_id";
  return all_rows<StoredRecord>(conn, "latest records", sql, {type}, stored_record);
}

Result<std::vector<AgentStats>> SqlStorage::stats() {
  auto [conn, lock] = read_connection();
  return all_rows<AgentStats>(
      conn, "stats",
      "SELECT a.agent_id, a.hostname, a.site, (SELECT COUNT(*) FROM records r WHERE r.agent_id = a.agent_id), "
      "a.last_seen_ms FROM agents a ORDER BY a.site, a.hostname, a.agent_id",
      {}, [](const SqlRow& row) -> AgentStats {
        return {row.text(0), row.text(1), row.text(2), row.integer(3), row.integer(4)};
      });
}

// --- reviewers and sessions ---

Result<void> SqlStorage::add_user(const UserRow& u) {
  std::lock_guard lock(m_mutex);
  auto r = m_conn->exec("add user",
                        "INSERT INTO users(name, password_hash, created_ms) VALUES($1,$2,$3) ON CONFLICT DO NOTHING",
                        {u.name, u.password_hash, u.created_ms});
  if (!r) return r.error();
  if (r.value() == 0) return Error{"user '" + u.name + "' already exists"};
  return ok();
}

Result<std::optional<UserRow>> SqlStorage::user(const std::string& name) {
  std::lock_guard lock(m_mutex);
  return first_row<UserRow>(*m_conn, "look up user",
                            "SELECT name, password_hash, created_ms FROM users WHERE name = $1", {name}, user_row);
}

Result<std::vector<UserRow>> SqlStorage::users() {
  std::lock_guard lock(m_mutex);
  return all_rows<UserRow>(*m_conn, "list users", "SELECT name, password_hash, created_ms FROM users ORDER BY name", {},
                           user_row);
}

Result<bool> SqlStorage::remove_user(const std::string& name) {
  std::lock_guard lock(m_mutex);
  if (auto r = m_conn->exec("remove sessions", "DELETE FROM sessions WHERE user_name = $1", {name}); !r)
    return r.error();
  auto r = m_conn->exec("remove user", "DELETE FROM users WHERE name = $1", {name});
  if (!r) return r.error();
  return r.value() > 0;
}

Result<void> SqlStorage::create_session(const SessionRow& s) {
  std::lock_guard lock(m_mutex);
  auto r = m_conn->exec("create session",
                        "INSERT INTO sessions(id_hash, user_name, csrf_token, expires_ms) VALUES($1,$2,$3,$4)",
                        {s.id_hash, s.user_name, s.csrf_token, s.expires_ms});
  if (!r) return r.error();
  return ok();
}

Result<std::optional<SessionRow>> SqlStorage::session(const std::string& id_hash, std::int64_t now_ms) {
  std::lock_guard lock(m_mutex);
  return first_row<SessionRow>(
      *m_conn, "look up session",
      "SELECT id_hash, user_name, csrf_token, expires_ms FROM sessions WHERE id_hash = $1 AND expires_ms > $2",
      {id_hash, now_ms}, [](const SqlRow& row) -> SessionRow {
        return {row.text(0), row.text(1), row.text(2), row.integer(3)};
      });
}

Result<void> SqlStorage::delete_session(const std::string& id_hash) {
  std::lock_guard lock(m_mutex);
  auto r = m_conn->exec("delete session", "DELETE FROM sessions WHERE id_hash = $1", {id_hash});
  if (!r) return r.error();
  return ok();
}

Result<std::unique_ptr<Storage>> open_sql_storage(std::unique_ptr<SqlConnection> connection,
                                                  std::unique_ptr<SqlConnection> reader) {
  auto storage = std::make_unique<SqlStorage>(std::move(connection), std::move(reader));
  if (auto r = storage->migrate(); !r) return r.error();
  return std::unique_ptr<Storage>(std::move(storage));
}

}  // namespace itsa::server
