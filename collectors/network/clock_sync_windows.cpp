#include <windows.h>

#include "collectors/network/clock_sync.hpp"

namespace itsa::network {

bool clock_synchronized() {
  // Windows Time service: time adjustments are active only when it disciplines the clock.
  // GetSystemTimeAdjustment (not ...Precise: mingw-w64 10 does not declare it) gives the same flag.
  DWORD adjustment = 0, increment = 0;
  BOOL disabled = TRUE;
  if (!GetSystemTimeAdjustment(&adjustment, &increment, &disabled)) return false;
  return disabled == FALSE;
}

}  // namespace itsa::network
