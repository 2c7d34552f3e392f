#!/usr/bin/env bash
# Builds itsa and runs the main job on this PC with embedded defaults: the agent in the
# foreground with config/agent.sample.json, printing what it measures (Ctrl-C stops it).
# Installs what is missing first (scripts/install-deps).
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
agent="$build_dir/agent/itsa-agent"
"$agent" version
"$agent" check-config config/agent.sample.json
