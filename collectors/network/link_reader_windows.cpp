// Windows link facts through IP Helper: GetIfTable2 (MediaConnectState, speeds, MIB_IF_ROW2 error
// counters), NDIS OIDs and the registry for what IP Helper lacks (duplex, the NIC's maximum speed,
// CRC and alignment errors: ndis_query_windows.cpp, decoded by ndis_parse), GetIpForwardTable2 +
// GetAdaptersAddresses' Ipv4Metric (the default route by route + interface metric: route_choice),
// GetNetworkParams (DNS servers). All Vista or older.
// Windows headers in this order: <winsock2.h> / <windows.h> first.
// clang-format off
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <netioapi.h>
// clang-format on
#undef interface  // <windows.h>'s COM macro; project headers have fields named interface

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <vector>

#include "collectors/network/link_reader.hpp"
#include "collectors/network/ndis_query.hpp"
#include "collectors/network/route_choice.hpp"

namespace itsa::network {

namespace fs = std::filesystem;

namespace {

std::string narrow(const wchar_t* w) {
  int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, nullptr, 0, nullptr, nullptr);
  if (n <= 1) return {};
  std::string s(static_cast<std::size_t>(n - 1), '\0');
  WideCharToMultiByte(CP_UTF8, 0, w, -1, s.data(), n, nullptr, nullptr);
  return s;
}

// Visits every interface row; stops when `fn` returns true.
template <class Fn>
void for_each_if(Fn fn) {
  MIB_IF_TABLE2* table = nullptr;
  if (GetIfTable2(&table) != NO_ERROR) return;
  for (ULONG i = 0; i < table->NumEntries; ++i)
    if (fn(table->Table[i])) break;
  FreeMibTable(table);
}

// "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}", the name of the adapter's NDIS device.
std::string guid_text(const GUID& g) {
  char text[40];
  snprintf(text, sizeof text, "{%08lX-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
           static_cast<unsigned long>(g.Data1), g.Data2, g.Data3, g.Data4[0], g.Data4[1], g.Data4[2], g.Data4[3],
           g.Data4[4], g.Data4[5], g.Data4[6], g.Data4[7]);
  return text;
}

// Each adapter's IPv4 interface metric and whether it is up, by LUID: IP_ADAPTER_ADDRESSES' Ipv4Metric
// and Luid (Vista+ members; GetAdaptersAddresses itself is XP). Microsoft: the metric Windows uses for a
// route is MIB_IPFORWARD_ROW2.Metric + Ipv4Metric. (Not GetIpInterfaceEntry: Wine 8 has it as a stub
// that aborts the process.)
struct InterfaceMetric {
  std::uint32_t metric = 0;
  bool up = false;
};
std::map<ULONG64, InterfaceMetric> interface_metrics() {
  std::map<ULONG64, InterfaceMetric> out;
  constexpr ULONG flags = GAA_FLAG_SKIP_UNICAST | GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST |
                          GAA_FLAG_SKIP_DNS_SERVER | GAA_FLAG_SKIP_FRIENDLY_NAME;
  ULONG size = 16 * 1024;
  std::vector<unsigned char> buf(size);
  ULONG rc = GetAdaptersAddresses(AF_INET, flags, nullptr, reinterpret_cast<IP_ADAPTER_ADDRESSES*>(buf.data()), &size);
  if (rc == ERROR_BUFFER_OVERFLOW) {
    buf.resize(size);
    rc = GetAdaptersAddresses(AF_INET, flags, nullptr, reinterpret_cast<IP_ADAPTER_ADDRESSES*>(buf.data()), &size);
  }
  if (rc != NO_ERROR) return out;
  for (auto* a = reinterpret_cast<IP_ADAPTER_ADDRESSES*>(buf.data()); a; a = a->Next)
    out[a->Luid.Value] = {a->Ipv4Metric, a->OperStatus == IfOperStatusUp};
  return out;
}

// The interface's row by alias (not a filter interface).
std::optional<MIB_IF_ROW2> find_row(const std::string& interface) {
  std::optional<MIB_IF_ROW2> found;
  for_each_if([&](const MIB_IF_ROW2& row) {
    if (narrow(row.Alias) != interface || row.InterfaceAndOperStatusFlags.FilterInterface) return false;
    found = row;
    return true;
  });
  return found;
}

}  // namespace

LinkReader::LinkReader(fs::path sys_root, fs::path proc_root, fs::path etc_root)
    : m_sys(std::move(sys_root)), m_proc(std::move(proc_root)), m_etc(std::move(etc_root)) {}

std::vector<std::string> LinkReader::interfaces() const {
  std::vector<std::string> out;
  for_each_if([&](const MIB_IF_ROW2& row) {
    if (row.Type == IF_TYPE_SOFTWARE_LOOPBACK || !row.InterfaceAndOperStatusFlags.HardwareInterface) return false;
    if (row.InterfaceAndOperStatusFlags.FilterInterface) return false;
    out.push_back(narrow(row.Alias));
    return false;
  });
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<LinkSnapshot> LinkReader::read(const std::string& interface) const {
  const auto found = find_row(interface);
  if (!found) return Error{"interface " + interface + ": not found by GetIfTable2"};
  const MIB_IF_ROW2& row = *found;
  LinkSnapshot s;
  s.interface = interface;
  s.admin_up = row.AdminStatus == NET_IF_ADMIN_STATUS_UP;  // "Disable" in the adapter settings
  s.carrier = s.admin_up && row.MediaConnectState == MediaConnectStateConnected;
  if (s.carrier && row.ReceiveLinkSpeed > 0 && row.ReceiveLinkSpeed != static_cast<ULONG64>(-1))
    s.speed_mbps = static_cast<int>(row.ReceiveLinkSpeed / 1'000'000);
  s.counters.rx_errors = row.InErrors;
  s.counters.tx_errors = row.OutErrors;
  s.counters.rx_dropped = row.InDiscards;
  s.counters.tx_dropped = row.OutDiscards;
  s.wireless = row.Type == IF_TYPE_IEEE80211;
  // What IP Helper does not give: from NDIS, else the driver's registry keywords; null + note otherwise.
  ndis::apply(ndis::decode(ndis::query_adapter(guid_text(row.InterfaceGuid)), s.carrier), s);
  return s;
}

std::optional<DefaultRoute> LinkReader::default_route() const {
  MIB_IPFORWARD_TABLE2* table = nullptr;
  if (GetIpForwardTable2(AF_INET, &table) != NO_ERROR) return std::nullopt;
  const auto metrics = interface_metrics();
  std::vector<RouteRow> rows;
  for (ULONG i = 0; i < table->NumEntries; ++i) {
    const auto& r = table->Table[i];
    if (r.DestinationPrefix.PrefixLength != 0) continue;
    RouteRow row;
    row.prefix_length = r.DestinationPrefix.PrefixLength;
    char addr[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &r.NextHop.Ipv4.sin_addr, addr, sizeof addr);
    row.gateway = addr;
    wchar_t alias[IF_MAX_STRING_SIZE + 1] = {};
    ConvertInterfaceLuidToAlias(&r.InterfaceLuid, alias, IF_MAX_STRING_SIZE);
    row.interface = narrow(alias);
    row.interface_index = r.InterfaceIndex;
    row.route_metric = r.Metric;
    if (auto it = metrics.find(r.InterfaceLuid.Value); it != metrics.end()) {
      row.interface_metric = it->second.metric;
      row.interface_connected = it->second.up;
    }
    rows.push_back(std::move(row));
  }
  FreeMibTable(table);
  return choose_default_route(rows);
}

std::vector<std::string> LinkReader::system_resolvers() const {
  std::vector<std::string> out;
  ULONG size = 0;
  if (GetNetworkParams(nullptr, &size) != ERROR_BUFFER_OVERFLOW) return out;
  std::vector<unsigned char> buf(size);
  auto* info = reinterpret_cast<FIXED_INFO*>(buf.data());
  if (GetNetworkParams(info, &size) != NO_ERROR) return out;
  for (IP_ADDR_STRING* a = &info->DnsServerList; a != nullptr; a = a->Next)
    if (a->IpAddress.String[0] != '\0') out.emplace_back(a->IpAddress.String);
  return out;
}

std::optional<int> nic_max_speed_mbps(const std::string& interface) {
  const auto row = find_row(interface);
  if (!row) return std::nullopt;
  return ndis::decode(ndis::query_adapter(guid_text(row->InterfaceGuid)), false).max_speed_mbps;
}

}  // namespace itsa::network
