#!/usr/bin/env python3
"""Checks a lab run: every injected fault gives exactly one outage with the right cause,
start/end within one probe interval + 1 s; no outage in the clean run or under loss;
degraded evidence during the loss minute. Usage: check_lab.py EVENTS OUTAGES_JSON DB INTERVAL_S"""
import datetime
import json
import zlib
import sqlite3
import sys

CAUSE = {"cable": "link_down", "lan": "lan", "provider": "upstream", "dns": "dns"}


def ts(text: str) -> float:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def main() -> int:
    events_file, outages_file, db, interval = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    tol = interval + 1.0
    marks = {}
    for line in open(events_file):
        parts = line.split()
        marks[" ".join(parts[:-1])] = float(parts[-1])
    outages = json.load(open(outages_file))
    failures = []
    for o in outages:
        print(f"outage {o['cause']:9} {o['start']} -> {o['end']} {o['duration_s']:.1f} s end_reason={o.get('end_reason')}")
    if marks.get("agent exit") not in (0.0, None):
        failures.append(f"agent exited with {marks.get('agent exit')}")
    used = set()
    for fault, cause in CAUSE.items():
        t_on, t_off = marks[f"{fault} on"], marks[f"{fault} off"]
        hits = [o for o in outages if o["end"] and ts(o["start"]) < t_off + tol and ts(o["end"]) > t_on - tol]
        if len(hits) != 1:
            failures.append(f"{fault}: expected exactly one outage, found {len(hits)}")
            continue
        o = hits[0]
        used.add(o["id"])
        if o["cause"] != cause:
            failures.append(f"{fault}: cause {o['cause']}, expected {cause}")
        ds, de = ts(o["start"]) - t_on, ts(o["end"]) - t_off
        print(f"{fault}: cause={o['cause']} start {ds:+.2f} s, end {de:+.2f} s (tolerance {tol} s)")
        if abs(ds) > tol:
            failures.append(f"{fault}: start off by {ds:+.2f} s")
        if abs(de) > tol:
            failures.append(f"{fault}: end off by {de:+.2f} s")
    extra = [o for o in outages if o["id"] not in used]
    for o in extra:
        failures.append(f"unexpected outage {o['cause']} at {o['start']} (clean run or loss phase)")
    # Degraded evidence during the loss phase.
    con = sqlite3.connect(db)
    # Long payloads are zlib BLOBs behind a 4-byte length (docs/store.md).
    rows = [json.loads(zlib.decompress(p[4:]) if isinstance(p, bytes) else p)
            for (p,) in con.execute("SELECT payload FROM records WHERE type = 'degraded'")]
    t_on, t_off = marks["loss on"], marks["loss off"]
    in_loss = [r for r in rows if t_on - 60 <= ts(r["minute"]) <= t_off and r["reason"] == "loss"]
    print(f"degraded records: {len(rows)} total, {len(in_loss)} for loss during the lossy minute")
    if not in_loss:
        failures.append("no degraded (loss) record during the 20% loss phase")
    clean = [r for r in rows if marks["clean"] + 60 <= ts(r["minute"]) and ts(r["minute"]) + 60 <= marks["clean_end"]]
    if clean:
        failures.append(f"{len(clean)} degraded minutes during the clean run")
    kinds = dict(con.execute("SELECT type, COUNT(*) FROM records GROUP BY type").fetchall())
    print("records by type:", kinds)
    for needed in ("probe_minute", "link_minute", "link_event", "outage"):
        if not kinds.get(needed):
            failures.append(f"no {needed} record stored")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
