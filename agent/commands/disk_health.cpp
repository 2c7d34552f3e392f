// `itsa-agent disk-health [--json] [--smart-file FILE]`: every disk's health verdict (failing,
// worn, ok, unknown) with its reasons, or the decoding of a captured SMART file exactly as a
// live disk (docs/inventory.md "Disk health").
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "agent/commands/registry.hpp"
#include "collectors/disk_health/disk_health.hpp"

namespace itsa::agent {
namespace {

using nlohmann::json;
namespace dh = collectors::disk_health;

std::string text(const json& v, const char* unit = "") {
  if (v.is_null()) return "unknown";
  if (v.is_string()) return v.get<std::string>();
  return v.dump() + unit;
}

void print_summary(const json& disks) {
  for (const auto& d : disks["disks"]) {
    std::cout << text(d["device"]) << (d["model"].is_null() ? "" : "  " + text(d["model"])) << ": "
              << d["verdict"].get<std::string>() << " (power-on " << text(d["power_on_hours"], " h") << ", temperature "
              << text(d["temperature_c"], " C") << ", wear " << text(d["wear_pct"], " %") << ")\n";
    for (const auto& r : d["reasons"]) std::cout << "  - " << r["en"].get<std::string>() << "\n";
    for (const auto& n : d["notes"]) std::cout << "  note: " << n.get<std::string>() << "\n";
  }
}

}  // namespace

void register_disk_health(CLI::App& app, CommandResult& result) {
  auto* cmd = app.add_subcommand("disk-health", "Print every disk's health (SMART / NVMe health log)");
  struct Options {
    bool as_json = false;
    std::string smart_file;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_flag("--json", opts->as_json, "Print {\"disks\":[...]} (docs/inventory.md, Disk health)");
  cmd->add_option("--smart-file", opts->smart_file,
                  "Decode a captured file instead of the live disks: an ATA blob in libatasmart's skdump --save "
                  "format or a raw 512-byte NVMe SMART/Health log page")
      ->check(CLI::ExistingFile);
  cmd->callback([opts, &result] {
    json disks = json::array();
    if (!opts->smart_file.empty()) {
      auto d = dh::load_smart_file(opts->smart_file);
      if (!d) {
        std::cerr << "itsa-agent disk-health: " << d.error().message << "\n";
        result.exit_code = k_exit_failure;
        return;
      }
      disks.push_back(dh::to_json(d.value()));
    } else {
      for (const auto& d : dh::read_all_disks()) disks.push_back(dh::to_json(d));
    }
    const json out = {{"disks", disks}};
    if (opts->as_json)
      std::cout << out.dump(2) << "\n";
    else
      print_summary(out);
    result.exit_code = k_exit_ok;
  });
}

}  // namespace itsa::agent
