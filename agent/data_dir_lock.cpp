#include "agent/data_dir_lock.hpp"

#include <cctype>

namespace itsa::agent {

std::filesystem::path data_dir_lock_file(const std::filesystem::path& data_dir) {
  return data_dir / "agent.lock";
}

std::optional<std::int64_t> parse_lock_holder(const std::string& text) {
  std::int64_t pid = 0;
  std::size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  const std::size_t first = i;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) && i - first < 18)
    pid = pid * 10 + (text[i++] - '0');
  if (i == first || pid <= 0) return std::nullopt;
  return pid;
}

std::string held_elsewhere_message(const std::filesystem::path& data_dir, std::optional<std::int64_t> holder) {
  std::string who = holder ? "another itsa-agent (pid " + std::to_string(*holder) + ")" : "another itsa-agent";
  return "the data folder " + data_dir.string() + " is in use by " + who + " (lock " +
         data_dir_lock_file(data_dir).string() + "); only one agent may run on a data folder";
}

}  // namespace itsa::agent
