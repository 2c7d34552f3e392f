// `itsa-agent inventory [--json] [--smbios-file FILE]`: the hardware/OS inventory as a
// readable summary or as the JSON document of docs/inventory.md.
#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "agent/commands/registry.hpp"
#include "collectors/boot/boot_time.hpp"
#include "collectors/inventory.hpp"
#include "collectors/inventory/os_lifecycle.hpp"
#include "protocol/payloads.hpp"

namespace mk = itsa::protocol::memory_key;

namespace itsa::agent {
namespace {

using nlohmann::json;

std::string text(const json& v, const char* unit = "") {
  if (v.is_null()) return "unknown";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  return v.dump() + unit;
}

/// A measured figure to one decimal ("18.4 %"), or "unknown".
std::string one_decimal(const json& v, const char* unit = "") {
  if (!v.is_number()) return "unknown";
  return fmt::format("{:.1f}{}", v.get<double>(), unit);
}

std::string gib(const json& v) {
  if (!v.is_number()) return "unknown";
  return fmt::format("{:.1f} GiB", v.get<double>() / (1024.0 * 1024 * 1024));
}

void print_summary(const json& inv) {
  const auto& s = inv["system"];
  const auto& c = inv["cpu"];
  const auto& m = inv[mk::memory];
  std::cout << "Host:      " << text(inv["hostname"]) << "\n"
            << "System:    " << text(s["manufacturer"]) << " " << text(s["product"]) << " (" << text(s["chassis"])
            << "), serial " << text(s["serial"]) << "; chassis " << text(s["chassis_manufacturer"]) << ", serial "
            << text(s["chassis_serial"]) << "\n"
            << "BIOS:      " << text(inv["bios"]["vendor"]) << " " << text(inv["bios"]["version"]) << ", "
            << text(inv["bios"]["release_date"]) << "\n"
            << "CPU:       " << text(c["model"]) << " [" << text(c["generation"]) << "], " << text(c["sockets"])
            << " socket(s), " << text(c["physical_cores"]) << " cores, " << text(c["logical_cores"]) << " threads\n"
            << "Memory:    " << gib(m[mk::total_bytes]) << " usable, " << gib(m[mk::installed_bytes]) << " installed, "
            << text(m[mk::slots_used]) << "/" << text(m[mk::slots_total]) << " slots, board maximum "
            << gib(m[mk::max_capacity_bytes]) << "\n";
  for (const auto& mod : m[mk::modules])
    std::cout << "  module   " << text(mod[mk::locator]) << ": " << gib(mod[mk::size_bytes]) << " "
              << text(mod[mk::type]) << " " << text(mod[mk::speed_mts], " MT/s") << " " << text(mod[mk::manufacturer])
              << "\n";
  for (const auto& d : inv["disks"])
    std::cout << "Disk:      " << text(d["name"]) << " " << text(d["model"]) << " " << gib(d["size_bytes"]) << " "
              << text(d["media"]) << " " << text(d["bus"]) << (d["system"] == true ? " (system)" : "") << "\n";
  const auto& os = inv["os"];
  // The day the status lasts until: Debian 12 in LTS reads "extended until 2028-06-30".
  const bool ended = os["support"]["status"] == "ended";
  std::cout << "OS:        " << text(os["name"]) << " (" << text(os["arch"]) << "), support "
            << text(os["support"]["status"]) << (ended ? " on " : " until ")
            << text(collectors::support_status_until(os["support"])) << "\n"
            << "Firmware:  UEFI " << text(inv["firmware"]["uefi"]) << ", Secure Boot "
            << text(inv["firmware"]["secure_boot"]) << ", TPM "
            << (inv["tpm"]["present"] == true ? text(inv["tpm"]["version"]) : "absent") << "\n";
  for (const auto& i : inv["network"]["interfaces"])
    std::cout << "Network:   " << text(i["name"]) << " " << text(i["kind"]) << " " << text(i["mac"]) << " "
              << text(i["speed_mbps"], " Mb/s") << " (max " << text(i["max_speed_mbps"], " Mb/s") << ") "
              << text(i["duplex"]) << "\n";
  const auto& heat = c["thermal_throttle"];
  if (heat.is_object())
    std::cout << "CPU heat:  throttled " << text(heat["core_events"]) << " times (cores), "
              << text(heat["package_events"]) << " (package) since boot\n";
  const auto& bat = inv["battery"];
  if (bat["present"] == true)
    std::cout << "Battery:   wear " << one_decimal(bat["wear_pct"], " %") << " (" << one_decimal(bat["full_wh"], " Wh")
              << " of " << one_decimal(bat["design_wh"], " Wh") << "), " << text(bat["cycle_count"]) << " cycles\n";
  for (const auto& b : inv["boot_durations"])
    std::cout << "Boot:      " << text(b["start"]) << " took " << one_decimal(b["total_s"], " s") << " ("
              << text(b["source"]) << ")\n";
  if (!inv["notes"].empty()) {
    std::cout << "Notes:\n";
    for (const auto& n : inv["notes"]) std::cout << "  - " << n.get<std::string>() << "\n";
  }
}

}  // namespace

void register_inventory(CLI::App& app, CommandResult& result) {
  auto* cmd = app.add_subcommand("inventory", "Print this machine's hardware and OS inventory");
  struct Options {
    bool as_json = false;
    std::string smbios_file;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_flag("--json", opts->as_json, "Print the inventory JSON (docs/inventory.md)");
  cmd->add_option("--smbios-file", opts->smbios_file,
                  "Decode a saved SMBIOS table (dmidecode --dump-bin, sysfs DMI, Windows RSMB) instead of the live one")
      ->check(CLI::ExistingFile);
  cmd->callback([opts, &result] {
    collectors::InventoryOptions o;
    if (!opts->smbios_file.empty()) o.smbios_file = opts->smbios_file;
    json inv = collectors::collect_inventory(o);
    // This boot (Linux) or the log's last boots (Windows); the daemon also keeps earlier ones.
    const auto boots = collectors::boot::read_boots();
    inv["boot_durations"] = collectors::boot::merge_boots(json::array(), boots.boots);
    if (!boots.note.empty()) inv["notes"].push_back(boots.note);
    if (opts->as_json)
      std::cout << inv.dump(2) << "\n";
    else
      print_summary(inv);
    result.exit_code = k_exit_ok;
  });
}

}  // namespace itsa::agent
