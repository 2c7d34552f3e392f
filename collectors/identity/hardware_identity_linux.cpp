#include <algorithm>
#include <fstream>

#include <boost/asio/ip/host_name.hpp>

#include "collectors/identity/hardware_identity.hpp"
#include "collectors/smbios/default_uuid.hpp"

namespace itsa::identity {
namespace {

std::string read_line(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  if (!in || !std::getline(in, line)) return {};
  while (!line.empty() && (line.back() == ' ' || line.back() == '\n' || line.back() == '\r')) line.pop_back();
  std::transform(line.begin(), line.end(), line.begin(), [](unsigned char c) { return std::tolower(c); });
  return line;
}

}  // namespace

HardwareIdentity read_hardware_identity(const std::filesystem::path& sys_root) {
  HardwareIdentity id;
  boost::system::error_code ec;
  id.hostname = boost::asio::ip::host_name(ec);
  id.smbios_uuid = read_line(sys_root / "class/dmi/id/product_uuid");
  if (!id.smbios_uuid.empty() && collectors::smbios::is_default_uuid(id.smbios_uuid)) {
    id.notes.push_back("smbios_uuid: " + id.smbios_uuid +
                       " is a firmware vendor's default UUID, the same on many machines; not used as the machine key "
                       "(the MACs are)");
    id.smbios_uuid.clear();
  }
  id.serial = read_line(sys_root / "class/dmi/id/product_serial");
  std::error_code fec;
  for (const auto& nic : std::filesystem::directory_iterator(sys_root / "class/net", fec)) {
    if (!std::filesystem::exists(nic.path() / "device")) continue;  // physical NICs only
    const auto mac = read_line(nic.path() / "address");
    if (!mac.empty() && mac != "00:00:00:00:00:00") id.macs.push_back(mac);
  }
  std::sort(id.macs.begin(), id.macs.end());
  return id;
}

}  // namespace itsa::identity
