#pragma once
// Internal pieces of compute_report, one file per section. Not a public interface.
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

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

/// Fills observed, unsynced and outages of the context from the records.
void collect_observation(Context& ctx);
/// The "scope" section.
nlohmann::json compute_scope(const Context& ctx);
/// The "machines" section (verdicts, rules, age, pressure).
nlohmann::json compute_machines(const Context& ctx);
/// The "network" section.
nlohmann::json compute_network(const Context& ctx);
/// The "claims" section from the other sections, in the options' language.
nlohmann::json compute_claims(const nlohmann::json& report, Lang lang);

}  // namespace itsa::report::detail
