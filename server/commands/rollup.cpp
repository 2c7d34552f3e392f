// itsa-server rollup rebuild: recomputes every machine's day counters (machine_days, written at
// ingest) from the stored records, at the installation's UTC offset (report.json), and drops the
// report's stored day digests (recounting the day generations they are checked against: they are
// computed again by the next report). Run it after changing that offset, or to check the counters
// (`--json` prints what was written).
#include <iostream>

#include <nlohmann/json.hpp>

#include "server/commands/registry.hpp"
#include "server/commands/store_options.hpp"
#include "server/report/report_input.hpp"

namespace itsa::server {

void register_rollup(CLI::App& app, CommandResult& result) {
  auto store_options = std::make_shared<StoreOptions>();
  auto json = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("rollup", "The day counters kept per machine at ingest");
  cmd->require_subcommand(1);
  auto* rebuild = cmd->add_subcommand("rebuild", "Recompute every machine's day counters from the stored records");
  add_store_options(*rebuild, *store_options);
  rebuild->add_flag("--json", *json, "JSON output: {\"machine_days\":N,\"utc_offset_min\":M,\"day_generations\":G}");
  rebuild->callback([store_options, json, &result] {
    result.exit_code = k_exit_failure;
    auto store = open_store_or_report(*store_options);
    if (!store) return;
    const int offset = installation_schedule(store_options->data_dir).utc_offset_min;
    auto written = store->rebuild_machine_days();
    if (!written) {
      std::cerr << "itsa-server: rollup rebuild: " << written.error().message << "\n";
      return;
    }
    auto gens = store->rebuild_day_gens();
    if (!gens) {
      std::cerr << "itsa-server: rollup rebuild: " << gens.error().message << "\n";
      return;
    }
    if (*json) {
      std::cout << nlohmann::json{{"machine_days", written.value()},
                                  {"utc_offset_min", offset},
                                  {"day_generations", gens.value()}}
                       .dump()
                << "\n";
    } else {
      std::cout << written.value() << " machine-days rebuilt (UTC offset " << offset << " min); day digests dropped, "
                << gens.value() << " machine-days of records to digest again\n";
    }
    result.exit_code = k_exit_ok;
  });
}

}  // namespace itsa::server
