#!/usr/bin/env python3
"""A tiny authoritative-for-everything DNS responder for the lab: answers every A query
with one address, late by the seconds written in DELAY_FILE when it exists (a slow resolver).
Usage: dns_responder.py BIND_ADDR PORT ANSWER_ADDR [DELAY_FILE]"""
import os
import socket
import threading
import struct
import sys


def answer(query: bytes, addr: bytes) -> bytes:
    qid, _flags, qd = struct.unpack("!HHH", query[:6])
    pos = 12
    while query[pos] != 0:
        pos += 1 + query[pos]
    qend = pos + 5  # zero byte + qtype + qclass
    qtype = struct.unpack("!H", query[pos + 1:pos + 3])[0]
    header = struct.pack("!HHHHHH", qid, 0x8180, 1, 1 if qtype == 1 else 0, 0, 0)
    body = query[12:qend]
    if qtype == 1:
        body += struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + addr
    return header + body


def main() -> None:
    bind, port, ans = sys.argv[1], int(sys.argv[2]), socket.inet_aton(sys.argv[3])
    delay_file = sys.argv[4] if len(sys.argv) > 4 else ""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((bind, port))
    while True:
        data, peer = sock.recvfrom(1500)
        try:
            reply = answer(data, ans)
        except (IndexError, struct.error):
            continue  # malformed query: ignore
        delay = 0.0
        if delay_file and os.path.exists(delay_file):
            try:
                delay = float(open(delay_file).read().strip() or 0)
            except ValueError:
                delay = 0.0
        if delay > 0:
            threading.Timer(delay, sock.sendto, (reply, peer)).start()
        else:
            sock.sendto(reply, peer)


if __name__ == "__main__":
    main()
