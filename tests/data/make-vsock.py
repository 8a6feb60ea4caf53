#!/usr/bin/env python3
"""Write tests/data/vsock.nl: a capture (capture.h) of a vsock_diag dump built by hand, since
the kernels the fixtures come from have no vsock_diag (CONFIG_VSOCKETS_DIAG). Its sockets,
as a guest with context id 3 would have them: a stream listener on any cid, port 1024; a
connection from the host (cid 2) to it, and one shut down both ways; a stream socket
connecting out to the host's port 5000; a datagram socket bound to port 9999; a seqpacket
listener. VMADDR_CID_ANY and VMADDR_PORT_ANY (4294967295) are shown "*", as ss shows them.
Usage: tests/data/make-vsock.py [OUT]"""
import struct
import sys

AF_VSOCK = 40
SOCK_DIAG_BY_FAMILY = 20
NLMSG_DONE = 3
NLM_F_MULTI = 2
ANY = 0xFFFFFFFF
TCP_ESTABLISHED, TCP_SYN_SENT, TCP_CLOSE, TCP_LISTEN = 1, 2, 7, 10
STREAM, DGRAM, SEQPACKET = 1, 2, 5

SOCKETS = [
    # type, state, shutdown, src cid, src port, dst cid, dst port, inode, cookie
    (STREAM, TCP_LISTEN, 0, ANY, 1024, ANY, ANY, 40001, 0x1001),
    (STREAM, TCP_ESTABLISHED, 0, 3, 1024, 2, 50123, 40002, 0x1002),
    (STREAM, TCP_SYN_SENT, 0, 3, 61000, 2, 5000, 40003, 0x1003),
    (DGRAM, TCP_CLOSE, 0, ANY, 9999, ANY, ANY, 40004, 0x1004),
    (STREAM, TCP_ESTABLISHED, 3, 3, 1025, 2, 50124, 40005, 0x1005),
    (SEQPACKET, TCP_LISTEN, 0, 3, 2048, ANY, ANY, 40006, 0x1006),
]


def nlmsg(kind, flags, payload):
    return struct.pack("=IHHII", 16 + len(payload), kind, flags, 1, 0) + payload


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/data/vsock.nl"
    body = b"".join(
        nlmsg(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI,
              struct.pack("=BBBBIIIIIII", AF_VSOCK, t, st, sh, sc, sp, dc, dp, ino,
                          cookie & 0xFFFFFFFF, cookie >> 32))
        for t, st, sh, sc, sp, dc, dp, ino, cookie in SOCKETS)
    done = nlmsg(NLMSG_DONE, NLM_F_MULTI, struct.pack("=i", 0))
    with open(out, "wb") as f:
        f.write(b"LSNLCAP1")
        for datagram in (body, done):
            f.write(struct.pack("=BBHI", AF_VSOCK, 0, 0, len(datagram)) + datagram)


main()
