#!/usr/bin/env python3
"""Test receiver for the itsa wire protocol (docs/protocol.md): /api/v1/enroll and
/api/v1/ingest with de-duplication on (agent_id, boot_id, seq), on loopback.

State lives in STATE_DIR (secrets.json, records.jsonl) so the receiver can be stopped
and started again. Faults are switched with POST /control {"mode": "ok"|"error"|"slow",
"status": 503, "delay_s": 3}. GET /stats reports what was stored, duplicates received and
conflicts (one (agent_id, seq) seen with different content: a reused seq).
"""
import argparse
import gzip
import json
import os
import secrets
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


class State:
    def __init__(self, state_dir, token):
        self.dir = state_dir
        self.token = token
        self.mode = {"mode": "ok"}
        self.secrets = {}  # secret -> agent_id
        self.records = {}  # (agent_id, boot_id, seq) -> record
        self.by_seq = {}  # (agent_id, seq) -> content key
        self.duplicates = 0
        self.conflicts = []
        self.requests = 0
        self.enrolments = []
        os.makedirs(state_dir, exist_ok=True)
        path = os.path.join(state_dir, "secrets.json")
        if os.path.exists(path):
            with open(path) as f:
                self.secrets = json.load(f)
        path = os.path.join(state_dir, "records.jsonl")
        if os.path.exists(path):
            with open(path) as f:
                for line in f:
                    if line.strip():
                        self.store(json.loads(line), persist=False)
        self.out = open(os.path.join(state_dir, "records.jsonl"), "a")

    def store(self, r, persist=True):
        key = (r["agent_id"], r["boot_id"], r["seq"])
        content = json.dumps([r["boot_id"], r["type"], r["time"], r["payload"]], sort_keys=True)
        seq_key = (r["agent_id"], r["seq"])
        if seq_key in self.by_seq and self.by_seq[seq_key] != content:
            self.conflicts.append({"agent_id": r["agent_id"], "seq": r["seq"]})
        if key in self.records:
            self.duplicates += 1
            return False
        self.records[key] = r
        self.by_seq[seq_key] = content
        if persist:
            self.out.write(json.dumps(r) + "\n")
            self.out.flush()
        return True

    def save_secrets(self):
        with open(os.path.join(self.dir, "secrets.json"), "w") as f:
            json.dump(self.secrets, f)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, doc, headers=None):
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        n = int(self.headers.get("Content-Length", "0"))
        data = self.rfile.read(n)
        if self.headers.get("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        return json.loads(data or b"{}")

    def do_GET(self):
        st = self.server.state
        if self.path == "/healthz":
            return self.reply(200, {"status": "ok"})
        if self.path == "/stats":
            with LOCK:
                per_agent = {}
                for (agent, _boot, seq) in st.records:
                    per_agent.setdefault(agent, []).append(seq)
                return self.reply(200, {"stored": len(st.records), "duplicates": st.duplicates,
                                        "conflicts": st.conflicts, "requests": st.requests,
                                        "enrolments": st.enrolments,
                                        "seqs": {a: sorted(s) for a, s in per_agent.items()}})
        self.reply(404, {"error": "not found"})

    def do_POST(self):
        st = self.server.state
        try:
            doc = self.body()
        except Exception as e:  # noqa: BLE001
            return self.reply(400, {"error": f"unreadable body: {e}"})
        if self.path == "/control":
            with LOCK:
                st.mode = doc
            return self.reply(200, {"mode": doc})
        with LOCK:
            st.requests += 1
            mode = dict(st.mode)
        if mode.get("mode") == "slow":
            time.sleep(float(mode.get("delay_s", 3)))
        if mode.get("mode") == "error":
            return self.reply(int(mode.get("status", 503)), {"error": "injected failure"},
                              {"Retry-After": str(mode["retry_after"])} if "retry_after" in mode else None)
        if self.path == "/api/v1/enroll":
            if doc.get("token") != st.token:
                return self.reply(401, {"error": "unknown enrolment token"})
            if not doc.get("agent_id"):
                return self.reply(400, {"error": "agent_id: missing"})
            secret = secrets.token_hex(16)
            with LOCK:
                st.secrets = {s: a for s, a in st.secrets.items() if a != doc["agent_id"]}
                st.secrets[secret] = doc["agent_id"]
                st.save_secrets()
                st.enrolments.append({"agent_id": doc["agent_id"], "previous_agent_id": doc.get("previous_agent_id"),
                                      "identity": doc.get("identity"), "hostname": doc.get("hostname")})
            return self.reply(200, {"agent_id": doc["agent_id"], "secret": secret, "site": "test-site"})
        if self.path == "/api/v1/ingest":
            auth = self.headers.get("Authorization", "")
            agent = st.secrets.get(auth[len("Bearer "):]) if auth.startswith("Bearer ") else None
            if agent is None:
                return self.reply(401, {"error": "bad or missing secret"})
            records = doc.get("records")
            if not isinstance(records, list):
                return self.reply(400, {"error": "records: missing"})
            reject = mode.get("reject_type")
            for i, r in enumerate(records):
                if r.get("agent_id") != agent:
                    return self.reply(403, {"error": f"records[{i}].agent_id: not this agent"})
                if reject and r.get("type") == reject:
                    return self.reply(400, {"error": f"records[{i}].type: unknown record type \"{reject}\""})
            stored = dup = 0
            with LOCK:
                for r in records:
                    if st.store(r):
                        stored += 1
                    else:
                        dup += 1
            return self.reply(200, {"acked": [r["seq"] for r in records], "stored": stored, "duplicates": dup})
        self.reply(404, {"error": "not found"})


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--state-dir", required=True)
    p.add_argument("--token", default="test-token")
    p.add_argument("--port-file", help="write the bound port here")
    a = p.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    server.daemon_threads = True
    server.state = State(a.state_dir, a.token)
    if a.port_file:
        with open(a.port_file + ".tmp", "w") as f:
            f.write(str(server.server_address[1]))
        os.replace(a.port_file + ".tmp", a.port_file)
    print(f"receiver on 127.0.0.1:{server.server_address[1]}", file=sys.stderr, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
