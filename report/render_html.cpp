// The printable HTML report: A4 pages, administrative layout (STT / Chỉ tiêu / Đơn vị tính /
// Số liệu / Ghi chú tables), inline SVG charts, no scripts and no external assets. This file is
// the document skeleton (style, header, footer); the writer is report/html_writer.hpp and each
// section is in render_html_<section>.cpp.
#include <string>

#include "report/html_writer.hpp"
#include "report/render.hpp"
#include "report/text.hpp"

namespace itsa::report {

namespace detail {

using nlohmann::json;

namespace {

const char* const k_css = R"CSS(
@page { size: A4; margin: 16mm 15mm 16mm 20mm; }
* { box-sizing: border-box; }
body { font-family: "Times New Roman", Tinos, "Liberation Serif", "Noto Serif", "DejaVu Serif", serif;
       font-size: 12pt; line-height: 1.35; color: #000; margin: 0; }
main { max-width: 180mm; margin: 0 auto; }
header.doc { display: flex; justify-content: space-between; align-items: flex-start; margin-bottom: 6mm; }
header.doc .agency { text-align: center; font-weight: bold; text-transform: uppercase; font-size: 11.5pt; }
header.doc .agency .site { font-weight: normal; text-transform: none; }
header.doc .asof { text-align: right; font-style: italic; font-size: 11pt; }
h1 { text-align: center; font-size: 14pt; margin: 2mm 0 1mm; }
p.sub { text-align: center; margin: 0; font-style: italic; }
p.period { text-align: center; margin: 1mm 0 6mm; }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm; }
h3 { font-size: 12pt; font-style: italic; margin: 4mm 0 2mm; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0 3mm; font-size: 10pt; }
th, td { border: 0.6pt solid #000; padding: 0.9mm 1.3mm; vertical-align: top; }
th { background: #eee; text-align: center; font-weight: bold; }
td { overflow-wrap: anywhere; }
td.c { text-align: center; } td.r { text-align: right; }
table.ind { table-layout: fixed; }
tr { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
.page { break-before: page; page-break-before: always; }
figure { margin: 2mm 0 4mm; break-inside: avoid; page-break-inside: avoid; }
figcaption { text-align: center; font-style: italic; font-size: 10.5pt; margin-top: 1mm; }
svg text { font-family: "Times New Roman", Tinos, "Liberation Serif", "DejaVu Serif", serif; }
ul { margin: 1mm 0 3mm; padding-left: 6mm; } li { margin-bottom: 1mm; }
.v-supported { color: #a50026; font-weight: bold; } .v-partly_supported { color: #b35806; font-weight: bold; }
.v-not_supported { color: #1a6330; font-weight: bold; } .v-insufficient_data, .v-not_measured { color: #555; font-weight: bold; }
.fail { color: #a50026; } .muted { color: #555; font-size: 10.5pt; }
footer { margin-top: 8mm; font-size: 10pt; font-style: italic; border-top: 0.6pt solid #000; padding-top: 2mm; }
@media screen { body { background: #f3f3f3; } main { background: #fff; padding: 15mm; margin: 10mm auto; box-shadow: 0 0 4px #999; } }
)CSS";

}  // namespace

std::string Html::build() {
  head();
  scope();
  computers();
  network();
  history();
  claims();
  m_out += "<footer>" + esc(L("footer")) + " itsa · " + esc(m_r["generated_at"].get<std::string>()) + "</footer>";
  m_out += "</main></body></html>\n";
  return m_out;
}

void Html::head() {
  const std::string title = L("title");
  m_out += "<!DOCTYPE html>\n<html lang=\"" + L("lang_code") + "\"><head><meta charset=\"utf-8\">";
  m_out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + esc(title) + "</title>";
  m_out += "<style>" + std::string(k_css) + "</style></head><body><main>";
  const std::string agency = m_r["agency"].is_string() ? m_r["agency"].get<std::string>() : "";
  const std::string site = m_r["site"].is_string() ? m_r["site"].get<std::string>() : L("all_sites");
  m_out += "<header class=\"doc\"><div class=\"agency\">" + esc(agency.empty() ? L("agency") : agency) +
           "<br><span class=\"site\">" + esc(L("site")) + ": " + esc(site) + "</span></div>";
  m_out += "<div class=\"asof\">" + esc(L("data_as_of")) + " " +
           esc(date(m_r["generated_at"].get<std::string>().substr(0, 10))) + "</div></header>";
  m_out += "<h1>" + esc(L("appendix")) + "<br>" + esc(title) + "</h1><p class=\"sub\">" + esc(L("subtitle")) + "</p>";
  const json& p = m_r["period"];
  m_out += "<p class=\"period\">(" + esc(L("period")) + ": " + esc(L("from_to", {date(p["from"]), date(p["to"])})) +
           "; " + esc(p["hours"] == "office" ? L("hours_office") : L("hours_all")) + ")</p>";
}

}  // namespace detail

std::string render_json(const nlohmann::json& report) {
  return report.dump(2) + "\n";
}

std::string render_html(const nlohmann::json& report) {
  const Lang lang = report.value("lang", std::string("vi")) == "en" ? Lang::en : Lang::vi;
  return detail::Html(report, lang).build();
}

}  // namespace itsa::report
