// Linux network interfaces: /sys/class/net for MAC, kind, driver, speed and duplex; the
// ethtool ioctl (ETHTOOL_GLINKSETTINGS, falling back to ETHTOOL_GSET) for the fastest mode
// the NIC supports; getifaddrs for IPv4 addresses. Live-only parts are skipped for a
// snapshot root.
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <map>

#include "collectors/inventory/platform.hpp"
#include "collectors/inventory/text_files.hpp"

namespace itsa::collectors::platform {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Link mode bit → Mb/s (the modes an office NIC may support).
const std::pair<int, int> k_link_modes[] = {
    {ETHTOOL_LINK_MODE_10baseT_Half_BIT, 10},         {ETHTOOL_LINK_MODE_10baseT_Full_BIT, 10},
    {ETHTOOL_LINK_MODE_100baseT_Half_BIT, 100},       {ETHTOOL_LINK_MODE_100baseT_Full_BIT, 100},
    {ETHTOOL_LINK_MODE_1000baseT_Half_BIT, 1000},     {ETHTOOL_LINK_MODE_1000baseT_Full_BIT, 1000},
    {ETHTOOL_LINK_MODE_1000baseKX_Full_BIT, 1000},    {ETHTOOL_LINK_MODE_1000baseX_Full_BIT, 1000},
    {ETHTOOL_LINK_MODE_2500baseX_Full_BIT, 2500},     {ETHTOOL_LINK_MODE_2500baseT_Full_BIT, 2500},
    {ETHTOOL_LINK_MODE_5000baseT_Full_BIT, 5000},     {ETHTOOL_LINK_MODE_10000baseT_Full_BIT, 10000},
    {ETHTOOL_LINK_MODE_10000baseKX4_Full_BIT, 10000}, {ETHTOOL_LINK_MODE_10000baseKR_Full_BIT, 10000},
    {ETHTOOL_LINK_MODE_10000baseCR_Full_BIT, 10000},  {ETHTOOL_LINK_MODE_10000baseSR_Full_BIT, 10000},
    {ETHTOOL_LINK_MODE_10000baseLR_Full_BIT, 10000},  {ETHTOOL_LINK_MODE_25000baseCR_Full_BIT, 25000},
    {ETHTOOL_LINK_MODE_25000baseSR_Full_BIT, 25000},  {ETHTOOL_LINK_MODE_40000baseSR4_Full_BIT, 40000},
};

// The fastest supported mode via ETHTOOL_GLINKSETTINGS (two-step handshake), then ETHTOOL_GSET.
std::optional<int> max_speed_mbps(int sock, const std::string& name) {
  // ethtool_link_settings ends with a flexible array: supported, advertised, lp masks.
  alignas(ethtool_link_settings) unsigned char buf[sizeof(ethtool_link_settings) + 3 * 127 * sizeof(__u32)] = {};
  auto* ls = reinterpret_cast<ethtool_link_settings*>(buf);
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
  ls->cmd = ETHTOOL_GLINKSETTINGS;
  ifr.ifr_data = reinterpret_cast<char*>(buf);
  if (::ioctl(sock, SIOCETHTOOL, &ifr) == 0 && ls->link_mode_masks_nwords < 0) {
    const int nwords = -ls->link_mode_masks_nwords;
    if (nwords <= 127) {
      std::memset(buf, 0, sizeof buf);
      ls->cmd = ETHTOOL_GLINKSETTINGS;
      ls->link_mode_masks_nwords = static_cast<__s8>(nwords);
      if (::ioctl(sock, SIOCETHTOOL, &ifr) == 0) {
        const __u32* supported = ls->link_mode_masks;
        int best = 0;
        for (const auto& [bit, mbps] : k_link_modes)
          if (bit / 32 < nwords && (supported[bit / 32] >> (bit % 32)) & 1u) best = std::max(best, mbps);
        if (best > 0) return best;
        return std::nullopt;
      }
    }
  }
  ethtool_cmd cmd{};
  cmd.cmd = ETHTOOL_GSET;
  ifr.ifr_data = reinterpret_cast<char*>(&cmd);
  if (::ioctl(sock, SIOCETHTOOL, &ifr) != 0) return std::nullopt;
  const std::pair<__u32, int> legacy[] = {{SUPPORTED_10baseT_Half, 10},     {SUPPORTED_10baseT_Full, 10},
                                          {SUPPORTED_100baseT_Half, 100},   {SUPPORTED_100baseT_Full, 100},
                                          {SUPPORTED_1000baseT_Half, 1000}, {SUPPORTED_1000baseT_Full, 1000},
                                          {SUPPORTED_2500baseX_Full, 2500}, {SUPPORTED_10000baseT_Full, 10000}};
  int best = 0;
  for (const auto& [mask, mbps] : legacy)
    if (cmd.supported & mask) best = std::max(best, mbps);
  if (best > 0) return best;
  return std::nullopt;
}

}  // namespace

json network(const InventoryOptions& o, Notes& notes) {
  json ifaces = json::array();
  const fs::path dir = under(o.root, "/sys/class/net");
  const bool live = o.root == "/";
  std::map<std::string, json> ipv4;
  if (live) {
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) == 0) {
      for (ifaddrs* a = list; a; a = a->ifa_next) {
        if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET) continue;
        char buf[INET_ADDRSTRLEN] = {};
        const auto* sin = reinterpret_cast<const sockaddr_in*>(a->ifa_addr);
        ::inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof buf);
        int prefix = 0;
        if (a->ifa_netmask)
          prefix = __builtin_popcount(reinterpret_cast<const sockaddr_in*>(a->ifa_netmask)->sin_addr.s_addr);
        auto& v = ipv4[a->ifa_name];
        if (v.is_null()) v = json::array();
        v.push_back(std::string(buf) + "/" + std::to_string(prefix));
      }
      ::freeifaddrs(list);
    } else {
      notes.push_back("network.ipv4: getifaddrs failed");
    }
  } else {
    notes.push_back("network: ipv4 and max_speed_mbps need the live host");
  }
  const int sock = live ? ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0) : -1;
  std::error_code ec;
  std::vector<fs::path> entries;
  for (const auto& e : fs::directory_iterator(dir, ec)) entries.push_back(e.path());
  std::sort(entries.begin(), entries.end());
  for (const auto& path : entries) {
    const std::string name = path.filename().string();
    if (read_u64(path / "type").value_or(0) == 772) continue;  // loopback
    json i;
    i["name"] = name;
    auto mac = read_line(path / "address");
    i["mac"] = (mac && !mac->empty() && *mac != "00:00:00:00:00:00") ? json(*mac) : json(nullptr);
    const bool physical = fs::exists(path / "device", ec);
    const bool wifi = fs::exists(path / "wireless", ec) || fs::exists(path / "phy80211", ec);
    i["kind"] = wifi ? "wifi" : !physical ? "virtual" : read_u64(path / "type").value_or(0) == 1 ? "ethernet" : "other";
    json driver = nullptr;
    const fs::path drv = fs::read_symlink(path / "device/driver", ec);
    if (!ec) driver = drv.filename().string();
    i["driver"] = driver;
    auto oper = read_line(path / "operstate");
    i["carrier"] = read_u64(path / "carrier") ? json(read_u64(path / "carrier").value() == 1) : json(nullptr);
    // speed reads as -1 (or fails) while the link is down.
    json speed = nullptr;
    if (auto s = read_line(path / "speed")) {
      try {
        const long v = std::stol(*s);
        if (v > 0 && v < 10'000'000) speed = v;
      } catch (const std::exception&) {
      }
    }
    i["speed_mbps"] = speed;
    auto duplex = read_line(path / "duplex");
    i["duplex"] = (duplex && (*duplex == "full" || *duplex == "half")) ? json(*duplex) : json(nullptr);
    json max = nullptr;
    if (sock >= 0 && physical && !wifi) {
      if (auto m = max_speed_mbps(sock, name))
        max = *m;
      else
        notes.push_back("network[" + name + "].max_speed_mbps: the driver does not report supported link modes");
    }
    i["max_speed_mbps"] = max;
    i["ipv4"] = ipv4.count(name) ? ipv4[name] : json::array();
    (void)oper;
    ifaces.push_back(std::move(i));
  }
  if (sock >= 0) ::close(sock);
  return {{"interfaces", ifaces}};
}

}  // namespace itsa::collectors::platform
