#!/usr/bin/env bash
# Lab scenario (issue 14): a flapping carrier at the DEFAULT probe interval (5 s rounds).
# The gateway's end of the PC's cable (gwl) goes down and up 15 times, with sub-second and
# 2 s losses and gaps, while the real itsa-agent runs in the PC namespace; every one of the 15
# losses must be in link_minute.flaps (the netlink change messages and the kernel's
# carrier_changes counter, not the 5 s rounds). Then the PC's own interface is disabled and
# enabled once: an admin_down/admin_up link_event, not a flap. No link_event may carry a
# link_minute payload (issue 14 item 7).
#   lab_flap.sh AGENT_BINARY [WORK_DIR]
# Needs root (network namespaces). About 70 s.
set -uo pipefail
AGENT=${1:?usage: lab_flap.sh AGENT_BINARY [WORK_DIR]}
WORK=${2:-$(mktemp -d /tmp/itsalab-flap.XXXXXX)}
rm -rf "$WORK" && mkdir -p "$WORK"
export LAB_PREFIX=itsaflap  # own namespaces
export LAB_DIR="$WORK/lab"
export LAB_INTERVAL_S=5  # the default probes.interval_s
mkdir -p "$LAB_DIR"
source "$(dirname "$0")/office.sh"
lab_preflight
trap lab_down EXIT INT TERM
FLAPS=15
fail() {
  echo "FAIL: $*"
  echo "--- agent log (tail)"; tail -n 30 "$WORK/agent.log" 2>/dev/null
  exit 1
}
lab_up || exit 1
lab_agent_config "$WORK/agent.json" "$WORK/data"
ip netns exec "$LAB_PC" "$AGENT" run --config "$WORK/agent.json" >"$WORK/agent.log" 2>&1 &
agent_pid=$!
sleep 3  # the first round and the first look at the links

# Odd losses: 0.3 s down, 0.4 s up (several inside one round); even: 2 s down, 2 s up.
for i in $(seq "$FLAPS"); do
  if [ $((i % 2)) -eq 1 ]; then down_s=0.3 up_s=0.4; else down_s=2 up_s=2; fi
  ip -n "$LAB_GW" link set gwl down
  sleep "$down_s"
  ip -n "$LAB_GW" link set gwl up
  sleep "$up_s"
done
echo "injected $FLAPS carrier losses"
sleep 2
# The user disables the PC's interface and enables it again: not a fault.
ip -n "$LAB_PC" link set pc0 down
sleep 1
ip -n "$LAB_PC" link set pc0 up
ip -n "$LAB_PC" route replace default via "$LAB_GW_LAN"
sleep 3
kill -TERM "$agent_pid"
wait "$agent_pid"
rc=$?
[ $rc -eq 0 ] || fail "the agent exited with $rc"

ip netns exec "$LAB_PC" "$AGENT" links --config "$WORK/agent.json" --json >"$WORK/links.json" ||
  fail "itsa-agent links"
python3 - "$WORK/links.json" "$WORK/data/evidence.db" "$FLAPS" <<'PY' || fail "see above"
import json, sqlite3, sys, zlib
links, db, expected = json.load(open(sys.argv[1])), sys.argv[2], int(sys.argv[3])
pc0 = [l for l in links["links"] if l["interface"] == "pc0"]
day = pc0[0]["last_24h"] if pc0 else None
flaps = day["flaps"] if day else None
print(f"link_minute flaps on pc0: {flaps} (expected {expected}), minutes {day and day['minutes']}")
con = sqlite3.connect(db)
def payloads(kind):
    # Long payloads are zlib BLOBs behind a 4-byte length (docs/store.md).
    return [json.loads(zlib.decompress(p[4:]) if isinstance(p, bytes) else p)
            for (p,) in con.execute("SELECT payload FROM records WHERE type = ?", (kind,))]
events = payloads("link_event")
kinds = {}
for e in events:
    kinds[e.get("event")] = kinds.get(e.get("event"), 0) + 1
print("link_event:", kinds)
failures = []
if flaps != expected:
    failures.append(f"{flaps} flaps counted in link_minute, {expected} injected")
if any("minute" in e or "event" not in e for e in events):
    failures.append("a link_minute payload was stored as a link_event")
if kinds.get("admin_down") != 1 or kinds.get("admin_up") != 1:
    failures.append("disabling and enabling pc0 did not give one admin_down and one admin_up")
for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
PY
echo "PASS: every carrier loss counted at the default interval"
