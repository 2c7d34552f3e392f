#pragma once
// Turns parsed SMBIOS structures into inventory facts (system, board, chassis, BIOS,
// processors, memory arrays and modules). Placeholder strings become null; anything that
// cannot be read is null with a note.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "collectors/smbios/smbios.hpp"

namespace itsa::collectors::smbios {

/// Trims, makes valid UTF-8 and maps vendor placeholders ("To be filled by O.E.M.",
/// "Default string", "Not Specified", ...) to nullopt.
std::optional<std::string> clean_string(std::string_view raw);

/// True when `value` (trimmed, case-insensitive) is a known placeholder.
bool is_placeholder(std::string_view value);

/// "MM/DD/YYYY" or "MM/DD/YY" (SMBIOS BIOS date) → "YYYY-MM-DD"; nullopt when malformed.
std::optional<std::string> normalize_bios_date(std::string_view raw);

/// Name of a type-17 memory type code ("DDR4"); nullopt for other/unknown codes.
std::optional<std::string> memory_type_name(int code);

/// Name of a type-3 chassis type code ("Notebook"); nullopt for unknown codes.
std::optional<std::string> chassis_type_name(int code);

/// True when a chassis type code is a portable one (laptop, notebook, tablet, ...).
bool chassis_is_portable(int code);

/// Decodes `table` into
/// {"smbios_version", "layout", "system":{manufacturer,product,version,serial,uuid,sku,family,chassis},
///  "baseboard":{manufacturer,product,version,serial}, "bios":{vendor,version,release_date},
///  "chassis":{type,type_code,manufacturer,serial,portable},
///  "processors":[{socket,manufacturer,model,max_mhz,current_mhz,cores,threads,populated}],
///  "memory":{installed_bytes,slots_total,slots_used,modules:[...]}};
/// appends what could not be decoded to `notes`.
nlohmann::json decode(const Table& table, std::vector<std::string>& notes);

}  // namespace itsa::collectors::smbios
