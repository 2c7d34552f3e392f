#pragma once
// Small readers for /proc- and /sys-style text files (portable: std::filesystem only).
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace itsa::collectors {

/// Whole file as text; nullopt when it cannot be read.
std::optional<std::string> read_text(const std::filesystem::path& path);
/// First line, trimmed; nullopt when unreadable.
std::optional<std::string> read_line(const std::filesystem::path& path);
/// First line as an unsigned integer; nullopt when unreadable or not a number.
std::optional<std::uint64_t> read_u64(const std::filesystem::path& path);
/// `KEY=value` lines (os-release style; quotes removed).
std::map<std::string, std::string> read_key_values(const std::filesystem::path& path);
/// `root` joined with an absolute-looking path ("/proc/meminfo").
std::filesystem::path under(const std::filesystem::path& root, const std::string& absolute);
/// Trims ASCII whitespace at both ends.
std::string trim_copy(const std::string& s);

}  // namespace itsa::collectors
