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
constexpr std::size_t k_nlmsghdr_bytes = 16;
constexpr std::size_t k_ifinfomsg_bytes = 16;
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

std::vector<std::string> parse_netlink_link_messages(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos + k_nlmsghdr_bytes <= size) {
    std::uint32_t len = rd32(data + pos);
    std::uint16_t type = rd16(data + pos + 4);
    if (len < k_nlmsghdr_bytes || pos + len > size || type == k_nlmsg_done) break;
    if ((type == k_rtm_newlink || type == k_rtm_dellink) && len >= k_nlmsghdr_bytes + k_ifinfomsg_bytes) {
      std::size_t a = pos + k_nlmsghdr_bytes + k_ifinfomsg_bytes;
      const std::size_t end = pos + len;
      while (a + 4 <= end) {
        std::uint16_t alen = rd16(data + a);
        std::uint16_t atype = rd16(data + a + 2) & 0x3fff;
        if (alen < 4 || a + alen > end) break;
        if (atype == k_ifla_ifname && alen > 4) {
          const char* name = reinterpret_cast<const char*>(data + a + 4);
          out.emplace_back(name, strnlen(name, alen - 4));
        }
        a += align4(alen);
      }
    }
    pos += align4(len);
  }
  return out;
}

}  // namespace itsa::network
