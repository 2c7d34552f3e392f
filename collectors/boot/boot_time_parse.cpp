// The portable half of boot durations (see boot_time.hpp): systemd's timestamps and
// Diagnostics-Performance event 100 as XML. Nothing here reads a file or calls the system.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "collectors/boot/boot_time.hpp"
#include "collectors/eventlog/event_xml.hpp"
#include "common/time_format.hpp"

namespace itsa::collectors::boot {
namespace {

using eventlog::data_named;
using eventlog::element_text;

using nlohmann::json;

std::optional<std::uint64_t> number(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\t')) s.remove_suffix(1);
  std::uint64_t v = 0;
  if (s.empty()) return std::nullopt;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

/// Seconds to the millisecond (the OSes measure in µs or ms; more digits mean nothing here).
double seconds(std::uint64_t amount, double per_second) {
  return std::round(static_cast<double>(amount) / per_second * 1000.0) / 1000.0;
}

json opt(const std::optional<double>& v) {
  return v ? json(*v) : json(nullptr);
}

}  // namespace

Result<BootDuration> parse_systemd_times(std::string_view text, const std::string& boot_id) {
  std::map<std::string, std::uint64_t, std::less<>> values;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    const auto eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    const std::string_view name = line.substr(0, eq);
    const auto v = number(line.substr(eq + 1));
    if (!v) {
      if (name.find("Timestamp") != std::string_view::npos && name != "KernelTimestamp")
        return Error{fmt::format("systemd property {} is not a number of µs: \"{}\"", name, line.substr(eq + 1))};
      continue;  // KernelTimestamp as systemctl formats it: no start time
    }
    values[std::string(name)] = *v;
  }
  auto get = [&](std::string_view name) -> std::uint64_t {
    const auto it = values.find(name);
    return it == values.end() ? 0 : it->second;
  };
  if (values.find("UserspaceTimestampMonotonic") == values.end() || get("UserspaceTimestampMonotonic") == 0)
    return Error{"systemd gives no UserspaceTimestampMonotonic"};
  const std::uint64_t firmware = get("FirmwareTimestampMonotonic");  // µs before the kernel's start
  const std::uint64_t loader = get("LoaderTimestampMonotonic");      // µs before the kernel's start
  const std::uint64_t initrd = get("InitRDTimestampMonotonic");
  const std::uint64_t userspace = get("UserspaceTimestampMonotonic");
  const std::uint64_t finish = get("FinishTimestampMonotonic");
  if (finish == 0) return Error{"pending: systemd has not finished starting this boot (FinishTimestampMonotonic 0)"};
  if (finish < userspace || (initrd != 0 && initrd > userspace) || (firmware != 0 && firmware < loader))
    return Error{
        fmt::format("systemd timestamps out of order (firmware {}, loader {}, initrd {}, userspace {}, "
                    "finish {} µs)",
                    firmware, loader, initrd, userspace, finish)};
  BootDuration b;
  b.id = boot_id;
  b.source = "systemd";
  // The kernel's monotonic clock starts at 0 with the kernel; firmware and loader are what the
  // boot loader measured before it (EFI variables LoaderTimeInitUSec/LoaderTimeExecUSec).
  if (firmware != 0) b.firmware_s = seconds(firmware - loader, 1e6);
  if (loader != 0) b.loader_s = seconds(loader, 1e6);
  b.kernel_s = seconds(initrd != 0 ? initrd : userspace, 1e6);
  if (initrd != 0) b.initrd_s = seconds(userspace - initrd, 1e6);
  b.userspace_s = seconds(finish - userspace, 1e6);
  b.os_s = seconds(finish, 1e6);
  b.total_s = seconds(finish + firmware, 1e6);  // firmware is measured from the firmware's start: includes the loader
  if (const std::uint64_t kernel_at = get("KernelTimestamp"); kernel_at != 0)
    b.start = to_rfc3339(UtcTime{std::chrono::seconds{kernel_at / 1'000'000}});
  return b;
}

std::optional<BootDuration> parse_boot_event_xml(std::string_view xml) {
  const auto id = element_text(xml, "EventID");
  if (!id || number(*id) != std::uint64_t{100}) return std::nullopt;
  const auto boot_ms = data_named(xml, "BootTime");
  const auto total = boot_ms ? number(*boot_ms) : std::nullopt;
  if (!total) return std::nullopt;
  BootDuration b;
  b.source = "windows_event_100";
  const std::string record(element_text(xml, "EventRecordID").value_or(""));
  b.os_s = seconds(*total, 1e3);
  b.total_s = b.os_s;
  if (auto v = data_named(xml, "MainPathBootTime"))
    if (auto ms = number(*v)) b.main_path_s = seconds(*ms, 1e3);
  if (auto v = data_named(xml, "BootPostBootTime"))
    if (auto ms = number(*v)) b.post_boot_s = seconds(*ms, 1e3);
  if (auto v = data_named(xml, "BootStartTime"))
    if (auto t = parse_rfc3339(*v)) b.start = to_rfc3339(*t);
  b.id = !record.empty() ? "winevt:" + record : b.start ? "winevt:" + *b.start : std::string();
  if (b.id.empty()) return std::nullopt;
  return b;
}

json to_json(const BootDuration& b) {
  return {{"id", b.id},
          {"start", b.start ? json(*b.start) : json(nullptr)},
          {"firmware_s", opt(b.firmware_s)},
          {"loader_s", opt(b.loader_s)},
          {"kernel_s", opt(b.kernel_s)},
          {"initrd_s", opt(b.initrd_s)},
          {"userspace_s", opt(b.userspace_s)},
          {"main_path_s", opt(b.main_path_s)},
          {"post_boot_s", opt(b.post_boot_s)},
          {"os_s", opt(b.os_s)},
          {"total_s", opt(b.total_s)},
          {"source", b.source}};
}

json merge_boots(const json& previous, const std::vector<BootDuration>& fresh, std::size_t keep) {
  std::vector<json> all;
  for (const auto& b : fresh) all.push_back(to_json(b));
  if (previous.is_array())
    for (const auto& p : previous) {
      if (!p.is_object() || !p.contains("id") || !p["id"].is_string()) continue;
      const bool known = std::any_of(all.begin(), all.end(), [&](const json& a) { return a["id"] == p["id"]; });
      if (!known) all.push_back(p);
    }
  auto start_of = [](const json& b) {
    const auto it = b.find("start");
    return it != b.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  std::stable_sort(all.begin(), all.end(), [&](const json& a, const json& b) { return start_of(a) > start_of(b); });
  if (all.size() > keep) all.resize(keep);
  return json(all);
}

}  // namespace itsa::collectors::boot
