#!/usr/bin/env python3
"""Times the review UI's pages on a running itsa-server (issue 15's bench): a reviewer logs in,
then asks for each page REPEAT times, one at a time; prints one JSON object with the median and
the slowest time (ms) per page.

  pages.py --port P --user NAME --password-file F --from YYYY-MM-DD --to YYYY-MM-DD [--repeat 5]

Pages: /machines (every machine, no filter; its figures cover the last 30 days), one machine's
page (the first machine /machines links to, last 30 days), /sites, /report.html for the period. Python stdlib only (reuses bench/server/load.py).
"""
import argparse
import asyncio
import json
import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "server"))
import load  # noqa: E402  (bench/server/load.py: http_full, reviewer_session)


async def timed(port, session, path):
    t0 = time.monotonic()
    status, body, _ = await load.http_full(port, "GET", path, headers={"Cookie": session}, timeout=600)
    if status != 200:
        raise SystemExit(f"pages.py: GET {path}: HTTP {status}")
    return (time.monotonic() - t0) * 1000, body


async def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password-file", required=True)
    p.add_argument("--from", dest="from_date", required=True)
    p.add_argument("--to", dest="to_date", required=True)
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    session = await load.reviewer_session(args.port, args.user, open(args.password_file).read().strip())
    _, listing = await timed(args.port, session, "/machines")
    # A generated PC, not a copy that run.sh's scale_store made ("~" in its id: no raw records).
    m = next((m for m in re.finditer(rb'href="(/machines/[^"?]+)"', listing)
              if b"~" not in m.group(1) and b"%7E" not in m.group(1).upper()), None)
    if not m:
        raise SystemExit("pages.py: /machines links to no machine")
    period = f"from={args.from_date}&to={args.to_date}"
    pages = {"machines": "/machines", "machine_page": m.group(1).decode() + "?days=30", "sites": "/sites",
             "report_html": "/report.html?" + period}
    out = {}
    for name, path in pages.items():
        times = []
        for _ in range(args.repeat):
            ms, _ = await timed(args.port, session, path)
            times.append(ms)
        out[name] = {"p50_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}
    out["machines_listed"] = len(set(re.findall(rb'href="/machines/([^"?]+)"', listing)))
    print(json.dumps(out))


if __name__ == "__main__":
    asyncio.run(main())
