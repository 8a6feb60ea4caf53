#!/usr/bin/env python3
"""Write tests/data/sctp.nl: a capture (capture.h) of sctp_diag dumps built by hand, since the
kernels the fixtures come from have no SCTP. The kernel sends an SCTP socket's message (its
state a TCP one: LISTEN, CLOSE, ESTABLISHED) and after it one per association, with the
socket's inode and the association's own state (SCTP_STATE_*), addresses in INET_DIAG_LOCALS
and INET_DIAG_PEERS as arrays of sockaddr_storage. Its sockets: a one-to-many listener on
0.0.0.0:3868 (diameter), bound to two addresses, with an established association from
10.0.0.2 and one whose cookie was echoed; a one-to-one socket connected from 10.0.0.1:50000
to 10.0.0.9:2905 (m3ua); and an IPv6 listener on [::]:9899 without associations.
Usage: tests/data/make-sctp.py [OUT]"""
import socket
import struct
import sys

AF_INET, AF_INET6 = 2, 10
IPPROTO_SCTP = 132
SOCK_DIAG_BY_FAMILY, NLMSG_DONE, NLM_F_MULTI = 20, 3, 2
INET_DIAG_LOCALS, INET_DIAG_PEERS = 12, 13
TCP_ESTABLISHED, TCP_CLOSE, TCP_LISTEN = 1, 7, 10
SCTP_COOKIE_ECHOED, SCTP_ESTABLISHED = 2, 3


def storage(family, addr, port):
    """A sockaddr_storage (128 bytes) holding a sockaddr_in or sockaddr_in6."""
    raw = socket.inet_pton(family, addr)
    if family == AF_INET:
        sa = struct.pack("=H", AF_INET) + struct.pack("!H", port) + raw
    else:
        sa = struct.pack("=H", AF_INET6) + struct.pack("!H", port) + b"\0" * 4 + raw
    return sa + b"\0" * (128 - len(sa))


def attr(kind, payload):
    length = 4 + len(payload)
    return struct.pack("=HH", length, kind) + payload + b"\0" * ((4 - length % 4) % 4)


def msg(family, state, src, sport, dst, dport, inode, locals_=(), peers=(), wq=0):
    pad = lambda a: socket.inet_pton(family, a) + b"\0" * (16 - (4 if family == AF_INET else 16))
    body = struct.pack("=BBBB", family, state, 0, 0)
    body += struct.pack("!HH", sport, dport) + pad(src) + pad(dst)
    body += struct.pack("=III", 0, inode & 0xFFFFFFFF, 0)  # if, cookie
    body += struct.pack("=IIIII", 0, 0, wq, 0, inode)  # expires, rqueue, wqueue, uid, inode
    if locals_:
        body += attr(INET_DIAG_LOCALS, b"".join(storage(family, a, sport) for a in locals_))
    if peers:
        body += attr(INET_DIAG_PEERS, b"".join(storage(family, a, dport) for a in peers))
    return struct.pack("=IHHII", 16 + len(body), SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, 1, 0) + body


def done():
    return struct.pack("=IHHII", 20, NLMSG_DONE, NLM_F_MULTI, 1, 0) + struct.pack("=i", 0)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/data/sctp.nl"
    v4 = b"".join([
        msg(AF_INET, TCP_LISTEN, "0.0.0.0", 3868, "0.0.0.0", 0, 500,
            locals_=("10.0.0.1", "192.168.7.1"), wq=10),
        msg(AF_INET, SCTP_ESTABLISHED, "10.0.0.1", 3868, "10.0.0.2", 40000, 500,
            locals_=("10.0.0.1", "192.168.7.1"), peers=("10.0.0.2", "192.168.7.2")),
        msg(AF_INET, SCTP_COOKIE_ECHOED, "10.0.0.1", 3868, "10.0.0.3", 40001, 500,
            locals_=("10.0.0.1",), peers=("10.0.0.3",)),
        msg(AF_INET, TCP_ESTABLISHED, "10.0.0.1", 50000, "10.0.0.9", 2905, 501,
            locals_=("10.0.0.1",)),
        msg(AF_INET, SCTP_ESTABLISHED, "10.0.0.1", 50000, "10.0.0.9", 2905, 501,
            locals_=("10.0.0.1",), peers=("10.0.0.9",)),
    ])
    v6 = msg(AF_INET6, TCP_LISTEN, "::", 9899, "::", 0, 600, locals_=("::1",), wq=5)
    with open(out, "wb") as f:
        f.write(b"LSNLCAP1")
        for family, datagram in ((AF_INET, v4), (AF_INET, done()), (AF_INET6, v6),
                                 (AF_INET6, done())):
            f.write(struct.pack("=BBHI", family, IPPROTO_SCTP, 0, len(datagram)) + datagram)


main()
