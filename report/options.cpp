#include "report/options.hpp"

#include <charconv>
#include <cstdio>

namespace itsa::report {

long long days_from_civil(int year, unsigned month, unsigned day) {
  // Howard Hinnant's algorithm.
  year -= month <= 2 ? 1 : 0;
  const long long era = (year >= 0 ? year : year - 399) / 400;
  const auto yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

void civil_from_days(long long days, int& year, unsigned& month, unsigned& day) {
  days += 719468;
  const long long era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = static_cast<int>(yoe) + static_cast<int>(era * 400) + (month <= 2 ? 1 : 0);
}

namespace {

bool parse_int(std::string_view text, int& out) {
  if (text.empty()) return false;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && ptr == text.data() + text.size();
}

bool parse_hhmm(std::string_view text, int& minutes) {
  int h = 0;
  int m = 0;
  if (text.size() != 5 || text[2] != ':' || !parse_int(text.substr(0, 2), h) || !parse_int(text.substr(3, 2), m)) {
    return false;
  }
  if (h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0)) return false;
  minutes = h * 60 + m;
  return true;
}

}  // namespace

Result<long long> parse_date(std::string_view text, std::string_view what) {
  int y = 0;
  int m = 0;
  int d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !parse_int(text.substr(0, 4), y) ||
      !parse_int(text.substr(5, 2), m) || !parse_int(text.substr(8, 2), d) || m < 1 || m > 12 || d < 1 || d > 31) {
    return Error{std::string(what) + ": \"" + std::string(text) + "\" is not a date YYYY-MM-DD"};
  }
  const long long days = days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  int y2 = 0;
  unsigned m2 = 0;
  unsigned d2 = 0;
  civil_from_days(days, y2, m2, d2);
  if (static_cast<int>(m2) != m || static_cast<int>(d2) != d) {
    return Error{std::string(what) + ": \"" + std::string(text) + "\" is not a day of the calendar"};
  }
  return days;
}

std::string format_date(long long days) {
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  civil_from_days(days, y, m, d);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return buf;
}

Result<std::vector<DailyWindow>> parse_windows(std::string_view text) {
  std::vector<DailyWindow> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view part = text.substr(0, comma);
    DailyWindow w;
    if (part.size() != 11 || part[5] != '-' || !parse_hhmm(part.substr(0, 5), w.start_min) ||
        !parse_hhmm(part.substr(6, 5), w.end_min) || w.end_min <= w.start_min) {
      return Error{"office hours: \"" + std::string(part) + "\" is not a window HH:MM-HH:MM with end after start"};
    }
    if (!out.empty() && w.start_min < out.back().end_min) {
      return Error{"office hours: \"" + std::string(part) + "\" overlaps or precedes the previous window"};
    }
    out.push_back(w);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
  }
  if (out.empty()) return Error{"office hours: no window given"};
  return out;
}

Result<HoursMode> parse_hours(std::string_view text) {
  if (text == "office") return HoursMode::office;
  if (text == "all") return HoursMode::all;
  return Error{"--hours: \"" + std::string(text) + "\" is not office or all"};
}

Result<Lang> parse_lang(std::string_view text) {
  if (text == "vi") return Lang::vi;
  if (text == "en") return Lang::en;
  return Error{"--lang: \"" + std::string(text) + "\" is not vi or en"};
}

Result<std::pair<long long, long long>> period_ms(const ReportOptions& options) {
  auto from = parse_date(options.from_date, "--from");
  if (!from) return from.error();
  auto to = parse_date(options.to_date, "--to");
  if (!to) return to.error();
  if (to.value() < from.value()) {
    return Error{"--to " + options.to_date + " is before --from " + options.from_date};
  }
  const long long offset_ms = static_cast<long long>(options.schedule.utc_offset_min) * 60'000;
  constexpr long long k_day_ms = 86'400'000;
  return std::pair<long long, long long>{from.value() * k_day_ms - offset_ms, (to.value() + 1) * k_day_ms - offset_ms};
}

}  // namespace itsa::report
