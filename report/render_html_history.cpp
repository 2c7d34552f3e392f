// The system log's events from before itsa (report["history"], compute_history.cpp): a table per
// PC, titled as read from the system log, after the network section and apart from every measured
// figure. Nothing is printed when no PC has such events.
#include "report/html_writer.hpp"

namespace itsa::report::detail {

using nlohmann::json;

void Html::history() {
  if (!m_r.contains("history")) return;  // a report computed before history existed
  const json& h = m_r["history"];
  if (!h.is_object() || !h.contains("machines") || !h["machines"].is_array() || h["machines"].empty()) return;
  m_out += "<section><h3>" + esc(L("history_title")) + "</h3>";
  m_out += "<p class=\"muted\">" + esc(L("history_note")) + "</p>";
  m_out += "<table><thead><tr><th>" + esc(L("no")) + "</th><th>" + esc(L("hostname")) + "</th><th>" + esc(L("site")) +
           "</th><th>" + esc(L("history_col_link_down")) + "</th><th>" + esc(L("history_col_nic_reset")) + "</th><th>" +
           esc(L("history_col_unexpected_shutdown")) + "</th><th>" + esc(L("history_col_crash")) + "</th><th>" +
           esc(L("history_col_span")) + "</th></tr></thead><tbody>";
  int n = 0;
  for (const auto& row : h["machines"]) {
    const std::string first = row["first"].is_string() ? date(row["first"].get<std::string>().substr(0, 10)) : "—";
    const std::string last = row["last"].is_string() ? date(row["last"].get<std::string>().substr(0, 10)) : "—";
    m_out += "<tr><td class=\"c\">" + std::to_string(++n) + "</td><td>" + esc(row["hostname"].get<std::string>()) +
             "</td><td>" + esc(row["site"].get<std::string>()) + "</td><td class=\"r\">" + num(row["link_down"]) +
             "</td><td class=\"r\">" + num(row["nic_reset"]) + "</td><td class=\"r\">" +
             num(row["unexpected_shutdown"]) + "</td><td class=\"r\">" + num(row["crash"]) + "</td><td class=\"c\">" +
             esc(first + " – " + last) + "</td></tr>";
  }
  m_out += "</tbody></table></section>";
}

}  // namespace itsa::report::detail
