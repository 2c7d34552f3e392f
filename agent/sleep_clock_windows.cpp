// Windows: GetTickCount64 counts suspended time, the unbiased interrupt time does not.
#include <windows.h>

#include <realtimeapiset.h>

#include "agent/sleep_clock.hpp"

namespace itsa::agent {
namespace {

class WindowsSleepClock final : public SleepClock {
 public:
  std::chrono::milliseconds slept_total() const override {
    ULONGLONG unbiased_100ns = 0;
    QueryUnbiasedInterruptTime(&unbiased_100ns);
    const ULONGLONG ticks_ms = GetTickCount64();
    return std::chrono::milliseconds{static_cast<long long>(ticks_ms) -
                                     static_cast<long long>(unbiased_100ns / 10'000)};
  }
};

}  // namespace

const SleepClock& system_sleep_clock() {
  static const WindowsSleepClock clock;
  return clock;
}

}  // namespace itsa::agent
