#pragma once
// Issue 15: reports from the stored day digests equal reports from the raw records, on the
// seeded month (tests/server/seed_month.hpp), cold and warm, after new records and after a
// rebuild. Run on SQLite (test_server_day_digests) and PostgreSQL (test_storage_postgres).
#include "server/storage/storage.hpp"

namespace itsa::test {

/// Loads the seeded month into `storage` (empty or holding other agents) and checks it.
void check_day_digests(server::Storage& storage);

}  // namespace itsa::test
