#pragma once
// The report's text catalogue: every word and sentence of the HTML and CSV report (and its charts)
// as a keyed entry in Vietnamese (administrative style) and English, and the number formats.
#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "report/options.hpp"

namespace itsa::report {

/// A fixed label by key ("title", "scope", ...); the key itself when unknown.
std::string label(std::string_view key, Lang lang);
/// A label whose {1}, {2}, ... are replaced by `args` in order of number ("from_to" →
/// "từ ngày 02/11/2026 đến ngày 03/11/2026"); the key itself when unknown.
std::string label(std::string_view key, Lang lang, std::initializer_list<std::string_view> args);
/// A number with `digits` decimals: "1.234,5" (vi) or "1,234.5" (en).
std::string fmt_num(double value, int digits, Lang lang);
/// A number with `decimals` decimals, "—" when not finite, no minus sign on a value that rounds
/// to zero: 1.234,5 (vi) or 1,234.5 (en). The review UI's numbers.
std::string format_number(Lang lang, double value, int decimals);
/// A percentage "64,3%" / "64.3%"; "—" for null.
std::string fmt_pct(const nlohmann::json& value, int digits, Lang lang);
/// A duration in seconds as "2 giờ 05 phút" / "2 h 05 min" ("45 giây" / "45 s" under a minute).
std::string fmt_duration(double seconds, Lang lang);
/// A byte count as "3,8 GB" / "3.8 GB" (GiB, as the OS shows it).
std::string fmt_gb(double bytes, Lang lang);
/// A date "YYYY-MM-DD" as dd/mm/yyyy in Vietnamese; as is in English (and when not a date).
std::string fmt_date(const std::string& iso, Lang lang);
/// Name of an assessment rule id ("ram_min" → "Dung lượng RAM").
std::string rule_label(std::string_view id, Lang lang);
/// Name of an outage cause ("link_down" → "Cáp/cổng mạng của máy").
std::string cause_label(std::string_view cause, Lang lang);
/// Name of a claim verdict ("supported" → "Có cơ sở").
std::string verdict_label(std::string_view verdict, Lang lang);
/// Name of a machine verdict ("meets" → "Đạt").
std::string machine_verdict_label(std::string_view verdict, Lang lang);
/// Escapes &, <, >, " and ' for HTML text and attributes.
std::string html_escape(std::string_view text);
/// One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break. A text
/// cell starting with =, +, -, @, a tab or a CR gets a leading ' so a spreadsheet shows it and
/// never runs it as a formula (OWASP "CSV injection"); `text` = false for a number written by us.
std::string csv_cell(std::string_view value, bool text = true);

}  // namespace itsa::report
