#include <filesystem>

#include "server/storage/storage.hpp"

namespace itsa::server {

Result<std::unique_ptr<Storage>> open_storage(const std::string& data_dir, const std::string& db_url, int writers) {
  if (db_url.rfind("postgres://", 0) == 0 || db_url.rfind("postgresql://", 0) == 0)
    return open_postgres_storage(db_url, writers);
  if (!db_url.empty()) return Error{"--db: expected a postgres://… URL, got '" + db_url + "'"};
  if (data_dir.empty()) return Error{"--data-dir is required"};
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return Error{"cannot create data dir " + data_dir + ": " + ec.message()};
  return open_sqlite_storage((std::filesystem::path(data_dir) / "itsa-server.db").string());
}

}  // namespace itsa::server
