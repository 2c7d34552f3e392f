// The portable half of history (see history.hpp): System-log event XML, kernel messages and
// journal exports. Nothing here reads a file or calls the system.
#include <algorithm>
#include <cctype>
#include <cstdint>

#include <fmt/format.h>

#include "collectors/eventlog/event_xml.hpp"
#include "collectors/history/history.hpp"
#include "common/time_format.hpp"

namespace itsa::collectors::history {
namespace {

namespace kind = protocol::history_kind;
using eventlog::attribute;
using eventlog::data_at;
using eventlog::decimal;
using eventlog::element_text;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

bool contains(std::string_view s, std::string_view p) {
  return s.find(p) != std::string_view::npos;
}

// Intel's NDIS miniport drivers name their event source after the driver: e1express, e1cexpress,
// e1dexpress, e1iexpress, e1rexpress, e1qexpress, ... (Intel PROSet event log messages: 27
// "Network link is disconnected", 32 "Network link has been established").
bool intel_nic(const std::string& provider) {
  const std::string p = lower(provider);
  return starts_with(p, "e1") && p.size() >= 9 && p.substr(p.size() - 7) == "express";
}

// Realtek's PCIe GbE/FE drivers: rt640x64, rt630x64, rt68cx21x64, rtnicxp, rt86win7, Rtenic, RTL8023xp ...
// (their 27 "Network link is disconnected" and 32 "Network link is established", as Intel's).
bool realtek_nic(const std::string& provider) {
  const std::string p = lower(provider);
  return starts_with(p, "rt6") || starts_with(p, "rt8") || starts_with(p, "rtnic") || starts_with(p, "rtenic") ||
         starts_with(p, "rtl8");
}

// The adapter's name as the driver event carries it: the first <Data> that is a name, not a
// device path ("\Device\NDMP7", "\DEVICE\{GUID}") nor a number. A short printable string only.
std::optional<std::string> adapter_in(std::string_view xml) {
  for (std::size_t i = 0; i < 4; ++i) {
    const auto d = data_at(xml, i);
    if (!d) break;
    std::string_view s = *d;
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    if (s.empty() || s.size() > 120 || s.front() == '\\' || s.front() == '{' || decimal(s)) continue;
    if (std::any_of(s.begin(), s.end(), [](char c) { return c == '<' || c == '\\' || c == '\n' || c == '\r'; }))
      continue;
    return std::string(s);
  }
  return std::nullopt;
}

}  // namespace

std::optional<LogEvent> parse_windows_event(std::string_view xml) {
  const auto id_text = element_text(xml, "EventID");
  const auto created = attribute(xml, "TimeCreated", "SystemTime");
  if (!id_text || !created || created->size() < 19) return std::nullopt;
  const auto id = decimal(*id_text);
  if (!id) return std::nullopt;
  std::string provider(attribute(xml, "Provider", "Name").value_or(""));
  const std::string source(attribute(xml, "Provider", "EventSourceName").value_or(""));
  if (provider.empty()) provider = source;
  if (provider.empty()) return std::nullopt;
  LogEvent e;
  e.source = protocol::history_source::windows_system_log;
  e.provider = provider;
  e.event_id = static_cast<int>(*id);
  if ((*id == 27 || *id == 32) && (intel_nic(provider) || realtek_nic(provider))) {
    e.kind = *id == 27 ? kind::link_down : kind::link_up;
    e.adapter = adapter_in(xml);
  } else if ((*id == 10400 || *id == 10317) && provider == "Microsoft-Windows-NDIS") {
    e.kind = kind::nic_reset;
    e.adapter = adapter_in(xml);
  } else if (*id == 41 && provider == "Microsoft-Windows-Kernel-Power") {
    e.kind = kind::unexpected_shutdown;
  } else if (*id == 6008 && provider == "EventLog") {
    e.kind = kind::unexpected_shutdown;
  } else if (*id == 1001 && (provider == "Microsoft-Windows-WER-SystemErrorReporting" || provider == "BugCheck" ||
                             source == "BugCheck")) {
    e.kind = kind::crash;
  } else {
    return std::nullopt;
  }
  const auto at = parse_rfc3339(std::string(created->substr(0, 19)) + "Z");
  if (!at) return std::nullopt;
  e.at = *at;
  return e;
}

std::string windows_query(UtcTime since, UtcTime until) {
  return fmt::format(
      "*[System[(EventID=27 or EventID=32 or EventID=10400 or EventID=10317 or EventID=41 or EventID=6008 or "
      "EventID=1001) and TimeCreated[@SystemTime>'{}' and @SystemTime<='{}']]]",
      to_rfc3339_ms(since), to_rfc3339_ms(until));
}

std::optional<LogEvent> parse_kernel_message(std::string_view message, UtcTime at) {
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r' || message.back() == ' '))
    message.remove_suffix(1);
  const std::string text = lower(message);
  LogEvent e;
  e.source = protocol::history_source::linux_journal;
  e.at = at;
  if (starts_with(text, "netdev watchdog: ")) {
    // "NETDEV WATCHDOG: enp2s0 (r8169): transmit queue 0 timed out"
    e.kind = kind::nic_reset;
    std::string_view rest = message.substr(17);
    const auto space = rest.find(' ');
    const auto colon = rest.find(':');
    const auto name_end = std::min(space, colon);
    if (name_end != std::string_view::npos && name_end > 0) e.adapter = std::string(rest.substr(0, name_end));
    const auto open = rest.find('(');
    const auto close = rest.find(')');
    if (open != std::string_view::npos && close != std::string_view::npos && close > open + 1 && close < colon)
      e.provider = std::string(rest.substr(open + 1, close - open - 1));
    return e;
  }
  if (starts_with(text, "kernel panic - not syncing")) {
    e.kind = kind::crash;
    return e;
  }
  // "<driver> <bus id> <ifname>: <text>" (dev_info/netdev_info), e.g.
  // "r8169 0000:02:00.0 enp2s0: Link is Down", "e1000e 0000:00:19.0 eno1: NIC Link is Up 1000 Mbps ...",
  // or "<driver>: <ifname> NIC Link is Down" (older e1000e/igb: "e1000e: eth0 NIC Link is Down").
  const auto colon = message.find(": ");
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string body = text.substr(colon + 2);
  std::string_view head = message.substr(0, colon);
  std::string_view tail = message.substr(colon + 2);
  std::string what;
  if (starts_with(body, "link is down") || starts_with(body, "nic link is down") || contains(body, " nic link is down"))
    what = kind::link_down;
  else if (starts_with(body, "link is up") || starts_with(body, "nic link is up") || contains(body, " nic link is up"))
    what = kind::link_up;
  else if (starts_with(body, "detected hardware unit hang") || starts_with(body, "reset adapter"))
    what = kind::nic_reset;
  else
    return std::nullopt;
  e.kind = what;
  const auto first_space = head.find(' ');
  const auto last_space = head.rfind(' ');
  if (first_space != std::string_view::npos) {
    e.provider = std::string(head.substr(0, first_space));
    e.adapter = std::string(head.substr(last_space + 1));
  } else {
    e.provider = std::string(head);
    const auto space = tail.find(' ');
    if (space != std::string_view::npos && space > 0 && !starts_with(lower(tail), "nic link") &&
        !starts_with(lower(tail), "link"))
      e.adapter = std::string(tail.substr(0, space));
  }
  return e;
}

JournalParse parse_journal_export(std::string_view text) {
  JournalParse out;
  struct Entry {
    std::optional<std::int64_t> realtime_us;
    std::optional<std::string> message;
    std::optional<std::string> transport;
    bool any = false;
  } entry;
  auto finish = [&] {
    if (!entry.any) return;
    ++out.entries;
    if (entry.message && entry.realtime_us && (!entry.transport || *entry.transport == "kernel"))
      if (auto e = parse_kernel_message(*entry.message, UtcTime{std::chrono::microseconds{*entry.realtime_us}}))
        out.events.push_back(std::move(*e));
    entry = Entry{};
  };
  std::size_t at = 0;
  std::size_t bad = 0;
  while (at < text.size()) {
    const auto nl = text.find('\n', at);
    const std::string_view line = text.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at);
    if (nl == std::string_view::npos) {
      if (!line.empty()) out.note = "journal export cut short inside an entry: its last field was not read";
      break;
    }
    at = nl + 1;
    if (line.empty()) {
      finish();
      continue;
    }
    std::string name;
    std::string value;
    const auto eq = line.find('=');
    if (eq != std::string_view::npos) {
      name = std::string(line.substr(0, eq));
      value = std::string(line.substr(eq + 1));
    } else {
      // A binary field: the name, a newline, a 64-bit little-endian size, the bytes, a newline.
      name = std::string(line);
      if (text.size() - at < 8) {
        out.note = "journal export cut short inside a binary field";
        at = text.size();
        break;
      }
      std::uint64_t size = 0;
      for (int i = 7; i >= 0; --i)
        size = (size << 8) | static_cast<unsigned char>(text[at + static_cast<std::size_t>(i)]);
      at += 8;
      if (size > text.size() - at) {
        out.note = "journal export cut short inside a binary field";
        at = text.size();
        break;
      }
      value = std::string(text.substr(at, static_cast<std::size_t>(size)));
      at += static_cast<std::size_t>(size);
      if (at < text.size() && text[at] == '\n') ++at;
    }
    const bool field_name = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';  // no <cctype>: the Windows imports
    });
    if (!field_name) {
      ++bad;
      continue;
    }
    entry.any = true;
    if (name == "MESSAGE")
      entry.message = std::move(value);
    else if (name == "_TRANSPORT")
      entry.transport = std::move(value);
    else if (name == "__REALTIME_TIMESTAMP")
      entry.realtime_us = decimal(value);
  }
  finish();
  if (bad > 0)
    out.note +=
        fmt::format("{}{} line(s) are not journal export fields (not an export?)", out.note.empty() ? "" : "; ", bad);
  return out;
}

}  // namespace itsa::collectors::history
