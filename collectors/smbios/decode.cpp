// SMBIOS structure decoding (DMTF DSP0134): types 0, 1, 2, 3, 4, 16 and 17.
#include "collectors/smbios/decode.hpp"
#include "collectors/smbios/default_uuid.hpp"
#include "collectors/smbios/jedec.hpp"
#include "protocol/payloads.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

#include <fmt/format.h>

namespace mk = itsa::protocol::memory_key;

namespace itsa::collectors::smbios {
namespace {

using nlohmann::json;

constexpr std::uint8_t k_type_bios = 0;
constexpr std::uint8_t k_type_system = 1;
constexpr std::uint8_t k_type_baseboard = 2;
constexpr std::uint8_t k_type_chassis = 3;
constexpr std::uint8_t k_type_processor = 4;
constexpr std::uint8_t k_type_memory_array = 16;
constexpr std::uint8_t k_type_memory_device = 17;
constexpr std::uint8_t k_array_use_system = 0x03;
// A module larger than this is a damaged field, not memory (the largest DIMMs sold hold 256 GiB).
constexpr std::uint64_t k_max_module_mib = std::uint64_t{2} << 20;  // 2 TiB

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Replaces control characters and invalid UTF-8 with U+FFFD or space.
std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += (c < 0x20 || c == 0x7F) ? ' ' : static_cast<char>(c);
      ++i;
      continue;
    }
    std::size_t n = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool valid = n != 0 && i + n <= s.size();
    for (std::size_t k = 1; valid && k < n; ++k) valid = (static_cast<unsigned char>(s[i + k]) >> 6) == 0x2;
    if (valid) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

json opt(const std::optional<std::string>& v) {
  return v ? json(*v) : json(nullptr);
}

template <class T>
json opt_num(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

// A string field of a structure, cleaned.
json string_field(const Structure& s, std::size_t offset) {
  auto raw = s.str(offset);
  if (!raw) return nullptr;
  return opt(clean_string(*raw));
}

// The type-1 UUID: RFC 4122 text, lower case. SMBIOS 2.6+ stores the first three fields
// little-endian. All-zero / all-FF means "not present" / "not settable".
std::optional<std::string> decode_uuid(const Structure& s, const Table& t) {
  if (s.formatted.size() < 0x18) return std::nullopt;
  std::array<std::uint8_t, 16> b{};
  std::copy_n(s.formatted.begin() + 8, 16, b.begin());
  if (std::all_of(b.begin(), b.end(), [](auto x) { return x == 0x00; })) return std::nullopt;
  if (std::all_of(b.begin(), b.end(), [](auto x) { return x == 0xFF; })) return std::nullopt;
  if (t.at_least(2, 6)) {
    std::swap(b[0], b[3]);
    std::swap(b[1], b[2]);
    std::swap(b[4], b[5]);
    std::swap(b[6], b[7]);
  }
  return fmt::format(
      "{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}", b[0],
      b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

// Type-17 size in bytes (DSP0134 7.18.5: the Size word, or the Extended Size dword when the
// word is 0x7FFF); nullopt when empty or unknown, with a note when the value is unusable.
std::optional<std::uint64_t> module_size_bytes(const Structure& s, std::vector<std::string>& notes) {
  const auto size = s.u16(0x0C);
  if (!size || *size == 0 || *size == 0xFFFF) return std::nullopt;
  if (*size == 0x7FFF) {
    const auto ext = s.u32(0x1C);
    if (!ext) {
      notes.push_back(fmt::format(
          "memory.modules: device handle {:#06x} gives size 0x7FFF (see Extended Size) but its structure ({} bytes) "
          "has no Extended Size field; size unknown",
          s.handle, s.length));
      return std::nullopt;
    }
    const std::uint64_t mib = *ext & 0x7FFFFFFFu;  // bit 31 is reserved
    if (mib == 0 || mib > k_max_module_mib) {
      notes.push_back(
          fmt::format("memory.modules: device handle {:#06x} gives Extended Size {:#x} MB, not a "
                      "plausible module size (0 or above 2 TiB); the module is not counted",
                      s.handle, *ext));
      return std::nullopt;
    }
    return mib << 20;
  }
  if (*size & 0x8000) return static_cast<std::uint64_t>(*size & 0x7FFF) << 10;
  return static_cast<std::uint64_t>(*size) << 20;
}

// Type-16 Maximum Capacity in bytes (DSP0134 7.17: a KB dword, or the Extended Maximum
// Capacity qword in bytes when the dword is 0x80000000); nullopt when unknown.
std::optional<std::uint64_t> array_max_capacity_bytes(const Structure& a, std::vector<std::string>& notes) {
  const auto kb = a.u32(0x07);
  if (!kb) return std::nullopt;
  if (*kb == 0x80000000u) {
    const auto ext = a.u64(0x0F);
    if (!ext || *ext == 0) {
      notes.push_back(
          fmt::format("memory.max_capacity_bytes: array handle {:#06x} points to the Extended Maximum "
                      "Capacity (SMBIOS 2.7+), which it does not give",
                      a.handle));
      return std::nullopt;
    }
    return *ext;
  }
  return static_cast<std::uint64_t>(*kb) << 10;
}

// A speed word with its extended dword (used when the word is 0xFFFF); nullopt when unknown.
std::optional<std::uint32_t> speed_mts(const Structure& s, std::size_t word_off, std::size_t ext_off) {
  const auto w = s.u16(word_off);
  if (!w || *w == 0) return std::nullopt;
  if (*w == 0xFFFF) {
    const auto e = s.u32(ext_off);
    if (!e || *e == 0) return std::nullopt;
    return *e & 0x7FFFFFFFu;
  }
  return *w;
}

// Offsets of the string references of the structure types decoded here (DSP0134).
std::vector<std::size_t> string_offsets(std::uint8_t type) {
  switch (type) {
    case k_type_bios:
      return {0x04, 0x05, 0x08};
    case k_type_system:
      return {0x04, 0x05, 0x06, 0x07, 0x19, 0x1A};
    case k_type_baseboard:
      return {0x04, 0x05, 0x06, 0x07, 0x08, 0x0A};
    case k_type_chassis:
      return {0x04, 0x06, 0x07, 0x08};
    case k_type_processor:
      return {0x04, 0x07, 0x10, 0x20, 0x21, 0x22};
    case k_type_memory_device:
      return {0x10, 0x11, 0x17, 0x18, 0x19, 0x1A, 0x2B};
    default:
      return {};
  }
}

// A string reference past the end of the structure's string set is damage (dmidecode prints
// "<BAD INDEX>"); the field reads as null, and the note says where.
void note_bad_string_indexes(const Structure& s, std::vector<std::string>& notes) {
  for (const std::size_t off : string_offsets(s.type)) {
    const auto index = s.u8(off);
    if (index && *index > s.strings.size())
      notes.push_back(
          fmt::format("smbios: type {} (handle {:#06x}) refers to string {} at offset {:#04x}, past the "
                      "end of its {} string(s); that field is null",
                      s.type, s.handle, *index, off, s.strings.size()));
  }
}

bool is_rom_type(int code) {
  return code >= 0x08 && code <= 0x0C;
}  // ROM, Flash, EEPROM, FEPROM, EPROM

// Type-17 manufacturer: the string, a JEDEC code in it decoded to the maker's name; else the
// SMBIOS 3.2 Module Manufacturer ID word.
json module_manufacturer_field(const Structure& d) {
  if (auto raw = d.str(0x17))
    if (auto cleaned = clean_string(*raw)) return opt(module_manufacturer(*cleaned));
  if (auto word = d.u16(0x2C))
    if (auto id = jedec_from_word(*word)) {
      if (auto name = jedec_name(*id)) return *name;
      return fmt::format("Bank {}, Hex {:#04x}", id->bank, id->code);
    }
  return nullptr;
}

json decode_processor(const Structure& s) {
  json p;
  p["socket"] = string_field(s, 0x04);
  p["manufacturer"] = string_field(s, 0x07);
  p["model"] = string_field(s, 0x10);
  const auto max_speed = s.u16(0x14);
  const auto cur_speed = s.u16(0x16);
  p["max_mhz"] = (max_speed && *max_speed) ? json(*max_speed) : json(nullptr);
  p["current_mhz"] = (cur_speed && *cur_speed) ? json(*cur_speed) : json(nullptr);
  const auto status = s.u8(0x18);
  p["populated"] = status ? json((*status & 0x40) != 0) : json(nullptr);
  // CPU status (bits 2:0): 1 enabled, 2 disabled by user, 3 disabled by BIOS, 4 idle; 0 unknown.
  p["enabled"] = status && (*status & 0x07) != 0 ? json((*status & 0x07) == 1 || (*status & 0x07) == 4) : json(nullptr);
  std::optional<unsigned> cores;
  std::optional<unsigned> threads;
  if (auto c = s.u8(0x23); c && *c) cores = *c;
  if (auto c2 = s.u16(0x2A); cores && *cores == 0xFF && c2 && *c2) cores = *c2;
  if (auto th = s.u8(0x25); th && *th) threads = *th;
  if (auto t2 = s.u16(0x2E); threads && *threads == 0xFF && t2 && *t2) threads = *t2;
  p["cores"] = opt_num(cores);
  p["threads"] = opt_num(threads);
  // x86 only: the Processor ID's first dword is CPUID leaf 1 EAX (family, model).
  p["vendor"] = nullptr;
  p["cpuid_family"] = nullptr;
  p["cpuid_model"] = nullptr;
  if (p["manufacturer"].is_string()) {
    const std::string m = lower(p["manufacturer"].get<std::string>());
    if (m.find("intel") != std::string::npos)
      p["vendor"] = "Intel";
    else if (m.find("amd") != std::string::npos || m.find("advanced micro") != std::string::npos)
      p["vendor"] = "AMD";
  }
  if (const auto eax = s.u32(0x08); eax && *eax != 0 && p["vendor"].is_string()) {
    const unsigned base_family = (*eax >> 8) & 0xF;
    const unsigned family = base_family == 0xF ? base_family + ((*eax >> 20) & 0xFF) : base_family;
    unsigned model = (*eax >> 4) & 0xF;
    if (base_family == 0x6 || base_family == 0xF) model |= ((*eax >> 16) & 0xF) << 4;
    p["cpuid_family"] = family;
    p["cpuid_model"] = model;
  }
  return p;
}

}  // namespace

bool is_placeholder(std::string_view value) {
  static constexpr std::string_view k_placeholders[] = {"to be filled by o.e.m.",
                                                        "to be filled by o.e.m",
                                                        "to be filled by oem",
                                                        "default string",
                                                        "default_string",
                                                        "not specified",
                                                        "not defined",
                                                        "not provided",
                                                        "not applicable",
                                                        "not available",
                                                        "not present",
                                                        "none",
                                                        "n/a",
                                                        "na",
                                                        "unknown",
                                                        "oem",
                                                        "o.e.m.",
                                                        "system product name",
                                                        "system manufacturer",
                                                        "system version",
                                                        "system serial number",
                                                        "system sku",
                                                        "system name",
                                                        "sku number",
                                                        "base board manufacturer",
                                                        "base board serial number",
                                                        "base board product name",
                                                        "base board version",
                                                        "chassis manufacturer",
                                                        "chassis serial number",
                                                        "chassis manufacture",
                                                        "chassis version",
                                                        "0123456789",
                                                        "123456789",
                                                        "1234567890",
                                                        "invalid",
                                                        "empty",
                                                        "default",
                                                        "undefined",
                                                        "sku",
                                                        "asset-1234567890",
                                                        "no asset tag",
                                                        "no asset information"};
  const std::string v = lower(trim(value));
  if (v.empty()) return true;
  if (std::find(std::begin(k_placeholders), std::end(k_placeholders), v) != std::end(k_placeholders)) return true;
  // AMI's template strings, left in by board makers: "Type1Family", "Type1ProductConfigId",
  // "Type2 - Board Vendor Name1", "Type2 - Board Version", ...
  if (v.size() > 5 && v.compare(0, 4, "type") == 0 && std::isdigit(static_cast<unsigned char>(v[4]))) return true;
  // Serials such as "0000000000", "XXXXXXXX", "FFFFFFFF", "........".
  const char first = v.front();
  if ((first == '0' || first == 'x' || first == 'f' || first == '.' || first == '-' || first == '*') && v.size() >= 3 &&
      std::all_of(v.begin(), v.end(), [first](char c) { return c == first; }))
    return true;
  return false;
}

std::optional<std::string> clean_string(std::string_view raw) {
  std::string s = sanitize_utf8(raw);
  const std::string_view t = trim(s);
  if (is_placeholder(t)) return std::nullopt;
  return std::string(t);
}

std::optional<std::string> normalize_bios_date(std::string_view raw) {
  const std::string_view s = trim(raw);
  unsigned m = 0;
  unsigned d = 0;
  unsigned y = 0;
  std::size_t i = 0;
  auto number = [&](unsigned& out, std::size_t max_digits) {
    std::size_t n = 0;
    out = 0;
    while (i < s.size() && n < max_digits && std::isdigit(static_cast<unsigned char>(s[i]))) {
      out = out * 10 + static_cast<unsigned>(s[i] - '0');
      ++i;
      ++n;
    }
    return n;
  };
  if (number(m, 2) == 0 || i >= s.size() || s[i++] != '/') return std::nullopt;
  if (number(d, 2) == 0 || i >= s.size() || s[i++] != '/') return std::nullopt;
  const std::size_t yd = number(y, 4);
  if (i != s.size() || (yd != 2 && yd != 4)) return std::nullopt;
  if (yd == 2) y += y >= 70 ? 1900 : 2000;
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1980 || y > 2100) return std::nullopt;
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

std::optional<std::string> memory_type_name(int code) {
  static const std::map<int, std::string> k_names = {{0x03, "DRAM"},   {0x04, "EDRAM"},
                                                     {0x05, "VRAM"},   {0x06, "SRAM"},
                                                     {0x07, "RAM"},    {0x08, "ROM"},
                                                     {0x09, "Flash"},  {0x0A, "EEPROM"},
                                                     {0x0B, "FEPROM"}, {0x0C, "EPROM"},
                                                     {0x0D, "CDRAM"},  {0x0E, "3DRAM"},
                                                     {0x0F, "SDRAM"},  {0x10, "SGRAM"},
                                                     {0x11, "RDRAM"},  {0x12, "DDR"},
                                                     {0x13, "DDR2"},   {0x14, "DDR2 FB-DIMM"},
                                                     {0x18, "DDR3"},   {0x19, "FBD2"},
                                                     {0x1A, "DDR4"},   {0x1B, "LPDDR"},
                                                     {0x1C, "LPDDR2"}, {0x1D, "LPDDR3"},
                                                     {0x1E, "LPDDR4"}, {0x1F, "Logical non-volatile device"},
                                                     {0x20, "HBM"},    {0x21, "HBM2"},
                                                     {0x22, "DDR5"},   {0x23, "LPDDR5"},
                                                     {0x24, "HBM3"}};
  auto it = k_names.find(code);
  if (it == k_names.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> chassis_type_name(int code) {
  static const std::array<const char*, 0x25> k_names = {nullptr,
                                                        "Other",
                                                        nullptr,
                                                        "Desktop",
                                                        "Low Profile Desktop",
                                                        "Pizza Box",
                                                        "Mini Tower",
                                                        "Tower",
                                                        "Portable",
                                                        "Laptop",
                                                        "Notebook",
                                                        "Hand Held",
                                                        "Docking Station",
                                                        "All In One",
                                                        "Sub Notebook",
                                                        "Space-saving",
                                                        "Lunch Box",
                                                        "Main Server Chassis",
                                                        "Expansion Chassis",
                                                        "Sub Chassis",
                                                        "Bus Expansion Chassis",
                                                        "Peripheral Chassis",
                                                        "RAID Chassis",
                                                        "Rack Mount Chassis",
                                                        "Sealed-case PC",
                                                        "Multi-system",
                                                        "CompactPCI",
                                                        "AdvancedTCA",
                                                        "Blade",
                                                        "Blade Enclosure",
                                                        "Tablet",
                                                        "Convertible",
                                                        "Detachable",
                                                        "IoT Gateway",
                                                        "Embedded PC",
                                                        "Mini PC",
                                                        "Stick PC"};
  if (code < 0 || code >= static_cast<int>(k_names.size()) || k_names[static_cast<std::size_t>(code)] == nullptr)
    return std::nullopt;
  return std::string(k_names[static_cast<std::size_t>(code)]);
}

bool chassis_is_portable(int code) {
  switch (code) {
    case 0x08:
    case 0x09:
    case 0x0A:
    case 0x0B:
    case 0x0E:
    case 0x1E:
    case 0x1F:
    case 0x20:
      return true;
    default:
      return false;
  }
}

json decode(const Table& table, std::vector<std::string>& notes) {
  json out;
  out["smbios_version"] = opt(table.version_string());
  out["layout"] = table.layout;
  for (const auto& n : table.notes) notes.push_back("smbios: " + n);

  const Structure* bios = nullptr;
  const Structure* system = nullptr;
  const Structure* board = nullptr;
  const Structure* chassis = nullptr;
  std::vector<const Structure*> processors;
  std::vector<const Structure*> arrays;
  std::vector<const Structure*> devices;
  for (const auto& s : table.structures) {
    note_bad_string_indexes(s, notes);
    switch (s.type) {
      case k_type_bios:
        if (!bios) bios = &s;
        break;
      case k_type_system:
        if (!system) system = &s;
        break;
      case k_type_baseboard:
        if (!board) board = &s;
        break;
      case k_type_chassis:
        if (!chassis) chassis = &s;
        break;
      case k_type_processor:
        processors.push_back(&s);
        break;
      case k_type_memory_array:
        arrays.push_back(&s);
        break;
      case k_type_memory_device:
        devices.push_back(&s);
        break;
      default:
        break;
    }
  }

  json b = {{"vendor", nullptr}, {"version", nullptr}, {"release_date", nullptr}};
  if (bios) {
    b["vendor"] = string_field(*bios, 0x04);
    b["version"] = string_field(*bios, 0x05);
    if (auto raw = bios->str(0x08)) {
      if (auto date = normalize_bios_date(*raw))
        b["release_date"] = *date;
      else
        notes.push_back(fmt::format("bios.release_date: unrecognised SMBIOS date \"{}\"", sanitize_utf8(*raw)));
    } else {
      notes.push_back("bios.release_date: not in the SMBIOS BIOS structure");
    }
  } else {
    notes.push_back("bios: no SMBIOS type-0 (BIOS) structure");
  }
  out["bios"] = b;

  json sys = {{"manufacturer", nullptr}, {"product", nullptr}, {"version", nullptr}, {"serial", nullptr},
              {"uuid", nullptr},         {"sku", nullptr},     {"family", nullptr},  {"chassis", nullptr}};
  if (system) {
    sys["manufacturer"] = string_field(*system, 0x04);
    sys["product"] = string_field(*system, 0x05);
    sys["version"] = string_field(*system, 0x06);
    sys["serial"] = string_field(*system, 0x07);
    const auto uuid = decode_uuid(*system, table);
    if (uuid && is_default_uuid(*uuid))
      notes.push_back("system.uuid: " + *uuid +
                      " is a firmware vendor's default UUID, the same on many machines; not reported (and not used "
                      "as the machine key)");
    else
      sys["uuid"] = opt(uuid);
    sys["sku"] = string_field(*system, 0x19);
    sys["family"] = string_field(*system, 0x1A);
  } else {
    notes.push_back("system: no SMBIOS type-1 (system) structure");
  }

  json board_j = {{"manufacturer", nullptr}, {"product", nullptr}, {"version", nullptr}, {"serial", nullptr}};
  if (board) {
    board_j["manufacturer"] = string_field(*board, 0x04);
    board_j["product"] = string_field(*board, 0x05);
    board_j["version"] = string_field(*board, 0x06);
    board_j["serial"] = string_field(*board, 0x07);
  }
  out["baseboard"] = board_j;

  json ch = {
      {"type", nullptr}, {"type_code", nullptr}, {"manufacturer", nullptr}, {"serial", nullptr}, {"portable", nullptr}};
  if (chassis) {
    if (auto code = chassis->u8(0x05)) {
      const int c = *code & 0x7F;
      ch["type_code"] = c;
      ch["type"] = opt(chassis_type_name(c));
      ch["portable"] = chassis_is_portable(c);
    }
    ch["manufacturer"] = string_field(*chassis, 0x04);
    ch["serial"] = string_field(*chassis, 0x07);
  }
  sys["chassis"] = ch["type"];
  if (ch["type"].is_null()) notes.push_back("system.chassis: no usable SMBIOS chassis type");
  out["system"] = sys;
  out["chassis"] = ch;

  json procs = json::array();
  for (const auto* p : processors) {
    json pj = decode_processor(*p);
    if (pj["populated"] == false) continue;
    procs.push_back(std::move(pj));
  }
  out["processors"] = procs;

  // Memory: only arrays whose use is system memory count (not system ROM, video, flash).
  std::map<std::uint16_t, bool> array_is_system;
  std::optional<std::uint64_t> slots_total;
  std::uint64_t max_capacity = 0;  // sum over system-memory arrays; known only when each gives it
  bool capacity_known = false;
  bool capacity_unknown = false;
  for (const auto* a : arrays) {
    const auto use = a->u8(0x05);
    const bool system_use = use && *use == k_array_use_system;
    array_is_system[a->handle] = system_use;
    if (system_use) {
      if (auto n = a->u16(0x0D)) slots_total = slots_total.value_or(0) + *n;
      if (auto cap = array_max_capacity_bytes(*a, notes)) {
        max_capacity += *cap;
        capacity_known = true;
      } else {
        capacity_unknown = true;
      }
    }
  }
  capacity_known = capacity_known && !capacity_unknown;
  json modules = json::array();
  std::uint64_t installed = 0;
  std::uint64_t devices_in_system = 0;
  for (const auto* d : devices) {
    const auto array_handle = d->u16(0x04);
    const auto type_code = d->u8(0x12).value_or(0x02);
    bool counts = !is_rom_type(type_code);
    if (array_handle) {
      auto it = array_is_system.find(*array_handle);
      if (it != array_is_system.end()) counts = it->second;
    }
    if (!counts) continue;
    ++devices_in_system;
    const auto size = module_size_bytes(*d, notes);
    if (!size) continue;
    json m;
    m[mk::size_bytes] = *size;
    m[mk::type] = opt(memory_type_name(type_code));
    auto configured = d->u16(0x20) ? speed_mts(*d, 0x20, 0x58) : std::nullopt;
    auto rated = speed_mts(*d, 0x15, 0x54);
    m[mk::speed_mts] = opt_num(configured ? configured : rated);
    m[mk::rated_speed_mts] = opt_num(rated);
    m[mk::locator] = string_field(*d, 0x10);
    m[mk::bank] = string_field(*d, 0x11);
    m[mk::manufacturer] = module_manufacturer_field(*d);
    m[mk::part_number] = string_field(*d, 0x1A);
    m[mk::serial] = string_field(*d, 0x18);
    installed += *size;
    modules.push_back(std::move(m));
  }
  if (!slots_total && devices_in_system > 0) slots_total = devices_in_system;
  json mem;
  mem[mk::installed_bytes] = modules.empty() ? json(nullptr) : json(installed);
  mem[mk::slots_total] = opt_num(slots_total);
  mem[mk::slots_used] = modules.size();
  mem[mk::max_capacity_bytes] = capacity_known ? json(max_capacity) : json(nullptr);
  mem[mk::modules] = modules;
  if (modules.empty()) notes.push_back("memory.installed_bytes: no populated SMBIOS memory device (type 17)");
  if (!slots_total) notes.push_back("memory.slots_total: no SMBIOS system-memory array (type 16)");
  if (!capacity_known) notes.push_back("memory.max_capacity_bytes: no SMBIOS system-memory array (type 16) gives it");
  out[mk::memory] = mem;
  return out;
}

}  // namespace itsa::collectors::smbios
