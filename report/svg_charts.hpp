#pragma once
// Inline SVG charts of the HTML report. Each returns a complete <svg> element sized by
// viewBox to the page width; text is escaped; no scripts.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/options.hpp"

namespace itsa::report::svg {

/// One bar: label, value, fill colour.
struct Bar {
  std::string label;
  double value = 0;
  std::string color;
};

/// Horizontal bars with the value printed at each bar's end.
std::string horizontal_bars(const std::vector<Bar>& bars, const std::string& unit, Lang lang);
/// Vertical histogram bars with a caption under each.
std::string histogram(const std::vector<Bar>& bars, const std::string& unit_caption, Lang lang);
/// Stacked pass / fail / unknown bars per rule (rules: [{label, pass, fail, unknown}]).
std::string verdict_bars(const nlohmann::json& rules, Lang lang);
/// Availability heatmap: rows = machines, columns = days (network.daily of the report).
std::string availability_heatmap(const nlohmann::json& daily, Lang lang);

}  // namespace itsa::report::svg
