// Linux: ARP requests on an AF_PACKET datagram socket bound to the route's interface, read
// through Asio (wait for readable). Needs CAP_NET_RAW (the agent's service runs as root);
// without it every probe says "could not ask" and the cause rules do without layer 2.
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "collectors/network/arp_packet.hpp"
#include "collectors/network/neighbor_prober.hpp"

namespace itsa::network {

namespace {

namespace asio = boost::asio;
using Steady = std::chrono::steady_clock;

int open_arp_socket() {
  return ::socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ARP));
}

// The interface's first IPv4 address and its hardware address.
bool interface_addresses(const std::string& interface, MacAddress& mac, Ipv4Bytes& ip) {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return false;
  bool have_ip = false;
  bool have_mac = false;
  for (auto* a = list; a != nullptr; a = a->ifa_next) {
    if (a->ifa_addr == nullptr || interface != a->ifa_name) continue;
    if (a->ifa_addr->sa_family == AF_INET && !have_ip) {
      const auto* in = reinterpret_cast<const sockaddr_in*>(a->ifa_addr);
      std::memcpy(ip.data(), &in->sin_addr, 4);
      have_ip = true;
    } else if (a->ifa_addr->sa_family == AF_PACKET && !have_mac) {
      const auto* ll = reinterpret_cast<const sockaddr_ll*>(a->ifa_addr);
      if (ll->sll_halen == 6) {
        std::memcpy(mac.data(), ll->sll_addr, 6);
        have_mac = true;
      }
    }
  }
  freeifaddrs(list);
  return have_ip && have_mac;
}

struct Probe {
  Probe(asio::io_context& io, int fd) : socket(io, fd), retry(io), deadline(io) {}
  asio::posix::stream_descriptor socket;
  asio::steady_timer retry;
  asio::steady_timer deadline;
  std::function<void(NeighborResult)> done;
  std::vector<std::uint8_t> request;
  sockaddr_ll to{};
  Ipv4Bytes gateway{};
  Steady::time_point last_sent{};
  int sent = 0;
  int attempts = 1;
  std::chrono::milliseconds gap{250};
  bool finished = false;

  void finish(NeighborResult r) {
    if (finished) return;
    finished = true;
    boost::system::error_code ec;
    retry.cancel();
    deadline.cancel();
    socket.close(ec);
    done(std::move(r));
  }
  void send() {
    if (finished) return;
    last_sent = Steady::now();
    ++sent;
    (void)::sendto(socket.native_handle(), request.data(), request.size(), 0, reinterpret_cast<const sockaddr*>(&to),
                   sizeof to);
  }
};

class LinuxNeighborProber final : public NeighborProber {
 public:
  explicit LinuxNeighborProber(asio::io_context& io) : m_io(io) {
    int fd = open_arp_socket();
    if (fd < 0) {
      m_mode = std::string("unavailable: ") + std::strerror(errno) + " (ARP needs CAP_NET_RAW)";
    } else {
      ::close(fd);
      m_mode = "packet_socket";
    }
  }

  void probe(const std::string& interface, const std::string& ipv4, int timeout_ms, int attempts,
             std::function<void(NeighborResult)> done) override {
    auto fail = [&](std::string why) {
      asio::post(m_io, [done = std::move(done), why = std::move(why)] { done({std::nullopt, 0, why}); });
    };
    Ipv4Bytes gateway{};
    if (inet_pton(AF_INET, ipv4.c_str(), gateway.data()) != 1) return fail("not an IPv4 address: " + ipv4);
    const unsigned index = if_nametoindex(interface.c_str());
    if (index == 0) return fail("no interface " + interface);
    MacAddress mac{};
    Ipv4Bytes own{};
    if (!interface_addresses(interface, mac, own)) return fail(interface + " has no IPv4 or hardware address");
    int fd = open_arp_socket();
    if (fd < 0) return fail(std::string("ARP socket: ") + std::strerror(errno));
    sockaddr_ll bind_to{};
    bind_to.sll_family = AF_PACKET;
    bind_to.sll_protocol = htons(ETH_P_ARP);
    bind_to.sll_ifindex = static_cast<int>(index);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&bind_to), sizeof bind_to) != 0) {
      std::string why = std::string("ARP bind: ") + std::strerror(errno);
      ::close(fd);
      return fail(why);
    }
    auto p = std::make_shared<Probe>(m_io, fd);
    p->done = std::move(done);
    p->request = encode_arp_request(mac, own, gateway);
    p->to = bind_to;
    p->to.sll_halen = 6;
    std::memset(p->to.sll_addr, 0xff, 6);
    p->gateway = gateway;
    p->attempts = std::max(1, attempts);
    p->gap = std::chrono::milliseconds(std::max(1, timeout_ms / p->attempts));
    std::erase_if(m_pending, [](const std::weak_ptr<Probe>& w) { return w.expired(); });
    m_pending.push_back(p);
    read(p);
    send(p);
    p->deadline.expires_after(std::chrono::milliseconds(std::max(1, timeout_ms)));
    // Weak: the pending read holds the probe; a timer holding it too would be a cycle
    // that outlives an io_context stopped mid-probe.
    p->deadline.async_wait([weak = std::weak_ptr(p)](boost::system::error_code ec) {
      if (auto again = weak.lock(); !ec && again) again->finish({false, 0, "arp: no reply"});
    });
  }

  void cancel() override {
    for (auto& weak : m_pending)
      if (auto p = weak.lock()) p->finish({std::nullopt, 0, "cancelled"});
    m_pending.clear();
  }

  std::string mode() const override { return m_mode; }

 private:
  static void send(const std::shared_ptr<Probe>& p) {
    p->send();
    if (p->sent >= p->attempts) return;
    p->retry.expires_after(p->gap);
    p->retry.async_wait([weak = std::weak_ptr(p)](boost::system::error_code ec) {
      if (auto again = weak.lock(); !ec && again) send(again);
    });
  }

  static void read(const std::shared_ptr<Probe>& p) {
    p->socket.async_wait(asio::posix::stream_descriptor::wait_read, [p](boost::system::error_code ec) {
      if (ec || p->finished) return;
      std::uint8_t buf[128];
      for (;;) {
        ssize_t n = ::recv(p->socket.native_handle(), buf, sizeof buf, 0);
        if (n < 0) break;  // EAGAIN: drained
        auto arp = decode_arp(buf, static_cast<std::size_t>(n));
        if (arp && arp_is_from(*arp, p->gateway)) {
          double rtt = std::chrono::duration<double, std::milli>(Steady::now() - p->last_sent).count();
          p->finish({true, rtt, "arp"});
          return;
        }
      }
      read(p);
    });
  }

  asio::io_context& m_io;
  std::string m_mode;
  std::vector<std::weak_ptr<Probe>> m_pending;
};

}  // namespace

std::unique_ptr<NeighborProber> make_neighbor_prober(asio::io_context& io) {
  return std::make_unique<LinuxNeighborProber>(io);
}

}  // namespace itsa::network
