// Linux: own RSS from /proc/self/statm, CPU from getrusage; restart fallback (no daemon handler) = SIGHUP.
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <fstream>

#include "agent/watchdog.hpp"

namespace itsa::agent {
namespace {
std::atomic<bool> g_restart_requested{false};
}

Result<ResourceSample> sample_self() {
  std::ifstream statm("/proc/self/statm");
  long long size_pages = 0, resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return Error{"/proc/self/statm: cannot read"};
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return Error{"getrusage failed"};
  ResourceSample sample;
  sample.rss_bytes = resident_pages * sysconf(_SC_PAGESIZE);
  sample.cpu_s = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                 static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  return sample;
}

void request_work_restart_fallback(const std::string&) {
  g_restart_requested = true;
  std::raise(SIGHUP);
}

bool take_work_restart_request() {
  return g_restart_requested.exchange(false);
}

}  // namespace itsa::agent
