#pragma once
// --data-dir / --db, shared by every command that opens the store.
#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "server/storage/storage.hpp"

namespace itsa::server {

/// Where the store is.
struct StoreOptions {
  std::string data_dir;    ///< SQLite file and server state live here
  std::string db_url;      ///< postgres://… (else the one saved by `init --db`, else SQLite)
  int db_connections = 1;  ///< PostgreSQL writer connections (`run --db-connections`)
};

/// Adds --data-dir (required) and --db to a command.
void add_store_options(CLI::App& cmd, StoreOptions& options);
/// Opens the store; prints the error and returns null when it cannot.
std::unique_ptr<Storage> open_store_or_report(const StoreOptions& options);
/// The file `init --db` saves the PostgreSQL URL in.
std::string db_url_file(const std::string& data_dir);

}  // namespace itsa::server
