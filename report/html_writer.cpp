// The helpers of the HTML report's writer (report/html_writer.hpp).
#include "report/html_writer.hpp"

#include <cmath>

#include "report/text.hpp"

namespace itsa::report::detail {

using nlohmann::json;

std::string Html::L(const char* key) const {
  return label(key, m_lang);
}

std::string Html::L(const char* key, std::initializer_list<std::string_view> args) const {
  return label(key, m_lang, args);
}

std::string Html::esc(const std::string& s) {
  return html_escape(s);
}

std::string Html::num(const json& v, int digits) const {
  return v.is_number() ? fmt_num(v.get<double>(), digits, m_lang) : "—";
}

std::string Html::date(const std::string& iso) const {
  return fmt_date(iso, m_lang);
}

std::string Html::datetime(const std::string& local) const {  // "YYYY-MM-DD HH:MM"
  return date(local.substr(0, 10)) + local.substr(10);
}

std::string Html::value_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "—";
  return v.dump();
}

std::string Html::join(const json& list) const {
  std::string out;
  for (const auto& v : list)
    out += (out.empty() ? "" : ", ") +
           (v.is_number() ? num(v, v.get<double>() == std::floor(v.get<double>()) ? 0 : 1) : value_text(v));
  return out.empty() ? L("none") : out;
}

void Html::table_open(std::initializer_list<const char*> header_keys) {
  m_out +=
      "<table class=\"ind\"><colgroup><col style=\"width:7%\"><col style=\"width:33%\"><col style=\"width:11%\">"
      "<col style=\"width:17%\"><col style=\"width:32%\"></colgroup><thead><tr>";
  for (const char* k : header_keys) m_out += "<th>" + esc(L(k)) + "</th>";
  m_out += "</tr></thead><tbody>";
  m_row = 0;
}

void Html::indicator(const std::string& name, const std::string& unit, const std::string& value,
                     const std::string& note) {
  m_out += "<tr><td class=\"c\">" + std::to_string(++m_row) + "</td><td>" + esc(name) + "</td><td class=\"c\">" +
           esc(unit) + "</td><td class=\"r\">" + esc(value) + "</td><td>" + esc(note) + "</td></tr>";
}

void Html::table_close() {
  m_out += "</tbody></table>";
}

void Html::figure(const std::string& svg, const char* caption_key) {
  m_out += "<figure>" + svg + "<figcaption>" + esc(L(caption_key)) + "</figcaption></figure>";
}

}  // namespace itsa::report::detail
