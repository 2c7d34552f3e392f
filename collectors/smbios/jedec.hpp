#pragma once
// JEDEC JEP106 manufacturer codes of memory modules, as SMBIOS type 17 carries them: the
// "Manufacturer" string often holds the SPD's raw code ("859B", "80AD000080AD",
// "JEDEC ID:80 AD", "7F7F9E0000000000") instead of a name, and SMBIOS 3.2+ adds the
// two-byte Module Manufacturer ID. Only the common DRAM module makers are named.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace itsa::collectors::smbios {

/// A JEP106 identity: bank 1.. (continuation codes + 1) and the code byte (parity bit kept).
struct JedecId {
  int bank = 0;
  std::uint8_t code = 0;
};

/// Reads a raw JEDEC code string; nullopt when `raw` is not one (a name such as "Kingston").
std::optional<JedecId> parse_jedec_code(std::string_view raw);

/// The SMBIOS 3.2 Module Manufacturer ID word (low byte: continuation count with parity,
/// high byte: code); nullopt when 0 (unknown).
std::optional<JedecId> jedec_from_word(std::uint16_t word);

/// The maker's name ("Crucial Technology"); nullopt when not in the table.
std::optional<std::string> jedec_name(JedecId id);

/// The module manufacturer to report for a cleaned type-17 string: the maker's name when the
/// string is a known code, the string itself otherwise (unknown codes stay raw); nullopt
/// when the string is a code with nothing in it ("JEDEC ID:").
std::optional<std::string> module_manufacturer(std::string_view cleaned);

}  // namespace itsa::collectors::smbios
