// Assembles the inventory document from the SMBIOS parser and the per-OS readers.
#include "collectors/inventory.hpp"

#include <chrono>

#include "collectors/inventory/cpu_generation.hpp"
#include "collectors/inventory/cpu_smbios.hpp"
#include "collectors/inventory/os_lifecycle.hpp"
#include "collectors/inventory/platform.hpp"
#include "collectors/smbios/decode.hpp"
#include "collectors/thermal/throttle.hpp"
#include "common/time_format.hpp"
#include "itsa/version.hpp"
#include "protocol/payloads.hpp"

namespace mk = itsa::protocol::memory_key;

namespace itsa::collectors {
namespace {

using nlohmann::json;

// "YYYY-MM-DD" of a UTC time.
std::string utc_date(UtcTime t) {
  return to_rfc3339(t).substr(0, 10);
}

json pick(const json& from, std::initializer_list<const char*> keys) {
  json out = json::object();
  for (const char* k : keys) out[k] = from.is_object() && from.contains(k) ? from[k] : json(nullptr);
  return out;
}

}  // namespace

json collect_inventory(const InventoryOptions& o) {
  const Clock& clock = o.clock ? *o.clock : static_cast<const Clock&>(SystemClock::instance());
  platform::Notes notes;
  json doc;
  doc["hostname"] = platform::hostname(o, notes);

  // SMBIOS: a saved table when asked, else the live one, else the OS's DMI copy.
  json sm;
  auto table = o.smbios_file ? smbios::load_file(*o.smbios_file) : platform::smbios_table(o);
  if (table) {
    sm = smbios::decode(table.value(), notes);
  } else {
    notes.push_back("smbios: " + table.error().message);
    sm = o.smbios_file ? json(nullptr) : platform::dmi_fallback(o, notes);
  }
  json system = pick(sm.is_object() ? sm["system"] : json(),
                     {"manufacturer", "product", "version", "serial", "uuid", "sku", "family", "chassis"});
  const json chassis = sm.is_object() && sm.contains("chassis") ? sm["chassis"] : json();
  system["portable"] = chassis.is_object() ? chassis.value("portable", json(nullptr)) : json(nullptr);
  system["chassis_manufacturer"] = chassis.is_object() ? chassis.value("manufacturer", json(nullptr)) : json(nullptr);
  system["chassis_serial"] = chassis.is_object() ? chassis.value("serial", json(nullptr)) : json(nullptr);
  system["board"] = pick(sm.is_object() ? sm["baseboard"] : json(), {"manufacturer", "product", "version", "serial"});
  doc["system"] = system;
  doc["bios"] = pick(sm.is_object() ? sm["bios"] : json(), {"vendor", "version", "release_date"});
  doc["smbios"] = {
      {"version", sm.is_object() ? sm.value("smbios_version", json(nullptr)) : json(nullptr)},
      {"source", table ? json(table.value().layout) : (sm.is_object() ? json("dmi-sysfs") : json(nullptr))}};

  // CPU: the OS's view, completed by SMBIOS type 4; a saved table's type 4 alone (its CPU is
  // judged, not this host's); generation from the model string.
  const json procs = sm.is_object() && sm.contains("processors") ? sm["processors"] : json::array();
  json cpu = o.smbios_file ? cpu_from_smbios(procs, notes) : platform::cpu(o, notes);
  if (cpu["model"].is_null() && !procs.empty()) cpu["model"] = procs[0]["model"];
  if (cpu["max_mhz"].is_null() && !procs.empty()) cpu["max_mhz"] = procs[0]["max_mhz"];
  if (cpu["base_mhz"].is_null() && !procs.empty()) cpu["base_mhz"] = procs[0]["current_mhz"];
  if (cpu["max_mhz"].is_null()) notes.push_back("cpu.max_mhz: neither cpufreq nor SMBIOS give it");
  if (cpu["base_mhz"].is_null()) notes.push_back("cpu.base_mhz: neither cpufreq, the model string nor SMBIOS give it");
  cpu["generation"] = nullptr;
  cpu["windows11_generation"] = nullptr;
  if (cpu["model"].is_string()) {
    std::optional<int> fam;
    std::optional<int> mod;
    if (cpu["family"].is_number_integer()) fam = cpu["family"].get<int>();
    if (cpu["model_number"].is_number_integer()) mod = cpu["model_number"].get<int>();
    if (auto g = cpu_generation(cpu["model"].get<std::string>(), fam, mod)) {
      cpu["generation"] = g->label;
      cpu["windows11_generation"] = g->windows11_supported;
    } else {
      notes.push_back("cpu.generation: model \"" + cpu["model"].get<std::string>() + "\" not in the generation table");
    }
  } else {
    notes.push_back("cpu.generation: CPU model unknown");
  }
  cpu["thermal_throttle"] = thermal::read_thermal_throttle(o.root, notes);
  doc["cpu"] = cpu;

  json memory = platform::memory(o, notes);
  const json smem = sm.is_object() && sm.contains(mk::memory) ? sm[mk::memory] : json();
  memory[mk::installed_bytes] = smem.is_object() ? smem[mk::installed_bytes] : json(nullptr);
  memory[mk::slots_total] = smem.is_object() ? smem[mk::slots_total] : json(nullptr);
  memory[mk::slots_used] = smem.is_object() ? smem[mk::slots_used] : json(nullptr);
  memory[mk::max_capacity_bytes] = smem.is_object() ? smem.value(mk::max_capacity_bytes, json(nullptr)) : json(nullptr);
  memory[mk::modules] = smem.is_object() ? smem[mk::modules] : json::array();
  doc[mk::memory] = memory;

  doc["disks"] = platform::disks(o, notes);

  json os = platform::os(o, notes);
  OsRelease rel;
  rel.family = os.value("family", "");
  rel.id = os["id"].is_string() ? os["id"].get<std::string>() : "";
  rel.version = os["version"].is_string() ? os["version"].get<std::string>() : "";
  rel.build = os["build"].is_number_integer() ? os["build"].get<int>() : 0;
  rel.edition = os["edition"].is_string() ? os["edition"].get<std::string>() : "";
  os["support"] = os_support(rel, utc_date(clock.utc_now()));
  doc["os"] = os;

  doc["firmware"] = platform::firmware(o, notes);
  doc["tpm"] = platform::tpm(o, notes);
  doc["network"] = platform::network(o, notes);
  const json up = platform::uptime_s(o, notes);
  doc["uptime_s"] = up;
  doc["boot_time"] =
      up.is_number() ? json(to_rfc3339(clock.utc_now() - std::chrono::seconds(up.get<std::int64_t>()))) : json(nullptr);
  doc["boot_durations"] = json::array();  // filled by the caller: the daemon keeps the history (boot_time.hpp)
  doc["battery"] = platform::battery(o, notes);
  doc["collected_at"] = to_rfc3339_ms(clock.utc_now());
  doc["agent_version"] = k_version;
  doc["notes"] = notes;
  return doc;
}

json stable_inventory(const json& inv) {
  json s = inv;
  for (const char* k : {"uptime_s", "boot_time", "boot_durations", "collected_at", "notes"}) s.erase(k);
  if (s.contains("cpu") && s["cpu"].is_object()) s["cpu"].erase("thermal_throttle");
  if (s.contains("disks") && s["disks"].is_array())
    for (auto& d : s["disks"])
      if (d.contains("system_fs") && d["system_fs"].is_object()) d["system_fs"].erase("free_bytes");
  if (s.contains("network") && s["network"].contains("interfaces"))
    for (auto& i : s["network"]["interfaces"])
      for (const char* k : {"speed_mbps", "duplex", "ipv4", "carrier"}) i.erase(k);
  if (s.contains("battery") && s["battery"].is_object())
    for (const char* k : {"full_wh", "wear_pct", "charge_pct", "cycle_count"}) s["battery"].erase(k);
  if (s.contains(mk::memory)) s[mk::memory].erase(mk::total_bytes);  // can move by a few pages (kernel reservations)
  if (s.contains("os") && s["os"].contains("support")) s["os"]["support"].erase("status");
  if (s.contains("disk_health") && s["disk_health"].is_array())  // verdict changes count, counters in texts do not
    for (auto& d : s["disk_health"])
      if (d.contains("reason") && d["reason"].is_object()) d["reason"] = d["reason"].value("code", "");
  return s;
}

}  // namespace itsa::collectors
