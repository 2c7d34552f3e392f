// Linux thermal throttling counts: the live sysfs tree under the inventory's root.
#include "collectors/thermal/throttle.hpp"

namespace itsa::collectors::thermal {

nlohmann::json read_thermal_throttle(const std::filesystem::path& root, std::vector<std::string>& notes) {
  return summarize_throttle(read_throttle_tree(root / "sys/devices/system/cpu"), notes);
}

}  // namespace itsa::collectors::thermal
