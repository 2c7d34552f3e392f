#!/usr/bin/env bash
# Full-inventory time of `itsa-agent inventory --json` against lshw -json, inxi, hwinfo and
# dmidecode on this machine, measured side by side in one run (median of N runs each).
# Usage: bench/inventory/run.sh [path/to/itsa-agent] [runs]   (tools: scripts/install-deps --bench)
# Prints a Markdown table; results.md keeps the committed table.
set -euo pipefail
agent=${1:-build/agent/itsa-agent}
runs=${2:-15}
[ -x "$agent" ] || { echo "run.sh: $agent not found (build itsa-agent first)" >&2; exit 2; }

# median wall time in ms of a command run $runs times (output discarded)
median_ms() {
  local times=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1000}'
}

"$agent" inventory --json >/dev/null 2>&1  # warm the page cache for everyone alike
ours=$(median_ms "$agent" inventory --json)
echo "| tool | command | median ms ($runs runs) | vs itsa |"
echo "|---|---|---|---|"
echo "| itsa-agent | \`itsa-agent inventory --json\` | $ours | 1.0× |"
row() {
  local name=$1; shift
  if ! command -v "$1" >/dev/null; then echo "| $name | \`$*\` | not installed | |"; return; fi
  local t; t=$(median_ms "$@")
  echo "| $name | \`$*\` | $t | $(awk -v a="$t" -v b="$ours" 'BEGIN {printf "%.1f×", a/b}') |"
}
row lshw lshw -json
row inxi inxi -Fxz
row hwinfo hwinfo --short
row dmidecode dmidecode
echo
echo "Machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r). Date: $(date -u +%F)."
