// cpu section from SMBIOS type 4: the first socket names the model; counts add up over sockets.
#include "collectors/inventory/cpu_smbios.hpp"

#include <utility>

#include "collectors/inventory/cpu_generation.hpp"

namespace itsa::collectors {

using nlohmann::json;

json cpu_from_smbios(const json& all_processors, std::vector<std::string>& notes) {
  // Sockets the BIOS disabled (a VM's 126 spare vCPU sockets) are not part of the machine.
  json processors = json::array();
  if (all_processors.is_array())
    for (const auto& p : all_processors)
      if (p.value("enabled", json(nullptr)) != false) processors.push_back(p);
  json cpu = {{"model", nullptr},   {"vendor", nullptr},         {"family", nullptr},        {"model_number", nullptr},
              {"sockets", nullptr}, {"physical_cores", nullptr}, {"logical_cores", nullptr}, {"base_mhz", nullptr},
              {"max_mhz", nullptr}, {"caches", nullptr}};
  if (processors.empty()) {
    notes.push_back("cpu: the SMBIOS file has no populated, enabled processor (type 4)");
    return cpu;
  }
  const json& first = processors[0];
  cpu["model"] = first.value("model", json(nullptr));
  cpu["vendor"] = first.value("vendor", json(nullptr));
  cpu["family"] = first.value("cpuid_family", json(nullptr));
  cpu["model_number"] = first.value("cpuid_model", json(nullptr));
  cpu["max_mhz"] = first.value("max_mhz", json(nullptr));
  // Base clock: the "@ 3.60GHz" of the model string (as on the host), else the current speed.
  const auto nominal = cpu["model"].is_string() ? model_string_mhz(cpu["model"].get<std::string>()) : std::nullopt;
  cpu["base_mhz"] = nominal ? json(*nominal) : first.value("current_mhz", json(nullptr));
  cpu["sockets"] = processors.size();
  // Cores and threads: the sum over sockets, unknown when any socket does not say.
  for (const auto& [field, key] : {std::pair{"cores", "physical_cores"}, std::pair{"threads", "logical_cores"}}) {
    unsigned sum = 0;
    bool known = true;
    for (const auto& p : processors) {
      if (p.contains(field) && p[field].is_number_unsigned())
        sum += p[field].get<unsigned>();
      else
        known = false;
    }
    if (known)
      cpu[key] = sum;
    else
      notes.push_back(std::string("cpu.") + key + ": not in every SMBIOS processor structure (type 4)");
  }
  notes.push_back("cpu: from the SMBIOS file's processor structure (type 4), not from this host; caches unknown");
  return cpu;
}

}  // namespace itsa::collectors
