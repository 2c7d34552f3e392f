#include "store/payload_codec.hpp"

#include <cstdint>

#include <zlib.h>

namespace itsa::store {
namespace {
constexpr std::size_t k_header_bytes = 4;
constexpr std::size_t k_max_payload_bytes = 64u << 20;  // no record is this large; a bigger header is damage
}  // namespace

std::string compress_payload(std::string_view json_text) {
  uLongf bound = compressBound(static_cast<uLong>(json_text.size()));
  std::string out(k_header_bytes + bound, '\0');
  const auto n = static_cast<std::uint32_t>(json_text.size());
  for (std::size_t i = 0; i < k_header_bytes; ++i) out[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  const int rc = compress2(reinterpret_cast<Bytef*>(out.data() + k_header_bytes), &bound,
                           reinterpret_cast<const Bytef*>(json_text.data()), static_cast<uLong>(json_text.size()), 6);
  if (rc != Z_OK) return std::string(json_text);  // cannot happen with a compressBound buffer; keep the text then
  out.resize(k_header_bytes + bound);
  return out;
}

std::optional<std::string> decompress_payload(std::string_view blob) {
  if (blob.size() < k_header_bytes) return std::nullopt;
  std::uint32_t n = 0;
  for (std::size_t i = 0; i < k_header_bytes; ++i)
    n |= static_cast<std::uint32_t>(static_cast<unsigned char>(blob[i])) << (8 * i);
  if (n > k_max_payload_bytes) return std::nullopt;
  std::string out(n, '\0');
  uLongf out_len = n;
  const int rc = uncompress(reinterpret_cast<Bytef*>(out.data()), &out_len,
                            reinterpret_cast<const Bytef*>(blob.data() + k_header_bytes),
                            static_cast<uLong>(blob.size() - k_header_bytes));
  if (rc != Z_OK || out_len != n) return std::nullopt;
  return out;
}

}  // namespace itsa::store
