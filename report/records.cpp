#include <chrono>

#include "common/minute_series.hpp"
#include "common/time_format.hpp"
#include "report/model.hpp"

namespace itsa::report {

void add_record(std::vector<Record>& records, Record record) {
  // Minute series stay one record: the report walks their minutes in place (minutes.hpp).
  records.push_back(std::move(record));
}

}  // namespace itsa::report
