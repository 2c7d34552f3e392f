#include <sys/timex.h>

#include "agent/clock_sync.hpp"

namespace itsa::agent {

bool clock_synchronized() {
  struct timex tx {};
  const int state = ::adjtimex(&tx);
  return state != -1 && state != TIME_ERROR && (tx.status & STA_UNSYNC) == 0;
}

}  // namespace itsa::agent
