// Windows: the gateway's neighbour entry as the system keeps it (GetIpNetTable2, Vista and
// later, so Windows 7 too), read, never changed. SendARP is not used: it answers from the ARP
// cache, so a dead gateway would still "answer" for up to a minute; deleting the entry to force
// a request would also delete an office's static ARP entries. What counts:
//   Reachable, confirmed within the last `k_fresh_ms` -> answered (layer 2 works now);
//   Unreachable or Incomplete                         -> unresolvable;
//   anything else (Stale, Delay, Probe, no entry)      -> could not ask (the rules do without).
// The round's ICMP echo to the gateway makes the system re-check a stale entry, so a working
// gateway is seen Reachable again within a round or two. GetIpNetTable2 does not block.
// Windows headers in this order: <winsock2.h> / <windows.h> first.
// clang-format off
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <netioapi.h>
// clang-format on
#undef interface  // <windows.h>'s COM macro; project headers have fields named interface

#include <optional>

#include <boost/asio/post.hpp>

#include "collectors/network/neighbor_prober.hpp"

namespace itsa::network {

namespace {

namespace asio = boost::asio;

/// A Reachable entry confirmed longer ago than this is not evidence of the gateway now.
constexpr ULONG k_fresh_ms = 15000;

class WindowsNeighborProber final : public NeighborProber {
 public:
  explicit WindowsNeighborProber(asio::io_context& io) : m_io(io) {}

  void probe(const std::string& /*interface*/, const std::string& ipv4, int /*timeout_ms*/, int /*attempts*/,
             std::function<void(NeighborResult)> done) override {
    NeighborResult r = look(ipv4);
    asio::post(m_io, [done = std::move(done), r] { done(r); });
  }

  void cancel() override {}
  std::string mode() const override { return "neighbor_table"; }

 private:
  static NeighborResult look(const std::string& ipv4) {
    IN_ADDR addr{};
    if (inet_pton(AF_INET, ipv4.c_str(), &addr) != 1) return {std::nullopt, 0, "not an IPv4 address: " + ipv4};
    DWORD index = 0;
    if (GetBestInterface(addr.S_un.S_addr, &index) != NO_ERROR)
      return {std::nullopt, 0, "no interface towards " + ipv4};
    // The whole table (GetIpNetTable2) rather than the one entry (GetIpNetEntry2): the same data,
    // and Wine 8 does not have GetIpNetEntry2 (a call aborted the process there).
    PMIB_IPNET_TABLE2 table = nullptr;
    const DWORD rc = GetIpNetTable2(AF_INET, &table);
    if (rc != NO_ERROR || table == nullptr)
      return {std::nullopt, 0, "GetIpNetTable2 failed: error " + std::to_string(rc)};
    std::optional<MIB_IPNET_ROW2> found;
    for (ULONG i = 0; i < table->NumEntries; ++i) {
      const MIB_IPNET_ROW2& r = table->Table[i];
      if (r.InterfaceIndex == index && r.Address.si_family == AF_INET &&
          r.Address.Ipv4.sin_addr.S_un.S_addr == addr.S_un.S_addr) {
        found = r;
        break;
      }
    }
    FreeMibTable(table);
    if (!found) return {std::nullopt, 0, "no neighbour entry yet"};
    const MIB_IPNET_ROW2& row = *found;
    switch (row.State) {
      case NlnsReachable:
        if (row.ReachabilityTime.LastReachable <= k_fresh_ms) return {true, 0, "neighbor_table"};
        return {std::nullopt, 0, "reachable entry not confirmed recently"};
      case NlnsUnreachable:
      case NlnsIncomplete:
        return {false, 0, "neighbor_table: unreachable"};
      default:
        return {std::nullopt, 0, "neighbour entry not confirmed (stale/probing)"};
    }
  }

  asio::io_context& m_io;
};

}  // namespace

std::unique_ptr<NeighborProber> make_neighbor_prober(asio::io_context& io) {
  return std::make_unique<WindowsNeighborProber>(io);
}

}  // namespace itsa::network
