#include "server/storage/schema.hpp"

#include <cstdint>

namespace itsa::server {

std::string records_table_statement(SqlDialect dialect) {
  const std::string columns =
      "agent_id TEXT NOT NULL, boot_id TEXT NOT NULL, seq BIGINT NOT NULL, type TEXT NOT NULL, time_ms BIGINT NOT "
      "NULL, payload TEXT NOT NULL, received_ms BIGINT NOT NULL, ";
  if (dialect == SqlDialect::sqlite)
    return "CREATE TABLE IF NOT EXISTS records (" + columns + "PRIMARY KEY (agent_id, boot_id, seq))";
  // PostgreSQL: one partition per UTC month of time_ms (sql_storage.cpp), a partitioned table's
  // key must hold the partition key; (agent_id, boot_id, seq) is kept unique by record_keys.
  return "CREATE TABLE IF NOT EXISTS records (" + columns +
         "PRIMARY KEY (agent_id, boot_id, seq, time_ms)) PARTITION BY RANGE (time_ms)";
}

std::vector<std::string> partition_statements() {
  return {
      // Records whose month has no partition (hostile or far times): never refused, never lost.
      "CREATE TABLE IF NOT EXISTS records_default PARTITION OF records DEFAULT",
      // The exactly-once key across partitions: inserted first in the ingest transaction, a record
      // is stored only when its key is new. time_ms: to delete the keys of dropped months.
      "CREATE TABLE IF NOT EXISTS record_keys (agent_id TEXT NOT NULL, boot_id TEXT NOT NULL, seq BIGINT NOT NULL, "
      "time_ms BIGINT NOT NULL, PRIMARY KEY (agent_id, boot_id, seq))",
      "CREATE INDEX IF NOT EXISTS record_keys_time ON record_keys(time_ms)",
  };
}

std::vector<std::string> schema_statements(SqlDialect dialect) {
  // BIGINT is an alias of INTEGER affinity in SQLite, a real 64-bit type in PostgreSQL.
  const std::string bigint = "BIGINT";
  const std::string boolean = dialect == SqlDialect::sqlite ? "INTEGER" : "SMALLINT";
  return {
      "CREATE TABLE IF NOT EXISTS sites (name TEXT PRIMARY KEY, created_ms " + bigint +
          " NOT NULL, agency TEXT NOT NULL DEFAULT '')",
      "CREATE TABLE IF NOT EXISTS enrolment_tokens (id TEXT PRIMARY KEY, site TEXT NOT NULL REFERENCES sites(name), "
      "token_hash TEXT NOT NULL UNIQUE, created_ms " +
          bigint + " NOT NULL, revoked " + boolean + " NOT NULL DEFAULT 0)",
      "CREATE TABLE IF NOT EXISTS agents (agent_id TEXT PRIMARY KEY, hostname TEXT NOT NULL, site TEXT NOT NULL, "
      "secret_hash TEXT NOT NULL, previous_agent_id TEXT NOT NULL DEFAULT '', agent_version TEXT NOT NULL DEFAULT '', "
      "first_seen_ms " +
          bigint + " NOT NULL, last_seen_ms " + bigint + " NOT NULL)",
      "CREATE INDEX IF NOT EXISTS agents_secret ON agents(secret_hash)",
      // `itsa-server agent revoke`: a revoked agent's secret and re-enrolment are refused (issue 17).
      "CREATE TABLE IF NOT EXISTS agent_revocations (agent_id TEXT PRIMARY KEY, revoked_ms " + bigint + " NOT NULL)",
      records_table_statement(dialect),
      "CREATE INDEX IF NOT EXISTS records_agent_seq ON records(agent_id, seq)",
      "CREATE INDEX IF NOT EXISTS records_type_agent ON records(type, agent_id, seq)",
      "CREATE INDEX IF NOT EXISTS records_time ON records(time_ms)",
      // Retention (docs/server.md): records older than cut_ms are gone and refused at ingest.
      "CREATE TABLE IF NOT EXISTS record_horizon (id " + bigint + " PRIMARY KEY, cut_ms " + bigint + " NOT NULL)",
      "INSERT INTO record_horizon(id, cut_ms) VALUES (1, " + std::to_string(INT64_MIN + 1) + ") ON CONFLICT DO NOTHING",
      // Per machine and local day: the counters of its minute records, added at ingest in the
      // records' transaction (issue 15; report/day_rollup.hpp). utc_offset_min: the offset the
      // day was cut at (`itsa-server rollup rebuild` after changing report.json's offset).
      "CREATE TABLE IF NOT EXISTS machine_days (agent_id TEXT NOT NULL, day TEXT NOT NULL, utc_offset_min " + bigint +
          " NOT NULL, pressure_minutes " + bigint + " NOT NULL, cpu_over_minutes " + bigint +
          " NOT NULL, mem_over_minutes " + bigint + " NOT NULL, load_over_minutes " + bigint +
          " NOT NULL, link_minutes " + bigint + " NOT NULL, link_flaps " + bigint + " NOT NULL, rx_crc_errors " +
          bigint + " NOT NULL, crc_error_minutes " + bigint + " NOT NULL, PRIMARY KEY (agent_id, day))",
      // Per machine and UTC day of record time: a generation bumped by each ingest bringing a
      // record of that day; and per machine, local day and digest key: the report's day digest
      // with the sum of the generations it was computed from (issue 15; report/day_digest.hpp).
      "CREATE TABLE IF NOT EXISTS day_gens (agent_id TEXT NOT NULL, utc_day " + bigint + " NOT NULL, gen " + bigint +
          " NOT NULL, PRIMARY KEY (agent_id, utc_day))",
      "CREATE TABLE IF NOT EXISTS day_digests (agent_id TEXT NOT NULL, day " + bigint +
          " NOT NULL, digest_key TEXT NOT NULL, token " + bigint +
          " NOT NULL, digest TEXT NOT NULL, PRIMARY KEY (agent_id, day, digest_key))",
      "CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created_ms " + bigint +
          " NOT NULL, agency TEXT NOT NULL DEFAULT '')",
      "CREATE TABLE IF NOT EXISTS sessions (id_hash TEXT PRIMARY KEY, user_name TEXT NOT NULL, csrf_token TEXT NOT "
      "NULL, expires_ms " +
          bigint + " NOT NULL)",
  };
}

std::vector<AddedColumn> added_columns() {
  return {
      // Issue 15: agencies above sites; a reviewer's scope.
      {"sites", "agency", "TEXT NOT NULL DEFAULT ''"},
      {"users", "agency", "TEXT NOT NULL DEFAULT ''"},
  };
}

}  // namespace itsa::server
