#include <boost/asio/ip/host_name.hpp>

#include "collectors/identity/hardware_identity.hpp"

namespace itsa::identity {

HardwareIdentity read_hardware_identity(const std::filesystem::path&) {
  // SMBIOS UUID/serial and MACs on Windows come from the inventory collector (not wired yet):
  // with them empty, clone detection never fires on Windows.
  HardwareIdentity id;
  boost::system::error_code ec;
  id.hostname = boost::asio::ip::host_name(ec);
  return id;
}

}  // namespace itsa::identity
