#!/usr/bin/env python3
"""Unix and packet sockets with data queued, for -m's live test and fixture capture: a unix
stream listener bound to DIR/stream.sock with a client whose bytes wait unread on the accepted
side and another client not yet accepted; datagram and seqpacket socketpairs with data
waiting on one side; an abstract datagram socket with datagrams from an unbound sender
waiting; a packet socket of every protocol on lo with two frames waiting, sent by a packet
socket that receives nothing, and one of ARP that receives nothing (lo has no ARP). Nothing
is read, so every queue (ss -m's r, t, d, and the packet socket's r) holds still. Prints
"ready PID" and holds them until its stdin closes. Usage: skmemhelper.py DIR"""
import os
import socket
import sys

ETH_P_ALL, ETH_P_ARP, ETH_P_LOCAL = 0x0003, 0x0806, 0x88B5  # 0x88B5: local experimental


def main():
    path = os.path.join(sys.argv[1], "stream.sock")
    keep = []

    def unix(kind):
        s = socket.socket(socket.AF_UNIX, kind)
        keep.append(s)
        return s

    listener = unix(socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(8)
    client = unix(socket.SOCK_STREAM)
    client.connect(path)
    accepted, _ = listener.accept()
    keep.append(accepted)
    client.sendall(b"x" * 1000)
    unix(socket.SOCK_STREAM).connect(path)  # waits in the listener's backlog
    for kind, size in ((socket.SOCK_DGRAM, 300), (socket.SOCK_SEQPACKET, 500)):
        a, b = socket.socketpair(socket.AF_UNIX, kind)
        keep += [a, b]
        a.send(b"y" * size)
    sink = unix(socket.SOCK_DGRAM)
    sink.bind(b"\0skmem-dgram")
    sender = unix(socket.SOCK_DGRAM)
    for _ in range(3):
        sender.sendto(b"z" * 200, b"\0skmem-dgram")

    def packet(proto, bind=None):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(proto))
        if bind:
            s.bind(bind)
        keep.append(s)
        return s

    packet(ETH_P_ALL, bind=("lo", ETH_P_ALL))
    packet(ETH_P_ARP)
    tx = packet(0)  # protocol 0: receives nothing, itself included
    frame = bytes(12) + ETH_P_LOCAL.to_bytes(2, "big") + b"skmem" * 12
    tx.sendto(frame, ("lo", ETH_P_LOCAL))
    tx.sendto(frame, ("lo", ETH_P_LOCAL))
    print("ready", os.getpid(), flush=True)
    sys.stdin.read()


if __name__ == "__main__":
    main()
