#!/usr/bin/env bash
# False-outage rate under random loss (issue 4): the lab's PC port drops LOSS% of packets
# in both directions for MINUTES; the agent runs at the default settings (interval 5 s,
# timeout 1000 ms, down_after 2, up_after 2). Every outage recorded is a false one.
#   bench_false_outages.sh AGENT_BINARY [MINUTES=30] [LOSS=20]
set -euo pipefail
AGENT=${1:?usage: bench_false_outages.sh AGENT_BINARY [MINUTES] [LOSS]}
MINUTES=${2:-30}
LOSS=${3:-20}
export LAB_PREFIX=itsafo LAB_INTERVAL_S=${LAB_INTERVAL_S:-5}
WORK=$(mktemp -d /tmp/itsafo.XXXXXX)
export LAB_DIR=$WORK/lab
mkdir -p "$LAB_DIR"
source "$(dirname "$0")/../../tests/lab/office.sh"
trap lab_down EXIT INT TERM
lab_up
lab_agent_config "$WORK/agent.json" "$WORK/data"
lab_fault "loss:$LOSS" on
ip netns exec "$LAB_PC" "$AGENT" run --config "$WORK/agent.json" >"$WORK/agent.log" 2>&1 &
pid=$!
sleep $((MINUTES * 60))
kill -TERM "$pid"; wait "$pid" || true
ip netns exec "$LAB_PC" "$AGENT" outages --config "$WORK/agent.json" --json >"$WORK/outages.json"
python3 - "$WORK/outages.json" "$WORK/data/evidence.db" "$MINUTES" "$LOSS" "$LAB_INTERVAL_S" <<'PY'
import json, sqlite3, sys, zlib
def stored_payload(v):  # docs/store.md: long payloads are zlib BLOBs behind a 4-byte length
    return json.loads(zlib.decompress(v[4:]) if isinstance(v, bytes) else v)
def column(p, k):  # a minute series keeps one element per minute (docs/protocol.md)
    v = p.get(k) or 0
    return sum(x or 0 for x in v) if isinstance(v, list) else v
outages = json.load(open(sys.argv[1]))
db = sqlite3.connect(sys.argv[2])
minutes, loss, interval = float(sys.argv[3]), sys.argv[4], sys.argv[5]
pm = [stored_payload(p) for (p,) in db.execute("SELECT payload FROM records WHERE type='probe_minute'")]
deg = db.execute("SELECT COUNT(*) FROM records WHERE type='degraded'").fetchone()[0]
blips = [stored_payload(p) for (p,) in db.execute("SELECT payload FROM records WHERE type='blip_minute'")]
blip_total = sum(b.get("total", 0) for b in blips)
sent = sum(column(p, "sent") for p in pm); lost = sum(column(p, "lost") for p in pm)
real = [o for o in outages if o.get("end_reason") != "observation_ended" or o["duration_s"] > 0]
print(f"loss={loss}% minutes={minutes:.0f} interval_s={interval} false_outages={len(real)} "
      f"per_hour={len(real) / minutes * 60:.2f} degraded_minute_records={deg} attempt_loss_pct={100 * lost / max(sent, 1):.1f} "
      f"blips={blip_total}")
for o in real: print("  ", o["cause"], o["start"], o["duration_s"])
PY
