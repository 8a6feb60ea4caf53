#!/usr/bin/env python3
"""MPTCP sockets for the live tests and the fixture: listeners on IPv4 and IPv6 (one
dual-stack), a connection to each over loopback, and a plain TCP listener beside them.
Prints "ready PID", then waits for end of input."""
import socket
import sys

IPPROTO_MPTCP = 262


def mptcp(family):
    s = socket.socket(family, socket.SOCK_STREAM, IPPROTO_MPTCP)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    return s


def main():
    keep = []
    l4 = mptcp(socket.AF_INET)
    l4.bind(("127.0.0.1", 7311))
    l4.listen(16)
    l6 = mptcp(socket.AF_INET6)
    l6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    l6.bind(("::1", 7312))
    l6.listen(8)
    dual = mptcp(socket.AF_INET6)
    dual.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    dual.bind(("::", 7313))
    dual.listen(4)
    t = socket.socket()
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind(("127.0.0.1", 7314))
    t.listen(4)
    keep += [l4, l6, dual, t]
    for listener, addr, family in ((l4, ("127.0.0.1", 7311), socket.AF_INET),
                                   (l6, ("::1", 7312), socket.AF_INET6),
                                   (dual, ("127.0.0.1", 7313), socket.AF_INET)):
        c = mptcp(family)
        c.connect(addr)
        a, _ = listener.accept()
        keep += [c, a]
    print("ready", __import__("os").getpid(), flush=True)
    sys.stdin.read()


main()
