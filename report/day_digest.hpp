#pragma once
// A machine's report digest per local day, stored by the server and merged into a period's
// (issue 15): a report then reads a few rows per machine and day instead of every record. A
// day's digest is computed from the records made from one day before the day to one day after
// it (the slack the period report reads: a series flushed after midnight, an outage closed the
// next day, a record stamped before a clock correction), so it changes only when a record of
// those days arrives: the server keeps a generation per machine and UTC day of record time and
// recomputes a digest whose generations moved.
// Merging day digests gives the same report as the records of the whole period
// (tests/report/test_day_digest.cpp, tests/server/test_server_day_digests.cpp).
#include <memory>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "report/model.hpp"
#include "report/options.hpp"

namespace itsa::report {

/// What decides a day digest besides the records: the format, counted hours, UTC offset,
/// weekdays and daily windows. A stored digest of another key is never used.
std::string digest_key(const ReportOptions& options);

/// The local days of the options' period, first and last (local_day numbers).
Result<std::pair<long long, long long>> period_days(const ReportOptions& options);

/// UTC ms range of the records a day's digest reads: [day start - one day, day end + one day).
std::pair<long long, long long> day_record_range(const OfficeSchedule& schedule, long long day);

/// One machine's digest for local `day` (its records must be those of day_record_range, any
/// order), serialized. `options` gives the hours and schedule; its period is ignored.
Result<std::string> digest_day(const MachineInput& machine, long long day, const ReportOptions& options);

/// Merges one machine's day digests, in any order, into its period's digest.
class DayDigestMerger {
 public:
  DayDigestMerger();
  ~DayDigestMerger();
  DayDigestMerger(DayDigestMerger&&) noexcept;
  DayDigestMerger& operator=(DayDigestMerger&&) noexcept;
  /// Adds one day's serialized digest; an Error naming the machine when it is malformed.
  Result<void> add(const std::string& day_digest, const std::string& hostname);
  /// Sets machine.digest for the options' period (same digest_key) and frees its records.
  Result<void> finish(MachineInput& machine, const ReportOptions& options);

 private:
  std::unique_ptr<detail::MachineDigest> m_merged;
};

/// Sets machine.digest for the options' period from its days' serialized digests (made with the
/// same digest_key; a missing day is a day without records). An Error names a malformed digest.
Result<void> set_digest_from_days(MachineInput& machine, const std::vector<std::string>& days,
                                  const ReportOptions& options);

}  // namespace itsa::report
