#pragma once
// RFC 3339 / ISO 8601 time formats in UTC.
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"

namespace itsa {

/// "2026-11-27T12:34:56Z" (seconds precision, UTC).
std::string to_rfc3339(UtcTime t);
/// "2026-11-27T12:34:56.789Z" (milliseconds, UTC).
std::string to_rfc3339_ms(UtcTime t);
/// Parses "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)" or "YYYY-MM-DD" (midnight UTC); nullopt when malformed.
std::optional<UtcTime> parse_rfc3339(std::string_view text);
/// Unix seconds <-> time point.
inline long long to_unix_s(UtcTime t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
inline long long to_unix_ms(UtcTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline UtcTime from_unix_ms(long long ms) {
  return UtcTime{std::chrono::milliseconds{ms}};
}

}  // namespace itsa
