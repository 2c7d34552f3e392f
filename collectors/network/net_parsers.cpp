#include "collectors/network/net_parsers.hpp"

#include <cstdint>
#include <limits>
#include <sstream>

namespace itsa::network {

namespace {
std::vector<std::string> split_ws(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}
}  // namespace

std::optional<DefaultRoute> parse_proc_net_route(std::string_view text) {
  // Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT (hex, host order)
  std::istringstream in{std::string(text)};
  std::string line;
  std::getline(in, line);  // header
  std::optional<DefaultRoute> best;
  long best_metric = std::numeric_limits<long>::max();
  while (std::getline(in, line)) {
    auto f = split_ws(line);
    if (f.size() < 8) continue;
    try {
      auto dest = std::stoul(f[1], nullptr, 16);
      auto gw = static_cast<std::uint32_t>(std::stoul(f[2], nullptr, 16));
      auto flags = std::stoul(f[3], nullptr, 16);
      auto mask = std::stoul(f[7], nullptr, 16);
      long metric = std::stol(f[6]);
      constexpr unsigned long k_rtf_up = 0x1, k_rtf_gateway = 0x2;
      if (dest != 0 || mask != 0 || (flags & k_rtf_up) == 0 || (flags & k_rtf_gateway) == 0) continue;
      if (metric >= best_metric) continue;
      // Little-endian host order as the kernel prints it on x86/ARM.
      std::string addr = std::to_string(gw & 0xff) + "." + std::to_string((gw >> 8) & 0xff) + "." +
                         std::to_string((gw >> 16) & 0xff) + "." + std::to_string((gw >> 24) & 0xff);
      best = DefaultRoute{addr, f[0]};
      best_metric = metric;
    } catch (const std::exception&) {
      continue;  // a malformed line is skipped, not fatal
    }
  }
  return best;
}

std::map<std::string, int> parse_proc_net_wireless(std::string_view text) {
  // Two header lines, then "wlan0: 0000   70.  -40.  -256 ..." (level may be dBm or 256-based).
  std::map<std::string, int> out;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    auto first = name.find_first_not_of(' ');
    if (first == std::string::npos) continue;
    name = name.substr(first);
    auto f = split_ws(line.substr(colon + 1));
    if (f.size() < 3) continue;
    try {
      int level = static_cast<int>(std::stod(f[2]));
      if (level > 0) level -= 256;  // old drivers report 256 + dBm
      out[name] = level;
    } catch (const std::exception&) {
      continue;
    }
  }
  return out;
}

std::vector<std::string> parse_resolv_conf(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    auto f = split_ws(line);
    if (f.size() >= 2 && f[0] == "nameserver") out.push_back(f[1]);
  }
  return out;
}

}  // namespace itsa::network

namespace itsa::network {

std::optional<int> max_speed_from_link_modes(const std::vector<std::uint32_t>& words) {
  // Bit number -> Mb/s, from linux/ethtool.h (stable ABI); 0 = not a speed bit.
  static constexpr int k_speed_of_bit[] = {
      10,    10,    100,   100,   1000,  1000,  0,      0,      0,      0,       // 0-9
      0,     0,     10000, 0,     0,     2500,  0,      1000,   10000,  10000,   // 10-19
      0,     20000, 20000, 40000, 40000, 40000, 40000,  56000,  56000,  56000,   // 20-29
      56000, 25000, 25000, 25000, 50000, 50000, 100000, 100000, 100000, 100000,  // 30-39
      50000, 1000,  10000, 10000, 10000, 10000, 10000,  2500,   5000,            // 40-48
  };
  std::optional<int> best;
  constexpr std::size_t k_bits = sizeof(k_speed_of_bit) / sizeof(k_speed_of_bit[0]);
  for (std::size_t bit = 0; bit < k_bits && bit / 32 < words.size(); ++bit) {
    if ((words[bit / 32] >> (bit % 32) & 1u) == 0 || k_speed_of_bit[bit] == 0) continue;
    if (!best || k_speed_of_bit[bit] > *best) best = k_speed_of_bit[bit];
  }
  return best;
}

std::optional<int> max_speed_from_legacy_supported(std::uint32_t supported) {
  return max_speed_from_link_modes({supported});  // SUPPORTED_* equal the first 32 mode bits
}

}  // namespace itsa::network
