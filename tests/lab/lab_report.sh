#!/usr/bin/env bash
# Lab end to end (issue 7): faults injected in the lab's namespaces -> the real itsa-agent in
# the PC namespace (2 s rounds) -> the real itsa-server (SQLite) on that namespace's loopback, which no
# fault touches -> `itsa-server report --format json|csv` -> check_report.py checks outage
# counts, causes, downtime and observed time against the injected faults.
#   lab_report.sh AGENT_BINARY SERVER_BINARY [WORK_DIR]
# Phases: warm-up (15 s) -> cable, lan, provider, dns (10 s each, 8 s recovery) -> agent stops;
# a second short run uploads the first run's last records (the closed coverage span).
# Needs root (network namespaces, nftables). About 2 minutes.
set -uo pipefail
AGENT=${1:?usage: lab_report.sh AGENT_BINARY SERVER_BINARY [WORK_DIR]}
SERVER=${2:?usage: lab_report.sh AGENT_BINARY SERVER_BINARY [WORK_DIR]}
WORK=${3:-$(mktemp -d /tmp/itsalab-report.XXXXXX)}
rm -rf "$WORK" && mkdir -p "$WORK"
export LAB_PREFIX=itsarep  # own namespaces: may run beside lab_faults.sh
export LAB_DIR="$WORK/lab"
mkdir -p "$LAB_DIR"
source "$(dirname "$0")/office.sh"
lab_preflight
trap lab_down EXIT INT TERM

FAULT_S=10
# 2 s rounds: half the rounds of the fault lab's 1 s, so a slow answer of the lab's Python DNS
# responder under CI load is less likely to become a false outage; tolerances scale with it.
INTERVAL_S=${LAB_INTERVAL_S:-2}
export LAB_INTERVAL_S=$INTERVAL_S
fail() {
  echo "FAIL: $*"
  echo "--- agent log (tail)"; tail -n 30 "$WORK/agent.log" 2>/dev/null
  echo "--- server log (tail)"; tail -n 20 "$WORK/server.log" 2>/dev/null
  exit 1
}
now() { date -u +%s.%N; }
in_pc() { ip netns exec "$LAB_PC" "$@"; }
lab_up || exit 1

# The server: SQLite store, one site, on the PC namespace's loopback.
port=18080
"$SERVER" init --data-dir "$WORK/srv" >/dev/null || fail "itsa-server init"
token=$("$SERVER" token create --data-dir "$WORK/srv" --site "Văn phòng lab" | tail -n 1)
[ -n "$token" ] || fail "token create printed no token"
in_pc "$SERVER" run --data-dir "$WORK/srv" --listen "127.0.0.1:$port" >"$WORK/server.log" 2>&1 &
for _ in $(seq 50); do in_pc curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
in_pc curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || fail "server did not become healthy"

# The lab's agent config, plus the server (uploads every 5 s).
lab_agent_config "$WORK/agent.json" "$WORK/data"
python3 - "$WORK/agent.json" "$port" "$token" <<'PY'
import json, sys
cfg = json.load(open(sys.argv[1]))
cfg["site"] = "Văn phòng lab"
cfg["server"] = {"url": f"http://127.0.0.1:{sys.argv[2]}", "enroll_token": sys.argv[3], "upload_interval_s": 5}
json.dump(cfg, open(sys.argv[1], "w"))
PY
"$AGENT" check-config "$WORK/agent.json" >/dev/null || fail "agent config rejected"

events="$WORK/events.txt"
: >"$events"
echo "agent start $(now)" >>"$events"
ip netns exec "$LAB_PC" "$AGENT" run --config "$WORK/agent.json" >"$WORK/agent.log" 2>&1 &  # $! is the agent itself
agent_pid=$!
sleep 15  # enrolment, first rounds, baseline
lab_fault_sequence "$events" "$FAULT_S"
echo "agent stop $(now)" >>"$events"
kill -TERM "$agent_pid"
wait "$agent_pid"
echo "agent exit $?" >>"$events"

# The stop records (the closed coverage span) upload at the next run, as on a real PC.
ip netns exec "$LAB_PC" "$AGENT" run --config "$WORK/agent.json" >>"$WORK/agent.log" 2>&1 &
agent_pid=$!
pending=-1
for _ in $(seq 60); do
  sleep 1
  pending=$("$AGENT" status --config "$WORK/agent.json" --json 2>/dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["records_pending"])' 2>/dev/null) || continue
  [ "$pending" = 0 ] && break
done
kill -TERM "$agent_pid"
wait "$agent_pid"
[ "$pending" = 0 ] || fail "the agent still had $pending records pending after 60 s"

in_pc "$AGENT" outages --config "$WORK/agent.json" --json >"$WORK/outages.json" || fail "itsa-agent outages"
# The period: the local days (UTC+7, the report's default) the run spanned.
read -r from to < <(python3 - "$events" <<'PY'
import datetime, sys
marks = [float(l.split()[-1]) for l in open(sys.argv[1]) if float(l.split()[-1]) > 1e9]
tz = datetime.timezone(datetime.timedelta(hours=7))
print(datetime.datetime.fromtimestamp(min(marks), tz).date(), datetime.datetime.fromtimestamp(max(marks), tz).date())
PY
)
"$SERVER" report --data-dir "$WORK/srv" --from "$from" --to "$to" --hours all --format json --out "$WORK/report.json" ||
  fail "itsa-server report --format json"
"$SERVER" report --data-dir "$WORK/srv" --from "$from" --to "$to" --hours all --format csv --out "$WORK/csv" >/dev/null ||
  fail "itsa-server report --format csv"
# The same PC's report from its local store, with no server: the outage figures must agree.
"$AGENT" report --config "$WORK/agent.json" --from "$from" --to "$to" --hours all --format json --out "$WORK/agent-report.json" ||
  fail "itsa-agent report --format json"
python3 "$(dirname "$0")/check_report.py" "$events" "$WORK/report.json" "$WORK/outages.json" "$WORK/csv/outages.csv" "$INTERVAL_S" \
  "$WORK/agent-report.json"
rc=$?
[ $rc -ne 0 ] && fail "report figures (above)"
exit 0
