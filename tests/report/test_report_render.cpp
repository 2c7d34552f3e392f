// The HTML and CSV writers on the seeded dataset: self-contained printable HTML in both
// languages, every table as a UTF-8-with-BOM CSV file.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/time_format.hpp"
#include "report/compute.hpp"
#include "report/render.hpp"
#include "report/text.hpp"
#include "tests/report/seed_dataset.hpp"
#include "tests/support/temp_dir.hpp"

using nlohmann::json;

namespace {

json seeded(itsa::report::Lang lang) {
  itsa::report::ReportOptions o;
  o.from_date = "2026-11-02";
  o.to_date = "2026-11-03";
  o.lang = lang;
  o.generated_at = *itsa::parse_rfc3339("2026-11-04T03:00:00Z");
  auto r = itsa::report::compute_report(itsa::report::test::seed_dataset(), o);
  REQUIRE(r);
  return r.value();
}

bool has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("HTML in Vietnamese: self-contained, printable, figures from the report") {
  const std::string html = itsa::report::render_html(seeded(itsa::report::Lang::vi));
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(has(html, "<html lang=\"vi\">"));
  CHECK(has(html, "<meta charset=\"utf-8\">"));
  // No scripts, no external assets.
  CHECK_FALSE(has(html, "<script"));
  CHECK_FALSE(has(html, "src="));
  CHECK_FALSE(has(html, "@import"));
  CHECK_FALSE(has(html, "url("));
  CHECK_FALSE(has(html, "<link"));
  // Print layout.
  CHECK(has(html, "@page { size: A4;"));
  CHECK(has(html, "break-before: page"));
  // Header, sections, charts.
  CHECK(has(html, "Ban Dân tộc tỉnh Quảng Ngãi"));
  CHECK(has(html, "từ ngày 02/11/2026 đến ngày 03/11/2026"));
  CHECK(has(html, "I. PHẠM VI VÀ PHƯƠNG PHÁP"));
  CHECK(has(html, "II. MÁY TÍNH"));
  CHECK(has(html, "III. HỆ THỐNG MẠNG"));
  CHECK(has(html, "IV. NHẬN ĐỊNH TỪ SỐ LIỆU"));
  CHECK(has(html, "<svg"));
  // Each chart's title (what a screen reader and a hover read) in the report's language.
  CHECK(has(html, "<title>Biểu đồ tỷ lệ kết nối theo ngày và địa điểm</title>"));
  CHECK(has(html, "<title>Biểu đồ số máy đạt, không đạt theo tiêu chí</title>"));
  CHECK(has(html, "<title>Biểu đồ phân bố ("));
  CHECK(has(html, "<title>Biểu đồ cột ngang (lần)</title>"));
  // Figures in Vietnamese number format.
  CHECK(has(html, "96,684%"));  // availability
  CHECK(has(html, "47,0"));     // observed PC-hours
  CHECK(has(html, "Có 3/4 máy tính (75,0%)"));
  CHECK(has(html, "02/11/2026 11:00"));    // the outage spanning lunch, local time
  CHECK(has(html, "Toàn bộ máy tại HQ"));  // issue 16: "đơn vị" is the agency, not a site
  CHECK(has(html, "PC-D"));                // the machine that was off is named in the limits
  // Escaping: the report never injects raw text.
  json r = seeded(itsa::report::Lang::vi);
  r["agency"] = "<b>x</b> & \"y\"";
  CHECK(has(itsa::report::render_html(r), "&lt;b&gt;x&lt;/b&gt; &amp; &quot;y&quot;"));
}

TEST_CASE("html_escape: text and attribute values, for the report and the review UI") {
  CHECK(itsa::report::html_escape("Phòng \"Kế toán\" & <Tổ 1>, O'Neil") ==
        "Phòng &quot;Kế toán&quot; &amp; &lt;Tổ 1&gt;, O&#39;Neil");
  CHECK(itsa::report::html_escape("") == "");
}

TEST_CASE("HTML in English") {
  const std::string html = itsa::report::render_html(seeded(itsa::report::Lang::en));
  CHECK(has(html, "<html lang=\"en\">"));
  CHECK(has(html, "I. SCOPE AND METHOD"));
  CHECK(has(html, "96.684%"));
  CHECK(has(html, "3 of 4 computers (75.0%) do not meet"));
  CHECK_FALSE(has(html, "PHẠM VI"));
}

TEST_CASE("CSV: one UTF-8-with-BOM file per table") {
  const json r = seeded(itsa::report::Lang::vi);
  const auto dir = itsa::test::temp_dir() / "csv";
  auto written = itsa::report::write_csv_dir(r, dir.string());
  REQUIRE(written);
  CHECK(written.value().size() == 14);
  const auto read = [&](const char* name) {
    std::ifstream f(dir / name, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  };
  const std::string outages = read("outages.csv");
  CHECK(outages.rfind("\xEF\xBB\xBF", 0) == 0);
  CHECK(has(outages, "Bắt đầu (UTC)"));
  // Header + 3 events.
  CHECK(std::count(outages.begin(), outages.end(), '\n') == 4);
  // Vietnamese: ';' between cells, local times dd/mm/yyyy, minutes, human labels (issue 16 item 13).
  CHECK(has(outages, "Thời gian tính (phút)"));
  CHECK(has(outages,
            "2026-11-03T02:00:00Z;2026-11-03T02:12:00Z;03/11/2026 09:00;03/11/2026 09:12;12;upstream;Nhà cung cấp dịch "
            "vụ Internet;Toàn bộ máy tại địa điểm;\"PC-A, PC-B, PC-C\";"));
  const std::string machines = read("machines.csv");
  CHECK(std::count(machines.begin(), machines.end(), '\n') == 6);
  // RAM in GB, decimal comma, the OS support and disk type in words.
  CHECK(has(machines, "PC-A;HQ;agent-a;Không đạt;11,4;01/06/2015;4;"));
  CHECK(has(machines, ";Windows 10 Pro;chỉ còn hỗ trợ có trả phí;HDD;"));
  const std::string summary = read("summary.csv");
  CHECK(has(summary, "availability_pct") == false);
  CHECK(has(summary, ";availability;96,684;%"));
  CHECK(has(summary, ";by_cause.link_down;1;"));
  CHECK(has(summary, ";downtime;93,5;phút"));
  // English: ',' and decimal points.
  const auto en = itsa::report::render_csv(seeded(itsa::report::Lang::en));
  const auto en_summary = std::find_if(en.begin(), en.end(), [](const auto& t) { return t.name == "summary.csv"; });
  REQUIRE(en_summary != en.end());
  CHECK(has(en_summary->content, ",availability,96.684,%"));
  const std::string daily = read("availability_daily.csv");
  CHECK(std::count(daily.begin(), daily.end(), '\n') == 1 + 5 * 2);
  CHECK(has(read("claims.csv"), ";\"Có 3/4 máy tính (75,0%)"));  // a cell with a comma is quoted
  // A directory that cannot be created is an error, not a crash.
  std::ofstream(dir / "file") << "x";
  CHECK_FALSE(itsa::report::write_csv_dir(r, (dir / "file" / "sub").string()));
}

TEST_CASE("text catalogue: placeholders, unknown keys, every rendered word found") {
  using itsa::report::label;
  using itsa::report::Lang;
  CHECK(label("from_to", Lang::vi, {"02/11/2026", "03/11/2026"}) == "từ ngày 02/11/2026 đến ngày 03/11/2026");
  CHECK(label("from_to", Lang::en, {"2026-11-02", "2026-11-03"}) == "from 2026-11-02 to 2026-11-03");
  // An argument is inserted as it is, never read again as a placeholder.
  CHECK(label("site_wide_event", Lang::en, {"{1} & {2}"}) == "Site-wide {1} & {2}");
  CHECK(label("no_such_key", Lang::vi) == "no_such_key");
  CHECK(label("no_such_key", Lang::en, {"x"}) == "no_such_key");
  CHECK(itsa::report::fmt_duration(45, Lang::vi) == "45 giây");
  CHECK(itsa::report::fmt_duration(7500, Lang::en) == "2 h 05 min");
  // The review UI's numbers: no "-0", "—" when not finite.
  CHECK(itsa::report::format_number(Lang::vi, 1234.56, 1) == "1.234,6");
  CHECK(itsa::report::format_number(Lang::en, -1234567, 0) == "-1,234,567");
  CHECK(itsa::report::format_number(Lang::en, -0.01, 1) == "0.0");
  CHECK(itsa::report::format_number(Lang::vi, std::nan(""), 1) == "—");
  // A key missing from the catalogue would be printed as the key itself.
  for (const auto lang : {Lang::vi, Lang::en}) {
    const json r = seeded(lang);
    std::string text = itsa::report::render_html(r);
    for (const auto& t : itsa::report::render_csv(r)) text += t.content;
    for (const char* leftover : {"{1}", "{2}", "{3}", "csv_", "meaning_", "limit_", "probe_mixed", "rule_", "legend_"})
      CHECK_MESSAGE(!has(text, leftover), leftover);
  }
}
