// Section IV of the HTML report: each claim of the report set against the measurements, with
// the sentence to quote and the verdict, then the cabling evidence per PC behind claim 4
// ("N short drops a day on this PC"; Wi-Fi disconnects apart).
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
  m_out += "</tbody></table>";
  // The cabling evidence per PC, those with anything to show (at most 15).
  std::string rows;
  int shown = 0;
  for (const auto& pc : m_r["network"]["cabling"]) {
    const long long any = pc["short_drops"].get<long long>() + pc["crc_errors"].get<long long>() +
                          pc["speed_downgrades"].get<long long>() + pc["wifi_disconnects"].get<long long>();
    if (any == 0 || shown >= 15) continue;
    rows += "<tr><td class=\"c\">" + std::to_string(++shown) + "</td><td>" + esc(pc["hostname"].get<std::string>()) +
            "</td><td class=\"r\">" + num(pc["short_drops_per_day"], 1) + "</td><td class=\"r\">" +
            num(pc["crc_errors"]) + "</td><td class=\"r\">" + num(pc["speed_downgrades"]) + "</td><td class=\"r\">" +
            num(pc["wifi_disconnects"]) + "</td><td class=\"c\">" + (pc["signs"].empty() ? "" : esc(L("yes"))) +
            "</td></tr>";
  }
  if (shown > 0) {
    m_out += "<h3>" + esc(L("cabling_evidence")) + "</h3><table><thead><tr><th>" + esc(L("no")) + "</th><th>" +
             esc(L("hostname")) + "</th><th>" + esc(L("short_drops_per_day")) + "</th><th>" + esc(L("crc")) +
             "</th><th>" + esc(L("speed_downgrades")) + "</th><th>" + esc(L("wifi_disconnects")) + "</th><th>" +
             esc(L("cabling_sign")) + "</th></tr></thead><tbody>" + rows + "</tbody></table>";
  }
  m_out += "</section>";
}

}  // namespace itsa::report::detail
