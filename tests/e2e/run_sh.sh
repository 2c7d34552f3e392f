#!/usr/bin/env bash
# The README's main command, as CI sees it: ./run.sh with RUN_SH_UNTIL_UPLOAD=1 against the already
# built tree (BUILD_DIR), on a free port and with a run dir outside the source tree. It must reach
# "Review UI: ..." and stop by itself once the server has stored an upload from the agent; the
# server's own `stats` must then count the records. A second run on a port taken by another
# listener must fail loudly (not hang, not exit 0).
#   run_sh.sh SOURCE_DIR BUILD_DIR WORK_DIR
set -euo pipefail
src=$1 build=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
holder_pid=""
trap '[ -n "$holder_pid" ] && kill "$holder_pid" 2>/dev/null; true' EXIT
fail() { echo "FAIL: $*" >&2; echo "--- run.sh output" >&2; cat "$work/out.log" >&2 || true; echo "--- server log" >&2; tail -n 30 "$work/run/server.log" >&2 || true; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
t0=$SECONDS
rc=0
BUILD_DIR=$build RUN_DIR=$work/run PORT=$port RUN_SH_UNTIL_UPLOAD=1 RUN_SH_UPLOAD_TIMEOUT_S=180 \
  timeout 300 "$src/run.sh" >"$work/out.log" 2>&1 </dev/null || rc=$?
[ "$rc" -eq 0 ] || fail "run.sh exited $rc"
grep -q "^Review UI: http://127.0.0.1:$port/machines   (login: admin / [0-9a-f]\{24\})" "$work/out.log" ||
  fail "run.sh printed no review URL with a login"
grep -q "^run.sh: the server stored an upload from the agent" "$work/out.log" || fail "run.sh did not report the upload"
[ -f "$work/run/server/.initialised" ] || fail "RUN_DIR not used: $work/run/server/.initialised missing"
[ -f "$work/run/agent.json" ] || fail "no agent config in RUN_DIR"
"$build/agent/itsa-agent" check-config "$work/run/agent.json" >/dev/null || fail "the agent config run.sh wrote is invalid"
# Both stopped: nothing answers on the port any more.
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then fail "something still listens on port $port after run.sh"; fi
# The server's side, read independently of run.sh: one agent with records.
stats=$("$build/server/itsa-server" stats --data-dir "$work/run/server" | tail -n 1)
[[ $stats =~ ^1\ agents,\ ([0-9]+)\ records$ ]] || fail "server stats: '$stats' (want 1 agent)"
[ "${BASH_REMATCH[1]}" -ge 1 ] || fail "server stored no records: '$stats'"
echo "run.sh until upload: $((SECONDS - t0)) s; server: $stats"

# The port is taken by a listener that never answers HTTP: the server cannot bind, run.sh says so.
python3 -c 'import socket,sys,time
s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(120)' \
  >"$work/holder.port" &
holder_pid=$!
for _ in $(seq 1 50); do [ -s "$work/holder.port" ] && break; sleep 0.1; done
taken=$(cat "$work/holder.port")
[ -n "$taken" ] || fail "the port holder did not start"
rc=0
BUILD_DIR=$build RUN_DIR=$work/run PORT=$taken RUN_SH_UNTIL_UPLOAD=1 \
  timeout 120 "$src/run.sh" >"$work/out.log" 2>&1 </dev/null || rc=$?
[ "$rc" -ne 0 ] || fail "run.sh exited 0 although port $taken was taken"
[ "$rc" -ne 124 ] || fail "run.sh hung on a taken port (killed by timeout)"
grep -q "^run.sh: the server stopped at start" "$work/out.log" || fail "run.sh did not say why it stopped"
grep -q "^Review UI" "$work/out.log" && fail "run.sh printed the review URL without a server"
echo "taken port: run.sh exited $rc with: $(grep '^run.sh: ' "$work/out.log" | head -n 1)"
echo "PASS"
