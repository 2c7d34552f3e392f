#include "common/clock.hpp"

namespace itsa {

const SystemClock& SystemClock::instance() {
  static const SystemClock clock;
  return clock;
}

}  // namespace itsa
