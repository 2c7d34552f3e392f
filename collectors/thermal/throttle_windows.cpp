// Windows thermal throttling: Windows keeps no count of throttling events. What it has is
// instantaneous (the "Thermal Zone Information" counters' "% Passive Limit" and "Throttle Reasons",
// the "Processor Information" counters' "% Performance Limit"), which would have to be sampled
// every few seconds: not done, the field is null with a note (docs/inventory.md).
#include "collectors/thermal/throttle.hpp"

namespace itsa::collectors::thermal {

nlohmann::json read_thermal_throttle(const std::filesystem::path&, std::vector<std::string>& notes) {
  notes.push_back("cpu.thermal_throttle: unknown on Windows (it keeps no count of thermal throttling events)");
  return nullptr;
}

}  // namespace itsa::collectors::thermal
