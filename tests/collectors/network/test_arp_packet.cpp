// ARP bytes: the request the neighbour prober sends, and a reply as a Linux kernel sends it
// (tests/fixtures/network/arp_reply.hex: captured in a namespace, see PROVENANCE.md there).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "collectors/network/arp_packet.hpp"
#include "tests/support/temp_dir.hpp"

using namespace itsa::network;

namespace {
std::vector<std::uint8_t> hex_bytes(const std::string& text) {
  std::vector<std::uint8_t> out;
  std::istringstream in(text);
  std::string byte;
  while (in >> byte) out.push_back(static_cast<std::uint8_t>(std::stoul(byte, nullptr, 16)));
  return out;
}
}  // namespace

TEST_CASE("an ARP request encodes as RFC 826 bytes and decodes back") {
  const MacAddress mac{0x02, 0x00, 0x5e, 0x10, 0x20, 0x30};
  const auto req = encode_arp_request(mac, {10, 231, 1, 2}, {10, 231, 1, 1});
  REQUIRE(req.size() == k_arp_packet_bytes);
  CHECK(req[0] == 0);
  CHECK(req[1] == 1);  // Ethernet
  CHECK(req[2] == 0x08);
  CHECK(req[3] == 0x00);  // IPv4
  CHECK(req[7] == 1);     // request
  auto back = decode_arp(req.data(), req.size());
  REQUIRE(back);
  CHECK(back->operation == 1);
  CHECK(back->sender_mac == mac);
  CHECK(back->target_ip == Ipv4Bytes{10, 231, 1, 1});
  CHECK_FALSE(arp_is_from(*back, {10, 231, 1, 1}));  // our own request is not the gateway's answer
  CHECK(arp_is_from(*back, {10, 231, 1, 2}));
}

TEST_CASE("a captured kernel ARP reply names the gateway; short or foreign packets do not decode") {
  std::ifstream f(itsa::test::fixture("network/arp_reply.hex"));
  REQUIRE(f);
  std::stringstream text;
  text << f.rdbuf();
  const auto bytes = hex_bytes(text.str());
  auto reply = decode_arp(bytes.data(), bytes.size());
  REQUIRE(reply);
  CHECK(reply->operation == 2);
  CHECK(arp_is_from(*reply, {10, 231, 1, 1}));
  for (std::size_t n = 0; n < k_arp_packet_bytes; ++n) CHECK_FALSE(decode_arp(bytes.data(), n));
  auto foreign = bytes;
  foreign[3] = 0x06;  // protocol 0x0806 is not IPv4
  CHECK_FALSE(decode_arp(foreign.data(), foreign.size()));
  CHECK_FALSE(decode_arp(nullptr, 0));
}
