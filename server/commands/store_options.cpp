#include "server/commands/store_options.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

#include "server/report/report_input.hpp"

namespace itsa::server {

void add_store_options(CLI::App& cmd, StoreOptions& options) {
  cmd.add_option("--data-dir", options.data_dir, "Server data directory (SQLite store, saved settings)")->required();
  cmd.add_option("--db", options.db_url,
                 "PostgreSQL URL postgres://user:pass@host:port/db (default: SQLite in the data dir)");
}

std::string db_url_file(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "database.url").string();
}

std::unique_ptr<Storage> open_store_or_report(const StoreOptions& options) {
  std::string url = options.db_url;
  if (url.empty()) {
    std::ifstream in(db_url_file(options.data_dir));
    if (in) std::getline(in, url);
  }
  auto s = open_storage(options.data_dir, url, options.db_connections);
  if (!s) {
    std::cerr << "itsa-server: " << s.error().message << "\n";
    return nullptr;
  }
  // Local days of the day counters at the installation's offset (report.json).
  s.value()->set_day_offset(installation_schedule(options.data_dir).utc_offset_min);
  return std::move(s.value());
}

}  // namespace itsa::server
