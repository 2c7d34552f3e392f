// Linux link facts: /sys/class/net/<if>/..., /proc/net/{route,wireless}, /etc/resolv.conf,
// and the NIC's supported modes through the ethtool ioctl.
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

#include "collectors/network/link_reader.hpp"

namespace itsa::network {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> read_text(const fs::path& p) {
  std::ifstream in(p);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return std::nullopt;  // e.g. EINVAL reading speed of a down link
  return out.str();
}

std::optional<long long> read_number(const fs::path& p) {
  auto t = read_text(p);
  if (!t) return std::nullopt;
  try {
    return std::stoll(*t);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::uint64_t read_counter(const fs::path& dir, const char* name) {
  auto v = read_number(dir / "statistics" / name);
  return v && *v > 0 ? static_cast<std::uint64_t>(*v) : 0;
}

// A counter that may be absent: nullopt, never 0, when the file cannot be read.
std::optional<std::uint64_t> read_optional_counter(const fs::path& dir, const char* name) {
  auto v = read_number(dir / "statistics" / name);
  if (!v) return std::nullopt;
  return *v > 0 ? static_cast<std::uint64_t>(*v) : 0;
}

}  // namespace

LinkReader::LinkReader(fs::path sys_root, fs::path proc_root, fs::path etc_root)
    : m_sys(std::move(sys_root)), m_proc(std::move(proc_root)), m_etc(std::move(etc_root)) {}

std::vector<std::string> LinkReader::interfaces() const {
  std::vector<std::string> out;
  auto route = default_route();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(m_sys / "class/net", ec)) {
    std::string name = entry.path().filename().string();
    if (name == "lo") continue;
    bool physical = fs::exists(entry.path() / "device", ec);
    if (physical || (route && route->interface == name)) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<LinkSnapshot> LinkReader::read(const std::string& interface) const {
  const fs::path dir = m_sys / "class/net" / interface;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return Error{"interface " + interface + ": " + dir.string() + " does not exist"};
  LinkSnapshot s;
  s.interface = interface;
  // IFF_UP of the hex `flags` (e.g. "0x1003"): cleared when the user or admin disabled the interface.
  if (auto f = read_text(dir / "flags")) {
    try {
      s.admin_up = (std::stoul(*f, nullptr, 16) & IFF_UP) != 0;
    } catch (const std::exception&) {
    }
  }
  // carrier reads EINVAL while the interface is administratively down: no carrier.
  s.carrier = read_number(dir / "carrier").value_or(0) == 1;
  if (auto v = read_number(dir / "carrier_changes"); v && *v >= 0)
    s.carrier_changes_total = static_cast<std::uint64_t>(*v);
  if (s.carrier) {
    if (auto v = read_number(dir / "speed"); v && *v > 0 && *v < 10'000'000) s.speed_mbps = static_cast<int>(*v);
    if (auto d = read_text(dir / "duplex")) {
      std::string duplex = d->substr(0, d->find_first_of("\n"));
      if (duplex == "full" || duplex == "half") s.duplex = duplex;
    }
  }
  s.counters.rx_errors = read_counter(dir, "rx_errors");
  s.counters.tx_errors = read_counter(dir, "tx_errors");
  s.counters.rx_crc_errors = read_optional_counter(dir, "rx_crc_errors");
  s.counters.rx_frame_errors = read_optional_counter(dir, "rx_frame_errors");
  s.counters.rx_dropped = read_counter(dir, "rx_dropped");
  s.counters.tx_dropped = read_counter(dir, "tx_dropped");
  s.wireless = fs::exists(dir / "wireless", ec) || fs::exists(dir / "phy80211", ec);
  if (s.wireless) {
    if (auto w = read_text(m_proc / "net/wireless")) {
      auto levels = parse_proc_net_wireless(*w);
      if (auto it = levels.find(interface); it != levels.end()) s.signal_dbm = it->second;
    }
  }
  if (m_sys == "/sys")
    s.max_speed_mbps = nic_max_speed_mbps(interface);
  else if (auto v = read_number(dir / "itsa_max_speed"))
    s.max_speed_mbps = static_cast<int>(*v);  // fixture trees
  return s;
}

std::optional<DefaultRoute> LinkReader::default_route() const {
  auto t = read_text(m_proc / "net/route");
  if (!t) return std::nullopt;
  return parse_proc_net_route(*t);
}

std::vector<std::string> LinkReader::system_resolvers() const {
  auto t = read_text(m_etc / "resolv.conf");
  if (!t) return {};
  return parse_resolv_conf(*t);
}

std::optional<int> nic_max_speed_mbps(const std::string& interface) {
  if (interface.size() >= IFNAMSIZ) return std::nullopt;
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::nullopt;
  std::optional<int> best;
  ifreq ifr{};
  std::memcpy(ifr.ifr_name, interface.c_str(), interface.size());
  // ETHTOOL_GLINKSETTINGS handshake: ask with nwords = 0, the kernel answers -nwords.
  constexpr int k_max_words = 127;
  alignas(ethtool_link_settings) std::uint32_t buf[sizeof(ethtool_link_settings) / 4 + 3 * k_max_words]{};
  auto* req = reinterpret_cast<ethtool_link_settings*>(buf);
  req->cmd = ETHTOOL_GLINKSETTINGS;
  ifr.ifr_data = reinterpret_cast<char*>(buf);
  if (::ioctl(fd, SIOCETHTOOL, &ifr) == 0 && req->link_mode_masks_nwords < 0) {
    int nwords = -req->link_mode_masks_nwords;
    if (nwords > 0 && nwords <= k_max_words) {
      std::memset(buf, 0, sizeof buf);
      req->cmd = ETHTOOL_GLINKSETTINGS;
      req->link_mode_masks_nwords = static_cast<std::int8_t>(nwords);
      if (::ioctl(fd, SIOCETHTOOL, &ifr) == 0) {
        const std::uint32_t* masks = buf + sizeof(ethtool_link_settings) / 4;  // first mask = supported
        best = max_speed_from_link_modes(std::vector<std::uint32_t>(masks, masks + nwords));
      }
    }
  }
  if (!best) {
    ethtool_cmd cmd{};
    cmd.cmd = ETHTOOL_GSET;
    ifr.ifr_data = reinterpret_cast<char*>(&cmd);
    if (::ioctl(fd, SIOCETHTOOL, &ifr) == 0) best = max_speed_from_legacy_supported(cmd.supported);
  }
  ::close(fd);
  return best;
}

}  // namespace itsa::network
