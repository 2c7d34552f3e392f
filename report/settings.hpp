#pragma once
// Per-installation report settings: the agency name printed in the header and the office
// hours. Read from a small JSON file (the server's <data-dir>/report.json):
//   {"agency": "Ban Dân tộc tỉnh Quảng Ngãi", "time_zone": "Asia/Ho_Chi_Minh", "utc_offset_min": 420,
//    "weekdays": ["mon","tue","wed","thu","fri"], "office_hours": "07:30-11:30,13:30-17:00",
//    "procurement": {"useful_life_years": 5, "useful_life_source": "Thông tư 141/2025/TT-BTC",
//                    "price_ceiling_vnd": 15000000, "price_source": "Quyết định 50/2017/QĐ-TTg", "checked": "2026-11"}}
// Every key is optional; a missing file means the defaults.
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "report/options.hpp"

namespace itsa::report {

/// Settings of one installation.
struct ReportSettings {
  std::string agency;       // printed in the header ("" = none)
  OfficeSchedule schedule;  // office hours
  ProcurementRules
      procurement;  // "procurement": {useful_life_years, useful_life_source, price_ceiling_vnd, price_source, checked}
};

/// Applies a settings object; an Error naming the bad key (`where` prefixes it, e.g. the file).
Result<ReportSettings> parse_settings(const nlohmann::json& doc, const std::string& where);
/// Reads a settings file; defaults when it does not exist; an Error when it is malformed.
Result<ReportSettings> load_settings_file(const std::string& path);

}  // namespace itsa::report
