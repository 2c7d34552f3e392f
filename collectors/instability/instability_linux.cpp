// Linux crash records: pstore entries, live (/sys/fs/pstore) and archived by systemd-pstore
// (/var/lib/systemd/pstore). Only the file name, its time and the first header lines are read.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>

#include "collectors/instability/instability.hpp"

namespace itsa::collectors::instability {
namespace {

constexpr std::size_t k_head_bytes = 96;  // "====<sec>.<usec>-C\nPanic#1 Part1\n" fits; no log line is read

void scan(const std::filesystem::path& dir, UtcTime since, std::vector<SystemMark>& out, std::set<std::string>& ids,
          std::string* note) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  if (ec) {
    if (note) *note += (note->empty() ? "" : "; ") + dir.string() + ": " + ec.message();
    return;
  }
  for (; it != end; it.increment(ec)) {
    if (ec) break;
    if (it.depth() > 1) {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
    const std::string name = it->path().filename().string();
    if (name.rfind("dmesg-", 0) != 0) continue;
    std::optional<UtcTime> mtime;
    const auto ft = fs::last_write_time(it->path(), ec);
    if (!ec) mtime = std::chrono::time_point_cast<UtcTime::duration>(std::chrono::file_clock::to_sys(ft));
    std::string head(k_head_bytes, '\0');
    std::ifstream in(it->path(), std::ios::binary);
    if (!in) continue;
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    auto mark = parse_pstore_entry(name, head, mtime);
    if (!mark || (mark->at && *mark->at < since)) continue;
    if (ids.insert(mark->id).second) out.push_back(std::move(*mark));
  }
}

}  // namespace

std::vector<SystemMark> read_pstore(const std::vector<std::filesystem::path>& dirs, UtcTime since, std::string* note) {
  std::vector<SystemMark> out;
  std::set<std::string> ids;  // an entry archived by systemd-pstore and still live is one crash
  for (const auto& dir : dirs) scan(dir, since, out, ids, note);
  return out;
}

std::vector<SystemMark> read_system_marks(UtcTime since, std::string* note) {
  return read_pstore({"/sys/fs/pstore", "/var/lib/systemd/pstore"}, since, note);
}

}  // namespace itsa::collectors::instability
