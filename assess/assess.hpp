#pragma once
// Minimum-spec assessment: a profile (JSON in config/profiles/) is a list of rules, each
// comparing one metric derived from the inventory with a required value. Every rule gives
// pass / fail / unknown (unknown never counts as pass) with the measured value, the
// requirement and a reason in English and Vietnamese.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace itsa::collectors {

/// Metrics a rule can use, derived from an inventory document: {"value", "unit", "why"}
/// per name ("why" says why the value is null). `today` is "YYYY-MM-DD".
nlohmann::json assessment_metrics(const nlohmann::json& inventory, std::string_view today);

/// Checks a profile's shape; the error names the rule and field at fault.
Result<void> validate_profile(const nlohmann::json& profile);

/// Assesses `inventory` against `profile`:
/// {"profile", "title", "verdict": "meets"|"does_not_meet"|"unknown",
///  "rules": [{"id", "result", "measured", "required", "unit", "reason", "reason_vi"}]}.
nlohmann::json assess(const nlohmann::json& inventory, const nlohmann::json& profile, std::string_view today);

/// Directories searched for a profile name, in order.
std::vector<std::filesystem::path> profile_dirs();

/// Loads a profile by name ("windows11") from profile_dirs(), or from a file path.
Result<nlohmann::json> load_profile(const std::string& name_or_path);

}  // namespace itsa::collectors
