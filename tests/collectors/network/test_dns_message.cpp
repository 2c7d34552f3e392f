// DNS encoder/decoder on hand-checked wire bytes, and hostile input.
#include <doctest/doctest.h>

#include "collectors/network/dns_message.hpp"
#include "collectors/network/link_watch.hpp"
#include "collectors/network/probe_target.hpp"

using namespace itsa::network;

TEST_CASE("a query encodes as RFC 1035 bytes") {
  auto q = encode_dns_query(0xbeef, "example.com.");
  REQUIRE(q);
  const std::vector<std::uint8_t> expect = {0xbe, 0xef, 0x01, 0x00, 0,   1, 0,   0,   0,   0, 0, 0, 7, 'e', 'x',
                                            'a',  'm',  'p',  'l',  'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1};
  CHECK(q.value() == expect);
  CHECK_FALSE(encode_dns_query(1, "bad..name"));
  CHECK_FALSE(encode_dns_query(1, ""));
  CHECK_FALSE(encode_dns_query(1, std::string(64, 'a') + ".com"));
}

TEST_CASE("a response with a CNAME and a compressed A record decodes") {
  // Response to "www.example.com A": CNAME -> example.com (pointer into the question), A 93.184.216.34.
  const std::vector<std::uint8_t> msg = {
      0x12, 0x34, 0x81, 0x80, 0, 1,   0,   2,   0,    0,    0,   0,                                         // header
      3,    'w',  'w',  'w',  7, 'e', 'x', 'a', 'm',  'p',  'l', 'e', 3,    'c',  'o', 'm', 0, 0, 1, 0, 1,  // question
      0xc0, 0x0c, 0,    5,    0, 1,   0,   0,   0x0e, 0x10, 0,   2,   0xc0, 0x10,            // CNAME -> example.com
      0xc0, 0x10, 0,    1,    0, 1,   0,   0,   0x0e, 0x10, 0,   4,   93,   184,  216, 34};  // A
  auto r = decode_dns_response(msg.data(), msg.size());
  REQUIRE(r);
  CHECK(r.value().id == 0x1234);
  CHECK(r.value().is_response);
  CHECK(r.value().rcode == 0);
  CHECK(r.value().question == "www.example.com");
  REQUIRE(r.value().answers.size() == 2);
  CHECK(r.value().answers[0].type == k_dns_type_cname);
  CHECK(r.value().answers[0].data == "example.com");
  CHECK(r.value().answers[1].data == "93.184.216.34");
  CHECK(r.value().answers[1].ttl == 3600);
  // Every truncation fails cleanly, never reads past the end.
  for (std::size_t n = 0; n < msg.size(); ++n) CHECK_FALSE(decode_dns_response(msg.data(), n));
}

TEST_CASE("NXDOMAIN and a compression loop") {
  std::vector<std::uint8_t> nx = {0, 7, 0x81, 0x83, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'x', 0, 0, 1, 0, 1};
  auto r = decode_dns_response(nx.data(), nx.size());
  REQUIRE(r);
  CHECK(r.value().rcode == 3);
  std::vector<std::uint8_t> loop = {0, 7, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0x0c, 0, 1, 0, 1};
  auto l = decode_dns_response(loop.data(), loop.size());
  REQUIRE_FALSE(l);
  CHECK(l.error().message.find("loop") != std::string::npos);
}

TEST_CASE("netlink RTM_NEWLINK bytes name the interface") {
  // nlmsghdr(len 44, type 16) + ifinfomsg(16 bytes) + rtattr(IFLA_IFNAME "eth0\0", len 9, padded to 12).
  std::vector<std::uint8_t> m(44, 0);
  m[0] = 44;
  m[4] = 16;
  m[32] = 9;
  m[34] = 3;
  m[36] = 'e';
  m[37] = 't';
  m[38] = 'h';
  m[39] = '0';
  CHECK(parse_netlink_link_messages(m.data(), m.size()) == std::vector<std::string>{"eth0"});
  m[32] = 200;  // attribute longer than the message: ignored, no overread
  CHECK(parse_netlink_link_messages(m.data(), m.size()).empty());
  CHECK(parse_netlink_link_messages(m.data(), 10).empty());
}

TEST_CASE("probe target URIs") {
  auto t = parse_probe_target("tcp://1.1.1.1:443", Layer::internet);
  REQUIRE(t);
  CHECK(t.value().kind == ProbeKind::tcp);
  CHECK(t.value().port == 443);
  auto h = parse_probe_target("https://dichvucong.gov.vn/", Layer::internet);
  REQUIRE(h);
  CHECK(h.value().kind == ProbeKind::http);
  CHECK(h.value().host == "dichvucong.gov.vn");
  CHECK(h.value().port == 443);
  CHECK_FALSE(parse_probe_target("tcp://1.1.1.1", Layer::internet));
  CHECK_FALSE(parse_probe_target("ftp://x", Layer::internet));
  CHECK_FALSE(parse_probe_target("icmp://8.8.8.8:5", Layer::internet));
  auto err = parse_probe_target("tcp://h:99999", Layer::lan);
  REQUIRE_FALSE(err);
  CHECK(err.error().message.find("tcp://h:99999") != std::string::npos);
}
