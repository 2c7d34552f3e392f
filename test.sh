#!/usr/bin/env bash
# Builds itsa and runs the whole test suite through CTest. Exits non-zero on any failure.
# Installs what is missing first (scripts/install-deps).
#   ./test.sh                 everything
#   ./test.sh -L unit         only tests labelled "unit" (any ctest arguments pass through)
# Environment: BUILD_DIR (default build), ITSA_WERROR=ON (warnings are errors),
#              ITSA_SANITIZE=ON (ASan+UBSan build).
#              ITSA_SKIP_WINDOWS=1 skips the Windows cross builds (x64 and x86) + Wine tests (quick local runs only;
#              CI never sets it). They are also skipped in the ASan build, which does not apply to them.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps --tests
build_dir=${BUILD_DIR:-build}
# ccache: share compiled objects between clones of the tree (CI clones into a new folder).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
# The agent's small static libcurl (cmake/SmallAgent.cmake); the sanitizer build uses Debian's.
curl_prefix=""
[ "${ITSA_SANITIZE:-OFF}" != ON ] && curl_prefix=$(scripts/build-linux-deps)
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
  -DITSA_WERROR="${ITSA_WERROR:-OFF}" -DITSA_SANITIZE="${ITSA_SANITIZE:-OFF}" \
  -DITSA_CURL_PREFIX="$curl_prefix" >/dev/null
# The sanitizer build runs only the unit tests (.ci/run): it builds only what they need.
targets=()
[ "${ITSA_SANITIZE:-OFF}" = ON ] && targets=(--target itsa_unit_tests)
cmake --build "$build_dir" -j"$(nproc)" "${targets[@]}"
(cd "$build_dir" && ctest --output-on-failure --timeout 900 "$@")
if [ "${ITSA_SKIP_WINDOWS:-0}" != 1 ] && [ "${ITSA_SANITIZE:-OFF}" != ON ]; then
  echo "== Windows: cross builds, x64 and x86 (scripts/build-windows), and their tests under Wine (Windows 7 prefixes)"
  ITSA_WERROR="${ITSA_WERROR:-OFF}" scripts/build-windows --test
fi
