#pragma once
// The server's tables, written once for both SQL dialects.
#include <string>
#include <vector>

#include "server/storage/sql_connection.hpp"

namespace itsa::server {

/// CREATE TABLE / INDEX statements (idempotent), in order.
std::vector<std::string> schema_statements(SqlDialect dialect);

/// A column added to a table after its first release (already in schema_statements' CREATE):
/// migrate adds it to a store made before.
struct AddedColumn {
  const char* table;        ///< table name
  const char* column;       ///< column name
  const char* declaration;  ///< type and default, as ALTER TABLE … ADD COLUMN takes it
};
/// Every added column, in the order they were added.
std::vector<AddedColumn> added_columns();
/// CREATE TABLE records: PostgreSQL's is partitioned by RANGE (time_ms) (docs/server.md, "Partitions").
std::string records_table_statement(SqlDialect dialect);
/// PostgreSQL only, after records: its DEFAULT partition and the exactly-once key table record_keys.
std::vector<std::string> partition_statements();

}  // namespace itsa::server
