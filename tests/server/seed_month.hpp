#pragma once
// A seeded month for the server's UI and report tests (issue 16 acceptance): 21 PCs on two sites
// over 30 local days (UTC+7) ending at a given instant, in the shapes the agent sends:
//  - Nhà A: 12 PCs, Nhà B: 9 PCs; old (Core 2, 4 GB, HDD, Windows 7: support ended), mid
//    (Windows 10: paid extension only) and new (SSD, Windows 11: supported) machines;
//  - coverage during office hours (07:30-17:00 local, Monday-Friday), PC 20 off for the last week;
//  - pressure_minute and link_minute as 15-minute series during coverage: the old PCs above 90%
//    CPU for a quarter of their minutes, the HDD PCs' system disk 96% busy a quarter of theirs;
//    three PCs with a bad cable (CRC errors, flaps);
//  - outages of every scope: the provider (upstream) at both sites at once on four days (one
//    agency-wide event each), a switch at Nhà B (lan, every PC of the site, 40 minutes), shared
//    equipment at Nhà A (lan, 3 PCs of 12, same minute), the bad-cable PCs alone (link_down),
//    and a DNS failure at Nhà A;
//  - a daily inventory and assessment per PC;
//  - a daily disk_health reading per PC (old PCs failing or worn, PC 2 worn from the 11th working
//    day, PC 20 a virtual disk: unknown); instability: a power cut of Nhà B (every PC on, within
//    40 s), PC 4 down twice after an OS crash, PC 8 down once alone.
// Deterministic: the same `end_ms` gives the same records. What it holds is returned with it, so
// tests assert against the generator's own plan, not hand-copied numbers.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "server/storage/storage.hpp"

namespace itsa::test {

/// One seeded PC.
struct SeedPc {
  std::string agent_id;
  std::string hostname;
  std::string site;
  std::string os_support;       ///< supported | extended | ended
  std::string media;            ///< hdd | ssd
  std::string verdict;          ///< meets | does_not_meet
  bool bad_cable = false;       ///< CRC errors and flaps on its link
  bool heavy = false;           ///< CPU above 90% a quarter of its minutes
  bool off_last_week = false;   ///< switched off for the last 7 days
  std::string disk_verdict;     ///< its system disk by the latest disk_health reading: failing | worn | ok | unknown
  int own_shutdowns = 0;        ///< unexpected shutdowns alone (not in a power cut of its site)
  int power_cut_shutdowns = 0;  ///< unexpected shutdowns in a power cut of its site
  int os_crashes = 0;           ///< os_crash records
};

/// One planned outage event (one record per PC in it).
struct SeedEvent {
  std::string scope;  ///< single_machine | shared_equipment | site_wide | agency_wide
  std::string cause;  ///< link_down | lan | upstream | dns
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::vector<std::string> agent_ids;
};

/// The month: PCs, events and every machine's records.
struct SeedMonth {
  std::vector<SeedPc> pcs;
  std::vector<SeedEvent> events;
  int power_cuts = 0;                                            ///< power cuts planned (shutdowns of a site at once)
  std::map<std::string, std::vector<server::RecordIn>> records;  ///< by agent_id, in seq order
  std::int64_t from_ms = 0;                                      ///< first local midnight (UTC ms)
  std::int64_t end_ms = 0;                                       ///< the end given
};

/// The 30 local days (UTC+7) before `end_ms`'s local day, and that day up to `end_ms`.
SeedMonth seed_month(std::int64_t end_ms);

/// Enrols every PC and ingests its records into `storage` (as the ingest route does).
void load_seed_month(server::Storage& storage, const SeedMonth& month);

}  // namespace itsa::test
