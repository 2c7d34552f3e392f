// itsa-server init: create the store (and remember a PostgreSQL URL for later commands).
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "server/commands/registry.hpp"
#include "server/commands/store_options.hpp"

namespace itsa::server {

void register_init(CLI::App& app, CommandResult& result) {
  auto options = std::make_shared<StoreOptions>();
  auto* cmd = app.add_subcommand("init", "Create the server's store (SQLite in --data-dir, or PostgreSQL with --db)");
  add_store_options(*cmd, *options);
  cmd->callback([options, &result] {
    std::error_code ec;
    std::filesystem::create_directories(options->data_dir, ec);
    if (ec) {
      std::cerr << "itsa-server: cannot create " << options->data_dir << ": " << ec.message() << "\n";
      result.exit_code = k_exit_failure;
      return;
    }
    ::chmod(options->data_dir.c_str(), 0700);
    auto store = open_store_or_report(*options);
    if (!store) {
      result.exit_code = k_exit_failure;
      return;
    }
    if (!options->db_url.empty()) {
      const auto file = db_url_file(options->data_dir);
      std::ofstream out(file, std::ios::trunc);
      out << options->db_url << "\n";
      out.close();
      ::chmod(file.c_str(), 0600);
    }
    std::cout << "itsa-server: store ready (" << store->backend() << ") in " << options->data_dir << "\n";
    result.exit_code = k_exit_ok;
  });
}

}  // namespace itsa::server
