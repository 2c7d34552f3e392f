#pragma once
// Portable parsers of the text the Linux readers fetch (/proc/net/route,
// /proc/net/wireless, /etc/resolv.conf); tested on captured fixtures.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace itsa::network {

/// The default IPv4 route: gateway address and its interface.
struct DefaultRoute {
  std::string gateway;  ///< dotted quad
  std::string interface;
};

/// The default route with the lowest metric from /proc/net/route text; nullopt when none.
std::optional<DefaultRoute> parse_proc_net_route(std::string_view text);

/// Signal level (dBm) by interface from /proc/net/wireless text.
std::map<std::string, int> parse_proc_net_wireless(std::string_view text);

/// "nameserver" addresses from resolv.conf text, in order.
std::vector<std::string> parse_resolv_conf(std::string_view text);

}  // namespace itsa::network

namespace itsa::network {
/// Fastest speed (Mb/s) named by the set bits of an ethtool link-mode mask (kernel ABI
/// bit numbers, ETHTOOL_LINK_MODE_*_BIT); nullopt when no speed bit is set.
std::optional<int> max_speed_from_link_modes(const std::vector<std::uint32_t>& mask_words);
/// Same for the legacy ETHTOOL_GSET `supported` word (SUPPORTED_* flags).
std::optional<int> max_speed_from_legacy_supported(std::uint32_t supported);
}  // namespace itsa::network
