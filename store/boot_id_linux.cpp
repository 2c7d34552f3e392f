#include <fstream>
#include <string>

#include "store/boot_id.hpp"

namespace itsa::store {

std::string current_boot_id() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  if (!in || !std::getline(in, id) || id.size() != 36) {
    static const std::string fallback = new_uuid();
    id = fallback;
  }
  return id;  // one named return (GCC 12 warns falsely on two: -Warray-bounds)
}

}  // namespace itsa::store
