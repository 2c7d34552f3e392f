#pragma once
// Durable small files (identity.json, credentials.json): write to a temp file, flush it to
// disk, rename over the old one, so a power cut leaves either the old or the new content.
#include <filesystem>
#include <optional>
#include <string>

#include "common/result.hpp"

namespace itsa::store {

/// Replaces `file` with `content` atomically and durably. `owner_only` makes the file
/// readable by its owner only (mode 0600; SYSTEM/Administrators on Windows). Fails naming the file.
Result<void> write_file_atomic(const std::filesystem::path& file, const std::string& content, bool owner_only);

/// The whole content of `file`; nullopt when it does not exist; an error when it cannot be read.
Result<std::optional<std::string>> read_small_file(const std::filesystem::path& file);

}  // namespace itsa::store
