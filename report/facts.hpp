#pragma once
// Machine facts read from the latest inventory and assessment as the agent sends them
// (docs/inventory.md): one reading for the report (compute_machines) and the review UI.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace itsa::report {

constexpr long long k_day_ms = 24LL * 3600 * 1000;

/// The BIOS release date as a day number (days since 1970-01-01); accepts YYYY-MM-DD and MM/DD/YYYY.
std::optional<long long> bios_day(const nlohmann::json& inventory);
/// RAM in bytes: installed when known, else usable total.
std::optional<double> ram_bytes(const nlohmann::json& inventory);
/// A string at doc[object][key], or null.
nlohmann::json text_at(const nlohmann::json& doc, const char* object, const char* key);
/// Media of the system disk ("ssd"/"hdd"/"unknown") or null.
nlohmann::json system_disk_media(const nlohmann::json& inventory);

/// Wear signs of one inventory (issue 19 item 5; report/wear.cpp, docs/report.md "Boot time,
/// battery wear, thermal throttling"): null/absent where the inventory does not measure them.
struct WearFacts {
  std::optional<double> boot_median_s;       ///< median of the listed boots' total_s (else os_s), seconds
  int boots = 0;                             ///< boots the median is over (at most the last 10)
  std::optional<double> battery_wear_pct;    ///< 1 - full/design capacity, %; only a PC with a battery
  std::optional<long long> battery_cycles;   ///< charge cycles, when the battery counts them
  std::optional<long long> throttle_events;  ///< CPU thermal throttling events since the PC's boot
  std::string read_at;                       ///< the inventory's collected_at ("" when absent)
};

/// The wear signs of an inventory document (anything else gives an empty WearFacts).
WearFacts wear_facts(const nlohmann::json& inventory);
/// {"boot_median_s", "boots", "battery_wear_pct", "battery_cycles", "thermal_throttle_events", "read_at"}: null where
/// unknown.
nlohmann::json wear_json(const WearFacts& wear);

/// Hardware/OS facts pulled from the latest inventory and assessment.
struct MachineFacts {
  std::string model;              ///< manufacturer + model
  std::string cpu;                ///< CPU model
  double ram_gb = -1;             ///< total RAM, GiB (< 0 unknown)
  std::string system_disk_media;  ///< ssd, hdd, nvme, ...
  std::string os;                 ///< OS name and version
  std::string os_support;         ///< as the agent sends it: supported, extended (paid/long-term only), ended, unknown
  std::string bios_date;          ///< YYYY-MM-DD or empty
  double age_years = -1;          ///< from BIOS date (< 0 unknown)
  std::string verdict;            ///< meets, does_not_meet, unknown
  WearFacts wear = {};            ///< boot time median, battery wear, thermal throttling
};

/// The facts of one machine; `now_ms` dates its age.
MachineFacts machine_facts(const nlohmann::json& inventory, const nlohmann::json& assessment, std::int64_t now_ms);

}  // namespace itsa::report
