#pragma once
// The writer of the printable HTML report: one Html object builds the document. Its helpers
// (labels, escaping, numbers, dates, the indicator tables) are in html_writer.cpp; the document
// skeleton is in render_html.cpp and each section in a file of its own, as compute_*.cpp:
// render_html_scope.cpp (I), render_html_computers.cpp (II), render_html_network.cpp (III),
// render_html_claims.cpp (IV). Every word comes from the text catalogue (report/text.hpp).
// Not a public interface: render_html() in report/render.hpp is.
#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "report/options.hpp"

namespace itsa::report::detail {

class Html {
 public:
  Html(const nlohmann::json& report, Lang lang) : m_r(report), m_lang(lang) {}

  /// The whole document (render_html.cpp).
  std::string build();

 private:
  const nlohmann::json& m_r;
  Lang m_lang;
  std::string m_out;
  int m_row = 0;

  // The document skeleton (render_html.cpp).
  void head();

  // I. Scope and method (render_html_scope.cpp).
  void scope();
  /// Where the recorded probe settings come from, and which machines differ or recorded none.
  std::string probe_note(const nlohmann::json& probe) const;
  std::string office_hours_text() const;

  // II. Computers (render_html_computers.cpp).
  void computers();
  /// The procurement proposal table (machines.procurement), after the machine list.
  void procurement();
  std::string failing_reason(const nlohmann::json& f) const;
  /// A disk media code (ssd, hdd, nvme, unknown) as a reader writes it.
  std::string media_text(const nlohmann::json& media) const;
  /// A machine row's system disk verdict, with the deciding reason when failing or worn.
  std::string disk_health_cell(const nlohmann::json& row) const;

  // III. Network (render_html_network.cpp).
  void network();

  // The system log's events from before itsa, apart from every measurement (render_html_history.cpp).
  void history();

  // IV. Claims (render_html_claims.cpp).
  void claims();

  // Helpers (html_writer.cpp).
  /// The catalogue's label of `key` in the report's language.
  std::string L(const char* key) const;
  /// The label with {1}, {2}, ... replaced by `args`.
  std::string L(const char* key, std::initializer_list<std::string_view> args) const;
  static std::string esc(const std::string& s);
  bool vi() const { return m_lang == Lang::vi; }
  /// A JSON number in the report's format, "—" when not a number.
  std::string num(const nlohmann::json& v, int digits = 0) const;
  /// "YYYY-MM-DD" as dd/mm/yyyy in Vietnamese; as is in English.
  std::string date(const std::string& iso) const;
  /// "YYYY-MM-DD HH:MM" with the date as date() writes it.
  std::string datetime(const std::string& local) const;
  /// A string as is, "—" for null, else its JSON text.
  static std::string value_text(const nlohmann::json& v);
  /// The list's items separated by ", " (numbers in the report's format); "None" when empty.
  std::string join(const nlohmann::json& list) const;
  /// Opens a five-column indicator table (STT / Chỉ tiêu / Đơn vị tính / Số liệu / Ghi chú) headed by labels.
  void table_open(std::initializer_list<const char*> header_keys);
  /// One numbered row of the indicator table; every cell escaped.
  void indicator(const std::string& name, const std::string& unit, const std::string& value,
                 const std::string& note = "");
  void table_close();
  /// An inline SVG chart with the caption of `caption_key`.
  void figure(const std::string& svg, const char* caption_key);
};

}  // namespace itsa::report::detail
