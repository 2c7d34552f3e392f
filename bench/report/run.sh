#!/usr/bin/env bash
# Report benchmark (issue 15): a month of evidence for N PCs (gen_month.cpp, the agent's default
# record shape, written through Storage::ingest), then `itsa-server report` for all sites: cold
# (no day digest stored yet: every machine-day computed from its records and stored, as the
# first report after `rollup rebuild` or the first refresh of `itsa-server run` does) and warm
# (digests current), and warm for one site: wall time and the report process's peak RSS. Then
# `itsa-server run` on that store: the review pages' times (bench/report/pages.py: /machines, a
# machine page, /sites, /report.html of the month) and the agents' ingest p99 while a reviewer
# renders the month's /report.html every 5 s (bench/server/load.py: N agents posting a batch a
# minute for 60 s).
#   bench/report/run.sh [--build DIR] [--pcs "50 300"] [--days 30] [--backend sqlite|postgres]
#                       [--scale-to "2000"]   (then grows the last store to that many PCs: scale_store)
# Prints a Markdown table row per size for RESULTS.md. Needs python3 (stdlib) for the timing.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=build pcs="50 300" days=30 backend=sqlite scale=""
to=$(date -u -d yesterday +%F)  # the month ends yesterday: the pages show their last 30 days
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --pcs) pcs=$2; shift 2 ;;
    --days) days=$2; shift 2 ;;
    --backend) backend=$2; shift 2 ;;
    --scale-to) scale=$2; shift 2 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
cmake --build "$build" --target itsa-server itsa_bench_report_gen >/dev/null
bin=$build/server/itsa-server gen=$build/tests/server/itsa_bench_report_gen
pg=/usr/lib/postgresql/15/bin
work=$(mktemp -d /tmp/itsa-bench-report-XXXXXX)
chmod 755 "$work"
pg_up="" server_pid=""
as_pg=""; [ "$(id -u)" -eq 0 ] && as_pg="runuser -u postgres --"
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
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
echo "| date | machine | backend | PCs | days | records | store MB | generate s | report all, cold s | peak RSS MiB | report all, warm s | peak RSS MiB | one site (1/10), warm s | peak RSS MiB | /machines ms | machine page ms | /sites ms | /report.html ms | ingest p99 ms during reports (renders) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
# The review UI on the store (pages.py), then agents ingesting while the month's report renders
# (load.py: $1 agents, a batch a minute each, for 60 s; /report.html every 5 s): table cells.
ui_figures() {
  local token port pages load
  token=$("$bin" token create --data-dir "$data" "${db_args[@]}" --site "Site 1" | tail -n 1)
  echo "bench-password-1" >"$work/password"
  "$bin" user add --data-dir "$data" "${db_args[@]}" --name bench --password-stdin <"$work/password" >/dev/null 2>&1 || true
  port=$(free_port)
  "$bin" run --data-dir "$data" "${db_args[@]}" --listen "127.0.0.1:$port" 2>"$work/server.log" &
  server_pid=$!
  for _ in $(seq 300); do python3 -c "import socket;socket.create_connection(('127.0.0.1',$port))" 2>/dev/null && break; sleep 0.1; done
  pages=$(python3 bench/report/pages.py --port "$port" --user bench --password-file "$work/password" --from "$from" --to "$to")
  load=$(python3 bench/server/load.py --port "$port" --token "$token" --agents "$1" --duration 60 --report-every 5 \
    --user bench --password-file "$work/password" --report-path "/report.html?from=$from&to=$to")
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
  python3 - "$pages" "$load" <<'PY'
import json, sys
p, l = json.loads(sys.argv[1]), json.loads(sys.argv[2])
r = l["reports"]
errors = sum(l["errors"].values())
print(f"{p['machines']['p50_ms']} | {p['machine_page']['p50_ms']} | {p['sites']['p50_ms']} | {p['report_html']['p50_ms']} | "
      f"{l['p99_ms']} ({l['batches']} batches, {errors} errors; {r['ok']}/{r['count']} renders, p50 {r['p50_ms']} ms)")
PY
}

# Grows the store from $1 generated PCs to $2 by copying what the warm report and the pages read
# of each generated PC (its agent row, latest inventory and assessment, day counters, day
# generations and day digests) under new agent ids: a bulk load of the rows a month of $2 PCs
# leaves, without generating and digesting $2 PCs' raw records (hours on this machine). The
# copies' raw records are absent, so their machine pages are not timed (pages.py times a
# generated PC's page).
scale_store() {
  local sql="CREATE TEMP TABLE base AS SELECT agent_id, ROW_NUMBER() OVER (ORDER BY agent_id) AS n FROM agents
    WHERE hostname NOT LIKE 'PC-BENCH-%' AND agent_id NOT LIKE '%~%';"
  local k=1 left=$(($2 - $1))
  while [ "$left" -gt 0 ]; do
    local take=$((left < $1 ? left : $1)) c="'~$k'"
    sql+="
INSERT INTO agents (agent_id, hostname, site, secret_hash, previous_agent_id, agent_version, first_seen_ms, last_seen_ms)
  SELECT a.agent_id || $c, a.hostname || $c, a.site, a.secret_hash || $c, '', a.agent_version, a.first_seen_ms, a.last_seen_ms
  FROM agents a JOIN base b ON a.agent_id = b.agent_id WHERE b.n <= $take;
INSERT INTO records (agent_id, boot_id, seq, type, time_ms, payload, received_ms)
  SELECT r.agent_id || $c, r.boot_id, r.seq, r.type, r.time_ms, r.payload, r.received_ms FROM records r
  JOIN base b ON r.agent_id = b.agent_id WHERE b.n <= $take AND r.type IN ('inventory', 'assessment')
  AND r.seq = (SELECT MAX(seq) FROM records x WHERE x.agent_id = r.agent_id AND x.type = r.type);
INSERT INTO machine_days SELECT d.agent_id || $c, d.day, d.utc_offset_min, d.pressure_minutes, d.cpu_over_minutes,
  d.mem_over_minutes, d.load_over_minutes, d.link_minutes, d.link_flaps, d.rx_crc_errors, d.crc_error_minutes
  FROM machine_days d JOIN base b ON d.agent_id = b.agent_id WHERE b.n <= $take;
INSERT INTO day_gens SELECT g.agent_id || $c, g.utc_day, g.gen FROM day_gens g JOIN base b ON g.agent_id = b.agent_id WHERE b.n <= $take;
INSERT INTO day_digests SELECT d.agent_id || $c, d.day, d.digest_key, d.token, d.digest FROM day_digests d
  JOIN base b ON d.agent_id = b.agent_id WHERE b.n <= $take;"
    k=$((k + 1)) left=$((left - take))
  done
  if [ "$backend" = postgres ]; then
    sql+="
INSERT INTO record_keys (agent_id, boot_id, seq, time_ms) SELECT agent_id, boot_id, seq, time_ms FROM records
  WHERE agent_id LIKE '%~%' ON CONFLICT DO NOTHING;"
    echo "BEGIN; $sql COMMIT;" | $pg/psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pgport" -U postgres postgres >/dev/null
  else
    python3 - "$data/itsa-server.db" "$sql" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("BEGIN;" + sys.argv[2] + "COMMIT;")
PY
  fi
}

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
  gen_out=$("$gen" --data-dir "$data" --pcs "$n" --days "$days" --to "$to" "${db_args[@]}")
  records=$(echo "$gen_out" | python3 -c 'import json,sys;print(json.load(sys.stdin)["records"])')
  gen_s=$(echo "$gen_out" | python3 -c 'import json,sys;print(round(json.load(sys.stdin)["seconds"]))')
  size=$(du -sm "$data" | cut -f1); [ "$backend" = postgres ] && size=$(du -sm "$work/pg/data" | cut -f1)
  from=$(date -u -d "$to - $((days - 1)) days" +%F)
  report=("$bin" report --data-dir "$data" "${db_args[@]}" --from "$from" --to "$to" --format json)
  read -r cold_s cold_mb < <(measure "${report[@]}" --out "$work/cold.json")
  read -r warm_s warm_mb < <(measure "${report[@]}" --out "$work/warm.json")
  python3 - "$work/cold.json" "$work/warm.json" <<'PY' || { echo "run.sh: the warm report differs from the cold one" >&2; exit 1; }
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for d in (a, b): d.pop("generated_at", None)
sys.exit(a != b)
PY
  read -r one_s one_mb < <(measure "${report[@]}" --site "Site 1" --out "$work/one.json")
  echo "| $(date -u +%F) | $cpu, $(nproc) cores | $backend | $n | $days | $records | $size | $gen_s | $cold_s | $cold_mb | $warm_s | $warm_mb | $one_s | $one_mb | $(ui_figures "$n") |"
  for m in $scale; do
    [ "$m" -gt "$n" ] || continue
    scale_store "$n" "$m"
    read -r warm_s warm_mb < <(measure "${report[@]}" --out "$work/warm.json")
    read -r one_s one_mb < <(measure "${report[@]}" --site "Site 1" --out "$work/one.json")
    echo "| $(date -u +%F) | $cpu, $(nproc) cores | $backend | $m (the $n PCs' digests copied) | $days | — | — | — | — | — | $warm_s | $warm_mb | $one_s | $one_mb | $(ui_figures "$m") |"
  done
  rm -rf "$data"
done
