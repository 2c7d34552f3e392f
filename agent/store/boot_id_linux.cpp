#include <fstream>
#include <string>

#include "agent/store/boot_id.hpp"

namespace itsa::store {

std::string current_boot_id() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  if (in && std::getline(in, id) && id.size() == 36) return id;
  static const std::string fallback = new_uuid();
  return fallback;
}

}  // namespace itsa::store
