#pragma once
// Internal pieces of compute_report, one file per section. Not a public interface.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "report/intervals.hpp"
#include "report/model.hpp"
#include "report/options.hpp"

namespace itsa::report::detail {

/// One machine outage after de-duplication (latest seq per id) and clipping.
struct MachineOutage {
  std::size_t machine = 0;   // index into Context::machines
  std::string id;            // payload id
  std::string cause;         // link_down | lan | upstream | dns
  Interval raw;              // [start, end) as recorded (open = until its run ended, else the period end)
  IntervalSet counted;       // raw ∩ observed ∩ counted window
  bool clock_synced = true;  // as recorded
  std::string interface;     // interface named by the outage
  long long seq = -1;        // seq of the record it was read from (the latest of its id)
};

/// The probe settings one record carries (each nullopt when absent).
struct ProbeSettings {
  std::optional<double> interval_s;
  std::optional<double> down_after;
  std::optional<double> up_after;
  bool any() const { return interval_s || down_after || up_after; }
  std::tuple<double, double, double> key() const {
    return {interval_s.value_or(-1), down_after.value_or(-1), up_after.value_or(-1)};
  }
};

/// One probe layer's minutes. RTT percentiles are kept as counts per 0.01 ms (the precision the
/// report prints), so a month of minutes takes the memory of its distinct values, and the
/// nearest-rank percentile is the same number as over the full list.
struct LayerDigest {
  long long sent = 0, lost = 0, minutes = 0;
  std::map<long long, long long> p50_centi_ms, p95_centi_ms;
  std::optional<double> max_rtt;
  double jitter_sum = 0;
  long long jitter_n = 0;
};

/// One interface's physical-layer minutes of one machine (additive: day digests add up).
struct LinkStats {
  long long flaps = 0, flaps_near_power = 0, crc = 0, crc_minutes = 0, errors = 0, downgrades = 0, minutes = 0,
            minutes_below = 0;
  bool wireless = false;
  std::optional<double> min_speed, max_speed;
};

/// One machine's short losses, each minute counted once (sums over minutes: additive).
struct DropTotals {
  long long short_drops = 0, wifi_disconnects = 0, link_down_blips = 0, lan_blips = 0;
  bool any_minute = false;  // a link or blip minute outside power events was read
};

/// One `instability` record (docs/protocol.md), de-duplicated by id (the latest seq wins).
struct InstabilityEvent {
  std::string id;
  std::string event;    // unexpected_shutdown | os_crash
  long long at_ms = 0;  // when it happened: a shutdown's last_seen, a crash's at (else the record's time)
  std::string cause;    // a shutdown's cause: os_crash | unknown ("" for a crash)
  long long seq = -1;   // seq of the record it was read from
};

/// One `history` record (protocol/history.hpp): events the system logged itself, read back from
/// its log, never measured by itsa. De-duplicated by id.
struct HistoryCount {
  std::string kind;        // link_down | link_up | nic_reset | unexpected_shutdown | crash
  long long count = 0;     // events in the group
  long long first_ms = 0;  // the first and last event's own time
  long long last_ms = 0;
  bool before_install = false;  // logged before the agent was installed
  std::string source;           // windows_system_log | linux_journal
};

/// Everything the report needs of one machine's records, computed machine by machine so a
/// period's raw records are never all held at once (issue 15): memory grows with machines.
struct MachineDigest {
  IntervalSet window;                           // the counted window it was computed for
  IntervalSet observed;                         // coverage ∩ window
  IntervalSet unsynced;                         // coverage spans with clock_synced false ∩ window
  std::vector<MachineOutage> outages;           // counted outages (machine index 0: set when assembled)
  std::map<std::string, LinkStats> link_stats;  // link_minute/link_event by interface
  DropTotals drops;                             // short losses (flaps, blips)
  long long pressure_minutes = 0, cpu_over = 0, mem_over = 0, either_over = 0;
  long long disk_busy_minutes = 0, disk_busy_over = 0;  // minutes with disk_busy_pct; of them >= 90
  std::map<std::string, InstabilityEvent> instability;  // by id: records made in the period (compute_health.cpp)
  nlohmann::json disks = nullptr;                       // the latest disk_health reading made in the period (trimmed)
  long long disks_seq = -1;                             // its record's seq
  long long disks_ms = 0;                               // its record's time
  std::map<std::string, LayerDigest> layers;            // probe_minute by layer
  long long degraded_minutes = 0, degraded_loss = 0, degraded_latency = 0;
  std::string lifecycle_version;                     // agent_version of its latest lifecycle record ("" = none)
  long long lifecycle_seq = -1;                      // that record's seq
  std::set<double> intervals, down_after, up_after;  // every probe setting recorded
  ProbeSettings latest_settings;                     // the latest record's settings
  long long settings_seq = -1;                       // that record's seq
  std::set<std::tuple<double, double, double>> settings_seen;  // every distinct setting recorded
  bool settings_changed() const { return settings_seen.size() > 1; }
  long long last_record_ms = 0;                      // time of its latest record read (0 = none)
  bool after_period = false;                         // a record made at or after the period end was read
  std::map<std::string, HistoryCount> history = {};  // by id: history records made in the period (compute_history.cpp)
};

/// What every section shares: the machines in scope, the window, each machine's observed time.
struct Context {
  const ReportOptions* options = nullptr;
  long long from_ms = 0;                      // period start (UTC ms)
  long long to_ms = 0;                        // period end, exclusive
  IntervalSet window;                         // counted window (office hours or the whole period)
  std::vector<const MachineInput*> machines;  // machines in scope, sorted by site then hostname
  std::vector<IntervalSet> observed;          // per machine: coverage ∩ window
  std::vector<IntervalSet> unsynced;          // per machine: coverage spans with clock_synced false ∩ window
  std::vector<MachineOutage> outages;         // every counted machine outage (counted non-empty)
  std::vector<const MachineDigest*> digests;  // per machine (given with the input, or computed here)
};

/// Parses an RFC 3339 time in a payload field into UTC ms; nullopt when absent or malformed.
std::optional<long long> time_field(const nlohmann::json& payload, const char* key);
/// A field of an object when present with the fallback's type (bool, string, number); else the fallback.
/// Records from other implementations may carry odd types: the report never throws on them.
template <class T>
T get_or(const nlohmann::json& object, const char* key, T fallback) {
  if (!object.is_object()) return fallback;
  const auto it = object.find(key);
  if (it == object.end()) return fallback;
  if constexpr (std::is_same_v<T, bool>) {
    return it->is_boolean() ? it->template get<bool>() : fallback;
  } else if constexpr (std::is_same_v<T, std::string>) {
    return it->is_string() ? it->template get<std::string>() : fallback;
  } else {
    return it->is_number() ? it->template get<T>() : fallback;
  }
}
/// A number field, or nullopt when absent/null/not a number.
std::optional<double> number_field(const nlohmann::json& payload, const char* key);
/// Whether a UTC ms instant lies inside a normalized set.
bool contains(const IntervalSet& set, long long ms);
/// Seconds (3 decimals) from ms.
double seconds(long long ms);
/// Rounds to `digits` decimals.
double round_to(double value, int digits);
/// RFC 3339 UTC seconds of a ms time.
std::string utc_text(long long ms);
/// Local "YYYY-MM-DD HH:MM" of a ms time in the schedule's offset.
std::string local_text(const OfficeSchedule& schedule, long long ms);

constexpr double k_working_week_hours = 40.0;  // one PC's working week

/// Working days of the context's period (days with office hours) and, of them, the days on which
/// `observed` is not empty.
std::pair<long long, long long> working_days(const Context& ctx, const IntervalSet& observed);

/// The verdict on "the network frequently loses connection" for one group of PCs: `cabling` is
/// the outages of one PC alone through its cable or LAN path, per_week_out what that makes per
/// PC and working week. "insufficient_data" when the observation is below the minimums.
std::string loss_verdict(const FrequencyMinimums& minimums, double observed_h, long long observed_days,
                         std::optional<double> coverage_pct, double cabling, double& per_week_out);

/// The period and counted window of the options (no machines yet); an Error for bad options.
Result<Context> base_context(const ReportOptions& options);
/// One machine's digest over the context's window (ctx.machines/observed are not read).
MachineDigest digest_machine(const Context& ctx, const MachineInput& machine);
/// The parts of digest_machine, one per section (each in that section's file).
void observe_machine(const Context& ctx, const MachineInput& machine, MachineDigest& digest);
void digest_links(const Context& ctx, const MachineInput& machine, MachineDigest& digest);
void digest_pressure(const Context& ctx, const MachineInput& machine, MachineDigest& digest);
void digest_probes(const Context& ctx, const MachineInput& machine, MachineDigest& digest);
void digest_scope(const MachineInput& machine, MachineDigest& digest);
/// history records made in the period (compute_history.cpp).
void digest_history(const Context& ctx, const MachineInput& machine, MachineDigest& digest);
/// The system log's events from before itsa, per PC, apart from every measured figure: `history`.
nlohmann::json compute_history(const Context& ctx);
/// disk_health and instability records made in the period (compute_health.cpp).
void digest_health(const Context& ctx, const MachineInput& machine, MachineDigest& digest);
/// Adds a later or earlier day's digest of the same machine (issue 15: day digests merged into a
/// period's). Windows must not overlap; `into.window`/`after_period` are the caller's to set.
void merge_digest(MachineDigest& into, const MachineDigest& day);
/// A digest as JSON (stored per machine and day) and back; from_json names what is malformed.
nlohmann::json digest_to_json(const MachineDigest& digest);
Result<MachineDigest> digest_from_json(const nlohmann::json& doc);
/// One machine's network.links rows and its network.cabling row (null when no link evidence),
/// from its digest (compute_links.cpp).
void link_rows(const Context& ctx, const MachineInput& machine, const MachineDigest& digest, nlohmann::json& links,
               nlohmann::json& cabling);
/// Fills digests, observed, unsynced and outages of the context; an Error when a given digest
/// was made for another window.
Result<void> collect_observation(Context& ctx, std::vector<MachineDigest>& owned);
/// The "scope" section.
nlohmann::json compute_scope(const Context& ctx);
/// The "machines" section (verdicts, rules, age, pressure).
nlohmann::json compute_machines(const Context& ctx);
/// Per machine (index of ctx.machines) its `health` row (system disk verdict, unexpected shutdowns,
/// OS crashes, disk saturation), and the section's summary `machines.health` (compute_health.cpp).
nlohmann::json compute_health(const Context& ctx, nlohmann::json& machine_rows);
/// machines.procurement: one proposal per PC with counts and the rules cited (compute_procurement.cpp).
nlohmann::json compute_procurement(const Context& ctx, const nlohmann::json& machine_rows);
/// The "network" section.
nlohmann::json compute_network(const Context& ctx);
/// The "claims" section from the other sections, in the options' language.
nlohmann::json compute_claims(const nlohmann::json& report, Lang lang);

}  // namespace itsa::report::detail
