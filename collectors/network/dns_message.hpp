#pragma once
// A minimal DNS message encoder/decoder (RFC 1035) for the DNS probe: one question out,
// the header, rcode and A/AAAA/CNAME answers back. Bounds-checked against hostile input.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace itsa::network {

constexpr std::uint16_t k_dns_type_a = 1;
constexpr std::uint16_t k_dns_type_cname = 5;
constexpr std::uint16_t k_dns_type_aaaa = 28;

/// One resource record of the answer section.
struct DnsAnswer {
  std::string name;
  std::uint16_t type = 0;
  std::uint32_t ttl = 0;
  std::string data;  ///< A/AAAA: address text; CNAME: target name; else empty
};

struct DnsResponse {
  std::uint16_t id = 0;
  bool is_response = false;
  bool truncated = false;
  int rcode = 0;         ///< 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED
  std::string question;  ///< first question name
  std::vector<DnsAnswer> answers;
};

/// A recursive query for `name` (A by default); the error names a bad label.
Result<std::vector<std::uint8_t>> encode_dns_query(std::uint16_t id, std::string_view name,
                                                   std::uint16_t qtype = k_dns_type_a);

/// Decodes a DNS message; the error says where it is malformed.
Result<DnsResponse> decode_dns_response(const std::uint8_t* data, std::size_t size);

}  // namespace itsa::network
