// Pure parsers of /proc/self/mountinfo and /proc/diskstats for the system disk's busy time
// (docs/inventory.md, "Resource pressure").
#include "collectors/pressure/diskstats.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

#include <fmt/format.h>

namespace itsa::collectors::diskstats {
namespace {

std::vector<std::string_view> split_ws(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

template <class F>
void for_each_line(std::string_view text, F&& f) {
  while (!text.empty()) {
    const auto nl = text.find('\n');
    f(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

template <class T>
std::optional<T> number(std::string_view s) {
  T v{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// One /proc/diskstats line: major, minor, name and the counters after them.
struct Line {
  unsigned major = 0, minor = 0;
  std::string_view name;
  std::vector<std::string_view> fields;  // all tokens; counters start at index 3
};

std::vector<Line> parse_lines(std::string_view diskstats) {
  std::vector<Line> out;
  for_each_line(diskstats, [&](std::string_view line) {
    auto t = split_ws(line);
    if (t.size() < 3) return;
    const auto major = number<unsigned>(t[0]);
    const auto minor = number<unsigned>(t[1]);
    if (!major || !minor) return;
    out.push_back(Line{*major, *minor, t[2], std::move(t)});
  });
  return out;
}

// True when `part` names a partition of `disk`: sda + 2, nvme0n1 + p2 (a disk name ending in a
// digit takes "p" before the partition number).
bool is_partition_of(std::string_view part, std::string_view disk) {
  if (disk.empty() || part.size() <= disk.size() || part.substr(0, disk.size()) != disk) return false;
  std::string_view rest = part.substr(disk.size());
  const char last = disk.back();
  if (last >= '0' && last <= '9') {
    if (rest.front() != 'p') return false;
    rest.remove_prefix(1);
  }
  return all_digits(rest);
}

}  // namespace

Result<MountDevice> mount_device(std::string_view mountinfo, std::string_view mount_point) {
  std::optional<MountDevice> found;
  for_each_line(mountinfo, [&](std::string_view line) {
    const auto t = split_ws(line);
    // id parent major:minor root mount-point options [optional…] - fstype source super-options
    if (t.size() < 5 || t[4] != mount_point) return;
    const auto colon = t[2].find(':');
    if (colon == std::string_view::npos) return;
    const auto major = number<unsigned>(t[2].substr(0, colon));
    const auto minor = number<unsigned>(t[2].substr(colon + 1));
    if (!major || !minor) return;
    MountDevice d{*major, *minor, {}};
    const auto dash = std::find(t.begin() + 5, t.end(), std::string_view("-"));
    if (std::distance(dash, t.end()) >= 3) d.source = std::string(dash[2]);
    found = std::move(d);
  });
  if (!found) return Error{fmt::format("mountinfo: no mount at {}", mount_point)};
  return *found;
}

Result<std::string> system_disk(std::string_view diskstats, const MountDevice& dev) {
  const auto lines = parse_lines(diskstats);
  std::string_view name;
  for (const auto& l : lines)
    if (l.major == dev.major && l.minor == dev.minor && dev.major != 0) name = l.name;
  if (name.empty() && dev.source.rfind("/dev/", 0) == 0) {
    const std::string_view base = std::string_view(dev.source).substr(5);
    if (base.find('/') == std::string_view::npos && base != "root")
      for (const auto& l : lines)
        if (l.name == base) name = l.name;
  }
  if (name.empty())
    return Error{fmt::format("/proc/diskstats: no device {}:{} ({}) of the root file system", dev.major, dev.minor,
                             dev.source.empty() ? "no source" : dev.source)};
  // A partition belongs to the longest listed disk name it extends.
  std::string_view disk = name;
  for (const auto& l : lines)
    if (is_partition_of(name, l.name) && (disk == name || l.name.size() > disk.size())) disk = l.name;
  return std::string(disk);
}

Result<std::uint64_t> io_ticks_ms(std::string_view diskstats, std::string_view device) {
  for (const auto& l : parse_lines(diskstats)) {
    if (l.name != device) continue;
    // Counters are fields 1..N after major, minor and name; io_ticks is field 10.
    if (l.fields.size() < 13)
      return Error{fmt::format("/proc/diskstats: the line of {} has {} counters, io_ticks is the 10th", device,
                               l.fields.size() - 3)};
    const auto v = number<std::uint64_t>(l.fields[12]);
    if (!v) return Error{fmt::format("/proc/diskstats: io_ticks of {} is not a number", device)};
    return *v;
  }
  return Error{fmt::format("/proc/diskstats: no line for {}", device)};
}

std::optional<double> busy_pct(std::uint64_t busy_before, std::uint64_t busy_after, std::uint64_t clock_before,
                               std::uint64_t clock_after) {
  if (clock_after <= clock_before || busy_after < busy_before) return std::nullopt;
  const double pct =
      100.0 * static_cast<double>(busy_after - busy_before) / static_cast<double>(clock_after - clock_before);
  return std::clamp(pct, 0.0, 100.0);
}

}  // namespace itsa::collectors::diskstats
