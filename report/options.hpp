#pragma once
// What a report covers and how it is written: period, site, profile, office hours, language.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/result.hpp"

namespace itsa::report {

/// Which seconds count: only office hours, or every observed second.
enum class HoursMode { office, all };
/// The report's language.
enum class Lang { vi, en };

/// One daily working window in local minutes since midnight: [start_min, end_min).
struct DailyWindow {
  int start_min = 0;
  int end_min = 0;
};

/// Office hours of an installation: weekdays, daily windows, fixed UTC offset (no DST).
struct OfficeSchedule {
  bool weekdays[7] = {false, true, true, true, true, true, false};  // index 0 = Sunday
  std::vector<DailyWindow> windows{{7 * 60 + 30, 11 * 60 + 30}, {13 * 60 + 30, 17 * 60}};
  int utc_offset_min = 7 * 60;                 // Asia/Ho_Chi_Minh = UTC+7
  std::string time_zone = "Asia/Ho_Chi_Minh";  // name printed in the report
};

/// Computes an assessment JSON for an inventory under a profile; nullopt when it cannot.
using Assessor =
    std::function<std::optional<nlohmann::json>(const nlohmann::json& inventory, const std::string& profile)>;

/// How much observation a claim about frequency needs (issue 16 item 8): below any of these its
/// verdict is "insufficient_data", with the numbers.
struct FrequencyMinimums {
  double pc_hours = 40.0;       // observed PC-hours in the counted window
  long long working_days = 10;  // working days with any observation
  double coverage_pct = 50.0;   // observed share of the PCs' counted window
};

/// The rules a procurement proposal cites (report.json "procurement"; issue 16 item 11). The
/// defaults are the rules found in force when checked (docs/report.md): re-check before quoting.
struct ProcurementRules {
  double useful_life_years = 5.0;  // public-asset useful life of a computer
  std::string useful_life_source;  // "" = by the period: TT 23/2023/TT-BTC to 2025, TT 141/2025/TT-BTC from 2026
  std::optional<double> price_ceiling_vnd = 15'000'000;  // one desktop PC
  std::string price_source = "Quyết định 50/2017/QĐ-TTg";
  std::string checked = "2026-11";  // when these were last checked against the law ("YYYY-MM[-DD]")
};

/// Options of one report.
struct ReportOptions {
  std::string from_date;               // first day, "YYYY-MM-DD" (local time of the schedule)
  std::string to_date;                 // last day included, "YYYY-MM-DD"
  std::optional<std::string> site;     // only this site (nullopt = all)
  std::optional<std::string> agency;   // only the sites of this agency (nullopt = every agency)
  std::optional<std::string> profile;  // profile the verdicts are for (nullopt = each machine's latest)
  HoursMode hours = HoursMode::office;
  OfficeSchedule schedule;
  Lang lang = Lang::vi;
  UtcTime generated_at{};  // printed as "data as of"; the caller passes its clock's now
  Assessor assessor;       // optional: re-assesses an inventory under `profile`
  FrequencyMinimums minimums;
  ProcurementRules procurement;
};

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
long long days_from_civil(int year, unsigned month, unsigned day);
/// The civil date of a day number: {year, month, day}.
void civil_from_days(long long days, int& year, unsigned& month, unsigned& day);
/// Parses "YYYY-MM-DD" into a day number; an Error naming `what` when malformed.
Result<long long> parse_date(std::string_view text, std::string_view what);
/// "YYYY-MM-DD" of a day number.
std::string format_date(long long days);
/// Parses "HH:MM-HH:MM[,HH:MM-HH:MM...]" into daily windows.
Result<std::vector<DailyWindow>> parse_windows(std::string_view text);
/// Parses "office" / "all".
Result<HoursMode> parse_hours(std::string_view text);
/// Parses "vi" / "en".
Result<Lang> parse_lang(std::string_view text);

/// The period as UTC ms [from 00:00 local, day after `to` 00:00 local); Error when to < from.
Result<std::pair<long long, long long>> period_ms(const ReportOptions& options);

}  // namespace itsa::report
