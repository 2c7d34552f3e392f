// NDIS OID buffers and *SpeedDuplex registry modes (Windows link evidence, issue 18 item 3), decoded
// portably; fixtures in tests/fixtures/ndis (hand-written from Microsoft's layouts, see PROVENANCE.md).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "collectors/network/link_tracker.hpp"
#include "collectors/network/ndis_parse.hpp"
#include "common/time_format.hpp"
#include "tests/support/temp_dir.hpp"

using namespace itsa;
using namespace itsa::network;
using namespace std::chrono_literals;

namespace {

std::string text_of(const std::string& name) {
  std::ifstream in(itsa::test::fixture("ndis/" + name));
  REQUIRE(in);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A .hex fixture: '#' comment lines, then bytes as hex pairs.
ndis::Bytes hex(const std::string& name) {
  ndis::Bytes out;
  std::istringstream lines(text_of(name));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string w;
    while (words >> w) out.push_back(static_cast<std::uint8_t>(std::stoul(w, nullptr, 16)));
  }
  return out;
}

// A .reg fixture's "name"="text" lines.
std::vector<ndis::SpeedDuplexMode> modes(const std::string& name) {
  std::vector<ndis::SpeedDuplexMode> out;
  std::istringstream lines(text_of(name));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.size() < 5 || line[0] != '"') continue;
    const auto eq = line.find("\"=\"");
    REQUIRE(eq != std::string::npos);
    out.push_back({line.substr(1, eq - 1), line.substr(eq + 3, line.rfind('"') - eq - 3)});
  }
  return out;
}

bool has_note(const std::vector<std::string>& notes, const std::string& part) {
  for (const auto& n : notes)
    if (n.find(part) != std::string::npos) return true;
  return false;
}

// What a gigabit card's driver answers with its link at `state`.
ndis::Answers gigabit_answers(const std::string& state) {
  ndis::Answers a;
  a.link_state = hex(state);
  a.max_link_speed = hex("max_link_speed_1000.hex");
  a.duplex_state = Error{"Windows error 50"};
  a.rcv_crc_error = hex("crc_ulong.hex");
  a.rcv_error_alignment = hex("crc_ulong64.hex");
  a.statistics = hex("statistics.hex");
  return a;
}

}  // namespace

TEST_CASE("NDIS_LINK_STATE: connect state, duplex and speeds from the documented layout") {
  auto full = ndis::parse_link_state(hex("link_state_1000_full.hex"));
  REQUIRE(full);
  CHECK(full.value().connect == "connected");
  CHECK(full.value().duplex == "full");
  CHECK(full.value().xmit_mbps == 1000);
  CHECK(full.value().rcv_mbps == 1000);
  auto half = ndis::parse_link_state(hex("link_state_100_half.hex"));
  REQUIRE(half);
  CHECK(half.value().duplex == "half");
  CHECK(half.value().rcv_mbps == 100);
  auto down = ndis::parse_link_state(hex("link_state_disconnected.hex"));
  REQUIRE(down);
  CHECK(down.value().connect == "disconnected");
  CHECK(down.value().duplex.empty());
  CHECK_FALSE(down.value().rcv_mbps);  // NDIS_LINK_SPEED_UNKNOWN is no speed, never a huge one
}

TEST_CASE("NDIS buffers that are short, garbage or of another object are an error that says so, never a crash") {
  auto bad = ndis::parse_link_state(hex("link_state_bad_header.hex"));
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("header type 129") != std::string::npos);
  auto full = hex("link_state_1000_full.hex");
  for (std::size_t n = 0; n < full.size(); ++n) {
    auto cut = ndis::parse_link_state(ndis::Bytes(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n)));
    REQUIRE_FALSE(cut);
    CHECK(cut.error().message.find("OID_GEN_LINK_STATE") != std::string::npos);
  }
  auto wrong_size = full;
  wrong_size[2] = 200;  // the header claims more bytes than came back
  CHECK_FALSE(ndis::parse_link_state(wrong_size));
  auto stats = hex("statistics.hex");
  CHECK_FALSE(ndis::parse_statistics(ndis::Bytes(stats.begin(), stats.begin() + 151)));
  CHECK_FALSE(ndis::parse_statistics(full));  // an NDIS_LINK_STATE is not an NDIS_STATISTICS_INFO
  CHECK_FALSE(ndis::parse_max_link_speed({1, 2, 3}));
  CHECK_FALSE(ndis::parse_max_link_speed(ndis::Bytes(16, 0)));  // 0 b/s: no speed
  CHECK_FALSE(ndis::parse_duplex_state({}));
  CHECK_FALSE(ndis::parse_duplex_state({9, 0, 0, 0}));
  auto odd = ndis::parse_counter({1, 2, 3}, "OID_GEN_RCV_CRC_ERROR");
  REQUIRE_FALSE(odd);
  CHECK(odd.error().message == "OID_GEN_RCV_CRC_ERROR: 3 bytes, not a ULONG (4) or ULONG64 (8)");
  // Random bytes of every length: an answer or an error, nothing else.
  std::uint32_t seed = 12345;
  for (int round = 0; round < 500; ++round) {
    ndis::Bytes junk(static_cast<std::size_t>(round % 200));
    for (auto& b : junk) b = static_cast<std::uint8_t>((seed = seed * 1103515245u + 12345u) >> 24);
    (void)ndis::parse_link_state(junk);
    (void)ndis::parse_statistics(junk);
    (void)ndis::parse_max_link_speed(junk);
    (void)ndis::parse_duplex_state(junk);
    (void)ndis::parse_counter(junk, "x");
  }
}

TEST_CASE("NDIS counters: ULONG or ULONG64; NDIS_STATISTICS_INFO only where SupportedStatistics says valid") {
  CHECK(ndis::parse_counter(hex("crc_ulong.hex"), "c").value() == 17u);
  CHECK(ndis::parse_counter(hex("crc_ulong64.hex"), "c").value() == 5'000'000'000u);
  CHECK(ndis::parse_max_link_speed(hex("max_link_speed_1000.hex")).value() == 1000);
  CHECK(ndis::parse_duplex_state({2, 0, 0, 0}).value() == "full");
  CHECK(ndis::parse_duplex_state({0, 0, 0, 0}).value().empty());
  auto s = ndis::parse_statistics(hex("statistics.hex"));
  REQUIRE(s);
  CHECK(s.value().rx_discards == 5u);
  CHECK(s.value().rx_errors == 42u);
  CHECK(s.value().tx_errors == 3u);
  CHECK(s.value().tx_discards == 1u);
  auto none = ndis::parse_statistics(hex("statistics_no_errors.hex"));
  REQUIRE(none);
  CHECK_FALSE(none.value().rx_errors);  // 7 in the bytes, but not flagged valid: unknown, not 7
  CHECK_FALSE(none.value().tx_discards);
}

TEST_CASE("*SpeedDuplex modes give the card's maximum: standard values, direct Mb/s, a driver's own text") {
  CHECK(ndis::max_speed_from_speed_duplex(modes("speed_duplex_intel.reg")) == 1000);
  CHECK(ndis::max_speed_from_speed_duplex(modes("speed_duplex_2500.reg")) == 2500);
  CHECK(ndis::max_speed_from_speed_duplex(modes("speed_duplex_realtek_fast.reg")) == 100);
  CHECK(ndis::speed_duplex_value_mbps("4") == 100);
  CHECK(ndis::speed_duplex_value_mbps("7") == 10'000);
  CHECK(ndis::speed_duplex_value_mbps("10") == 100'000);
  CHECK_FALSE(ndis::speed_duplex_value_mbps("0"));  // auto negotiation is no speed
  CHECK_FALSE(ndis::speed_duplex_value_mbps("20"));
  CHECK_FALSE(ndis::speed_duplex_value_mbps("-6"));
  CHECK_FALSE(ndis::speed_duplex_value_mbps("99999999999999"));
  CHECK_FALSE(ndis::max_speed_from_speed_duplex({}));
  CHECK_FALSE(ndis::max_speed_from_speed_duplex({{"0", "Auto Negotiation"}, {"x", "garbage 12"}}));
  CHECK(ndis::max_speed_from_speed_duplex({{"31", "2,5 Gbit/s Vollduplex"}}) == 2500);
}

TEST_CASE("decode: every field from NDIS when the driver answers; no notes") {
  auto e = ndis::decode(gigabit_answers("link_state_1000_full.hex"), true);
  CHECK(e.speed_mbps == 1000);
  CHECK(e.max_speed_mbps == 1000);
  CHECK(e.max_speed_source == "OID_GEN_MAX_LINK_SPEED");
  CHECK(e.duplex == "full");
  CHECK(e.rx_crc_errors == 17u);
  CHECK(e.rx_alignment_errors == 5'000'000'000u);
  CHECK(e.statistics.rx_errors == 42u);
  CHECK(e.notes.empty());
}

TEST_CASE("decode: what a driver does not give is null with a note, never 0; the registry gives the maximum") {
  ndis::Answers a;
  a.link_state = hex("link_state_100_half.hex");
  a.max_link_speed = Error{"Windows error 1"};
  a.duplex_state = Error{"Windows error 1"};
  a.rcv_crc_error = Error{"Windows error 1"};
  a.rcv_error_alignment = ndis::Bytes{1, 2, 3};
  a.statistics = hex("statistics_no_errors.hex");
  a.speed_duplex_modes = modes("speed_duplex_intel.reg");
  a.speed_duplex_configured = "0";
  auto e = ndis::decode(a, true);
  CHECK(e.max_speed_mbps == 1000);
  CHECK(e.max_speed_source == "registry *SpeedDuplex");
  CHECK(e.duplex == "half");
  CHECK_FALSE(e.rx_crc_errors);
  CHECK_FALSE(e.rx_alignment_errors);
  CHECK(has_note(e.notes, "rx_crc_errors: the driver does not answer OID_GEN_RCV_CRC_ERROR (Windows error 1)"));
  CHECK(has_note(e.notes, "OID_802_3_RCV_ERROR_ALIGNMENT: 3 bytes"));
  CHECK_FALSE(has_note(e.notes, "fixed in the adapter's settings"));  // "0" = auto negotiation

  // Speed forced by hand in the adapter's settings: said, since a slow link is then no cable sign.
  a.speed_duplex_configured = "4";
  CHECK(has_note(ndis::decode(a, true).notes, "*SpeedDuplex = 4 \"100 Mbps Full Duplex\""));
}

TEST_CASE("decode: the device cannot be opened (Wine, no NDIS): one note, nulls; no maximum without the registry") {
  ndis::Answers a;
  a.open_error = "CreateFile \\\\.\\{0000}: Windows error 2";
  auto e = ndis::decode(a, true);
  CHECK_FALSE(e.max_speed_mbps);
  CHECK(e.duplex.empty());
  CHECK_FALSE(e.rx_crc_errors);
  CHECK_FALSE(e.speed_mbps);
  CHECK(has_note(e.notes, "could not be opened (CreateFile"));
  CHECK(has_note(e.notes, "max_speed_mbps: unknown (no *SpeedDuplex modes"));
  CHECK_FALSE(has_note(e.notes, "OID_GEN_RCV_CRC_ERROR"));  // not one note per OID
  // Without NDIS the registry still gives the card's maximum.
  a.speed_duplex_modes = modes("speed_duplex_2500.reg");
  CHECK(ndis::decode(a, true).max_speed_mbps == 2500);
}

TEST_CASE("a 1000 Mb/s card at 100 on Windows: the shared link tracker reports the downgrade and below-max minutes") {
  // The snapshot as link_reader_windows.cpp builds it: IP Helper's part, then ndis::apply.
  const auto snapshot = [](const std::string& state, int iphlp_speed) {
    LinkSnapshot s;
    s.interface = "Ethernet";
    s.carrier = true;
    s.speed_mbps = iphlp_speed;
    ndis::Answers a = gigabit_answers(state);
    a.max_link_speed = Error{"Windows error 1"};  // an older driver: the maximum from the registry
    a.speed_duplex_modes = modes("speed_duplex_intel.reg");
    ndis::apply(ndis::decode(a, s.carrier), s);
    return s;
  };
  const auto fast = snapshot("link_state_1000_full.hex", 1000);
  CHECK(fast.max_speed_mbps == 1000);
  CHECK(fast.duplex == "full");
  const auto slow = snapshot("link_state_100_half.hex", 100);
  CHECK(slow.duplex == "half");
  LinkTracker tracker;
  const auto t0 = std::chrono::floor<std::chrono::minutes>(ManualClock{}.utc_now());
  CHECK(tracker.update(fast, t0).empty());
  auto ev = tracker.update(slow, t0 + 5s);
  REQUIRE(ev.size() == 2);
  CHECK(ev[0]["event"] == "speed_downgrade");
  CHECK(ev[0]["speed_mbps"] == 100);
  CHECK(ev[0]["max_speed_mbps"] == 1000);
  CHECK(ev[1]["event"] == "duplex_change");
  auto minutes = tracker.roll(t0 + 61s);
  REQUIRE(minutes.size() == 1);
  CHECK(minutes[0]["speed_mbps"] == 100);
  CHECK(minutes[0]["max_speed_mbps"] == 1000);  // the report's "below the card's maximum" minute
  CHECK(minutes[0]["duplex"] == "half");
  CHECK(minutes[0]["rx_crc_errors"] == 0);  // known at both ends: a delta

  // A card first seen below its maximum: below_max_speed, as on Linux.
  LinkTracker first;
  ev = first.update(slow, t0);
  REQUIRE(ev.size() == 1);
  CHECK(ev[0]["event"] == "below_max_speed");
}

TEST_CASE("link_minute: a CRC counter the driver does not give is null, not 0") {
  LinkSnapshot s;
  s.interface = "Ethernet";
  s.carrier = true;
  s.speed_mbps = 1000;
  LinkTracker tracker;
  const auto t0 = std::chrono::floor<std::chrono::minutes>(ManualClock{}.utc_now());
  tracker.update(s, t0);
  auto minutes = tracker.roll(t0 + 61s);
  REQUIRE(minutes.size() == 1);
  CHECK(minutes[0]["rx_crc_errors"].is_null());
  CHECK(minutes[0]["rx_frame_errors"].is_null());
  CHECK(minutes[0]["rx_errors"] == 0);
}
