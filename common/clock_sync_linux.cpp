#include <sys/timex.h>

#include "common/clock_sync.hpp"

namespace itsa {

bool clock_synchronized() {
  timex tx{};
  const int state = ::adjtimex(&tx);
  return state != -1 && state != TIME_ERROR && (tx.status & STA_UNSYNC) == 0;
}

}  // namespace itsa
