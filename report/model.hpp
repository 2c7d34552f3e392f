#pragma once
// The report's input: per machine, its identity, latest inventory/assessment and the
// records it made in the period. Built by the server (from its storage) or the agent (from
// its local store); the report library never reads storage itself.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"

namespace itsa::report {

namespace detail {
struct MachineDigest;
}

/// One stored record (docs/protocol.md): type, time, identity and payload.
struct Record {
  std::string type;        // "outage", "coverage", "pressure_minute", ...
  UtcTime time{};          // when the record was made / last updated
  long long seq = 0;       // per-agent sequence; the latest seq wins for re-emitted records
  std::string boot_id;     // OS boot the record was made in
  nlohmann::json payload;  // the type's payload object
};

/// Adds a stored record to `records`. A minute series (common/minute_series.hpp) stays one
/// record: the report reads its minutes in place (report/minutes.hpp, for_each_minute).
void add_record(std::vector<Record>& records, Record record);

/// One machine and its evidence.
struct MachineInput {
  std::string agent_id;                      // the agent's UUID
  std::string hostname;                      // as enrolled / inventoried
  std::string site;                          // site name ("" when none)
  std::string agent_version;                 // latest known agent version ("" when unknown)
  std::optional<nlohmann::json> inventory;   // latest inventory document (docs/inventory.md)
  std::optional<nlohmann::json> assessment;  // latest assessment {"profile","verdict","rules"}
  std::vector<Record> records;               // its records, at least those touching the period
  /// Its records already reduced for one report (digest_records): then `records` is empty.
  std::shared_ptr<const detail::MachineDigest> digest = nullptr;
  std::string agency = {};  // agency of its site ("" when none was named)
};

/// Everything a report is computed from.
struct ReportInput {
  std::string agency;                  // name printed in the header ("" = none)
  std::vector<MachineInput> machines;  // every machine known (filtered by site and agency in compute)
};

}  // namespace itsa::report
