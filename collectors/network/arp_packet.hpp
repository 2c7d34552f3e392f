#pragma once
// ARP over Ethernet/IPv4 (RFC 826), the 28 bytes after the Ethernet header: the request the
// neighbour prober sends and the reply it reads. Pure: bytes in, bytes out.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace itsa::network {

using MacAddress = std::array<std::uint8_t, 6>;
using Ipv4Bytes = std::array<std::uint8_t, 4>;

struct ArpPacket {
  std::uint16_t operation = 0;  ///< 1 request, 2 reply
  MacAddress sender_mac{};
  Ipv4Bytes sender_ip{};
  MacAddress target_mac{};
  Ipv4Bytes target_ip{};
};

inline constexpr std::size_t k_arp_packet_bytes = 28;

/// "Who has `target_ip`? Tell `sender_ip` (`sender_mac`)".
std::vector<std::uint8_t> encode_arp_request(const MacAddress& sender_mac, const Ipv4Bytes& sender_ip,
                                             const Ipv4Bytes& target_ip);

/// Decodes an Ethernet/IPv4 ARP packet; nullopt when it is short or of another kind.
std::optional<ArpPacket> decode_arp(const std::uint8_t* data, std::size_t size);

/// True when `packet` is `ip` saying where it is (a reply, or a request it sent itself).
bool arp_is_from(const ArpPacket& packet, const Ipv4Bytes& ip);

}  // namespace itsa::network
