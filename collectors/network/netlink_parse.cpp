// Portable parse of rtnetlink link messages (struct nlmsghdr + ifinfomsg + rtattrs),
// with the wire layout spelled out so it builds on any OS.
#include <cstring>

#include "collectors/network/link_watch.hpp"

namespace itsa::network {

namespace {
constexpr std::uint16_t k_rtm_newlink = 16;
constexpr std::uint16_t k_rtm_dellink = 17;
constexpr std::uint16_t k_nlmsg_done = 3;
constexpr std::uint16_t k_ifla_ifname = 3;
constexpr std::uint16_t k_ifla_operstate = 16;
constexpr std::uint16_t k_ifla_carrier = 33;
constexpr std::uint16_t k_ifla_carrier_changes = 35;
constexpr std::uint32_t k_iff_up = 0x1;
constexpr std::uint32_t k_iff_lower_up = 0x10000;
constexpr std::size_t k_nlmsghdr_bytes = 16;
constexpr std::size_t k_ifinfomsg_bytes = 16;
constexpr std::size_t k_ifi_flags_offset = 8;  ///< ifi_family, pad, ifi_type (2), ifi_index (4), ifi_flags
std::size_t align4(std::size_t n) {
  return (n + 3) & ~std::size_t{3};
}
std::uint32_t rd32(const std::uint8_t* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
std::uint16_t rd16(const std::uint8_t* p) {
  std::uint16_t v;
  std::memcpy(&v, p, 2);
  return v;
}
}  // namespace

std::vector<LinkChange> parse_netlink_link_changes(const std::uint8_t* data, std::size_t size) {
  std::vector<LinkChange> out;
  std::size_t pos = 0;
  while (pos + k_nlmsghdr_bytes <= size) {
    std::uint32_t len = rd32(data + pos);
    std::uint16_t type = rd16(data + pos + 4);
    if (len < k_nlmsghdr_bytes || pos + len > size || type == k_nlmsg_done) break;
    if ((type == k_rtm_newlink || type == k_rtm_dellink) && len >= k_nlmsghdr_bytes + k_ifinfomsg_bytes) {
      LinkChange c;
      c.removed = type == k_rtm_dellink;
      const std::uint32_t flags = rd32(data + pos + k_nlmsghdr_bytes + k_ifi_flags_offset);
      c.admin_up = (flags & k_iff_up) != 0;
      c.carrier = (flags & k_iff_lower_up) != 0;
      bool named = false;
      std::size_t a = pos + k_nlmsghdr_bytes + k_ifinfomsg_bytes;
      const std::size_t end = pos + len;
      while (a + 4 <= end) {
        std::uint16_t alen = rd16(data + a);
        std::uint16_t atype = rd16(data + a + 2) & 0x3fff;
        if (alen < 4 || a + alen > end) break;
        const std::uint8_t* v = data + a + 4;
        const std::size_t vlen = alen - 4u;
        if (atype == k_ifla_ifname && vlen > 0) {
          const char* name = reinterpret_cast<const char*>(v);
          c.interface.assign(name, strnlen(name, vlen));
          named = true;
        } else if (atype == k_ifla_operstate && vlen >= 1) {
          c.operstate = v[0];
        } else if (atype == k_ifla_carrier && vlen >= 1) {
          c.carrier = v[0] != 0;
        } else if (atype == k_ifla_carrier_changes && vlen >= 4) {
          c.carrier_changes_total = rd32(v);
        }
        a += align4(alen);
      }
      if (named) out.push_back(std::move(c));
    }
    pos += align4(len);
  }
  return out;
}

std::vector<std::string> parse_netlink_link_messages(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> out;
  for (auto& c : parse_netlink_link_changes(data, size)) out.push_back(std::move(c.interface));
  return out;
}

}  // namespace itsa::network
