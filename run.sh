#!/usr/bin/env bash
# Builds itsa and runs the main job on this PC with embedded defaults (SQLite):
# the collection server on loopback and the agent in the foreground, which enrols,
# measures and uploads. Prints the review URL and a reviewer login. Ctrl-C stops both.
# Installs what is missing first (scripts/install-deps).
#   PORT=8080 ./run.sh      (default port 8080)
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps
build_dir=${BUILD_DIR:-build}
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
# The agent's small static libcurl (cmake/SmallAgent.cmake).
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DITSA_CURL_PREFIX="$(scripts/build-linux-deps)" >/dev/null
cmake --build "$build_dir" -j"$(nproc)" --target itsa-agent itsa-server
agent="$build_dir/agent/itsa-agent"
server="$build_dir/server/itsa-server"
port=${PORT:-8080}
run_dir=.run
mkdir -p "$run_dir"

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
trap 'kill $server_pid 2>/dev/null; wait $server_pid 2>/dev/null' EXIT
for _ in $(seq 1 50); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done

# The agent: the sample config with this run's data dir, server and token.
python3 - "$run_dir" "$port" <<'PY'
import json, re, sys, os
run_dir, port = sys.argv[1], sys.argv[2]
text = open("config/agent.sample.json", encoding="utf-8").read()
text = re.sub(r"^\s*//.*$", "", text, flags=re.M)
cfg = json.loads(text)
cfg["data_dir"] = os.path.abspath(os.path.join(run_dir, "agent"))
cfg["site"] = "Văn phòng"
cfg["server"]["url"] = f"http://127.0.0.1:{port}"
cfg["server"]["enroll_token"] = open(os.path.join(run_dir, "enroll-token")).read().strip()
json.dump(cfg, open(os.path.join(run_dir, "agent.json"), "w", encoding="utf-8"), ensure_ascii=False, indent=2)
PY
"$agent" inventory || true
echo
echo "Review UI: http://127.0.0.1:$port/machines   (login: admin / $(cat "$run_dir/reviewer-password"))"
echo "Server log: $run_dir/server.log. The agent runs below; Ctrl-C stops it."
"$agent" run --config "$run_dir/agent.json"
