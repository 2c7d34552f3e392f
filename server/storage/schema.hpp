#pragma once
// The server's tables, written once for both SQL dialects.
#include <string>
#include <vector>

#include "server/storage/sql_connection.hpp"

namespace itsa::server {

/// CREATE TABLE / INDEX statements (idempotent), in order.
std::vector<std::string> schema_statements(SqlDialect dialect);

}  // namespace itsa::server
