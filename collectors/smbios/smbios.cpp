// Layout detection and the structure walk. Every read is bounds-checked: a table cut at
// any byte or corrupted anywhere gives the reachable structures and a note, never a crash.
#include "collectors/smbios/smbios.hpp"

#include "common/file_bytes.hpp"

#include <cstring>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

namespace itsa::collectors::smbios {
namespace {

constexpr std::size_t k_dump_table_offset = 0x20;  // where dmidecode --dump-bin puts the table
constexpr std::size_t k_max_structures = 65536;    // more than any real table; bounds the walk

std::uint16_t le16(ByteView d, std::size_t off) {
  return static_cast<std::uint16_t>(d[off] | (d[off + 1] << 8));
}
std::uint32_t le32(ByteView d, std::size_t off) {
  return static_cast<std::uint32_t>(le16(d, off)) | (static_cast<std::uint32_t>(le16(d, off + 2)) << 16);
}
std::uint64_t le64(ByteView d, std::size_t off) {
  return static_cast<std::uint64_t>(le32(d, off)) | (static_cast<std::uint64_t>(le32(d, off + 4)) << 32);
}

bool starts_with(ByteView d, const char* magic) {
  const std::size_t n = std::strlen(magic);
  return d.size() >= n && std::memcmp(d.data(), magic, n) == 0;
}

// Fixes versions some old BIOSes report wrongly (the same fix-ups dmidecode applies).
void fix_version(Table& t) {
  if (!t.major || !t.minor) return;
  const int v = (*t.major << 8) | *t.minor;
  if (v == 0x021F || v == 0x0221) {
    t.notes.push_back(fmt::format("SMBIOS version {}.{} fixed up to 2.3", *t.major, *t.minor));
    t.minor = 3;
  } else if (v == 0x0233) {
    t.notes.push_back("SMBIOS version 2.51 fixed up to 2.6");
    t.minor = 6;
  }
}

// What an entry point says about the table.
struct EntryPoint {
  std::size_t length = 0;                      // entry point length in bytes
  std::uint64_t address = 0;                   // table address (0x20 in a dump-bin file)
  std::uint64_t table_size = 0;                // table length (2.x) or maximum size (3.x)
  std::optional<std::size_t> structure_count;  // _SM_ / _DMI_ only (_SM3_ gives none)
};

// Reads an _SM3_, _SM_ or _DMI_ entry point at the start of `d` into `t`'s version.
Result<EntryPoint> read_entry_point(ByteView d, Table& t) {
  EntryPoint ep;
  if (starts_with(d, "_SM3_")) {
    if (d.size() < 0x18) return Error{fmt::format("_SM3_ entry point truncated ({} of 24 bytes)", d.size())};
    ep.length = std::max<std::size_t>(d[6], 0x18);
    t.major = d[7];
    t.minor = d[8];
    t.docrev = d[9];
    ep.table_size = le32(d, 0x0C);
    ep.address = le64(d, 0x10);
  } else if (starts_with(d, "_SM_")) {
    if (d.size() < 0x1E) return Error{fmt::format("_SM_ entry point truncated ({} of 31 bytes)", d.size())};
    ep.length = std::max<std::size_t>(d[5], 0x1E);
    t.major = d[6];
    t.minor = d[7];
    ep.table_size = le16(d, 0x16);
    ep.address = le32(d, 0x18);
    if (d.size() >= 0x1E) ep.structure_count = le16(d, 0x1C);
    fix_version(t);
  } else if (starts_with(d, "_DMI_")) {
    if (d.size() < 0x0F) return Error{fmt::format("_DMI_ entry point truncated ({} of 15 bytes)", d.size())};
    ep.length = 0x0F;
    ep.table_size = le16(d, 0x06);
    ep.address = le32(d, 0x08);
    ep.structure_count = le16(d, 0x0C);
    t.major = d[0x0E] >> 4;
    t.minor = d[0x0E] & 0x0F;
  } else {
    return Error{"no SMBIOS entry point (_SM3_, _SM_ or _DMI_) found"};
  }
  std::uint8_t sum = 0;
  for (std::size_t i = 0; i < std::min(ep.length, d.size()); ++i) sum = static_cast<std::uint8_t>(sum + d[i]);
  if (sum != 0 && !starts_with(d, "_DMI_")) t.notes.push_back("entry point checksum mismatch (ignored)");
  return ep;
}

// The structure count an _SM_ / _DMI_ entry point announces must match the walk (type 127
// included, as dmidecode counts).
void check_structure_count(const EntryPoint& ep, Table& t) {
  if (!ep.structure_count) return;
  const std::size_t walked = t.structures.size() + (t.end_marker ? 1 : 0);
  if (*ep.structure_count != walked)
    t.notes.push_back(
        fmt::format("entry point announces {} structures, the table holds {}", *ep.structure_count, walked));
}

// Walks the structures of a bare table (defined below walk_table, which adds the end-marker check).
void walk_structures(ByteView d, Table& t);

// A Windows RSMB blob: 8-byte RawSMBIOSData header, then `Length` table bytes.
bool looks_like_rsmb(ByteView d) {
  if (d.size() < 8 + 4) return false;
  if (d[0] > 1 || d[1] < 2 || d[1] > 3) return false;
  const std::uint32_t length = le32(d, 4);
  return length >= 4 && d[8 + 1] >= 4;  // the first structure has a plausible length
}

}  // namespace

std::optional<std::uint8_t> Structure::u8(std::size_t offset) const {
  if (offset + 1 > formatted.size()) return std::nullopt;
  return formatted[offset];
}
std::optional<std::uint16_t> Structure::u16(std::size_t offset) const {
  if (offset + 2 > formatted.size()) return std::nullopt;
  return le16(formatted, offset);
}
std::optional<std::uint32_t> Structure::u32(std::size_t offset) const {
  if (offset + 4 > formatted.size()) return std::nullopt;
  return le32(formatted, offset);
}
std::optional<std::uint64_t> Structure::u64(std::size_t offset) const {
  if (offset + 8 > formatted.size()) return std::nullopt;
  return le64(formatted, offset);
}
std::optional<std::string> Structure::str(std::size_t offset) const {
  const auto index = u8(offset);
  if (!index || *index == 0 || *index > strings.size()) return std::nullopt;
  return strings[*index - 1];
}

std::optional<std::string> Table::version_string() const {
  if (!major || !minor) return std::nullopt;
  return fmt::format("{}.{}", *major, *minor);
}

bool Table::at_least(int major_v, int minor_v, bool assume_when_unknown) const {
  if (!major || !minor) return assume_when_unknown;
  return *major > major_v || (*major == major_v && *minor >= minor_v);
}

void walk_table(ByteView d, Table& t) {
  const std::size_t notes_before = t.notes.size();
  walk_structures(d, t);
  if (!t.end_marker && !t.structures.empty() && t.notes.size() == notes_before)
    t.notes.push_back(fmt::format(
        "no end-of-table structure (type 127) after {} structures: the table may be cut short", t.structures.size()));
}

namespace {

void walk_structures(ByteView d, Table& t) {
  std::size_t off = 0;
  while (off < d.size()) {
    if (t.structures.size() >= k_max_structures) {
      t.notes.push_back(fmt::format("stopped after {} structures", k_max_structures));
      return;
    }
    if (off + 4 > d.size()) {
      // Trailing zero padding after the last structure is common; anything else is a cut.
      bool zeros = true;
      for (std::size_t i = off; i < d.size(); ++i) zeros = zeros && d[i] == 0;
      if (!zeros) t.notes.push_back(fmt::format("table truncated at offset {:#x}: incomplete structure header", off));
      return;
    }
    Structure s;
    s.type = d[off];
    s.length = d[off + 1];
    s.handle = le16(d, off + 2);
    if (s.length < 4) {
      t.notes.push_back(
          fmt::format("table broken at offset {:#x}: structure of type {} has invalid length {}; {} structures read, "
                      "the rest is unreachable",
                      off, s.type, s.length, t.structures.size()));
      return;
    }
    if (off + s.length > d.size()) {
      t.notes.push_back(fmt::format("table truncated at offset {:#x}: structure of type {} needs {} bytes, {} left",
                                    off, s.type, s.length, d.size() - off));
      return;
    }
    if (s.length == 0xFF && s.type < 128)
      t.notes.push_back(
          fmt::format("structure of type {} at offset {:#x} has length 255, longer than any standard "
                      "structure: the table is likely damaged from there",
                      s.type, off));
    s.formatted.assign(d.begin() + static_cast<std::ptrdiff_t>(off),
                       d.begin() + static_cast<std::ptrdiff_t>(off + s.length));
    // The string set ends with two NULs (just "\0\0" when there are no strings).
    std::size_t p = off + s.length;
    std::size_t end = p;
    while (end + 1 < d.size() && (d[end] != 0 || d[end + 1] != 0)) ++end;
    if (end + 1 >= d.size()) {
      t.notes.push_back(fmt::format(
          "table truncated at offset {:#x}: string set of structure type {} (handle {:#06x}) has no terminator", p,
          s.type, s.handle));
      if (s.type != 127) t.structures.push_back(std::move(s));
      return;
    }
    // Strings are NUL-separated in [p, end); d[end] is the last string's NUL (or, with no
    // strings, the first of the two terminating NULs).
    std::size_t start = p;
    for (std::size_t i = p; end > p && i <= end; ++i) {
      if (d[i] == 0) {
        s.strings.emplace_back(reinterpret_cast<const char*>(d.data() + start), i - start);
        start = i + 1;
      }
    }
    off = end + 2;
    if (s.type == 127) {
      t.end_marker = true;
      return;
    }
    t.structures.push_back(std::move(s));
  }
}

}  // namespace

Result<Table> parse(ByteView data, ByteView entry_point) {
  Table t;
  if (data.empty()) return Error{"SMBIOS data is empty"};
  ByteView table_bytes;
  EntryPoint announced;
  if (starts_with(data, "_SM3_") || starts_with(data, "_SM_") || starts_with(data, "_DMI_")) {
    auto ep = read_entry_point(data, t);
    if (!ep) return ep.error();
    t.layout = starts_with(data, "_SM3_") ? "dump-bin-sm3" : starts_with(data, "_SM_") ? "dump-bin-sm" : "dmi-legacy";
    std::size_t start =
        ep.value().address < data.size() ? static_cast<std::size_t>(ep.value().address) : k_dump_table_offset;
    if (start != ep.value().address)
      t.notes.push_back(fmt::format("entry point table address {:#x} is outside the file; assuming the table at {:#x}",
                                    ep.value().address, start));
    if (start < ep.value().length) start = std::max<std::size_t>(ep.value().length, k_dump_table_offset);
    if (start >= data.size()) return Error{"SMBIOS entry point found but the file holds no table after it"};
    std::size_t size = data.size() - start;
    if (ep.value().table_size < size) {
      size = static_cast<std::size_t>(ep.value().table_size);
    } else if (ep.value().table_size > size) {
      t.notes.push_back(
          fmt::format("table truncated: entry point announces {} bytes, only {} present", ep.value().table_size, size));
    }
    table_bytes = data.subspan(start, size);
    announced = ep.value();
  } else if (looks_like_rsmb(data)) {
    t.layout = "rsmb";
    t.major = data[1];
    t.minor = data[2];
    t.docrev = data[3];
    const std::size_t length = le32(data, 4);
    std::size_t size = data.size() - 8;
    if (length < size)
      size = length;
    else if (length > size)
      t.notes.push_back(fmt::format("RSMB blob truncated: header announces {} bytes, only {} present", length, size));
    table_bytes = data.subspan(8, size);
  } else {
    table_bytes = data;
    if (!entry_point.empty()) {
      t.layout = "sysfs-pair";
      auto ep = read_entry_point(entry_point, t);
      if (ep) announced = ep.value();
      if (!ep) {
        t.notes.push_back("entry point file unusable: " + ep.error().message);
      } else if (ep.value().table_size < data.size()) {
        table_bytes = data.first(static_cast<std::size_t>(ep.value().table_size));
      } else if (ep.value().table_size > data.size() && starts_with(entry_point, "_SM_")) {
        t.notes.push_back(fmt::format("table truncated: entry point announces {} bytes, only {} present",
                                      ep.value().table_size, data.size()));
      }
    } else {
      t.layout = "raw";
      t.notes.push_back("SMBIOS version unknown: raw table without entry point");
    }
  }
  walk_table(table_bytes, t);
  check_structure_count(announced, t);
  if (t.structures.empty() && !t.end_marker && !t.notes.empty())
    return Error{"no SMBIOS structure could be read: " + t.notes.back()};
  if (t.structures.empty() && !t.end_marker) return Error{"no SMBIOS structure found"};
  return t;
}

Result<Bytes> read_file_bytes(const std::filesystem::path& path) {
  return itsa::read_file_bytes(path);
}

Result<Table> load_file(const std::filesystem::path& path) {
  auto data = read_file_bytes(path);
  if (!data) return data.error();
  Bytes entry_point;
  std::filesystem::path beside = path;
  beside += ".smbios_entry_point";
  std::filesystem::path with_stem = path;
  with_stem.replace_extension(".smbios_entry_point");
  std::error_code ec;
  for (const auto& candidate : {beside, with_stem}) {
    if (candidate != path && std::filesystem::is_regular_file(candidate, ec)) {
      auto ep = read_file_bytes(candidate);
      if (ep) entry_point = std::move(ep.value());
      break;
    }
  }
  auto table = parse(data.value(), entry_point);
  if (!table) return Error{fmt::format("{}: {}", path.string(), table.error().message)};
  return table;
}

}  // namespace itsa::collectors::smbios
