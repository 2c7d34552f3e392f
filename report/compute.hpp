#pragma once
// Computes the report: every figure from the records, as one JSON document that the HTML
// and CSV renderers and the --format json output all read (docs/report.md lists each field).
#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "report/model.hpp"
#include "report/options.hpp"

namespace itsa::report {

/// The whole report as JSON; an Error for bad options (dates, windows).
Result<nlohmann::json> compute_report(const ReportInput& input, const ReportOptions& options);

}  // namespace itsa::report
