#pragma once
// Built-in OS lifecycle table: whether an OS release still gets security updates on a
// given day. Dates are Microsoft's, Debian's and Canonical's published end dates.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace itsa::collectors {

/// What is known of an OS release for the lifecycle lookup.
struct OsRelease {
  std::string family;   ///< "windows" or "linux"
  std::string id;       ///< Linux os-release ID ("debian", "ubuntu"); "windows"
  std::string version;  ///< "12", "22.04", "10", "11", "7", "8.1"
  int build = 0;        ///< Windows build number (0 unknown)
  std::string edition;  ///< Windows edition ("Professional", "Enterprise"), may be empty
};

/// {"status": "supported"|"extended"|"ended"|"unknown", "ends": "YYYY-MM-DD"|null,
///  "extended_ends": "YYYY-MM-DD"|null, "release": "...", "basis": "..."}.
/// `today` is "YYYY-MM-DD". "extended" = only paid / long-term (ESU, LTS, ESM) updates.
nlohmann::json os_support(const OsRelease& os, std::string_view today);

/// The day os_support()'s status lasts until: "ends" while `supported`, "extended_ends" while
/// `extended`; for `ended`, the last day any support ran (extended_ends, else ends); null
/// when unknown.
nlohmann::json support_status_until(const nlohmann::json& support);

}  // namespace itsa::collectors
