#pragma once
// ICMP echo probes. Linux: one raw socket when privileged, else an unprivileged ICMP
// datagram socket, driven by Asio. Windows: IcmpSendEcho2. Up to `attempts` echoes are
// sent per probe, one every timeout/attempts while unanswered.
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "collectors/network/probe_stats.hpp"

namespace itsa::network {

class IcmpProber {
 public:
  virtual ~IcmpProber() = default;
  /// Probes an IPv4 address; `done` runs on the io_context exactly once.
  virtual void probe(const std::string& address, int timeout_ms, int attempts,
                     std::function<void(ProbeSample)> done) = 0;
  /// Cancels pending probes (their callbacks run with a failed sample).
  virtual void cancel() = 0;
  /// "raw", "datagram", "icmp_api" or "unavailable: <why>".
  virtual std::string mode() const = 0;
};

/// The platform's ICMP prober.
std::unique_ptr<IcmpProber> make_icmp_prober(boost::asio::io_context& io);

}  // namespace itsa::network
