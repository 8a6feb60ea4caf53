#!/usr/bin/env python3
"""Unix listeners for the live test of their scope and audit, made by whoever runs it, under
DIR: world-writable, group-writable (by group GROUP), owner-only, behind a directory only root
may search (the file owned by nobody), replaced by a plain file, bound through a link that
nobody owns; and the abstract names @PREFIX-abstract and @/tmp/.X11-unix/X99. With "docker"
only /run/docker.sock, world-writable (run it in a mount namespace of its own). With "user"
only DIR/user.sock, world-writable. Prints "ready PID" and holds them until stdin closes.
Usage: unixaudithelper.py DIR all GROUP PREFIX | DIR docker | DIR user"""
import grp
import os
import socket
import sys

U = socket.AF_UNIX


def main():
    base, what = sys.argv[1], sys.argv[2]
    keep = []

    def listener(path, mode):
        s = socket.socket(U, socket.SOCK_STREAM)
        s.bind(path)
        s.listen(4)
        if path[0] != "\0":
            os.chmod(path, mode)
        keep.append(s)
        return s

    if what == "docker":
        listener("/run/docker.sock", 0o666)
    elif what == "user":
        listener(base + "/user.sock", 0o666)
    else:
        group, prefix = sys.argv[3], sys.argv[4]
        listener(base + "/world.sock", 0o666)
        listener(base + "/group.sock", 0o660)
        os.chown(base + "/group.sock", 0, grp.getgrnam(group).gr_gid)
        listener(base + "/owner.sock", 0o600)
        os.mkdir(base + "/closed", 0o700)
        listener(base + "/closed/in.sock", 0o666)
        os.chown(base + "/closed/in.sock", 65534, 65534)
        listener(base + "/replaced.sock", 0o666)
        os.unlink(base + "/replaced.sock")
        open(base + "/replaced.sock", "w").close()
        os.mkdir(base + "/real", 0o755)
        os.symlink(base + "/real", base + "/link")
        listener(base + "/link/linked.sock", 0o666)
        os.lchown(base + "/link", 65534, 65534)
        listener("\0" + prefix + "-abstract", 0)
        listener("\0/tmp/.X11-unix/X99", 0)
    print("ready", os.getpid(), flush=True)
    sys.stdin.read()


main()
