#!/bin/sh
# Store and upload figures of issue 5 (see bench/store/results.md):
#   records/s of durable appends, bytes uploaded per agent per day at defaults,
#   store size after 30 days offline.
# Usage: bench/store/run.sh [BUILD_DIR]   (default build-store)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build-store}
cmake --build "$build" --target itsa_bench_store >/dev/null
echo "machine: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "date: $(date -u +%Y-%m-%d)"
echo "| figure | value |"
echo "|---|---|"
"$build/tests/uploader/itsa_bench_store" "${TMPDIR:-/tmp}/itsa-bench-store"
