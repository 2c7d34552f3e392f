#include <windows.h>

#include "agent/clock_sync.hpp"

namespace itsa::agent {

bool clock_synchronized() {
  // Adjustment disabled = the time service is steering the clock (w32time running).
  DWORD adjustment = 0, increment = 0;
  BOOL disabled = TRUE;
  if (!GetSystemTimeAdjustment(&adjustment, &increment, &disabled)) return false;
  return disabled == FALSE;
}

}  // namespace itsa::agent
