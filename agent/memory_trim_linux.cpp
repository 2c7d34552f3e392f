// Linux: malloc_trim for the heap; MADV_DONTNEED on file mappings that are not writable and hold
// no private (copied-on-write) page, so every resident page there is an unmodified page of the
// file that the next access maps again from the page cache (a minor fault, no disk read while the
// page cache keeps it). Writable mappings and relocated ones (RELRO: Anonymous > 0) are never touched.
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "agent/memory_trim.hpp"

namespace itsa::agent {
namespace {

// One mapping of /proc/self/smaps, as far as trimming needs it.
struct Mapping {
  std::uintptr_t start = 0;
  std::uintptr_t end = 0;
  bool trimmable = false;  ///< file-backed, not writable (from the header line)
  long rss_kib = 0;
  long anonymous_kib = 0;
};

std::int64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  long long size_pages = 0, resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return 0;
  return resident_pages * sysconf(_SC_PAGESIZE);
}

// Parses a header line "start-end perms offset dev inode [path]".
Mapping parse_header(const std::string& line) {
  Mapping m;
  std::istringstream in(line);
  std::string range, perms, offset, dev, inode, path;
  in >> range >> perms >> offset >> dev >> inode;
  std::getline(in >> std::ws, path);
  const auto dash = range.find('-');
  m.start = static_cast<std::uintptr_t>(std::stoull(range.substr(0, dash), nullptr, 16));
  m.end = static_cast<std::uintptr_t>(std::stoull(range.substr(dash + 1), nullptr, 16));
  const bool file_backed =
      !path.empty() && path[0] == '/' && inode != "0" && path.find(" (deleted)") == std::string::npos;
  m.trimmable = file_backed && perms.size() >= 4 && perms[1] != 'w';
  return m;
}

Result<std::vector<Mapping>> read_mappings() {
  std::ifstream smaps("/proc/self/smaps");
  if (!smaps) return Error{"/proc/self/smaps: cannot open"};
  std::vector<Mapping> mappings;
  std::string line;
  while (std::getline(smaps, line)) {
    const auto space = line.find(' ');
    const std::string first = line.substr(0, space);
    if (first.empty()) continue;
    if (first.back() != ':') {  // a header line
      try {
        mappings.push_back(parse_header(line));
      } catch (const std::exception&) {
        return Error{"/proc/self/smaps: unexpected line: " + line};
      }
      continue;
    }
    if (mappings.empty()) continue;
    if (first == "Rss:") mappings.back().rss_kib = std::stol(line.substr(space));
    if (first == "Anonymous:") mappings.back().anonymous_kib = std::stol(line.substr(space));
  }
  return mappings;
}

}  // namespace

Result<TrimResult> trim_memory() {
  TrimResult result;
  result.rss_before_bytes = resident_bytes();
  malloc_trim(0);
  auto mappings = read_mappings();
  if (!mappings) return mappings.error();
  for (const auto& m : mappings.value()) {
    if (!m.trimmable || m.anonymous_kib != 0 || m.rss_kib == 0) continue;
    if (madvise(reinterpret_cast<void*>(m.start), m.end - m.start, MADV_DONTNEED) == 0) ++result.mappings_trimmed;
  }
  result.rss_after_bytes = resident_bytes();
  return result;
}

void tune_allocator() {
  mallopt(M_ARENA_MAX, 2);
}

}  // namespace itsa::agent
