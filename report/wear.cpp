// Wear signs of an inventory (facts.hpp, WearFacts): the median of the last boots' durations,
// the battery's wear and the CPU's thermal throttling events, as the agent sends them
// (docs/inventory.md "Boot duration, thermal throttling, battery wear").
#include <algorithm>
#include <cmath>
#include <vector>

#include "report/facts.hpp"

namespace itsa::report {

using nlohmann::json;

namespace {

std::optional<double> number_of(const json& o, const char* key) {
  if (!o.is_object()) return std::nullopt;
  const auto it = o.find(key);
  if (it == o.end() || !it->is_number()) return std::nullopt;
  const double v = it->get<double>();
  return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

json optional_json(const std::optional<double>& v) {
  return v ? json(*v) : json(nullptr);
}

json optional_json(const std::optional<long long>& v) {
  return v ? json(*v) : json(nullptr);
}

double round1(double v) {
  return std::round(v * 10.0) / 10.0;
}

}  // namespace

WearFacts wear_facts(const json& inv) {
  WearFacts w;
  if (!inv.is_object()) return w;
  if (const auto at = inv.find("collected_at"); at != inv.end() && at->is_string()) w.read_at = at->get<std::string>();

  // Boot time: each listed boot's total (firmware included where the OS measures it), else the
  // OS part; the median of those known (the mean of the two middle ones for an even count).
  if (const auto boots = inv.find("boot_durations"); boots != inv.end() && boots->is_array()) {
    std::vector<double> seconds;
    for (const json& b : *boots) {
      auto s = number_of(b, "total_s");
      if (!s) s = number_of(b, "os_s");
      if (s && *s > 0) seconds.push_back(*s);
    }
    if (!seconds.empty()) {
      std::sort(seconds.begin(), seconds.end());
      const std::size_t n = seconds.size();
      const double median = n % 2 == 1 ? seconds[n / 2] : (seconds[n / 2 - 1] + seconds[n / 2]) / 2.0;
      w.boot_median_s = round1(median);
      w.boots = static_cast<int>(n);
    }
  }

  // Battery wear: 1 - full/design from the capacities (the agent's wear_pct when they are absent);
  // only a PC whose battery is present.
  if (const auto bat = inv.find("battery"); bat != inv.end() && bat->is_object() && bat->contains("present") &&
                                            (*bat)["present"].is_boolean() && (*bat)["present"].get<bool>()) {
    const auto design = number_of(*bat, "design_wh");
    const auto full = number_of(*bat, "full_wh");
    if (design && full && *design > 0) {
      w.battery_wear_pct = round1(std::max(0.0, 100.0 * (1.0 - *full / *design)));
    } else if (const auto wear = number_of(*bat, "wear_pct"); wear && *wear >= 0) {
      w.battery_wear_pct = round1(*wear);
    }
    if (const auto cycles = number_of(*bat, "cycle_count"); cycles && *cycles > 0)
      w.battery_cycles = static_cast<long long>(*cycles);
  }

  // Thermal throttling since the PC's boot: the cores' events, else the packages'.
  if (const auto cpu = inv.find("cpu"); cpu != inv.end() && cpu->is_object()) {
    if (const auto t = cpu->find("thermal_throttle"); t != cpu->end() && t->is_object()) {
      auto events = number_of(*t, "core_events");
      if (!events) events = number_of(*t, "package_events");
      if (events && *events >= 0) w.throttle_events = static_cast<long long>(*events);
    }
  }
  return w;
}

json wear_json(const WearFacts& w) {
  return {{"boot_median_s", optional_json(w.boot_median_s)},
          {"boots", w.boots},
          {"battery_wear_pct", optional_json(w.battery_wear_pct)},
          {"battery_cycles", optional_json(w.battery_cycles)},
          {"thermal_throttle_events", optional_json(w.throttle_events)},
          {"read_at", w.read_at.empty() ? json(nullptr) : json(w.read_at)}};
}

}  // namespace itsa::report
