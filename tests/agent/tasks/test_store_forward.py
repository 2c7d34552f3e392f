#!/usr/bin/env python3
"""Process-level tests of the evidence store and uploader (issue 5): real processes, real
SQLite files, real HTTP on loopback (receiver.py).

  kill9        kill -9 the agent 50+ times while it records and uploads
  away         server away (port closed, then 5xx, then slow), then everything exactly once
  truncate     database and WAL truncated at many offsets: committed prefix or moved aside
  disk_full    a small tmpfs as data_dir (root only): pause with one log line, resume
  daemon       itsa-agent run: lifecycle/coverage, SIGHUP with a bad config, SIGTERM < 5 s,
               crashed span after kill -9, status --json
Every check prints what it compared; any failure exits 1.
"""
import argparse
import json
import zlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request

A = None
FAILURES = []



def stored_payload(value):
    """A payload column: JSON text, or (long payloads) a BLOB of a 4-byte length and zlib (docs/store.md)."""
    if isinstance(value, bytes):
        return json.loads(zlib.decompress(value[4:]))
    return json.loads(value)

def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        FAILURES.append(what)


class Receiver:
    def __init__(self, name):
        self.state = os.path.join(A.work, name + "-receiver")
        self.port_file = os.path.join(A.work, name + ".port")
        self.port = None
        self.proc = None

    def start(self, port=0):
        if os.path.exists(self.port_file):
            os.remove(self.port_file)
        self.proc = subprocess.Popen([sys.executable, A.receiver, "--state-dir", self.state, "--port", str(port),
                                      "--port-file", self.port_file], stderr=subprocess.DEVNULL)
        for _ in range(100):
            if os.path.exists(self.port_file):
                self.port = int(open(self.port_file).read())
                return self
            time.sleep(0.05)
        raise RuntimeError("receiver did not start")

    def stop(self):
        if self.proc:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def get(self, path):
        with urllib.request.urlopen(self.url + path, timeout=10) as r:
            return json.load(r)

    def control(self, doc):
        req = urllib.request.Request(self.url + "/control", data=json.dumps(doc).encode(), method="POST")
        urllib.request.urlopen(req, timeout=10).read()


def load_agent(data_dir, *args, **kw):
    cmd = [A.load_agent, "--data-dir", data_dir, *map(str, args)]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=kw.get("stderr", subprocess.DEVNULL))


def db_rows(data_dir):
    con = sqlite3.connect(os.path.join(data_dir, "evidence.db"), timeout=10)
    try:
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
        rows = con.execute("SELECT agent_id, seq, delivered_ms, quarantined, type FROM records").fetchall()
    finally:
        con.close()
    return integrity, rows


def committed(path):
    if not os.path.exists(path):
        return set()
    with open(path) as f:
        return {int(line) for line in f if line.strip().isdigit()}


def drain(data_dir, url, timeout_s=60):
    p = load_agent(data_dir, "--url", url, "--drain")
    try:
        p.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        return False
    return p.returncode == 0


def test_kill9():
    data = os.path.join(A.work, "kill9")
    log = os.path.join(A.work, "kill9.committed")
    rx = Receiver("kill9").start()
    rng = random.Random(5)
    kills = 0
    bad_integrity = lost = 0
    for i in range(52):
        p = load_agent(data, "--url", rx.url, "--rate", 300, "--committed", log, "--batch", 50)
        time.sleep(rng.uniform(0.05, 0.35))
        p.send_signal(signal.SIGKILL)
        p.wait()
        kills += 1
        integrity, rows = db_rows(data)
        present = {seq for (_a, seq, *_rest) in rows}
        if integrity != "ok":
            bad_integrity += 1
        lost += len(committed(log) - present)
    check(kills >= 50, f"killed the agent with SIGKILL {kills} times while recording and uploading")
    check(bad_integrity == 0, f"integrity_check ok after every kill ({bad_integrity} bad)")
    check(lost == 0, f"no committed record lost ({len(committed(log))} committed, {lost} missing)")
    check(drain(data, rx.url), "a restarted agent delivers everything still pending")
    _, rows = db_rows(data)
    stats = rx.get("/stats")
    agent = rows[0][0]
    stored = set(stats["seqs"].get(agent, []))
    mine = {seq for (a, seq, *_r) in rows if a == agent}
    check(stats["conflicts"] == [], f"receiver saw no seq reused with other content ({len(stats['conflicts'])})")
    check(len(stats["seqs"][agent]) == len(stored), "receiver stored each record once")
    check(mine == stored, f"receiver holds exactly the store's records ({len(mine)} in store, {len(stored)} received)")
    check(all(d is not None for (_a, _s, d, _q, _t) in rows), "every record is marked delivered")
    print(f"     ({stats['duplicates']} re-sent records de-duplicated by the receiver)")
    rx.stop()


def test_away():
    data = os.path.join(A.work, "away")
    log = os.path.join(A.work, "away.committed")
    rx = Receiver("away").start()
    port = rx.port
    p = load_agent(data, "--url", rx.url, "--rate", 50, "--committed", log, "--timeout", 1)
    time.sleep(1.0)
    rx.stop()  # port closed
    time.sleep(3.0)
    _, rows = db_rows(data)
    pending_away = sum(1 for r in rows if r[2] is None)
    check(pending_away > 50, f"records accumulate while the server is away ({pending_away} pending)")
    rx.start(port)
    rx.control({"mode": "error", "status": 503})
    time.sleep(3.0)
    rx.control({"mode": "slow", "delay_s": 2})  # longer than the agent's 1 s timeout
    time.sleep(3.0)
    rx.control({"mode": "ok"})
    time.sleep(0.5)
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=10)
    t0 = time.time()
    check(drain(data, rx.url), "all pending records delivered once the server is back")
    print(f"     (drained in {time.time() - t0:.1f} s)")
    _, rows = db_rows(data)
    stats = rx.get("/stats")
    agent = rows[0][0]
    mine = {seq for (a, seq, *_r) in rows if a == agent}
    check(mine == set(stats["seqs"][agent]), f"every record arrived ({len(mine)} made, {len(stats['seqs'][agent])} stored)")
    check(committed(log) <= mine, "every committed record is in the store")
    check(stats["conflicts"] == [], "no record stored twice under one seq")
    rx.stop()


def test_truncate():
    base = os.path.join(A.work, "trunc-base")
    p = load_agent(base, "--rate", 0, "--count", 400, "--exit-hard")
    p.wait()
    db = os.path.join(base, "evidence.db")
    wal = db + "-wal"
    check(os.path.getsize(wal) > 0, f"the crashed store left a WAL ({os.path.getsize(wal)} bytes) to truncate")
    outcomes = {"prefix": 0, "moved": 0}
    problems = []
    for target in ("wal", "db"):
        size = os.path.getsize(wal if target == "wal" else db)
        offsets = sorted({int(size * k / 24) for k in range(24)} | {1, 100, 4095, 4096, 4097})
        for off in offsets:
            work = os.path.join(A.work, f"trunc-{target}-{off}")
            shutil.rmtree(work, ignore_errors=True)
            shutil.copytree(base, work)
            with open(os.path.join(work, "evidence.db-wal" if target == "wal" else "evidence.db"), "r+b") as f:
                f.truncate(off)
            r = subprocess.run([A.load_agent, "--data-dir", work, "--rate", "0", "--count", "1"],
                               capture_output=True, text=True, timeout=30)
            if r.returncode != 0:
                problems.append(f"{target}@{off}: exit {r.returncode}: {r.stderr.strip()[-200:]}")
                continue
            integrity, rows = db_rows(work)
            moved = [n for n in os.listdir(work) if n.startswith("evidence.db.corrupt-")]
            if integrity != "ok":
                problems.append(f"{target}@{off}: integrity {integrity}")
            elif moved:
                if "moved it to" not in r.stderr:
                    problems.append(f"{target}@{off}: moved aside without saying so")
                outcomes["moved"] += 1
            else:
                old = sorted(seq for (_a, seq, _d, _q, t) in rows if t != "store_event")[:-1]
                if old != list(range(1, len(old) + 1)):
                    problems.append(f"{target}@{off}: kept records are not a prefix")
                outcomes["prefix"] += 1
    check(not problems, f"every truncation recovered a committed prefix or moved the store aside "
                        f"({outcomes['prefix']} prefix, {outcomes['moved']} moved aside) {problems[:3]}")


def test_disk_full():
    if os.geteuid() != 0:
        print("skip disk_full: needs root to mount a tmpfs")
        return
    mnt = os.path.join(A.work, "tmpfs")
    os.makedirs(mnt, exist_ok=True)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mnt]).returncode != 0:
        print("skip disk_full: cannot mount a tmpfs here")
        return
    try:
        data = os.path.join(mnt, "data")
        filler = os.path.join(mnt, "filler")
        with open(filler, "wb") as f:
            f.write(b"\0" * (1024 * 1024))
        log = os.path.join(A.work, "full.committed")
        errlog = open(os.path.join(A.work, "full.stderr"), "w")
        p = load_agent(data, "--rate", 400, "--payload-bytes", 2000, "--committed", log, stderr=errlog)
        paused = False
        for _ in range(150):
            time.sleep(0.1)
            if "evidence store paused" in open(os.path.join(A.work, "full.stderr")).read():
                paused = True
                break
        check(paused, "recording paused with a log line when the disk filled")
        time.sleep(0.5)
        os.remove(filler)  # space returns
        time.sleep(1.5)
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=10)
        errlog.close()
        text = open(os.path.join(A.work, "full.stderr")).read()
        check(text.count("evidence store paused") == 1, f"exactly one 'paused' line ({text.count('evidence store paused')})")
        check("evidence store resumed" in text, "recording resumed when space returned")
        integrity, rows = db_rows(data)
        check(integrity == "ok", f"store intact after disk full ({integrity})")
        present = {seq for (_a, seq, *_r) in rows}
        check(committed(log) <= present, "nothing already stored was lost")
        check(any(t == "store_event" for (*_x, t) in rows), "the disk-full episode is recorded as a store_event")
    finally:
        subprocess.run(["umount", mnt])


def run_agent(config, *extra):
    return subprocess.Popen([A.agent, "run", "--config", config, *extra], stdout=subprocess.DEVNULL,
                            stderr=open(config + ".stderr", "a"))


def test_daemon():
    rx = Receiver("daemon").start()
    data = os.path.join(A.work, "daemon-data")
    config = os.path.join(A.work, "daemon.json")
    good = {"data_dir": data, "server": {"url": rx.url, "enroll_token": "test-token", "upload_interval_s": 5},
            "probes": {"interval_s": 1}}
    with open(config, "w") as f:
        json.dump(good, f)
    p = run_agent(config)
    time.sleep(2.0)
    with open(config, "w") as f:
        f.write('{"server": {"upload_interval_s": "soon"}}')
    p.send_signal(signal.SIGHUP)
    time.sleep(1.0)
    check(p.poll() is None, "an invalid config on SIGHUP keeps the agent running")
    check("config reload failed" in open(config + ".stderr").read(), "the invalid config is reported")
    with open(config, "w") as f:
        json.dump(good, f)
    p.send_signal(signal.SIGHUP)
    time.sleep(1.0)
    t0 = time.time()
    p.send_signal(signal.SIGTERM)
    code = p.wait(timeout=10)
    check(code == 0 and time.time() - t0 < 5, f"SIGTERM stops cleanly in {time.time() - t0:.2f} s (exit {code})")
    p = run_agent(config)
    time.sleep(1.5)
    p.send_signal(signal.SIGKILL)
    p.wait()
    p = run_agent(config)
    time.sleep(1.5)
    s = subprocess.run([A.agent, "status", "--config", config, "--json"], capture_output=True, text=True)
    check(s.returncode == 0, f"status --json exits 0 ({s.stderr.strip()})")
    doc = json.loads(s.stdout or "{}")
    check(set(doc) == {"agent_id", "records_total", "records_pending", "store_bytes", "last_upload", "last_error"},
          f"status --json has the contract's keys: {sorted(doc)}")
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=10)
    con = sqlite3.connect(os.path.join(data, "evidence.db"))
    rows = [(t, stored_payload(pl)) for t, pl in con.execute("SELECT type, payload FROM records ORDER BY rowid")]
    con.close()
    events = [pl["event"] for t, pl in rows if t == "lifecycle"]
    reasons = [pl["end_reason"] for t, pl in rows if t == "coverage"]
    check(events.count("start") == 3 and events.count("stop") == 2, f"lifecycle start/stop recorded: {events}")
    check(events.count("config_reload") == 2, "both reloads (rejected, applied) recorded")
    check("crashed" in reasons and reasons.count("stopped") == 2, f"coverage spans closed: {reasons}")
    stopped = json.loads(subprocess.run([A.agent, "status", "--config", config, "--json"], capture_output=True,
                                        text=True).stdout or "{}")
    check(stopped.get("records_total") == len(rows), f"records_total {stopped.get('records_total')} counts every "
                                                     f"record ({len(rows)} made)")
    p = run_agent(config)  # deliver what the last stop wrote
    deadline = time.time() + 20
    while time.time() < deadline:
        s = json.loads(subprocess.run([A.agent, "status", "--config", config, "--json"], capture_output=True,
                                      text=True).stdout or "{}")
        if s.get("last_upload") is not None and s.get("records_total", 0) - s.get("records_pending", 0) >= len(rows):
            break
        time.sleep(0.5)
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=10)
    stats = rx.get("/stats")
    check(len(stats["enrolments"]) == 1 and stats["stored"] > 0, f"the daemon enrolled once and uploaded "
                                                                 f"({stats['stored']} records)")
    check(s.get("last_upload") is not None, "status shows the last upload")
    rx.stop()


def main():
    global A
    p = argparse.ArgumentParser()
    p.add_argument("--load-agent", required=True)
    p.add_argument("--agent", required=True)
    p.add_argument("--receiver", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("tests", nargs="*", default=["kill9", "away", "truncate", "disk_full", "daemon"])
    A = p.parse_args()
    shutil.rmtree(A.work, ignore_errors=True)
    os.makedirs(A.work)
    for name in A.tests:
        t0 = time.time()
        print(f"== {name}", flush=True)
        globals()["test_" + name]()
        print(f"   {name}: {time.time() - t0:.1f} s", flush=True)
    if FAILURES:
        print(f"{len(FAILURES)} checks failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
