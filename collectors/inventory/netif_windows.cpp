// Windows network interfaces: GetAdaptersAddresses for name, MAC, type, link speed and
// IPv4 addresses; duplex and the NIC's maximum speed of Ethernet and Wi-Fi adapters from NDIS OIDs or
// the adapter's *SpeedDuplex registry modes (collectors/network/ndis_*), null + note where neither says.
// Windows headers in this order: <winsock2.h> / <windows.h> first.
// clang-format off
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
// clang-format on
#undef interface  // <windows.h>'s COM macro; project headers have fields named interface

#include <cstdio>
#include <vector>

#include "collectors/inventory/platform.hpp"
#include "collectors/inventory/win_util.hpp"
#include "collectors/network/ndis_query.hpp"

namespace itsa::collectors::platform {

using nlohmann::json;

json network(const InventoryOptions&, Notes& notes) {
  json ifaces = json::array();
  ULONG size = 16 * 1024;
  std::vector<unsigned char> buf(size);
  ULONG rc = GetAdaptersAddresses(AF_INET, GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER,
                                  nullptr, reinterpret_cast<PIP_ADAPTER_ADDRESSES>(buf.data()), &size);
  if (rc == ERROR_BUFFER_OVERFLOW) {
    buf.resize(size);
    rc = GetAdaptersAddresses(AF_INET, GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER,
                              nullptr, reinterpret_cast<PIP_ADAPTER_ADDRESSES>(buf.data()), &size);
  }
  if (rc != NO_ERROR) {
    notes.push_back("network: GetAdaptersAddresses failed (" + std::to_string(rc) + ")");
    return {{"interfaces", ifaces}};
  }
  for (auto* a = reinterpret_cast<PIP_ADAPTER_ADDRESSES>(buf.data()); a; a = a->Next) {
    if (a->IfType == IF_TYPE_SOFTWARE_LOOPBACK) continue;
    json i;
    i["name"] = win::utf8(a->FriendlyName);
    std::string mac;
    for (ULONG k = 0; k < a->PhysicalAddressLength; ++k) {
      char part[4];
      snprintf(part, sizeof part, k ? ":%02x" : "%02x", a->PhysicalAddress[k]);
      mac += part;
    }
    i["mac"] = mac.empty() ? json(nullptr) : json(mac);
    i["kind"] = a->IfType == IF_TYPE_IEEE80211 ? "wifi" : a->IfType == IF_TYPE_ETHERNET_CSMACD ? "ethernet" : "virtual";
    i["driver"] = win::utf8(a->Description);
    const bool up = a->OperStatus == IfOperStatusUp;
    i["carrier"] = up;
    i["speed_mbps"] = (up && a->TransmitLinkSpeed > 0 && a->TransmitLinkSpeed != ~0ULL)
                          ? json(a->TransmitLinkSpeed / 1'000'000)
                          : json(nullptr);
    i["duplex"] = nullptr;
    i["max_speed_mbps"] = nullptr;
    if (a->IfType == IF_TYPE_ETHERNET_CSMACD || a->IfType == IF_TYPE_IEEE80211) {
      // AdapterName is the adapter's GUID, "{...}": the name of its NDIS device.
      const auto e = network::ndis::decode(network::ndis::query_adapter(a->AdapterName), up);
      if (!e.duplex.empty() && up) i["duplex"] = e.duplex;
      if (e.max_speed_mbps) i["max_speed_mbps"] = *e.max_speed_mbps;
      const std::string name = i["name"].get<std::string>();
      for (const auto& n : e.notes) notes.push_back("network[" + name + "]: " + n);
    }
    json ipv4 = json::array();
    for (auto* u = a->FirstUnicastAddress; u; u = u->Next) {
      char text[INET_ADDRSTRLEN] = {};
      const auto* sin = reinterpret_cast<const sockaddr_in*>(u->Address.lpSockaddr);
      inet_ntop(AF_INET, &sin->sin_addr, text, sizeof text);
      ipv4.push_back(std::string(text) + "/" + std::to_string(u->OnLinkPrefixLength));
    }
    i["ipv4"] = ipv4;
    ifaces.push_back(std::move(i));
  }
  return {{"interfaces", ifaces}};
}

}  // namespace itsa::collectors::platform
