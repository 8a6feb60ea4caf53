#!/usr/bin/env python3
"""Sockets of the kinds tests/live/kill.sh compares -A and -f on: an MPTCP listener with a
connection, TCP listeners on IPv4 and IPv6 with a connection, UDP sockets bound and
connected, unix stream and datagram sockets bound to abstract names, a socketpair, a raw
ICMP socket and a packet socket on lo (root only).
Prints "ready PID", then waits for end of input."""
import os
import socket
import sys

IPPROTO_MPTCP = 262


def main():
    keep = []
    m = socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_MPTCP)
    m.bind(("127.0.0.1", 7201))
    m.listen(4)
    mc = socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_MPTCP)
    mc.connect(("127.0.0.1", 7201))
    keep += [m, mc, m.accept()[0]]
    t = socket.socket()
    t.bind(("127.0.0.1", 7202))
    t.listen(4)
    t6 = socket.socket(socket.AF_INET6)
    t6.bind(("::1", 7203))
    t6.listen(4)
    tc = socket.socket()
    tc.connect(("127.0.0.1", 7202))
    keep += [t, t6, tc, t.accept()[0]]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 7204))
    u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u6.bind(("::1", 7205))
    u6.connect(("::1", 7205))
    x = socket.socket(socket.AF_UNIX)
    x.bind("\0kill-test-stream")
    x.listen(4)
    xd = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    xd.bind("\0kill-test-dgram")
    keep += [u, u6, x, xd, *socket.socketpair()]
    r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    r.bind(("127.0.0.1", 0))
    pk = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
    pk.bind(("lo", 0))
    keep += [r, pk]
    print("ready", os.getpid(), flush=True)
    sys.stdin.read()


main()
