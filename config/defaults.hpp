#pragma once
// Defaults that are also needed outside the key table: the typed config's member defaults
// (agent_config.hpp) and the report's method section (report/compute_scope.cpp) print them.
// The key table (schema.cpp) takes them from here, so each is written once.

namespace itsa::config::defaults {

inline constexpr int probe_interval_s = 5;  ///< probes.interval_s
inline constexpr int probe_down_after = 2;  ///< probes.down_after
inline constexpr int probe_up_after = 2;    ///< probes.up_after

}  // namespace itsa::config::defaults
