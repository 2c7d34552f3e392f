#!/usr/bin/env python3
"""Load generator for itsa-server: N simulated agents, each enrolling once and then posting one
gzip batch a minute (records shaped as in docs/protocol.md), spread evenly over the minute.

Reports sustained batches/s and latency percentiles. Python stdlib only (asyncio, raw HTTP/1.1,
a new connection per batch as an agent waking up once a minute would).

  load.py --port 8080 --token TOKEN --agents 5000 --duration 120 [--records 8] [--max-rate]
          [--report-every 10 --user NAME --password-file F [--report-path PATH]]

With --report-every, a reviewer logs in and asks for /report.html (the last 30 days, or --report-path) every that
many seconds during the run, one at a time, as an officer printing the report would (issue 17:
reports must not stall agents' uploads); the render times are reported beside the agents'.
"""
import re
import argparse
import asyncio
import gzip
import json
import statistics
import sys
import time
import uuid
from datetime import datetime, timezone


def iso(t):
    return datetime.fromtimestamp(t, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{int(t * 1000) % 1000:03d}Z"


async def http(port, method, path, body=b"", headers=None, timeout=30.0):
    status, payload, _ = await http_full(port, method, path, body, headers, timeout)
    return status, payload


class Agent:
    def __init__(self, index):
        self.agent_id = str(uuid.uuid4())
        self.boot_id = str(uuid.uuid4())
        self.hostname = f"PC-BENCH-{index:05d}"
        self.secret = None
        self.seq = 0
        self.cov_start = time.time()

    def record(self, rtype, payload):
        self.seq += 1
        return {"agent_id": self.agent_id, "boot_id": self.boot_id, "seq": self.seq, "type": rtype,
                "time": iso(time.time()), "payload": payload}

    def batch(self, n_records):
        now = time.time()
        minute = iso(now - now % 60)
        recs = [self.record("coverage", {"start": iso(self.cov_start), "end": iso(now), "end_reason": "running",
                                         "clock_synced": True}),
                self.record("pressure_minute", {"minute": minute, "samples": 60, "cpu_busy_pct": 23.5,
                                                "mem_used_pct": 71.2, "swap_used_pct": 3.0, "system_disk_free_pct": 40.1,
                                                "psi_cpu_some_avg": None, "psi_mem_some_avg": None,
                                                "psi_io_some_avg": None}),
                self.record("link_minute", {"minute": minute, "interface": "eth0", "carrier": True, "speed_mbps": 1000,
                                            "max_speed_mbps": 1000, "duplex": "full", "flaps": 0, "rx_errors": 0,
                                            "tx_errors": 0, "rx_crc_errors": 0, "rx_frame_errors": 0, "rx_dropped": 0,
                                            "tx_dropped": 0})]
        layers = ["gateway", "lan", "internet", "dns"]
        while len(recs) < n_records:
            layer = layers[len(recs) % 4]
            recs.append(self.record("probe_minute", {"minute": minute, "target": "192.0.2.1", "layer": layer, "sent": 60,
                                                     "lost": 0, "rtt_min_ms": 0.4, "rtt_avg_ms": 0.9, "rtt_max_ms": 3.1,
                                                     "rtt_p50_ms": 0.8, "rtt_p95_ms": 2.0, "jitter_ms": 0.3}))
        body = {"schema_version": 1, "agent_id": self.agent_id, "records": recs}
        return gzip.compress(json.dumps(body).encode(), 6)


async def http_full(port, method, path, body=b"", headers=None, timeout=120.0):
    """Like http() but also returns the response headers (lower-case names, last value wins)."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
    try:
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {len(body)}\r\n"
        for k, v in (headers or {}).items():
            head += f"{k}: {v}\r\n"
        writer.write(head.encode() + b"\r\n" + body)
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    status = int(data[9:12]) if data.startswith(b"HTTP/1.") else 0
    head, _, payload = data.partition(b"\r\n\r\n")
    cookies = [line.split(b":", 1)[1].strip().decode() for line in head.split(b"\r\n")
               if line.lower().startswith(b"set-cookie:")]
    return status, payload, cookies


async def reviewer_session(port, user, password):
    status, page, cookies = await http_full(port, "GET", "/login")
    m = re.search(rb'name="csrf_token" value="([^"]+)"', page)
    if status != 200 or not m:
        raise SystemExit(f"login form: {status}")
    csrf = m.group(1).decode()
    form = f"name={user}&password={password}&csrf_token={csrf}".encode()
    status, _, cookies = await http_full(port, "POST", "/login", form,
                                         {"Cookie": f"itsa_login_csrf={csrf}",
                                          "Content-Type": "application/x-www-form-urlencoded"})
    session = next((c.split(";", 1)[0] for c in cookies if c.startswith("itsa_session=")), None)
    if status != 303 or not session:
        raise SystemExit(f"login failed: {status}")
    return session


async def report_loop(args, end, out):
    session = await reviewer_session(args.port, args.user, open(args.password_file).read().strip())
    next_at = time.monotonic()
    while next_at < end:
        delay = next_at - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        t0 = time.monotonic()
        try:
            status, body, _ = await http_full(args.port, "GET", args.report_path, headers={"Cookie": session})
        except Exception as e:  # noqa: BLE001
            status, body = type(e).__name__, b""
        out.append((time.monotonic() - t0, status, len(body)))
        next_at += args.report_every


async def enrol_all(args, agents):
    sem = asyncio.Semaphore(32)

    async def one(a):
        async with sem:
            body = json.dumps({"schema_version": 1, "token": args.token, "agent_id": a.agent_id, "hostname": a.hostname,
                               "agent_version": "bench", "identity": {}, "previous_agent_id": None}).encode()
            status, data = await http(a.port, "POST", "/api/v1/enroll", body, {"Content-Type": "application/json"})
            if status != 200:
                raise SystemExit(f"enrol failed: {status} {data[:200]!r}")
            a.secret = json.loads(data)["secret"]

    await asyncio.gather(*(one(a) for a in agents))


async def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", required=True,
                   help="server port, or several comma-separated (server instances on one database): agent i "
                        "enrols and posts to port i mod n, as behind a round-robin load balancer")
    p.add_argument("--token", required=True)
    p.add_argument("--agents", type=int, default=5000)
    p.add_argument("--duration", type=float, default=120, help="seconds of steady load after enrolment")
    p.add_argument("--records", type=int, default=8, help="records per batch")
    p.add_argument("--period", type=float, default=60.0, help="seconds between one agent's batches")
    p.add_argument("--max-rate", action="store_true", help="ignore the schedule: 64 agents posting back to back")
    p.add_argument("--report-every", type=float, default=0, help="seconds between report renders (0 = none)")
    p.add_argument("--user", default="bench", help="reviewer name for --report-every")
    p.add_argument("--password-file", help="file holding the reviewer's password for --report-every")
    p.add_argument("--report-path", default="/report.html",
                   help="page the reviewer renders with --report-every (e.g. /report.html?from=...&to=...)")
    args = p.parse_args()
    ports = [int(x) for x in args.port.split(",")]
    args.port = ports[0]  # the reviewer's instance

    agents = [Agent(i) for i in range(args.agents)]
    for i, a in enumerate(agents):
        a.port = ports[i % len(ports)]
    t = time.time()
    await enrol_all(args, agents)
    enrol_s = time.time() - t

    latencies, errors, reports = [], {}, []
    start = time.monotonic()
    end = start + args.duration
    reporter = asyncio.ensure_future(report_loop(args, end, reports)) if args.report_every > 0 else None

    async def post(a):
        body = a.batch(args.records)
        t0 = time.monotonic()
        try:
            status, _ = await http(a.port, "POST", "/api/v1/ingest", body,
                                   {"Authorization": f"Bearer {a.secret}", "Content-Type": "application/json",
                                    "Content-Encoding": "gzip"})
        except Exception as e:  # noqa: BLE001 - a failed batch is a result, counted by kind
            status = type(e).__name__
        latencies.append(time.monotonic() - t0)
        if status != 200:
            errors[status] = errors.get(status, 0) + 1

    if args.max_rate:
        async def worker(k):
            i = k
            while time.monotonic() < end:
                await post(agents[i % len(agents)])
                i += 64
        await asyncio.gather(*(worker(k) for k in range(64)))
    else:
        # Agent i posts at start + offset_i + k * period: evenly spread, like agents started at random times.
        pending = set()
        step = args.period / len(agents)
        k = 0
        while True:
            due = start + k * step
            if due >= end:
                break
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            pending.add(asyncio.ensure_future(post(agents[k % len(agents)])))
            pending = {f for f in pending if not f.done()}
            k += 1
        await asyncio.gather(*pending)
    if reporter:
        await reporter
    elapsed = time.monotonic() - start
    lat = sorted(latencies)

    def pct(q):
        return lat[min(len(lat) - 1, int(q * len(lat)))] * 1000 if lat else float("nan")

    result = {"agents": args.agents, "instances": len(ports), "records_per_batch": args.records, "duration_s": round(elapsed, 1),
              "enrol_s": round(enrol_s, 1), "batches": len(lat), "batches_per_s": round(len(lat) / elapsed, 1),
              "target_batches_per_s": None if args.max_rate else round(args.agents / args.period, 1),
              "p50_ms": round(pct(0.50), 1), "p99_ms": round(pct(0.99), 1), "max_ms": round(lat[-1] * 1000, 1) if lat else None,
              "mean_ms": round(statistics.mean(lat) * 1000, 1) if lat else None, "errors": errors}
    if args.report_every > 0:
        times = sorted(r[0] * 1000 for r in reports)
        result["reports"] = {"every_s": args.report_every, "count": len(reports),
                             "ok": sum(1 for r in reports if r[1] == 200),
                             "p50_ms": round(times[len(times) // 2], 1) if times else None,
                             "max_ms": round(times[-1], 1) if times else None,
                             "statuses": sorted({str(r[1]) for r in reports})}
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
