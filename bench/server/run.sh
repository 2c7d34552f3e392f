#!/usr/bin/env bash
# Ingest benchmark of itsa-server on SQLite and on PostgreSQL (a throwaway cluster).
#   bench/server/run.sh [--build DIR] [--agents N] [--duration S] [--backend sqlite|postgres|both] [--max-rate]
#                       [--report-every S]   (a reviewer renders /report.html every S seconds during the run)
#                       [--instances N]      (N `itsa-server run` on the one database, agents spread over them)
#                       [--period S] [--records R]   (load.py: seconds between one agent's batches, records a batch;
#                                                     the agent's defaults are ~30 records every ~45 min: 976 a day in 32 requests)
# Prints one JSON line per run (see load.py) and a Markdown table row for RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=build-srv agents=5000 duration=120 backend=both extra=() report_every=0 instances=1
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --agents) agents=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --backend) backend=$2; shift 2 ;;
    --max-rate) extra+=(--max-rate); shift ;;
    --report-every) report_every=$2; shift 2 ;;
    --instances) instances=$2; shift 2 ;;
    --period) extra+=(--period "$2"); shift 2 ;;
    --records) extra+=(--records "$2"); shift 2 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
bin=$build/server/itsa-server
[ -x "$bin" ] || { echo "run.sh: build $bin first" >&2; exit 1; }
pg=/usr/lib/postgresql/15/bin
work=$(mktemp -d /tmp/itsa-bench-XXXXXX)
chmod 755 "$work"
server_pids=() pg_up=""
as_pg=""; [ "$(id -u)" -eq 0 ] && as_pg="runuser -u postgres --"
cleanup() {
  for p in "${server_pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  [ -n "$pg_up" ] && $as_pg $pg/pg_ctl -D "$work/pg/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# The store's size in bytes: the SQLite files, or the PostgreSQL database.
store_bytes() {
  if [ "$1" = postgres ]; then
    $pg/psql -At -h 127.0.0.1 -p "$pgport" -U postgres -c "SELECT pg_database_size('postgres')" postgres
  else
    du -sb "$2" | cut -f1
  fi
}

run_one() {  # $1 = sqlite|postgres
  local data=$work/$1 db_args=() port
  if [ "$1" = postgres ]; then
    mkdir -p "$work/pg" && chown postgres "$work/pg" 2>/dev/null || true
    pgport=$(free_port)
    $as_pg $pg/initdb -A trust -U postgres -D "$work/pg/data" >/dev/null
    $as_pg $pg/pg_ctl -w -D "$work/pg/data" -l "$work/pg/log" -o "-p $pgport -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
    pg_up=1
    db_args=(--db "postgres://postgres@127.0.0.1:$pgport/postgres")
  fi
  "$bin" init --data-dir "$data" "${db_args[@]}" >/dev/null
  local token; token=$("$bin" token create --data-dir "$data" --site "Bench" | tail -n 1)
  echo "bench-password-1" >"$work/password"
  "$bin" user add --data-dir "$data" --name bench --password-stdin <"$work/password" >/dev/null
  [ "$instances" -gt 1 ] && [ "$1" = sqlite ] && { echo "run.sh: --instances needs PostgreSQL" >&2; exit 2; }
  local ports="" size_before size_after
  size_before=$(store_bytes "$1" "$data")
  for i in $(seq "$instances"); do
    port=$(free_port)
    "$bin" run --data-dir "$data" --listen "127.0.0.1:$port" 2>"$work/server-$1-$i.log" &
    server_pids+=($!)
    for _ in $(seq 100); do python3 -c "import socket;socket.create_connection(('127.0.0.1',$port))" 2>/dev/null && break; sleep 0.1; done
    ports+="${ports:+,}$port"
  done
  local result; result=$(python3 bench/server/load.py --port "$ports" --token "$token" --agents "$agents" --duration "$duration" \
    --report-every "$report_every" --user bench --password-file "$work/password" "${extra[@]}")
  echo "$result"
  local stored; stored=$("$bin" stats --data-dir "$data" --json | python3 -c 'import json,sys;print(json.load(sys.stdin)["total_records"])')
  size_after=$(store_bytes "$1" "$data")
  for p in "${server_pids[@]}"; do kill "$p"; wait "$p" 2>/dev/null || true; done; server_pids=()
  python3 - "$1" "$stored" "$result" "$size_before" "$size_after" <<'PY'
import json, sys, os, platform
backend, stored, r = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
grown = int(sys.argv[5]) - int(sys.argv[4])
# Bytes a PC's month takes at the agent's default shape: 976 records a day (bench/store), 30 days.
per_pc_month = f"{grown / int(stored) * 976 * 30 / 1e6:.1f} MB" if int(stored) else "—"
rep = r.get("reports")
reports = f"every {rep['every_s']:g} s: {rep['ok']}/{rep['count']} ok, p50 {rep['p50_ms']} ms, max {rep['max_ms']} ms" if rep else "none"
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print(f"| {os.popen('date -u +%F').read().strip()} | {cpu}, {os.cpu_count()} cores | {backend} × {r['instances']} | {r['agents']} | "
      f"{'max' if r['target_batches_per_s'] is None else r['target_batches_per_s']} | {r['batches_per_s']} | {r['p50_ms']} | "
      f"{r['p99_ms']} | {r['max_ms']} | {sum(r['errors'].values())} | {stored} | {reports} | {r['duration_s']} | {per_pc_month} |")
PY
}

case "$backend" in
  sqlite) run_one sqlite ;;
  postgres) run_one postgres ;;
  both) run_one sqlite; run_one postgres ;;
esac
