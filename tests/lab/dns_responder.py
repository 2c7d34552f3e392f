#!/usr/bin/env python3
"""A tiny authoritative-for-everything DNS responder for the lab: answers every A query
with one address. Usage: dns_responder.py BIND_ADDR PORT ANSWER_ADDR"""
import socket
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
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((bind, port))
    while True:
        data, peer = sock.recvfrom(1500)
        try:
            sock.sendto(answer(data, ans), peer)
        except (IndexError, struct.error):
            continue  # malformed query: ignore


if __name__ == "__main__":
    main()
