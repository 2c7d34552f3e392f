#include "server/http/gzip.hpp"

#include <zlib.h>

namespace itsa::server {

InflateStatus gunzip(std::string_view in, std::size_t max_bytes, std::string& out) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return InflateStatus::corrupt;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  out.clear();
  char chunk[64 * 1024];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(chunk);
    zs.avail_out = sizeof chunk;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      return InflateStatus::corrupt;  // includes Z_BUF_ERROR: input ended early (truncated)
    }
    out.append(chunk, sizeof chunk - zs.avail_out);
    if (out.size() > max_bytes) {
      inflateEnd(&zs);
      return InflateStatus::too_large;
    }
  }
  const bool trailing = zs.avail_in != 0;
  inflateEnd(&zs);
  return trailing ? InflateStatus::corrupt : InflateStatus::ok;
}

}  // namespace itsa::server
