#pragma once
// One CSV table as a spreadsheet in the reader's locale opens it: UTF-8 with BOM (Excel reads
// Vietnamese text), CRLF rows, headers from the catalogue in the reader's language. Vietnamese:
// ';' between cells, decimal commas, dates dd/mm/yyyy (Excel in a Vietnamese locale); English:
// ',' and decimal points. The report's tables and the UI's /machines.csv are written with it.
#include <initializer_list>
#include <string>

#include <nlohmann/json.hpp>

#include "report/options.hpp"
#include "report/render.hpp"

namespace itsa::report {

/// A number as a spreadsheet in `lang`'s locale reads it: up to 3 decimals, no trailing zeros,
/// a decimal comma in Vietnamese, no digit grouping.
std::string csv_number_text(double value, Lang lang);
/// "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" (local) as dd/mm/yyyy[ HH:MM] in Vietnamese; anything else
/// (UTC RFC 3339 times, text) as is.
std::string csv_date_text(const std::string& s, Lang lang);
/// One cell of a JSON value: text quoted as csv_cell() does (dates as csv_date_text), numbers
/// in the locale, booleans as Có/Không, null empty, arrays joined by ", ".
std::string csv_value_cell(const nlohmann::json& v, Lang lang);

/// A table being written.
class CsvWriter {
 public:
  /// A table whose header row is the catalogue's labels of `column_keys` (report/catalogue.cpp).
  CsvWriter(std::string name, std::initializer_list<const char*> column_keys, Lang lang);
  /// One row of values, in the columns' order.
  void row(std::initializer_list<nlohmann::json> values);
  /// The finished table.
  CsvTable done();

 private:
  std::string m_name;
  Lang m_lang;
  std::string m_sep;
  std::string m_text;
};

}  // namespace itsa::report
