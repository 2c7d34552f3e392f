// itsa-server report end to end: the seeded dataset ingested into a real SQLite store through
// the Storage interface, then the real itsa-server binary writes JSON, HTML and CSV.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/time_format.hpp"
#include "server/storage/storage.hpp"
#include "tests/report/seed_dataset.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string run(const std::string& command, int& status) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buf[4096];
  std::size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  status = pclose(pipe);
  return out;
}

std::string read_file(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

/// Stores the seeded dataset: enrolment, inventory and assessment records, then the evidence.
void seed_store(const fs::path& data_dir) {
  auto opened = itsa::server::open_sqlite_storage((data_dir / "itsa-server.db").string());
  REQUIRE(opened);
  itsa::server::Storage& st = *opened.value();
  const long long now_ms = itsa::to_unix_ms(*itsa::parse_rfc3339("2026-11-04T00:00:00Z"));
  for (const auto& m : itsa::report::test::seed_dataset().machines) {
    itsa::server::AgentEnrolment e;
    e.agent_id = m.agent_id;
    e.hostname = m.hostname;
    e.site = m.site;
    e.agent_version = m.agent_version;
    e.secret_hash = "hash-" + m.agent_id;
    e.now_ms = now_ms;
    REQUIRE(st.enrol_agent(e));
    std::vector<itsa::server::RecordIn> records;
    long long seq = 1000;
    const auto add = [&](const std::string& type, long long time_ms, long long record_seq, const json& payload) {
      records.push_back({m.agent_id, "boot-1", record_seq, type, time_ms, payload.dump()});
    };
    if (m.inventory) add("inventory", now_ms - 86'400'000LL * 30, ++seq, *m.inventory);
    if (m.assessment) add("assessment", now_ms - 86'400'000LL * 30, ++seq, *m.assessment);
    for (const auto& r : m.records) add(r.type, itsa::to_unix_ms(r.time), r.seq, r.payload);
    if (records.empty()) continue;
    auto ingested = st.ingest(m.agent_id, records, now_ms);
    REQUIRE(ingested);
    CHECK(ingested.value().stored == static_cast<int>(records.size()));
  }
}

}  // namespace

TEST_CASE("itsa-server report: JSON, HTML and CSV from a real SQLite store") {
  const fs::path data_dir = itsa::test::temp_dir() / "data";
  fs::create_directories(data_dir);
  seed_store(data_dir);
  std::ofstream(data_dir / "report.json") << R"({"agency": "Ban Dân tộc tỉnh Quảng Ngãi"})";
  const std::string base =
      std::string(ITSA_SERVER_BIN) + " report --data-dir " + data_dir.string() + " --from 2026-11-02 --to 2026-11-03";

  int status = 0;
  const std::string out = run(base + " --format json", status);
  REQUIRE(status == 0);
  const json r = json::parse(out);
  CHECK(r["agency"] == "Ban Dân tộc tỉnh Quảng Ngãi");
  CHECK(r["machines"]["total"] == 5);
  CHECK(r["machines"]["meeting"] == 1);
  CHECK(r["machines"]["not_meeting"] == 3);
  CHECK(r["machines"]["by_rule"]["ram_min"] == 2);
  CHECK(r["network"]["observed_s"] == 169200.0);
  CHECK(r["network"]["downtime_s"] == 5610.0);
  CHECK(r["network"]["availability_pct"] == doctest::Approx(96.684));
  CHECK(r["network"]["outages"]["count"] == 3);
  CHECK(r["network"]["outages"]["site_wide"] == 1);
  CHECK(r["network"]["outages"]["by_cause"] ==
        json{{"link_down", 1}, {"lan", 0}, {"upstream", 1}, {"dns", 1}, {"unknown", 0}});
  CHECK(r["network"]["mttr_s"] == 1122.0);
  CHECK(r["network"]["mtbf_s"] == 32718.0);

  // One site, every hour, English.
  const json hq = json::parse(run(base + " --site HQ --hours all --lang en --format json", status));
  REQUIRE(status == 0);
  CHECK(hq["network"]["downtime_s"] == 14310.0);
  CHECK(hq["lang"] == "en");

  // Another profile: the collectors' assessment engine re-assesses each stored inventory.
  const json w11 = json::parse(run(base + " --profile windows11 --format json", status));
  REQUIRE(status == 0);
  CHECK(w11["machines"]["profiles"] == json::array({"windows11"}));
  CHECK(w11["machines"]["meeting"].get<int>() + w11["machines"]["not_meeting"].get<int>() +
            w11["machines"]["unknown"].get<int>() ==
        5);
  CHECK(w11["machines"]["unknown"].get<int>() >= 1);  // PC-E has no inventory
  MESSAGE("windows11 verdicts: " << w11["machines"]["meeting"] << " meet, " << w11["machines"]["not_meeting"]
                                 << " do not, " << w11["machines"]["unknown"] << " unknown; by rule "
                                 << w11["machines"]["by_rule"].dump());
  run(base + " --profile no-such-profile --format json 2>/dev/null", status);
  CHECK(WEXITSTATUS(status) == 2);

  // HTML to a file.
  const fs::path html = data_dir / "report.html";
  run(base + " --format html --out " + html.string(), status);
  REQUIRE(status == 0);
  const std::string page = read_file(html);
  CHECK(page.find("III. HỆ THỐNG MẠNG") != std::string::npos);
  CHECK(page.find("96,684%") != std::string::npos);

  // CSV into a directory: one file per table.
  const fs::path csv = data_dir / "csv";
  const std::string listed = run(base + " --format csv --out " + csv.string(), status);
  REQUIRE(status == 0);
  CHECK(fs::exists(csv / "outages.csv"));
  CHECK(listed.find("claims.csv") != std::string::npos);

  // Usage errors exit 2 with a message naming the problem.
  const std::string bad = run(base + " --format csv 2>&1", status);
  CHECK(WEXITSTATUS(status) == 2);
  CHECK(bad.find("--out DIR") != std::string::npos);
  const std::string bad_date = run(std::string(ITSA_SERVER_BIN) + " report --data-dir " + data_dir.string() +
                                       " --from 2026-02-30 --to 2026-03-01 --format json 2>&1",
                                   status);
  CHECK(WEXITSTATUS(status) == 2);
  CHECK(bad_date.find("--from") != std::string::npos);
  std::ofstream(data_dir / "report.json", std::ios::trunc) << R"({"office_hours": "9-5"})";
  const std::string bad_settings = run(base + " --format json 2>&1", status);
  CHECK(WEXITSTATUS(status) == 2);
  CHECK(bad_settings.find("report.json") != std::string::npos);
}
