#!/usr/bin/env bash
# Ingest benchmark of itsa-server on SQLite and on PostgreSQL (a throwaway cluster).
#   bench/server/run.sh [--build DIR] [--agents N] [--duration S] [--backend sqlite|postgres|both] [--max-rate]
#                       [--report-every S]   (a reviewer renders /report.html every S seconds during the run)
# Prints one JSON line per run (see load.py) and a Markdown table row for RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=build-srv agents=5000 duration=120 backend=both extra=() report_every=0
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --agents) agents=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --backend) backend=$2; shift 2 ;;
    --max-rate) extra+=(--max-rate); shift ;;
    --report-every) report_every=$2; shift 2 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
bin=$build/server/itsa-server
[ -x "$bin" ] || { echo "run.sh: build $bin first" >&2; exit 1; }
pg=/usr/lib/postgresql/15/bin
work=$(mktemp -d /tmp/itsa-bench-XXXXXX)
chmod 755 "$work"
server_pid="" pg_up=""
as_pg=""; [ "$(id -u)" -eq 0 ] && as_pg="runuser -u postgres --"
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [ -n "$pg_up" ] && $as_pg $pg/pg_ctl -D "$work/pg/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

run_one() {  # $1 = sqlite|postgres
  local data=$work/$1 db_args=() port
  if [ "$1" = postgres ]; then
    mkdir -p "$work/pg" && chown postgres "$work/pg" 2>/dev/null || true
    local pgport; pgport=$(free_port)
    $as_pg $pg/initdb -A trust -U postgres -D "$work/pg/data" >/dev/null
    $as_pg $pg/pg_ctl -w -D "$work/pg/data" -l "$work/pg/log" -o "-p $pgport -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
    pg_up=1
    db_args=(--db "postgres://postgres@127.0.0.1:$pgport/postgres")
  fi
  "$bin" init --data-dir "$data" "${db_args[@]}" >/dev/null
  local token; token=$("$bin" token create --data-dir "$data" --site "Bench" | tail -n 1)
  echo "bench-password-1" >"$work/password"
  "$bin" user add --data-dir "$data" --name bench --password-stdin <"$work/password" >/dev/null
  port=$(free_port)
  "$bin" run --data-dir "$data" --listen "127.0.0.1:$port" 2>"$work/server-$1.log" &
  server_pid=$!
  for _ in $(seq 100); do python3 -c "import socket;socket.create_connection(('127.0.0.1',$port))" 2>/dev/null && break; sleep 0.1; done
  local result; result=$(python3 bench/server/load.py --port "$port" --token "$token" --agents "$agents" --duration "$duration" \
    --report-every "$report_every" --user bench --password-file "$work/password" "${extra[@]}")
  echo "$result"
  local stored; stored=$("$bin" stats --data-dir "$data" --json | python3 -c 'import json,sys;print(json.load(sys.stdin)["total_records"])')
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
  python3 - "$1" "$stored" "$result" <<'PY'
import json, sys, os, platform
backend, stored, r = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
rep = r.get("reports")
reports = f"every {rep['every_s']:g} s: {rep['ok']}/{rep['count']} ok, p50 {rep['p50_ms']} ms, max {rep['max_ms']} ms" if rep else "none"
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print(f"| {os.popen('date -u +%F').read().strip()} | {cpu}, {os.cpu_count()} cores | {backend} | {r['agents']} | "
      f"{'max' if r['target_batches_per_s'] is None else r['target_batches_per_s']} | {r['batches_per_s']} | {r['p50_ms']} | "
      f"{r['p99_ms']} | {r['max_ms']} | {sum(r['errors'].values())} | {stored} | {reports} |")
PY
}

case "$backend" in
  sqlite) run_one sqlite ;;
  postgres) run_one postgres ;;
  both) run_one sqlite; run_one postgres ;;
esac
