#pragma once
// Whether the system clock is synchronised to a time source (NTP), recorded with every
// outage so a reader knows how far to trust its UTC timestamps.
namespace itsa::network {

/// True when the OS reports the clock synchronised; false when not or unknown.
bool clock_synchronized();

}  // namespace itsa::network
