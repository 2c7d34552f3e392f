#pragma once
// How a record's payload is kept in the store's `payload` column: JSON text when short,
// and above k_compress_from_bytes a BLOB of the JSON compressed with zlib (4-byte
// little-endian length of the JSON, then the zlib stream). Minute series compress about 2.3x,
// which is what keeps 30 days offline under 20 MB (bench/store). docs/store.md.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace itsa::store {

/// Payloads this long (bytes of JSON) or longer are compressed.
constexpr std::size_t k_compress_from_bytes = 256;

/// The BLOB for a JSON payload text (call only for texts of k_compress_from_bytes or more).
std::string compress_payload(std::string_view json_text);

/// The JSON text of a compressed BLOB; nullopt when the BLOB is damaged.
std::optional<std::string> decompress_payload(std::string_view blob);

}  // namespace itsa::store
