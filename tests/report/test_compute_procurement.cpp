// The procurement proposal table (report/compute_procurement.cpp, issue 16 item 11): one proposal
// per PC by the documented rule, the OS classes kept apart, counts, and the rules cited from
// report.json (report/settings.cpp).
#include <doctest/doctest.h>

#include <string>

#include "common/time_format.hpp"
#include "report/compute.hpp"
#include "report/render.hpp"
#include "report/settings.hpp"

using itsa::report::Lang;
using itsa::report::MachineInput;
using itsa::report::ReportInput;
using itsa::report::ReportOptions;
using nlohmann::json;

namespace {

constexpr double k_gib = 1024.0 * 1024 * 1024;

json rule(const char* id, bool pass) {
  return {{"id", id}, {"result", pass ? "pass" : "fail"}, {"measured", nullptr}, {"required", nullptr}};
}

// A PC with an inventory (BIOS date, RAM, disk, OS and its support) and an office-recommended
// assessment failing `failing`; `win11` is what a windows11 assessment of it says.
MachineInput pc(const std::string& host, const std::string& bios, double ram_gib, const char* media, const char* os,
                json support, std::vector<const char*> failing, bool win11) {
  MachineInput m{"agent-" + host, host, "Nha A", "0.2.0", std::nullopt, std::nullopt, {}};
  m.inventory = json{{"hostname", host},
                     {"bios", {{"release_date", bios}}},
                     {"cpu", {{"model", "Intel(R) Core(TM) i3"}}},
                     {"memory", {{"installed_bytes", ram_gib * k_gib}}},
                     {"disks", json::array({{{"name", "sda"}, {"media", media}, {"system", true}}})},
                     {"os", {{"name", os}, {"support", support}}},
                     {"test_windows11", win11}};
  json rules = json::array();
  for (const char* id : {"cpu_cores", "memory", "system_disk_ssd", "os_supported", "machine_age"}) {
    bool pass = true;
    for (const char* f : failing) pass = pass && std::string(f) != id;
    rules.push_back(rule(id, pass));
  }
  m.assessment = json{
      {"profile", "office-recommended"}, {"verdict", failing.empty() ? "meets" : "does_not_meet"}, {"rules", rules}};
  return m;
}

ReportOptions options(const char* to = "2026-11-30", Lang lang = Lang::en) {
  ReportOptions o;
  o.to_date = to;
  o.from_date = o.to_date.substr(0, 8) + "01";
  o.lang = lang;
  o.generated_at = *itsa::parse_rfc3339("2026-12-01T03:00:00Z");
  // What the server's profile_assessor does for "windows11", answered from the test inventory.
  o.assessor = [](const json& inventory, const std::string& profile) -> std::optional<json> {
    if (profile != "windows11") return std::nullopt;
    return json{{"profile", "windows11"},
                {"verdict", inventory.value("test_windows11", false) ? "meets" : "does_not_meet"}};
  };
  return o;
}

ReportInput agency() {
  const json win7 = {{"status", "ended"}, {"ends", "2020-01-14"}, {"extended_ends", "2023-01-10"}};
  const json win10 = {{"status", "extended"}, {"ends", "2025-10-14"}, {"extended_ends", "2028-10-10"}};
  const json win11 = {{"status", "supported"}, {"ends", "2029-10-09"}};
  ReportInput in;
  in.machines.push_back(pc("OLD-C2D", "2012-03-01", 2, "hdd", "Windows 7 Professional", win7,
                           {"cpu_cores", "memory", "system_disk_ssd", "os_supported", "machine_age"}, false));
  in.machines.push_back(pc("MID-RAM", "2022-06-01", 4, "hdd", "Windows 10 Pro", win10,
                           {"memory", "system_disk_ssd", "os_supported"}, true));
  in.machines.push_back(
      pc("OLD-W10", "2020-05-01", 8, "ssd", "Windows 10 Pro", win10, {"os_supported", "machine_age"}, false));
  in.machines.push_back(pc("OS-ONLY", "2023-09-01", 16, "ssd", "Windows 10 Pro", win10, {"os_supported"}, true));
  in.machines.push_back(pc("NEW", "2025-09-01", 16, "ssd", "Windows 11 Pro", win11, {}, true));
  MachineInput none{"agent-NOINV", "NOINV", "Nha A", "0.2.0", std::nullopt, std::nullopt, {}};
  in.machines.push_back(none);
  return in;
}

const json* row_of(const json& rows, const std::string& host) {
  for (const auto& r : rows)
    if (r["hostname"] == host) return &r;
  return nullptr;
}

}  // namespace

TEST_CASE("one proposal per PC by the rule, replacements first; the OS classes are kept apart") {
  auto r = itsa::report::compute_report(agency(), options());
  REQUIRE(r);
  const json& p = r.value()["machines"]["procurement"];
  CHECK(
      p["counts"] ==
      json{{"replace", 2}, {"replace_disk", 0}, {"upgrade_ram_ssd", 1}, {"update_os", 1}, {"keep", 1}, {"unknown", 1}});
  const json& rows = p["rows"];
  REQUIRE(rows.size() == 6);
  CHECK(rows[0]["hostname"] == "OLD-C2D");  // replacements first, oldest first
  CHECK(rows[1]["hostname"] == "OLD-W10");

  const json* c2d = row_of(rows, "OLD-C2D");
  REQUIRE(c2d);
  CHECK((*c2d)["proposal"] == "replace");
  CHECK((*c2d)["reasons"] == json::array({"cpu_below_spec", "past_useful_life", "no_windows11"}));
  CHECK((*c2d)["os_class"] == "ended");  // Windows 7: no updates at all
  CHECK((*c2d)["windows11_ready"] == false);
  const json* w10 = row_of(rows, "OLD-W10");
  CHECK((*w10)["proposal"] == "replace");
  CHECK((*w10)["os_class"] == "paid_extension_only");  // Windows 10 after 14/10/2025, cannot take 11
  const json* mid = row_of(rows, "MID-RAM");
  CHECK((*mid)["proposal"] == "upgrade_ram_ssd");
  CHECK((*mid)["reasons"] == json::array({"ram_below_spec", "hdd"}));
  CHECK((*mid)["os_class"] == "free_update");  // takes Windows 11 for free
  const json* os = row_of(rows, "OS-ONLY");
  CHECK((*os)["proposal"] == "update_os");
  CHECK((*os)["reasons"] == json::array({"os_free_update"}));
  CHECK((*row_of(rows, "NEW"))["proposal"] == "keep");
  CHECK((*row_of(rows, "NEW"))["os_class"] == "supported");
  CHECK((*row_of(rows, "NOINV"))["proposal"] == "unknown");

  // The rules cited: by the period (141/2025 from 2026), the default price ceiling.
  CHECK(p["useful_life"] == json{{"years", 5.0}, {"source", "Thông tư 141/2025/TT-BTC"}});
  CHECK(p["price_ceiling"]["vnd"] == 15'000'000.0);
  CHECK(p["price_ceiling"]["source"] == "Quyết định 50/2017/QĐ-TTg");
  CHECK(p["replacement_budget_vnd"] == 30'000'000.0);
  auto r2025 = itsa::report::compute_report(agency(), options("2025-12-31"));
  REQUIRE(r2025);
  CHECK(r2025.value()["machines"]["procurement"]["useful_life"]["source"] == "Thông tư 23/2023/TT-BTC");
}

TEST_CASE("the proposal table in Vietnamese: proposals, OS support dates dd/mm/yyyy, the rules and their sources") {
  auto r = itsa::report::compute_report(agency(), options("2026-11-30", Lang::vi));
  REQUIRE(r);
  const std::string html = itsa::report::render_html(r.value());
  CHECK(html.find("Bảng đề xuất trang bị, nâng cấp") != std::string::npos);
  CHECK(html.find("Windows 7 Professional — đã hết hỗ trợ từ 10/01/2023") != std::string::npos);
  CHECK(html.find("Windows 10 Pro — chỉ còn hỗ trợ có trả phí từ 14/10/2025") != std::string::npos);
  CHECK(html.find("Tổng hợp đề xuất: thay mới 2 máy; thay ổ cứng 0 máy; nâng cấp RAM và SSD 1 máy; cập nhật hệ điều "
                  "hành 1 máy") != std::string::npos);
  CHECK(html.find("15.000.000 đồng theo Quyết định 50/2017/QĐ-TTg; thay mới 2 máy: tối đa 30.000.000 đồng") !=
        std::string::npos);
  CHECK(html.find("5 năm theo Thông tư 141/2025/TT-BTC") != std::string::npos);
}

TEST_CASE("report.json sets the procurement rules; a bad value names its key") {
  auto s = itsa::report::parse_settings(json::parse(R"({"procurement": {"useful_life_years": 4,
      "useful_life_source": "Quyết định của UBND tỉnh", "price_ceiling_vnd": null, "checked": "2026-12-01"}})"),
                                        "report.json");
  REQUIRE(s);
  CHECK(s.value().procurement.useful_life_years == 4);
  CHECK_FALSE(s.value().procurement.price_ceiling_vnd.has_value());
  ReportOptions o = options();
  o.procurement = s.value().procurement;
  auto r = itsa::report::compute_report(agency(), o);
  REQUIRE(r);
  const json& p = r.value()["machines"]["procurement"];
  CHECK(p["useful_life"]["source"] == "Quyết định của UBND tỉnh");
  CHECK(p["replacement_budget_vnd"].is_null());
  CHECK(r.value()["machines"]["age"]["useful_life_years"] == 4.0);

  auto bad =
      itsa::report::parse_settings(json::parse(R"({"procurement": {"price_ceiling_vnd": "15tr"}})"), "report.json");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message ==
        "report.json: procurement.price_ceiling_vnd: expected a positive number of VND, or null");
  auto unknown = itsa::report::parse_settings(json::parse(R"({"procurement": {"gia": 1}})"), "report.json");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().message.find("procurement.gia: unknown key") != std::string::npos);
}

TEST_CASE("the date the procurement rules were checked reads as the reader writes it") {
  auto o = options("2026-11-30", Lang::vi);
  o.procurement.checked = "2026-11";
  auto month = itsa::report::compute_report(agency(), o);
  REQUIRE(month);
  CHECK(itsa::report::render_html(month.value()).find("kiểm tra lần cuối 11/2026") != std::string::npos);
  o.procurement.checked = "2026-11-03";
  auto day = itsa::report::compute_report(agency(), o);
  REQUIRE(day);
  CHECK(itsa::report::render_html(day.value()).find("kiểm tra lần cuối 03/11/2026") != std::string::npos);
}
