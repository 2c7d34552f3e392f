#!/usr/bin/env python3
"""Checks a lab_causes.sh run: each injected fault gives exactly one outage with the expected
cause and the rule that named it, start/end within one probe interval + 1 s; the slow resolver
gives no outage but a degraded "slow" minute; no other outage.
Usage: check_causes.py EVENTS OUTAGES_JSON DB INTERVAL_S"""
import datetime
import json
import sqlite3
import sys
import zlib

# fault -> (cause, rule of the confirming round)
EXPECT = {
    "provider": ("upstream", "gateway_reachable_internet_silent"),
    "cable": ("link_down", "route_interface_no_carrier"),
    "dns": ("dns", "resolver_silent_internet_answers"),
    "lan": ("lan", "gateway_unresolvable"),
}


def ts(text: str) -> float:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def payloads(con, kind):
    # Long payloads are zlib BLOBs behind a 4-byte length (docs/store.md).
    return [json.loads(zlib.decompress(p[4:]) if isinstance(p, bytes) else p)
            for (p,) in con.execute("SELECT payload FROM records WHERE type = ?", (kind,))]


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
        rule = o.get("evidence", {}).get("confirming_round", {}).get("rule")
        print(f"outage {o['cause']:9} {o['start']} -> {o['end']} {o['duration_s']:.1f} s rule={rule}")
    if marks.get("agent exit") not in (0.0, None):
        failures.append(f"agent exited with {marks.get('agent exit')}")
    used = set()
    for fault, (cause, rule) in EXPECT.items():
        t_on, t_off = marks[f"{fault} on"], marks[f"{fault} off"]
        hits = [o for o in outages if o["end"] and ts(o["start"]) < t_off + tol and ts(o["end"]) > t_on - tol]
        if len(hits) != 1:
            failures.append(f"{fault}: expected exactly one outage, found {len(hits)}")
            used.update(o["id"] for o in hits)
            continue
        o = hits[0]
        used.add(o["id"])
        got_rule = o.get("evidence", {}).get("confirming_round", {}).get("rule")
        if o["cause"] != cause:
            failures.append(f"{fault}: cause {o['cause']}, expected {cause}")
        if got_rule != rule:
            failures.append(f"{fault}: rule {got_rule}, expected {rule}")
        ds, de = ts(o["start"]) - t_on, ts(o["end"]) - t_off
        print(f"{fault}: cause={o['cause']} rule={got_rule} start {ds:+.2f} s, end {de:+.2f} s (tolerance {tol} s)")
        if abs(ds) > tol:
            failures.append(f"{fault}: start off by {ds:+.2f} s")
        if abs(de) > tol:
            failures.append(f"{fault}: end off by {de:+.2f} s")
    for o in outages:
        if o["id"] not in used:
            failures.append(f"unexpected outage {o['cause']} at {o['start']} (none was injected then)")
    con = sqlite3.connect(db)
    degraded = payloads(con, "degraded")
    t_on, t_off = marks["slowdns on"], marks["slowdns off"]
    slow = [r for r in degraded if r["reason"] == "slow" and r["layer"] == "dns" and t_on - 60 <= ts(r["minute"]) <= t_off]
    print(f"degraded records: {len(degraded)}, slow dns minutes during the slow phase: {len(slow)}")
    if not slow:
        failures.append("no degraded (slow) dns minute while the resolver answered late")
    links = payloads(con, "link_event")
    print("link events:", sorted({e["event"] for e in links}))
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
