#!/usr/bin/env bash
# Report benchmark (issue 15): a month of evidence for N PCs (gen_month.cpp, the agent's default
# record shape, written through Storage::ingest), then `itsa-server report` for all sites: cold
# (no day digest stored yet: every machine-day computed from its records and stored, as the
# first report after `rollup rebuild` or the first refresh of `itsa-server run` does) and warm
# (digests current), and warm for one site: wall time and the report process's peak RSS.
#   bench/report/run.sh [--build DIR] [--pcs "50 300"] [--days 30] [--backend sqlite|postgres]
# Prints a Markdown table row per size for RESULTS.md. Needs python3 (stdlib) for the timing.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=build pcs="50 300" days=30 backend=sqlite
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --pcs) pcs=$2; shift 2 ;;
    --days) days=$2; shift 2 ;;
    --backend) backend=$2; shift 2 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
cmake --build "$build" --target itsa-server itsa_bench_report_gen >/dev/null
bin=$build/server/itsa-server gen=$build/tests/server/itsa_bench_report_gen
pg=/usr/lib/postgresql/15/bin
work=$(mktemp -d /tmp/itsa-bench-report-XXXXXX)
chmod 755 "$work"
pg_up=""
as_pg=""; [ "$(id -u)" -eq 0 ] && as_pg="runuser -u postgres --"
cleanup() {
  [ -n "$pg_up" ] && $as_pg $pg/pg_ctl -D "$work/pg/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
# Runs a command; prints "<seconds> <peak RSS MiB>" of it.
measure() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
t = time.monotonic()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(f"{time.monotonic() - t:.2f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f}")
PY
}
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
echo "| date | machine | backend | PCs | days | records | store MB | generate s | report all, cold s | peak RSS MiB | report all, warm s | peak RSS MiB | one site (1/10), warm s | peak RSS MiB |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for n in $pcs; do
  data=$work/data-$n db_args=()
  if [ "$backend" = postgres ]; then
    [ -n "$pg_up" ] && $as_pg $pg/pg_ctl -D "$work/pg/data" -m fast stop >/dev/null && rm -rf "$work/pg"
    mkdir -p "$work/pg" && chown postgres "$work/pg" 2>/dev/null || true
    pgport=$(free_port)
    $as_pg $pg/initdb -A trust -U postgres -D "$work/pg/data" >/dev/null
    $as_pg $pg/pg_ctl -w -D "$work/pg/data" -l "$work/pg/log" -o "-p $pgport -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
    pg_up=1
    db_args=(--db "postgres://postgres@127.0.0.1:$pgport/postgres")
  fi
  "$bin" init --data-dir "$data" "${db_args[@]}" >/dev/null
  gen_out=$("$gen" --data-dir "$data" --pcs "$n" --days "$days" --to 2026-11-30 "${db_args[@]}")
  records=$(echo "$gen_out" | python3 -c 'import json,sys;print(json.load(sys.stdin)["records"])')
  gen_s=$(echo "$gen_out" | python3 -c 'import json,sys;print(round(json.load(sys.stdin)["seconds"]))')
  size=$(du -sm "$data" | cut -f1); [ "$backend" = postgres ] && size=$(du -sm "$work/pg/data" | cut -f1)
  from=$(date -u -d "2026-11-30 - $((days - 1)) days" +%F)
  report=("$bin" report --data-dir "$data" "${db_args[@]}" --from "$from" --to 2026-11-30 --format json)
  read -r cold_s cold_mb < <(measure "${report[@]}" --out "$work/cold.json")
  read -r warm_s warm_mb < <(measure "${report[@]}" --out "$work/warm.json")
  python3 - "$work/cold.json" "$work/warm.json" <<'PY' || { echo "run.sh: the warm report differs from the cold one" >&2; exit 1; }
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for d in (a, b): d.pop("generated_at", None)
sys.exit(a != b)
PY
  read -r one_s one_mb < <(measure "${report[@]}" --site "Site 1" --out "$work/one.json")
  echo "| $(date -u +%F) | $cpu, $(nproc) cores | $backend | $n | $days | $records | $size | $gen_s | $cold_s | $cold_mb | $warm_s | $warm_mb | $one_s | $one_mb |"
  rm -rf "$data"
done
