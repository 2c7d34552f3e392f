// `itsa-agent assess [--profile NAME|FILE] [--json] [--smbios-file FILE]`: this machine
// against a minimum-spec profile; exit 3 when it does not meet it.
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "agent/commands/registry.hpp"
#include "assess/assess.hpp"
#include "collectors/disk_health/disk_health.hpp"
#include "collectors/inventory.hpp"
#include "common/clock.hpp"
#include "common/time_format.hpp"

namespace itsa::agent {

void register_assess(CLI::App& app, CommandResult& result) {
  auto* cmd = app.add_subcommand("assess", "Assess this machine against a minimum-spec profile (exit 3 when not met)");
  struct Options {
    std::string profile = "office-recommended";
    bool as_json = false;
    std::string smbios_file;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("--profile", opts->profile,
                  "Profile name in config/profiles (windows11, office-recommended) or a JSON file")
      ->capture_default_str();
  cmd->add_flag("--json", opts->as_json, "Print {profile, verdict, rules[]} as JSON");
  cmd->add_option("--smbios-file", opts->smbios_file, "Decode a saved SMBIOS table instead of the live one")
      ->check(CLI::ExistingFile);
  cmd->callback([opts, &result] {
    auto profile = collectors::load_profile(opts->profile);
    if (!profile) {
      std::cerr << "itsa-agent assess: " << profile.error().message << "\n";
      result.exit_code = k_exit_invalid_config;
      return;
    }
    collectors::InventoryOptions o;
    if (!opts->smbios_file.empty()) o.smbios_file = opts->smbios_file;
    auto inv = collectors::collect_inventory(o);
    if (opts->smbios_file.empty()) {  // this machine: its disks' health too (the disk_health rule)
      nlohmann::json disks = nlohmann::json::array();
      for (const auto& d : collectors::disk_health::read_all_disks())
        disks.push_back(collectors::disk_health::to_json(d));
      inv["disk_health"] = collectors::disk_health::inventory_summary(disks);
    }
    const auto today = to_rfc3339(SystemClock::instance().utc_now()).substr(0, 10);
    auto out = collectors::assess(inv, profile.value(), today);
    if (opts->as_json) {
      std::cout << out.dump(2) << "\n";
    } else {
      std::cout << "Profile " << out["profile"].get<std::string>() << ": "
                << (out["verdict"] == "meets"           ? "MEETS / Đạt"
                    : out["verdict"] == "does_not_meet" ? "DOES NOT MEET / Không đạt"
                                                        : "UNKNOWN / Chưa xác định")
                << "\n";
      for (const auto& r : out["rules"]) {
        const std::string res = r["result"].get<std::string>();
        std::cout << "  ["
                  << (res == "pass"   ? "PASS"
                      : res == "fail" ? "FAIL"
                                      : " ?? ")
                  << "] " << r["reason"].get<std::string>() << "\n         " << r["reason_vi"].get<std::string>()
                  << "\n";
      }
    }
    result.exit_code = out["verdict"] == "does_not_meet" ? k_exit_not_met : k_exit_ok;
  });
}

}  // namespace itsa::agent
