// Windows: private working set and CPU times of this process; restart fallback (no daemon handler)
// = stop this daemon (SIGTERM through Asio's signal_set) and let the service loop start a fresh one
// (take_work_restart_request).
// Windows headers in this order: <winsock2.h> / <windows.h> first.
// clang-format off
#include <windows.h>
#include <psapi.h>
// clang-format on

#include <atomic>
#include <csignal>

#include "agent/watchdog.hpp"

namespace itsa::agent {
namespace {
std::atomic<bool> g_restart_requested{false};

double filetime_s(const FILETIME& t) {
  ULARGE_INTEGER v;
  v.LowPart = t.dwLowDateTime;
  v.HighPart = t.dwHighDateTime;
  return static_cast<double>(v.QuadPart) / 1e7;  // 100 ns units
}
}  // namespace

Result<ResourceSample> sample_self() {
  PROCESS_MEMORY_COUNTERS_EX counters{};
  counters.cb = sizeof(counters);
  if (!GetProcessMemoryInfo(GetCurrentProcess(), reinterpret_cast<PROCESS_MEMORY_COUNTERS*>(&counters),
                            sizeof(counters))) {
    return Error{"GetProcessMemoryInfo failed (error " + std::to_string(GetLastError()) + ")"};
  }
  FILETIME created, exited, kernel, user;
  if (!GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user)) {
    return Error{"GetProcessTimes failed (error " + std::to_string(GetLastError()) + ")"};
  }
  ResourceSample sample;
  sample.rss_bytes = static_cast<std::int64_t>(counters.WorkingSetSize);
  sample.cpu_s = filetime_s(kernel) + filetime_s(user);
  return sample;
}

void request_work_restart_fallback(const std::string&) {
  g_restart_requested = true;
  std::raise(SIGTERM);
}

bool take_work_restart_request() {
  return g_restart_requested.exchange(false);
}

}  // namespace itsa::agent
