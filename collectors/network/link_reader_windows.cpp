// Windows link facts through IP Helper: GetIfTable2/GetIfEntry2 (MediaConnectState,
// speeds, MIB_IF_ROW2 error counters), GetIpForwardTable2 (default gateway),
// GetNetworkParams (DNS servers).
// Windows headers in this order: <winsock2.h> / <windows.h> first.
// clang-format off
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <netioapi.h>
// clang-format on
#undef interface  // <windows.h>'s COM macro; project headers have fields named interface

#include <algorithm>
#include <vector>

#include "collectors/network/link_reader.hpp"

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
  std::optional<LinkSnapshot> found;
  for_each_if([&](const MIB_IF_ROW2& row) {
    if (narrow(row.Alias) != interface || row.InterfaceAndOperStatusFlags.FilterInterface) return false;
    LinkSnapshot s;
    s.interface = interface;
    s.admin_up = row.AdminStatus == NET_IF_ADMIN_STATUS_UP;  // "Disable" in the adapter settings
    s.carrier = s.admin_up && row.MediaConnectState == MediaConnectStateConnected;
    if (s.carrier && row.ReceiveLinkSpeed > 0 && row.ReceiveLinkSpeed != static_cast<ULONG64>(-1))
      s.speed_mbps = static_cast<int>(row.ReceiveLinkSpeed / 1'000'000);
    s.duplex = "";  // not exposed by IP Helper
    s.counters.rx_errors = row.InErrors;
    s.counters.tx_errors = row.OutErrors;
    s.counters.rx_dropped = row.InDiscards;
    s.counters.tx_dropped = row.OutDiscards;
    s.wireless = row.Type == IF_TYPE_IEEE80211;
    found = s;
    return true;
  });
  if (!found) return Error{"interface " + interface + ": not found by GetIfTable2"};
  return *found;
}

std::optional<DefaultRoute> LinkReader::default_route() const {
  MIB_IPFORWARD_TABLE2* table = nullptr;
  if (GetIpForwardTable2(AF_INET, &table) != NO_ERROR) return std::nullopt;
  std::optional<DefaultRoute> best;
  ULONG best_metric = ~0ul;
  for (ULONG i = 0; i < table->NumEntries; ++i) {
    const auto& r = table->Table[i];
    if (r.DestinationPrefix.PrefixLength != 0 || r.Metric >= best_metric) continue;
    char addr[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &r.NextHop.Ipv4.sin_addr, addr, sizeof addr);
    wchar_t alias[IF_MAX_STRING_SIZE + 1] = {};
    ConvertInterfaceLuidToAlias(&r.InterfaceLuid, alias, IF_MAX_STRING_SIZE);
    best = DefaultRoute{addr, narrow(alias)};
    best_metric = r.Metric;
  }
  FreeMibTable(table);
  return best;
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

std::optional<int> nic_max_speed_mbps(const std::string&) {
  return std::nullopt;  // IP Helper reports only the negotiated speed
}

}  // namespace itsa::network
