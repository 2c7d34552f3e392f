#pragma once
// The server's tables, written once for both SQL dialects.
#include <string>
#include <vector>

namespace itsa::server {

/// Which SQL dialect to emit.
enum class SqlDialect { sqlite, postgres };

/// CREATE TABLE / INDEX statements (idempotent), in order.
std::vector<std::string> schema_statements(SqlDialect dialect);

}  // namespace itsa::server
