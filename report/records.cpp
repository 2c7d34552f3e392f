#include <chrono>

#include "common/minute_series.hpp"
#include "common/time_format.hpp"
#include "report/model.hpp"

namespace itsa::report {

void add_record(std::vector<Record>& records, Record record) {
  if (!series::is_minute_type(record.type) || !record.payload.contains("minutes")) {
    records.push_back(std::move(record));
    return;
  }
  for (auto& minute : series::expand(record.payload)) {
    const auto start = parse_rfc3339(minute.value("minute", ""));
    Record one{record.type, start ? *start + std::chrono::seconds(59) : record.time, record.seq, record.boot_id,
               std::move(minute)};
    records.push_back(std::move(one));
  }
}

}  // namespace itsa::report
