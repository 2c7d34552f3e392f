#pragma once
// The connectivity timeline: observed time, gaps, and each outage coloured by cause, as inline SVG.
#include <string>
#include <vector>

#include "server/web/page.hpp"
#include "server/web/views.hpp"

namespace itsa::server::web {

/// Colour of an outage cause (also used in the legend).
const char* cause_colour(const std::string& cause);
/// An SVG of [from_ms, to_ms) with a legend.
std::string timeline_svg(Lang lang, std::int64_t from_ms, std::int64_t to_ms, const std::vector<Span>& coverage,
                         const std::vector<OutageView>& outages, int utc_offset_min);

}  // namespace itsa::server::web
