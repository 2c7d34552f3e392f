#include "report/csv_table.hpp"

#include <cstdio>

#include "report/text.hpp"

namespace itsa::report {

using nlohmann::json;

/// A number as a spreadsheet in the report's locale reads it: up to 3 decimals, no trailing
/// zeros, a decimal comma in Vietnamese (Excel in a Vietnamese locale), no digit grouping.
std::string csv_number_text(double value, Lang lang) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", value);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  if (lang == Lang::vi)
    for (char& c : s)
      if (c == '.') c = ',';
  return s;
}

/// "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" (local) as dd/mm/yyyy[ HH:MM] in Vietnamese; anything else
/// (UTC RFC 3339 times, text) as is.
std::string csv_date_text(const std::string& s, Lang lang) {
  const auto digits = [&](std::size_t from, std::size_t n) {
    for (std::size_t i = from; i < from + n; ++i)
      if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    return true;
  };
  const bool date = s.size() >= 10 && digits(0, 4) && s[4] == '-' && digits(5, 2) && s[7] == '-' && digits(8, 2);
  if (lang != Lang::vi || !date) return s;
  if (s.size() == 10) return s.substr(8, 2) + "/" + s.substr(5, 2) + "/" + s.substr(0, 4);
  if (s.size() == 16 && s[10] == ' ' && digits(11, 2) && s[13] == ':' && digits(14, 2))
    return s.substr(8, 2) + "/" + s.substr(5, 2) + "/" + s.substr(0, 4) + s.substr(10);
  return s;
}

std::string csv_value_cell(const json& v, Lang lang) {
  if (v.is_string()) return csv_cell(csv_date_text(v.get<std::string>(), lang));
  if (v.is_null()) return "";
  if (v.is_array()) {
    std::string s;
    for (const auto& e : v) s += (s.empty() ? "" : ", ") + (e.is_string() ? e.get<std::string>() : e.dump());
    return csv_cell(s);
  }
  if (v.is_boolean()) return label(v.get<bool>() ? "yes" : "proc_no", lang);
  // A number we wrote holds only digits, a sign and its decimal mark: never quoted, so a
  // spreadsheet reads it as a number whichever separator the table uses.
  if (v.is_number_float()) return csv_number_text(v.get<double>(), lang);
  return csv_cell(v.dump(), false);  // an integer
}

CsvWriter::CsvWriter(std::string name, std::initializer_list<const char*> column_keys, Lang lang)
    : m_name(std::move(name)), m_lang(lang), m_sep(lang == Lang::vi ? ";" : ",") {
  m_text = "\xEF\xBB\xBF";
  std::string line;
  for (const char* key : column_keys) line += (line.empty() ? "" : m_sep) + csv_value_cell(label(key, lang), lang);
  m_text += line + "\r\n";
}

void CsvWriter::row(std::initializer_list<json> values) {
  std::string line;
  bool first = true;
  for (const json& v : values) {
    line += (first ? "" : m_sep) + csv_value_cell(v, m_lang);
    first = false;
  }
  m_text += line + "\r\n";
}

CsvTable CsvWriter::done() {
  return {m_name, m_text};
}

}  // namespace itsa::report
