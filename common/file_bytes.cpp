#include "common/file_bytes.hpp"

#include <fstream>
#include <iterator>

#include <fmt/format.h>

namespace itsa {

Result<std::vector<std::uint8_t>> read_file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{fmt::format("cannot open {}", path.string())};
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Error{fmt::format("cannot read {}", path.string())};
  return bytes;
}

}  // namespace itsa
