#include "server/web/timeline.hpp"

#include <algorithm>
#include <cstdio>

namespace itsa::server::web {

const char* cause_colour(const std::string& cause) {
  if (cause == "link_down") return "#d32f2f";
  if (cause == "lan") return "#f57c00";
  if (cause == "upstream") return "#7b1fa2";
  if (cause == "dns") return "#1976d2";
  return "#555555";
}

std::string timeline_svg(Lang lang, std::int64_t from_ms, std::int64_t to_ms, const std::vector<Span>& coverage,
                         const std::vector<OutageView>& outages, int utc_offset_min) {
  constexpr double k_width = 960, k_bar_y = 5, k_bar_h = 30, k_left = 0;
  const double span = static_cast<double>(std::max<std::int64_t>(1, to_ms - from_ms));
  auto x_of = [&](std::int64_t t) {
    return k_left + k_width * static_cast<double>(std::clamp(t, from_ms, to_ms) - from_ms) / span;
  };
  char buf[256];
  std::string s =
      "<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 960 60\" width=\"100%\" role=\"img\" "
      "aria-label=\"" +
      html_escape(t(lang, "connectivity")) + "\">";
  std::snprintf(buf, sizeof buf,
                "<rect x=\"0\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"#dddddd\"><title>%s</title></rect>",
                k_bar_y, k_width, k_bar_h, html_escape(t(lang, "not_observed")).c_str());
  s += buf;
  for (const auto& c : coverage) {
    std::snprintf(buf, sizeof buf,
                  "<rect class=\"observed\" x=\"%.2f\" y=\"%.0f\" width=\"%.2f\" height=\"%.0f\" fill=\"#7cc47f\"/>",
                  x_of(c.start_ms), k_bar_y, std::max(0.5, x_of(c.end_ms) - x_of(c.start_ms)), k_bar_h);
    s += buf;
  }
  for (const auto& o : outages) {
    if (o.span.end_ms < from_ms || o.span.start_ms > to_ms) continue;
    std::snprintf(buf, sizeof buf,
                  "<rect class=\"outage %s\" x=\"%.2f\" y=\"%.0f\" width=\"%.2f\" height=\"%.0f\" fill=\"%s\">",
                  html_escape(o.cause).c_str(), x_of(o.span.start_ms), k_bar_y,
                  std::max(1.5, x_of(o.span.end_ms) - x_of(o.span.start_ms)), k_bar_h, cause_colour(o.cause));
    s += buf;
    s += "<title>" + html_escape(t(lang, o.cause)) + " " + format_datetime(lang, o.span.start_ms, utc_offset_min) +
         " (" + format_number(lang, static_cast<double>(o.span.end_ms - o.span.start_ms) / 60000.0, 1) +
         " min)</title></rect>";
  }
  // Day ticks: every day over a week, every 5 days over a month.
  const std::int64_t day = k_day_ms;
  const std::int64_t step = (to_ms - from_ms) > 10 * day ? 5 * day : day;
  const std::int64_t offset = static_cast<std::int64_t>(utc_offset_min) * 60000;
  for (std::int64_t tick = ((from_ms + offset) / day + 1) * day - offset; tick < to_ms; tick += step) {
    std::snprintf(buf, sizeof buf,
                  "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"%.0f\" y2=\"%.0f\" stroke=\"#333\" stroke-width=\"0.5\"/>",
                  x_of(tick), x_of(tick), k_bar_y, k_bar_y + k_bar_h + 4);
    s += buf;
    std::snprintf(buf, sizeof buf, "<text x=\"%.2f\" y=\"55\" font-size=\"10\">%s</text>", x_of(tick) + 2,
                  format_date(lang, tick, utc_offset_min).substr(0, 5).c_str());
    s += buf;
  }
  s += "</svg><p class=\"legend\">";
  s += "<span style=\"background:#7cc47f\"></span>" + html_escape(t(lang, "observed"));
  s += "<span style=\"background:#dddddd\"></span>" + html_escape(t(lang, "not_observed"));
  for (const char* cause : {"link_down", "lan", "upstream", "dns", "unknown"})
    s += std::string("<span style=\"background:") + cause_colour(cause) + "\"></span>" + html_escape(t(lang, cause));
  return s + "</p>";
}

}  // namespace itsa::server::web
