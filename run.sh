#!/usr/bin/env bash
# Builds itsa and runs the main job on this PC with embedded defaults (SQLite):
# the collection server on loopback and the agent in the foreground, which enrols,
# measures and uploads. Prints the review URL and a reviewer login. Ctrl-C stops both.
# Installs what is missing first (scripts/install-deps).
#   PORT=8080 ./run.sh      (default port 8080)
# Environment: BUILD_DIR (default build; configured here when it has no CMakeCache.txt, else reused
#              as it is configured, e.g. the one ./test.sh made), RUN_DIR (server and agent data,
#              default .run), PORT.
#              RUN_SH_UNTIL_UPLOAD=1: stop both and exit 0 once the server has stored a batch from
#              the agent; non-zero after RUN_SH_UPLOAD_TIMEOUT_S (default 180) s without one. CI runs
#              it (tests/e2e/run_sh.sh) so that this command cannot rot.
# Needs only bash, coreutils and the build dependencies: no python3, no curl command.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps
build_dir=${BUILD_DIR:-build}
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  # The agent's small static libcurl (cmake/SmallAgent.cmake).
  curl_prefix=$(scripts/build-linux-deps)
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DITSA_CURL_PREFIX="$curl_prefix" >/dev/null
fi
cmake --build "$build_dir" -j"$(nproc)" --target itsa-agent itsa-server
agent="$build_dir/agent/itsa-agent"
server="$build_dir/server/itsa-server"
port=${PORT:-8080}
run_dir=${RUN_DIR:-.run}
until_upload=${RUN_SH_UNTIL_UPLOAD:-0}
upload_timeout_s=${RUN_SH_UPLOAD_TIMEOUT_S:-180}
mkdir -p "$run_dir"

fail() {
  echo "run.sh: $*" >&2
  if [ -f "$run_dir/server.log" ]; then
    echo "run.sh: the end of $run_dir/server.log:" >&2
    tail -n 20 "$run_dir/server.log" >&2
  fi
  exit 1
}

# The server: created once, kept between runs.
if [ ! -f "$run_dir/server/.initialised" ]; then
  "$server" init --data-dir "$run_dir/server" >/dev/null
  "$server" token create --data-dir "$run_dir/server" --site "Văn phòng" | tail -n 1 >"$run_dir/enroll-token"
  head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$run_dir/reviewer-password"
  "$server" user add --data-dir "$run_dir/server" --name admin --password-stdin <"$run_dir/reviewer-password" >/dev/null
  touch "$run_dir/server/.initialised"
fi
"$server" run --data-dir "$run_dir/server" --listen "127.0.0.1:$port" >"$run_dir/server.log" 2>&1 &
server_pid=$!
agent_pid=""
stop_all() {
  [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null
  kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  return 0
}
trap stop_all EXIT

# Health wait: GET /healthz through bash's /dev/tcp until it answers 200 (at most 30 s).
healthy() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$port" >&3
    IFS= read -r -t 2 status_line <&3 || exit 1
    [[ $status_line == "HTTP/1."?" 200"* ]]
  ) 2>/dev/null
}
for i in $(seq 1 150); do
  kill -0 "$server_pid" 2>/dev/null || fail "the server stopped at start (is port $port in use? PORT=... picks another)"
  healthy && break
  [ "$i" -eq 150 ] && fail "the server did not answer http://127.0.0.1:$port/healthz within 30 s"
  sleep 0.2
done

# The agent: every key not written here takes the default of config/agent.sample.json. The data dir
# is relative to the config file's folder; the agent's own `configure` writes the server URL and token.
cat >"$run_dir/agent.json" <<'JSON'
{
  "data_dir": "agent",
  "site": "Văn phòng"
}
JSON
"$agent" configure --config "$run_dir/agent.json" --server-url "http://127.0.0.1:$port" \
  --enroll-token "$(cat "$run_dir/enroll-token")" >/dev/null
"$agent" inventory || true
echo
echo "Review UI: http://127.0.0.1:$port/machines   (login: admin / $(cat "$run_dir/reviewer-password"))"
echo "Server log: $run_dir/server.log. The agent runs below; Ctrl-C stops it."
if [ "$until_upload" != 1 ]; then
  "$agent" run --config "$run_dir/agent.json"
  exit
fi

# RUN_SH_UNTIL_UPLOAD=1: the agent in the background until the server has stored records from it
# (`itsa-server stats`: what the server acknowledged), then both stop.
"$agent" run --config "$run_dir/agent.json" &
agent_pid=$!
stored_records() {
  local last
  last=$("$server" stats --data-dir "$run_dir/server" 2>/dev/null | tail -n 1) || return 0
  # "N agents, M records"
  [[ $last =~ ^([0-9]+)\ agents,\ ([0-9]+)\ records$ ]] && echo "${BASH_REMATCH[2]}"
}
before=$(stored_records)
before=${before:-0}
deadline=$((SECONDS + upload_timeout_s))
while :; do
  kill -0 "$agent_pid" 2>/dev/null || fail "the agent stopped before it uploaded (its output is above)"
  now=$(stored_records)
  if [ "${now:-0}" -gt "$before" ]; then
    echo "run.sh: the server stored an upload from the agent ($((now - before)) new records, $now in all; RUN_SH_UNTIL_UPLOAD=1: stopping both)"
    stop_all
    agent_pid=""
    trap - EXIT
    exit 0
  fi
  [ "$SECONDS" -ge "$deadline" ] && fail "RUN_SH_UNTIL_UPLOAD=1: the server stored no upload from the agent within $upload_timeout_s s"
  sleep 1
done
