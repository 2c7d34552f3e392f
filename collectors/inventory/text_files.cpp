// Text file helpers for the Linux-style readers.
#include "collectors/inventory/text_files.hpp"

#include <fstream>
#include <sstream>

namespace itsa::collectors {

std::string trim_copy(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::optional<std::string> read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return ss.str();
}

std::optional<std::string> read_line(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::string line;
  if (!std::getline(in, line) && !in.eof()) return std::nullopt;
  return trim_copy(line);
}

std::optional<std::uint64_t> read_u64(const std::filesystem::path& path) {
  auto line = read_line(path);
  if (!line || line->empty()) return std::nullopt;
  try {
    std::size_t used = 0;
    const auto v = std::stoull(*line, &used, 0);
    if (used != line->size()) return std::nullopt;
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::map<std::string, std::string> read_key_values(const std::filesystem::path& path) {
  std::map<std::string, std::string> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq == std::string::npos || line[0] == '#') continue;
    std::string value = trim_copy(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    out[trim_copy(line.substr(0, eq))] = value;
  }
  return out;
}

std::filesystem::path under(const std::filesystem::path& root, const std::string& absolute) {
  return root / std::filesystem::path(absolute).relative_path();
}

}  // namespace itsa::collectors
