#!/usr/bin/env python3
"""Sockets for -i's md5keys, tcp-ulp-mptcp and mptcp_info (live-views and the tcpinfo
fixture): a TCP listener on 127.0.0.1:7401 with two MD5 keys (one for 127.0.0.1, one for
10.0.0.0/8), one on [::1]:7402 with a key for ::1, an MPTCP listener on 127.0.0.1:7403 with a
connection to it (its subflows carry the ULP "mptcp"), and a plain TCP listener on
127.0.0.1:7404 with a connection. Data waits unread on both connections. The keys are
printable text without spaces, commas or backslashes, so ss 6.1 writes them as they are (it
writes them apart from its lines: see views.sh). Prints "ready PID", then holds the sockets
until its stdin closes."""
import os
import socket
import struct
import sys

IPPROTO_MPTCP = 262
TCP_MD5SIG = 14
TCP_MD5SIG_EXT = 32
TCP_MD5SIG_FLAG_PREFIX = 1
KEYS = (b"tcpinfo-key-one", b"tcpinfo-key-two", b"tcpinfo-key-six")


def md5key(sock, family, addr, key, prefix=None):
    """setsockopt(TCP_MD5SIG[_EXT], struct tcp_md5sig): the peer's sockaddr_storage, flags,
    prefix length, key length, ifindex, the key."""
    if family == socket.AF_INET:
        sa = struct.pack("=H", family) + b"\0\0" + socket.inet_pton(family, addr)
    else:
        sa = struct.pack("=H", family) + b"\0" * 6 + socket.inet_pton(family, addr)
    opt = sa.ljust(128, b"\0") + struct.pack(
        "=BBHi", TCP_MD5SIG_FLAG_PREFIX if prefix is not None else 0, prefix or 0, len(key), 0)
    sock.setsockopt(socket.IPPROTO_TCP, TCP_MD5SIG_EXT if prefix is not None else TCP_MD5SIG,
                    opt + key.ljust(80, b"\0"))


def listener(family, addr, port, proto=0):
    s = socket.socket(family, socket.SOCK_STREAM, proto)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    return s, (addr, port)


def main():
    held = []
    md4, a4 = listener(socket.AF_INET, "127.0.0.1", 7401)
    md5key(md4, socket.AF_INET, "127.0.0.1", KEYS[0])
    md5key(md4, socket.AF_INET, "10.0.0.0", KEYS[1], 8)
    md6, a6 = listener(socket.AF_INET6, "::1", 7402)
    md5key(md6, socket.AF_INET6, "::1", KEYS[2])
    mp, amp = listener(socket.AF_INET, "127.0.0.1", 7403, IPPROTO_MPTCP)
    tcp, atcp = listener(socket.AF_INET, "127.0.0.1", 7404)
    for s, a in ((md4, a4), (md6, a6), (mp, amp), (tcp, atcp)):
        s.bind(a)
        s.listen(8)
        held.append(s)
    for s, a, proto in ((mp, amp, IPPROTO_MPTCP), (tcp, atcp, 0)):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
        c.connect(a)
        srv, _ = s.accept()
        c.sendall(b"x" * 1000)
        srv.sendall(b"y" * 200)
        held.extend([c, srv])
    print("ready", os.getpid(), flush=True)
    sys.stdin.read()


main()
