#include "collectors/network/ndis_parse.hpp"

#include <algorithm>
#include <climits>

namespace itsa::network::ndis {

namespace {

std::uint32_t u32(const Bytes& b, std::size_t at) {
  return static_cast<std::uint32_t>(b[at]) | static_cast<std::uint32_t>(b[at + 1]) << 8 |
         static_cast<std::uint32_t>(b[at + 2]) << 16 | static_cast<std::uint32_t>(b[at + 3]) << 24;
}

std::uint64_t u64(const Bytes& b, std::size_t at) {
  return static_cast<std::uint64_t>(u32(b, at)) | static_cast<std::uint64_t>(u32(b, at + 4)) << 32;
}

// A link speed in bits per second as Mb/s; nullopt for 0 and NDIS_LINK_SPEED_UNKNOWN (all ones).
std::optional<int> mbps(std::uint64_t bps) {
  if (bps == 0 || bps == ~std::uint64_t{0}) return std::nullopt;
  const std::uint64_t m = bps / 1'000'000;
  if (m == 0 || m > static_cast<std::uint64_t>(INT_MAX)) return std::nullopt;
  return static_cast<int>(m);
}

// The NDIS_OBJECT_HEADER {UCHAR Type; UCHAR Revision; USHORT Size} of a revision-1 object.
Result<void> check_header(const Bytes& b, std::size_t rev1_size, const char* oid, const char* type) {
  if (b.size() < rev1_size)
    return Error{std::string(oid) + ": " + std::to_string(b.size()) + " bytes, shorter than " + type + " (" +
                 std::to_string(rev1_size) + ")"};
  const unsigned size = static_cast<unsigned>(b[2]) | static_cast<unsigned>(b[3]) << 8;
  if (b[0] != k_object_type_default || b[1] < 1 || size < rev1_size || size > b.size())
    return Error{std::string(oid) + ": not an " + type + " (header type " + std::to_string(b[0]) + ", revision " +
                 std::to_string(b[1]) + ", size " + std::to_string(size) + ")"};
  return ok();
}

// ASCII only, whatever the C locale (and no C runtime import the Windows agent lacks).
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
char to_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string duplex_name(std::uint32_t v) {
  return v == 2 ? "full" : v == 1 ? "half" : "";  // NET_IF_MEDIA_DUPLEX_STATE: 0 unknown, 1 half, 2 full
}

}  // namespace

Result<LinkState> parse_link_state(const Bytes& b) {
  if (auto h = check_header(b, k_link_state_size_rev1, "OID_GEN_LINK_STATE", "NDIS_LINK_STATE"); !h) return h.error();
  LinkState s;
  const std::uint32_t connect = u32(b, 4);  // NET_IF_MEDIA_CONNECT_STATE: 0 unknown, 1 connected, 2 disconnected
  s.connect = connect == 1 ? "connected" : connect == 2 ? "disconnected" : "";
  s.duplex = duplex_name(u32(b, 8));
  s.xmit_mbps = mbps(u64(b, 16));  // ULONG64 at 16: aligned after the 12 bytes before it
  s.rcv_mbps = mbps(u64(b, 24));
  return s;
}

Result<int> parse_max_link_speed(const Bytes& b) {
  if (b.size() < k_link_speed_size)
    return Error{"OID_GEN_MAX_LINK_SPEED: " + std::to_string(b.size()) + " bytes, shorter than NDIS_LINK_SPEED (16)"};
  auto xmit = mbps(u64(b, 0));
  auto rcv = mbps(u64(b, 8));
  if (!xmit && !rcv) return Error{"OID_GEN_MAX_LINK_SPEED: the driver reports no speed (0 or unknown)"};
  return std::max(xmit.value_or(0), rcv.value_or(0));
}

Result<std::string> parse_duplex_state(const Bytes& b) {
  if (b.size() < 4)
    return Error{"OID_GEN_MEDIA_DUPLEX_STATE: " + std::to_string(b.size()) + " bytes, shorter than a ULONG"};
  const std::uint32_t v = u32(b, 0);
  if (v > 2) return Error{"OID_GEN_MEDIA_DUPLEX_STATE: unknown value " + std::to_string(v)};
  return duplex_name(v);
}

Result<std::uint64_t> parse_counter(const Bytes& b, const char* oid_name) {
  if (b.size() == 8) return u64(b, 0);
  if (b.size() == 4) return static_cast<std::uint64_t>(u32(b, 0));
  return Error{std::string(oid_name) + ": " + std::to_string(b.size()) + " bytes, not a ULONG (4) or ULONG64 (8)"};
}

Result<Statistics> parse_statistics(const Bytes& b) {
  if (auto h = check_header(b, k_statistics_size_rev1, "OID_GEN_STATISTICS", "NDIS_STATISTICS_INFO"); !h)
    return h.error();
  const std::uint32_t valid = u32(b, 4);  // SupportedStatistics: NDIS_STATISTICS_FLAGS_VALID_*
  Statistics s;
  if (valid & 0x10u) s.rx_discards = u64(b, 8);     // RCV_DISCARDS: ifInDiscards
  if (valid & 0x20u) s.rx_errors = u64(b, 16);      // RCV_ERROR: ifInErrors
  if (valid & 0x400u) s.tx_errors = u64(b, 88);     // XMIT_ERROR: ifOutErrors
  if (valid & 0x8000u) s.tx_discards = u64(b, 96);  // XMIT_DISCARDS: ifOutDiscards
  return s;
}

std::optional<int> speed_duplex_value_mbps(const std::string& value) {
  if (value.empty() || value.size() > 9 || !std::all_of(value.begin(), value.end(), [](char c) { return is_digit(c); }))
    return std::nullopt;
  const int v = std::stoi(value);
  // Microsoft's standardized *SpeedDuplex values: 1/2 = 10 Mb/s half/full, 3/4 = 100, 5/6 = 1 Gb/s,
  // 7 = 10 Gb/s, 8 = 20, 9 = 40, 10 = 100 Gb/s; any other speed is the value itself in Mb/s (>= 1000).
  static constexpr int k_table[] = {0, 10, 10, 100, 100, 1000, 1000, 10'000, 20'000, 40'000, 100'000};
  if (v >= 1 && v <= 10) return k_table[v];
  if (v >= 1000) return v;
  return std::nullopt;
}

namespace {

// The fastest "<number> Gbps|Mbps" (also "Gbit/s", "Gb", "2,5 Gbit") named in a driver's text.
std::optional<int> speed_in_text(const std::string& text) {
  std::optional<int> best;
  const auto lower = [&](std::size_t i) { return to_lower(text[i]); };
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!is_digit(text[i]) || (i > 0 && is_alnum(text[i - 1]))) continue;
    double value = 0;
    std::size_t j = i;
    while (j < text.size() && is_digit(text[j])) value = value * 10 + (text[j++] - '0');
    if (j + 1 < text.size() && (text[j] == '.' || text[j] == ',') && is_digit(text[j + 1])) {
      double scale = 0.1;
      for (++j; j < text.size() && is_digit(text[j]); ++j, scale /= 10) value += (text[j] - '0') * scale;
    }
    while (j < text.size() && text[j] == ' ') ++j;
    if (j + 1 >= text.size() || lower(j + 1) != 'b') continue;
    const char unit = lower(j);
    double m = unit == 'g' ? value * 1000 : unit == 'm' ? value : 0;
    if (m >= 1 && m <= 10'000'000) {
      const int speed = static_cast<int>(m + 0.5);
      if (!best || speed > *best) best = speed;
    }
    i = j;
  }
  return best;
}

}  // namespace

std::optional<int> max_speed_from_speed_duplex(const std::vector<SpeedDuplexMode>& modes) {
  std::optional<int> best;
  for (const auto& m : modes) {
    auto speed = speed_duplex_value_mbps(m.value);
    if (!speed && m.value != "0") speed = speed_in_text(m.description);  // a driver's own value
    if (speed && (!best || *speed > *best)) best = speed;
  }
  return best;
}

Evidence decode(const Answers& a, bool connected) {
  Evidence e;
  auto& notes = e.notes;
  const bool opened = a.open_error.empty();
  if (!opened)
    notes.push_back("NDIS: the adapter's device could not be opened (" + a.open_error +
                    "): duplex, CRC and alignment errors unknown");
  const auto failed = [&](const Result<Bytes>& r, const char* oid) {
    if (opened) notes.push_back(std::string(oid) + ": " + r.error().message);
  };

  std::string duplex_from_state;
  if (a.link_state) {
    if (auto s = parse_link_state(a.link_state.value())) {
      e.speed_mbps = s.value().rcv_mbps ? s.value().rcv_mbps : s.value().xmit_mbps;
      duplex_from_state = s.value().duplex;
    } else {
      notes.push_back(s.error().message);
    }
  } else {
    failed(a.link_state, "OID_GEN_LINK_STATE");
  }
  e.duplex = duplex_from_state;
  if (e.duplex.empty() && a.duplex_state) {
    if (auto d = parse_duplex_state(a.duplex_state.value()))
      e.duplex = d.value();
    else
      notes.push_back(d.error().message);
  }
  if (e.duplex.empty() && connected && opened)
    notes.push_back("duplex: the driver reports none (OID_GEN_LINK_STATE, OID_GEN_MEDIA_DUPLEX_STATE)");

  if (a.max_link_speed) {
    if (auto m = parse_max_link_speed(a.max_link_speed.value())) {
      e.max_speed_mbps = m.value();
      e.max_speed_source = "OID_GEN_MAX_LINK_SPEED";
    } else {
      notes.push_back(m.error().message);
    }
  }
  if (!e.max_speed_mbps) {
    if (auto m = max_speed_from_speed_duplex(a.speed_duplex_modes)) {
      e.max_speed_mbps = m;
      e.max_speed_source = "registry *SpeedDuplex";
    } else {
      notes.push_back(std::string("max_speed_mbps: unknown (") +
                      (opened && !a.max_link_speed
                           ? "OID_GEN_MAX_LINK_SPEED: " + a.max_link_speed.error().message + "; "
                           : std::string()) +
                      (a.speed_duplex_modes.empty() ? "no *SpeedDuplex modes in the adapter's registry key"
                                                    : "no speed in the adapter's *SpeedDuplex modes") +
                      ")");
    }
  }
  if (!a.speed_duplex_configured.empty() && a.speed_duplex_configured != "0") {
    std::string text = a.speed_duplex_configured;
    for (const auto& m : a.speed_duplex_modes)
      if (m.value == a.speed_duplex_configured) text += " \"" + m.description + "\"";
    notes.push_back("speed and duplex are fixed in the adapter's settings (*SpeedDuplex = " + text +
                    "), not auto-negotiated: a speed below the maximum may be set by hand");
  }

  if (a.rcv_crc_error) {
    if (auto c = parse_counter(a.rcv_crc_error.value(), "OID_GEN_RCV_CRC_ERROR"))
      e.rx_crc_errors = c.value();
    else
      notes.push_back(c.error().message);
  } else if (opened) {
    notes.push_back("rx_crc_errors: the driver does not answer OID_GEN_RCV_CRC_ERROR (" +
                    a.rcv_crc_error.error().message + ")");
  }
  if (a.rcv_error_alignment) {
    if (auto c = parse_counter(a.rcv_error_alignment.value(), "OID_802_3_RCV_ERROR_ALIGNMENT"))
      e.rx_alignment_errors = c.value();
    else
      notes.push_back(c.error().message);
  } else if (opened) {
    notes.push_back("rx_frame_errors: the driver does not answer OID_802_3_RCV_ERROR_ALIGNMENT (" +
                    a.rcv_error_alignment.error().message + ")");
  }
  if (a.statistics) {
    if (auto s = parse_statistics(a.statistics.value()))
      e.statistics = s.value();
    else
      notes.push_back(s.error().message);
  } else {
    failed(a.statistics, "OID_GEN_STATISTICS");
  }
  return e;
}

void apply(const Evidence& e, LinkSnapshot& s) {
  if (s.carrier && !s.speed_mbps) s.speed_mbps = e.speed_mbps;
  s.duplex = s.carrier ? e.duplex : "";
  s.max_speed_mbps = e.max_speed_mbps;
  s.counters.rx_crc_errors = e.rx_crc_errors;
  s.counters.rx_frame_errors = e.rx_alignment_errors;
  s.notes = e.notes;
}

}  // namespace itsa::network::ndis
