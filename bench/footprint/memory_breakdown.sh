#!/usr/bin/env bash
# Where the running agent's memory goes: starts `itsa-agent run` at default settings (no server,
# scratch data dir), and at each sample time prints RSS, PSS, anonymous (heap, stacks) and file-backed
# (program + libraries) memory, the thread count, and the largest mappings at the last sample.
#   bench/footprint/memory_breakdown.sh [--agent PATH] [--at "30 90 300"]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
agent=$repo/build/agent/itsa-agent
at="30 90 300"
while [ $# -gt 0 ]; do
  case "$1" in
    --agent) agent=$2; shift 2 ;;
    --at) at=$2; shift 2 ;;
    *) echo "usage: $0 [--agent PATH] [--at \"S1 S2 ...\"]" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d /tmp/itsa-membreak.XXXXXX)
printf '{ "data_dir": "%s" }\n' "$work/data" > "$work/agent.json"
"$agent" run --config "$work/agent.json" >"$work/agent.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
t0=$(date +%s)
printf '%6s %9s %9s %9s %9s %7s\n' "t(s)" "RSS KiB" "PSS KiB" "anon KiB" "file KiB" threads
for t in $at; do
  sleep $(( t0 + t - $(date +%s) > 0 ? t0 + t - $(date +%s) : 0 ))
  kill -0 $pid 2>/dev/null || { echo "agent exited; log:"; cat "$work/agent.log"; exit 1; }
  awk -v t="$t" -v th="$(ls /proc/$pid/task | wc -l)" '
    /^[0-9a-f]+-[0-9a-f]+ / {file = ($6 ~ /^\//)}
    /^Rss:/ {r += $2; if (file) f += $2}
    /^Pss:/ {p += $2}
    /^Anonymous:/ {a += $2}
    END {printf "%6d %9d %9d %9d %9d %7d\n", t, r, p, a, f - 0, th}' /proc/$pid/smaps
done
echo "largest mappings (RSS KiB) at the last sample:"
awk '/^[0-9a-f]+-[0-9a-f]+ / {n = $6; if (n == "") n = "[anon]"} /^Rss:/ {r[n] += $2}
  END {for (n in r) if (r[n] >= 100) printf "%7d  %s\n", r[n], n}' /proc/$pid/smaps | sort -rn | head -15
