// No English in a Vietnamese report (issue 16 item 9): the seeded month re-assessed by the real
// assessor (assess/, the installed profiles) and a procurement table, rendered in Vietnamese;
// the visible text (tags, styles and scripts stripped) must hold no word of an English list and
// no snake_case identifier.
#include <doctest/doctest.h>

#include <regex>
#include <set>
#include <string>

#include "assess/assess.hpp"
#include "common/time_format.hpp"
#include "report/compute.hpp"
#include "report/render.hpp"
#include "tests/report/seed_dataset.hpp"

using nlohmann::json;

namespace {

/// The text a reader sees: no <style>/<script>, no tags, entities decoded.
std::string visible_text(std::string html) {
  html = std::regex_replace(html, std::regex("<style[^]*?</style>"), " ");
  html = std::regex_replace(html, std::regex("<script[^]*?</script>"), " ");
  html = std::regex_replace(html, std::regex("<[^>]*>"), " ");
  for (const auto& [entity, c] :
       {std::pair{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}})
    html = std::regex_replace(html, std::regex(entity), c);
  return html;
}

/// English words that must not appear in a Vietnamese page (whole words, any case).
const std::set<std::string> k_english = {
    "the",      "and",       "of",       "for",        "with",    "years",       "year",   "supported", "ended",
    "extended", "unknown",   "required", "meets",      "does",    "not",         "site",   "sites",     "machine",
    "machines", "outage",    "outages",  "report",     "hours",   "minutes",     "days",   "cores",     "pass",
    "fail",     "inventory", "memory",   "none",       "yes",     "no",          "at",     "least",     "most",
    "legacy",   "boot",      "found",    "readable",   "version", "release",     "table",  "usable",    "installed",
    "only",     "may",       "could",    "determined", "office",  "recommended", "single", "wide",      "cause"};

/// Every English word and snake_case identifier in `text`.
std::set<std::string> english_in(const std::string& text) {
  std::set<std::string> found;
  static const std::regex word("[A-Za-z][A-Za-z0-9_]*");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), word); it != std::sregex_iterator(); ++it) {
    std::string w = it->str();
    if (text.compare(it->position() + it->length(), 5, ".json") == 0) continue;  // a file name (report.json)
    if (w.find('_') != std::string::npos && w.find_first_of("abcdefghijklmnopqrstuvwxyz") != std::string::npos) {
      found.insert(w);  // a snake_case identifier (rule ids, cause codes, JSON keys)
      continue;
    }
    std::string lower;
    for (char c : w) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (k_english.contains(lower)) found.insert(w);
  }
  return found;
}

/// The seeded dataset with each inventory assessed by the real assessor under the installed
/// office-recommended profile (as the agent does), so requirements and reasons are assess.cpp's.
itsa::report::ReportInput assessed_seed() {
  auto input = itsa::report::test::seed_dataset();
  auto profile = itsa::collectors::load_profile("office-recommended");
  REQUIRE(profile);
  for (auto& m : input.machines) {
    if (m.inventory) m.assessment = itsa::collectors::assess(*m.inventory, profile.value(), "2026-11-03");
  }
  return input;
}

}  // namespace

TEST_CASE("the English-word check finds English and identifiers (it can fail)") {
  CHECK(english_in("Tuổi máy: 16.7 years") == std::set<std::string>{"years"});
  CHECK(english_in("Nguyên nhân: link_down") == std::set<std::string>{"link_down"});
  CHECK(english_in("Bộ nhớ RAM 4 GB, SSD, Windows 10 Pro, CPU, DNS, LAN, Wi-Fi; tệp report.json").empty());
  CHECK(english_in(visible_text("<style>.the{}</style><p title=\"years\">máy &amp; mạng</p>")).empty());
}

TEST_CASE("the Vietnamese report has no English word and no identifier in its visible text") {
  itsa::report::ReportOptions o;
  o.from_date = "2026-11-02";
  o.to_date = "2026-11-03";
  o.lang = itsa::report::Lang::vi;
  o.generated_at = *itsa::parse_rfc3339("2026-11-04T03:00:00Z");
  o.assessor = [](const json& inventory, const std::string& name) -> std::optional<json> {
    auto profile = itsa::collectors::load_profile(name);
    if (!profile) return std::nullopt;
    return itsa::collectors::assess(inventory, profile.value(), "2026-11-03");
  };
  auto report = itsa::report::compute_report(assessed_seed(), o);
  REQUIRE(report);
  const std::string text = visible_text(itsa::report::render_html(report.value()));
  const auto found = english_in(text);
  std::string list;
  for (const auto& w : found) list += w + " ";
  CAPTURE(list);
  CHECK(found.empty());
}
