// Linux: CLOCK_BOOTTIME counts suspended time, CLOCK_MONOTONIC does not.
#include <time.h>

#include "agent/sleep_clock.hpp"

namespace itsa::agent {
namespace {

std::chrono::nanoseconds read(clockid_t id) {
  timespec t{};
  clock_gettime(id, &t);
  return std::chrono::seconds{t.tv_sec} + std::chrono::nanoseconds{t.tv_nsec};
}

class LinuxSleepClock final : public SleepClock {
 public:
  std::chrono::milliseconds slept_total() const override {
    // MONOTONIC first: a suspend between the two reads then shows now rather than as a negative blip.
    const auto mono = read(CLOCK_MONOTONIC);
    const auto boot = read(CLOCK_BOOTTIME);
    return std::chrono::duration_cast<std::chrono::milliseconds>(boot - mono);
  }
};

}  // namespace

const SleepClock& system_sleep_clock() {
  static const LinuxSleepClock clock;
  return clock;
}

}  // namespace itsa::agent
