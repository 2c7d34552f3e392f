#include <chrono>
#include <cstdio>
#include <string>

#include <windows.h>

#include "store/boot_id.hpp"

namespace itsa::store {

std::string current_boot_id() {
  // Boot time = now - uptime, rounded to 10 s so the id is stable within one boot.
  const auto now_s =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const auto boot_s = (now_s - static_cast<long long>(GetTickCount64() / 1000)) / 10 * 10;
  // FNV-1a of the boot time spread over 128 bits, formatted as a UUID (version 8, "custom").
  unsigned long long h1 = 1469598103934665603ull, h2 = 1099511628211ull * 31;
  for (int i = 0; i < 8; ++i) {
    const auto b = static_cast<unsigned char>(boot_s >> (8 * i));
    h1 = (h1 ^ b) * 1099511628211ull;
    h2 = (h2 ^ b) * 1469598103934665603ull;
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-8%03llx-%04llx-%012llx", h1 >> 32, (h1 >> 16) & 0xffff, h1 & 0xfff,
                ((h2 >> 48) & 0x3fff) | 0x8000, h2 & 0xffffffffffffull);
  return buf;
}

}  // namespace itsa::store
