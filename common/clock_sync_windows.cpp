#include <windows.h>

#include "common/clock_sync.hpp"

namespace itsa {

bool clock_synchronized() {
  // Time adjustments are active only while the Windows Time service disciplines the clock.
  // GetSystemTimeAdjustment (not ...Precise: mingw-w64 10 does not declare it) gives the flag.
  DWORD adjustment = 0, increment = 0;
  BOOL disabled = TRUE;
  if (!GetSystemTimeAdjustment(&adjustment, &increment, &disabled)) return false;
  return disabled == FALSE;
}

}  // namespace itsa
