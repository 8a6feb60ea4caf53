#!/usr/bin/env python3
"""Unix sockets of every kind for the live test and the fixture capture: stream, datagram and
seqpacket, bound to a path under DIR or to an abstract name, listening, connected and
accepted, socketpairs, unbound ones, a long path and a hostile abstract name. Prints
"ready PID" and holds them until its stdin closes.
Usage: unixhelper.py DIR [hostile [PREFIX]]: abstract names begin with PREFIX (unix-test)."""
import os
import socket
import sys

U = socket.AF_UNIX
STREAM, DGRAM, SEQ = socket.SOCK_STREAM, socket.SOCK_DGRAM, socket.SOCK_SEQPACKET


def main():
    base = sys.argv[1]
    hostile = len(sys.argv) > 2 and sys.argv[2] == "hostile"
    prefix = sys.argv[3] if len(sys.argv) > 3 else "unix-test"
    keep = []

    def bound(kind, addr, listen=True):
        s = socket.socket(U, kind)
        s.bind(addr)
        if listen and kind != DGRAM:
            s.listen(7)
        keep.append(s)
        return s

    # Filesystem sockets: a stream listener with an accepted connection and a client waiting
    # to be accepted, a datagram socket with a message queued from a connected client, a
    # seqpacket listener, a long path.
    st = bound(STREAM, os.path.join(base, "stream.sock"))
    c1 = socket.socket(U, STREAM)
    c1.connect(os.path.join(base, "stream.sock"))
    a1, _ = st.accept()
    a1.send(b"hello")
    c2 = socket.socket(U, STREAM)
    c2.connect(os.path.join(base, "stream.sock"))
    keep += [c1, a1, c2]
    bound(DGRAM, os.path.join(base, "dgram.sock"))
    d = socket.socket(U, DGRAM)
    d.connect(os.path.join(base, "dgram.sock"))
    d.send(b"queued")
    keep.append(d)
    bound(SEQ, os.path.join(base, "seqpacket.sock"))
    longdir = os.path.join(base, "d" * 30, "e" * 20)
    os.makedirs(longdir, exist_ok=True)
    bound(STREAM, os.path.join(longdir, "long-name.sock"))
    # Abstract names, per network namespace.
    bound(STREAM, "\0" + prefix + "-stream")
    bound(DGRAM, "\0" + prefix + "-dgram")
    bound(SEQ, "\0" + prefix + "-seqpacket")
    if hostile:
        # A NUL, an escape sequence, a newline and a byte that is not UTF-8 in one name.
        bound(STREAM, b"\0unix-evil\x00\x1b[31m\nred\xff")
    # Socketpairs of each type, and sockets never bound.
    for kind in (STREAM, DGRAM, SEQ):
        keep += list(socket.socketpair(U, kind))
        keep.append(socket.socket(U, kind))
    print("ready", os.getpid(), flush=True)
    sys.stdin.read()


main()
