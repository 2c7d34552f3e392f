#pragma once
// Whether the system clock is synchronised (NTP), recorded in `coverage` spans.
namespace itsa::agent {

/// True when the OS reports the clock synchronised; false when not or unknown.
bool clock_synchronized();

}  // namespace itsa::agent
