// The portable half of thermal throttling counts (see throttle.hpp): a sysfs cpu tree read
// under any root, and the per-core / per-package sums.
#include "collectors/thermal/throttle.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <utility>

namespace itsa::collectors::thermal {
namespace {

using nlohmann::json;

template <class T>
std::optional<T> read_number(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  if (!in || !std::getline(in, line)) return std::nullopt;
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  T v{};
  const auto r = std::from_chars(line.data(), line.data() + line.size(), v);
  if (line.empty() || r.ec != std::errc{} || r.ptr != line.data() + line.size()) return std::nullopt;
  return v;
}

/// Sum over groups of the largest value of each group; null when no CPU has the counter.
json sum_of_max(const std::vector<CpuThrottle>& cpus, std::optional<std::uint64_t> CpuThrottle::*field, bool per_core) {
  std::map<std::pair<int, int>, std::uint64_t> groups;
  bool any = false;
  for (const auto& c : cpus) {
    const auto& v = c.*field;
    if (!v) continue;
    any = true;
    // Without topology a CPU is its own core and its own package (counted once each).
    const int package = c.package_id.value_or(c.cpu);
    const std::pair<int, int> key =
        per_core ? std::make_pair(package, c.core_id ? *c.core_id : c.cpu) : std::make_pair(package, 0);
    auto& slot = groups[key];
    slot = std::max(slot, *v);
  }
  if (!any) return nullptr;
  std::uint64_t total = 0;
  for (const auto& [key, value] : groups) total += value;
  return total;
}

}  // namespace

std::vector<CpuThrottle> read_throttle_tree(const std::filesystem::path& cpu_dir) {
  std::vector<CpuThrottle> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(cpu_dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.size() < 4 || name.compare(0, 3, "cpu") != 0) continue;
    int n = 0;
    const auto r = std::from_chars(name.data() + 3, name.data() + name.size(), n);
    if (r.ec != std::errc{} || r.ptr != name.data() + name.size()) continue;
    const auto dir = e.path() / "thermal_throttle";
    if (!std::filesystem::is_directory(dir, ec)) continue;
    CpuThrottle c;
    c.cpu = n;
    c.package_id = read_number<int>(e.path() / "topology" / "physical_package_id");
    c.core_id = read_number<int>(e.path() / "topology" / "core_id");
    c.core_count = read_number<std::uint64_t>(dir / "core_throttle_count");
    c.package_count = read_number<std::uint64_t>(dir / "package_throttle_count");
    c.core_time_ms = read_number<std::uint64_t>(dir / "core_throttle_total_time_ms");
    c.package_time_ms = read_number<std::uint64_t>(dir / "package_throttle_total_time_ms");
    out.push_back(c);
  }
  std::sort(out.begin(), out.end(), [](const CpuThrottle& a, const CpuThrottle& b) { return a.cpu < b.cpu; });
  return out;
}

json summarize_throttle(const std::vector<CpuThrottle>& cpus, std::vector<std::string>& notes) {
  if (cpus.empty()) {
    notes.push_back(
        "cpu.thermal_throttle: no thermal_throttle counters in sysfs (not an Intel CPU with the thermal interrupt, "
        "or a virtual machine)");
    return nullptr;
  }
  return {{"core_events", sum_of_max(cpus, &CpuThrottle::core_count, true)},
          {"package_events", sum_of_max(cpus, &CpuThrottle::package_count, false)},
          {"core_time_ms", sum_of_max(cpus, &CpuThrottle::core_time_ms, true)},
          {"package_time_ms", sum_of_max(cpus, &CpuThrottle::package_time_ms, false)},
          {"cpus", cpus.size()}};
}

}  // namespace itsa::collectors::thermal
