// The portable half of instability: pstore entry headers and System-log event XML (see
// instability.hpp). Nothing here reads a file or calls the system.
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "collectors/eventlog/event_xml.hpp"
#include "collectors/instability/instability.hpp"
#include "common/time_format.hpp"

namespace itsa::collectors::instability {
namespace {

using eventlog::attribute;
using eventlog::data_named;
using eventlog::element_text;

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

std::string_view first_line(std::string_view s) {
  const auto nl = s.find('\n');
  return nl == std::string_view::npos ? s : s.substr(0, nl);
}

template <class T>
std::optional<T> number(std::string_view s, int base = 10) {
  T v{};
  if (s.empty()) return std::nullopt;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// "Panic#1 Part1": reason, count and part; nullopt when the line is not such a header.
struct DumpHeader {
  std::string reason;
  int part = 0;
};
std::optional<DumpHeader> dump_header(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  const auto hash = line.find('#');
  const auto space = line.find(" Part");
  if (hash == std::string_view::npos || hash == 0 || space == std::string_view::npos || space < hash) return {};
  for (char c : line.substr(0, hash))
    if (!std::isalpha(static_cast<unsigned char>(c))) return {};
  if (!number<int>(line.substr(hash + 1, space - hash - 1))) return {};
  const auto part = number<int>(line.substr(space + 5));
  if (!part) return {};
  DumpHeader h;
  for (char c : line.substr(0, hash)) h.reason += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  h.part = *part;
  return h;
}

std::optional<std::uint64_t> hex_or_decimal(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  const auto stop = s.find_first_of(" (");
  if (stop != std::string_view::npos) s = s.substr(0, stop);
  if (starts_with(s, "0x") || starts_with(s, "0X")) return number<std::uint64_t>(s.substr(2), 16);
  return number<std::uint64_t>(s);
}

}  // namespace

std::optional<SystemMark> parse_pstore_entry(std::string_view name, std::string_view head,
                                             std::optional<UtcTime> file_time) {
  if (!starts_with(name, "dmesg-") || ends_with(name, ".enc.z")) return std::nullopt;
  std::optional<UtcTime> at = file_time;
  bool time_in_header = false;
  std::string_view line = first_line(head);
  if (starts_with(line, "====")) {  // ramoops: "====<seconds>.<microseconds>-<C|D>"
    std::string_view stamp = line.substr(4);
    const auto dot = stamp.find('.');
    if (const auto secs = number<std::int64_t>(stamp.substr(0, dot)); secs && *secs > 0) {
      at = UtcTime{std::chrono::seconds{*secs}};
      time_in_header = true;
    }
    head = head.size() > line.size() ? head.substr(line.size() + 1) : std::string_view{};
    line = first_line(head);
  }
  const auto header = dump_header(line);
  if (!header || header->part != 1) return std::nullopt;
  if (header->reason != "panic" && header->reason != "oops") return std::nullopt;
  SystemMark m;
  m.source = "pstore";
  m.kind = header->reason;
  m.crash = true;
  m.at = at;
  // EFI and ERST names carry the record's own id; ramoops reuses "dmesg-ramoops-0" for each dump,
  // so its header time tells dumps apart (a file's time changes when systemd-pstore archives it).
  m.id = time_in_header ? fmt::format("pstore:{}@{}", name,
                                      std::chrono::duration_cast<std::chrono::seconds>(at->time_since_epoch()).count())
                        : fmt::format("pstore:{}", name);
  return m;
}

std::optional<SystemMark> parse_windows_event_xml(std::string_view xml) {
  const auto id_text = element_text(xml, "EventID");
  const auto created = attribute(xml, "TimeCreated", "SystemTime");
  if (!id_text || !created || created->size() < 19) return std::nullopt;
  const auto id = number<int>(*id_text);
  if (!id) return std::nullopt;
  const std::string provider(attribute(xml, "Provider", "Name").value_or(""));
  const std::string source(attribute(xml, "Provider", "EventSourceName").value_or(""));
  SystemMark m;
  m.source = "windows_event_log";
  if (*id == 41 && provider == "Microsoft-Windows-Kernel-Power") {
    m.kind = "kernel_power_41";
    if (auto code = data_named(xml, "BugcheckCode"))
      if (auto v = hex_or_decimal(*code); v && *v != 0) {
        m.bugcheck_code = v;
        m.crash = true;  // the system stopped on a bug check it could not write as 1001
      }
  } else if (*id == 6008 && provider == "EventLog") {
    m.kind = "eventlog_6008";
  } else if (*id == 1001 && (provider == "Microsoft-Windows-WER-SystemErrorReporting" || source == "BugCheck" ||
                             provider == "BugCheck")) {
    m.kind = "bugcheck";
    m.crash = true;
    if (auto p1 = data_named(xml, "param1")) m.bugcheck_code = hex_or_decimal(*p1);
  } else {
    return std::nullopt;
  }
  m.at = parse_rfc3339(std::string(created->substr(0, 19)) + "Z");
  if (!m.at) return std::nullopt;
  const std::string channel(element_text(xml, "Channel").value_or("System"));
  const std::string record(element_text(xml, "EventRecordID").value_or(""));
  m.id = record.empty() ? fmt::format("winevt:{}:{}:{}", channel, *id, std::string(created->substr(0, 19)))
                        : fmt::format("winevt:{}:{}", channel, record);
  return m;
}

std::string windows_event_query(UtcTime since) {
  return fmt::format("*[System[(EventID=41 or EventID=6008 or EventID=1001) and TimeCreated[@SystemTime>='{}']]]",
                     to_rfc3339_ms(since));
}

}  // namespace itsa::collectors::instability
