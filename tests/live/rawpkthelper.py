#!/usr/bin/env python3
"""Raw and packet sockets for the live test and the fixture capture: raw ICMP over IPv4 and
IPv6 (one bound to 127.0.0.1, one to ::1, one connected), a raw socket of IPPROTO_RAW, packet
sockets of ETH_P_ALL (raw and datagram), one bound to IFACE, one promiscuous on IFACE
(PACKET_MR_PROMISC), one with a BPF filter attached. Prints "ready PID" and holds them until
its stdin closes. Usage: rawpkthelper.py IFACE"""
import ctypes
import os
import socket
import struct
import sys

ETH_P_ALL, ETH_P_IP, ETH_P_ARP = 0x0003, 0x0800, 0x0806
SOL_PACKET, PACKET_ADD_MEMBERSHIP, PACKET_MR_PROMISC = 263, 1, 1
SO_ATTACH_FILTER = 26


def main():
    iface = sys.argv[1]
    ifindex = socket.if_nametoindex(iface)
    keep = []

    def raw(family, proto, bind=None, connect=None):
        s = socket.socket(family, socket.SOCK_RAW, proto)
        if bind:
            s.bind(bind)
        if connect:
            s.connect(connect)
        keep.append(s)
        return s

    raw(socket.AF_INET, socket.IPPROTO_ICMP)
    raw(socket.AF_INET, socket.IPPROTO_ICMP, bind=("127.0.0.1", 0))
    raw(socket.AF_INET, socket.IPPROTO_ICMP, connect=("127.0.0.2", 0))
    raw(socket.AF_INET, socket.IPPROTO_RAW)
    raw(socket.AF_INET6, socket.IPPROTO_ICMPV6)
    raw(socket.AF_INET6, socket.IPPROTO_ICMPV6, bind=("::1", 0))

    def packet(kind, proto, bind_iface=None):
        s = socket.socket(socket.AF_PACKET, kind, socket.htons(proto))
        if bind_iface:
            s.bind((bind_iface, proto))
        keep.append(s)
        return s

    packet(socket.SOCK_RAW, ETH_P_ALL)
    packet(socket.SOCK_DGRAM, ETH_P_IP)
    packet(socket.SOCK_RAW, ETH_P_ARP, bind_iface=iface)
    promisc = packet(socket.SOCK_RAW, ETH_P_ALL, bind_iface=iface)
    # struct packet_mreq: ifindex, type, alen, address[8]
    promisc.setsockopt(SOL_PACKET, PACKET_ADD_MEMBERSHIP,
                       struct.pack("iHH8s", ifindex, PACKET_MR_PROMISC, 0, b""))
    filtered = packet(socket.SOCK_RAW, ETH_P_ALL)
    # Accept every frame: "ret #-1" (a BPF program of one instruction).
    insns = struct.pack("HBBI", 0x06, 0, 0, 0xFFFFFFFF)
    buf = ctypes.create_string_buffer(insns)
    prog = struct.pack("HL", 1, ctypes.addressof(buf))
    filtered.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, prog)
    # Fanout groups (PACKET_FANOUT, 18: the group's id, its type << 16): load-balanced and
    # by rollover, bound to the interface as a group must be.
    for group, kind in ((42, 1), (43, 3)):
        member = packet(socket.SOCK_RAW, ETH_P_ALL, bind_iface=iface)
        member.setsockopt(SOL_PACKET, 18, struct.pack("I", group | kind << 16))
    print("ready", os.getpid(), flush=True)
    sys.stdin.read()


main()
