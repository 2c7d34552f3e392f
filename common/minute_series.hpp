#pragma once
// Minute series: how per-minute samples (pressure_minute, link_minute, probe_minute) are
// stored and uploaded. Consecutive minutes of one series key (a probe target, an interface)
// within one aligned window of N minutes become ONE record whose payload keeps the key
// fields as scalars and every other field as an array with one element per minute:
//   {"minute": "<first minute>", "minutes": 3, "target": "icmp://…", "layer": "gateway",
//    "sent": [12, 12, 12], "lost": [0, 1, 0], "rtt_p50_ms": [0.61, 0.58, null], …}
// A payload without "minutes" is a single minute (the original shape). docs/protocol.md.
// Everything that reads minute records calls expand(); the agent builds series with
// SeriesBuilder (store/series_sink.hpp).
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"

namespace itsa::series {

/// The record types kept as minute series. Their names are defined here, below protocol/
/// (protocol/record_types.hpp names them with every other record type).
inline constexpr char pressure_minute_type[] = "pressure_minute";
inline constexpr char link_minute_type[] = "link_minute";
inline constexpr char probe_minute_type[] = "probe_minute";
inline constexpr std::array<std::string_view, 3> minute_types{pressure_minute_type, link_minute_type,
                                                              probe_minute_type};

/// True for the record types that are kept as minute series (minute_types).
bool is_minute_type(std::string_view type);

/// The payload field that tells series of one type apart ("target", "interface"; "" for pressure).
std::string_view key_field(std::string_view type);

/// The per-minute payloads of one record: a series is unrolled into one payload per minute
/// (each with its own "minute"); any other payload comes back as the only element.
/// A malformed series (arrays of the wrong length, no "minute") yields what can be read
/// and never throws: array elements past the end read as null.
std::vector<nlohmann::json> expand(const nlohmann::json& payload);

/// Why a series payload is malformed ("" when fine; a plain minute payload is fine).
std::string check(const nlohmann::json& payload);

/// One series being built: the minutes of one key inside one window.
struct OpenSeries {
  std::string type;
  std::string key;                ///< the key field's value ("" for pressure)
  long long window_start_ms = 0;  ///< start of the aligned window
  long long next_minute_ms = 0;   ///< the minute that would extend it
  UtcTime time;                   ///< time of the latest minute record (the series record's time)
  nlohmann::json payload;         ///< the series payload so far
  int minutes = 0;

  /// Starts a series with its first minute; nullopt when the payload has no readable "minute".
  static std::optional<OpenSeries> start(const std::string& type, UtcTime time, const nlohmann::json& minute_payload,
                                         int window_minutes);
  /// True when `minute_payload` (same type and key) is the next minute of this window.
  bool extends(const nlohmann::json& minute_payload, int window_minutes) const;
  /// Appends the next minute (call only when extends() is true).
  void add(UtcTime time, const nlohmann::json& minute_payload);
  /// True when the window has no minute left after the last one added.
  bool full(int window_minutes) const;
};

/// The start (ms since the epoch) of a minute payload's "minute"; nullopt when unreadable.
std::optional<long long> minute_of(const nlohmann::json& minute_payload);
/// The value of the type's key field in a minute payload ("" for pressure or when absent).
std::string key_of(std::string_view type, const nlohmann::json& minute_payload);

/// The aligned window start (ms since the epoch) of a minute.
long long window_start_ms(long long minute_ms, int window_minutes);

}  // namespace itsa::series
