// Crash and unexpected-shutdown marks: pstore entry headers and Windows System-log event XML,
// on fixtures written from the documented formats (tests/fixtures/instability/PROVENANCE.md).
#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "collectors/instability/instability.hpp"
#include "common/time_format.hpp"
#include "tests/support/temp_dir.hpp"

namespace inst = itsa::collectors::instability;
using itsa::UtcTime;

namespace {

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::optional<inst::SystemMark> pstore(const char* name, std::optional<UtcTime> t = {}) {
  return inst::parse_pstore_entry(name, read(itsa::test::fixture(std::string("instability/pstore/") + name)), t);
}

std::optional<inst::SystemMark> event(const char* name) {
  return inst::parse_windows_event_xml(read(itsa::test::fixture(std::string("instability/winevt/") + name)));
}

UtcTime at(const char* text) {
  return *itsa::parse_rfc3339(text);
}

}  // namespace

TEST_CASE("pstore: part 1 of a panic or oops dump is a crash; nothing else is") {
  const UtcTime file_time = at("2026-11-05T03:04:05Z");
  auto efi = pstore("dmesg-efi-173301234501001", file_time);
  REQUIRE(efi);
  CHECK(efi->kind == "panic");
  CHECK(efi->crash);
  CHECK(efi->source == "pstore");
  CHECK(efi->at == file_time);
  CHECK(efi->id == "pstore:dmesg-efi-173301234501001");

  auto oops = pstore("dmesg-ramoops-0", file_time);
  REQUIRE(oops);
  CHECK(oops->kind == "oops");
  CHECK(oops->at == at("2024-12-01T00:19:05Z"));  // the ramoops header's time, not the file's
  CHECK(oops->id == "pstore:dmesg-ramoops-0@1733012345");

  CHECK_FALSE(pstore("dmesg-efi-173301234502001", file_time));        // part 2 of the same dump
  CHECK_FALSE(pstore("dmesg-ramoops-1", file_time));                  // Restart: not a crash
  CHECK_FALSE(pstore("console-ramoops-0", file_time));                // console log
  CHECK_FALSE(pstore("dmesg-efi-173301300001001.enc.z", file_time));  // compressed: not proven

  // Damaged headers give nothing, never a wrong crash.
  CHECK_FALSE(inst::parse_pstore_entry("dmesg-efi-1", "", file_time));
  CHECK_FALSE(inst::parse_pstore_entry("dmesg-efi-1", "Panic#x Part1\n", file_time));
  CHECK_FALSE(inst::parse_pstore_entry("dmesg-efi-1", "Panic#1 Part\n", file_time));
  CHECK_FALSE(inst::parse_pstore_entry("dmesg-efi-1", "Pa nic#1 Part1\n", file_time));
  CHECK_FALSE(inst::parse_pstore_entry("dmesg-ramoops-0", "====1733012345.1-C\n", file_time));
  const std::string full = read(itsa::test::fixture("instability/pstore/dmesg-ramoops-0"));
  for (std::size_t cut = 0; cut < full.size(); ++cut) {
    CAPTURE(cut);
    auto m = inst::parse_pstore_entry("dmesg-ramoops-0", std::string_view(full).substr(0, cut), file_time);
    if (m) CHECK(m->kind == "oops");  // once the reason line is whole
    if (cut < 36) CHECK_FALSE(m);     // "====…-C\n" + "Oops#1 Part" is not yet a header
  }
}

#ifndef _WIN32
TEST_CASE("pstore: the reader finds each crash once, live and archived, from `since` on") {
  const auto dir = itsa::test::temp_dir();
  const auto live = dir / "live";
  const auto archive = dir / "archive" / "173301234501001";  // systemd-pstore's per-dump folder
  std::filesystem::create_directories(live);
  std::filesystem::create_directories(archive);
  for (const auto& e : std::filesystem::directory_iterator(itsa::test::fixture("instability/pstore")))
    std::filesystem::copy_file(e.path(), live / e.path().filename());
  std::filesystem::copy_file(live / "dmesg-efi-173301234501001", archive / "dmesg-efi-173301234501001");
  auto marks = inst::read_pstore({live, dir / "archive", dir / "missing"}, at("2024-01-01T00:00:00Z"));
  REQUIRE(marks.size() == 2);
  std::set<std::string> kinds;
  for (const auto& m : marks) kinds.insert(m.kind);
  CHECK(kinds == std::set<std::string>{"panic", "oops"});
  // The oops (2024-12-01) is before `since`; the panic has its file's time (now).
  marks = inst::read_pstore({live}, at("2025-01-01T00:00:00Z"));
  REQUIRE(marks.size() == 1);
  CHECK(marks[0].kind == "panic");
}

#endif

TEST_CASE("windows event log: Kernel-Power 41, EventLog 6008 and BugCheck 1001") {
  auto lost = event("kernel-power-41-power-lost.xml");
  REQUIRE(lost);
  CHECK(lost->kind == "kernel_power_41");
  CHECK_FALSE(lost->crash);  // BugcheckCode 0: power lost, the power button or a hang
  CHECK_FALSE(lost->bugcheck_code);
  CHECK(lost->at == at("2026-11-02T01:15:30Z"));
  CHECK(lost->id == "winevt:System:4242");
  CHECK(lost->source == "windows_event_log");

  auto bug41 = event("kernel-power-41-bugcheck.xml");
  REQUIRE(bug41);
  CHECK(bug41->crash);
  CHECK(bug41->bugcheck_code == 159u);

  auto e6008 = event("eventlog-6008.xml");
  REQUIRE(e6008);
  CHECK(e6008->kind == "eventlog_6008");
  CHECK_FALSE(e6008->crash);
  CHECK(e6008->at == at("2026-11-02T01:15:45Z"));

  auto bugcheck = event("bugcheck-1001.xml");
  REQUIRE(bugcheck);
  CHECK(bugcheck->kind == "bugcheck");
  CHECK(bugcheck->crash);
  CHECK(bugcheck->bugcheck_code == 0x9fu);
  CHECK(bugcheck->id == "winevt:System:5133");

  CHECK_FALSE(event("service-7036.xml"));
  CHECK_FALSE(event("other-1001.xml"));
  const std::string xml = read(itsa::test::fixture("instability/winevt/bugcheck-1001.xml"));
  for (std::size_t cut = 0; cut < xml.size(); ++cut) {
    CAPTURE(cut);
    auto m = inst::parse_windows_event_xml(std::string_view(xml).substr(0, cut));
    if (m) CHECK(m->kind == "bugcheck");
  }
}

TEST_CASE("windows event log: the query names the three events and the start time") {
  const std::string q = inst::windows_event_query(at("2026-11-01T00:00:00Z"));
  CHECK(q ==
        "*[System[(EventID=41 or EventID=6008 or EventID=1001) and "
        "TimeCreated[@SystemTime>='2026-11-01T00:00:00.000Z']]]");
}
