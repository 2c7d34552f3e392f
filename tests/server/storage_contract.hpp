#pragma once
// The one contract every Storage backend must pass (run on SQLite and on PostgreSQL).
#include "server/storage/storage.hpp"

namespace itsa::test {

/// Runs every contract check against an empty, migrated store.
void check_storage_contract(server::Storage& storage);

}  // namespace itsa::test
