#!/usr/bin/env python3
"""Sockets for live-views: TCP listeners (IPv4 and IPv6), connections with keepalive set and
data waiting unread (so queues, skmem and tcp_info are not zero), UDP sockets bound and
connected, on ports from BASE (argument, default 7001) up. Prints "ready PID", then holds them
until its stdin closes."""
import os
import socket
import sys

held = []
base = int(sys.argv[1]) if len(sys.argv) > 1 else 7001


def tcp_pair(family, addr, port):
    lst = socket.socket(family, socket.SOCK_STREAM)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind((addr, port))
    lst.listen(16)
    cli = socket.socket(family, socket.SOCK_STREAM)
    cli.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    cli.connect((addr, port))
    srv, _ = lst.accept()
    # Unread on both sides: Recv-Q and skmem's r are not zero.
    cli.sendall(b"x" * 50000)
    srv.sendall(b"y" * 3000)
    held.extend([lst, cli, srv])


tcp_pair(socket.AF_INET, "127.0.0.1", base)
tcp_pair(socket.AF_INET6, "::1", base + 1)
for family, addr, port in ((socket.AF_INET, "127.0.0.1", base + 2),
                           (socket.AF_INET6, "::1", base + 3)):
    u = socket.socket(family, socket.SOCK_DGRAM)
    u.bind((addr, port))
    held.append(u)
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
c.connect(("127.0.0.1", base + 2))
c.send(b"z" * 700)  # waits in the bound socket's receive queue
held.append(c)
print("ready", os.getpid(), flush=True)
sys.stdin.read()
