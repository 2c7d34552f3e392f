#pragma once
// The English-word check of issue 16 item 9, shared by the report and UI tests: the text a
// reader sees of an HTML page, and the English words and snake_case identifiers in it.
#include <cctype>
#include <regex>
#include <set>
#include <string>

namespace itsa::test {

/// The text a reader sees: no <style>/<script>, no tags, entities decoded.
inline std::string visible_text(std::string html) {
  html = std::regex_replace(html, std::regex("<style[^]*?</style>"), " ");
  html = std::regex_replace(html, std::regex("<script[^]*?</script>"), " ");
  html = std::regex_replace(html, std::regex("<[^>]*>"), " ");
  for (const auto& [entity, c] :
       {std::pair{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}})
    html = std::regex_replace(html, std::regex(entity), c);
  return html;
}

/// English words that must not appear in a Vietnamese page (whole words, any case).
inline const std::set<std::string> k_english = {
    "the",      "and",       "of",       "for",        "with",    "years",       "year",   "supported", "ended",
    "extended", "unknown",   "required", "meets",      "does",    "not",         "site",   "sites",     "machine",
    "machines", "outage",    "outages",  "report",     "hours",   "minutes",     "days",   "cores",     "pass",
    "fail",     "inventory", "memory",   "none",       "yes",     "no",          "at",     "least",     "most",
    "legacy",   "boot",      "found",    "readable",   "version", "release",     "table",  "usable",    "installed",
    "only",     "may",       "could",    "determined", "office",  "recommended", "single", "wide",      "cause"};

/// Every English word and snake_case identifier in `text`.
inline std::set<std::string> english_in(const std::string& input) {
  std::set<std::string> found;
  // Product names Vietnamese IT staff use as they are.
  const std::string text = std::regex_replace(input, std::regex("Secure Boot"), "");
  static const std::regex word("[A-Za-z][A-Za-z0-9_]*");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), word); it != std::sregex_iterator(); ++it) {
    std::string w = it->str();
    // A file name (report.json, machines.csv) is a name, not a word.
    if (text.compare(it->position() + it->length(), 5, ".json") == 0 ||
        text.compare(it->position() + it->length(), 4, ".csv") == 0)
      continue;
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

}  // namespace itsa::test
