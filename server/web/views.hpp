#pragma once
// What the review UI, the CSV and `stats` show, computed from Storage's records the same way
// for both backends: the machines list, one machine's detail, per-site summaries.
#include <nlohmann/json.hpp>

#include "report/facts.hpp"
#include "report/intervals.hpp"
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
  nlohmann::json inventory;       ///< latest inventory payload (null if none)
  nlohmann::json assessment;      ///< latest assessment payload (null if none)
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

/// One outage as seen across a site: site-wide when most machines saw it within the same minute.
struct SiteOutage {
  std::int64_t minute_ms = 0;          ///< start minute
  std::string cause;                   ///< the most common cause among the machines
  std::vector<std::string> agent_ids;  ///< machines whose outage started in that minute
  double duration_s = 0;               ///< longest of them
  bool site_wide = false;              ///< seen by more than half of the site's machines (and at least 2)
};

/// One row of /sites.
struct SiteSummary {
  std::string site;                 ///< site name
  int machines = 0;                 ///< enrolled machines
  Availability availability_30d;    ///< summed over the site's machines
  std::vector<SiteOutage> outages;  ///< last 30 days, newest first
};

/// Pure helpers (tested directly).
Availability availability(const std::vector<Span>& coverage, const std::vector<OutageView>& outages, Span window);
/// Groups outages of one site into site-wide / single-machine events.
std::vector<SiteOutage> group_site_outages(std::vector<OutageView> outages, int machines);

/// The machines list (every enrolled agent).
Result<std::vector<MachineRow>> machine_rows(Storage& storage, std::int64_t now_ms);
/// One machine over the last `days` days; nullopt when unknown.
Result<std::optional<MachineDetail>> machine_detail(Storage& storage, const std::string& agent_id, std::int64_t now_ms,
                                                    int days);
/// Every site over the last 30 days.
Result<std::vector<SiteSummary>> site_summaries(Storage& storage, std::int64_t now_ms);

}  // namespace itsa::server
