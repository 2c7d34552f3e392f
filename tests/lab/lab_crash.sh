#!/usr/bin/env bash
# Lab (issue 14 items 4 and 10): the real `itsa-agent run` in the PC namespace is killed -9 during
# an outage (LAB_CRASH_FAULT: provider, default, or cable), restarted during it, killed -9 again,
# and restarted after the fault ended. Checks (python below, reading the store and the local
# report): each run's outage ends "agent_stopped" at that run's last observation (its last
# round, within one probe interval + 2 s of the kill), the second run opens its own outage at its first rounds, the third run
# none, and the report counts no downtime after a crash. Also: a second `run` on the same
# data_dir exits 4 while the first keeps running; `status` works beside it. Needs root. ~3 min.
#   lab_crash.sh AGENT_BINARY [WORK_DIR]
set -uo pipefail
AGENT=${1:?usage: lab_crash.sh AGENT_BINARY [WORK_DIR]}
WORK=${2:-$(mktemp -d /tmp/itsalab-crash.XXXXXX)}
rm -rf "$WORK" && mkdir -p "$WORK"
export LAB_DIR="$WORK/lab"
mkdir -p "$LAB_DIR"
source "$(dirname "$0")/office.sh"
lab_preflight
trap lab_down EXIT INT TERM

FAULT=${LAB_CRASH_FAULT:-provider}
RUN_S=${LAB_CRASH_RUN_S:-70}  # each crashed run outlives one coverage draft update (60 s)
lab_up || exit 1
lab_agent_config "$WORK/agent.json" "$WORK/data"
events="$WORK/events.txt"
: >"$events"
mark() { echo "$1 $(date -u +%s.%N)" >>"$events"; }
start_agent() {
  ip netns exec "$LAB_PC" "$AGENT" run --config "$WORK/agent.json" >>"$WORK/agent.log" 2>&1 &
  agent_pid=$!
}
crash_agent() {
  kill -KILL "$agent_pid"
  wait "$agent_pid" 2>/dev/null
}

start_agent
mark "run1 start"
sleep 3
# One agent per data folder: a second run is refused (exit 4), the first keeps running.
timeout 30 ip netns exec "$LAB_PC" "$AGENT" run --config "$WORK/agent.json" >"$WORK/second.log" 2>&1
echo "second_run_rc $?" >>"$events"
kill -0 "$agent_pid" 2>/dev/null && echo "first_alive 1" >>"$events" || echo "first_alive 0" >>"$events"
ip netns exec "$LAB_PC" "$AGENT" status --config "$WORK/agent.json" --json >"$WORK/status.json" 2>&1
echo "status_rc $?" >>"$events"

sleep 2
mark "fault on"
lab_fault "$FAULT" on
sleep "$RUN_S"
mark "kill1"
crash_agent
sleep 2
start_agent  # during the fault
mark "run2 start"
sleep "$RUN_S"
mark "kill2"
crash_agent
sleep 2
lab_fault "$FAULT" off
mark "fault off"
sleep 3
start_agent  # after the fault
mark "run3 start"
sleep 12
kill -TERM "$agent_pid"
wait "$agent_pid"
echo "agent exit $?" >>"$events"

ip netns exec "$LAB_PC" "$AGENT" outages --config "$WORK/agent.json" --json >"$WORK/outages.json"
ip netns exec "$LAB_PC" "$AGENT" report --config "$WORK/agent.json" --hours all --format json \
  --out "$WORK/report.json" >/dev/null
echo "report_rc $?" >>"$events"
python3 - "$events" "$WORK/outages.json" "$WORK/data/evidence.db" "$WORK/report.json" "$FAULT" \
  "${LAB_INTERVAL_S:-1}" <<'PY'
import datetime, json, sqlite3, sys, zlib

events_file, outages_file, db, report_file, fault, interval = sys.argv[1:7]
interval = float(interval)
tol = interval + 1.0        # a fault's outage starts within one round + 1 s
start_tol = interval + 3.0  # a restarted agent's first round: its start-up, then one round
draft_s = 60.0              # the coverage draft's interval (agent/daemon.hpp)
cause = {"provider": "upstream", "cable": "link_down"}[fault]


def ts(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


marks = {}
for line in open(events_file):
    parts = line.split()
    marks[" ".join(parts[:-1])] = float(parts[-1])
failures = []
def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)

check(marks.get("second_run_rc") == 4.0, f"a second run on the same data_dir exits 4 (got {marks.get('second_run_rc')})")
check(marks.get("first_alive") == 1.0, "the first agent kept running beside the refused one")
check(marks.get("status_rc") == 0.0, "status works beside the running agent")
check(marks.get("agent exit") == 0.0, f"the third run stopped cleanly (exit {marks.get('agent exit')})")
check(marks.get("report_rc") == 0.0, "the local report was written")

outages = sorted(json.load(open(outages_file)), key=lambda o: o["start"])
for o in outages:
    print(f"outage {o['cause']:9} {o['start']} -> {o['end']} {o['duration_s']:.1f} s "
          f"state={o['state']} end_reason={o.get('end_reason')}")
check(len(outages) == 2, f"exactly two outages (one per crashed run), found {len(outages)}")

runs = [("run1", marks["fault on"], tol, marks["run1 start"], marks["kill1"]),
        ("run2", marks["run2 start"], start_tol, marks["run2 start"], marks["kill2"])]
for (name, opened_at, start_tol_s, run_start, killed), o in zip(runs, outages):
    start, end = ts(o["start"]), ts(o["end"]) if o["end"] else None
    check(o["cause"] == cause, f"{name}: cause {o['cause']}, expected {cause}")
    check(o["state"] == "closed" and o.get("end_reason") == "agent_stopped",
          f"{name}: closed as agent_stopped (state {o['state']}, end_reason {o.get('end_reason')})")
    check(-tol <= start - opened_at <= start_tol_s, f"{name}: starts {start - opened_at:+.2f} s after "
          f"{'the fault' if name == 'run1' else 'the restart'} (tolerance {start_tol_s} s)")
    if end is None:
        continue
    # Ends at the crashed run's last observation: its last round (the network task keeps it as a
    # draft while an outage is open), so not after the kill and at most one round + 1 s before it.
    check(killed - tol - 1.0 <= end <= killed + 0.5, f"{name}: ends {end - killed:+.2f} s from the kill -9 "
          f"(its last round; tolerance {tol + 1.0} s)")
    check(end - run_start >= draft_s - 1, f"{name}: ends {end - run_start:.1f} s after its run started "
          f"(later than the coverage draft's first update, >= {draft_s - 1} s)")
    check(abs(o["duration_s"] - (end - start)) < 0.01 and o["duration_s"] >= 0,
          f"{name}: duration_s {o['duration_s']} = end - start")

con = sqlite3.connect(db)
def payloads(kind):
    return [json.loads(zlib.decompress(p[4:]) if isinstance(p, bytes) else p)
            for (p,) in con.execute("SELECT payload FROM records WHERE type = ? ORDER BY seq", (kind,))]
crashed = [c for c in payloads("coverage") if c["end_reason"] == "crashed"]
for c in crashed:
    print(f"coverage crashed {c['start']} -> {c['end']}")
check(len(crashed) == 2, f"two coverage spans closed 'crashed', found {len(crashed)}")
if len(crashed) == 2 and len(outages) == 2:
    for c, o in zip(crashed, outages):
        check(abs(ts(c["end"]) - ts(o["end"])) < 0.002, f"the crashed span and its outage end together ({c['end']})")
starts = [l for l in payloads("lifecycle") if l["event"] == "start"]
check(len(starts) == 3, f"three runs started (the refused one did not), found {len(starts)}")
con.close()

net = json.load(open(report_file))["network"]
downtime = net["downtime_s"]
expected = sum(o["duration_s"] for o in outages)
bound = (marks["kill1"] - marks["fault on"]) + (marks["kill2"] - marks["run2 start"])
print(f"report: observed {net['observed_s']} s, downtime {downtime} s; outages' durations {expected:.1f} s; "
      f"the faults while observed lasted at most {bound:.1f} s")
check(abs(downtime - expected) <= 1.0, "the report's downtime is the two outages' durations")
check(downtime <= bound + 1.0, "no downtime counted after a crash (nor in the gaps)")
sys.exit(1 if failures else 0)
PY
rc=$?
[ $rc -ne 0 ] && { echo "--- agent log (tail) ---"; tail -40 "$WORK/agent.log"; cat "$WORK/second.log"; }
exit $rc
