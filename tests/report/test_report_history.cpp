// The system log's events from before itsa (history records, issue 18 item 4): a separate table per
// PC, titled as read from the system log, and no measured figure changes with them.
#include <doctest/doctest.h>

#include <algorithm>

#include "common/time_format.hpp"
#include "report/compute.hpp"
#include "report/render.hpp"
#include "tests/report/seed_dataset.hpp"

using nlohmann::json;

namespace {

itsa::report::ReportOptions options(itsa::report::Lang lang) {
  itsa::report::ReportOptions o;
  o.from_date = "2026-11-02";
  o.to_date = "2026-11-03";
  o.lang = lang;
  o.generated_at = *itsa::parse_rfc3339("2026-11-04T03:00:00Z");
  o.minimums.working_days = 2;
  return o;
}

json compute(const itsa::report::ReportInput& in, itsa::report::Lang lang = itsa::report::Lang::vi) {
  auto r = itsa::report::compute_report(in, options(lang));
  REQUIRE(r);
  return r.value();
}

itsa::report::ReportInput without_history() {
  auto in = itsa::report::test::seed_dataset();
  for (auto& m : in.machines)
    m.records.erase(std::remove_if(m.records.begin(), m.records.end(),
                                   [](const itsa::report::Record& r) { return r.type == "history"; }),
                    m.records.end());
  return in;
}

}  // namespace

TEST_CASE("history: counted per PC from the records before installation, apart from the measurements") {
  const json with = compute(itsa::report::test::seed_dataset());
  const json h = with["history"];
  REQUIRE(h["machines"].size() == 2);
  CHECK(h["machines_with_events"] == 2);
  // Machines in report order: by site ("Branch" before "HQ"), then hostname.
  const json& e = h["machines"][0];
  CHECK(e["hostname"] == "PC-E");
  CHECK(e["nic_reset"] == 1);
  CHECK(e["sources"] == json::array({"linux_journal"}));
  const json& a = h["machines"][1];
  CHECK(a["hostname"] == "PC-A");
  CHECK(a["link_down"] == 14);  // the 3 logged after installation are not "before itsa"
  CHECK(a["unexpected_shutdown"] == 2);
  CHECK(a["nic_reset"] == 0);
  CHECK(a["crash"] == 0);
  CHECK(a["first"] == "2026-10-15T01:00:00Z");
  CHECK(a["last"] == "2026-10-20T05:00:00Z");
  CHECK(a["sources"] == json::array({"windows_system_log"}));
  CHECK(h["totals"]["link_down"] == 14);
  CHECK(h["totals"]["unexpected_shutdown"] == 2);
  CHECK(h["totals"]["nic_reset"] == 1);

  // Every measured figure is the same without the history records: outages, downtime,
  // availability, unexpected shutdowns and crashes measured by itsa, the claims.
  const json without = compute(without_history());
  CHECK(without["history"]["machines"].empty());
  CHECK(with["scope"] == without["scope"]);
  CHECK(with["machines"] == without["machines"]);
  CHECK(with["network"] == without["network"]);
  CHECK(with["claims"] == without["claims"]);
}

TEST_CASE("history: the HTML table is titled as read from the system log; none when there is nothing") {
  const std::string vi = itsa::report::render_html(compute(itsa::report::test::seed_dataset()));
  const auto title = vi.find("Sự cố theo nhật ký hệ thống trước khi cài itsa");
  REQUIRE(title != std::string::npos);
  CHECK(vi.find("không phải số liệu itsa đo được", title) != std::string::npos);
  CHECK(vi.find("Số lần mất liên kết cáp mạng", title) != std::string::npos);
  const std::string en = itsa::report::render_html(compute(itsa::report::test::seed_dataset(), itsa::report::Lang::en));
  CHECK(en.find("Incidents in the system log before itsa was installed") != std::string::npos);
  const std::string none = itsa::report::render_html(compute(without_history()));
  CHECK(none.find("Sự cố theo nhật ký hệ thống") == std::string::npos);
}

TEST_CASE("history: a CSV table of its own") {
  const auto tables = itsa::report::render_csv(compute(itsa::report::test::seed_dataset()));
  const auto it = std::find_if(tables.begin(), tables.end(),
                               [](const itsa::report::CsvTable& t) { return t.name == "history_system_log.csv"; });
  REQUIRE(it != tables.end());
  CHECK(it->content.find("PC-A") != std::string::npos);
  CHECK(it->content.find(";14;0;2;0;") != std::string::npos);  // link downs, resets, shutdowns, crashes
  CHECK(it->content.find("PC-E") != std::string::npos);
}
