#pragma once
// Reads the platform's link facts: interfaces, their LinkSnapshot, the default route and
// the system DNS resolvers. Linux: sysfs/procfs under a configurable root plus ethtool;
// Windows: IP Helper. Fetching only; parsing lives in net_parsers.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "collectors/network/link_state.hpp"
#include "collectors/network/net_parsers.hpp"
#include "common/result.hpp"

namespace itsa::network {

class LinkReader {
 public:
  /// `sys_root`/`proc_root`/`etc_root` point at fixture trees in tests ("/sys", "/proc", "/etc" live).
  explicit LinkReader(std::filesystem::path sys_root = "/sys", std::filesystem::path proc_root = "/proc",
                      std::filesystem::path etc_root = "/etc");
  /// Interfaces worth watching: physical NICs plus the default route's interface; never loopback.
  std::vector<std::string> interfaces() const;
  /// The interface's state now; the error names the interface and what could not be read.
  Result<LinkSnapshot> read(const std::string& interface) const;
  /// The default IPv4 route, nullopt when there is none.
  std::optional<DefaultRoute> default_route() const;
  /// The system's DNS resolvers.
  std::vector<std::string> system_resolvers() const;

 private:
  std::filesystem::path m_sys;
  std::filesystem::path m_proc;
  std::filesystem::path m_etc;
};

/// Fastest speed (Mb/s) among the NIC's supported link modes; nullopt when unknown (veth,
/// no permission). Linux: ETHTOOL_GLINKSETTINGS, falling back to ETHTOOL_GSET.
std::optional<int> nic_max_speed_mbps(const std::string& interface);

}  // namespace itsa::network
