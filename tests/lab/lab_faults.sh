#!/usr/bin/env bash
# Lab integration test (issue 4): runs the real `itsa-agent run` in the PC namespace,
# injects each fault for 10 s, then checks the outages and degraded records it stored.
#   lab_faults.sh AGENT_BINARY [WORK_DIR]
# Phases: clean run (LAB_CLEAN_S, default 60 s; bench/network measures false outages over 30 min) -> cable, lan, provider, dns (10 s each)
# -> 20% loss for LAB_LOSS_S (default 60 s). Needs root (network namespaces, nftables).
set -uo pipefail
AGENT=${1:?usage: lab_faults.sh AGENT_BINARY [WORK_DIR]}
WORK=${2:-$(mktemp -d /tmp/itsalab-work.XXXXXX)}
rm -rf "$WORK" && mkdir -p "$WORK"  # a store left by an earlier run would add its outages
export LAB_DIR="$WORK/lab"
mkdir -p "$LAB_DIR"
source "$(dirname "$0")/office.sh"
lab_preflight
trap lab_down EXIT INT TERM

CLEAN_S=${LAB_CLEAN_S:-60}
LOSS_S=${LAB_LOSS_S:-60}
FAULT_S=10
lab_up || exit 1
lab_agent_config "$WORK/agent.json" "$WORK/data"
now() { date -u +%s.%N; }
events="$WORK/events.txt"
: >"$events"

ip netns exec "$LAB_PC" "$AGENT" run --config "$WORK/agent.json" >"$WORK/agent.log" 2>&1 &
agent_pid=$!
sleep 3  # first rounds, baseline

echo "clean $(now)" >>"$events"
sleep "$CLEAN_S"
echo "clean_end $(now)" >>"$events"
lab_fault_sequence "$events" "$FAULT_S"
# The loss phase runs at the DEFAULT probe settings (5 s rounds, down_after/up_after 2), as the
# issue asks: restart the agent on the same store with the interval left at its default.
kill -TERM "$agent_pid"
wait "$agent_pid"
echo "agent exit $?" >>"$events"
python3 - "$WORK/agent.json" "$WORK/agent-default.json" <<'PY'
import json, sys
cfg = json.load(open(sys.argv[1]))
cfg["probes"].pop("interval_s", None)
json.dump(cfg, open(sys.argv[2], "w"))
PY
ip netns exec "$LAB_PC" "$AGENT" run --config "$WORK/agent-default.json" >>"$WORK/agent.log" 2>&1 &
agent_pid=$!
# Start the loss at a minute boundary so one whole minute is lossy (minutes are what the
# degraded rule judges), and stop after the next boundary so that minute is written.
sleep $(( 61 - $(date -u +%-S) ))
echo "loss on $(now)" >>"$events"
lab_fault loss:20 on
sleep "$LOSS_S"
lab_fault loss:20 off
echo "loss off $(now)" >>"$events"
sec=$(date -u +%-S); [ "$sec" -lt 8 ] && sleep $(( 8 - sec ))
kill -TERM "$agent_pid"
wait "$agent_pid"
echo "agent exit $?" >>"$events"

ip netns exec "$LAB_PC" "$AGENT" outages --config "$WORK/agent.json" --json >"$WORK/outages.json"
python3 "$(dirname "$0")/check_lab.py" "$events" "$WORK/outages.json" "$WORK/data/evidence.db" \
  "${LAB_INTERVAL_S:-1}"
rc=$?
[ $rc -ne 0 ] && { echo "--- agent log (tail) ---"; tail -40 "$WORK/agent.log"; }
exit $rc
