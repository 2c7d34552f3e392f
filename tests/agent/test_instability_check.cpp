// The start-time instability check: an unexpected shutdown when the previous run ended without a
// clean stop in another OS boot, its cause "os_crash" only when a crash record of that gap proves
// it, each crash record stored once.
#include <doctest/doctest.h>

#include "agent/instability_check.hpp"
#include "common/clock.hpp"
#include "common/time_format.hpp"
#include "protocol/record_types.hpp"
#include "store/evidence_store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace itsa;
using namespace itsa::agent;
using nlohmann::json;
namespace inst = itsa::collectors::instability;

namespace {

UtcTime at(const char* t) {
  return *parse_rfc3339(t);
}

std::unique_ptr<store::EvidenceStore> open_store(const std::filesystem::path& dir, const char* boot, ManualClock& c) {
  store::StoreOptions o;
  o.data_dir = dir;
  o.clock = &c;
  o.boot_id = boot;
  auto s = store::EvidenceStore::open(o);
  REQUIRE(s);
  return std::move(s.value());
}

std::vector<json> instability(store::EvidenceStore& s) {
  std::vector<json> out;
  auto r = s.query(protocol::record_type::instability, std::nullopt, 1000);
  REQUIRE(r);
  for (const auto& x : r.value()) out.push_back(x.payload);
  return out;
}

inst::SystemMark mark(const char* id, const char* kind, UtcTime t, bool crash) {
  inst::SystemMark m;
  m.id = id;
  m.kind = kind;
  m.source = "pstore";
  m.at = t;
  m.crash = crash;
  return m;
}

}  // namespace

TEST_CASE("instability: a crashed run in an earlier boot is an unexpected shutdown; a crash record proves the cause") {
  ManualClock clock(at("2026-11-10T01:00:00Z"));
  const auto dir = test::temp_dir();
  auto s = open_store(dir, "boot-B", clock);
  const UtcTime last_seen = at("2026-11-09T09:30:00Z");
  UtcTime asked_since{};
  auto reader = [&](UtcTime since, std::string*) {
    asked_since = since;
    return std::vector<inst::SystemMark>{mark("pstore:dmesg-efi-1", "panic", at("2026-11-09T09:30:40Z"), true),
                                         mark("pstore:dmesg-efi-0", "panic", at("2026-10-01T10:00:00Z"), true)};
  };
  PreviousRun prev{true, last_seen, "boot-A", true};
  CHECK(record_instability(*s, prev, clock.utc_now(), reader) == 3);
  CHECK(asked_since == last_seen - std::chrono::minutes(2));
  auto recs = instability(*s);
  REQUIRE(recs.size() == 3);
  CHECK(recs[0]["event"] == "os_crash");
  CHECK(recs[0]["id"] == "pstore:dmesg-efi-1");
  CHECK(recs[0]["at"] == "2026-11-09T09:30:40Z");
  CHECK(recs[0]["kind"] == "panic");
  CHECK(recs[1]["event"] == "os_crash");  // an older crash not recorded before: counted in its own month
  CHECK(recs[2]["event"] == "unexpected_shutdown");
  CHECK(recs[2]["cause"] == "os_crash");  // the panic happened in this gap
  CHECK(recs[2]["last_seen"] == "2026-11-09T09:30:00Z");
  CHECK(recs[2]["previous_boot_id"] == "boot-A");
  CHECK(recs[2]["id"] == "boot:boot-B");
  REQUIRE(recs[2]["evidence"].size() == 1);
  CHECK(recs[2]["evidence"][0]["id"] == "pstore:dmesg-efi-1");

  // The next start (a clean previous run): the same pstore entries are not recorded again.
  clock.advance(std::chrono::hours(8));
  CHECK(record_instability(*s, PreviousRun{false, std::nullopt, "boot-B", true}, clock.utc_now(), reader) == 0);
  CHECK(instability(*s).size() == 3);
}

TEST_CASE("instability: no crash record in the gap means cause unknown (power cut, power switch, hang)") {
  ManualClock clock(at("2026-11-10T01:00:00Z"));
  auto s = open_store(test::temp_dir(), "boot-B", clock);
  auto reader = [](UtcTime, std::string*) {
    // A Windows 41 without a bug check: the system's own mark of the shutdown, not a crash.
    auto m = mark("winevt:System:4242", "kernel_power_41", at("2026-11-10T00:59:00Z"), false);
    m.source = "windows_event_log";
    return std::vector<inst::SystemMark>{m, mark("pstore:old", "oops", at("2026-11-01T00:00:00Z"), true)};
  };
  CHECK(record_instability(*s, PreviousRun{true, at("2026-11-09T17:00:00Z"), "boot-A", true}, clock.utc_now(),
                           reader) == 2);
  auto recs = instability(*s);
  REQUIRE(recs.size() == 2);
  CHECK(recs[0]["event"] == "os_crash");  // the old oops, outside this gap
  CHECK(recs[1]["event"] == "unexpected_shutdown");
  CHECK(recs[1]["cause"] == "unknown");
  REQUIRE(recs[1]["evidence"].size() == 1);
  CHECK(recs[1]["evidence"][0]["kind"] == "kernel_power_41");
}

TEST_CASE("instability: the agent crashing within the same boot is not a shutdown of the PC") {
  ManualClock clock(at("2026-11-10T01:00:00Z"));
  auto s = open_store(test::temp_dir(), "boot-A", clock);
  auto none = [](UtcTime, std::string*) { return std::vector<inst::SystemMark>{}; };
  CHECK(record_instability(*s, PreviousRun{true, at("2026-11-10T00:50:00Z"), "boot-A", true}, clock.utc_now(), none) ==
        0);
  CHECK(record_instability(*s, PreviousRun{false, std::nullopt, "", false}, clock.utc_now(), none) == 0);
  CHECK(instability(*s).empty());
}
