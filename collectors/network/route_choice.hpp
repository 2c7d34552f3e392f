#pragma once
// The default IPv4 route Windows uses, chosen the way its IP stack does: the lowest route metric +
// interface metric (MIB_IPFORWARD_ROW2.Metric + IP_ADAPTER_ADDRESSES.Ipv4Metric, both Vista+). Portable:
// the Windows reader fills the rows from GetIpForwardTable2 / GetAdaptersAddresses.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "collectors/network/net_parsers.hpp"

namespace itsa::network {

/// One IPv4 route as the Windows reader saw it.
struct RouteRow {
  int prefix_length = 0;              ///< 0: a default route
  std::string gateway;                ///< dotted quad ("0.0.0.0": on-link, no gateway)
  std::string interface;              ///< the interface's alias
  std::uint32_t interface_index = 0;  ///< tie-break: the lower index first
  std::uint32_t route_metric = 0;
  std::optional<std::uint32_t> interface_metric;  ///< nullopt: the adapter was not listed (counted as 0)
  bool interface_connected = true;                ///< the adapter's OperStatus is up: else the route is not usable
};

/// The default route with the lowest route + interface metric among connected interfaces (ties: the
/// lower interface index, then the first row); nullopt when there is none.
std::optional<DefaultRoute> choose_default_route(const std::vector<RouteRow>& rows);

}  // namespace itsa::network
