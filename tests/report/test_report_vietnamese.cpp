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
#include "report/catalogue.hpp"
#include "report/compute.hpp"
#include "report/render.hpp"
#include "report/text.hpp"
#include "tests/report/seed_dataset.hpp"
#include "tests/support/english_words.hpp"

using itsa::test::english_in;
using itsa::test::visible_text;
using nlohmann::json;

namespace {

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

// One catalogue for the report and the UI (issue 16 item 9): every entry has both languages,
// the same {n} arguments in each, and its Vietnamese holds no word of the English list.
TEST_CASE("the one catalogue: both languages, same arguments, no English in the Vietnamese") {
  const std::regex arg(R"(\{[1-9]\})");
  const auto args_of = [&](const std::string& text) {
    std::set<std::string> out;
    for (std::sregex_iterator it(text.begin(), text.end(), arg), end; it != end; ++it) out.insert(it->str());
    return out;
  };
  std::size_t ui_entries = 0;
  for (const auto& [key, entry] : itsa::report::catalogue()) {
    CAPTURE(key);
    REQUIRE(entry.vi != nullptr);
    REQUIRE(entry.en != nullptr);
    CHECK(std::string(entry.vi).size() > 0);
    CHECK(std::string(entry.en).size() > 0);
    CHECK(args_of(entry.vi) == args_of(entry.en));
    CHECK(english_in(entry.vi).empty());
    if (key.starts_with("ui.")) ++ui_entries;
  }
  CHECK(ui_entries > 50);  // the review UI's words live here too
  // The UI reads it: web::t() of a UI key and of a shared key.
  CHECK(itsa::report::label("ui.login", itsa::report::Lang::vi) == "Đăng nhập");
  CHECK(itsa::report::label("chart_bars", itsa::report::Lang::vi, {"phút"}) == "Biểu đồ cột ngang (phút)");
}

TEST_CASE("rule names: the disk-health rule is named as such, not as a disk below the requirement") {
  using itsa::report::Lang;
  CHECK(itsa::report::rule_label("disk_health", Lang::vi) == "Ổ đĩa hệ thống có dấu hiệu hỏng");
  CHECK(itsa::report::rule_label("disk_health", Lang::en) == "System disk failing");
  CHECK(itsa::report::rule_label("system_disk", Lang::vi) == "Ổ đĩa không đạt yêu cầu");
}
