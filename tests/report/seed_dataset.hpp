#pragma once
// The seeded dataset of the report tests: five machines on two sites over Monday 2026-11-02
// and Tuesday 2026-11-03 (Asia/Ho_Chi_Minh, UTC+7), with answers computed by hand in
// test_report_compute.cpp. Local office hours 07:30-11:30 and 13:30-17:00 are
// 00:30-04:30Z and 06:30-10:00Z.
//
//   HQ/PC-A     observed 07:00-19:00 local both days; outage 11:00-14:00 Mon (link_down),
//               outage 18:00-18:30 Mon (lan, after hours), outage 09:00-09:10 Tue (upstream,
//               emitted open then closed); pressure, link and probe minutes.
//   HQ/PC-B     observed like A; outage 09:00:30-09:12 Tue (upstream).
//   HQ/PC-C     observed like A, clock unsynced on Tuesday; outage 09:01-09:08 Tue (lan).
//   HQ/PC-D     inventoried but off: no coverage at all.
//   Branch/PC-E no inventory; observed 07:30-09:30 Mon; outage 08:00-08:05 Mon (dns).
// Wear and failure (issue 19): system disks A failing (worn Mon, failing Tue: the latest wins),
// B ok, C worn, E unknown (virtual), D never read; A's disk busy >= 90% in 4 of its 10 office
// minutes; A and B down within 1.5 minutes at 19:00 Mon (a power cut of HQ), C down alone after
// an OS crash at 16:00 Mon, E down alone at 03:00 Mon (Branch).
// Boot time and battery wear (latest inventory): A (HDD) boots 150.2, 98.0, 131.5 s and one of
// 140.0 s known by its OS part only (a fifth without a figure): median 135.8 s over 4, a slow
// start; 37 core throttling events. B (SSD, a laptop) boots 35.2, 41.0, 38.4 s: median 38.4;
// battery 27.5 of 50 Wh: 45% worn, 612 cycles. C a laptop whose battery gives only wear_pct
// 12.3; D no boot, no battery; E no inventory.
#include <string>

#include "report/model.hpp"

namespace itsa::report::test {

/// The dataset above.
ReportInput seed_dataset();
/// A record of `type` at RFC 3339 `time` with `payload`.
Record make_record(const std::string& type, const std::string& time, long long seq, nlohmann::json payload);

}  // namespace itsa::report::test
