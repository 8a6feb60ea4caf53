#!/usr/bin/python3
"""Checks for tests/live/hostile.sh: listen's output about processes with hostile names.

hostile.py table FILE ROWS          a table: valid UTF-8, no control byte but the newline
                                    ending each line, and ROWS lines
hostile.py json FILE PID...         JSON (or JSON Lines): valid; every owner with one of the pids
                                    has the name, command line and exe that /proc shows, whole
hostile.py prom FILE                metrics: valid UTF-8, no control byte, well-formed lines
hostile.py paths FILE DIR           the shim's path log: nothing outside the places listen reads,
                                    no '..', nothing under DIR
hostile.py pty FILE COLS CMD...     run CMD with its stdout on a pseudo-terminal COLS wide (0: a
                                    terminal that gives no size; 0/N: no size, and no line may
                                    be wider than N) and save what it printed in FILE: valid
                                    UTF-8, no control byte but the colour escapes and newlines,
                                    no line wider than COLS columns (else $COLUMNS)
Exits 1 with the first problem.
"""
import fcntl
import json
import os
import re
import struct
import subprocess
import sys
import termios
import unicodedata


def fail(msg):
    print("    " + msg)
    sys.exit(1)


def text_of(path):
    raw = open(path, "rb").read()
    try:
        return raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        fail(f"{path}: not UTF-8: {e}")


# Default-ignorable code points that are not format characters (Cf): they print as nothing.
IGNORABLE = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F, 0x3164,
             0xFFA0} | set(range(0xFE00, 0xFE10)) | set(range(0xE0100, 0xE01F0))


def no_controls(text, where):
    """No control, format, separator or invisible character but the newline: what Unicode
    calls them, not listen's own list."""
    for i, ch in enumerate(text):
        o = ord(ch)
        if ch != "\n" and (unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") or
                           o in IGNORABLE):
            fail(f"{where}: control character U+{o:04X} at {i}: {text[max(0, i - 30):i + 10]!r}")


def table(path, rows):
    text = text_of(path)
    no_controls(text, path)
    n = text.count("\n")
    if n != int(rows):
        fail(f"{path}: {n} lines, want {rows}")


def proc_text(pid, name):
    """What /proc shows of pid, as listen must give it in JSON: invalid bytes as U+FFFD."""
    raw = open(f"/proc/{pid}/{name}", "rb").read()
    if name == "cmdline":
        raw = raw.rstrip(b"\0").replace(b"\0", b" ")
    if name == "comm":
        raw = raw[:-1]  # the kernel's newline
    return raw.decode("utf-8", errors="replace")


def check_json(path, pids):
    text = text_of(path)
    try:
        docs = [json.loads(text)]
    except ValueError:
        try:
            docs = [json.loads(l) for l in text.split("\n") if l]
        except ValueError as e:
            fail(f"{path}: not JSON: {e}")
    owners = []

    def walk(v):
        if isinstance(v, dict):
            if "pid" in v and "cmdline" in v:
                owners.append(v)
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
    for d in docs:
        walk(d)
    seen = set()
    for o in owners:
        pid = str(o["pid"])
        if pid not in pids:
            continue
        seen.add(pid)
        for key, file in (("name", "comm"), ("cmdline", "cmdline")):
            want = proc_text(pid, file)
            if o[key] != want:
                fail(f"{path}: pid {pid} {key}: {len(o[key])} characters, want {len(want)}: "
                     f"{o[key][:60]!r} vs {want[:60]!r}")
        exe = os.readlink(f"/proc/{pid}/exe")
        if o["exe"] != exe:
            fail(f"{path}: pid {pid} exe {o['exe']!r}, want {exe!r}")
    missing = set(pids) - seen
    if missing:
        fail(f"{path}: no owner with pid {', '.join(sorted(missing))}")


PROM_LINE = re.compile(r'^(# (HELP|TYPE) .*|[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="'
                       r'([^"\\\n]|\\[\\"n])*",?)*\})? -?[0-9.e+-]+|)$')


def prom(path):
    text = text_of(path)
    no_controls(text, path)
    for n, l in enumerate(text.split("\n"), 1):
        if not PROM_LINE.match(l):
            fail(f"{path}:{n}: not a metric line: {l[:100]!r}")


ALLOWED = ("/proc/", "/sys/fs/cgroup/", "/etc/", "/run/netns", "/run/systemd/", "/run/user/",
           "/var/lib/docker/", "/var/lib/containers/", "/var/log/pods", "/usr/lib/", "/lib/",
           "/usr/share/", "/dev/null",
           # the owner source's facts (bpf_owners_facts): lockdown, the kernel's BTF
           "/sys/kernel/security/lockdown", "/sys/kernel/btf/vmlinux")


def paths(path, scratch):
    logged = open(path, "rb").read().decode("utf-8", errors="replace").splitlines()
    if not logged:
        fail(f"{path}: no path logged")
    for p in logged:
        if "//" in p:  # DIR//RELATIVE: a path opened relative to a directory fd
            d, rel = p.split("//", 1)
            if rel.startswith("/"):
                full = rel
            else:
                full = (d.rstrip("/") + "/" + rel) if d else rel
            parts = rel.split("/")
        else:
            full, parts = p, p.split("/")
        if ".." in parts:
            fail(f"{path}: '..' in {p!r}")
        if scratch in full:
            fail(f"{path}: followed process data into {full!r}")
        if not full.startswith(ALLOWED) and full not in ("/", "/proc", "/etc", "/run"):
            fail(f"{path}: opened {full!r}, outside the places listen reads")


def columns(line):
    """Columns a line takes on a terminal: wide East Asian characters two, marks none."""
    return sum(0 if unicodedata.combining(ch) else
               2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def run_pty(path, cols, argv):
    cols, _, limit = cols.partition("/")
    master, slave = os.openpty()
    if int(cols):
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, int(cols), 0, 0))
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=slave,
                            stderr=subprocess.DEVNULL)
    os.close(slave)
    data = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the other end closed
            break
        if not chunk:
            break
        data += chunk
    os.close(master)
    if proc.wait() != 0:
        fail(f"{argv}: exit status {proc.returncode}")
    data = data.replace(b"\r\n", b"\n")  # the terminal's ONLCR
    open(path, "wb").write(data)
    text = text_of(path)
    plain = re.sub("\x1b\\[[0-9;]*m", "", text)
    no_controls(plain, path)
    limit = int(limit or cols) or int(os.environ["COLUMNS"])
    for line in plain.splitlines():
        if columns(line) > limit:
            fail(f"{path}: a line of {columns(line)} columns, wider than {limit}: {line!r}")


def main():
    what, path, *rest = sys.argv[1:]
    if what == "table":
        table(path, rest[0])
    elif what == "json":
        check_json(path, rest)
    elif what == "prom":
        prom(path)
    elif what == "paths":
        paths(path, rest[0])
    elif what == "pty":
        run_pty(path, rest[0], rest[1:])
    else:
        fail(f"unknown check {what}")


if __name__ == "__main__":
    main()
