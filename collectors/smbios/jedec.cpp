// JEP106 codes of the common DRAM module makers (JEDEC JEP106, bank = continuation codes + 1;
// codes with their odd-parity bit, as SPDs and SMBIOS tables carry them).
#include "collectors/smbios/jedec.hpp"

#include <array>
#include <cctype>

namespace itsa::collectors::smbios {
namespace {

struct Maker {
  int bank;
  std::uint8_t code;
  const char* name;
};

constexpr std::array<Maker, 20> k_makers = {{
    {1, 0x2C, "Micron Technology"},
    {1, 0xAD, "SK hynix"},
    {1, 0xC1, "Infineon"},
    {1, 0xCE, "Samsung"},
    {2, 0x4F, "Transcend"},
    {2, 0x7A, "Apacer Technology"},
    {2, 0x94, "Smart Modular"},
    {2, 0x98, "Kingston"},
    {2, 0xBA, "PNY"},
    {3, 0x9E, "Corsair"},
    {3, 0xFE, "Elpida"},
    {4, 0x0B, "Nanya Technology"},
    {4, 0x25, "Kingmax"},
    {5, 0x43, "Ramaxel Technology"},
    {5, 0xCB, "A-DATA Technology"},
    {5, 0xCD, "G.Skill"},
    {5, 0xEF, "Team Group"},
    {6, 0x02, "Patriot Memory"},
    {6, 0x51, "Qimonda"},
    {6, 0x9B, "Crucial Technology"},
}};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "JEDEC ID:80 AD" (HP) → "80 AD"; other strings unchanged.
std::string_view strip_jedec_prefix(std::string_view s) {
  constexpr std::string_view k_prefix = "JEDEC ID:";
  if (s.size() < k_prefix.size()) return s;
  for (std::size_t i = 0; i < k_prefix.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(s[i])) != k_prefix[i]) return s;
  s.remove_prefix(k_prefix.size());
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

}  // namespace

std::optional<JedecId> parse_jedec_code(std::string_view raw) {
  std::string_view s = strip_jedec_prefix(raw);
  if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2);
  std::string digits;  // the hex digits, spaces dropped
  for (char c : s) {
    if (c == ' ') continue;
    if (hex_digit(c) < 0) return std::nullopt;
    digits += c;
  }
  if (digits.size() < 4 || digits.size() % 2 != 0 || digits.size() > 16) return std::nullopt;
  auto byte_at = [&](std::size_t i) {
    return static_cast<std::uint8_t>(hex_digit(digits[2 * i]) * 16 + hex_digit(digits[2 * i + 1]));
  };
  const std::size_t n = digits.size() / 2;
  bool rest_zero = true;
  for (std::size_t i = 1; i < n; ++i) rest_zero = rest_zero && byte_at(i) == 0;
  JedecId id;
  if (byte_at(0) == 0x7F || rest_zero) {
    // DDR2-era form: one 0x7F per continuation code, then the code ("7F7F9E00…", "CE000000…").
    std::size_t i = 0;
    while (i < n && byte_at(i) == 0x7F) ++i;
    if (i == n) return std::nullopt;
    id.bank = static_cast<int>(i) + 1;
    id.code = byte_at(i);
  } else {
    // DDR3+ form (repeated by some vendors): continuation count with parity, then the code.
    id.bank = (byte_at(0) & 0x7F) + 1;
    id.code = byte_at(1);
  }
  if ((id.code & 0x7F) == 0 || (id.code & 0x7F) == 0x7F) return std::nullopt;
  return id;
}

std::optional<JedecId> jedec_from_word(std::uint16_t word) {
  if (word == 0) return std::nullopt;
  JedecId id;
  id.bank = (word & 0x7F) + 1;
  id.code = static_cast<std::uint8_t>(word >> 8);
  return id;
}

std::optional<std::string> jedec_name(JedecId id) {
  for (const auto& m : k_makers)
    if (m.bank == id.bank && (m.code & 0x7F) == (id.code & 0x7F)) return std::string(m.name);
  return std::nullopt;
}

std::optional<std::string> module_manufacturer(std::string_view cleaned) {
  if (strip_jedec_prefix(cleaned).empty()) return std::nullopt;  // "JEDEC ID:" and nothing else
  if (auto id = parse_jedec_code(cleaned))
    if (auto name = jedec_name(*id)) return name;
  return std::string(cleaned);
}

}  // namespace itsa::collectors::smbios
