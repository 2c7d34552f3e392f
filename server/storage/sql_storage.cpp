// The storage contract in SQL, once for SQLite and PostgreSQL: every statement is portable
// between the two except forms kept for speed (ingest's data-modifying WITH, latest_of_type's
// DISTINCT ON) and PostgreSQL's monthly partitions of records: their exactly-once key table,
// making partitions, dropping them.
#include "server/storage/sql_storage.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/time_format.hpp"
#include "protocol/record_types.hpp"
#include "report/options.hpp"
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

/// Columns name, password_hash, created_ms, agency.
UserRow user_row(const SqlRow& row) {
  return {row.text(0), row.text(1), row.integer(2), row.text(3)};
}

/// The agent's last_seen moves forward only ($1 agent, $2 now).
const std::string k_touch_agent = "UPDATE agents SET last_seen_ms = $2 WHERE agent_id = $1 AND last_seen_ms < $2";

// PostgreSQL's monthly partitions of records (docs/server.md, "Partitions"). A month is
// numbered year * 12 + month - 1 (UTC).
constexpr std::int64_t k_day_ms = 86'400'000;
/// Months before the current one that get a partition on demand; older records (and any later
/// than next month) go to the default partition.
constexpr int k_partition_months_back = 24;
/// Advisory locks (transaction scope): creating a partition; ingest (shared) against retention.
constexpr std::int64_t k_partition_lock = 42424243;
constexpr std::int64_t k_horizon_lock = 42424244;

int utc_month(std::int64_t ms) {
  using namespace std::chrono;
  const year_month_day ymd{floor<days>(sys_time<milliseconds>(milliseconds(ms)))};
  return static_cast<int>(ymd.year()) * 12 + static_cast<int>(static_cast<unsigned>(ymd.month())) - 1;
}

std::int64_t month_start_ms(int month) {
  using namespace std::chrono;
  const year_month_day ymd{year(month / 12), std::chrono::month(static_cast<unsigned>(month % 12 + 1)), day(1)};
  return duration_cast<milliseconds>(sys_days(ymd).time_since_epoch()).count();
}

std::string partition_name(int month) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "records_p%04d%02d", month / 12, month % 12 + 1);
  return buf;
}

/// The month of a partition name, or -1 (the default partition, anything else).
int partition_month(const std::string& name) {
  int y = 0, m = 0;
  char tail = 0;
  if (name.size() != 15 || std::sscanf(name.c_str(), "records_p%4d%2d%c", &y, &m, &tail) != 2 || m < 1 || m > 12)
    return -1;
  return y * 12 + m - 1;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
  return -floor_div(-a, b);
}

}  // namespace

std::int64_t retention_cut_ms(std::int64_t now_ms, int keep_months) {
  return month_start_ms(utc_month(now_ms) - std::max(0, keep_months));
}

SqlStorage::SqlStorage(std::unique_ptr<SqlConnection> connection, std::unique_ptr<SqlConnection> reader)
    : m_reader(std::move(reader)) {
  m_writers.push_back(std::move(connection));
  m_idle.push_back(m_writers.back().get());
}

SqlStorage::SqlStorage(std::vector<std::unique_ptr<SqlConnection>> writers, std::unique_ptr<SqlConnection> reader)
    : m_writers(std::move(writers)), m_reader(std::move(reader)) {
  for (const auto& w : m_writers) m_idle.push_back(w.get());
}

SqlStorage::Lease::Lease(SqlStorage* pool, SqlConnection* conn, std::unique_lock<std::mutex> lock)
    : m_pool(pool), m_conn(conn), m_lock(std::move(lock)) {}

SqlStorage::Lease::Lease(Lease&& other) noexcept
    : m_pool(std::exchange(other.m_pool, nullptr)),
      m_conn(std::exchange(other.m_conn, nullptr)),
      m_lock(std::move(other.m_lock)) {}

SqlStorage::Lease::~Lease() {
  if (m_pool && m_conn) m_pool->give_back(m_conn);
}

void SqlStorage::Lease::cycle() {
  if (!m_pool) return;
  m_pool->give_back(m_conn);
  m_conn = m_pool->take();
}

SqlConnection* SqlStorage::take() {
  std::unique_lock lock(m_pool_mutex);
  m_pool_free.wait(lock, [&] { return !m_idle.empty(); });
  SqlConnection* conn = m_idle.back();
  m_idle.pop_back();
  return conn;
}

void SqlStorage::give_back(SqlConnection* conn) {
  {
    std::lock_guard lock(m_pool_mutex);
    m_idle.push_back(conn);
  }
  m_pool_free.notify_one();
}

SqlStorage::Lease SqlStorage::writer() {
  return Lease(this, take());
}

SqlStorage::Lease SqlStorage::read_connection() {
  if (m_reader) return Lease(nullptr, m_reader.get(), std::unique_lock(m_read_mutex));
  return writer();
}

std::size_t SqlStorage::writer_count() const {
  return m_writers.size();
}

std::string SqlStorage::backend() const {
  return m_writers.front()->dialect() == SqlDialect::sqlite ? "sqlite" : "postgres";
}

Result<void> SqlStorage::migrate() {
  Lease conn = writer();
  const bool postgres = conn->dialect() == SqlDialect::postgres;
  return conn->migrating([&]() -> Result<void> {
    if (postgres) {
      if (auto r = partition_old_records(conn); !r) return r;
    }
    for (const auto& sql : schema_statements(conn->dialect())) {
      if (auto r = conn->exec("migrate", sql, {}); !r) return r.error();
    }
    if (auto r = add_missing_columns(conn); !r) return r;
    if (postgres) {
      for (const auto& sql : partition_statements())
        if (auto r = conn->exec("migrate", sql, {}); !r) return r.error();
      // The current and next months' partitions; ingest makes the others on demand.
      const int now = utc_month(
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
              .count());
      for (const int month : {now, now + 1}) (void)ensure_partition(conn, month);  // else: at ingest
    }
    return fill_day_gens(conn);
  });
}

Result<void> SqlStorage::add_missing_columns(SqlConnection* conn) {
  const bool sqlite = conn->dialect() == SqlDialect::sqlite;
  for (const AddedColumn& c : added_columns()) {
    bool present = false;
    auto r = conn->query("look for column " + std::string(c.table) + "." + c.column,
                         sqlite ? "SELECT 1 FROM pragma_table_info($1) WHERE name = $2"
                                : "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
                                  "AND table_name = $1 AND column_name = $2",
                         {std::string_view(c.table), std::string_view(c.column)},
                         [&](const SqlRow&) { return !(present = true); });
    if (!r) return r;
    if (present) continue;
    const std::string sql = std::string("ALTER TABLE ") + c.table + " ADD COLUMN " + c.column + " " + c.declaration;
    if (auto a = conn->exec("add column " + std::string(c.table) + "." + c.column, sql, {}); !a) return a.error();
  }
  return ok();
}

Result<void> SqlStorage::partition_old_records(SqlConnection* conn) {
  auto kind = first_row<std::string>(
      *conn, "look at records", "SELECT relkind::text FROM pg_class WHERE oid = to_regclass('records')", {}, text0);
  if (!kind) return kind.error();
  if (kind.value().value_or("") != "r") return ok();  // new store, or partitioned already
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  const int now_month = utc_month(now);
  const std::int64_t lo = month_start_ms(now_month - k_partition_months_back), hi = month_start_ms(now_month + 2);
  return transaction(conn, [&]() -> Result<void> {
    std::vector<std::string> steps{
        "ALTER TABLE records RENAME TO records_unpartitioned",
        "ALTER TABLE records_unpartitioned RENAME CONSTRAINT records_pkey TO records_unpartitioned_pkey",
        "DROP INDEX IF EXISTS records_agent_seq",
        "DROP INDEX IF EXISTS records_type_agent",
        "DROP INDEX IF EXISTS records_time",
        records_table_statement(SqlDialect::postgres),
    };
    for (const auto& sql : partition_statements()) steps.push_back(sql);
    for (const auto& sql : steps)
      if (auto r = conn->exec("partition records", sql, {}); !r) return r.error();
    auto span = first_row<std::pair<std::int64_t, std::int64_t>>(
        *conn, "partition records",
        "SELECT MIN(time_ms), MAX(time_ms) FROM records_unpartitioned WHERE time_ms >= $1 AND time_ms < $2 HAVING "
        "COUNT(*) > 0",
        {lo, hi}, [](const SqlRow& row) { return std::pair(row.integer(0), row.integer(1)); });
    if (!span) return span.error();
    if (span.value()) {
      for (int m = utc_month(span.value()->first); m <= utc_month(span.value()->second); ++m) {
        const std::string sql = "CREATE TABLE " + partition_name(m) + " PARTITION OF records FOR VALUES FROM (" +
                                std::to_string(month_start_ms(m)) + ") TO (" + std::to_string(month_start_ms(m + 1)) +
                                ")";
        if (auto r = conn->exec("partition records", sql, {}); !r) return r.error();
      }
    }
    for (const char* sql : {"INSERT INTO records(agent_id, boot_id, seq, type, time_ms, payload, received_ms) SELECT "
                            "agent_id, boot_id, seq, type, time_ms, payload, received_ms FROM records_unpartitioned",
                            "INSERT INTO record_keys(agent_id, boot_id, seq, time_ms) SELECT agent_id, boot_id, seq, "
                            "time_ms FROM records_unpartitioned",
                            "DROP TABLE records_unpartitioned"})
      if (auto r = conn->exec("partition records", sql, {}); !r) return r.error();
    return ok();
  });
}

std::set<int> SqlStorage::missing_partitions(const std::vector<std::int64_t>& times_ms, std::int64_t now_ms) const {
  const int now_month = utc_month(now_ms);
  const std::int64_t lo = month_start_ms(now_month - k_partition_months_back), hi = month_start_ms(now_month + 2);
  std::set<int> out;
  std::lock_guard lock(m_partitions_mutex);
  for (const std::int64_t t : times_ms) {
    if (t < lo || t >= hi) continue;  // the default partition
    const int m = utc_month(t);
    if (!m_partitions.contains(m)) out.insert(m);
  }
  return out;
}

Result<void> SqlStorage::ensure_partition(SqlConnection* conn, int month) {
  const std::string name = partition_name(month);
  const std::string lo = std::to_string(month_start_ms(month)), hi = std::to_string(month_start_ms(month + 1));
  bool expired = false;
  auto r = transaction(conn, [&]() -> Result<void> {
    // Waits at most 5 s for the locks (ATTACH takes the default partition's whole-table lock);
    // on failure the month's records go to the default partition and the next ingest tries again.
    if (auto q = conn->exec("create partition", "SET LOCAL lock_timeout = '5s'", {}); !q) return q.error();
    if (auto q = conn->exec("create partition", "SELECT pg_advisory_xact_lock($1)", {k_partition_lock}); !q)
      return q.error();
    auto exists = first_row<std::string>(*conn, "create partition", "SELECT 'y' WHERE to_regclass($1) IS NOT NULL",
                                         {name}, text0);
    if (!exists) return exists.error();
    if (exists.value()) return ok();
    // Never again a month that retention dropped (its records are refused at ingest).
    auto cut = first_row<std::int64_t>(*conn, "create partition", "SELECT cut_ms FROM record_horizon WHERE id = 1", {},
                                       [](const SqlRow& row) { return row.integer(0); });
    if (!cut) return cut.error();
    if (month_start_ms(month + 1) <= cut.value().value_or(INT64_MIN)) {
      expired = true;
      return ok();
    }
    // Made apart and attached: ATTACH does not lock out readers of records as CREATE … PARTITION OF
    // does, and the default partition's rows of this month move into it first.
    const std::string range = "time_ms >= " + lo + " AND time_ms < " + hi;
    for (const std::string& sql : {
             "CREATE TABLE " + name + " (LIKE records INCLUDING DEFAULTS)",
             "ALTER TABLE " + name + " ADD CONSTRAINT " + name + "_range CHECK (" + range + ")",
             "WITH moved AS (DELETE FROM records_default WHERE " + range + " RETURNING *) INSERT INTO " + name +
                 " SELECT * FROM moved",
             "ALTER TABLE records ATTACH PARTITION " + name + " FOR VALUES FROM (" + lo + ") TO (" + hi + ")",
         })
      if (auto q = conn->exec("create partition " + name, sql, {}); !q) return q.error();
    return ok();
  });
  if (r && !expired) {
    std::lock_guard lock(m_partitions_mutex);
    m_partitions.insert(month);
  }
  return r;
}

namespace {
const std::string k_gens_from_records =
    "INSERT INTO day_gens(agent_id, utc_day, gen) SELECT agent_id, time_ms / 86400000, 1 FROM records "
    "GROUP BY agent_id, time_ms / 86400000";
}  // namespace

Result<void> SqlStorage::fill_day_gens(SqlConnection* conn) {
  bool empty = true, any_records = false;
  if (auto r = conn->query("count day generations", "SELECT 1 FROM day_gens LIMIT 1", {},
                           [&](const SqlRow&) { return empty = false; });
      !r)
    return r;
  if (!empty) return ok();
  if (auto r = conn->query("look for records", "SELECT 1 FROM records LIMIT 1", {},
                           [&](const SqlRow&) { return !(any_records = true); });
      !r)
    return r;
  if (!any_records) return ok();
  if (auto r = conn->exec("count day generations", k_gens_from_records, {}); !r) return r.error();
  return ok();
}

Result<void> SqlStorage::transaction(SqlConnection* conn, const std::function<Result<void>()>& body) {
  if (auto r = conn->begin(); !r) return r;
  if (auto r = body(); !r) {
    (void)conn->exec("roll back", "ROLLBACK", {});
    return r;
  }
  if (auto r = conn->exec("commit", "COMMIT", {}); !r) {
    (void)conn->exec("roll back", "ROLLBACK", {});
    return r.error();
  }
  return ok();
}

// --- sites and enrolment tokens ---

Result<void> SqlStorage::create_token(const std::string& id, const std::string& site, const std::string& agency,
                                      const std::string& token_hash, std::int64_t now_ms) {
  Lease conn = writer();
  return transaction(conn, [&]() -> Result<void> {
    if (auto r = conn->exec("create site",
                            "INSERT INTO sites(name, created_ms, agency) VALUES($1, $2, $3) ON CONFLICT DO NOTHING",
                            {site, now_ms, agency});
        !r)
      return r.error();
    if (!agency.empty()) {
      // A site keeps its agency; one of no named agency takes the first a token names.
      auto held = first_row<std::string>(*conn, "read the site's agency", "SELECT agency FROM sites WHERE name = $1",
                                         {site}, text0);
      if (!held) return held.error();
      const std::string current = held.value().value_or("");
      if (current.empty()) {
        if (auto r =
                conn->exec("set the site's agency", "UPDATE sites SET agency = $2 WHERE name = $1", {site, agency});
            !r)
          return r.error();
      } else if (current != agency) {
        return Error{"site '" + site + "' belongs to agency '" + current + "', not '" + agency + "'"};
      }
    }
    if (auto r =
            conn->exec("create token",
                       "INSERT INTO enrolment_tokens(id, site, token_hash, created_ms, revoked) VALUES($1,$2,$3,$4,0)",
                       {id, site, token_hash, now_ms});
        !r)
      return r.error();
    return ok();
  });
}

Result<std::vector<TokenRow>> SqlStorage::list_tokens() {
  Lease conn = writer();
  return all_rows<TokenRow>(*conn, "list tokens",
                            "SELECT t.id, t.site, t.created_ms, t.revoked, COALESCE(s.agency, '') FROM "
                            "enrolment_tokens t LEFT JOIN sites s ON s.name = t.site ORDER BY t.created_ms, t.id",
                            {}, [](const SqlRow& row) -> TokenRow {
                              return {row.text(0), row.text(1), row.integer(2), row.integer(3) != 0, row.text(4)};
                            });
}

Result<bool> SqlStorage::revoke_token(const std::string& id) {
  Lease conn = writer();
  auto r = conn->exec("revoke token", "UPDATE enrolment_tokens SET revoked = 1 WHERE id = $1", {id});
  if (!r) return r.error();
  return r.value() > 0;
}

Result<std::optional<std::string>> SqlStorage::site_for_token(const std::string& token_hash) {
  Lease conn = writer();
  return first_row<std::string>(*conn, "look up token",
                                "SELECT site FROM enrolment_tokens WHERE token_hash = $1 AND revoked = 0", {token_hash},
                                text0);
}

Result<std::vector<std::string>> SqlStorage::sites() {
  Lease conn = writer();
  return all_rows<std::string>(*conn, "list sites", "SELECT name FROM sites ORDER BY name", {}, text0);
}

Result<std::vector<SiteRow>> SqlStorage::site_rows() {
  Lease conn = writer();
  return all_rows<SiteRow>(*conn, "list sites", "SELECT name, agency FROM sites ORDER BY name", {},
                           [](const SqlRow& row) -> SiteRow {
                             return {row.text(0), row.text(1)};
                           });
}

Result<std::string> SqlStorage::commit_durability() {
  Lease conn = writer();
  const bool sqlite = conn->dialect() == SqlDialect::sqlite;
  auto rows = all_rows<std::string>(*conn, "read the commit durability",
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
  Lease conn = writer();
  // One statement, so two enrolments of one id cannot race: the update applies only when the
  // caller proved the stored secret (stored hashes are never empty, so no proof never matches).
  auto r = conn->exec(
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
  Lease conn = writer();
  return first_row<std::string>(*conn, "look up agent secret",
                                "SELECT agent_id FROM agents WHERE secret_hash = $1 AND agent_id NOT IN (SELECT "
                                "agent_id FROM agent_revocations)",
                                {secret_hash}, text0);
}

Result<bool> SqlStorage::revoke_agent(const std::string& agent_id, std::int64_t now_ms) {
  Lease conn = writer();
  auto r = conn->exec("revoke agent",
                      "INSERT INTO agent_revocations(agent_id, revoked_ms) SELECT agent_id, $2 FROM agents WHERE "
                      "agent_id = $1 ON CONFLICT DO NOTHING",
                      {agent_id, now_ms});
  if (!r) return r.error();
  if (r.value() > 0) return true;
  auto known = first_row<std::string>(*conn, "revoke agent", "SELECT agent_id FROM agents WHERE agent_id = $1",
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
  Lease conn = writer();
  return all_rows<AgentRow>(
      *conn, "list agents",
      "SELECT a.agent_id, a.hostname, a.site, a.agent_version, a.previous_agent_id, a.first_seen_ms, a.last_seen_ms, "
      "COALESCE(v.revoked_ms, 0), COALESCE(s.agency, '') FROM agents a LEFT JOIN agent_revocations v ON "
      "v.agent_id = a.agent_id LEFT JOIN sites s ON s.name = a.site " +
          where + " ORDER BY a.site, a.hostname, a.agent_id",
      params, [](const SqlRow& row) -> AgentRow {
        return {row.text(0),    row.text(1),    row.text(2),    row.text(3), row.text(4),
                row.integer(5), row.integer(6), row.integer(7), row.text(8)};
      });
}

// --- records ---

Result<IngestResult> SqlStorage::ingest(const std::string& agent_id, const std::vector<RecordIn>& records,
                                        std::int64_t now_ms) {
  Lease conn = writer();
  IngestResult result;
  if (records.empty()) {
    if (auto r = conn->exec("update agent", k_touch_agent, {agent_id, now_ms}); !r) return r.error();
    return result;
  }
  const bool postgres = conn->dialect() == SqlDialect::postgres;
  if (postgres) {
    // The partitions of the batch's months, before its transaction (docs/server.md, "Partitions").
    // One that cannot be made now leaves its records to the default partition: never refused.
    std::vector<std::int64_t> times;
    for (const auto& rec : records) times.push_back(rec.time_ms);
    for (const int month : missing_partitions(times, now_ms)) (void)ensure_partition(conn, month);
  }
  // One multi-row INSERT … ON CONFLICT DO NOTHING … RETURNING per chunk: the rows it returns are
  // the new records (a duplicate adds nothing, to the records or to the day counters). On
  // PostgreSQL the exactly-once key goes first into record_keys (one table for every partition)
  // and only the records whose key is new are inserted. The day counters of the new minute
  // records (report/day_rollup.hpp) are added in the same transaction. Records older than the
  // retention cut are acknowledged and not stored.
  std::vector<const RecordIn*> live;
  std::set<std::pair<std::string, std::int64_t>> fresh;  // (boot_id, seq) stored now
  // 6 placeholders per record + 1 shared; 5000 stays within SQLite's 32766 and libpq's 65535.
  const std::size_t chunk = std::clamp<std::size_t>((conn->max_params() - 1) / 6, 1, 5000);
  auto insert_chunk = [&](std::size_t from, std::size_t to) -> Result<void> {
    std::vector<const RecordIn*> todo(live.begin() + static_cast<std::ptrdiff_t>(from),
                                      live.begin() + static_cast<std::ptrdiff_t>(to));
    if (postgres) {
      // The first statement also moves the agent's last_seen (a data-modifying WITH: one round trip).
      SqlValues keys;
      if (from == 0) keys = {agent_id, now_ms};
      const std::size_t first = keys.size();
      std::string sql = from == 0 ? "WITH upd AS (" + k_touch_agent + ") " : "";
      sql += "INSERT INTO record_keys(agent_id, boot_id, seq, time_ms) VALUES ";
      for (const RecordIn* rec : todo) {
        const auto base = keys.size();
        keys.insert(keys.end(), {rec->agent_id, rec->boot_id, rec->seq, rec->time_ms});
        sql += (base == first ? "(" : ",(");
        for (std::size_t k = 1; k <= 4; ++k) sql += "$" + std::to_string(base + k) + (k < 4 ? "," : ")");
      }
      sql += " ON CONFLICT DO NOTHING RETURNING boot_id, seq";
      std::set<std::pair<std::string, std::int64_t>> new_keys;
      if (auto r = conn->query("store record keys", sql, keys,
                               [&](const SqlRow& row) {
                                 new_keys.emplace(row.text(0), row.integer(1));
                                 return true;
                               });
          !r)
        return r;
      // The first of a key that is new (the same key twice in a batch is stored once).
      std::erase_if(todo, [&](const RecordIn* rec) { return new_keys.erase({rec->boot_id, rec->seq}) == 0; });
      result.duplicates += static_cast<int>(to - from - todo.size());
      if (todo.empty()) return ok();
    }
    SqlValues params{now_ms};
    params.reserve(1 + 6 * todo.size());
    std::string sql = "INSERT INTO records(agent_id, boot_id, seq, type, time_ms, payload, received_ms) VALUES ";
    for (const RecordIn* rec : todo) {
      const auto base = params.size();
      params.insert(params.end(), {rec->agent_id, rec->boot_id, rec->seq, rec->type, rec->time_ms, rec->payload_json});
      sql += (base == 1 ? "(" : ",(");
      for (std::size_t k = 1; k <= 6; ++k) sql += "$" + std::to_string(base + k) + ",";
      sql += "$1)";
    }
    sql += " ON CONFLICT DO NOTHING RETURNING boot_id, seq";
    std::int64_t stored = 0;
    auto r = conn->query("store records", sql, params, [&](const SqlRow& row) {
      ++stored;
      fresh.emplace(row.text(0), row.integer(1));
      return true;
    });
    if (!r) return r;
    result.stored += static_cast<int>(stored);
    result.duplicates += static_cast<int>(todo.size()) - static_cast<int>(stored);
    return ok();
  };
  auto store_all = [&]() -> Result<void> {
    // Retention moves the cut under the exclusive lock: an ingest sees the cut it stores under.
    if (postgres) {
      if (auto r = conn->exec("store records", "SELECT pg_advisory_xact_lock_shared($1)", {k_horizon_lock}); !r)
        return r.error();
    }
    auto cut =
        first_row<std::int64_t>(*conn, "read the retention cut", "SELECT cut_ms FROM record_horizon WHERE id = 1", {},
                                [](const SqlRow& row) { return row.integer(0); });
    if (!cut) return cut.error();
    const std::int64_t cut_ms = cut.value().value_or(INT64_MIN);
    live.clear();
    fresh.clear();
    result.stored = result.duplicates = result.expired = 0;
    for (const auto& rec : records) {
      if (rec.time_ms < cut_ms)
        ++result.expired;
      else
        live.push_back(&rec);
    }
    for (std::size_t from = 0; from < live.size(); from += chunk)
      if (auto r = insert_chunk(from, std::min(live.size(), from + chunk)); !r) return r;
    if (!postgres || live.empty()) {
      if (auto r = conn->exec("update agent", k_touch_agent, {agent_id, now_ms}); !r) return r.error();
    }
    // The day digests made from these days' records are stale now (report/day_digest.hpp).
    std::set<std::int64_t> utc_days;
    for (const RecordIn* rec : live) utc_days.insert(rec->time_ms / k_day_ms);  // as k_gens_from_records
    for (const std::int64_t day : utc_days) {
      auto r = conn->exec("bump day generation",
                          "INSERT INTO day_gens(agent_id, utc_day, gen) VALUES ($1, $2, 1) ON CONFLICT (agent_id, "
                          "utc_day) DO UPDATE SET gen = day_gens.gen + 1",
                          {agent_id, day});
      if (!r) return r.error();
    }
    if (fresh.empty()) return ok();
    std::map<long long, report::DayCounters> days;
    const int offset = m_day_offset_min.load();
    for (const RecordIn* rec : live) {
      if (!report::feeds_day_counters(rec->type) || !fresh.contains({rec->boot_id, rec->seq})) continue;
      report::Record parsed{rec->type, from_unix_ms(rec->time_ms), rec->seq, rec->boot_id,
                            nlohmann::json::parse(rec->payload_json, nullptr, false)};
      if (parsed.payload.is_discarded()) continue;  // ingest validated it; never counted twice
      report::add_day_counters(parsed, offset, days);
    }
    return add_machine_days(conn, agent_id, days);
  };
  if (auto r = transaction(conn, store_all); !r) return r.error();
  for (const auto& rec : records) result.acked.push_back(rec.seq);
  return result;
}

Result<void> SqlStorage::add_machine_days(SqlConnection* conn, const std::string& agent_id,
                                          const std::map<long long, report::DayCounters>& days) {
  static const std::string sql =
      "INSERT INTO machine_days(agent_id, day, utc_offset_min, pressure_minutes, cpu_over_minutes, mem_over_minutes, "
      "load_over_minutes, link_minutes, link_flaps, rx_crc_errors, crc_error_minutes) VALUES ($1, $2, $3, $4, $5, $6, "
      "$7, $8, $9, $10, $11) ON CONFLICT (agent_id, day) DO UPDATE SET "
      "pressure_minutes = machine_days.pressure_minutes + excluded.pressure_minutes, "
      "cpu_over_minutes = machine_days.cpu_over_minutes + excluded.cpu_over_minutes, "
      "mem_over_minutes = machine_days.mem_over_minutes + excluded.mem_over_minutes, "
      "load_over_minutes = machine_days.load_over_minutes + excluded.load_over_minutes, "
      "link_minutes = machine_days.link_minutes + excluded.link_minutes, "
      "link_flaps = machine_days.link_flaps + excluded.link_flaps, "
      "rx_crc_errors = machine_days.rx_crc_errors + excluded.rx_crc_errors, "
      "crc_error_minutes = machine_days.crc_error_minutes + excluded.crc_error_minutes";
  const std::int64_t offset = m_day_offset_min.load();
  for (const auto& [day, c] : days) {
    auto r = conn->exec(
        "add day counters", sql,
        {agent_id, report::format_date(day), offset, c.pressure_minutes, c.cpu_over_minutes, c.mem_over_minutes,
         c.load_over_minutes, c.link_minutes, c.link_flaps, c.rx_crc_errors, c.crc_error_minutes});
    if (!r) return r.error();
  }
  return ok();
}

Result<std::vector<DayGenRow>> SqlStorage::day_gens(std::int64_t from_utc_day, std::int64_t to_utc_day) {
  Lease conn = read_connection();
  return all_rows<DayGenRow>(
      *conn, "read day generations",
      "SELECT agent_id, utc_day, gen FROM day_gens WHERE utc_day >= $1 AND utc_day <= $2 ORDER BY agent_id, utc_day",
      {from_utc_day, to_utc_day}, [](const SqlRow& row) {
        return DayGenRow{row.text(0), row.integer(1), row.integer(2)};
      });
}

Result<void> SqlStorage::day_digests(const std::string& key, std::int64_t from_day, std::int64_t to_day,
                                     const DayDigestVisitor& visit) {
  Lease conn = read_connection();
  return conn->query("read day digests",
                     "SELECT agent_id, day, token, digest FROM day_digests WHERE digest_key = $1 AND day >= $2 AND "
                     "day <= $3 ORDER BY agent_id, day",
                     {key, from_day, to_day}, [&](const SqlRow& row) {
                       return visit(DayDigestRow{row.text(0), row.integer(1), row.integer(2), row.text(3)});
                     });
}

Result<void> SqlStorage::put_day_digests(const std::vector<DayDigestRow>& rows, const std::string& key) {
  if (rows.empty()) return ok();
  Lease conn = writer();
  // One transaction for the lot: a cold month of a large agency is tens of thousands of rows.
  return transaction(conn, [&]() -> Result<void> {
    for (const DayDigestRow& row : rows) {
      auto r = conn->exec(
          "store day digest",
          "INSERT INTO day_digests(agent_id, day, digest_key, token, digest) VALUES ($1, $2, $3, $4, $5) ON "
          "CONFLICT (agent_id, day, digest_key) DO UPDATE SET token = excluded.token, digest = excluded.digest",
          {row.agent_id, row.day, key, row.token, row.digest});
      if (!r) return r.error();
    }
    return ok();
  });
}

Result<std::int64_t> SqlStorage::rebuild_day_gens() {
  Lease conn = writer();
  std::int64_t gens = 0;
  auto r = transaction(conn, [&]() -> Result<void> {
    for (const char* sql : {"DELETE FROM day_digests", "DELETE FROM day_gens"})
      if (auto d = conn->exec("clear day digests", sql, {}); !d) return d.error();
    auto n = conn->exec("count day generations", k_gens_from_records, {});
    if (!n) return n.error();
    gens = n.value();
    return ok();
  });
  if (!r) return r.error();
  return gens;
}

void SqlStorage::set_day_offset(int utc_offset_min) {
  m_day_offset_min = utc_offset_min;
}

Result<std::vector<MachineDayRow>> SqlStorage::machine_days(const std::string& from_day, const std::string& to_day) {
  Lease conn = read_connection();
  return all_rows<MachineDayRow>(
      *conn, "read day counters",
      "SELECT agent_id, day, utc_offset_min, pressure_minutes, cpu_over_minutes, mem_over_minutes, load_over_minutes, "
      "link_minutes, link_flaps, rx_crc_errors, crc_error_minutes FROM machine_days WHERE day >= $1 AND day <= $2 "
      "ORDER BY agent_id, day",
      {from_day, to_day}, [](const SqlRow& row) {
        MachineDayRow d{row.text(0), row.text(1), static_cast<int>(row.integer(2)), {}};
        d.counters = {row.integer(3), row.integer(4), row.integer(5), row.integer(6),
                      row.integer(7), row.integer(8), row.integer(9), row.integer(10)};
        return d;
      });
}

Result<std::int64_t> SqlStorage::rebuild_machine_days() {
  // Read machine by machine on the reader (records arrive in (agent_id, seq) order), then
  // replace the table in one transaction: memory is one agent's days at a time plus the totals.
  std::map<std::string, std::map<long long, report::DayCounters>> all;
  const int offset = m_day_offset_min.load();
  RecordQuery q;
  q.types = {std::string(protocol::record_type::pressure_minute), std::string(protocol::record_type::link_minute)};
  auto read = records(q, [&](const StoredRecord& rec) {
    report::Record parsed{rec.type, from_unix_ms(rec.time_ms), rec.seq, rec.boot_id,
                          nlohmann::json::parse(rec.payload_json, nullptr, false)};
    if (!parsed.payload.is_discarded()) report::add_day_counters(parsed, offset, all[rec.agent_id]);
    return true;
  });
  if (!read) return read.error();
  Lease conn = writer();
  std::int64_t written = 0;
  auto r = transaction(conn, [&]() -> Result<void> {
    if (auto d = conn->exec("clear day counters", "DELETE FROM machine_days", {}); !d) return d.error();
    for (const auto& [agent, days] : all) {
      if (auto a = add_machine_days(conn, agent, days); !a) return a;
      written += static_cast<std::int64_t>(days.size());
    }
    return ok();
  });
  if (!r) return r.error();
  return written;
}

Result<void> SqlStorage::records(const RecordQuery& q, const RecordVisitor& visit) {
  Lease conn = read_connection();
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
  return conn->query(
      "query records", sql, params, [&](const SqlRow& row) { return visit(stored_record(row)); }, true);
}

Result<std::vector<StoredRecord>> SqlStorage::latest_of_type(const std::string& type) {
  Lease conn = read_connection();
  // PostgreSQL's DISTINCT ON (one row per agent) is ~3× faster there than the portable JOIN,
  // which SQLite (without DISTINCT ON) uses.
  const std::string sql =
      conn->dialect() == SqlDialect::postgres
          ? "SELECT DISTINCT ON (agent_id) agent_id, boot_id, seq, type, time_ms, payload FROM records WHERE type = $1 "
            "ORDER BY agent_id, seq DESC"
          : "SELECT r.agent_id, r.boot_id, r.seq, r.type, r.time_ms, r.payload FROM records r JOIN (SELECT agent_id, "
            "MAX(seq) AS seq FROM records WHERE type = $1 GROUP BY agent_id) m ON r.agent_id = m.agent_id AND r.seq = "
            "m.seq AND r.type = $1 ORDER BY r.agent_id";
  return all_rows<StoredRecord>(*conn, "latest records", sql, {type}, stored_record);
}

Result<std::vector<AgentStats>> SqlStorage::stats() {
  Lease conn = read_connection();
  return all_rows<AgentStats>(
      *conn, "stats",
      "SELECT a.agent_id, a.hostname, a.site, (SELECT COUNT(*) FROM records r WHERE r.agent_id = a.agent_id), "
      "a.last_seen_ms FROM agents a ORDER BY a.site, a.hostname, a.agent_id",
      {}, [](const SqlRow& row) -> AgentStats {
        return {row.text(0), row.text(1), row.text(2), row.integer(3), row.integer(4)};
      });
}

// --- retention ---

Result<RetentionResult> SqlStorage::retention(std::int64_t now_ms, int keep_months, bool dry_run) {
  Lease conn = writer();
  const bool postgres = conn->dialect() == SqlDialect::postgres;
  RetentionResult out;
  out.cut_ms = retention_cut_ms(now_ms, keep_months);
  const std::int64_t cut = out.cut_ms;
  // The rollups of the days before the cut: UTC days for day_gens; local days (at the ingest
  // offset) that start before the cut for the day counters and digests, so the local day that
  // straddles the cut is dropped whole rather than kept half counted.
  const std::int64_t cut_utc_day = cut / k_day_ms;
  const std::int64_t first_local_day = ceil_div(cut + std::int64_t{m_day_offset_min.load()} * 60'000, k_day_ms);
  const std::string first_local_date = report::format_date(first_local_day);
  const std::vector<std::pair<std::string, SqlValues>> rollups{
      {"day_gens WHERE utc_day < $1", {cut_utc_day}},
      {"day_digests WHERE day < $1", {first_local_day}},
      {"machine_days WHERE day < $1", {std::string_view(first_local_date)}},
  };
  auto count = [&](const std::string& from_where, const SqlValues& params) -> Result<std::int64_t> {
    auto n = first_row<std::int64_t>(*conn, "count expired rows", "SELECT COUNT(*) FROM " + from_where, params,
                                     [](const SqlRow& row) { return row.integer(0); });
    if (!n) return n.error();
    return n.value().value_or(0);
  };
  if (postgres) {
    if (!dry_run) {
      const int now_month = utc_month(now_ms);
      for (const int month : {now_month, now_month + 1}) (void)ensure_partition(conn, month);
    }
    auto parts = all_rows<std::string>(*conn, "list partitions",
                                       "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = "
                                       "i.inhrelid WHERE i.inhparent = to_regclass('records') ORDER BY 1",
                                       {}, text0);
    if (!parts) return parts.error();
    for (const auto& name : parts.value()) {
      const int month = partition_month(name);
      if (month >= 0 && month_start_ms(month + 1) <= cut) out.dropped_partitions.push_back(name);
    }
  }
  const std::string rows_table = postgres ? "records_default" : "records";
  if (dry_run) {
    auto n = count(rows_table + " WHERE time_ms < $1", {cut});
    if (!n) return n.error();
    out.records_deleted = n.value();
    if (postgres) {
      auto k = count("record_keys WHERE time_ms < $1", {cut});
      if (!k) return k.error();
      out.keys_deleted = k.value();
    }
    for (const auto& [from_where, params] : rollups) {
      auto r = count(from_where, params);
      if (!r) return r.error();
      out.rollup_rows_deleted += r.value();
    }
    return out;
  }
  auto delete_rollups = [&]() -> Result<void> {
    for (const auto& [from_where, params] : rollups) {
      auto r = conn->exec("drop expired rollups", "DELETE FROM " + from_where, params);
      if (!r) return r.error();
      out.rollup_rows_deleted += r.value();
    }
    return ok();
  };
  // The cut moves forward only. On PostgreSQL, in one transaction: the cut, under the lock every
  // ingest holds shared (so none is storing under the old cut), the whole partitions, the default
  // partition's expired rows and the rollups of those days. Waits at most 10 s for locks (a long
  // report reading records holds the DROP up): the error says so, and the next run tries again.
  auto moved = transaction(conn, [&]() -> Result<void> {
    if (postgres) {
      if (auto r = conn->exec("retention", "SET LOCAL lock_timeout = '10s'", {}); !r) return r.error();
      if (auto r = conn->exec("retention", "SELECT pg_advisory_xact_lock($1)", {k_horizon_lock}); !r) return r.error();
    }
    if (auto r = conn->exec("retention", "UPDATE record_horizon SET cut_ms = $1 WHERE id = 1 AND cut_ms < $1", {cut});
        !r)
      return r.error();
    if (!postgres) return ok();
    for (const auto& name : out.dropped_partitions)
      if (auto r = conn->exec("drop partition " + name, "DROP TABLE " + name, {}); !r) return r.error();
    auto n = conn->exec("drop expired records", "DELETE FROM records_default WHERE time_ms < $1", {cut});
    if (!n) return n.error();
    out.records_deleted = n.value();
    return delete_rollups();
  });
  if (!moved) return moved.error();
  {
    std::lock_guard lock(m_partitions_mutex);
    for (const auto& name : out.dropped_partitions) m_partitions.erase(partition_month(name));
  }
  // Then, in batches of their own (ingest goes on between them): SQLite's expired records, and
  // PostgreSQL's keys of the dropped records (no ingest reads a key below the cut).
  const std::string batch =
      postgres ? "DELETE FROM record_keys WHERE ctid = ANY(ARRAY(SELECT ctid FROM record_keys WHERE time_ms < $1 "
                 "LIMIT 10000))"
               : "DELETE FROM records WHERE rowid IN (SELECT rowid FROM records WHERE time_ms < $1 LIMIT 10000)";
  for (;;) {
    auto n = conn->exec("drop expired rows", batch, {cut});
    if (!n) return n.error();
    (postgres ? out.keys_deleted : out.records_deleted) += n.value();
    if (n.value() == 0) break;
    conn.cycle();  // lets ingest in between batches
  }
  if (!postgres) {
    if (auto r = transaction(conn, delete_rollups); !r) return r.error();
  }
  return out;
}

// --- reviewers and sessions ---

Result<void> SqlStorage::add_user(const UserRow& u) {
  Lease conn = writer();
  auto r = conn->exec("add user",
                      "INSERT INTO users(name, password_hash, created_ms, agency) VALUES($1,$2,$3,$4) ON CONFLICT DO "
                      "NOTHING",
                      {u.name, u.password_hash, u.created_ms, u.agency});
  if (!r) return r.error();
  if (r.value() == 0) return Error{"user '" + u.name + "' already exists"};
  return ok();
}

Result<std::optional<UserRow>> SqlStorage::user(const std::string& name) {
  Lease conn = writer();
  return first_row<UserRow>(*conn, "look up user",
                            "SELECT name, password_hash, created_ms, agency FROM users WHERE name = $1", {name},
                            user_row);
}

Result<std::vector<UserRow>> SqlStorage::users() {
  Lease conn = writer();
  return all_rows<UserRow>(*conn, "list users",
                           "SELECT name, password_hash, created_ms, agency FROM users ORDER BY name", {}, user_row);
}

Result<bool> SqlStorage::remove_user(const std::string& name) {
  Lease conn = writer();
  if (auto r = conn->exec("remove sessions", "DELETE FROM sessions WHERE user_name = $1", {name}); !r) return r.error();
  auto r = conn->exec("remove user", "DELETE FROM users WHERE name = $1", {name});
  if (!r) return r.error();
  return r.value() > 0;
}

Result<void> SqlStorage::create_session(const SessionRow& s) {
  Lease conn = writer();
  auto r = conn->exec("create session",
                      "INSERT INTO sessions(id_hash, user_name, csrf_token, expires_ms) VALUES($1,$2,$3,$4)",
                      {s.id_hash, s.user_name, s.csrf_token, s.expires_ms});
  if (!r) return r.error();
  return ok();
}

Result<std::optional<SessionRow>> SqlStorage::session(const std::string& id_hash, std::int64_t now_ms) {
  Lease conn = writer();
  return first_row<SessionRow>(
      *conn, "look up session",
      "SELECT id_hash, user_name, csrf_token, expires_ms FROM sessions WHERE id_hash = $1 AND expires_ms > $2",
      {id_hash, now_ms}, [](const SqlRow& row) -> SessionRow {
        return {row.text(0), row.text(1), row.text(2), row.integer(3)};
      });
}

Result<void> SqlStorage::delete_session(const std::string& id_hash) {
  Lease conn = writer();
  auto r = conn->exec("delete session", "DELETE FROM sessions WHERE id_hash = $1", {id_hash});
  if (!r) return r.error();
  return ok();
}

Result<std::unique_ptr<Storage>> open_sql_storage(std::unique_ptr<SqlConnection> connection,
                                                  std::unique_ptr<SqlConnection> reader) {
  std::vector<std::unique_ptr<SqlConnection>> writers;
  writers.push_back(std::move(connection));
  return open_sql_storage(std::move(writers), std::move(reader));
}

Result<std::unique_ptr<Storage>> open_sql_storage(std::vector<std::unique_ptr<SqlConnection>> writers,
                                                  std::unique_ptr<SqlConnection> reader) {
  if (writers.empty()) return Error{"no database connection to write with"};
  auto storage = std::make_unique<SqlStorage>(std::move(writers), std::move(reader));
  if (auto r = storage->migrate(); !r) return r.error();
  return std::unique_ptr<Storage>(std::move(storage));
}

}  // namespace itsa::server
