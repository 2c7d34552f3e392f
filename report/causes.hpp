#pragma once
// The outage causes the report counts, in the order it shows them (docs/network.md "Causes").
// `unknown`: the agent could not prove where the path broke; counted apart, never as LAN.
#include <array>

namespace itsa::report {

inline constexpr std::array<const char*, 5> k_outage_causes{"link_down", "lan", "upstream", "dns", "unknown"};

}  // namespace itsa::report
