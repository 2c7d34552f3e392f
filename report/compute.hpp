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
/// Reduces a machine's records to what a report with these options needs and frees them, so a
/// caller reading many machines holds one machine's records at a time (issue 15). The
/// machine must then be reported with the same options (period, hours, schedule).
Result<void> digest_records(MachineInput& machine, const ReportOptions& options);

}  // namespace itsa::report
