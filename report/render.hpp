#pragma once
// Writes a computed report (compute_report's JSON) as JSON text, one printable HTML
// document, or CSV tables. Language and every figure come from the report itself.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace itsa::report {

/// Pretty-printed JSON (2-space indent, UTF-8).
std::string render_json(const nlohmann::json& report);
/// One A4 HTML document: print CSS, inline SVG charts, no scripts, no external assets.
std::string render_html(const nlohmann::json& report);

/// One CSV table: file name ("outages.csv") and content (UTF-8 with BOM, CRLF rows).
struct CsvTable {
  std::string name;
  std::string content;
};
/// Every table of the report as CSV.
std::vector<CsvTable> render_csv(const nlohmann::json& report);
/// Writes render_csv's tables into `dir` (created if missing); returns the paths written.
Result<std::vector<std::string>> write_csv_dir(const nlohmann::json& report, const std::string& dir);

}  // namespace itsa::report
