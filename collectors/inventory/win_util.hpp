#pragma once
// Small Windows helpers shared by the *_windows.cpp readers (included only by them).
#include <windows.h>

#include <optional>
#include <string>

namespace itsa::collectors::win {

/// UTF-16 → UTF-8.
inline std::string utf8(const wchar_t* w, int len = -1) {
  if (!w) return {};
  const int n = WideCharToMultiByte(CP_UTF8, 0, w, len, nullptr, 0, nullptr, nullptr);
  if (n <= 0) return {};
  std::string out(static_cast<std::size_t>(n), '\0');
  WideCharToMultiByte(CP_UTF8, 0, w, len, out.data(), n, nullptr, nullptr);
  if (len == -1 && !out.empty() && out.back() == '\0') out.pop_back();
  return out;
}

/// A REG_SZ value under HKEY_LOCAL_MACHINE; nullopt when absent.
inline std::optional<std::string> reg_string(const wchar_t* key, const wchar_t* name) {
  wchar_t buf[512] = {};
  DWORD size = sizeof buf - sizeof(wchar_t);
  if (RegGetValueW(HKEY_LOCAL_MACHINE, key, name, RRF_RT_REG_SZ, nullptr, buf, &size) != ERROR_SUCCESS)
    return std::nullopt;
  return utf8(buf);
}

/// A REG_DWORD value under HKEY_LOCAL_MACHINE; nullopt when absent.
inline std::optional<DWORD> reg_dword(const wchar_t* key, const wchar_t* name) {
  DWORD value = 0;
  DWORD size = sizeof value;
  if (RegGetValueW(HKEY_LOCAL_MACHINE, key, name, RRF_RT_REG_DWORD, nullptr, &value, &size) != ERROR_SUCCESS)
    return std::nullopt;
  return value;
}

}  // namespace itsa::collectors::win
