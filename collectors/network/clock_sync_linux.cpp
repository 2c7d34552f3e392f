#include <sys/timex.h>

#include "collectors/network/clock_sync.hpp"

namespace itsa::network {

bool clock_synchronized() {
  timex tx{};
  int state = ::adjtimex(&tx);
  return state != -1 && state != TIME_ERROR && (tx.status & STA_UNSYNC) == 0;
}

}  // namespace itsa::network
