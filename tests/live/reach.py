#!/usr/bin/env python3
"""Helper of tests/live/reach.sh: the listeners, the client's probes, and the comparison of
listen's Reach verdicts with what the probes observed.

  reach.py serve LOG SPEC...       bind SPECs (tcp|udp,ADDR,PORT[,v6only]), print "ready", then
                                   accept TCP connections and log each UDP datagram to LOG
  reach.py probe SRC4 SRC6 TARGET...
                                   from sources SRC4/SRC6, try every TARGET
                                   (tcp|udp,ADDR,PORT): TCP connects, UDP sends a token; prints
                                   "tcp,ADDR,PORT,SRC yes|no" for TCP and "udp,...,SRC sent"
  reach.py check NAME INODE JSON PROBES LOG [UNKNOWN]
                                   compare (INODE: the server's netns): one line per exposed
                                   listener, PASS or FAIL, and exit 1 on any FAIL
"""
import ipaddress
import json
import os
import select
import socket
import sys
import time


def serve(log, specs):
    socks = []
    for spec in specs:
        f = spec.split(',')
        proto, addr, port = f[0], f[1], int(f[2])
        fam = socket.AF_INET6 if ':' in addr else socket.AF_INET
        s = socket.socket(fam, socket.SOCK_STREAM if proto == 'tcp' else socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if fam == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1 if 'v6only' in f else 0)
        s.bind((addr, port))
        if proto == 'tcp':
            s.listen(64)
        socks.append((proto, addr, port, s))
    out = open(log, 'a', buffering=1)
    print('ready', flush=True)
    while True:
        ready, _, _ = select.select([s for _, _, _, s in socks], [], [], 1)
        for proto, addr, port, s in socks:
            if s not in ready:
                continue
            if proto == 'tcp':
                c, _ = s.accept()
                c.close()
            else:
                data, _ = s.recvfrom(512)
                out.write(data.decode(errors='replace') + '\n')


def probe(src4, src6, targets):
    pending = {}
    for t in targets:
        proto, addr, port = t.split(',')
        v6 = ':' in addr
        fam = socket.AF_INET6 if v6 else socket.AF_INET
        src = src6 if v6 else src4
        s = socket.socket(fam, socket.SOCK_STREAM if proto == 'tcp' else socket.SOCK_DGRAM)
        s.bind((src, 0))
        key = '%s,%s' % (t, src)
        if proto == 'udp':
            s.sendto(key.encode(), (addr, int(port)))
            s.close()
            print(key, 'sent')
            continue
        s.setblocking(False)
        err = s.connect_ex((addr, int(port)))
        pending[s] = key
    deadline = time.time() + 1.5
    result = {}
    while pending and time.time() < deadline:
        _, w, _ = select.select([], list(pending), [], max(0, deadline - time.time()))
        for s in w:
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            result[pending.pop(s)] = 'yes' if err == 0 else 'no'
            s.close()
    for s, key in pending.items():
        result[key] = 'no'
        s.close()
    for key, r in sorted(result.items()):
        print(key, r)


SERVER4, SERVER6 = '10.77.0.1', 'fd77::1'
SOURCES = [('10.77.0.2', 'fd77::2'), ('10.88.0.2', 'fd88::2')]


def targets_of(row):
    """The addresses a client reaches a listener at: (family 4|6, address) pairs."""
    addr, v6only = row['local']['address'], row['v6only']
    if row['reach'] and row['reach']['via']:
        return [(4, SERVER4)] if ':' not in row['reach']['via']['address'] else [(6, SERVER6)]
    if addr == '0.0.0.0':
        return [(4, SERVER4)]
    if addr == '::':
        return [(6, SERVER6)] if v6only else [(4, SERVER4), (6, SERVER6)]
    return [(6 if ':' in addr else 4, addr)]


def port_of(row):
    via = row['reach'] and row['reach']['via']
    return via['port'] if via else row['local']['port']


def observed(row, probes, log):
    """For each source pair: reached through any of the listener's targets."""
    seen = []
    for src4, src6 in SOURCES:
        ok = False
        for fam, addr in targets_of(row):
            key = '%s,%s,%d,%s' % (row['protocol'], addr, port_of(row), src6 if fam == 6 else src4)
            ok |= probes.get(key) == 'yes' or key in log
        seen.append(ok)
    return seen


def expected(row):
    """What the verdict says each source pair meets, or None for unknown."""
    r = row['reach']
    if r['verdict'] == 'unknown':
        return None
    if r['verdict'] in ('open', 'filtered'):
        return [r['verdict'] == 'open'] * len(SOURCES)
    nets = [ipaddress.ip_network(p) for p in r['from']]
    out = []
    for pair in SOURCES:
        fams = {f for f, _ in targets_of(row)}
        srcs = [ipaddress.ip_address(pair[0 if f == 4 else 1]) for f in fams]
        out.append(any(s in n for s in srcs for n in nets if s.version == n.version))
    return out


def check(name, server, jpath, ppath, lpath, unknown):
    rows = json.load(open(jpath))
    probes = {}
    for line in open(ppath):
        k, v = line.split()
        if v != 'sent':
            probes[k] = v
    log = set(l.strip() for l in open(lpath)) if os.path.exists(lpath) else set()
    want_unknown = set(unknown.split()) if unknown else set()
    fails = 0
    for row in rows:
        if not row['exposed'] or row['state'] not in ('LISTEN', 'UNCONN'):
            continue
        label = '%s/%s:%d' % (row['protocol'], row['local']['address'], row['local']['port'])
        r = row['reach']
        ino = row['netns']['inode'] if row['netns'] else None
        if ino is not None and str(ino) != server and not (r and r['via']):
            continue  # the container's own rows: only their published port is probed
        if r is None:
            print('FAIL: %s: %s: no verdict' % (name, label))
            fails += 1
            continue
        text = r['verdict'] + (' from ' + ','.join(r['from']) if r['from'] else '') + \
            (' via %s:%d' % (r['via']['address'], r['via']['port']) if r['via'] else '')
        exp, obs = expected(row), observed(row, probes, log)
        key = '%s/%d' % (row['protocol'], row['local']['port'])
        if exp is None:
            ok = key in want_unknown
            rule = r['rule'] and '%s %s %s #%s' % (r['rule']['family'], r['rule']['table'],
                                                   r['rule']['chain'], r['rule']['handle'])
            text += ' (%s)' % rule
        else:
            ok = exp == obs and key not in want_unknown
        print('%s: %s: %s: %s, client saw %s' % ('PASS' if ok else 'FAIL', name, label, text,
                                               ' '.join('yes' if o else 'no' for o in obs)))
        fails += not ok
    sys.exit(1 if fails else 0)


if __name__ == '__main__':
    cmd = sys.argv[1]
    if cmd == 'serve':
        serve(sys.argv[2], sys.argv[3:])
    elif cmd == 'probe':
        probe(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif cmd == 'check':
        check(*sys.argv[2:7], sys.argv[7] if len(sys.argv) > 7 else '')
