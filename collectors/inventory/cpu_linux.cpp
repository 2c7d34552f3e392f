// CPU on Linux: topology from hwloc (sockets, cores, PUs, caches), names and frequencies
// from /proc/cpuinfo and cpufreq. A non-"/" root is read through HWLOC_FSROOT.
#include <hwloc.h>

#include <cstdlib>
#include <mutex>
#include <regex>
#include <sstream>

#include "collectors/inventory/cpu_generation.hpp"
#include "collectors/inventory/platform.hpp"
#include "collectors/inventory/text_files.hpp"

namespace itsa::collectors::platform {
namespace {

using nlohmann::json;

std::mutex g_hwloc_env_mutex;  // HWLOC_FSROOT is process-wide

// Fills sockets/cores/PUs/caches from hwloc; false when the topology cannot be loaded.
bool hwloc_topology(const InventoryOptions& o, json& cpu, Notes& notes) {
  std::lock_guard lock(g_hwloc_env_mutex);
  const bool foreign = o.root != "/";
  if (foreign) {
    ::setenv("HWLOC_FSROOT", o.root.c_str(), 1);
    ::setenv("HWLOC_THISSYSTEM", "0", 1);
  }
  hwloc_topology_t topo = nullptr;
  bool ok = hwloc_topology_init(&topo) == 0;
  if (ok) {
    // Only what the inventory reports: packages, cores, PUs, caches. The x86 (CPUID)
    // backend is skipped: in VMs every CPUID traps to the hypervisor, and for a snapshot
    // root it would describe this host instead.
    hwloc_topology_set_components(topo, HWLOC_TOPOLOGY_COMPONENTS_FLAG_BLACKLIST, "x86");
    hwloc_topology_set_all_types_filter(topo, HWLOC_TYPE_FILTER_KEEP_NONE);
    hwloc_topology_set_type_filter(topo, HWLOC_OBJ_PACKAGE, HWLOC_TYPE_FILTER_KEEP_ALL);
    hwloc_topology_set_type_filter(topo, HWLOC_OBJ_CORE, HWLOC_TYPE_FILTER_KEEP_ALL);
    hwloc_topology_set_cache_types_filter(topo, HWLOC_TYPE_FILTER_KEEP_ALL);
  }
  ok = ok && hwloc_topology_load(topo) == 0;
  if (foreign) {
    ::unsetenv("HWLOC_FSROOT");
    ::unsetenv("HWLOC_THISSYSTEM");
  }
  if (!ok) {
    if (topo) hwloc_topology_destroy(topo);
    notes.push_back("cpu: hwloc could not load the topology");
    return false;
  }
  const int sockets = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PACKAGE);
  const int cores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
  const int pus = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
  cpu["sockets"] = sockets > 0 ? json(sockets) : json(nullptr);
  cpu["physical_cores"] = cores > 0 ? json(cores) : json(nullptr);
  cpu["logical_cores"] = pus > 0 ? json(pus) : json(nullptr);
  json caches = json::object();
  const std::pair<hwloc_obj_type_t, const char*> levels[] = {
      {HWLOC_OBJ_L1CACHE, "l1d_bytes"}, {HWLOC_OBJ_L2CACHE, "l2_bytes"}, {HWLOC_OBJ_L3CACHE, "l3_bytes"}};
  for (const auto& [type, key] : levels) {
    hwloc_obj_t c = hwloc_get_obj_by_type(topo, type, 0);
    caches[key] = (c && c->attr) ? json(c->attr->cache.size) : json(nullptr);
  }
  cpu["caches"] = caches;
  hwloc_topology_destroy(topo);
  return true;
}

}  // namespace

json cpu(const InventoryOptions& o, Notes& notes) {
  json cpu = {{"model", nullptr},   {"vendor", nullptr},         {"family", nullptr},        {"model_number", nullptr},
              {"sockets", nullptr}, {"physical_cores", nullptr}, {"logical_cores", nullptr}, {"base_mhz", nullptr},
              {"max_mhz", nullptr}, {"caches", nullptr}};
  hwloc_topology(o, cpu, notes);

  auto info = read_text(under(o.root, "/proc/cpuinfo"));
  if (!info) {
    notes.push_back("cpu.model: /proc/cpuinfo unreadable");
  } else {
    std::istringstream in(*info);
    std::string line;
    while (std::getline(in, line)) {
      const auto colon = line.find(':');
      if (colon == std::string::npos) {
        if (trim_copy(line).empty() && !cpu["model"].is_null()) break;  // first processor block done
        continue;
      }
      const std::string key = trim_copy(line.substr(0, colon));
      const std::string value = trim_copy(line.substr(colon + 1));
      if (key == "model name" && cpu["model"].is_null()) {
        // Collapse runs of spaces ("Intel(R) Core(TM) i7 CPU       M 620").
        cpu["model"] = std::regex_replace(value, std::regex(" {2,}"), " ");
      } else if (key == "vendor_id" && cpu["vendor"].is_null()) {
        cpu["vendor"] = value == "GenuineIntel" ? "Intel" : value == "AuthenticAMD" ? "AMD" : value;
      } else if (key == "cpu family" && cpu["family"].is_null()) {
        try {
          cpu["family"] = std::stoi(value);
        } catch (const std::exception&) {
        }
      } else if (key == "model" && cpu["model_number"].is_null()) {
        try {
          cpu["model_number"] = std::stoi(value);
        } catch (const std::exception&) {
        }
      }
    }
    if (cpu["model"].is_null()) notes.push_back("cpu.model: no \"model name\" in /proc/cpuinfo");
  }

  // Frequencies: cpufreq (kHz) first; else the "@ 2.67GHz" of the model string.
  const auto freq_dir = under(o.root, "/sys/devices/system/cpu/cpu0/cpufreq");
  if (auto base = read_u64(freq_dir / "base_frequency")) cpu["base_mhz"] = *base / 1000;
  if (auto max = read_u64(freq_dir / "cpuinfo_max_freq")) cpu["max_mhz"] = *max / 1000;
  if (cpu["base_mhz"].is_null() && cpu["model"].is_string())
    if (auto mhz = model_string_mhz(cpu["model"].get<std::string>())) cpu["base_mhz"] = *mhz;
  return cpu;
}

}  // namespace itsa::collectors::platform
