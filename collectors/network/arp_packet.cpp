#include "collectors/network/arp_packet.hpp"

#include <algorithm>

namespace itsa::network {

namespace {
constexpr std::uint16_t k_hw_ethernet = 1;
constexpr std::uint16_t k_proto_ipv4 = 0x0800;
void put16(std::vector<std::uint8_t>& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v & 0xff));
}
std::uint16_t get16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
}  // namespace

std::vector<std::uint8_t> encode_arp_request(const MacAddress& sender_mac, const Ipv4Bytes& sender_ip,
                                             const Ipv4Bytes& target_ip) {
  std::vector<std::uint8_t> out;
  out.reserve(k_arp_packet_bytes);
  put16(out, k_hw_ethernet);
  put16(out, k_proto_ipv4);
  out.push_back(6);
  out.push_back(4);
  put16(out, 1);
  out.insert(out.end(), sender_mac.begin(), sender_mac.end());
  out.insert(out.end(), sender_ip.begin(), sender_ip.end());
  out.insert(out.end(), 6, 0);
  out.insert(out.end(), target_ip.begin(), target_ip.end());
  return out;
}

std::optional<ArpPacket> decode_arp(const std::uint8_t* p, std::size_t size) {
  if (p == nullptr || size < k_arp_packet_bytes) return std::nullopt;
  if (get16(p) != k_hw_ethernet || get16(p + 2) != k_proto_ipv4 || p[4] != 6 || p[5] != 4) return std::nullopt;
  ArpPacket a;
  a.operation = get16(p + 6);
  std::copy_n(p + 8, 6, a.sender_mac.begin());
  std::copy_n(p + 14, 4, a.sender_ip.begin());
  std::copy_n(p + 18, 6, a.target_mac.begin());
  std::copy_n(p + 24, 4, a.target_ip.begin());
  if (a.operation != 1 && a.operation != 2) return std::nullopt;
  return a;
}

bool arp_is_from(const ArpPacket& packet, const Ipv4Bytes& ip) {
  return packet.sender_ip == ip && packet.sender_mac != MacAddress{};
}

}  // namespace itsa::network
