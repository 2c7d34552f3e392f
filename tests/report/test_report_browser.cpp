// The HTML report printed by headless Chromium to PDF and PNG; the files stay in
// <build>/tests/report/artifacts/ for a person to look at (report-*.png: the screen view;
// report-*-page-N.png: each printed page). Checks the PDF is A4, has the
// expected pages, and that its text (pdftotext) keeps the Vietnamese diacritics.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/time_format.hpp"
#include "report/compute.hpp"
#include "report/render.hpp"
#include "tests/report/seed_dataset.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

/// Runs a shell command; returns its stdout.
std::string run(const std::string& command, int& status) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    status = -1;
    return out;
  }
  char buf[4096];
  std::size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  status = pclose(pipe);
  return out;
}

fs::path artifacts() {
  const fs::path dir = fs::path(ITSA_BINARY_DIR) / "tests" / "report" / "artifacts";
  fs::create_directories(dir);
  return dir;
}

/// Prints `html` to PDF and a PNG screenshot with Chromium.
void print(const std::string& name, const std::string& html, int width_px, int height_px) {
  int status = 0;
  run("command -v chromium", status);
  REQUIRE_MESSAGE(status == 0, "chromium not found: run scripts/install-deps --tests");
  const fs::path dir = artifacts();
  const fs::path html_file = dir / (name + ".html");
  std::ofstream(html_file, std::ios::binary) << html;
  const fs::path profile = itsa::test::temp_dir() / "chromium-profile";
  const std::string common =
      "chromium --headless --no-sandbox --disable-gpu --disable-background-networking "
      "--disable-component-update --disable-sync --no-first-run --hide-scrollbars --user-data-dir=" +
      profile.string() + " ";
  fs::remove(dir / (name + ".pdf"));
  fs::remove(dir / (name + ".png"));
  run(common + "--no-pdf-header-footer --print-to-pdf=" + (dir / (name + ".pdf")).string() + " file://" +
          html_file.string() + " 2>/dev/null",
      status);
  CHECK(status == 0);
  run(common + "--window-size=" + std::to_string(width_px) + "," + std::to_string(height_px) +
          " --screenshot=" + (dir / (name + ".png")).string() + " file://" + html_file.string() + " 2>/dev/null",
      status);
  CHECK(status == 0);
}

}  // namespace

TEST_CASE("the Vietnamese and English reports print to A4 PDF and PNG") {
  for (const auto lang : {itsa::report::Lang::vi, itsa::report::Lang::en}) {
    const std::string name = lang == itsa::report::Lang::vi ? "report-vi" : "report-en";
    CAPTURE(name);
    itsa::report::ReportOptions o;
    o.from_date = "2026-11-02";
    o.to_date = "2026-11-03";
    o.lang = lang;
    o.generated_at = *itsa::parse_rfc3339("2026-11-04T03:00:00Z");
    auto report = itsa::report::compute_report(itsa::report::test::seed_dataset(), o);
    REQUIRE(report);
    print(name, itsa::report::render_html(report.value()), 1000, 1400);

    const fs::path pdf = artifacts() / (name + ".pdf");
    const fs::path png = artifacts() / (name + ".png");
    REQUIRE(fs::exists(pdf));
    REQUIRE(fs::exists(png));
    CHECK(read_file(pdf).rfind("%PDF-", 0) == 0);
    CHECK(read_file(png).substr(1, 3) == "PNG");
    CHECK(fs::file_size(png) > 20'000);

    int status = 0;
    const std::string info = run("pdfinfo " + pdf.string(), status);
    REQUIRE(status == 0);
    CHECK(info.find("(A4)") != std::string::npos);
    // Sections I, II, III and IV start on their own pages: at least 4 pages.
    const auto pages_at = info.find("Pages:");
    REQUIRE(pages_at != std::string::npos);
    const int pages = std::atoi(info.c_str() + pages_at + 6);
    CHECK(pages >= 4);
    CHECK(pages <= 12);

    // Every printed page as a PNG too, for a person to look at (pdftoppm pads the page number to
    // the width of the last one: page-1.png, or page-01.png from 10 pages on).
    for (const auto& e : fs::directory_iterator(artifacts()))
      if (e.path().filename().string().rfind(name + "-page-", 0) == 0) fs::remove(e.path());
    run("pdftoppm -r 80 -png " + pdf.string() + " " + (artifacts() / (name + "-page")).string(), status);
    CHECK(status == 0);
    CHECK((fs::exists(artifacts() / (name + "-page-1.png")) || fs::exists(artifacts() / (name + "-page-01.png"))));

    const std::string text = run("pdftotext -enc UTF-8 " + pdf.string() + " -", status);
    REQUIRE(status == 0);
    if (lang == itsa::report::Lang::vi) {
      CHECK(text.find("PHẠM VI VÀ PHƯƠNG PHÁP") != std::string::npos);
      CHECK(text.find("Số lần mất kết nối") != std::string::npos);
      CHECK(text.find("Tỷ lệ sẵn sàng") != std::string::npos);
    } else {
      CHECK(text.find("SCOPE AND METHOD") != std::string::npos);
      CHECK(text.find("Number of outages") != std::string::npos);
    }
    // Fonts are embedded (system fonts, no downloads).
    const std::string fonts = run("pdffonts " + pdf.string(), status);
    CHECK(fonts.find("yes") != std::string::npos);
  }
}

namespace {

/// Lays `html` out at the printable width of A4 (210 mm − 35 mm of margins = 661 px at 96 dpi)
/// in Chromium and returns what a script found: "WIDTH:<px>:<tables and figures wider than
/// that, as index:right edge>:END".
std::string overflow_probe(const std::string& name, std::string html) {
  const std::string probe =
      "<style>@media screen{body{margin:0!important;background:#fff!important}"
      "main{padding:0!important;margin:0!important;max-width:none!important;box-shadow:none!important}}</style>"
      "<script>window.addEventListener('load',function(){var w=document.documentElement.clientWidth,bad=[];"
      "document.querySelectorAll('table,figure,svg,p,li').forEach(function(e,i){var r=e.getBoundingClientRect();"
      "if(r.right>w+1)bad.push(e.tagName+i+'@'+Math.round(r.right));});"
      "document.title='WIDTH:'+w+':'+bad.join(',')+':END';});</script>";
  const auto at = html.find("</head>");
  REQUIRE(at != std::string::npos);
  html.insert(at, probe);
  const fs::path file = artifacts() / (name + "-width.html");
  std::ofstream(file, std::ios::binary) << html;
  const fs::path profile = itsa::test::temp_dir() / "chromium-profile";
  int status = 0;
  const std::string dom =
      run("chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
          "--disable-sync --no-first-run --hide-scrollbars --virtual-time-budget=5000 --window-size=661,900 "
          "--user-data-dir=" +
              profile.string() + " --dump-dom file://" + file.string() + " 2>/dev/null",
          status);
  CHECK(status == 0);
  const auto from = dom.find("WIDTH:");
  const auto to = dom.find(":END", from);
  REQUIRE(from != std::string::npos);
  REQUIRE(to != std::string::npos);
  return dom.substr(from, to + 4 - from);
}

}  // namespace

TEST_CASE("no table, chart or paragraph of the report is wider than an A4 page (issue 16 blocker 3)") {
  // Long values: several sites (their list sits in section I), long host names, two versions.
  itsa::report::ReportInput input = itsa::report::test::seed_dataset();
  for (std::size_t i = 0; i < input.machines.size(); ++i)
    input.machines[i].site = "Trung tâm Hành chính công tỉnh - Nhà làm việc số " + std::to_string(i % 3 + 1);
  for (const auto lang : {itsa::report::Lang::vi, itsa::report::Lang::en}) {
    CAPTURE(static_cast<int>(lang));
    itsa::report::ReportOptions o;
    o.from_date = "2026-11-02";
    o.to_date = "2026-11-03";
    o.lang = lang;
    o.generated_at = *itsa::parse_rfc3339("2026-11-04T03:00:00Z");
    auto report = itsa::report::compute_report(input, o);
    REQUIRE(report);
    const std::string found = overflow_probe(lang == itsa::report::Lang::vi ? "wide-vi" : "wide-en",
                                             itsa::report::render_html(report.value()));
    CHECK(found == "WIDTH:661::END");
  }
}
