#!/usr/bin/env python3
"""Sockets for tests/live/kill.sh to close: a TCP listener on 127.0.0.1:7101 with three
connections to it, a UDP socket on 127.0.0.1:7102 with a thread blocked reading it, and an
MPTCP listener on 127.0.0.1:7103. Prints "ready PORT0 PORT1 PORT2" (the clients' ports), then
answers each line "state" with what each socket's owner sees now:
"c0=open a0=open ... l=open u=blocked m=open", where a connection is open, reset (its peer
was aborted), aborted or eof, the listener open or closed, the UDP reader blocked or the
error it got. A socket keeps the first state it was seen in other than open: an error is
read once."""
import errno
import socket
import sys
import threading

IPPROTO_MPTCP = 262


def conn_state(s):
    s.setblocking(False)
    try:
        data = s.recv(16)
    except BlockingIOError:
        return "open"
    except ConnectionResetError:
        return "reset"
    except ConnectionAbortedError:
        return "aborted"
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))
    return "eof" if not data else "data"


def listener_state(s):
    s.setblocking(False)
    try:
        s.accept()
    except BlockingIOError:
        return "open"
    except OSError as e:
        return "closed" if e.errno == errno.EINVAL else errno.errorcode.get(e.errno, "?")
    return "accepted"


def main():
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 7101))
    listener.listen(8)
    clients, accepted = [], []
    for _ in range(3):
        c = socket.socket()
        c.connect(("127.0.0.1", 7101))
        a, _ = listener.accept()
        clients.append(c)
        accepted.append(a)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 7102))
    udp_state = ["blocked"]

    def read_udp():
        try:
            udp.recv(16)
            udp_state[0] = "read"
        except OSError as e:
            udp_state[0] = errno.errorcode.get(e.errno, str(e.errno))

    threading.Thread(target=read_udp, daemon=True).start()
    mptcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_MPTCP)
    mptcp.bind(("127.0.0.1", 7103))
    mptcp.listen(4)
    print("ready", *(c.getsockname()[1] for c in clients), flush=True)
    seen = {}

    def sticky(name, look):
        if seen.get(name, "open") == "open":
            seen[name] = look()
        return f"{name}={seen[name]}"

    for line in sys.stdin:
        if line.strip() != "state":
            continue
        words = [sticky(f"c{i}", lambda c=c: conn_state(c)) for i, c in enumerate(clients)]
        words += [sticky(f"a{i}", lambda a=a: conn_state(a)) for i, a in enumerate(accepted)]
        words += [sticky("l", lambda: listener_state(listener)), f"u={udp_state[0]}",
                  sticky("m", lambda: listener_state(mptcp))]
        print(" ".join(words), flush=True)


main()
