#include <boost/asio/ip/host_name.hpp>

#include "uploader/hardware_identity.hpp"

namespace itsa::uploader {

HardwareIdentity read_hardware_identity(const std::filesystem::path&) {
  // SMBIOS UUID/serial and MACs on Windows come from the inventory collector (not wired yet):
  // with them empty, clone detection never fires on Windows.
  HardwareIdentity id;
  boost::system::error_code ec;
  id.hostname = boost::asio::ip::host_name(ec);
  return id;
}

}  // namespace itsa::uploader
