// Issue 15's agency level over the real binary: tokens name agency and site, pages and reports
// filter by agency, and a reviewer scoped to one agency sees nothing of another (a province's
// server collects several agencies; a store of one agency works as before).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/server/server_process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace itsa::test;
using json = nlohmann::json;

namespace {

const std::string k_tc = "0a9e0000-0000-4000-8000-0000000000c1";  // unnamed agency (the installation's)
const std::string k_kt = "0a9e0000-0000-4000-8000-0000000000c2";  // "UBND huyện A"
const std::string k_yt = "0a9e0000-0000-4000-8000-0000000000c3";  // "Sở Y tế"

std::string last_line(std::string out) {
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out.substr(out.rfind('\n') + 1);
}

bool has(const std::string& body, const std::string& what) {
  return body.find(what) != std::string::npos;
}

}  // namespace

TEST_CASE("agencies: tokens name them, pages and reports filter by them, a scoped reviewer sees only its own") {
  const auto dir = temp_dir().string();
  const auto token_tc = prepare_data_dir(dir, "So Tai chinh");
  auto kt =
      run_server_cli({"token", "create", "--data-dir", dir, "--site", "Phong Kinh te", "--agency", "UBND huyện A"});
  REQUIRE_MESSAGE(kt.exit_code == 0, kt.err);
  CHECK(has(kt.out, "UBND huyện A"));
  auto yt = run_server_cli({"token", "create", "--data-dir", dir, "--site", "Van phong", "--agency", "Sở Y tế"});
  REQUIRE_MESSAGE(yt.exit_code == 0, yt.err);
  // A site keeps its agency: a token cannot move it to another one.
  auto moved = run_server_cli({"token", "create", "--data-dir", dir, "--site", "Phong Kinh te", "--agency", "Sở Y tế"});
  CHECK(moved.exit_code != 0);
  CHECK(has(moved.err, "belongs to agency 'UBND huyện A'"));
  auto list = run_server_cli({"token", "list", "--data-dir", dir, "--json"});
  REQUIRE(list.exit_code == 0);
  std::map<std::string, std::string> agency_of_site;
  const auto tokens = json::parse(list.out);
  for (const auto& t : tokens["tokens"]) agency_of_site[t["site"]] = t["agency"];
  CHECK(agency_of_site["So Tai chinh"] == "");
  CHECK(agency_of_site["Phong Kinh te"] == "UBND huyện A");
  CHECK(agency_of_site["Van phong"] == "Sở Y tế");

  // A reviewer scoped to an agency no site belongs to is a typo: refused, nothing stored.
  auto typo = run_server_cli({"user", "add", "--data-dir", dir, "--name", "xa", "--password-stdin", "--agency", "UBND"},
                             "mat-khau-456\n");
  CHECK(typo.exit_code == 2);
  CHECK(has(typo.err, "no site belongs to agency 'UBND'"));
  auto scoped =
      run_server_cli({"user", "add", "--data-dir", dir, "--name", "xa", "--password-stdin", "--agency", "UBND huyện A"},
                     "mat-khau-456\n");
  REQUIRE_MESSAGE(scoped.exit_code == 0, scoped.err);
  auto users = run_server_cli({"user", "list", "--data-dir", dir});
  CHECK(has(users.out, "xa\t"));
  CHECK(has(users.out, "\tUBND huyện A\n"));

  ServerProcess server(dir);
  const int port = server.port();
  REQUIRE_FALSE(enrol(port, token_tc, k_tc, "PC-TC-01").empty());
  REQUIRE_FALSE(enrol(port, last_line(kt.out), k_kt, "PC-KT-01").empty());
  REQUIRE_FALSE(enrol(port, last_line(yt.out), k_yt, "PC-YT-01").empty());

  const auto province = reviewer_session(port);
  const auto xa = reviewer_session(port, "", "xa", "mat-khau-456");
  REQUIRE_FALSE(province.empty());
  REQUIRE_FALSE(xa.empty());
  const auto get = [&](const std::string& session, const std::string& target) {
    return http_request(port, "GET", target, {session});
  };

  {  // the province's reviewer sees every agency and filters by one
    auto all = get(province, "/machines");
    REQUIRE(all.status == 200);
    for (const char* host : {"PC-TC-01", "PC-KT-01", "PC-YT-01"}) CHECK(has(all.body, host));
    CHECK(has(all.body, "name=\"agency\""));  // the agency filter, since the store names agencies
    auto one = get(province, "/machines?agency=S%E1%BB%9F+Y+t%E1%BA%BF");
    REQUIRE(one.status == 200);
    CHECK(has(one.body, "PC-YT-01"));
    CHECK_FALSE(has(one.body, "PC-KT-01"));
    CHECK_FALSE(has(one.body, "PC-TC-01"));
    auto report = get(province, "/report.json?agency=S%E1%BB%9F+Y+t%E1%BA%BF");
    REQUIRE(report.status == 200);
    const auto r = json::parse(report.body);
    CHECK(r["agency_filter"] == "Sở Y tế");
    CHECK(r["agency"] == "Sở Y tế");
    CHECK(has(report.body, "PC-YT-01"));
    CHECK_FALSE(has(report.body, "PC-KT-01"));
    CHECK(get(province, "/machines/" + k_yt).status == 200);
  }

  {  // a reviewer scoped to an agency sees its machines, sites and report only, whatever it asks
    for (const std::string target : {"/machines", "/machines?agency=S%E1%BB%9F+Y+t%E1%BA%BF", "/machines?agency="}) {
      auto page = get(xa, target);
      REQUIRE(page.status == 200);
      CHECK(has(page.body, "PC-KT-01"));
      CHECK_FALSE(has(page.body, "PC-YT-01"));
      CHECK_FALSE(has(page.body, "PC-TC-01"));
      CHECK_FALSE(has(page.body, "Van phong"));  // not even in the site filter
      CHECK_FALSE(has(page.body, "name=\"agency\""));
    }
    auto csv = get(xa, "/machines.csv");
    REQUIRE(csv.status == 200);
    CHECK(has(csv.body, "PC-KT-01"));
    CHECK_FALSE(has(csv.body, "PC-YT-01"));
    // Another agency's machine is no machine at all (404, as an unknown id).
    CHECK(get(xa, "/machines/" + k_yt).status == 404);
    CHECK(get(xa, "/machines/" + k_tc).status == 404);
    CHECK(get(xa, "/machines/" + k_kt).status == 200);
    auto sites = get(xa, "/sites");
    REQUIRE(sites.status == 200);
    CHECK(has(sites.body, "Phong Kinh te"));
    CHECK_FALSE(has(sites.body, "Van phong"));
    CHECK_FALSE(has(sites.body, "So Tai chinh"));
    auto form = get(xa, "/report");
    REQUIRE(form.status == 200);
    CHECK_FALSE(has(form.body, "Van phong"));
    for (const std::string target :
         {"/report.json", "/report.json?agency=S%E1%BB%9F+Y+t%E1%BA%BF", "/report.json?site=Van+phong"}) {
      auto report = get(xa, target);
      REQUIRE(report.status == 200);
      CHECK(json::parse(report.body)["agency_filter"] == "UBND huyện A");
      CHECK_FALSE(has(report.body, "PC-YT-01"));
      CHECK_FALSE(has(report.body, "PC-TC-01"));
    }
    CHECK(has(get(xa, "/report.json").body, "PC-KT-01"));
    auto html = get(xa, "/report.html");
    REQUIRE(html.status == 200);
    CHECK_FALSE(has(html.body, "PC-YT-01"));
  }

  {  // itsa-server report --for-agency
    auto r = run_server_cli({"report", "--data-dir", dir, "--from", "2026-11-01", "--to", "2026-11-30", "--format",
                             "json", "--for-agency", "UBND huyện A"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto doc = json::parse(r.out);
    CHECK(doc["agency"] == "UBND huyện A");
    CHECK(doc["agency_filter"] == "UBND huyện A");
    CHECK(has(r.out, "PC-KT-01"));
    CHECK_FALSE(has(r.out, "PC-YT-01"));
  }
}
