#!/usr/bin/env bash
# The MSI: msiinfo shows the service rows and the public properties; under Wine, a silent install
# with SERVER_URL / ENROLL_TOKEN installs the exe, registers and starts the service, which writes
# the config; an upgrade keeps data and config; uninstall stops and removes the service.
#   msi.sh <itsa-agent-ARCH.msi> <itsa-agent.exe> <source dir> <x64|x86>
# Needs WINEPREFIX with a running wineserver (scripts/test-windows).
set -euo pipefail
msi=$1 exe=$2 src=$3 arch=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
: "${WINEPREFIX:?run through scripts/test-windows}"

echo "== msiinfo"
si=$(msiinfo export "$msi" ServiceInstall)
grep -P '\titsa-agent\t' <<<"$si" >/dev/null || fail "no ServiceInstall row for itsa-agent: $si"
# Columns: ServiceInstall Name DisplayName ServiceType StartType ErrorControl ... Arguments ...
awk -F'\t' 'NR > 3 && $2 == "itsa-agent" { exit !($4 == 16 && $5 == 2) }' <<<"$si" ||
  fail "service is not own-process + automatic start: $si"
grep -q $'\tservice\t' <<<"$si" || fail "service not started with the 'service' argument: $si"
sc=$(msiinfo export "$msi" ServiceControl)
awk -F'\t' 'NR > 3 && $2 == "itsa-agent" { found = 1; exit !(int($3) == 163) } END { exit !found }' <<<"$sc" ||
  fail "ServiceControl must start at install, stop at install+uninstall, remove at uninstall (163): $sc"
props=$(msiinfo export "$msi" Property)
grep -q 'SecureCustomProperties.*SERVER_URL' <<<"$props" && grep -q 'SecureCustomProperties.*ENROLL_TOKEN' <<<"$props" ||
  fail "SERVER_URL / ENROLL_TOKEN are not public secure properties: $props"
reg=$(msiinfo export "$msi" Registry)
grep -q '\[SERVER_URL\]' <<<"$reg" && grep -q '\[ENROLL_TOKEN\]' <<<"$reg" || fail "properties not written to the registry: $reg"
# The package's architecture: x64 (64-bit components into ProgramFiles64Folder) or x86 (32-bit).
template=$(msiinfo suminfo "$msi" | sed -n 's/^Template: //p')
comp=$(msiinfo export "$msi" Component)
dirs=$(msiinfo export "$msi" Directory)
if [ "$arch" = x64 ]; then
  [ "$template" = "x64;1033" ] || fail "x64 package with summary template '$template'"
  awk -F'\t' 'NR > 3 && $1 == "AgentExe" { exit !(int($4) == 256) }' <<<"$comp" || fail "AgentExe is not a 64-bit component: $comp"
  grep -qP '^INSTALLDIR\tProgramFiles64Folder\t' <<<"$dirs" || fail "x64 package not in ProgramFiles64Folder: $dirs"
else
  [ "$template" = "Intel;1033" ] || fail "x86 package with summary template '$template'"
  awk -F'\t' 'NR > 3 && $1 == "AgentExe" { exit !(int($4) == 0) }' <<<"$comp" || fail "AgentExe is not a 32-bit component: $comp"
  grep -qP '^INSTALLDIR\tProgramFilesFolder\t' <<<"$dirs" || fail "x86 package not in ProgramFilesFolder: $dirs"
fi
echo "ok: ServiceInstall, ServiceControl, properties, $arch package ($template)"

c=$WINEPREFIX/drive_c
cfg="$c/ProgramData/itsa/agent.json"
wine msiexec /x "$msi" /qn >/dev/null 2>&1 || true   # a leftover from an earlier run
rm -rf "$c/ProgramData/itsa"

echo "== wine msiexec /i /qn SERVER_URL=... ENROLL_TOKEN=..."
wine msiexec /i "$msi" /qn SERVER_URL=https://itsa.example.org ENROLL_TOKEN=tok-msi /l*v "$work/install.log" \
  </dev/null >/dev/null 2>&1 || { tr -d '\0\r' < "$work/install.log" | tail -40; fail "msiexec /i"; }
[ -f "$c/Program Files/itsa/itsa-agent.exe" ] || fail "itsa-agent.exe not installed under Program Files"
wine reg query 'HKLM\System\CurrentControlSet\Services\itsa-agent' 2>/dev/null | tr -d '\r' > "$work/svc.reg" ||
  fail "service not registered"
grep -qi 'Start.*0x2' "$work/svc.reg" || fail "service is not automatic start: $(cat "$work/svc.reg")"
grep -qi 'ImagePath.*itsa-agent.exe.*service' "$work/svc.reg" || fail "ImagePath: $(cat "$work/svc.reg")"
for _ in $(seq 1 60); do
  [ -f "$cfg" ] && grep -q tok-msi "$cfg" && break
  sleep 0.5
done
[ -f "$cfg" ] || fail "the service did not write $cfg"
python3 - "$cfg" <<'PY' || fail "config: $(cat "$cfg")"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["server"]["url"] == "https://itsa.example.org", doc
assert doc["server"]["enroll_token"] == "tok-msi", doc
assert doc["log"]["file"].lower().endswith("itsa\\logs\\agent.log"), doc
PY
echo "ok: installed, service registered and started, config written from the properties"
for _ in $(seq 1 120); do [ -s "$c/ProgramData/itsa/logs/agent.log" ] && break; sleep 0.5; done
[ -s "$c/ProgramData/itsa/logs/agent.log" ] || fail "no service log under ProgramData\\itsa\\logs"

echo "== upgrade keeps data and config"
mkdir -p "$c/ProgramData/itsa/data"
echo keep > "$c/ProgramData/itsa/data/marker"
cp "$exe" "$src/installers/windows/itsa-agent.wxs" "$work/"
(cd "$work" && wixl -a "$arch" -D Arch="$arch" -D Version=99.0.0 -D AgentExe=itsa-agent.exe -o itsa-agent-v2.msi itsa-agent.wxs)
# Under load Wine's msiexec has once failed here within a second (CI, 2026-11-27; the log was not kept):
# one more try after a pause, each failure shown with its exit code and log.
for attempt in 1 2; do
  rc=0
  wine msiexec /i "$work/itsa-agent-v2.msi" /qn /l*v "$work/upgrade.log" </dev/null >/dev/null 2>&1 || rc=$?
  [ "$rc" = 0 ] && break
  echo "msiexec upgrade, attempt $attempt: exit code $rc; end of its log:"
  tr -d '\0\r' < "$work/upgrade.log" | tail -25
  sleep 5
done
[ "$rc" = 0 ] || fail "msiexec upgrade"
[ "$(cat "$c/ProgramData/itsa/data/marker")" = keep ] || fail "upgrade lost the data"
grep -q tok-msi "$cfg" || fail "upgrade lost the config"
[ -f "$c/Program Files/itsa/itsa-agent.exe" ] || fail "exe missing after upgrade"
echo "ok: upgraded"

agent_running() { pgrep -f 'Program Files.itsa.itsa-agent.exe' >/dev/null; }
echo "== uninstall stops and removes the service"
agent_running || fail "the service is not running before the uninstall"
wine msiexec /x "$work/itsa-agent-v2.msi" /qn </dev/null >/dev/null 2>&1 || fail "msiexec /x"
# DeleteService only marks the service for deletion; its key goes once the service has stopped and
# its handles are closed (an x86 run once checked within that moment): wait up to 20 s.
svc_registered() { wine reg query 'HKLM\System\CurrentControlSet\Services\itsa-agent' >/dev/null 2>&1; }
for _ in $(seq 1 40); do svc_registered || break; sleep 0.5; done
if svc_registered; then fail "service still registered 20 s after the uninstall"; fi
for _ in $(seq 1 40); do agent_running || break; sleep 0.25; done
agent_running && fail "the service process still runs 10 s after the uninstall"
grep -q "stop requested by the service manager" "$c/ProgramData/itsa/logs/agent.log" || fail "the service was not asked to stop"
if [ -f "$c/Program Files/itsa/itsa-agent.exe" ]; then
  # Wine's msi sends the stop and removes files at once; Windows waits for SERVICE_STOPPED
  # (ServiceControl Wait=yes). So under Wine, check file removal with the service stopped first.
  echo "note: Wine removed files before the service had exited; checking removal with the service stopped first"
  wine msiexec /i "$work/itsa-agent-v2.msi" /qn </dev/null >/dev/null 2>&1 || fail "msiexec /i (again)"
  wine net stop itsa-agent </dev/null >/dev/null 2>&1 || true
  for _ in $(seq 1 40); do agent_running || break; sleep 0.25; done
  wine msiexec /x "$work/itsa-agent-v2.msi" /qn </dev/null >/dev/null 2>&1 || fail "msiexec /x (again)"
  [ ! -f "$c/Program Files/itsa/itsa-agent.exe" ] || fail "exe left after uninstall"
fi
echo "ok: uninstalled (data under ProgramData\\itsa is kept by design)"
