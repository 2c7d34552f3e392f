// History from before installation: Windows System-log event XML and Linux journal exports,
// parsed and grouped into `history` payloads, on hand-written fixtures of the documented formats
// (tests/fixtures/history/PROVENANCE.md).
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "collectors/eventlog/event_xml.hpp"
#include "collectors/history/history.hpp"
#include "common/time_format.hpp"
#include "tests/support/temp_dir.hpp"

namespace hist = itsa::collectors::history;
namespace kind = itsa::protocol::history_kind;
using itsa::UtcTime;

namespace {

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::optional<hist::LogEvent> event(const char* name) {
  return hist::parse_windows_event(read(itsa::test::fixture(std::string("history/winevt/") + name)));
}

hist::JournalParse journal(const char* name) {
  return hist::parse_journal_export(read(itsa::test::fixture(std::string("history/journal/") + name)));
}

UtcTime at(const char* text) {
  return *itsa::parse_rfc3339(text);
}

}  // namespace

TEST_CASE("history: Windows NIC driver link down and up, with the adapter's name") {
  const auto down = event("intel-e1cexpress-27.xml");
  REQUIRE(down);
  CHECK(down->kind == kind::link_down);
  CHECK(down->source == "windows_system_log");
  CHECK(down->provider == "e1cexpress");
  CHECK(down->event_id == 27);
  CHECK(down->adapter == "Intel(R) Ethernet Connection I217-LM");  // not the \Device\ path
  CHECK(down->at == at("2026-09-14T01:12:30Z"));
  const auto up = event("intel-e1cexpress-32.xml");
  REQUIRE(up);
  CHECK(up->kind == kind::link_up);
  CHECK(up->adapter == "Intel(R) Ethernet Connection I217-LM");
  const auto realtek = event("realtek-rt640x64-27.xml");
  REQUIRE(realtek);
  CHECK(realtek->kind == kind::link_down);
  CHECK(realtek->provider == "rt640x64");
  CHECK(realtek->adapter == "Realtek PCIe GbE Family Controller");
}

TEST_CASE("history: NDIS reset, unexpected shutdown and crash; other providers' same ids are not events") {
  const auto reset = event("ndis-10400.xml");
  REQUIRE(reset);
  CHECK(reset->kind == kind::nic_reset);
  CHECK(reset->adapter == "Realtek PCIe GbE Family Controller");  // IfDescr, not the GUID or the index
  const auto power = event("kernel-power-41.xml");
  REQUIRE(power);
  CHECK(power->kind == kind::unexpected_shutdown);
  CHECK_FALSE(power->adapter);
  const auto crash = event("bugcheck-1001.xml");
  REQUIRE(crash);
  CHECK(crash->kind == kind::crash);
  CHECK(crash->provider == "Microsoft-Windows-WER-SystemErrorReporting");
  CHECK_FALSE(crash->adapter);  // never the dump's file path
  CHECK_FALSE(event("other-27.xml"));
}

TEST_CASE("history: truncated or garbage event XML gives no event and does not throw") {
  CHECK_FALSE(event("truncated.xml"));
  CHECK_FALSE(event("garbage.xml"));
  CHECK_FALSE(hist::parse_windows_event(""));
  CHECK_FALSE(hist::parse_windows_event("<Event><System><EventID>27</EventID></System></Event>"));
}

TEST_CASE("history: the Windows query names every event id, strictly after since, up to until") {
  const std::string q = hist::windows_query(at("2026-09-01T00:00:00Z"), at("2026-11-30T00:00:00Z"));
  for (const char* id : {"EventID=27 ", "EventID=32 ", "EventID=10400 ", "EventID=10317 ", "EventID=41 ",
                         "EventID=6008 ", "EventID=1001)"})
    CHECK_MESSAGE(q.find(id) != std::string::npos, id);
  CHECK(q.find("@SystemTime>'2026-09-01T00:00:00.000Z'") != std::string::npos);
  CHECK(q.find("@SystemTime<='2026-11-30T00:00:00.000Z'") != std::string::npos);
}

TEST_CASE("history: kernel messages of NIC drivers") {
  const UtcTime t = at("2026-09-14T01:00:00Z");
  auto e = hist::parse_kernel_message("r8169 0000:02:00.0 enp2s0: Link is Down", t);
  REQUIRE(e);
  CHECK(e->kind == kind::link_down);
  CHECK(e->provider == "r8169");
  CHECK(e->adapter == "enp2s0");
  CHECK(e->source == "linux_journal");
  CHECK_FALSE(e->event_id);
  e = hist::parse_kernel_message("e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex, Flow Control: None", t);
  REQUIRE(e);
  CHECK(e->kind == kind::link_up);
  CHECK(e->provider == "e1000e");
  CHECK(e->adapter == "eth0");
  e = hist::parse_kernel_message("tg3 0000:02:00.0 eth0: Link is down.", t);
  REQUIRE(e);
  CHECK(e->kind == kind::link_down);
  e = hist::parse_kernel_message("NETDEV WATCHDOG: enp2s0 (r8169): transmit queue 0 timed out", t);
  REQUIRE(e);
  CHECK(e->kind == kind::nic_reset);
  CHECK(e->provider == "r8169");
  CHECK(e->adapter == "enp2s0");
  e = hist::parse_kernel_message("Kernel panic - not syncing: Fatal exception in interrupt", t);
  REQUIRE(e);
  CHECK(e->kind == kind::crash);
  CHECK_FALSE(hist::parse_kernel_message("IPv6: ADDRCONF(NETDEV_CHANGE): enp2s0: link becomes ready", t));
  CHECK_FALSE(hist::parse_kernel_message("bond0: link status definitely down for interface eth0", t));
  CHECK_FALSE(hist::parse_kernel_message("", t));
}

TEST_CASE("history: a journal export's kernel messages, binary fields included") {
  const auto j = journal("kernel.export");
  CHECK(j.note.empty());
  CHECK(j.entries == 12);
  std::map<std::string, int> kinds;
  for (const auto& e : j.events) ++kinds[e.kind];
  CHECK(kinds[kind::link_down] == 4);  // 2 r8169, e1000e (binary MESSAGE), igb
  CHECK(kinds[kind::link_up] == 3);
  CHECK(kinds[kind::nic_reset] == 2);  // the watchdog, the e1000e hang (a multi-line binary MESSAGE)
  CHECK(j.events.size() == 9);         // the non-kernel entry and the other messages are no events
  REQUIRE(!j.events.empty());
  CHECK(j.events.front().at == UtcTime{std::chrono::microseconds{1757811601000000}});
  CHECK(j.events.front().adapter == "enp2s0");
}

TEST_CASE("history: a truncated or garbage journal export gives what it could and a note") {
  const auto cut = journal("truncated.export");
  CHECK(cut.events.size() == 5);  // the first six entries (ADDRCONF is no event)
  CHECK(cut.note.find("cut short") != std::string::npos);
  const auto garbage = journal("garbage.export");
  CHECK(garbage.events.empty());
  CHECK_FALSE(garbage.note.empty());
  const auto empty = hist::parse_journal_export("");
  CHECK(empty.events.empty());
  CHECK(empty.entries == 0);
}

TEST_CASE("history: events grouped per UTC day, kind and adapter; the group's ids are unique") {
  const auto j = journal("kernel.export");
  const auto groups = hist::group_events(j.events, true);
  // Day 1 (r8169): link_down ×2, link_up ×2, nic_reset ×1; day 2: e1000e down, up, reset; igb down.
  REQUIRE(groups.size() == 7);
  std::set<std::string> ids;
  std::int64_t total = 0;
  for (const auto& g : groups) {
    ids.insert(g.id);
    total += g.count;
    CHECK(g.before_install);
    CHECK(g.source == "linux_journal");
    CHECK(g.first <= g.last);
  }
  CHECK(ids.size() == groups.size());
  CHECK(total == 9);
  const auto& first = groups.front();
  CHECK(first.day == "2025-09-14");
  CHECK(first.kind == kind::link_down);
  CHECK(first.count == 2);
  CHECK(first.adapter == "enp2s0");
  CHECK(first.first == "2025-09-14T01:00:01Z");
  CHECK(first.last == "2025-09-14T01:01:00Z");
  // The payload round-trips through protocol's to_json/from_json.
  const nlohmann::json payload = first;
  const auto back = itsa::protocol::history_group_of(payload);
  REQUIRE(back);
  CHECK(back->id == first.id);
  CHECK(back->count == 2);
  CHECK_FALSE(itsa::protocol::history_group_of(nlohmann::json{{"id", "x"}}));
  CHECK_FALSE(itsa::protocol::history_group_of(nlohmann::json("text")));
}

TEST_CASE("event XML fields: the n-th Data, named or not") {
  const std::string xml = "<Event><EventData><Data Name='a'>1</Data><Data/><Data>third</Data></EventData></Event>";
  CHECK(itsa::collectors::eventlog::data_at(xml, 0) == "1");
  CHECK(itsa::collectors::eventlog::data_at(xml, 1) == "");
  CHECK(itsa::collectors::eventlog::data_at(xml, 2) == "third");
  CHECK_FALSE(itsa::collectors::eventlog::data_at(xml, 3));
  CHECK(itsa::collectors::eventlog::data_named(xml, "a") == "1");
}

#ifndef _WIN32
TEST_CASE("history: the live journal reader answers (events or a note) and never throws") {
  const UtcTime now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  const auto r = hist::read_history(now - std::chrono::hours(24 * 90), now);
  CHECK((r.read || !r.note.empty()));
  for (const auto& e : r.events) {
    CHECK(e.source == "linux_journal");
    CHECK(itsa::protocol::is_history_kind(e.kind));
    CHECK(e.at <= now);
  }
  MESSAGE("journal: read ", r.read, ", ", r.events.size(), " events; ", r.note);
}
#endif
