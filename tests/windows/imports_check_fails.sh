#!/usr/bin/env bash
# A test of the import check (issue 18): an executable that imports a Windows 8 function
# (GetFirmwareType) must fail scripts/check-win-imports, and so must an allow-list that lets
# a Windows 8 function in; the same executable without it passes.
#   imports_check_fails.sh CC REPO WORKDIR
set -euo pipefail
cc=$1 repo=$2 work=$3
mkdir -p "$work"
cat >"$work/probe.c" <<'C'
#define _WIN32_WINNT 0x0602
#include <windows.h>
int main(void) {
#ifdef USE_WIN8
  FIRMWARE_TYPE t;
  return GetFirmwareType(&t) ? 0 : 1;
#else
  return (int)GetTickCount();
#endif
}
C
"$cc" -O1 -o "$work/probe7.exe" "$work/probe.c"
"$cc" -O1 -DUSE_WIN8 -o "$work/probe8.exe" "$work/probe.c"
allow=$work/allowed.txt
# The probe's own imports (C runtime start-up included), all allowed as Windows XP ...
objdump=x86_64-w64-mingw32-objdump; [[ "$(basename "$cc")" == i686* ]] && objdump=i686-w64-mingw32-objdump
"$objdump" -p "$work/probe7.exe" | awk '/^[[:space:]]*DLL Name:/ { dll = tolower($3); next }
  dll != "" && /^[[:space:]]+[0-9a-f]+[[:space:]]+[0-9]+[[:space:]]+[A-Za-z_?@]/ { print dll "!" $3 " xp" }' >"$allow"
"$repo/scripts/check-win-imports" "$work/probe7.exe" "$allow"
# ... but GetFirmwareType is not in the list: the check must fail and name it.
if out=$("$repo/scripts/check-win-imports" "$work/probe8.exe" "$allow" 2>&1); then
  echo "FAIL: an import of GetFirmwareType passed the check"; exit 1
fi
grep -q "kernel32.dll!GetFirmwareType" <<<"$out" || { echo "FAIL: the check did not name GetFirmwareType: $out"; exit 1; }
# And listing it as a Windows 8 function must fail too.
echo "kernel32.dll!GetFirmwareType 8" >>"$allow"
if out=$("$repo/scripts/check-win-imports" "$work/probe8.exe" "$allow" 2>&1); then
  echo "FAIL: an allow-list entry for Windows 8 passed the check"; exit 1
fi
grep -q "newer than Windows 7" <<<"$out" || { echo "FAIL: $out"; exit 1; }
echo "ok: the import check fails on a Windows 8 import and on a Windows 8 allow-list entry"
