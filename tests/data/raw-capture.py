#!/usr/bin/env python3
"""Write, in listen's capture format without its magic (capture.h), the replies raw_diag would
send for the raw sockets of /proc/net/raw (and raw6): one datagram per table, an
inet_diag_msg per socket (sport the IP protocol, as the kernel keeps it) and NLMSG_DONE.
For kernels without raw_diag, whose fixture capture-rawpkt.sh appends these to a capture.
Usage: raw-capture.py /proc/net/raw /proc/net/raw6 > more-of-the-capture"""
import socket
import struct
import sys

SOCK_DIAG_BY_FAMILY, NLMSG_DONE, NLM_F_MULTI = 20, 3, 2
IPPROTO_RAW = 255


def addr(hexaddr, family):
    raw = bytes.fromhex(hexaddr)
    # The table prints each 32-bit word as the host (little-endian) holds it.
    words = [raw[i:i + 4][::-1] for i in range(0, len(raw), 4)]
    return b"".join(words).ljust(16, b"\0")


def message(body, kind, seq):
    return struct.pack("=IHHII", 16 + len(body), kind, NLM_F_MULTI, seq, 0) + body


def table(path, family, seq):
    out = b""
    with open(path) as f:
        next(f)
        for line in f:
            w = line.split()
            laddr, lport = w[1].split(":")
            raddr, rport = w[2].split(":")
            tx, rx = w[4].split(":")
            uid, inode = int(w[7]), int(w[9])
            msg = struct.pack("=BBBB", family, int(w[3], 16), 0, 0)
            msg += struct.pack(">HH", int(lport, 16), int(rport, 16))
            msg += addr(laddr, family) + addr(raddr, family)
            msg += struct.pack("=III", 0, 0xffffffff, 0xffffffff)  # if, cookie: none known
            msg += struct.pack("=IIIII", 0, int(rx, 16), int(tx, 16), uid, inode)
            out += message(msg, SOCK_DIAG_BY_FAMILY, seq)
    out += message(struct.pack("=i", 0), NLMSG_DONE, seq)
    return struct.pack("=BBHI", family, IPPROTO_RAW, 0, len(out)) + out


sys.stdout.buffer.write(table(sys.argv[1], socket.AF_INET, 1) +
                        table(sys.argv[2], socket.AF_INET6, 2))
