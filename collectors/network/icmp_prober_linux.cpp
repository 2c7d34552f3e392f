// Linux ICMP echo over one Asio socket: raw (needs CAP_NET_RAW) or the unprivileged
// ICMP datagram socket (net.ipv4.ping_group_range), which strips the IP header and
// rewrites the echo id.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <map>

#include <boost/asio/ip/icmp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "collectors/network/icmp_prober.hpp"
#include "common/log.hpp"

namespace itsa::network {

namespace {

namespace asio = boost::asio;
using Steady = std::chrono::steady_clock;

std::uint16_t checksum(const std::uint8_t* p, std::size_t n) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < n; i += 2) sum += static_cast<std::uint32_t>(p[i] << 8 | p[i + 1]);
  if (n % 2) sum += static_cast<std::uint32_t>(p[n - 1] << 8);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

class LinuxIcmpProber final : public IcmpProber {
 public:
  explicit LinuxIcmpProber(asio::io_context& io) : m_io(io), m_socket(io) {
    m_id = static_cast<std::uint16_t>(::getpid() & 0xffff);
    int fd = ::socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
    if (fd >= 0) {
      m_mode = "raw";
    } else {
      fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_ICMP);
      if (fd >= 0) m_mode = "datagram";
    }
    if (fd < 0) {
      m_mode =
          "unavailable: neither a raw nor a datagram ICMP socket could be opened (no CAP_NET_RAW, ping_group_range)";
      return;
    }
    boost::system::error_code ec;
    m_socket.assign(asio::ip::icmp::v4(), fd, ec);
    if (ec) {
      ::close(fd);
      m_mode = "unavailable: " + ec.message();
      return;
    }
    receive();
  }

  void probe(const std::string& address, int timeout_ms, int attempts, std::function<void(ProbeSample)> done) override {
    boost::system::error_code ec;
    auto addr = asio::ip::make_address_v4(address, ec);
    if (ec || !m_socket.is_open()) {
      ProbeSample s;
      s.attempts_sent = 0;
      s.error = ec ? "not an IPv4 address: " + address : m_mode;
      asio::post(m_io, [done = std::move(done), s] { done(s); });
      return;
    }
    auto p = std::make_shared<Pending>(m_io);
    p->done = std::move(done);
    p->to = asio::ip::icmp::endpoint(addr, 0);
    p->attempts_left = std::max(1, attempts);
    p->gap = std::chrono::milliseconds(std::max(1, timeout_ms / p->attempts_left));
    p->deadline = Steady::now() + std::chrono::milliseconds(timeout_ms);
    send_attempt(p);
  }

  void cancel() override {
    auto pending = m_pending;
    for (auto& [seq, p] : pending) finish(p, false, 0, "cancelled");
  }

  std::string mode() const override { return m_mode; }

  ~LinuxIcmpProber() override {
    boost::system::error_code ec;
    m_socket.close(ec);
  }

 private:
  struct Pending {
    explicit Pending(asio::io_context& io) : timer(io) {}
    std::function<void(ProbeSample)> done;
    asio::ip::icmp::endpoint to;
    asio::steady_timer timer;
    Steady::time_point deadline;
    std::chrono::milliseconds gap{250};
    int attempts_left = 1;
    int sent = 0;
    std::map<std::uint16_t, Steady::time_point> sent_at;  ///< seq -> send time
    bool finished = false;
  };

  void send_attempt(const std::shared_ptr<Pending>& p) {
    std::uint16_t seq = ++m_seq;
    std::array<std::uint8_t, 24> pkt{};  // 8-byte header + 16 bytes payload
    pkt[0] = 8;                          // echo request
    pkt[4] = static_cast<std::uint8_t>(m_id >> 8);
    pkt[5] = static_cast<std::uint8_t>(m_id & 0xff);
    pkt[6] = static_cast<std::uint8_t>(seq >> 8);
    pkt[7] = static_cast<std::uint8_t>(seq & 0xff);
    std::copy_n("itsa-probe-echo!", 16, pkt.begin() + 8);
    auto sum = checksum(pkt.data(), pkt.size());
    pkt[2] = static_cast<std::uint8_t>(sum >> 8);
    pkt[3] = static_cast<std::uint8_t>(sum & 0xff);
    p->sent_at[seq] = Steady::now();
    m_pending[seq] = p;
    ++p->sent;
    --p->attempts_left;
    boost::system::error_code ec;
    m_socket.send_to(asio::buffer(pkt), p->to, 0, ec);  // a datagram send does not block
    auto next = std::min(Steady::now() + p->gap, p->deadline);
    if (p->attempts_left <= 0) next = p->deadline;
    p->timer.expires_at(next);
    p->timer.async_wait([this, p](boost::system::error_code wait_ec) {
      if (wait_ec || p->finished) return;
      if (Steady::now() >= p->deadline || p->attempts_left <= 0) {
        if (Steady::now() >= p->deadline)
          finish(p, false, 0, "timeout");
        else {
          p->timer.expires_at(p->deadline);
          p->timer.async_wait([this, p](boost::system::error_code e2) {
            if (!e2 && !p->finished) finish(p, false, 0, "timeout");
          });
        }
        return;
      }
      send_attempt(p);
    });
    if (ec && !p->finished) {
      // ENETUNREACH etc.: the attempt is lost; the timer sends the next or fails at the deadline.
      m_last_send_error = ec.message();
    }
  }

  void finish(const std::shared_ptr<Pending>& p, bool ok, double rtt_ms, const std::string& error) {
    if (p->finished) return;
    p->finished = true;
    p->timer.cancel();
    for (auto& [seq, t] : p->sent_at) m_pending.erase(seq);
    ProbeSample s;
    s.ok = ok;
    s.rtt_ms = rtt_ms;
    s.attempts_sent = p->sent;
    s.attempts_lost = ok ? p->sent - 1 : p->sent;
    s.error = ok ? "" : (m_last_send_error.empty() ? error : error + " (" + m_last_send_error + ")");
    m_last_send_error.clear();
    asio::post(m_io, [done = std::move(p->done), s] { done(s); });
  }

  void receive() {
    m_socket.async_receive(asio::buffer(m_buf), [this](boost::system::error_code ec, std::size_t n) {
      if (ec == asio::error::operation_aborted || !m_socket.is_open()) return;
      if (!ec) handle(n);
      receive();
    });
  }

  void handle(std::size_t n) {
    const std::uint8_t* p = m_buf.data();
    if (m_mode == "raw") {  // raw sockets deliver the IP header first
      if (n < 20) return;
      std::size_t ihl = static_cast<std::size_t>(p[0] & 0x0f) * 4;
      if (n < ihl + 8) return;
      p += ihl;
      n -= ihl;
    }
    if (n < 8 || p[0] != 0) return;  // echo reply only
    std::uint16_t id = static_cast<std::uint16_t>(p[4] << 8 | p[5]);
    std::uint16_t seq = static_cast<std::uint16_t>(p[6] << 8 | p[7]);
    if (m_mode == "raw" && id != m_id) return;  // another program's ping
    auto it = m_pending.find(seq);
    if (it == m_pending.end()) return;
    auto pending = it->second;
    auto sent = pending->sent_at.at(seq);
    double rtt_ms = std::chrono::duration<double, std::milli>(Steady::now() - sent).count();
    finish(pending, true, rtt_ms, "");
  }

  asio::io_context& m_io;
  asio::ip::icmp::socket m_socket;
  std::string m_mode;
  std::string m_last_send_error;
  std::uint16_t m_id = 0;
  std::uint16_t m_seq = 0;
  std::array<std::uint8_t, 1500> m_buf{};
  std::map<std::uint16_t, std::shared_ptr<Pending>> m_pending;
};

}  // namespace

std::unique_ptr<IcmpProber> make_icmp_prober(asio::io_context& io) {
  return std::make_unique<LinuxIcmpProber>(io);
}

}  // namespace itsa::network
