#pragma once
// Builds the evidence report from the server's storage: the ReportInput (agents, latest
// inventory/assessment, their records around the period), then compute_report. Shared by
// `itsa-server report` and the /report page.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "report/model.hpp"
#include "report/options.hpp"
#include "server/storage/storage.hpp"

namespace itsa::server {

/// Every enrolled agent (of `site` when set) with its records touching [from_ms, to_ms), held at
/// once. With `reduce_for`, each machine's digest for that report instead, merged from its stored
/// day digests (report/day_digest.hpp; a missing or stale day is computed from its records and
/// stored): one machine's records of its stale days in memory at a time (issue 15).
Result<report::ReportInput> load_report_input(Storage& storage, long long from_ms, long long to_ms,
                                              const std::optional<std::string>& site,
                                              const report::ReportOptions* reduce_for = nullptr);
/// Which records load_report_input reads.
struct InputFilter {
  std::optional<std::string> site;      // only this site's machines
  std::optional<std::string> agency;    // only the machines of this agency's sites
  std::optional<std::string> agent_id;  // only this machine
  std::vector<std::string> types;       // only these record types (empty: every type the report reads)
  bool latest = true;                   // read each machine's latest inventory and assessment
  std::function<bool()> cancelled;      // checked between machines: true stops with an Error
};
/// load_report_input with a filter, always from day digests for `reduce_for` (its period; digests
/// of a types-filtered reading are stored under their own key).
Result<report::ReportInput> load_report_input(Storage& storage, const InputFilter& filter,
                                              const report::ReportOptions& reduce_for);
/// Options of the `days` local days up to `now_ms` in the schedule, every hour counted.
report::ReportOptions recent_days_options(const report::OfficeSchedule& schedule, long long now_ms, int days);
/// The record types the UI's views read through the report (coverage, outage, lifecycle; disk_health
/// and instability for /machines' disk and shutdown columns).
std::vector<std::string> observation_types();
/// The network as the review UI shows it (availability, events by scope, per site and machine),
/// computed by the report library — one reading of the evidence for the UI and the report
/// (issue 16 item 4): the last `days` local days up to `now_ms`, every hour counted, from
/// coverage, outage, lifecycle, disk_health and instability records only; of one machine or one
/// site when given.
Result<nlohmann::json> observation_report(Storage& storage, long long now_ms, int days,
                                          const report::OfficeSchedule& schedule,
                                          const std::optional<std::string>& agent_id = std::nullopt,
                                          const std::optional<std::string>& agency = std::nullopt,
                                          const std::optional<std::string>& site = std::nullopt);
/// load_report_input + compute_report for the options' period (its site and agency); Error for
/// bad options or storage.
Result<nlohmann::json> build_server_report(Storage& storage, const report::ReportOptions& options,
                                           const std::string& agency);
/// Re-assesses an inventory under a named profile (config/profiles/) as of `today` (YYYY-MM-DD).
report::Assessor profile_assessor(const std::string& today);
/// <data-dir>/report.json: the installation's agency name and office hours (docs/report.md).
std::string report_settings_file(const std::string& data_dir);
/// The installation's office schedule (its UTC offset sets the local days of the UI's views);
/// the defaults when there is no data dir, no report.json or a malformed one (the /report page
/// and `itsa-server report` name that error).
report::OfficeSchedule installation_schedule(const std::string& data_dir);

}  // namespace itsa::server
