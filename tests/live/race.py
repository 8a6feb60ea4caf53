#!/usr/bin/python3
"""Checks for tests/live/race.sh: race.py SCHEMA PIDLOG DIR

DIR holds the runs: table.N, nobody.N (a table as nobody) and json.N (stdout), *.err (stderr)
and *.status (exit status). The notice on hidden holders is well-formed; root is never told to
run as root; nobody always is, for root's processes.
Every run exited 0 and wrote no sanitizer report; every table row is well-formed; every JSON
document parses, one in five is checked against the schema; every holder pid that any run reports is in PIDLOG (the
churn logged it before it opened a socket) and carries a churn name. Prints what it checked;
exits 1 with the first problem.
"""
import glob
import json
import os
import re
import sys

import jsonschema

STATES = {"ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT", "UNCONN",
          "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING"}
ENDPOINT = re.compile(r"^(\[[0-9a-f:.]+\]|[0-9.]+|\*)(%\S+)?:(\d+|\*)$")
USERS = re.compile(r'^users:\(\(("[^"\\]*(\\.[^"\\]*)*",pid=\d+,fd=\d+)'
                   r'(\),\(("[^"\\]*(\\.[^"\\]*)*",pid=\d+,fd=\d+))*\)\)$')
HOLDER = re.compile(r'\("((?:[^"\\]|\\.)*)",pid=(\d+),fd=\d+\)')
NAMES = {"lsn-churn", "lsn-churn-w", "lsn-churn-c"}


def fail(msg):
    print("    " + msg)
    sys.exit(1)


def main():
    schema_path, log_path, d = sys.argv[1:]
    logged = set(open(log_path).read().split())
    validator = jsonschema.Draft202012Validator(json.load(open(schema_path)))
    holders = set()
    rows = 0
    exited = 0

    def holder(where, name, pid):
        if str(pid) not in logged:
            fail(f"{where}: holder pid {pid} ({name}) never existed in the churn")
        if name not in NAMES:
            fail(f"{where}: holder pid {pid} named {name!r}")
        holders.add(pid)

    statuses = sorted(glob.glob(os.path.join(d, "*.status")))
    if not statuses:
        fail(f"{d}: no runs")
    for st in statuses:
        run = st[:-len(".status")]
        status = open(st).read().strip()
        err = open(run + ".err", errors="replace").read()
        if status != "0":
            fail(f"{run}: exit status {status}: {err[:300]}")
        if re.search(r"Sanitizer|runtime error|==\d+==", err):
            fail(f"{run}: sanitizer report: {err[:300]}")
        # The notice on hidden holders: one line, or one for the sockets and one per cause.
        for line in err.splitlines():
            if not line.startswith("listen: owners of ") and not line.startswith("listen:   "):
                fail(f"{run}: unexpected stderr line {line!r}")
            if "exited while" in line:
                exited += 1
            if "run as root" in line and not os.path.basename(run).startswith("nobody."):
                fail(f"{run}: root told to run as root: {line!r}")
        if os.path.basename(run).startswith("nobody.") and "run as root to see them" not in err:
            fail(f"{run}: nobody not told why root's holders are hidden: {err[:300]!r}")
        out = open(run, encoding="utf-8", errors="strict").read()
        if os.path.basename(run).startswith("json."):
            doc = json.loads(out)
            # Every document parses; the schema (slow to check) is checked on one in five.
            if int(run.rsplit(".", 1)[1]) % 5 == 1:
                try:
                    validator.validate(doc)
                except jsonschema.ValidationError as e:
                    fail(f"{run}: {e.message}")
            for sock in doc:
                rows += 1
                for o in sock["processes"] or []:
                    holder(run, o["name"], o["pid"])
            continue
        lines = out.split("\n")
        if lines[-1] != "" or not lines[0].startswith("State "):
            fail(f"{run}: no header or no final newline")
        for n, line in enumerate(lines[1:-1], 2):
            t = line.split()
            where = f"{run}:{n}"
            if (len(t) < 5 or t[0] not in STATES or not t[1].isdigit() or not t[2].isdigit() or
                    not ENDPOINT.match(t[3]) or not ENDPOINT.match(t[4])):
                fail(f"{where}: malformed row {line!r}")
            users = [x for x in t[5:] if x.startswith("users:")]
            if len(users) > 1 or (users and (not USERS.match(users[0]) or t[-1] != users[0])):
                fail(f"{where}: malformed holders {line!r}")
            for name, pid in HOLDER.findall(users[0] if users else ""):
                holder(where, name, int(pid))
            rows += 1
    print(f"    {len(statuses)} runs, {rows} rows, {len(holders)} distinct holders, "
          f"{len(logged)} pids churned, {exited} notices of processes that exited while read")
    if len(holders) < 10:
        fail("fewer than 10 distinct holders seen: the churn did not run")


if __name__ == "__main__":
    main()
