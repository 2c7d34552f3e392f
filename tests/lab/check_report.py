#!/usr/bin/env python3
"""Checks the evidence report of a lab run (lab_report.sh) against the injected faults.
Usage: check_report.py EVENTS REPORT_JSON AGENT_OUTAGES_JSON OUTAGES_CSV INTERVAL_S [AGENT_REPORT_JSON]

Tolerances (INTERVAL_S = probe round interval, 1 s in the lab):
- an outage starts at the first failed round after the fault is applied and ends at the first
  good round after it is lifted, so each end is off by at most one interval plus probe time
  (< 1 s): |start - fault on| and |end - fault off| <= INTERVAL_S + 1, the same rule as the
  lab's own check (+ 1 s: the report prints whole seconds). Both ends lag the same way (0 to one
  round), so a duration is within INTERVAL_S + 1 (+ 1 s of rounding) of the fault's, and the
  total downtime of 4 faults within 4 * (INTERVAL_S + 2);
- the server adds nothing of its own: downtime equals the sum of the agent's own outage
  durations within 1 s (milliseconds rounded per outage), and observed time equals the agent
  run (start to SIGTERM) within 5 s (process start-up before the first coverage record);
- `itsa-agent report` on the PC's own store gives the same outage events and downtime (its
  observed time also holds the second run, whose stop record the server never got)."""
import csv
import datetime
import json
import sys

CAUSE = {"cable": "link_down", "lan": "lan", "provider": "upstream", "dns": "dns"}


def ts(text: str) -> float:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def main() -> int:
    events_file, report_file, outages_file, csv_file, interval = sys.argv[1:6]
    interval = float(interval)
    tol = interval + 1.0
    marks = {}
    for line in open(events_file):
        parts = line.split()
        marks[" ".join(parts[:-1])] = float(parts[-1])
    report = json.load(open(report_file))
    agent_outages = json.load(open(outages_file))
    net, scope = report["network"], report["scope"]
    failures = []

    def check(ok: bool, what: str) -> None:
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            failures.append(what)

    o = net["outages"]
    print(f"report: observed_s={net['observed_s']} downtime_s={net['downtime_s']} availability={net['availability_pct']} "
          f"outages={json.dumps(o['by_cause'])} mttr_s={net['mttr_s']} mtbf_s={net['mtbf_s']}")
    check(marks.get("agent exit") == 0.0, f"agent exited 0 (got {marks.get('agent exit')})")
    check(scope["machines_total"] == 1 and scope["machines_observed"] == 1, "one machine, observed")
    check(o["count"] == 4, f"4 outages counted (got {o['count']})")
    check(o["by_cause"] == {"link_down": 1, "lan": 1, "upstream": 1, "dns": 1, "unknown": 0}, f"one outage per cause (got {o['by_cause']})")
    check(o["single_machine"] == 4 and o["site_wide"] == 0, "all single-machine (one PC in the site)")
    check(o["machine_outages"] == 4, f"4 PC-outages (got {o['machine_outages']})")

    # Each event against its fault: cause, start and end.
    events = net["events"]
    for fault, cause in CAUSE.items():
        on, off = marks[f"{fault} on"], marks[f"{fault} off"]
        hits = [e for e in events if ts(e["start"]) < off + tol and ts(e["end"]) > on - tol]
        check(len(hits) == 1, f"{fault}: exactly one event in the report")
        if len(hits) != 1:
            continue
        e = hits[0]
        check(e["cause"] == cause, f"{fault}: cause {e['cause']} (expected {cause})")
        # Report times are whole seconds: allow 1 s more for that rounding.
        check(abs(ts(e["start"]) - on) <= tol + 1, f"{fault}: start {ts(e['start']) - on:+.2f} s from the fault")
        check(abs(ts(e["end"]) - off) <= tol + 1, f"{fault}: end {ts(e['end']) - off:+.2f} s from its end")

    injected = sum(marks[f"{f} off"] - marks[f"{f} on"] for f in CAUSE)
    check(abs(net["downtime_s"] - injected) <= 4 * (tol + 1),
          f"downtime {net['downtime_s']} s vs {injected:.1f} s injected (tolerance {4 * (tol + 1)} s)")
    agent_sum = sum(x["duration_s"] for x in agent_outages if x.get("end"))
    check(abs(net["downtime_s"] - agent_sum) <= 1.0, f"downtime {net['downtime_s']} s = the agent's own outages {agent_sum:.1f} s")
    run_s = marks["agent stop"] - marks["agent start"]
    check(abs(net["observed_s"] - run_s) <= 5.0, f"observed {net['observed_s']} s vs agent run {run_s:.1f} s")
    obs, down = net["observed_s"], net["downtime_s"]
    if obs > 0 and o["machine_outages"] == 4:
        check(abs(net["availability_pct"] - 100.0 * (obs - down) / obs) < 0.01, "availability = (observed - downtime) / observed")
        check(abs(net["mttr_s"] - down / 4) <= 1.0, "MTTR = downtime / 4")
        check(abs(net["mtbf_s"] - (obs - down) / 4) <= 1.0, "MTBF = (observed - downtime) / 4")

    # The settings that defined the outages, as the agent recorded them (scope and method).
    probe = scope["probe"]
    check(probe["recorded"] is True and probe["mixed"] is False, "probe settings recorded, one setting")
    s = probe["settings"][0] if probe["settings"] else {}
    check((s.get("interval_s"), s.get("down_after"), s.get("up_after")) == (interval, 2, 2),
          f"probe settings {interval:g} s, 2/2 (got {s})")

    # 87 s of observation is far below the 40 PC-hours the cabling claim needs: it says so.
    claims = {c["id"]: c for c in report["claims"]}
    check(claims["network_frequent_loss"]["verdict"] == "insufficient_data",
          f"cabling claim: insufficient_data (got {claims['network_frequent_loss']['verdict']})")

    if len(sys.argv) > 6:
        local = json.load(open(sys.argv[6]))["network"]
        check(local["outages"]["by_cause"] == o["by_cause"] and local["outages"]["count"] == o["count"],
              f"itsa-agent report: same outages ({local['outages']['by_cause']})")
        check(abs(local["downtime_s"] - net["downtime_s"]) < 0.01, f"itsa-agent report: same downtime ({local['downtime_s']} s)")
        check([(e["start"], e["cause"]) for e in local["events"]] == [(e["start"], e["cause"]) for e in events],
              "itsa-agent report: same events")

    # The CSV table has one row per event.
    with open(csv_file, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    check(len(rows) == 1 + 4, f"outages.csv: header + 4 rows (got {len(rows)})")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
