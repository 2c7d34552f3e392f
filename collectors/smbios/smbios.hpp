#pragma once
// Portable SMBIOS/DMI table parser: turns bytes (dmidecode --dump-bin file, raw sysfs DMI
// table with an optional entry point, or a Windows RSMB blob) into structures. It never
// reads the OS itself; the inventory's platform readers (inventory/system_linux.cpp,
// inventory/system_windows.cpp) fetch the bytes. Broken or truncated tables yield what is reachable plus notes.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace itsa::collectors::smbios {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

/// One SMBIOS structure: its formatted area (header included) and its string set.
struct Structure {
  std::uint8_t type = 0;             ///< structure type (0 BIOS, 1 system, ...)
  std::uint8_t length = 0;           ///< formatted area length, header included
  std::uint16_t handle = 0;          ///< structure handle
  Bytes formatted;                   ///< the formatted area (`length` bytes)
  std::vector<std::string> strings;  ///< string set; string N is strings[N-1]

  /// Byte at `offset` of the formatted area, or nullopt past its end.
  std::optional<std::uint8_t> u8(std::size_t offset) const;
  /// Little-endian 16-bit word at `offset`, or nullopt past the end.
  std::optional<std::uint16_t> u16(std::size_t offset) const;
  /// Little-endian 32-bit dword at `offset`, or nullopt past the end.
  std::optional<std::uint32_t> u32(std::size_t offset) const;
  /// Little-endian 64-bit qword at `offset`, or nullopt past the end.
  std::optional<std::uint64_t> u64(std::size_t offset) const;
  /// The string referenced by the byte at `offset` (raw, untrimmed); nullopt when the
  /// index is 0, out of range or past the formatted area.
  std::optional<std::string> str(std::size_t offset) const;
};

/// A parsed table: the layout it came in, the version when known, and its structures.
struct Table {
  std::string layout;                 ///< "dump-bin-sm", "dump-bin-sm3", "sysfs-pair", "raw", "rsmb", "dmi-legacy"
  std::optional<int> major;           ///< SMBIOS major version (nullopt when unknown)
  std::optional<int> minor;           ///< SMBIOS minor version
  std::optional<int> docrev;          ///< SMBIOS docrev (3.x only)
  std::vector<Structure> structures;  ///< every reachable structure, type 127 excluded
  bool end_marker = false;            ///< a type-127 end-of-table structure was found
  std::vector<std::string> notes;     ///< what was wrong with the table (truncated, broken, ...)

  /// "3.2" / "2.7"; nullopt when the version is unknown.
  std::optional<std::string> version_string() const;
  /// True when the table version is at least major.minor (unknown versions count as true
  /// when `assume_when_unknown`).
  bool at_least(int major_v, int minor_v, bool assume_when_unknown = true) const;
};

/// Parses `data` in any of the supported layouts. `entry_point` is the sysfs
/// smbios_entry_point when the caller has one beside a raw table. Fails only when nothing
/// can be read at all (empty input, an entry point without a table).
Result<Table> parse(ByteView data, ByteView entry_point = {});

/// Walks a bare table (no header); appends structures and notes to `table`.
void walk_table(ByteView table_bytes, Table& table);

/// Reads a saved table from `path` (any layout) plus `<path>.smbios_entry_point` or
/// `<stem>.smbios_entry_point` beside it when present, and parses it.
Result<Table> load_file(const std::filesystem::path& path);

/// Reads the bytes of a whole file; error names the file.
Result<Bytes> read_file_bytes(const std::filesystem::path& path);

}  // namespace itsa::collectors::smbios
