#!/usr/bin/env bash
# Measures a cold build of itsa on this machine: an empty ccache and new build dirs, for the three
# builds .ci/run makes: native (test.sh's configure, all targets), Windows (scripts/build-windows:
# agent, tests and MSI; the dependency prefix stays cached, its cold time is printed apart) and the
# ASan+UBSan Debug build of what the unit tests need. Prints one Markdown table row per build.
#   bench/build/run.sh [--no-windows] [--no-asan]
# Needs what ./test.sh needs (scripts/install-deps --tests --windows). Takes 30-60 min on 2 cores.
# Nothing else should run meanwhile: the figures are wall-clock.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
windows=1
asan=1
for arg in "$@"; do
  case "$arg" in
    --no-windows) windows=0 ;;
    --no-asan) asan=0 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "bench/build: unknown option '$arg'" >&2; exit 2 ;;
  esac
done
scripts/install-deps --tests --windows
work=$(mktemp -d "${TMPDIR:-/tmp}/itsa-bench-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
export CCACHE_DIR=$work/ccache CCACHE_BASEDIR=$repo CCACHE_NOHASHDIR=1
jobs=$(nproc)
curl_prefix=$(scripts/build-linux-deps)

row() {  # name seconds units
  printf '| %s | %s | %d min %02d s | %s |\n' "$(hostname)" "$1" $(($2 / 60)) $(($2 % 60)) "$3"
}
units() { ninja -C "$1" -t commands 2>/dev/null | grep -c -- ' -c ' || true; }

echo "| machine | build | wall time | translation units |"
echo "|---|---|---|---|"
t0=$(date +%s)
cmake -S . -B "$work/native" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DITSA_WERROR=ON \
  -DITSA_CURL_PREFIX="$curl_prefix" >/dev/null
cmake --build "$work/native" -j"$jobs" >"$work/native.log" 2>&1 || { tail -30 "$work/native.log"; exit 1; }
t1=$(date +%s)
row "native, all targets (-j$jobs)" $((t1 - t0)) "$(units "$work/native")"

if [ "$windows" = 1 ]; then
  t0=$(date +%s)
  ITSA_WIN_BUILD_DIR="$work/win" ITSA_WERROR=ON scripts/build-windows >"$work/win.log" 2>&1 || { tail -30 "$work/win.log"; exit 1; }
  t1=$(date +%s)
  row "Windows x86-64 cross build + MSI (deps cached)" $((t1 - t0)) "$(units "$work/win")"
fi

if [ "$asan" = 1 ]; then
  t0=$(date +%s)
  cmake -S . -B "$work/asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DITSA_WERROR=ON -DITSA_SANITIZE=ON >/dev/null
  cmake --build "$work/asan" -j"$jobs" --target itsa_unit_tests >"$work/asan.log" 2>&1 || { tail -30 "$work/asan.log"; exit 1; }
  t1=$(date +%s)
  row "ASan+UBSan Debug, unit tests only" $((t1 - t0)) "$(units "$work/asan")"
fi
