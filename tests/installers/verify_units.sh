#!/usr/bin/env bash
# The systemd units pass `systemd-analyze verify` without a single warning, and keep the
# service contract (notify + watchdog, restart, caps, hardening).
#   verify_units.sh <source-dir> <itsa-agent binary> <itsa-server binary or "-">
set -euo pipefail
src=$1 agent=$2 server=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# verify checks that ExecStart= is executable: point it at the built binaries.
[ "$server" = "-" ] && server=/bin/true
sed "s#/usr/bin/itsa-agent#$agent#g" "$src/installers/linux/itsa-agent.service" > "$work/itsa-agent.service"
sed "s#/usr/bin/itsa-server#$server#g" "$src/installers/linux/itsa-server.service" > "$work/itsa-server.service"
for unit in itsa-agent itsa-server; do
  out=$(systemd-analyze verify --man=no "$work/$unit.service" 2>&1) || fail "$unit.service: systemd-analyze verify failed: $out"
  [ -z "$out" ] || fail "$unit.service: systemd-analyze verify warns: $out"
  echo "ok: $unit.service verifies cleanly"
done

# A broken unit must be caught by this very check (the check itself can fail).
sed 's/^NoNewPrivileges=yes/NoNewPrivileges=maybe/' "$work/itsa-agent.service" > "$work/broken.service"
out=$(systemd-analyze verify --man=no "$work/broken.service" 2>&1 || true)
grep -q "NoNewPrivileges\|boolean" <<<"$out" || fail "a broken unit was not reported: '$out'"

# The contract of the agent unit (issue 8).
unit=$src/installers/linux/itsa-agent.service
for line in Type=notify WatchdogSec= Restart=on-failure MemoryMax= CPUQuota= NoNewPrivileges=yes \
  ProtectSystem=strict ProtectHome=yes PrivateTmp=yes ReadWritePaths=/var/lib/itsa User=itsa \
  "AmbientCapabilities=CAP_NET_RAW CAP_DAC_READ_SEARCH" "CapabilityBoundingSet=CAP_NET_RAW CAP_DAC_READ_SEARCH" \
  TimeoutStopSec=5s "ExecReload=/bin/kill -HUP \$MAINPID"; do
  grep -q "^$line" "$unit" || fail "itsa-agent.service lacks '$line'"
done
unit=$src/installers/linux/itsa-server.service
for line in Restart=on-failure MemoryMax= CPUQuota= NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes \
  PrivateTmp=yes ReadWritePaths=/var/lib/itsa-server User=itsa-server; do
  grep -q "^$line" "$unit" || fail "itsa-server.service lacks '$line'"
done
echo "ok: unit contracts"
