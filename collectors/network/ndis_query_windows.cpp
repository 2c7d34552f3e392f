// Windows: an adapter's NDIS OIDs through IOCTL_NDIS_QUERY_GLOBAL_STATS (CreateFileW on
// \\.\{AdapterGUID}, DeviceIoControl; Windows 2000 and later, NDIS 6 OIDs on Vista and later) and its
// *SpeedDuplex modes from HKLM\SYSTEM\CurrentControlSet\Control\Class\{4d36e972-...}\NNNN (the
// subkey whose NetCfgInstanceId is the adapter's GUID). Only bytes and strings: ndis_parse decodes.
// Windows headers in this order: <winsock2.h> / <windows.h> first.
// clang-format off
#include <winsock2.h>
#include <windows.h>
#include <winioctl.h>
#include <ntddndis.h>
// clang-format on
#undef interface  // <windows.h>'s COM macro; project headers have fields named interface

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>

#include "collectors/network/ndis_query.hpp"

namespace itsa::network::ndis {

// The portable decoders' constants are the SDK's (mingw-w64's ntddndis.h mirrors it).
static_assert(k_oid_gen_max_link_speed == OID_GEN_MAX_LINK_SPEED);
static_assert(k_oid_gen_link_state == OID_GEN_LINK_STATE);
static_assert(k_oid_gen_media_duplex_state == OID_GEN_MEDIA_DUPLEX_STATE);
static_assert(k_oid_gen_statistics == OID_GEN_STATISTICS);
static_assert(k_oid_gen_rcv_crc_error == OID_GEN_RCV_CRC_ERROR);
static_assert(k_oid_802_3_rcv_error_alignment == OID_802_3_RCV_ERROR_ALIGNMENT);
static_assert(k_object_type_default == NDIS_OBJECT_TYPE_DEFAULT);
static_assert(k_link_state_size_rev1 == NDIS_SIZEOF_LINK_STATE_REVISION_1);
static_assert(k_statistics_size_rev1 == NDIS_SIZEOF_STATISTICS_INFO_REVISION_1);
static_assert(k_link_speed_size == sizeof(NDIS_LINK_SPEED));
static_assert(offsetof(NDIS_LINK_STATE, MediaConnectState) == 4 && offsetof(NDIS_LINK_STATE, MediaDuplexState) == 8);
static_assert(offsetof(NDIS_LINK_STATE, XmitLinkSpeed) == 16 && offsetof(NDIS_LINK_STATE, RcvLinkSpeed) == 24);
static_assert(MediaDuplexStateHalf == 1 && MediaDuplexStateFull == 2 && MediaConnectStateConnected == 1);
static_assert(offsetof(NDIS_STATISTICS_INFO, SupportedStatistics) == 4);
static_assert(offsetof(NDIS_STATISTICS_INFO, ifInDiscards) == 8 && offsetof(NDIS_STATISTICS_INFO, ifInErrors) == 16);
static_assert(offsetof(NDIS_STATISTICS_INFO, ifOutErrors) == 88 && offsetof(NDIS_STATISTICS_INFO, ifOutDiscards) == 96);
static_assert(NDIS_STATISTICS_FLAGS_VALID_RCV_DISCARDS == 0x10 && NDIS_STATISTICS_FLAGS_VALID_RCV_ERROR == 0x20);
static_assert(NDIS_STATISTICS_FLAGS_VALID_XMIT_ERROR == 0x400 && NDIS_STATISTICS_FLAGS_VALID_XMIT_DISCARDS == 0x8000);

namespace {

std::wstring wide(const std::string& s) {
  return std::wstring(s.begin(), s.end());  // a GUID: ASCII
}

std::string narrow(const wchar_t* w, std::size_t n) {
  const int len = WideCharToMultiByte(CP_UTF8, 0, w, static_cast<int>(n), nullptr, 0, nullptr, nullptr);
  if (len <= 0) return {};
  std::string s(static_cast<std::size_t>(len), '\0');
  WideCharToMultiByte(CP_UTF8, 0, w, static_cast<int>(n), s.data(), len, nullptr, nullptr);
  return s;
}

// ASCII case-insensitive equality (GUIDs); no C runtime import beyond what the agent has.
bool same_ascii_nocase(const std::wstring& a, const std::wstring& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto up = [](wchar_t c) { return c >= L'a' && c <= L'z' ? static_cast<wchar_t>(c - L'a' + L'A') : c; };
    if (up(a[i]) != up(b[i])) return false;
  }
  return true;
}

std::string win32_error(DWORD code) {
  return "Windows error " + std::to_string(code);
}

Result<Bytes> query_oid(HANDLE device, ULONG oid) {
  Bytes out(256);
  DWORD returned = 0;
  if (!DeviceIoControl(device, IOCTL_NDIS_QUERY_GLOBAL_STATS, &oid, sizeof oid, out.data(),
                       static_cast<DWORD>(out.size()), &returned, nullptr))
    return Error{win32_error(GetLastError())};
  out.resize(returned);
  return out;
}

constexpr wchar_t k_class_key[] = L"SYSTEM\\CurrentControlSet\\Control\\Class\\{4d36e972-e325-11ce-bfc1-08002be10318}";

std::optional<std::wstring> reg_string(HKEY key, const wchar_t* subkey, const wchar_t* name) {
  wchar_t buf[256] = {};
  DWORD size = sizeof buf;
  if (RegGetValueW(key, subkey, name, RRF_RT_REG_SZ, nullptr, buf, &size) != ERROR_SUCCESS) return std::nullopt;
  return std::wstring(buf);
}

// The adapter's subkey name ("0007") under the network class key; searched once per adapter.
std::optional<std::wstring> class_subkey(const std::string& guid) {
  static std::mutex mutex;
  static std::map<std::string, std::optional<std::wstring>> cache;
  std::lock_guard lock(mutex);
  if (auto it = cache.find(guid); it != cache.end()) return it->second;
  std::optional<std::wstring> found;
  HKEY cls = nullptr;
  if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, k_class_key, 0, KEY_READ, &cls) == ERROR_SUCCESS) {
    const std::wstring want = wide(guid);
    for (DWORD i = 0;; ++i) {
      wchar_t name[64];
      DWORD len = 64;
      if (RegEnumKeyExW(cls, i, name, &len, nullptr, nullptr, nullptr, nullptr) != ERROR_SUCCESS) break;
      auto id = reg_string(cls, name, L"NetCfgInstanceId");
      if (id && same_ascii_nocase(*id, want)) {
        found = std::wstring(name);
        break;
      }
    }
    RegCloseKey(cls);
  }
  cache[guid] = found;
  return found;
}

void read_speed_duplex(const std::string& guid, Answers& a) {
  auto sub = class_subkey(guid);
  if (!sub) return;
  const std::wstring adapter_key = std::wstring(k_class_key) + L"\\" + *sub;
  if (auto v = reg_string(HKEY_LOCAL_MACHINE, adapter_key.c_str(), L"*SpeedDuplex"))
    a.speed_duplex_configured = narrow(v->c_str(), v->size());
  HKEY modes = nullptr;
  const std::wstring enum_key = adapter_key + L"\\Ndi\\Params\\*SpeedDuplex\\enum";
  if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, enum_key.c_str(), 0, KEY_READ, &modes) != ERROR_SUCCESS) return;
  for (DWORD i = 0; i < 64; ++i) {
    wchar_t name[64];
    DWORD name_len = 64;
    wchar_t text[256] = {};
    DWORD text_size = sizeof text - sizeof(wchar_t);
    DWORD type = 0;
    if (RegEnumValueW(modes, i, name, &name_len, nullptr, &type, reinterpret_cast<BYTE*>(text), &text_size) !=
        ERROR_SUCCESS)
      break;
    if (type != REG_SZ) continue;
    std::size_t text_len = 0;
    while (text_len < text_size / sizeof(wchar_t) && text[text_len] != L'\0') ++text_len;
    a.speed_duplex_modes.push_back({narrow(name, name_len), narrow(text, text_len)});
  }
  RegCloseKey(modes);
}

}  // namespace

Answers query_adapter(const std::string& adapter_guid) {
  Answers a;
  const std::wstring path = L"\\\\.\\" + wide(adapter_guid);
  HANDLE device = CreateFileW(path.c_str(), 0, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_EXISTING, 0, nullptr);
  if (device == INVALID_HANDLE_VALUE) {
    a.open_error = "CreateFile \\\\.\\" + adapter_guid + ": " + win32_error(GetLastError());
  } else {
    a.link_state = query_oid(device, OID_GEN_LINK_STATE);
    a.max_link_speed = query_oid(device, OID_GEN_MAX_LINK_SPEED);
    a.duplex_state = query_oid(device, OID_GEN_MEDIA_DUPLEX_STATE);
    a.rcv_crc_error = query_oid(device, OID_GEN_RCV_CRC_ERROR);
    a.rcv_error_alignment = query_oid(device, OID_802_3_RCV_ERROR_ALIGNMENT);
    a.statistics = query_oid(device, OID_GEN_STATISTICS);
    CloseHandle(device);
  }
  read_speed_duplex(adapter_guid, a);
  return a;
}

}  // namespace itsa::network::ndis
