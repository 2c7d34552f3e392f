#!/usr/bin/env bash
# Footprint of the running itsa agent next to other monitoring agents: steady RSS and CPU over a
# window, all started at the same time on this machine with default settings, plus binary sizes.
#   bench/footprint/run.sh [--duration S] [--agent PATH] [--out FILE]
# Defaults: 600 s, build/agent/itsa-agent, bench/footprint/RESULTS.md. Needs root (the agents' own
# users and ICMP). Packages: scripts/install-deps --bench.
# Method: each daemon runs in the foreground from a scratch dir; after a 60 s warm-up, every 10 s
# the RSS (sum of VmRSS over the process and its children) is sampled; CPU is the utime+stime
# of the process tree over the window (the agents' own counters, not wall time of the box, so
# other load on the machine does not count). node_exporter is scraped every 15 s, as Prometheus would.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
duration=600
agent=$repo/build/agent/itsa-agent
out=$repo/bench/footprint/RESULTS.md
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --agent) agent=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "usage: $0 [--duration S] [--agent PATH] [--out FILE]" >&2; exit 2 ;;
  esac
done
"$repo/scripts/install-deps" --bench
# Without systemd, installing the packages may have started their init scripts: stop those copies.
for svc in zabbix-agent zabbix-agent2 prometheus-node-exporter collectd; do
  [ -x /etc/init.d/$svc ] && /etc/init.d/$svc stop >/dev/null 2>&1 || true
done
[ -x "$agent" ] || { echo "no agent binary at $agent" >&2; exit 1; }
work=$(mktemp -d /tmp/itsa-footprint.XXXXXX)
chmod 0777 "$work"   # the Zabbix agents drop to user zabbix and write their pid/log files here
pids=()
# ITSA_FOOTPRINT_KEEP=1 keeps the scratch dir (logs of every agent) for a look afterwards.
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 1; [ -n "${ITSA_FOOTPRINT_KEEP:-}" ] || rm -rf "$work"; }
trap cleanup EXIT
warmup=60
hz=$(getconf CLK_TCK)
page=$(getconf PAGESIZE)

# All processes whose ancestor is $1 (including it).
tree() {
  local root=$1
  ps -e -o pid=,ppid= | awk -v r="$root" '{p[$1]=$2} END {for (x in p) {y=x; while (y && y!=r) y=p[y]; if (y==r) print x}}'
}
rss_kib() { local s=0; for p in $(tree "$1"); do s=$((s + $(awk '/^VmRSS/ {print $2}' /proc/$p/status 2>/dev/null || echo 0))); done; echo $s; }
# Private memory (USS: Private_Clean + Private_Dirty, the Linux analogue of Windows' private
# working set) and PSS (shared pages divided among their users), summed over the tree, KiB.
rollup_kib() {  # rollup_kib PID FIELD...
  local root=$1; shift
  local s=0
  for p in $(tree "$root"); do
    s=$((s + $(awk -v f="$*" 'BEGIN {n = split(f, k, " ")} {for (i = 1; i <= n; i++) if ($1 == k[i] ":") t += $2} END {print t + 0}' \
      /proc/$p/smaps_rollup 2>/dev/null || echo 0)))
  done
  echo $s
}
cpu_ticks() { local s=0; for p in $(tree "$1"); do s=$((s + $(awk '{print $14 + $15 + $16 + $17}' /proc/$p/stat 2>/dev/null || echo 0))); done; echo $s; }

declare -A pid_of
start() {  # start NAME CMD...
  local name=$1; shift
  # Console output apart from the agents' own log files (zabbix_agentd, running as user zabbix,
  # must create its LogFile itself: a root-owned file of that name made it exit at start).
  (cd "$work" && exec "$@" >"$work/$name.console" 2>&1) &
  pid_of[$name]=$!
  pids+=($!)
}

# itsa agent: default settings, its own data dir, no server (evidence kept locally).
mkdir -p "$work/itsa-data"
printf '{ "data_dir": "%s" }\n' "$work/itsa-data" > "$work/agent.json"
start itsa-agent "$agent" run --config "$work/agent.json"
# Zabbix agent (C) and agent 2 (Go): Debian's default configs, foreground, own pid/log files.
if command -v zabbix_agentd >/dev/null; then
  sed -e "s#^PidFile=.*#PidFile=$work/zabbix_agentd.pid#" -e "s#^LogFile=.*#LogFile=$work/zabbix_agentd.log#" \
    /etc/zabbix/zabbix_agentd.conf > "$work/zabbix_agentd.conf"
  start zabbix_agentd zabbix_agentd -f -c "$work/zabbix_agentd.conf"
fi
if command -v zabbix_agent2 >/dev/null; then
  sed -e "s#^PidFile=.*#PidFile=$work/zabbix_agent2.pid#" -e "s#^LogFile=.*#LogFile=$work/zabbix_agent2.log#" \
    -e "s#^ListenPort=.*#ListenPort=10060#" -e "s#^ControlSocket=.*#ControlSocket=$work/agent2.sock#" \
    -e "s#^Include=\./#Include=/etc/zabbix/#" \
    /etc/zabbix/zabbix_agent2.conf > "$work/zabbix_agent2.conf"
  grep -q '^ListenPort=' "$work/zabbix_agent2.conf" || echo "ListenPort=10060" >> "$work/zabbix_agent2.conf"
  start zabbix_agent2 zabbix_agent2 -f -c "$work/zabbix_agent2.conf"
fi
if command -v prometheus-node-exporter >/dev/null; then
  start node_exporter prometheus-node-exporter --web.listen-address=127.0.0.1:19100
fi
if command -v collectd >/dev/null; then
  cat > "$work/collectd.conf" <<CONF
Interval 10
BaseDir "$work"
PIDFile "$work/collectd.pid"
LoadPlugin cpu
LoadPlugin memory
LoadPlugin load
LoadPlugin interface
LoadPlugin df
LoadPlugin disk
LoadPlugin csv
<Plugin csv>
  DataDir "$work/collectd-csv"
</Plugin>
CONF
  start collectd collectd -f -C "$work/collectd.conf"
fi

echo "footprint: ${#pid_of[@]} agents, warm-up ${warmup} s, window ${duration} s"
sleep "$warmup"
declare -A cpu0 samples uss pss alive
for n in "${!pid_of[@]}"; do cpu0[$n]=$(cpu_ticks "${pid_of[$n]}"); samples[$n]=""; uss[$n]=""; pss[$n]=""; done
t0=$(date +%s)
next_scrape=0
while [ $(( $(date +%s) - t0 )) -lt "$duration" ]; do
  for n in "${!pid_of[@]}"; do
    if kill -0 "${pid_of[$n]}" 2>/dev/null; then
      samples[$n]+="$(rss_kib "${pid_of[$n]}") "
      uss[$n]+="$(rollup_kib "${pid_of[$n]}" Private_Clean Private_Dirty) "
      pss[$n]+="$(rollup_kib "${pid_of[$n]}" Pss) "
    fi
  done
  if [ "$(date +%s)" -ge "$next_scrape" ] && [ -n "${pid_of[node_exporter]:-}" ]; then
    curl -s http://127.0.0.1:19100/metrics >/dev/null || true
    next_scrape=$(( $(date +%s) + 15 ))
  fi
  sleep 10
done
elapsed=$(( $(date +%s) - t0 ))

median() { tr ' ' '\n' | { grep -v '^$' || true; } | sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print 0}'; }
version_of() {
  case $1 in
    itsa-agent) "$agent" version 2>/dev/null | head -1 ;;
    zabbix_agentd) dpkg-query -W -f='zabbix-agent ${Version}' zabbix-agent ;;
    zabbix_agent2) dpkg-query -W -f='zabbix-agent2 ${Version}' zabbix-agent2 ;;
    node_exporter) dpkg-query -W -f='prometheus-node-exporter ${Version}' prometheus-node-exporter ;;
    collectd) dpkg-query -W -f='collectd-core ${Version}' collectd-core ;;
  esac
}
size_mib() { [ -f "$1" ] && awk -v b="$(stat -c %s "$1")" 'BEGIN {printf "%.2f", b / 1048576}' || echo "n/a"; }
stripped_mib() { [ -f "$1" ] || { echo n/a; return; }; local t="$work/stripped"; ${2:-strip} -o "$t" "$1" && size_mib "$t"; }

{
  echo "# Footprint: itsa agent vs. other monitoring agents"
  echo
  echo "Generated by \`bench/footprint/run.sh --duration $duration\` on $(date -u +%Y-%m-%dT%H:%MZ)."
  echo "Machine: $(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2}'), $(nproc) cores," \
       "$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM, $(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r)."
  echo "Other engineers' builds were running on the same machine; CPU is each agent's own CPU time, so that load"
  echo "does not count, but it can lengthen what an agent does per cycle."
  echo
  echo "All agents ran at the same time with their default settings, no server attached (itsa: no server.url,"
  echo "evidence kept locally; Zabbix: passive checks, nobody asking; node_exporter scraped every 15 s; collectd:"
  echo "cpu/memory/load/interface/df/disk every 10 s, written to CSV)."
  echo "RSS: median of samples every 10 s after a ${warmup} s warm-up, summed over each agent's processes."
  echo "Private (USS = Private_Clean + Private_Dirty of /proc/PID/smaps_rollup, the Linux analogue of the"
  echo "private working set) and PSS (shared pages split among the processes that map them): medians, same samples."
  echo "CPU: user+system time over the ${elapsed} s window, % of one core."
  echo
  echo "| Agent | Version | RSS median (MiB) | RSS max (MiB) | Private/USS median (MiB) | PSS median (MiB) | CPU (% of one core) |"
  echo "|---|---|---:|---:|---:|---:|---:|"
  for n in itsa-agent zabbix_agentd zabbix_agent2 node_exporter collectd; do
    [ -n "${pid_of[$n]:-}" ] || continue
    pid=${pid_of[$n]}
    cpu1=$(cpu_ticks "$pid")
    med=$(echo "${samples[$n]}" | median)
    max=$(echo "${samples[$n]}" | tr ' ' '\n' | sort -n | tail -1)
    state=""
    kill -0 "$pid" 2>/dev/null || state=" (exited early: see its log)"
    umed=$(echo "${uss[$n]}" | median)
    pmed=$(echo "${pss[$n]}" | median)
    awk -v n="$n$state" -v v="$(version_of "$n")" -v med="$med" -v max="${max:-0}" -v c0="${cpu0[$n]}" -v c1="$cpu1" \
        -v hz="$hz" -v t="$elapsed" -v umed="$umed" -v pmed="$pmed" \
        'BEGIN {printf "| %s | %s | %.1f | %.1f | %.1f | %.1f | %.3f |\n", n, v, med / 1024, max / 1024, umed / 1024, pmed / 1024, 100 * (c1 - c0) / hz / t}'
  done
  echo
  echo "## Binary sizes"
  echo
  echo "| Binary | Size (MiB) | Stripped (MiB) |"
  echo "|---|---:|---:|"
  echo "| Linux \`itsa-agent\` (with debug info) | $(size_mib "$agent") | $(stripped_mib "$agent") |"
  win=$repo/build-win/out/itsa-agent.exe
  echo "| Windows \`itsa-agent.exe\` (mingw-w64, static) | $(size_mib "$win") | $(stripped_mib "$win" x86_64-w64-mingw32-strip) |"
  for b in zabbix_agentd zabbix_agent2 prometheus-node-exporter collectd; do
    p=$(command -v $b || true)
    [ -n "$p" ] && echo "| $b (Debian) | $(size_mib "$p") | — |"
  done
  echo
  echo "Shared libraries are not counted: $(ldd "$agent" | awk '$1 !~ /^(linux-vdso|\/)/ {printf "%s%s", sep, $1; sep=", "}')."
  echo "The Linux agent holds libstdc++, spdlog/fmt and an HTTP(S)-only libcurl (cmake/SmallAgent.cmake); the"
  echo "Windows exe is self-contained (static libstdc++, curl, hwloc, SQLite)."
} > "$out.tmp"
mv "$out.tmp" "$out"
cat "$out"
