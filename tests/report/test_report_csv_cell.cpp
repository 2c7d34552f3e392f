// report::csv_cell: RFC 4180 quoting and OWASP's CSV-injection rule (issue 17), for every CSV the
// server or the agent writes (report tables, /machines.csv).
#include <doctest/doctest.h>

#include "report/text.hpp"

using itsa::report::csv_cell;

TEST_CASE("text cells that a spreadsheet would run as a formula get a leading quote") {
  CHECK(csv_cell("PC-KETOAN-01") == "PC-KETOAN-01");
  CHECK(csv_cell("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"");
  CHECK(csv_cell("+1") == "'+1");
  CHECK(csv_cell("-2+3") == "'-2+3");
  CHECK(csv_cell("@SUM(A1)") == "'@SUM(A1)");
  CHECK(csv_cell("\tcmd") == "'\tcmd");
  CHECK(csv_cell("\r=1") == "\"'\r=1\"");
  CHECK(csv_cell("") == "");
  CHECK(csv_cell("a=b") == "a=b");  // only the first character matters
}

TEST_CASE("numbers we wrote stay numbers; separators, quotes and line breaks are quoted") {
  CHECK(csv_cell("-3.5", false) == "-3.5");
  CHECK(csv_cell("1,5", false) == "\"1,5\"");
  CHECK(csv_cell("Nhà B, tầng 2") == "\"Nhà B, tầng 2\"");
  CHECK(csv_cell("PC-A; PC-B") == "\"PC-A; PC-B\"");  // ';' separates cells in Vietnamese CSV
  CHECK(csv_cell("PC-A, PC-B") == "\"PC-A, PC-B\"");
  CHECK(csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_cell("two\nlines") == "\"two\nlines\"");
}
