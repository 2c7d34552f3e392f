#pragma once
// Push notification of link changes, so carrier transitions are timestamped when they
// happen rather than at the next poll. Linux: an RTM_NEWLINK netlink subscription on an
// Asio socket; Windows: NotifyIpInterfaceChange.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "common/result.hpp"

namespace itsa::network {

class LinkWatch {
 public:
  virtual ~LinkWatch() = default;
  /// Starts watching; `on_change(interface)` runs on the io_context for each change.
  virtual Result<void> start(std::function<void(const std::string&)> on_change) = 0;
  /// Stops watching; no callback runs afterwards.
  virtual void stop() = 0;
};

/// The platform's link watcher.
std::unique_ptr<LinkWatch> make_link_watch(boost::asio::io_context& io);

/// Interface names named by RTM_NEWLINK/RTM_DELLINK messages in a netlink datagram
/// (portable parse of the Linux wire format; tested on captured bytes).
std::vector<std::string> parse_netlink_link_messages(const std::uint8_t* data, std::size_t size);

}  // namespace itsa::network
