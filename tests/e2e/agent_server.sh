#!/usr/bin/env bash
# End to end on loopback: the real itsa-server and a real itsa-agent. The agent enrols,
# uploads, appears on /machines, and `itsa-server stats` counts exactly the records the
# agent reports in `itsa-agent status`.
#   agent_server.sh AGENT_BIN SERVER_BIN WORK_DIR
set -euo pipefail
agent=$1 server=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
srv_pid="" agent_pid=""
cleanup() {
  [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null || true
  [ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; echo "--- server log"; tail -n 30 "$work/server.log" >&2 || true; echo "--- agent log"; tail -n 30 "$work/agent.log" >&2 || true; exit 1; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$server" init --data-dir "$work/srv" >/dev/null
token=$("$server" token create --data-dir "$work/srv" --site "Văn phòng" | tail -n 1)
[ -n "$token" ] || fail "token create printed no token"
echo 'e2e-secret-pass' | "$server" user add --data-dir "$work/srv" --name reviewer --password-stdin >/dev/null
"$server" run --data-dir "$work/srv" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
srv_pid=$!
for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || fail "server did not become healthy"

cat >"$work/agent.json" <<JSON
{
  "data_dir": "$work/agent-data",
  "site": "Văn phòng",
  "server": {"url": "http://127.0.0.1:$port", "enroll_token": "$token", "upload_interval_s": 5, "routine_hold_s": 0},
  "probes": {"interval_s": 1, "internet": ["tcp://127.0.0.1:$port"], "gateway": "127.0.0.1",
             "dns": {"resolver": "127.0.0.1"}},
  "pressure": {"interval_s": 1},
  "log": {"level": "info"}
}
JSON
"$agent" check-config "$work/agent.json" >/dev/null || fail "agent config rejected"
"$agent" run --config "$work/agent.json" >"$work/agent.log" 2>&1 &
agent_pid=$!

# Wait until records were made and uploaded (at least an inventory, some minutes of data are not needed).
pending=-1 total=0
for _ in $(seq 1 90); do
  sleep 1
  st=$("$agent" status --config "$work/agent.json" --json 2>/dev/null || true)
  [ -n "$st" ] || continue
  total=$(echo "$st" | python3 -c 'import json,sys; print(json.load(sys.stdin)["records_total"])')
  pending=$(echo "$st" | python3 -c 'import json,sys; print(json.load(sys.stdin)["records_pending"])')
  [ "$total" -ge 3 ] && [ "$pending" -eq 0 ] && break
done
[ "$total" -ge 3 ] || fail "agent made only $total records"
# Stop the agent so no new record is made; its stop records stay pending until the next run.
kill -TERM "$agent_pid"; wait "$agent_pid" || true; agent_pid=""
st=$("$agent" status --config "$work/agent.json" --json)
total=$(echo "$st" | python3 -c 'import json,sys; print(json.load(sys.stdin)["records_total"])')
pending=$(echo "$st" | python3 -c 'import json,sys; print(json.load(sys.stdin)["records_pending"])')
agent_id=$(echo "$st" | python3 -c 'import json,sys; print(json.load(sys.stdin)["agent_id"])')
delivered=$((total - pending))
stats=$("$server" stats --data-dir "$work/srv" --json)
stored=$(echo "$stats" | python3 -c "import json,sys; d=json.load(sys.stdin); print(sum(a['records'] for a in d['agents'] if a['agent_id']=='$agent_id'))")
site=$(echo "$stats" | python3 -c "import json,sys; d=json.load(sys.stdin); print([a['site'] for a in d['agents'] if a['agent_id']=='$agent_id'][0])")
echo "agent: total=$total pending=$pending; server: stored=$stored site=$site"
[ "$stored" -eq "$delivered" ] || fail "server stored $stored records, agent delivered $delivered"
[ "$site" = "Văn phòng" ] || fail "agent site is '$site'"

# The machine appears on /machines after a reviewer logs in.
jar="$work/cookies.txt"
login_page=$(curl -fsS -c "$jar" "http://127.0.0.1:$port/login")
csrf=$(echo "$login_page" | python3 -c 'import re,sys; m=re.search(r"name=\"(csrf[^\"]*)\"[^>]*value=\"([^\"]+)\"", sys.stdin.read()); print(m.group(1)+"="+m.group(2) if m else "")')
[ -n "$csrf" ] || fail "login form has no csrf field"
curl -fsS -b "$jar" -c "$jar" -o /dev/null --data-urlencode "name=reviewer" --data-urlencode "password=e2e-secret-pass" \
  --data "$csrf" "http://127.0.0.1:$port/login"
machines=$(curl -fsS -b "$jar" "http://127.0.0.1:$port/machines")
host=$(hostname)
echo "$machines" | grep -q "$host" || fail "/machines does not list $host"
echo "e2e: 1 passed, 0 failed"
