#pragma once
// How long the system has been suspended (sleep, hibernation) since boot: the gap between a clock
// that keeps counting through a suspend and one that stops. The daemon reads it every few seconds;
// a growth means the machine slept in between. Injectable, so tests drive a suspend by hand.
#include <chrono>

namespace itsa::agent {

class SleepClock {
 public:
  virtual ~SleepClock() = default;
  /// Total suspended time since boot (Linux CLOCK_BOOTTIME - CLOCK_MONOTONIC; Windows
  /// GetTickCount64 - QueryUnbiasedInterruptTime). Only its growth matters.
  virtual std::chrono::milliseconds slept_total() const = 0;
};

/// The real one of this platform.
const SleepClock& system_sleep_clock();

}  // namespace itsa::agent
