#pragma once
// Layer-2 reachability of the default gateway: an ARP request on the route's interface
// (Linux: a packet socket, needs CAP_NET_RAW; Windows: the system neighbour entry, read only). A gateway that ignores
// ping still answers ARP, so this proves the LAN path when echo cannot (docs/network.md).
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>

namespace itsa::network {

struct NeighborResult {
  std::optional<bool> answered;  ///< true: it answered; false: unresolvable; nullopt: could not ask
  double rtt_ms = 0;             ///< of the answered request
  std::string detail;            ///< why it could not ask, or "arp"/"neighbor_table"
};

class NeighborProber {
 public:
  virtual ~NeighborProber() = default;
  /// Asks where `ipv4` is on `interface`; `done` runs on the io_context exactly once, within
  /// `timeout_ms` (plus scheduling), after up to `attempts` requests.
  virtual void probe(const std::string& interface, const std::string& ipv4, int timeout_ms, int attempts,
                     std::function<void(NeighborResult)> done) = 0;
  /// Cancels what is pending (callbacks still run, with nullopt).
  virtual void cancel() = 0;
  /// "packet_socket", "neighbor_table" or "unavailable: <why>".
  virtual std::string mode() const = 0;
};

/// The platform's neighbour prober.
std::unique_ptr<NeighborProber> make_neighbor_prober(boost::asio::io_context& io);

}  // namespace itsa::network
