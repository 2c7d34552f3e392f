#pragma once
// The physical-layer part of the "network" section: per machine and interface link figures
// (links[], links_summary) and per machine the cabling evidence (cabling[]): short drops on
// wired links (flaps, link_down and lan blips), CRC/alignment errors, speed downgrades; Wi-Fi
// disconnects and a constant speed below the card's maximum shown apart (docs/report.md).
// Internal to the report, like compute_detail.hpp.
#include <nlohmann/json.hpp>

#include "report/compute_detail.hpp"

namespace itsa::report::detail {

/// Short drops a day (observed days) on one PC's wired link that are evidence of its cable.
inline constexpr double k_cabling_drops_per_day = 3.0;
/// CRC/alignment errors in at least this many distinct minutes: errors that keep growing.
inline constexpr int k_cabling_crc_minutes = 2;
/// Carrier losses and speed changes this close to a suspend or resume are the power cycle.
inline constexpr long long k_resume_grace_ms = 10'000;

/// {"links": [...], "links_summary": {...}, "cabling": [...]} of the machines in the context.
nlohmann::json compute_links(const Context& ctx);

/// The cabling survey list (issue 16 item 12): the PCs whose evidence points at their cable or
/// port, ranked, with the paragraph for section II.5 and the request for section III in the
/// report's language. `single_pc_outages` = per machine index, its link_down/lan outages that
/// were events of that PC alone.
nlohmann::json cabling_survey(const Context& ctx, const nlohmann::json& cabling,
                              const std::vector<long long>& single_pc_outages);

}  // namespace itsa::report::detail
