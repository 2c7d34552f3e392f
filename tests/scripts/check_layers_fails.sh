#!/usr/bin/env bash
# The layer check can fail: in a scratch tree, a collector that includes the agent and a store
# file that includes a peer of its layer (report/) are both named; a clean tree passes.
set -euo pipefail
src=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/scripts" "$work/collectors/network" "$work/store" "$work/agent"
cp "$src/scripts/check-layers" "$work/scripts/"
printf '#include "common/log.hpp"\n#include "collectors/network/prober.hpp"\n' >"$work/collectors/network/ok.cpp"
printf '#include "store/evidence_store.hpp"\n#include "collectors/inventory.hpp"\n' >"$work/agent/ok.cpp"
"$work/scripts/check-layers" >/dev/null || { echo "FAIL: a clean tree was refused"; exit 1; }
printf '#include <vector>\n#include "agent/tasks/task.hpp"\n' >"$work/collectors/network/bad.cpp"
printf '#include "report/model.hpp"\n' >"$work/store/bad.cpp"
if "$work/scripts/check-layers" 2>"$work/err"; then
  echo "FAIL: check-layers passed a collector that includes agent/"; exit 1
fi
grep -q 'collectors/network/bad.cpp:2: includes "agent/tasks/task.hpp"' "$work/err" || { cat "$work/err"; echo "FAIL: upward include not named"; exit 1; }
grep -q 'store/bad.cpp:1: includes "report/model.hpp"' "$work/err" || { cat "$work/err"; echo "FAIL: peer include not named"; exit 1; }
echo "check-layers refuses upward and sideways includes and names them"
