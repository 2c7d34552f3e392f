#include <doctest/doctest.h>

#include "common/clock.hpp"
#include "common/time_format.hpp"

using namespace itsa;

TEST_CASE("RFC 3339 formatting and parsing round-trip in UTC") {
  const auto t = from_unix_ms(1'764'245'696'789);  // 2025-11-27T12:14:56.789Z
  CHECK(to_rfc3339(t) == "2025-11-27T12:14:56Z");
  CHECK(to_rfc3339_ms(t) == "2025-11-27T12:14:56.789Z");
  CHECK(parse_rfc3339("2025-11-27T12:14:56.789Z") == t);
  CHECK(parse_rfc3339("2025-11-27T19:14:56.789+07:00") == t);
  CHECK(to_unix_s(*parse_rfc3339("1970-01-02")) == 86400);
  CHECK_FALSE(parse_rfc3339("2025-13-01T00:00:00Z"));
  CHECK_FALSE(parse_rfc3339("2025-11-27T12:14:56"));
  CHECK_FALSE(parse_rfc3339("yesterday"));
  // Years a 64-bit nanosecond time point cannot hold are not times (no overflow, UBSan-clean).
  CHECK_FALSE(parse_rfc3339("0001-01-01T00:00:00Z"));
  CHECK_FALSE(parse_rfc3339("9999-12-31T23:59:59Z"));
  CHECK_FALSE(parse_rfc3339("1677-01-01"));
  CHECK(parse_rfc3339("2261-12-31T23:59:59Z"));
  CHECK(to_rfc3339(from_unix_ms(-1500)) == "1969-12-31T23:59:58Z");
}

TEST_CASE("ManualClock moves both clocks; jump_utc only the wall clock") {
  ManualClock clock;
  const auto u0 = clock.utc_now();
  const auto m0 = clock.mono_now();
  clock.advance(std::chrono::seconds(5));
  CHECK(clock.utc_now() - u0 == std::chrono::seconds(5));
  CHECK(clock.mono_now() - m0 == std::chrono::seconds(5));
  clock.jump_utc(std::chrono::hours(-1));
  CHECK(clock.mono_now() - m0 == std::chrono::seconds(5));
  CHECK(clock.utc_now() - u0 == std::chrono::seconds(5) - std::chrono::hours(1));
}
