// Day digests merged into a period's give the same report as the period's records (issue 15).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "common/time_format.hpp"
#include "report/compute.hpp"
#include "report/day_digest.hpp"
#include "tests/report/seed_dataset.hpp"

using itsa::report::HoursMode;
using itsa::report::MachineInput;
using itsa::report::ReportInput;
using itsa::report::ReportOptions;
using json = nlohmann::json;

namespace {

ReportOptions options(HoursMode hours, const char* from, const char* to) {
  ReportOptions o;
  o.from_date = from;
  o.to_date = to;
  o.hours = hours;
  o.generated_at = *itsa::parse_rfc3339("2026-12-01T03:00:00Z");
  o.minimums.working_days = 2;
  return o;
}

/// A machine's records made in [from_ms, to_ms).
MachineInput records_between(const MachineInput& m, long long from_ms, long long to_ms) {
  MachineInput part = m;
  part.records.clear();
  for (const auto& r : m.records) {
    const long long at = itsa::to_unix_ms(r.time);
    if (at >= from_ms && at < to_ms) part.records.push_back(r);
  }
  return part;
}

/// Every machine's day digests of the period, as the server stores them.
std::vector<std::vector<std::string>> day_digests(const ReportInput& input, const ReportOptions& o) {
  auto days = itsa::report::period_days(o);
  REQUIRE(days);
  std::vector<std::vector<std::string>> all;
  for (const MachineInput& m : input.machines) {
    std::vector<std::string> digests;
    for (long long day = days.value().first; day <= days.value().second; ++day) {
      const auto [lo, hi] = itsa::report::day_record_range(o.schedule, day);
      auto d = itsa::report::digest_day(records_between(m, lo, hi), day, o);
      REQUIRE(d);
      digests.push_back(d.value());
    }
    all.push_back(std::move(digests));
  }
  return all;
}

}  // namespace

TEST_CASE("the report from merged day digests equals the report from the period's records") {
  for (auto hours : {HoursMode::office, HoursMode::all}) {
    for (auto [from, to] : {std::pair{"2026-11-02", "2026-11-03"}, std::pair{"2026-10-01", "2026-11-30"},
                            std::pair{"2026-11-03", "2026-11-03"}}) {
      CAPTURE(static_cast<int>(hours));
      CAPTURE(from);
      CAPTURE(to);
      const ReportOptions o = options(hours, from, to);
      auto period = itsa::report::period_ms(o);
      REQUIRE(period);
      // The period report reads the records the server loads: from a day before the period to a day after it.
      ReportInput raw = itsa::report::test::seed_dataset();
      for (auto& m : raw.machines)
        m = records_between(m, period.value().first - 86'400'000, period.value().second + 86'400'000);
      auto whole = itsa::report::compute_report(raw, o);
      REQUIRE(whole);

      ReportInput merged = itsa::report::test::seed_dataset();
      const auto digests = day_digests(merged, o);
      for (std::size_t i = 0; i < merged.machines.size(); ++i) {
        REQUIRE(itsa::report::set_digest_from_days(merged.machines[i], digests[i], o));
        CHECK(merged.machines[i].records.empty());
      }
      auto from_days = itsa::report::compute_report(merged, o);
      REQUIRE(from_days);
      CHECK(from_days.value()["scope"] == whole.value()["scope"]);
      CHECK(from_days.value()["machines"] == whole.value()["machines"]);
      CHECK(from_days.value()["network"] == whole.value()["network"]);
      CHECK(from_days.value() == whole.value());
    }
  }
  // The dataset has what the merge must get right: outages, links, probes.
  const auto check = itsa::report::compute_report(itsa::report::test::seed_dataset(),
                                                  options(HoursMode::all, "2026-11-02", "2026-11-03"));
  REQUIRE(check);
  CHECK(check.value()["network"]["outages"]["machine_outages"].get<int>() > 0);
  CHECK(check.value()["network"]["links"].size() > 0);
  CHECK(check.value()["network"]["probes"].size() > 0);
}

TEST_CASE("a day digest is keyed by what decides it") {
  ReportOptions a = options(HoursMode::office, "2026-11-02", "2026-11-03");
  ReportOptions b = a;
  CHECK(itsa::report::digest_key(a) == itsa::report::digest_key(b));
  b.from_date = "2025-01-01";  // the period does not change a day's digest
  b.lang = itsa::report::Lang::en;
  CHECK(itsa::report::digest_key(a) == itsa::report::digest_key(b));
  b.hours = HoursMode::all;
  CHECK(itsa::report::digest_key(a) != itsa::report::digest_key(b));
  b = a;
  b.schedule.utc_offset_min = 0;
  CHECK(itsa::report::digest_key(a) != itsa::report::digest_key(b));
  b = a;
  b.schedule.windows = {{8 * 60, 12 * 60}};
  CHECK(itsa::report::digest_key(a) != itsa::report::digest_key(b));
  b = a;
  b.schedule.weekdays[6] = true;
  CHECK(itsa::report::digest_key(a) != itsa::report::digest_key(b));
}

TEST_CASE("a malformed stored digest is an error naming the machine, never a crash") {
  const ReportOptions o = options(HoursMode::all, "2026-11-02", "2026-11-02");
  ReportInput input = itsa::report::test::seed_dataset();
  const auto digests = day_digests(input, o);
  const std::string& good = digests.front().front();
  REQUIRE(good.size() > 100);
  MachineInput m = input.machines.front();
  for (std::size_t cut = 0; cut < good.size(); cut += 7) {
    auto r = itsa::report::set_digest_from_days(m, {good.substr(0, cut)}, o);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("day digest") != std::string::npos);
    CHECK(r.error().message.find(m.hostname) != std::string::npos);
  }
  json doc = json::parse(good);
  doc["observed"] = "yesterday";
  CHECK_FALSE(itsa::report::set_digest_from_days(m, {doc.dump()}, o));
  doc = json::parse(good);
  doc["format"] = 0;  // an older format is not read as this one
  auto old = itsa::report::set_digest_from_days(m, {doc.dump()}, o);
  REQUIRE_FALSE(old);
  CHECK(old.error().message.find("format") != std::string::npos);
  // A good one is accepted and round-trips.
  CHECK(itsa::report::set_digest_from_days(m, {good}, o));
}
