#pragma once
// Push notification of link changes, so carrier transitions are timestamped when they
// happen rather than at the next poll, and every carrier loss is counted even when it is
// shorter than a probe round. Linux: an RTM_NEWLINK netlink subscription on an Asio socket,
// each message carrying the interface's state at that change (IFF_UP, IFF_LOWER_UP or
// IFLA_CARRIER, IFLA_OPERSTATE, IFLA_CARRIER_CHANGES); Windows: NotifyIpInterfaceChange
// (the interface's name only: the task reads the rest).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "common/result.hpp"

namespace itsa::network {

/// One link change as the OS told it. Fields the message did not carry are empty.
struct LinkChange {
  std::string interface;
  bool removed = false;                                ///< RTM_DELLINK: the interface is gone
  std::optional<bool> admin_up;                        ///< IFF_UP
  std::optional<bool> carrier;                         ///< IFLA_CARRIER, else IFF_LOWER_UP
  std::optional<int> operstate;                        ///< IFLA_OPERSTATE (RFC 2863: 2 down, 6 up, ...)
  std::optional<std::uint64_t> carrier_changes_total;  ///< IFLA_CARRIER_CHANGES
};

class LinkWatch {
 public:
  virtual ~LinkWatch() = default;
  /// Starts watching; `on_change` runs on the io_context for each change, in the kernel's order.
  virtual Result<void> start(std::function<void(const LinkChange&)> on_change) = 0;
  /// Stops watching; no callback runs afterwards.
  virtual void stop() = 0;
};

/// The platform's link watcher.
std::unique_ptr<LinkWatch> make_link_watch(boost::asio::io_context& io);

/// The link changes in a netlink datagram of RTM_NEWLINK/RTM_DELLINK messages (portable parse
/// of the Linux wire format; tested on captured bytes). Messages without IFLA_IFNAME are skipped.
std::vector<LinkChange> parse_netlink_link_changes(const std::uint8_t* data, std::size_t size);

/// Interface names named by RTM_NEWLINK/RTM_DELLINK messages in a netlink datagram.
std::vector<std::string> parse_netlink_link_messages(const std::uint8_t* data, std::size_t size);

}  // namespace itsa::network
