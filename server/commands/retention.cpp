// itsa-server retention --keep-months N: drops the records older than the current UTC month and
// the N months before it, with the rollups of those days (PostgreSQL: whole monthly partitions;
// SQLite: deleted in batches). Later ingests acknowledge such old records without storing them.
// `run --retention-months N` does the same once a day (docs/server.md, "Retention").
#include <chrono>
#include <iostream>

#include <nlohmann/json.hpp>

#include "common/time_format.hpp"
#include "server/commands/registry.hpp"
#include "server/commands/store_options.hpp"

namespace itsa::server {

namespace {
/// Options of `retention`.
struct RetentionOptions {
  StoreOptions store;    ///< where the store is
  int keep_months = 0;   ///< months kept before the current one
  bool dry_run = false;  ///< say what would go, change nothing
  bool json = false;     ///< JSON output
};
}  // namespace

void register_retention(CLI::App& app, CommandResult& result) {
  auto o = std::make_shared<RetentionOptions>();
  auto* cmd = app.add_subcommand(
      "retention", "Drop the records (and their day rollups) older than the current month and N months before it");
  add_store_options(*cmd, o->store);
  cmd->add_option("--keep-months", o->keep_months, "Whole UTC months kept before the current one (1..1200)")
      ->required()
      ->check(CLI::Range(1, 1200));
  cmd->add_flag("--dry-run", o->dry_run, "Say what would be dropped; change nothing");
  cmd->add_flag("--json", o->json,
                "JSON output: {\"cut\",\"dry_run\",\"backend\",\"dropped_partitions\":[…],\"records_deleted\","
                "\"keys_deleted\",\"rollup_rows_deleted\"}");
  cmd->callback([o, &result] {
    result.exit_code = k_exit_failure;
    auto store = open_store_or_report(o->store);
    if (!store) return;
    auto r = store->retention(to_unix_ms(SystemClock::instance().utc_now()), o->keep_months, o->dry_run);
    if (!r) {
      std::cerr << "itsa-server: retention: " << r.error().message << "\n";
      return;
    }
    const auto& v = r.value();
    const std::string cut = to_rfc3339(from_unix_ms(v.cut_ms));
    if (o->json) {
      std::cout << nlohmann::json{{"cut", cut},
                                  {"dry_run", o->dry_run},
                                  {"backend", store->backend()},
                                  {"dropped_partitions", v.dropped_partitions},
                                  {"records_deleted", v.records_deleted},
                                  {"keys_deleted", v.keys_deleted},
                                  {"rollup_rows_deleted", v.rollup_rows_deleted}}
                       .dump()
                << "\n";
    } else {
      std::cout << (o->dry_run ? "would drop" : "dropped") << " the records before " << cut << ": "
                << v.dropped_partitions.size() << " partitions";
      for (const auto& p : v.dropped_partitions) std::cout << " " << p;
      std::cout << ", " << v.records_deleted << " rows deleted, " << v.keys_deleted << " keys, "
                << v.rollup_rows_deleted << " rollup rows\n";
    }
    result.exit_code = k_exit_ok;
  });
}

}  // namespace itsa::server
