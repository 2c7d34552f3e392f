#pragma once
// The inventory's cpu section from a saved SMBIOS table's type-4 structures (used with
// --smbios-file: the table's CPU is judged, not the host's).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace itsa::collectors {

/// cpu{model,vendor,family,model_number,sockets,physical_cores,logical_cores,base_mhz,max_mhz,caches}
/// from smbios::decode()'s "processors" (populated sockets, not disabled ones); what a type 4 cannot give
/// (caches) is null with a note.
nlohmann::json cpu_from_smbios(const nlohmann::json& processors, std::vector<std::string>& notes);

}  // namespace itsa::collectors
