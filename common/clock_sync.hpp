#pragma once
// Whether the system clock is synchronised to a time source (NTP / Windows Time), recorded in
// coverage spans and with every outage so a reader knows how far to trust their UTC times.
namespace itsa {

/// True when the OS reports the clock synchronised; false when not or unknown.
bool clock_synchronized();

}  // namespace itsa
