#include "report/svg_charts.hpp"

#include <algorithm>
#include <cstdio>

#include "report/text.hpp"

namespace itsa::report::svg {

namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string text(double x, double y, const std::string& content, const char* anchor = "start", int size = 11,
                 const char* weight = "normal") {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\" font-size=\"" +
         std::to_string(size) + "\" font-weight=\"" + weight + "\">" + html_escape(content) + "</text>";
}

std::string rect(double x, double y, double w, double h, const std::string& fill) {
  return "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(std::max(w, 0.0)) + "\" height=\"" + num(h) +
         "\" fill=\"" + fill + "\"/>";
}

std::string open_svg(double width, double height, const std::string& title) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + num(width) + " " + num(height) +
         "\" width=\"100%\" role=\"img\" font-family=\"inherit\"><title>" + html_escape(title) + "</title>";
}

/// A day outside the working days (weekend, holiday) in the heatmap.
constexpr const char* k_off_day_color = "#f4f4f4";

/// Colour of an availability percentage (null = not observed).
const char* availability_color(const nlohmann::json& pct) {
  if (!pct.is_number()) return "#d9d9d9";
  const double v = pct.get<double>();
  if (v >= 99.9) return "#1a9850";
  if (v >= 99.0) return "#91cf60";
  if (v >= 95.0) return "#fee08b";
  if (v >= 90.0) return "#fc8d59";
  return "#d73027";
}

}  // namespace

std::string horizontal_bars(const std::vector<Bar>& bars, const std::string& unit, Lang lang) {
  const double width = 640;
  const double label_w = 230;
  const double row_h = 26;
  const double axis_y = row_h * static_cast<double>(bars.size()) + 8;
  const double height = axis_y + 30;
  double max = 0;
  for (const Bar& b : bars) max = std::max(max, b.value);
  if (max <= 0) max = 1;
  std::string out = open_svg(width, height, label("chart_bars", lang, {unit}));
  // The value axis: 0, half and the largest value, with the unit at its end.
  const double span = width - label_w - 60;
  out += "<line x1=\"" + num(label_w) + "\" y1=\"" + num(axis_y) + "\" x2=\"" + num(label_w + span) + "\" y2=\"" +
         num(axis_y) + "\" stroke=\"#555\"/>";
  for (const double f : {0.0, 0.5, 1.0}) {
    const double x = label_w + span * f;
    out += "<line x1=\"" + num(x) + "\" y1=\"" + num(axis_y) + "\" x2=\"" + num(x) + "\" y2=\"" + num(axis_y + 4) +
           "\" stroke=\"#555\"/>";
    out +=
        text(x, axis_y + 15, fmt_num(max * f, max * f == static_cast<long long>(max * f) ? 0 : 1, lang), "middle", 9);
  }
  out += text(label_w + span + 8, axis_y + 15, unit, "start", 9);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double y = 5 + row_h * static_cast<double>(i);
    const double w = (width - label_w - 60) * bars[i].value / max;
    out += text(label_w - 8, y + 16, bars[i].label, "end");
    out += rect(label_w, y + 3, w, row_h - 8, bars[i].color);
    out += text(label_w + w + 6, y + 16, fmt_num(bars[i].value, 0, lang), "start", 11, "bold");
  }
  return out + "</svg>";
}

std::string histogram(const std::vector<Bar>& bars, const std::string& unit_caption, Lang lang) {
  const double width = 640;
  const double height = 200;
  const double base = 160;
  const double slot = (width - 40) / static_cast<double>(std::max<std::size_t>(bars.size(), 1));
  double max = 0;
  for (const Bar& b : bars) max = std::max(max, b.value);
  if (max <= 0) max = 1;
  std::string out = open_svg(width, height, label("chart_histogram", lang, {unit_caption}));
  out += "<line x1=\"20\" y1=\"" + num(base) + "\" x2=\"" + num(width - 20) + "\" y2=\"" + num(base) +
         "\" stroke=\"#555\"/>";
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double x = 20 + slot * static_cast<double>(i);
    const double h = (base - 25) * bars[i].value / max;
    out += rect(x + slot * 0.15, base - h, slot * 0.7, h, bars[i].color);
    out += text(x + slot / 2, base - h - 5, fmt_num(bars[i].value, 0, lang), "middle", 12, "bold");
    out += text(x + slot / 2, base + 16, bars[i].label, "middle");
  }
  out += text(width / 2, base + 36, unit_caption, "middle", 11);
  return out + "</svg>";
}

std::string verdict_bars(const nlohmann::json& rules, Lang lang) {
  const double width = 640;
  const double label_w = 250;
  const double row_h = 26;
  const double height = row_h * static_cast<double>(rules.size()) + 36;
  double max = 0;
  for (const auto& r : rules)
    max = std::max(max, r["pass"].get<double>() + r["fail"].get<double>() + r["unknown"].get<double>());
  if (max <= 0) max = 1;
  const double scale = (width - label_w - 20) / max;
  std::string out = open_svg(width, height, label("chart_verdicts", lang));
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto& r = rules[i];
    const double y = 5 + row_h * static_cast<double>(i);
    double x = label_w;
    out += text(label_w - 8, y + 16, r["label"].get<std::string>(), "end");
    const std::pair<const char*, const char*> parts[] = {
        {"fail", "#d73027"}, {"unknown", "#bdbdbd"}, {"pass", "#1a9850"}};
    for (const auto& [key, color] : parts) {
      const double v = r[key].get<double>();
      if (v <= 0) continue;
      out += rect(x, y + 3, v * scale, row_h - 8, color);
      out += "<text x=\"" + num(x + v * scale / 2) + "\" y=\"" + num(y + 16) +
             "\" text-anchor=\"middle\" font-size=\"11\" fill=\"#fff\" font-weight=\"bold\">" + fmt_num(v, 0, lang) +
             "</text>";
      x += v * scale;
    }
  }
  const double ly = height - 14;
  const std::pair<const char*, std::string> legend[] = {{"#d73027", label("legend_fails", lang)},
                                                        {"#bdbdbd", label("unknown", lang)},
                                                        {"#1a9850", label("legend_passes", lang)}};
  double lx = label_w;
  for (const auto& [color, name] : legend) {
    out += rect(lx, ly - 9, 12, 12, color) + text(lx + 16, ly + 1, name);
    lx += 110;
  }
  return out + "</svg>";
}

std::string availability_heatmap(const nlohmann::json& daily, Lang lang) {
  const std::size_t rows = daily.size();
  const std::size_t cols = rows > 0 ? daily[0]["days"].size() : 0;
  const double label_w = 120;
  const double width = 640;
  const double cell_w = cols > 0 ? std::min(40.0, (width - label_w - 10) / static_cast<double>(cols)) : 40;
  const double cell_h = 16;
  const double top = 34;
  const double height = top + cell_h * static_cast<double>(rows) + 58;
  std::string out = open_svg(width, height, label("chart_availability", lang));
  const std::size_t label_every = cols > 16 ? (cols + 15) / 16 : 1;
  for (std::size_t c = 0; c < cols; ++c) {
    if (c % label_every != 0) continue;
    const std::string date = daily[0]["days"][c]["date"].get<std::string>();  // YYYY-MM-DD
    out += text(label_w + cell_w * (static_cast<double>(c) + 0.5), top - 6, date.substr(8, 2) + "/" + date.substr(5, 2),
                "middle", 9);
  }
  for (std::size_t r = 0; r < rows; ++r) {
    const double y = top + cell_h * static_cast<double>(r);
    out += text(label_w - 6, y + cell_h - 4, daily[r]["hostname"].get<std::string>(), "end", 10);
    for (std::size_t c = 0; c < cols; ++c) {
      const auto& day = daily[r]["days"][c];
      // A day with no office hours that was not observed is outside working time, not "not observed".
      const bool off_day = !day["availability_pct"].is_number() && !day.value("working_day", true);
      out +=
          "<rect x=\"" + num(label_w + cell_w * static_cast<double>(c)) + "\" y=\"" + num(y) + "\" width=\"" +
          num(cell_w - 1) + "\" height=\"" + num(cell_h - 1) + "\" fill=\"" +
          (off_day ? k_off_day_color : availability_color(day["availability_pct"])) + "\"><title>" +
          html_escape(daily[r]["hostname"].get<std::string>() + " " + fmt_date(day["date"].get<std::string>(), lang) +
                      ": " + fmt_pct(day["availability_pct"], 2, lang)) +
          "</title></rect>";
    }
  }
  const double ly = top + cell_h * static_cast<double>(rows) + 20;
  const std::pair<const char*, const char*> legend[] = {{"#1a9850", "≥ 99,9%"},
                                                        {"#91cf60", "99–99,9%"},
                                                        {"#fee08b", "95–99%"},
                                                        {"#fc8d59", "90–95%"},
                                                        {"#d73027", "< 90%"}};
  double lx = label_w;
  for (const auto& [color, name] : legend) {
    std::string caption = name;
    if (lang == Lang::en) std::replace(caption.begin(), caption.end(), ',', '.');
    out += rect(lx, ly - 9, 12, 12, color) + text(lx + 16, ly + 1, caption, "start", 10);
    lx += 82;
  }
  out += rect(lx, ly - 9, 12, 12, "#d9d9d9") + text(lx + 16, ly + 1, label("legend_off", lang), "start", 10);
  out += rect(label_w, ly + 7, 12, 12, k_off_day_color) +
         text(label_w + 16, ly + 17, label("legend_non_working", lang), "start", 10);
  return out + "</svg>";
}

}  // namespace itsa::report::svg
