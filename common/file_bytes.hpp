#pragma once
// A whole file's bytes (captured tables and pages the collectors decode: SMBIOS, SMART).
#include <cstdint>
#include <filesystem>
#include <vector>

#include "common/result.hpp"

namespace itsa {

/// The file's bytes; an Error naming the file when it cannot be opened or read.
Result<std::vector<std::uint8_t>> read_file_bytes(const std::filesystem::path& path);

}  // namespace itsa
