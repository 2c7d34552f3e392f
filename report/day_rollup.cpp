#include "report/day_rollup.hpp"

#include <algorithm>

#include "protocol/payloads.hpp"
#include "protocol/record_types.hpp"
#include "report/minutes.hpp"

namespace itsa::report {

namespace {

namespace rt = itsa::protocol::record_type;
namespace lk = itsa::protocol::link_minute_key;

constexpr long long k_day_ms = 86'400'000;

long long day_of(long long minute_ms, int utc_offset_min) {
  const long long local = minute_ms + static_cast<long long>(utc_offset_min) * 60'000;
  return local >= 0 ? local / k_day_ms : (local - k_day_ms + 1) / k_day_ms;
}

long long count(const MinuteView& v, const char* key) {
  return static_cast<long long>(std::max(0.0, v.number(key).value_or(0)));
}

}  // namespace

DayCounters& DayCounters::operator+=(const DayCounters& o) {
  pressure_minutes += o.pressure_minutes;
  cpu_over_minutes += o.cpu_over_minutes;
  mem_over_minutes += o.mem_over_minutes;
  load_over_minutes += o.load_over_minutes;
  link_minutes += o.link_minutes;
  link_flaps += o.link_flaps;
  rx_crc_errors += o.rx_crc_errors;
  crc_error_minutes += o.crc_error_minutes;
  return *this;
}

bool feeds_day_counters(std::string_view type) {
  return type == rt::pressure_minute || type == rt::link_minute;
}

void add_day_counters(const Record& record, int utc_offset_min, std::map<long long, DayCounters>& days) {
  if (record.type == rt::pressure_minute) {
    for_each_minute(record, [&](const MinuteView& v) {
      DayCounters& d = days[day_of(v.minute_ms(), utc_offset_min)];
      ++d.pressure_minutes;
      const PressureOver over = pressure_over(v);  // the report's threshold
      d.cpu_over_minutes += over.cpu ? 1 : 0;
      d.mem_over_minutes += over.mem ? 1 : 0;
      d.load_over_minutes += over.either() ? 1 : 0;
    });
  } else if (record.type == rt::link_minute) {
    for_each_minute(record, [&](const MinuteView& v) {
      DayCounters& d = days[day_of(v.minute_ms(), utc_offset_min)];
      ++d.link_minutes;
      d.link_flaps += count(v, lk::flaps);
      const long long crc = count(v, lk::rx_crc_errors) + count(v, lk::rx_frame_errors);
      d.rx_crc_errors += crc;
      d.crc_error_minutes += crc > 0 ? 1 : 0;
    });
  }
}

}  // namespace itsa::report
