// The Asio probers against real sockets on loopback: TCP accept/refuse, a DNS responder,
// ICMP echo to 127.0.0.1.
#include <doctest/doctest.h>

#include <array>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "collectors/network/dns_message.hpp"
#include "collectors/network/prober.hpp"

using namespace itsa::network;
namespace asio = boost::asio;

namespace {
ProbeSample run_probe(asio::io_context& io, Prober& prober, const std::string& uri, Layer layer = Layer::internet) {
  auto t = parse_probe_target(uri, layer);
  REQUIRE(t);
  std::optional<ProbeSample> got;
  prober.probe(t.value(), [&](ProbeSample s) { got = s; });
  io.restart();
  while (!got && io.run_one() > 0) {
  }
  REQUIRE(got);
  return *got;
}
ProberSettings fast() {
  ProberSettings s;
  s.timeout_ms = 400;
  s.attempts = 2;
  s.slow_ms = 1000;  // DNS keeps asking, one query a timeout apart, up to this
  s.dns_name = "probe.itsa.test";
  return s;
}
}  // namespace

TEST_CASE("tcp probe: an accepting port and a refusing port both answer; the refusal says so") {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  auto port = acceptor.local_endpoint().port();
  Prober prober(io, fast());
  auto s = run_probe(io, prober, "tcp://127.0.0.1:" + std::to_string(port));
  CHECK(s.ok);
  CHECK(s.attempts_sent >= 1);
  CHECK(s.rtt_ms < 400);
  CHECK_FALSE(s.refused);
  acceptor.close();
  auto refused = run_probe(io, prober, "tcp://127.0.0.1:" + std::to_string(port));
  CHECK(refused.ok);
  CHECK(refused.refused);  // the cause rules decide whether it proves the target (cause_rules.hpp)
  auto named = run_probe(io, prober, "tcp://localhost:80");
  CHECK_FALSE(named.ok);
  CHECK(named.error.find("IP address") != std::string::npos);
}

TEST_CASE("dns probe: a real query answered over UDP; silence is a failure after every attempt") {
  asio::io_context io;
  asio::ip::udp::socket server(io, {asio::ip::make_address("127.0.0.1"), 0});
  auto port = server.local_endpoint().port();
  std::array<std::uint8_t, 512> buf{};
  asio::ip::udp::endpoint from;
  std::string asked;
  int rcode = 0;
  std::function<void()> serve = [&] {
    server.async_receive_from(asio::buffer(buf), from, [&](boost::system::error_code ec, std::size_t n) {
      if (ec) return;
      auto q = decode_dns_response(buf.data(), n);  // the header/question layout is shared
      REQUIRE(q);
      asked = q.value().question;
      std::vector<std::uint8_t> reply(buf.begin(), buf.begin() + static_cast<long>(n));
      reply[2] = 0x81;
      reply[3] = static_cast<std::uint8_t>(0x80 | rcode);
      server.send_to(asio::buffer(reply), from);
      serve();
    });
  };
  serve();
  Prober prober(io, fast());
  auto s = run_probe(io, prober, "dns://127.0.0.1:" + std::to_string(port), Layer::dns);
  CHECK(s.ok);
  CHECK(asked == "probe.itsa.test");
  rcode = 2;  // SERVFAIL: answered, but resolution fails
  auto sf = run_probe(io, prober, "dns://127.0.0.1:" + std::to_string(port), Layer::dns);
  CHECK_FALSE(sf.ok);
  CHECK(sf.error.find("rcode 2") != std::string::npos);
  server.close();
  asio::ip::udp::socket silent(io, {asio::ip::make_address("127.0.0.1"), 0});
  auto quiet = run_probe(io, prober, "dns://127.0.0.1:" + std::to_string(silent.local_endpoint().port()), Layer::dns);
  CHECK_FALSE(quiet.ok);
  CHECK(quiet.attempts_sent == 3);  // 2 inside the timeout (0, 200 ms), then at 600 ms; none at 1000
  CHECK(quiet.attempts_lost == 3);
}

TEST_CASE("dns probe: a resolver answering after the timeout but within slow_ms is slow, not dead") {
  asio::io_context io;
  asio::ip::udp::socket server(io, {asio::ip::make_address("127.0.0.1"), 0});
  auto port = server.local_endpoint().port();
  std::array<std::uint8_t, 512> buf{};
  asio::ip::udp::endpoint from;
  asio::steady_timer delay(io);
  std::vector<std::vector<std::uint8_t>> replies;
  std::chrono::milliseconds lag{600};
  std::function<void()> serve = [&] {
    server.async_receive_from(asio::buffer(buf), from, [&](boost::system::error_code ec, std::size_t n) {
      if (ec) return;
      std::vector<std::uint8_t> reply(buf.begin(), buf.begin() + static_cast<long>(n));
      reply[2] = 0x81;
      reply[3] = 0x80;
      auto t = std::make_shared<asio::steady_timer>(io, lag);  // every query answered `lag` late
      t->async_wait([&, t, reply, to = from](boost::system::error_code) { server.send_to(asio::buffer(reply), to); });
      serve();
    });
  };
  serve();
  Prober prober(io, fast());
  auto s = run_probe(io, prober, "dns://127.0.0.1:" + std::to_string(port), Layer::dns);
  CHECK(s.ok);
  CHECK(s.slow);
  // Each query has its own id: the RTT is the answered query's own (about 600 ms), not the last one's.
  CHECK(s.rtt_ms >= 550);
  CHECK(s.rtt_ms < 950);
  lag = std::chrono::milliseconds(100);
  auto quick = run_probe(io, prober, "dns://127.0.0.1:" + std::to_string(port), Layer::dns);
  CHECK(quick.ok);
  CHECK_FALSE(quick.slow);
  lag = std::chrono::milliseconds(1500);  // beyond slow_ms: dead
  auto dead = run_probe(io, prober, "dns://127.0.0.1:" + std::to_string(port), Layer::dns);
  CHECK_FALSE(dead.ok);
}

TEST_CASE("icmp probe to loopback answers when an ICMP socket is available") {
  asio::io_context io;
  Prober prober(io, fast());
  if (prober.icmp_mode().rfind("unavailable", 0) == 0) {
    MESSAGE("skipped: " << prober.icmp_mode());
    return;
  }
  auto s = run_probe(io, prober, "icmp://127.0.0.1");
  CHECK(s.ok);
  auto bad = run_probe(io, prober, "icmp://not-an-address");
  CHECK_FALSE(bad.ok);
}
