#pragma once
// Gives back memory the agent no longer uses, so its resident set reflects its steady work rather
// than its start-up: free heap pages return to the system (malloc_trim / HeapCompact), and pages
// of the program and its libraries touched only while loading (relocation, initialisation) leave
// the resident set (Linux: MADV_DONTNEED on read-only, unmodified file mappings, which the next
// access maps again from the page cache; Windows: the working set is emptied). Nothing is lost.
#include <cstdint>

#include "common/result.hpp"

namespace itsa::agent {

/// What one trim did.
struct TrimResult {
  std::int64_t rss_before_bytes = 0;  ///< resident set / working set before
  std::int64_t rss_after_bytes = 0;   ///< and after
  int mappings_trimmed = 0;           ///< file mappings dropped from the resident set (Linux)
};

/// Trims this process's memory as described above. Safe to call from any thread at any time.
Result<TrimResult> trim_memory();

/// Process-wide allocator settings for a small long-running daemon (Linux: at most two glibc
/// malloc arenas, whatever the number of threads). Call once, early, before threads start.
void tune_allocator();

}  // namespace itsa::agent
