#include "tests/server/day_digest_check.hpp"

#include <doctest/doctest.h>

#include <map>

#include "common/time_format.hpp"
#include "report/compute.hpp"
#include "report/day_digest.hpp"
#include "report/office_hours.hpp"
#include "server/report/report_input.hpp"
#include "tests/server/seed_month.hpp"

namespace itsa::test {

namespace {

using report::HoursMode;
using report::ReportOptions;

ReportOptions month_options(const SeedMonth& month, HoursMode hours, std::optional<std::string> site) {
  ReportOptions o;
  o.hours = hours;
  o.site = std::move(site);
  const long long first = report::local_day(o.schedule, month.from_ms);
  o.from_date = report::format_date(first);
  o.to_date = report::format_date(first + 29);
  o.generated_at = from_unix_ms(month.end_ms);
  return o;
}

/// The report from every raw record of the period, held at once (the reference).
nlohmann::json from_records(server::Storage& s, const ReportOptions& o) {
  auto period = report::period_ms(o);
  REQUIRE(period);
  auto input = server::load_report_input(s, period.value().first, period.value().second, o.site);
  REQUIRE(input);
  auto r = report::compute_report(input.value(), o);
  REQUIRE(r);
  return r.value();
}

/// The report as the server makes it (from day digests).
nlohmann::json from_digests(server::Storage& s, const ReportOptions& o) {
  auto r = server::build_server_report(s, o, "");
  REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
  return r.value();
}

long long stored_digests(server::Storage& s, const ReportOptions& o) {
  auto days = report::period_days(o);
  REQUIRE(days);
  long long n = 0;
  REQUIRE(s.day_digests(report::digest_key(o), days.value().first, days.value().second, [&](const auto&) {
    ++n;
    return true;
  }));
  return n;
}

/// Disk health, shutdowns and disk saturation as the month's plan says (hand-counted in the comments).
void check_health(const nlohmann::json& report, const SeedMonth& month, const std::optional<std::string>& site) {
  const nlohmann::json& h = report["machines"]["health"];
  std::map<std::string, int> verdicts;
  int own = 0, cut = 0, crashes = 0, hdd = 0;
  for (const SeedPc& pc : month.pcs) {
    if (site && pc.site != *site) continue;
    ++verdicts[pc.disk_verdict];
    own += pc.own_shutdowns;
    cut += pc.power_cut_shutdowns;
    crashes += pc.os_crashes;
    hdd += pc.media == "hdd" ? 1 : 0;
  }
  // Every site: failing PCs 0, 6, 12, 18; worn 3, 9, 15 and 1 (from the 11th working day); PC 20
  // unknown; shutdowns of their own: PC 3 twice (after a crash), PC 7 once; 9 in Nhà B's power cut.
  // Nhà B: failing 12, 18; worn 15; unknown 20; its 9 PCs in the power cut.
  CHECK(verdicts["failing"] == (site ? 2 : 4));
  CHECK(verdicts["worn"] == (site ? 1 : 4));
  CHECK(verdicts["unknown"] == 1);
  CHECK(own == (site ? 0 : 3));
  CHECK(cut == 9);
  CHECK(crashes == (site ? 0 : 2));
  CHECK(h["disk"]["failing"] == verdicts["failing"]);
  CHECK(h["disk"]["worn"] == verdicts["worn"]);
  CHECK(h["disk"]["ok"] == verdicts["ok"]);
  CHECK(h["disk"]["unknown"] == verdicts["unknown"]);
  int pcs = 0;
  for (const SeedPc& pc : month.pcs) pcs += !site || pc.site == *site ? 1 : 0;
  // Only the storage contract's own agents (PostgreSQL runs it first in the same database) have no reading.
  CHECK(h["disk"]["not_read"] == report["machines"]["total"].get<int>() - pcs);
  CHECK(h["instability"]["own_shutdowns"] == own);
  CHECK(h["instability"]["power_cut_shutdowns"] == cut);
  CHECK(h["instability"]["unexpected_shutdowns"] == own + cut);
  CHECK(h["instability"]["os_crashes"] == crashes);
  CHECK(h["instability"]["power_cuts"] == month.power_cuts);
  CHECK(h["instability"]["power_cut_machines"] == 9);
  CHECK(h["disk_saturation"]["machines_often_saturated"] == hdd);
  CHECK(h["disk_saturation"]["over_90_pct"].get<double>() > 10.0);
  CHECK(h["disk_saturation"]["over_90_pct"].get<double>() < 25.0);
  for (const auto& row : report["machines"]["list"]) {
    for (const SeedPc& pc : month.pcs) {
      if (pc.agent_id != row["agent_id"]) continue;
      CAPTURE(pc.hostname);
      CHECK(row["disk_health"]["verdict"] == pc.disk_verdict);
      CHECK(row["instability"]["own_shutdowns"] == pc.own_shutdowns);
      CHECK(row["instability"]["power_cut_shutdowns"] == pc.power_cut_shutdowns);
      CHECK(row["instability"]["os_crashes"] == pc.os_crashes);
    }
  }
}

}  // namespace

void check_day_digests(server::Storage& s) {
  const auto month = seed_month(to_unix_ms(*parse_rfc3339("2026-11-30T10:00:00Z")));
  load_seed_month(s, month);
  for (auto hours : {HoursMode::office, HoursMode::all}) {
    for (const auto& site : {std::optional<std::string>(), std::optional<std::string>("Nhà B")}) {
      CAPTURE(static_cast<int>(hours));
      CAPTURE(site.value_or("*"));
      const ReportOptions o = month_options(month, hours, site);
      const nlohmann::json reference = from_records(s, o);
      CHECK(reference["network"]["outages"]["count"].get<int>() > 5);
      check_health(reference, month, site);
      const nlohmann::json cold = from_digests(s, o);  // computes and stores the day digests
      CHECK_MESSAGE(cold == reference, nlohmann::json::diff(reference, cold).dump().substr(0, 3000));
      CHECK(stored_digests(s, o) > 0);
      CHECK(from_digests(s, o) == reference);  // warm: read back
    }
  }
  const ReportOptions o = month_options(month, HoursMode::all, std::nullopt);
  const nlohmann::json before = from_digests(s, o);
  // The stored digests are what the report reads: one day's replaced by another's changes it.
  const SeedPc& pc = month.pcs.front();
  auto days = report::period_days(o);
  REQUIRE(days);
  std::vector<server::DayDigestRow> rows;
  REQUIRE(s.day_digests(report::digest_key(o), days.value().first, days.value().second, [&](const auto& row) {
    if (row.agent_id == pc.agent_id) rows.push_back(row);
    return true;
  }));
  REQUIRE(rows.size() >= 20);
  server::DayDigestRow swapped = rows[3];
  swapped.digest = rows[10].digest;
  REQUIRE(s.put_day_digest(swapped, report::digest_key(o)));
  CHECK(from_digests(s, o) != before);
  // A record of that day arriving makes the digest stale: recomputed, the report is right again.
  const long long day_start = report::day_record_range(o.schedule, swapped.day).first;
  server::RecordIn late{pc.agent_id,
                        "late-boot",
                        900'000,
                        "lifecycle",
                        day_start + 3 * 3'600'000,
                        R"({"event":"start","agent_version":"9.9.9"})"};
  auto ingested = s.ingest(pc.agent_id, {late}, month.end_ms);
  REQUIRE(ingested);
  CHECK(ingested.value().stored == 1);
  const nlohmann::json after = from_digests(s, o);
  CHECK(after == from_records(s, o));
  CHECK(after != before);  // the new record counts (its agent version)
  // A malformed stored digest (with a current token) is an error naming the machine, never a crash.
  const server::DayDigestRow fresh = [&] {
    server::DayDigestRow found;
    REQUIRE(s.day_digests(report::digest_key(o), swapped.day, swapped.day, [&](const auto& row) {
      if (row.agent_id == pc.agent_id) found = row;
      return true;
    }));
    return found;
  }();
  REQUIRE(fresh.agent_id == pc.agent_id);
  server::DayDigestRow broken = fresh;
  broken.digest = "{\"format\":2,\"window\":";
  REQUIRE(s.put_day_digest(broken, report::digest_key(o)));
  auto failed = server::build_server_report(s, o, "");
  REQUIRE_FALSE(failed);
  CHECK(failed.error().message.find(pc.hostname) != std::string::npos);
  // `itsa-server rollup rebuild` drops the digests and recounts the generations.
  auto rebuilt = s.rebuild_day_gens();
  REQUIRE(rebuilt);
  CHECK(rebuilt.value() > 30);
  CHECK(stored_digests(s, o) == 0);
  CHECK(from_digests(s, o) == from_records(s, o));
}

}  // namespace itsa::test
