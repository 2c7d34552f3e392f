// Linux: the journal's kernel messages (history.hpp) through libsystemd's sd_journal API.
// libsystemd.so.0 is loaded at run time for the one reading and unloaded after, as
// collectors/boot/boot_time_linux.cpp does for sd-bus: the agent does not link libsystemd, and a
// PC without it (or without a persistent journal) simply has no history. Entries are read with
// the match _TRANSPORT=kernel from `since` on; each MESSAGE is parsed by parse_kernel_message().
#include <dlfcn.h>

#include <cstring>
#include <string_view>

#include <fmt/format.h>
#include <systemd/sd-journal.h>

#include "collectors/history/history.hpp"
#include "common/time_format.hpp"

namespace itsa::collectors::history {
namespace {

using OpenFn = int (*)(sd_journal**, int);
using CloseFn = void (*)(sd_journal*);
using AddMatchFn = int (*)(sd_journal*, const void*, size_t);
using SeekRealtimeFn = int (*)(sd_journal*, uint64_t);
using NextFn = int (*)(sd_journal*);
using GetRealtimeFn = int (*)(sd_journal*, uint64_t*);
using GetDataFn = int (*)(sd_journal*, const char*, const void**, size_t*);

constexpr std::size_t k_max_entries = 2'000'000;  // 90 days of kernel messages are far fewer

template <class Fn>
Fn symbol(void* lib, const char* name) {
  return reinterpret_cast<Fn>(dlsym(lib, name));
}

}  // namespace

HistoryReading read_history(UtcTime since, UtcTime until) {
  HistoryReading r;
  void* lib = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    r.note = "journal not read: libsystemd.so.0 not loadable";
    return r;
  }
  const auto open = symbol<OpenFn>(lib, "sd_journal_open");
  const auto close = symbol<CloseFn>(lib, "sd_journal_close");
  const auto add_match = symbol<AddMatchFn>(lib, "sd_journal_add_match");
  const auto seek = symbol<SeekRealtimeFn>(lib, "sd_journal_seek_realtime_usec");
  const auto next = symbol<NextFn>(lib, "sd_journal_next");
  const auto get_realtime = symbol<GetRealtimeFn>(lib, "sd_journal_get_realtime_usec");
  const auto get_data = symbol<GetDataFn>(lib, "sd_journal_get_data");
  if (!open || !close || !add_match || !seek || !next || !get_realtime || !get_data) {
    r.note = "journal not read: libsystemd.so.0 lacks the sd_journal functions";
    dlclose(lib);
    return r;
  }
  sd_journal* journal = nullptr;
  int rc = open(&journal, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM);
  if (rc < 0) {
    r.note = fmt::format("journal not read: sd_journal_open failed ({})", std::strerror(-rc));
    dlclose(lib);
    return r;
  }
  constexpr char k_match[] = "_TRANSPORT=kernel";
  const auto since_us = std::chrono::duration_cast<std::chrono::microseconds>(since.time_since_epoch()).count();
  const auto until_us = std::chrono::duration_cast<std::chrono::microseconds>(until.time_since_epoch()).count();
  rc = add_match(journal, k_match, sizeof(k_match) - 1);
  if (rc >= 0) rc = seek(journal, static_cast<uint64_t>(since_us > 0 ? since_us : 0));
  if (rc < 0) {
    r.note = fmt::format("journal not read: {}", std::strerror(-rc));
  } else {
    r.read = true;
    std::size_t entries = 0;
    while (next(journal) > 0) {
      if (++entries > k_max_entries) {
        r.note = fmt::format("journal: stopped after {} kernel messages; later ones not read", k_max_entries);
        break;
      }
      uint64_t usec = 0;
      if (get_realtime(journal, &usec) < 0) continue;
      const auto at_us = static_cast<long long>(usec);
      if (at_us <= since_us) continue;
      if (at_us > until_us) break;
      const void* data = nullptr;
      size_t size = 0;
      if (get_data(journal, "MESSAGE", &data, &size) < 0 || size < 8) continue;
      const std::string_view field(static_cast<const char*>(data), size);  // "MESSAGE=…"
      if (auto e = parse_kernel_message(field.substr(8), UtcTime{std::chrono::microseconds{at_us}}))
        r.events.push_back(std::move(*e));
    }
    if (entries == 0 && until - since > std::chrono::hours(24 * 7))  // a first reading found nothing at all
      r.note = "journal: no kernel message readable since " + to_rfc3339(since) +
               " (a volatile journal keeps the current boot only; the system journal needs root)";
  }
  close(journal);
  dlclose(lib);
  return r;
}

}  // namespace itsa::collectors::history
