// Section IV of the HTML report: each claim of the report set against the measurements, with
// the sentence to quote and the verdict.
#include <string>

#include "report/html_writer.hpp"
#include "report/text.hpp"

namespace itsa::report::detail {

void Html::claims() {
  m_out += "<section class=\"page\"><h2>" + esc(L("s4")) + "</h2><p>" + esc(L("claims_intro")) + "</p>";
  m_out += "<table><thead><tr><th>" + esc(L("no")) + "</th><th style=\"width:28%\">" + esc(L("claim")) + "</th><th>" +
           esc(L("finding")) + "</th><th style=\"width:16%\">" + esc(L("assessment")) + "</th></tr></thead><tbody>";
  int n = 0;
  for (const auto& c : m_r["claims"]) {
    const std::string v = c["verdict"].get<std::string>();
    m_out += "<tr><td class=\"c\">" + std::to_string(++n) + "</td><td><i>" + esc(c["claim"].get<std::string>()) +
             "</i></td><td>" + esc(c["text"].get<std::string>()) + "</td><td class=\"c v-" + v + "\">" +
             esc(verdict_label(v, m_lang)) + "</td></tr>";
  }
  m_out += "</tbody></table></section>";
}

}  // namespace itsa::report::detail
