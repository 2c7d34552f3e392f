// Windows: compact the process heap and empty the working set (pages come back on their next use).
#include <windows.h>

#include <psapi.h>

#include <string>

#include "agent/memory_trim.hpp"

namespace itsa::agent {
namespace {
std::int64_t working_set_bytes() {
  PROCESS_MEMORY_COUNTERS counters{};
  counters.cb = sizeof(counters);
  if (!GetProcessMemoryInfo(GetCurrentProcess(), &counters, sizeof(counters))) return 0;
  return static_cast<std::int64_t>(counters.WorkingSetSize);
}
}  // namespace

Result<TrimResult> trim_memory() {
  TrimResult result;
  result.rss_before_bytes = working_set_bytes();
  HeapCompact(GetProcessHeap(), 0);
  if (!SetProcessWorkingSetSize(GetCurrentProcess(), static_cast<SIZE_T>(-1), static_cast<SIZE_T>(-1))) {
    return Error{"SetProcessWorkingSetSize failed (error " + std::to_string(GetLastError()) + ")"};
  }
  result.rss_after_bytes = working_set_bytes();
  return result;
}

void tune_allocator() {}

}  // namespace itsa::agent
