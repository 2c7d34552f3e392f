// The live Windows link reader (IP Helper + NDIS + registry) on whatever Windows runs it, Wine
// included: every interface reads, a field the driver does not give is null with a note (never 0),
// the default-route choice and nic_max_speed_mbps answer without failing.
#include <doctest/doctest.h>

#include <iostream>

#include "collectors/network/link_reader.hpp"

using namespace itsa::network;

TEST_CASE("Windows link reader: interfaces read; unknown max speed, duplex and CRC counters come with notes") {
  LinkReader reader;
  const auto names = reader.interfaces();
  MESSAGE(names.size() << " interface(s)");
  for (const auto& name : names) {
    auto snap = reader.read(name);
    REQUIRE_MESSAGE(snap, name);
    const auto& s = snap.value();
    std::cout << "link " << name << ": carrier " << s.carrier << ", speed "
              << (s.speed_mbps ? std::to_string(*s.speed_mbps) : "null") << ", max "
              << (s.max_speed_mbps ? std::to_string(*s.max_speed_mbps) : "null") << ", duplex '" << s.duplex
              << "', crc " << (s.counters.rx_crc_errors ? std::to_string(*s.counters.rx_crc_errors) : "null") << "\n";
    for (const auto& n : s.notes) std::cout << "  note: " << n << "\n";
    if (!s.max_speed_mbps || !s.counters.rx_crc_errors || !s.counters.rx_frame_errors ||
        (s.carrier && s.duplex.empty()))
      CHECK_MESSAGE(!s.notes.empty(), name);
    if (s.max_speed_mbps) CHECK(*s.max_speed_mbps > 0);
    CHECK(nic_max_speed_mbps(name) == s.max_speed_mbps);
  }
  CHECK_FALSE(reader.read("no such interface itsa"));
  const auto route = reader.default_route();
  std::cout << "default route: " << (route ? route->gateway + " via " + route->interface : std::string("none")) << "\n";
}
