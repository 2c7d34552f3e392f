#pragma once
// What the review UI, the CSV and `stats` show, computed from Storage's records the same way
// for both backends: the machines list, one machine's detail, per-site summaries.
#include <nlohmann/json.hpp>

#include "report/facts.hpp"
#include "report/intervals.hpp"
#include "report/options.hpp"
#include "server/storage/storage.hpp"

namespace itsa::server {

/// Observed and outage time within a window (protocol: availability = (observed − outage) / observed).
struct Availability {
  double observed_s = 0;  ///< union of coverage spans inside the window
  double outage_s = 0;    ///< outage time inside observed time
  /// Fraction 0..1, or a negative number when nothing was observed.
  double ratio() const { return observed_s > 0 ? (observed_s - outage_s) / observed_s : -1.0; }
};

/// A time span in unix milliseconds, [start_ms, end_ms).
using Span = report::Interval;
using report::k_day_ms;
using report::machine_facts;
using report::MachineFacts;

/// One outage (latest re-emission of its id).
struct OutageView {
  std::string agent_id;        ///< machine that saw it
  std::string id;              ///< payload id
  std::string cause;           ///< link_down, lan, upstream, dns
  std::string interface_name;  ///< NIC
  bool open = false;           ///< still open at its latest record
  Span span;                   ///< start .. end (open outages end at their latest record time)
};

/// One row of /machines.
struct MachineRow {
  AgentRow agent;                 ///< enrolment facts
  MachineFacts facts;             ///< from the latest inventory/assessment
  Availability availability_30d;  ///< network availability, last 30 days
  int outages_30d = 0;            ///< its outages counted in those days (report library)
  report::DayCounters days_30d;   ///< its day counters (machine_days) summed over those days
  /// Share of its measured minutes with CPU or memory above 90% in those days; -1 = no sample.
  double load_over_ratio() const {
    return days_30d.pressure_minutes > 0
               ? static_cast<double>(days_30d.load_over_minutes) / static_cast<double>(days_30d.pressure_minutes)
               : -1;
  }
  /// The system disk's verdict (failing, worn, ok, unknown) by the latest disk_health reading of
  /// those days; "" when none; its deciding reason {"vi", "en"} (null when none).
  std::string disk_verdict;
  nlohmann::json disk_reason;
  long long own_shutdowns_30d = 0;        ///< unexpected shutdowns of its own (not in a power cut of its site)
  long long power_cut_shutdowns_30d = 0;  ///< unexpected shutdowns in a power cut of its site
  long long os_crashes_30d = 0;           ///< OS crash records
  nlohmann::json inventory;               ///< latest inventory payload (null if none)
  nlohmann::json assessment;              ///< latest assessment payload (null if none)
};

/// Everything /machines/<id> shows.
struct MachineDetail {
  MachineRow row;                           ///< the list row
  std::vector<Span> coverage;               ///< observed spans in the window, merged
  std::vector<OutageView> outages;          ///< outages in the window
  std::vector<nlohmann::json> link_events;  ///< link_event payloads (flaps, downgrades) in the window
  nlohmann::json link_totals;               ///< per interface: sums of flaps and error counters in the window
  nlohmann::json pressure;                  ///< averages/maxima of pressure_minute in the window
  std::int64_t from_ms = 0;                 ///< window start
  std::int64_t to_ms = 0;                   ///< window end
};

/// One outage event touching a site, as the report counts it (report/site_events.cpp).
struct SiteOutage {
  std::int64_t minute_ms = 0;          ///< start of its counted time
  std::string cause;                   ///< the event's cause
  std::vector<std::string> agent_ids;  ///< machines in it (every site's, for an agency-wide event)
  std::vector<std::string> sites;      ///< sites it reached
  double duration_s = 0;               ///< counted duration (union of its machines' outages)
  std::string scope;                   ///< single_machine, shared_equipment, site_wide, agency_wide
};

/// One row of /sites.
struct SiteSummary {
  std::string site;                 ///< site name
  int machines = 0;                 ///< enrolled machines
  Availability availability_30d;    ///< summed over the site's machines
  std::vector<SiteOutage> outages;  ///< last 30 days, newest first
};

/// Availability of a network report's per_machine row (report::compute_report).
Availability availability_of(const nlohmann::json& per_machine_row);

/// The machines list (every enrolled agent, or those of `agency`'s sites).
Result<std::vector<MachineRow>> machine_rows(Storage& storage, std::int64_t now_ms,
                                             const report::OfficeSchedule& schedule = {},
                                             const std::optional<std::string>& agency = std::nullopt);
/// One machine over the last `days` days; nullopt when unknown.
Result<std::optional<MachineDetail>> machine_detail(Storage& storage, const std::string& agent_id, std::int64_t now_ms,
                                                    int days, const report::OfficeSchedule& schedule = {});
/// Every site (or `agency`'s) over the last 30 local days (the report library's events and
/// availability; an agency's events counted over its own machines only).
Result<std::vector<SiteSummary>> site_summaries(Storage& storage, std::int64_t now_ms,
                                                const report::OfficeSchedule& schedule = {},
                                                const std::optional<std::string>& agency = std::nullopt);

}  // namespace itsa::server
