// The Report page of the review UI over real HTTP on loopback: the real itsa-server, a small
// dataset ingested through the real /api/v1/ingest, a reviewer who logs in, opens /report and
// downloads each format; the JSON figures are hand-computed below. Also: the page and
// `itsa-server report` read the same <data-dir>/report.json and give the same report.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include <nlohmann/json.hpp>

#include "tests/server/records.hpp"
#include "tests/server/server_process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace itsa::test;
using nlohmann::json;

namespace {

const std::string k_agent_a = "0b9d0000-0000-4000-8000-00000000a001";
const std::string k_agent_b = "0b9d0000-0000-4000-8000-00000000b002";

/// Unix ms of an RFC 3339 UTC time.
std::int64_t at(const char* text) {
  return itsa::to_unix_ms(*itsa::parse_rfc3339(text));
}

std::string batch(const std::string& agent, const std::vector<itsa::server::RecordIn>& records) {
  json arr = json::array();
  for (const auto& r : records) {
    arr.push_back({{"agent_id", r.agent_id},
                   {"boot_id", r.boot_id},
                   {"seq", r.seq},
                   {"type", r.type},
                   {"time", iso(r.time_ms)},
                   {"payload", json::parse(r.payload_json)}});
  }
  return json{{"schema_version", 1}, {"agent_id", agent}, {"records", arr}}.dump();
}

/// An assessment that meets (every rule passes).
json meets() {
  return {
      {"profile", "default"},
      {"verdict", "meets"},
      {"rules",
       {{{"id", "ram_min"}, {"result", "pass"}, {"measured", "16 GiB"}, {"required", ">= 8 GiB"}, {"reason", ""}}}}};
}

/// Tuesday 2026-11-03, local UTC+7. Both PCs observed 08:00–12:00 local (01:00–05:00Z).
/// PC-A: link_down 09:00–09:10 local (600 s, inside office hours), does not meet (ram_min).
/// PC-B: upstream 11:00–12:00 local (office hours end 11:30: 1,800 s counted), meets.
void ingest_dataset(int port, const std::string& token) {
  const auto secret_a = enrol(port, token, k_agent_a, "PC-A");
  const auto secret_b = enrol(port, token, k_agent_b, "PC-B");
  REQUIRE_FALSE(secret_a.empty());
  REQUIRE_FALSE(secret_b.empty());
  const std::int64_t c0 = at("2026-11-03T01:00:00Z");
  const std::int64_t c1 = at("2026-11-03T05:00:00Z");
  const std::vector<itsa::server::RecordIn> a{
      record(k_agent_a, 1, "inventory", c0, inventory("PC-A")),
      record(k_agent_a, 2, "assessment", c0, assessment("does_not_meet")),
      record(k_agent_a, 3, "outage", at("2026-11-03T02:10:00Z"),
             outage("outage-a", at("2026-11-03T02:00:00Z"), at("2026-11-03T02:10:00Z"), "link_down")),
      record(k_agent_a, 4, "coverage", c1, coverage(c0, c1)),
  };
  const std::vector<itsa::server::RecordIn> b{
      record(k_agent_b, 1, "inventory", c0, inventory("PC-B")),
      record(k_agent_b, 2, "assessment", c0, meets()),
      record(k_agent_b, 3, "outage", c1, outage("outage-b", at("2026-11-03T04:00:00Z"), c1, "upstream")),
      record(k_agent_b, 4, "coverage", c1, coverage(c0, c1)),
  };
  for (const auto& [agent, secret, records] :
       {std::tuple{k_agent_a, secret_a, a}, std::tuple{k_agent_b, secret_b, b}}) {
    auto r = http_request(port, "POST", "/api/v1/ingest",
                          {"Authorization: Bearer " + secret, "Content-Type: application/json"}, batch(agent, records));
    REQUIRE(r.status == 200);
    CHECK(json::parse(r.body)["stored"] == 4);
  }
}

/// Logs in as the prepared reviewer; returns the "Cookie: itsa_session=..." header.
std::string login(int port) {
  auto session = reviewer_session(port);
  REQUIRE_FALSE(session.empty());
  return session;
}

/// The report JSON without what differs between two runs (the generation time).
json comparable(json report) {
  report.erase("generated_at");
  return report;
}

}  // namespace

TEST_CASE("the Report page over loopback: form, HTML, JSON and CSV from ingested records") {
  const auto dir = (temp_dir() / "data").string();
  const auto token = prepare_data_dir(dir);
  ServerProcess server(dir);
  REQUIRE(server.running());
  const int port = server.port();
  ingest_dataset(port, token);

  // Login required for every route of the page.
  for (const char* target : {"/report", "/report.html", "/report.json?from=2026-11-03&to=2026-11-03", "/report.csv"}) {
    auto anon = http_request(port, "GET", target);
    CHECK_MESSAGE(anon.status == 303, target);
    CHECK(anon.header("location") == "/login");
  }
  const std::string session = login(port);

  // The form, in Vietnamese by default, with a button per format; English with the UI language.
  auto form = http_request(port, "GET", "/report", {session});
  REQUIRE(form.status == 200);
  CHECK(form.body.find("Tải JSON") != std::string::npos);
  CHECK(form.body.find("Tải CSV") != std::string::npos);
  CHECK(form.body.find("Tải HTML") != std::string::npos);
  CHECK(form.body.find("formaction=\"/report.json\"") != std::string::npos);
  CHECK(form.body.find("<option value=\"So Tai chinh\"") != std::string::npos);  // the sites of the store
  auto form_en = http_request(port, "GET", "/report", {session + "; lang=en"});
  CHECK(form_en.body.find("Download JSON") != std::string::npos);

  const std::string period = "from=2026-11-03&to=2026-11-03";
  // Every CSV table the form offers, named in Vietnamese, is a table the report has.
  CHECK(form.body.find(">Bảng đề xuất trang bị, nâng cấp (procurement.csv)</option>") != std::string::npos);
  int offered = 0;
  for (std::size_t at = form.body.find("<select id=\"table\"");
       (at = form.body.find("<option value=\"", at)) != std::string::npos;) {
    at += 15;
    const std::string file = form.body.substr(at, form.body.find('"', at) - at);
    if (!file.ends_with(".csv")) break;
    ++offered;
    CAPTURE(file);
    CHECK(http_request(port, "GET", "/report.csv?" + period + "&table=" + file, {session}).status == 200);
  }
  CHECK(offered == 14);

  // JSON (office hours): every figure hand-computed from the dataset above.
  auto j = http_request(port, "GET", "/report.json?" + period, {session});
  REQUIRE(j.status == 200);
  CHECK(j.header("content-type").find("application/json") == 0);
  CHECK(j.header("content-disposition") == "attachment; filename=\"itsa-report-2026-11-03-2026-11-03.json\"");
  const json r = json::parse(j.body);
  CHECK(r["lang"] == "vi");  // Vietnamese by default
  CHECK(r["period"]["from"] == "2026-11-03");
  CHECK(r["period"]["to"] == "2026-11-03");
  CHECK(r["period"]["hours"] == "office");
  CHECK(r["period"]["counted_s"] == 7.5 * 3600);  // 07:30–11:30 + 13:30–17:00
  CHECK(r["generated_at"].is_string());
  CHECK(r["scope"]["machines_total"] == 2);
  CHECK(r["scope"]["machines_observed"] == 2);
  // Observed: 08:00–11:30 local on each PC = 12,600 s each.
  CHECK(r["scope"]["observed_s"] == 25200);
  const json& m = r["machines"];
  CHECK(m["total"] == 2);
  CHECK(m["meeting"] == 1);
  CHECK(m["not_meeting"] == 1);
  CHECK(m["by_rule"] == json{{"ram_min", 1}});
  const json& n = r["network"];
  CHECK(n["observed_s"] == 25200);
  CHECK(n["downtime_s"] == 600 + 1800);  // PC-B's 11:00–12:00 clipped at 11:30
  CHECK(n["availability_pct"].get<double>() == doctest::Approx(100.0 * 22800 / 25200).epsilon(1e-5));
  CHECK(n["outages"]["count"] == 2);
  CHECK(n["outages"]["site_wide"] == 0);
  CHECK(n["outages"]["single_machine"] == 2);
  CHECK(n["outages"]["by_cause"] == json{{"link_down", 1}, {"lan", 0}, {"upstream", 1}, {"dns", 0}, {"unknown", 0}});
  CHECK(n["mttr_s"] == 1200);   // 2,400 s / 2 PC-outages
  CHECK(n["mtbf_s"] == 11400);  // (25,200 − 2,400) / 2

  // hours=all and lang=en as query parameters: nothing clipped, English.
  auto all = http_request(port, "GET", "/report.json?" + period + "&hours=all&lang=en", {session});
  REQUIRE(all.status == 200);
  const json ra = json::parse(all.body);
  CHECK(ra["lang"] == "en");
  CHECK(ra["period"]["hours"] == "all");
  CHECK(ra["network"]["observed_s"] == 2 * 4 * 3600);
  CHECK(ra["network"]["downtime_s"] == 600 + 3600);

  // HTML: Vietnamese by default, English with ?lang=en; inline, or as a download.
  auto html = http_request(port, "GET", "/report.html?" + period, {session});
  REQUIRE(html.status == 200);
  CHECK(html.header("content-type").find("text/html") == 0);
  CHECK(html.body.find("<html lang=\"vi\"") != std::string::npos);
  CHECK(html.body.find("SỐ LIỆU ĐO KIỂM MÁY TÍNH VÀ HỆ THỐNG MẠNG") != std::string::npos);
  CHECK(html.body.find("PC-A") != std::string::npos);
  CHECK(html.body.find("<script") == std::string::npos);
  CHECK(html.header("content-disposition").empty());
  auto html_en = http_request(port, "GET", "/report.html?" + period + "&lang=en&download=1", {session});
  REQUIRE(html_en.status == 200);
  CHECK(html_en.body.find("<html lang=\"en\"") != std::string::npos);
  CHECK(html_en.body.find("MEASURED EVIDENCE: COMPUTERS AND NETWORK") != std::string::npos);
  CHECK(html_en.header("content-disposition") == "attachment; filename=\"itsa-report-2026-11-03-2026-11-03.html\"");

  // CSV: one table per download, UTF-8 with BOM, headers in the report's language.
  auto summary = http_request(port, "GET", "/report.csv?" + period, {session});
  REQUIRE(summary.status == 200);
  CHECK(summary.header("content-type").find("text/csv") == 0);
  CHECK(summary.body.rfind("\xEF\xBB\xBF", 0) == 0);
  CHECK(summary.header("content-disposition") ==
        "attachment; filename=\"itsa-report-2026-11-03-2026-11-03-summary.csv\"");
  auto outages = http_request(port, "GET", "/report.csv?" + period + "&table=outages.csv&lang=en", {session});
  REQUIRE(outages.status == 200);
  CHECK(outages.body.rfind("\xEF\xBB\xBF", 0) == 0);
  CHECK(outages.body.find("PC-A") != std::string::npos);
  CHECK(outages.body.find("PC-B") != std::string::npos);
  CHECK(outages.body.find("link_down") != std::string::npos);
  CHECK(outages.body.find("upstream") != std::string::npos);
  auto machines_vi = http_request(port, "GET", "/report.csv?" + period + "&table=machines.csv", {session});
  REQUIRE(machines_vi.status == 200);
  auto machines_en = http_request(port, "GET", "/report.csv?" + period + "&table=machines.csv&lang=en", {session});
  REQUIRE(machines_en.status == 200);
  const auto header_of = [](const std::string& body) { return body.substr(0, body.find('\r')); };
  CHECK(header_of(machines_vi.body) != header_of(machines_en.body));  // headers follow the language

  // Bad parameters: a clear 400 naming what is wrong.
  auto bad_table = http_request(port, "GET", "/report.csv?" + period + "&table=nope.csv", {session});
  CHECK(bad_table.status == 400);
  CHECK(bad_table.body.find("nope.csv") != std::string::npos);
  auto bad_order = http_request(port, "GET", "/report.json?from=2026-11-04&to=2026-11-03", {session});
  CHECK(bad_order.status == 400);
  auto bad_hours = http_request(port, "GET", "/report.json?" + period + "&hours=night", {session});
  CHECK(bad_hours.status == 400);
  CHECK(bad_hours.body.find("night") != std::string::npos);
  auto bad_profile = http_request(port, "GET", "/report.json?" + period + "&profile=..%2Fetc%2Fpasswd", {session});
  CHECK(bad_profile.status == 400);
  CHECK(server.running());
}

TEST_CASE("the Report page and `itsa-server report` read the same <data-dir>/report.json") {
  const auto dir = (temp_dir() / "data").string();
  const auto token = prepare_data_dir(dir);
  // Another installation: UTC+8, one window 08:00–12:00 on weekdays.
  std::ofstream(std::filesystem::path(dir) / "report.json")
      << R"({"agency": "Sở Tài chính tỉnh X", "time_zone": "Asia/Singapore", "utc_offset_min": 480,)"
      << R"( "weekdays": ["mon", "tue", "wed", "thu", "fri"], "office_hours": "08:00-12:00"})";
  ServerProcess server(dir);
  REQUIRE(server.running());
  const int port = server.port();
  ingest_dataset(port, token);
  const std::string session = login(port);

  auto form = http_request(port, "GET", "/report", {session});
  REQUIRE(form.status == 200);
  CHECK(form.body.find("Sở Tài chính tỉnh X") != std::string::npos);
  CHECK(form.body.find("08:00–12:00 (UTC+08:00)") != std::string::npos);

  auto web = http_request(port, "GET", "/report.json?from=2026-11-03&to=2026-11-03", {session});
  REQUIRE(web.status == 200);
  const json w = json::parse(web.body);
  // Hand-computed at UTC+8: the window is 00:00–04:00Z; both PCs observed 01:00–04:00Z.
  CHECK(w["agency"] == "Sở Tài chính tỉnh X");
  CHECK(w["period"]["from_utc"] == "2026-11-02T16:00:00Z");
  CHECK(w["period"]["office_hours"]["windows"] == json::array({"08:00-12:00"}));
  CHECK(w["period"]["counted_s"] == 4 * 3600);
  CHECK(w["network"]["observed_s"] == 2 * 3 * 3600);
  CHECK(w["network"]["downtime_s"] == 600);  // PC-B's outage (04:00–05:00Z) falls after the window
  CHECK(w["network"]["outages"]["count"] == 1);

  auto cli =
      run_server_cli({"report", "--data-dir", dir, "--from", "2026-11-03", "--to", "2026-11-03", "--format", "json"});
  REQUIRE(cli.exit_code == 0);
  CHECK(comparable(json::parse(cli.out)) == comparable(w));
  auto cli_en = run_server_cli({"report", "--data-dir", dir, "--from", "2026-11-03", "--to", "2026-11-03", "--format",
                                "json", "--lang", "en", "--hours", "all"});
  REQUIRE(cli_en.exit_code == 0);
  auto web_en = http_request(port, "GET", "/report.json?from=2026-11-03&to=2026-11-03&lang=en&hours=all", {session});
  REQUIRE(web_en.status == 200);
  CHECK(comparable(json::parse(cli_en.out)) == comparable(json::parse(web_en.body)));

  // A malformed file: the page answers 500 naming the key (read per request), the CLI exits 2.
  std::ofstream(std::filesystem::path(dir) / "report.json", std::ios::trunc)
      << R"({"office_hours": "8-12", "colour": 1})";
  auto broken = http_request(port, "GET", "/report.json?from=2026-11-03&to=2026-11-03", {session});
  CHECK(broken.status == 500);
  CHECK(broken.body.find("report.json") != std::string::npos);
  auto broken_cli =
      run_server_cli({"report", "--data-dir", dir, "--from", "2026-11-03", "--to", "2026-11-03", "--format", "json"});
  CHECK(broken_cli.exit_code == 2);
  CHECK(broken_cli.err.find("report.json") != std::string::npos);
  CHECK(server.running());
}
