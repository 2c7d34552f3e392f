// Linux: a NETLINK_ROUTE socket subscribed to RTNLGRP_LINK, read by Asio. Each RTM_NEWLINK
// message is handed over with the state it carries (flags, carrier, carrier_changes).
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>

#include <boost/asio/generic/raw_protocol.hpp>

#include "collectors/network/link_watch.hpp"

namespace itsa::network {

namespace {

namespace asio = boost::asio;

class NetlinkLinkWatch final : public LinkWatch {
 public:
  explicit NetlinkLinkWatch(asio::io_context& io) : m_socket(io) {}
  ~NetlinkLinkWatch() override { stop(); }

  Result<void> start(std::function<void(const LinkChange&)> on_change) override {
    int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) return Error{"link watch: cannot open a netlink socket"};
    sockaddr_nl addr{};
    addr.nl_family = AF_NETLINK;
    addr.nl_groups = RTMGRP_LINK;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd);
      return Error{"link watch: cannot subscribe to netlink link events (RTMGRP_LINK)"};
    }
    boost::system::error_code ec;
    m_socket.assign(asio::generic::raw_protocol(AF_NETLINK, NETLINK_ROUTE), fd, ec);
    if (ec) {
      ::close(fd);
      return Error{"link watch: " + ec.message()};
    }
    m_on_change = std::move(on_change);
    receive();
    return ok();
  }

  void stop() override {
    m_on_change = nullptr;
    boost::system::error_code ec;
    m_socket.close(ec);
  }

 private:
  void receive() {
    m_socket.async_receive(asio::buffer(m_buf), [this](boost::system::error_code ec, std::size_t n) {
      if (ec == asio::error::operation_aborted || !m_socket.is_open()) return;
      // ENOBUFS (the kernel dropped messages): the next change or round reads carrier_changes,
      // so the losses in between are still counted.
      if (!ec && m_on_change)
        for (const auto& change : parse_netlink_link_changes(m_buf.data(), n))
          if (m_on_change) m_on_change(change);
      receive();
    });
  }

  asio::generic::raw_protocol::socket m_socket;
  std::array<std::uint8_t, 16384> m_buf{};
  std::function<void(const LinkChange&)> m_on_change;
};

}  // namespace

std::unique_ptr<LinkWatch> make_link_watch(asio::io_context& io) {
  return std::make_unique<NetlinkLinkWatch>(io);
}

}  // namespace itsa::network
