#!/usr/bin/env python3
"""Browser test of the review UI: real itsa-server + headless Chromium driven over the DevTools
protocol (a minimal WebSocket client, stdlib only). Logs in, filters the table, opens a machine
page, downloads the CSV, and keeps a screenshot as an artifact.

  browser_test.py --server-bin build/server/itsa-server --artifacts DIR
Exit 0 = pass, 1 = fail, 77 = skipped (no chromium).
"""
import argparse
import base64
import gzip
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request
import uuid
from datetime import datetime, timezone

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def iso(t):
    return datetime.fromtimestamp(t, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def post(url, body, headers):
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


class WebSocket:
    """Just enough RFC 6455 for the DevTools protocol: masked text frames out, frames in."""

    def __init__(self, url):
        assert url.startswith("ws://")
        hostport, path = url[5:].split("/", 1)
        host, port = hostport.split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError(f"websocket handshake failed: {head!r}")

    def _read(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise RuntimeError("websocket closed")
            buf += chunk
        return buf

    def send(self, text):
        data = text.encode()
        head = bytearray([0x81])
        if len(data) < 126:
            head.append(0x80 | len(data))
        elif len(data) < 65536:
            head += bytes([0x80 | 126]) + struct.pack(">H", len(data))
        else:
            head += bytes([0x80 | 127]) + struct.pack(">Q", len(data))
        mask = os.urandom(4)
        self.sock.sendall(bytes(head) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)
            if b0 & 0x0F in (0x9, 0xA):  # ping/pong: ignore
                continue
            message += payload
            if b0 & 0x80:
                return message.decode()


class Page:
    def __init__(self, ws_url):
        self.ws = WebSocket(ws_url)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_event(self, name, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for i, e in enumerate(self.events):
                if e.get("method") == name:
                    del self.events[i]
                    return e
            self.events.append(json.loads(self.ws.recv()))
        raise RuntimeError(f"timed out waiting for {name}")

    def js(self, expression):
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"JS failed: {expression}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def load(self, action):
        """Runs an action that navigates, then waits for the new page's load event."""
        self.events = [e for e in self.events if e.get("method") != "Page.loadEventFired"]
        action()
        self.wait_event("Page.loadEventFired")


def seed(base, token):
    """Two machines: one that meets the profile, one that does not, with an outage."""
    now = time.time()
    machines = [("PC-KETOAN-01", "meets", "supported", "ssd", 1), ("PC-VANTHU-02", "does_not_meet", "ended", "hdd", 3)]
    ids = []
    for host, verdict, support, media, outages in machines:
        agent = str(uuid.uuid4())
        ids.append(agent)
        enrolled = post(base + "/api/v1/enroll", json.dumps({
            "schema_version": 1, "token": token, "agent_id": agent, "hostname": host, "agent_version": "0.1.0",
            "identity": {}, "previous_agent_id": None}).encode(), {"Content-Type": "application/json"})

        def rec(seq, rtype, payload, t=now):
            return {"agent_id": agent, "boot_id": "boot-1", "seq": seq, "type": rtype, "time": iso(t), "payload": payload}
        records = [
            rec(1, "inventory", {"hostname": host, "system": {"manufacturer": "Dell Inc.", "product": "OptiPlex 3020"},
                                 "bios": {"release_date": "2015-03-01"}, "cpu": {"model": "Intel Core i5-4590"},
                                 "memory": {"total_bytes": 8 * 1024 ** 3}, "disks": [{"media": media, "system": True}],
                                 "os": {"name": "Windows 10 Pro", "version": "22H2", "support": {"status": support}},
                                 "firmware": {}, "tpm": {}, "network": [], "collected_at": iso(now),
                                 "agent_version": "0.1.0", "notes": []}),
            rec(2, "assessment", {"profile": "default", "verdict": verdict, "rules": [
                {"id": "ram_min", "result": "pass" if verdict == "meets" else "fail", "measured": "8 GiB",
                 "required": ">= 8 GiB", "reason": "Đủ RAM" if verdict == "meets" else "Thiếu RAM"}]}),
            rec(3, "coverage", {"start": iso(now - 86400), "end": iso(now), "end_reason": "running", "clock_synced": True}),
        ] + [
            rec(4 + k, "outage", {"id": f"o{k}", "state": "closed", "start": iso(now - 7200 + 1200 * k),
                                  "end": iso(now - 6600 + 1200 * k), "duration_s": 600, "cause": "upstream",
                                  "interface": "eth0", "end_reason": "recovered", "clock_synced": True,
                                  "evidence": {}})
            for k in range(outages)
        ]
        body = gzip.compress(json.dumps({"schema_version": 1, "agent_id": agent, "records": records}).encode())
        acked = post(base + "/api/v1/ingest", body, {"Authorization": "Bearer " + enrolled["secret"],
                                                    "Content-Type": "application/json", "Content-Encoding": "gzip"})
        assert acked["acked"] == list(range(1, 4 + outages)), acked
    return ids


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--server-bin", required=True)
    p.add_argument("--artifacts", required=True)
    args = p.parse_args()
    if not os.path.exists(CHROMIUM):
        print("SKIPPED: chromium not installed (scripts/install-deps --tests)")
        return 77
    os.makedirs(args.artifacts, exist_ok=True)
    work = tempfile.mkdtemp(prefix="itsa-browser-")
    data, profile, downloads = (os.path.join(work, d) for d in ("data", "profile", "downloads"))
    os.makedirs(downloads)
    server = chrome = None
    try:
        run = lambda *a, **kw: subprocess.run([args.server_bin, *a], check=True, capture_output=True, text=True, **kw)
        run("init", "--data-dir", data)
        token = run("token", "create", "--data-dir", data, "--site", "Sở Tài chính").stdout.strip().splitlines()[-1]
        run("user", "add", "--data-dir", data, "--name", "lan", "--password-stdin", input="mat-khau-123\n")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([args.server_bin, "run", "--data-dir", data, "--listen", f"127.0.0.1:{port}"],
                                  stderr=open(os.path.join(work, "server.log"), "w"))
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        ids = seed(base, token)

        chrome = subprocess.Popen([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                   "--disable-component-update", "--disable-sync", "--no-first-run",
                                   "--remote-debugging-port=0", f"--user-data-dir={profile}", "--window-size=1400,900",
                                   "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        active = os.path.join(profile, "DevToolsActivePort")
        for _ in range(300):
            if os.path.exists(active) and open(active).read().count("\n") >= 1:
                break
            time.sleep(0.1)
        devtools_port = int(open(active).read().splitlines()[0])
        targets = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{devtools_port}/json/list", timeout=5).read())
        page = Page(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"])
        page.call("Page.enable")
        page.call("Page.setDownloadBehavior", behavior="allow", downloadPath=downloads)

        # Log in through the form (CSRF token and cookie handled by the browser).
        page.load(lambda: page.call("Page.navigate", url=base + "/machines"))
        assert page.js("location.pathname") == "/login", "anonymous users are sent to /login"
        page.load(lambda: page.js("""document.querySelector('[name=name]').value='lan';
            document.querySelector('[name=password]').value='mat-khau-123';
            document.querySelector('form[action="/login"]').submit()"""))
        assert page.js("location.pathname") == "/machines", page.js("document.body.innerText")
        assert page.js("document.querySelectorAll('#machines tbody tr').length") == 2
        assert "Máy tính" in page.js("document.querySelector('h1').innerText")

        # Sort by a header click: outages descending puts PC-VANTHU-02 (3 outages) first.
        header = "[...document.querySelectorAll('#machines th a')].find(a => a.innerText.startsWith('Số lần mất kết nối'))"
        page.load(lambda: page.js(header + ".click()"))
        assert "sort=outages" in page.js("location.search") and "dir=asc" in page.js("location.search"), \
            page.js("location.search")
        page.load(lambda: page.js(header + ".click()"))
        assert "dir=desc" in page.js("location.search")
        rows = page.js("[...document.querySelectorAll('#machines tbody tr')].map(r => r.innerText)")
        assert "PC-VANTHU-02" in rows[0] and "\t3\t" in rows[0], rows
        # Filters combine: disk HDD and verdict "meets" leave nobody; disk HDD alone PC-VANTHU-02.
        page.load(lambda: page.call("Page.navigate", url=base + "/machines?media=hdd&verdict=meets"))
        assert page.js("document.querySelectorAll('#machines tbody tr').length") == 0, page.js("location.search")
        page.load(lambda: page.call("Page.navigate", url=base + "/machines?media=hdd"))
        rows = page.js("[...document.querySelectorAll('#machines tbody tr')].map(r => r.innerText)")
        assert len(rows) == 1 and "PC-VANTHU-02" in rows[0] and "HDD" in rows[0], rows
        # /sites sorts by a column too, and lists the outages as the report counts them.
        page.load(lambda: page.call("Page.navigate", url=base + "/sites?sort=availability&dir=desc"))
        assert "↓" in page.js("document.querySelector('#sites').innerText"), page.js("document.body.innerText")
        assert page.js("document.querySelectorAll('.site-outages tr').length") >= 4, page.js("document.body.innerText")
        page.load(lambda: page.call("Page.navigate", url=base + "/machines"))

        # Filter: verdict "does not meet" leaves PC-VANTHU-02 only.
        page.load(lambda: page.js("""document.querySelector('select[name=verdict]').value='does_not_meet';
            document.querySelector('#filter').click()"""))
        rows = page.js("[...document.querySelectorAll('#machines tbody tr')].map(r => r.innerText)")
        assert len(rows) == 1 and "PC-VANTHU-02" in rows[0], rows
        assert "verdict=does_not_meet" in page.js("location.search")
        shot = page.call("Page.captureScreenshot", format="png")["data"]
        with open(os.path.join(args.artifacts, "machines.png"), "wb") as f:
            f.write(base64.b64decode(shot))

        # Download the CSV of the filtered view.
        page.js("document.querySelector('#csv').click()")
        csv_path = os.path.join(downloads, "machines.csv")
        for _ in range(100):
            if os.path.exists(csv_path) and not os.path.exists(csv_path + ".crdownload"):
                break
            time.sleep(0.1)
        csv = open(csv_path, "rb").read()
        # In the reader's language and locale: Vietnamese headers, ';' between cells.
        assert csv.decode("utf-8").startswith("\ufeffĐịa điểm;Tên máy;"), csv[:40]
        assert b"PC-VANTHU-02" in csv and b"PC-KETOAN-01" not in csv, csv
        assert "Sở Tài chính" in csv.decode("utf-8-sig")

        # Open the machine page: timeline with the upstream outage, assessment reasons.
        page.load(lambda: page.js("document.querySelector('#machines tbody a').click()"))
        assert page.js("location.pathname") == "/machines/" + ids[1]
        assert page.js("document.querySelectorAll('#timeline rect.outage.upstream').length") == 3
        assert "Thiếu RAM" in page.js("document.querySelector('#rules').innerText")
        # English switch.
        page.load(lambda: page.js("[...document.querySelectorAll('header a')].find(a => a.innerText == 'English').click()"))
        assert "Assessment" in page.js("document.body.innerText")
        shot = page.call("Page.captureScreenshot", format="png")["data"]
        with open(os.path.join(args.artifacts, "machine.png"), "wb") as f:
            f.write(base64.b64decode(shot))
        print(f"PASS: screenshots in {args.artifacts}")
        return 0
    except Exception as e:  # noqa: BLE001 - report any failure with the server log
        print(f"FAIL: {e!r}")
        traceback.print_exc(file=sys.stdout)
        log = os.path.join(work, "server.log")
        if os.path.exists(log):
            print(open(log).read()[-3000:])
        return 1
    finally:
        for proc in (chrome, server):
            if proc:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
