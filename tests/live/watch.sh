#!/bin/bash
# Live test of --watch in a private network namespace: sockets opened and closed while
# `listen --watch --json=lines` runs give each event once, in order, with the right holder; a
# listener that lives 20 ms is still reported; 1,000 listeners opened at once; a namespace
# created and removed during `--all-netns --watch`; the watch as nobody; SIGTERM ends it with
# status 0 and whole lines; a reader that goes away ends it quietly.
# Usage: watch.sh LISTEN SCHEMA
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
live_enter "$0" unshare ip setpriv jq /usr/bin/python3 -- "$@"
here=$(dirname "$0")
schema=$2
ip link set lo up || exit 1
setup "$1"
nsname=watch-$$
watchers=()
trap 'for p in "${watchers[@]}"; do kill "$p" 2>/dev/null; done; ip netns del "$nsname" 2>/dev/null; teardown' EXIT
valid() { "$here/../formats/validate.py" "$schema" --events "$1"; }
py() { /usr/bin/python3 -c "$@"; }
jqe() { jq -e "$@" >/dev/null; }
# jqs FILTER FILE: FILTER on every line of FILE at once (an array) is true.
jqs() { jq -s -e "$@" >/dev/null; }

# watch NAME ARGS...: start `listen ARGS` in the background, output in $tmp/NAME.out and .err;
# wait for its first notice (it is watching then); set wpid.
watch() {
	local name=$1
	shift
	"${RUNAS[@]}" "$L" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	wpid=$!
	watchers+=("$wpid")
	for _ in $(seq 100); do
		grep -q 'watching' "$tmp/$name.err" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "    the watch did not start: $(cat "$tmp/$name.err")"
	return 1
}
# stop PID: SIGTERM, and the exit status.
stop() {
	kill -TERM "$1"
	wait "$1"
}
RUNAS=()

# Opened and closed one after the other, each living half a second or more: the events in
# that order, each once, with the holder's pid.
check "watch starts" watch seq --watch --json=lines -n
py '
import os, socket, sys, time
print(os.getpid(), flush=True)
a = socket.socket(); a.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
a.bind(("127.0.0.1", 7001)); a.listen(); time.sleep(0.6)
b = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); b.bind(("::1", 7002)); time.sleep(0.6)
a.close(); time.sleep(0.6)
b.close(); time.sleep(0.6)
' >"$tmp/seq.pid"
holder=$(cat "$tmp/seq.pid")
stop "$wpid"
check "SIGTERM: exit 0" test $? = 0
out=$tmp/seq.out
check "events valid" valid "$out"
check "whole lines" test "$(tail -c 1 "$out" | od -An -c | tr -d ' ')" = '\n'
order=$(jq -r 'select(.socket.local.port == 7001 or .socket.local.port == 7002) |
	"\(.event) \(.socket.protocol) \(.socket.local.port)"' "$out")
check "each event once, in order" same_lines "new tcp 7001
new udp 7002
gone tcp 7001
gone udp 7002" "$order"
check "holder of the new one" test "$(jq -r 'select(.event == "new" and .socket.local.port == 7001) |
	.socket.processes[0].pid' "$out")" = "$holder"
check "the gone one says who held it" test "$(jq -r 'select(.event == "gone" and
	.socket.local.port == 7001) | .socket.processes[0].pid' "$out")" = "$holder"
check "lifetime about 1.2s" jqs 'any(.[]; .event == "gone" and .socket.local.port == 7001 and
	.lived_ms >= 900 and .lived_ms < 3000 and .seen and (.initial | not))' "$out"
check "notifications used" grep -q "destroy notifications" "$tmp/seq.err"
check "one notice line" test "$(wc -l <"$tmp/seq.err")" = 1

# A listener that lives 20 ms, between two looks of a 2 s watch: reported all the same.
check "watch starts" watch brief --watch=2s --json=lines -n
py '
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 7003)); s.listen(); time.sleep(0.02); s.close()
time.sleep(0.3)'
stop "$wpid"
brief=$(jq -c 'select(.socket.local.port == 7003)' "$tmp/brief.out")
check "brief listener: one event" test "$(wc -l <<<"$brief")" = 1
check "brief listener: gone, never seen" jqe '.event == "gone" and (.seen | not) and
	.lived_ms == null and .socket.processes == null' <<<"$brief"
check "brief events valid" valid "$tmp/brief.out"
check "text: +-" bash -c "'$L' --watch=2s -n >'$tmp/brief.txt' 2>/dev/null & w=\$!; sleep 0.5
	/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind((\"127.0.0.1\", 7004)); s.listen()'
	sleep 0.3; kill -TERM \$w; wait \$w && grep -q ' +- tcp .*127.0.0.1:7004 .*between two looks' '$tmp/brief.txt'"

# 1,000 listeners opened at once, then closed at once: 1,000 of each, each port once.
check "watch starts" watch many --watch --json=lines -n
py '
import socket, time
ss = []
for p in range(20000, 21000):
    s = socket.socket(); s.bind(("127.0.0.1", p)); s.listen(); ss.append(s)
time.sleep(1.5)
for s in ss: s.close()
time.sleep(1.5)'
stop "$wpid"
for ev in new gone; do
	ports=$(jq -r "select(.event == \"$ev\") | .socket.local.port" "$tmp/many.out" | sort -n)
	check "1,000 $ev, each once" same_lines "$(seq 20000 20999)" "$ports"
done
check "1,000: holders found" test "$(jq -r 'select(.event == "new") | .socket.processes | length' \
	"$tmp/many.out" | sort -u)" = 1

# There at the start: printed first, as initial; nothing else from a quiet namespace.
py 'import socket, time; s = socket.socket(); s.bind(("127.0.0.1", 7005)); s.listen(); time.sleep(30)' &
sleeper=$!
watchers+=("$sleeper")
sleep 0.3
check "watch starts" watch quiet --watch --json=lines -n
sleep 1
stop "$wpid"
check "initial socket" jqs 'any(.[]; .socket.local.port == 7005 and .event == "new" and
	.initial)' "$tmp/quiet.out"
check "quiet: one event" test "$(wc -l <"$tmp/quiet.out")" = 1
check "text: = for the initial" bash -c "'$L' --watch -n >'$tmp/quiet.txt' 2>/dev/null & w=\$!
	sleep 0.5; kill -TERM \$w; wait \$w && grep -q '^[0-9:]* = tcp .*127.0.0.1:7005 ' '$tmp/quiet.txt'"
check "text: SIGINT ends it too" bash -c "'$L' --watch -n >/dev/null 2>&1 & w=\$!
	sleep 0.5; kill -INT \$w; wait \$w"

# As nobody: the sockets are seen, root's holders are not, and that is said.
RUNAS=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
check "watch starts as nobody" watch nobody --watch --json=lines -n
py 'import socket, time; s = socket.socket(); s.bind(("127.0.0.1", 7006)); s.listen(); time.sleep(0.6)'
sleep 0.3
stop "$wpid"
check "nobody: exit 0" test $? = 0
check "nobody: new and gone" test "$(jq -r 'select(.socket.local.port == 7006) | .event' \
	"$tmp/nobody.out" | tr '\n' ' ')" = "new gone "
check "nobody: owners unknown, not none" jqs 'all(.[] | select(.socket.local.port == 7006);
	.socket.processes == null)' "$tmp/nobody.out"
check "nobody: hidden holders said" grep -q "owners of .* hidden" "$tmp/nobody.err"
check "nobody: events valid" valid "$tmp/nobody.out"
RUNAS=()

# A reader that goes away ends the watch quietly, even with nothing to write.
mkfifo "$tmp/pipe"
"$L" --watch -n -t >"$tmp/pipe" 2>"$tmp/pipe.err" &
wpid=$!
exec {rd}<"$tmp/pipe"
exec {rd}<&-
for _ in $(seq 40); do kill -0 "$wpid" 2>/dev/null || break; sleep 0.05; done
check "closed pipe ends it" bash -c "! kill -0 $wpid 2>/dev/null"
wait "$wpid"
check "closed pipe: exit 0" test $? = 0
check "closed pipe: no error" bash -c "! grep -v watching '$tmp/pipe.err'"

# --all-netns: a namespace created, a listener in it, the listener closed and the namespace
# removed: new, then gone, labelled with the namespace's name.
check "watch starts" watch netns --all-netns --watch --json=lines -n -t
ip netns add "$nsname"
ip -n "$nsname" link set lo up
ip netns exec "$nsname" /usr/bin/python3 -c '
import socket, time; s = socket.socket(); s.bind(("127.0.0.1", 7007)); s.listen(); time.sleep(60)
' &
inns=$!
watchers+=("$inns")
# seen PATTERN: wait until the watch has printed an event of port 7007 matching PATTERN (every
# namespace is dumped at every look: on a loaded machine a look can take a while).
seen() {
	for _ in $(seq 200); do
		grep -q "\"port\":7007}.*$1\|$1.*\"port\":7007}" "$tmp/netns.out" && return 0
		sleep 0.05
	done
	return 1
}
check "all-netns: the new namespace's listener seen" seen '"event":"new"'
kill "$inns"
wait "$inns" 2>/dev/null
check "all-netns: its end seen" seen '"event":"gone"'
ip netns del "$nsname"
sleep 0.5
stop "$wpid"
check "all-netns: exit 0" test $? = 0
events=$(jq -r --arg ns "$nsname" 'select(.socket.netns.name == $ns) |
	"\(.event) \(.socket.local.port)"' "$tmp/netns.out")
check "all-netns: new and gone in the new namespace" same_lines "new 7007
gone 7007" "$events"
check "all-netns: events valid" valid "$tmp/netns.out"

# -N NAME, and the name removed while watching: the namespace lives on (listen holds it, and
# so does its listener), watched still, and said so once.
ip netns add "$nsname"
ip -n "$nsname" link set lo up
ip netns exec "$nsname" /usr/bin/python3 -c '
import socket, time; s = socket.socket(); s.bind(("127.0.0.1", 7008)); s.listen(); time.sleep(60)
' &
inns=$!
watchers+=("$inns")
check "-N watch starts" watch named -N "$nsname" --watch=100ms -n -tl
ip netns del "$nsname"
for _ in $(seq 100); do grep -q "no longer under" "$tmp/named.err" && break; sleep 0.05; done
check "-N: the name's removal said" has "$(cat "$tmp/named.err")" \
	"listen: network namespace $nsname is no longer under /run/netns (ip netns del?): watching on the one listen holds"
kill "$inns"
wait "$inns" 2>/dev/null
for _ in $(seq 100); do grep -q " - .*:7008 " "$tmp/named.out" && break; sleep 0.05; done
check "-N: watched still: its listener's end seen" grep -q " - .*127.0.0.1:7008 " "$tmp/named.out"
stop "$wpid"
check "-N: said once" test "$(grep -c 'no longer under' "$tmp/named.err")" = 1

# --process and --user select in a watch as elsewhere: a listener held by python3 is an event
# for --process=python3, none for another name or user.
check "--process watch starts" watch proc --watch=100ms -n -tl --process=python3
check "--process=other watch starts" watch other --watch=100ms -n -tl --process=lsn-nosuch
/usr/bin/python3 -c '
import socket, time; s = socket.socket(); s.bind(("127.0.0.1", 7009)); s.listen(); time.sleep(1)
'
sleep 0.3
stop "$wpid"
kill "${watchers[-2]}" 2>/dev/null
wait "${watchers[-2]}" 2>/dev/null
check "--process: its listener's events" test "$(grep -c ':7009 ' "$tmp/proc.out")" = 2
check "--process of none: no event" test ! -s "$tmp/other.out"

# The example unit's command, run as the unit runs it: not root, with the unit's capabilities
# only. A listener whose holder calls itself sshd is a high finding, with its holder; python's
# own listener is a low one (no known service), below the unit's --fail-on.
unit=$(dirname "$schema")/examples/listen-watch.service
cmd=$(sed -n "s/^ExecStart=\/bin\/sh -c 'exec listen \(.*\)'$/\1/p" "$unit")
check "unit's command found" test -n "$cmd"
caps=$(sed -n 's/^AmbientCapabilities=//p' "$unit")
check "unit: bounded by its capabilities" test \
	"$(sed -n 's/^CapabilityBoundingSet=//p' "$unit")" = "$caps"
caps=$(tr 'A-Z ' 'a-z\n' <<<"$caps" | sed 's/^cap_/+/' | paste -sd,)
RUNAS=(setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps="$caps"
	--ambient-caps="$caps" --)
# shellcheck disable=SC2086 # the unit's arguments, split as systemd splits them (no quotes)
check "unit's command starts" watch unit $cmd
py 'import socket, time; b = socket.socket(); b.bind(("0.0.0.0", 6380)); b.listen(); time.sleep(3)' &
py '
import socket, time
open("/proc/self/comm", "w").write("sshd")
a = socket.socket(); a.bind(("0.0.0.0", 2222)); a.listen(); time.sleep(2.5)'
wait $!
stop "$wpid"
check "unit: exit 0" test $? = 0
RUNAS=()
check "unit: events valid" valid "$tmp/unit.out"
check "unit: the impostor, new then gone, with its holder" test "$(jq -r '
	"\(.event) \(.socket.local.port) \(.finding.risk) \(.socket.processes[0].name)"' \
	"$tmp/unit.out")" = "new 2222 high sshd
gone 2222 high sshd"
check "unit: the reason" jqs 'any(.[]; .finding.reasons | index("name-mismatch"))' "$tmp/unit.out"
check "unit: no notice but the watch's" test "$(wc -l <"$tmp/unit.err")" = 1

# -x: unix listeners, a path and an abstract name, opened and closed: the kernel notifies no
# unix socket's end, so both come from looking, said in the notice; -tx watches both kinds.
sock=$tmp/w.sock
check "watch starts" watch unix -x --watch=100ms --json=lines
py '
import os, socket, sys, time
a = socket.socket(socket.AF_UNIX); a.bind(sys.argv[1]); a.listen(); time.sleep(0.5)
b = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); b.bind("\0listen-watch-" + str(os.getpid()))
b.listen(); time.sleep(0.5)
a.close(); time.sleep(0.5)
' "$sock"
sleep 0.5 # the seqpacket listener's end, seen by the next look
stop "$wpid"
check "-x: exit 0" test $? = 0
check "-x: events valid" valid "$tmp/unix.out"
check "-x: new and gone, in order" same_lines "new stream $sock
new seqpacket @listen-watch-
gone stream $sock
gone seqpacket @listen-watch-" "$(jq -r '"\(.event) \(.socket.type) \(.socket.path //
	("@" + (.socket.abstract | sub("[0-9]+$"; ""))))"' "$tmp/unix.out")"
check "-x: the holder" jqs 'all(.[]; .socket.processes[0].name == "python3")' "$tmp/unix.out"
check "-x: says unix sockets are looked for" grep -q \
	"unix sockets, gone and new, by looking every 100ms" "$tmp/unix.err"
check "watch starts" watch unixtcp -tx --watch=100ms -n
py '
import socket, sys, time
a = socket.socket(socket.AF_UNIX); a.bind(sys.argv[1]); a.listen()
t = socket.socket(); t.bind(("127.0.0.1", 7008)); t.listen(); time.sleep(0.5)
' "$sock.2"
sleep 0.5
stop "$wpid"
check "-tx: both kinds, new and gone" test \
	"$(grep -c "$sock.2\|127.0.0.1:7008" "$tmp/unixtcp.out")" = 4
check "-tx: the notice names both ways" grep -q "new ones by looking every 100ms; unix \
sockets, which the kernel does not notify, by looking too" "$tmp/unixtcp.err"

# Raw and packet sockets: no destroy notifications either, so both ends are found by looking;
# the events in order, with their holder, as JSON Lines (valid) and as table rows.
check "watch starts" watch rawpkt -w0 --watch=100ms --json=lines -n
py '
import os, socket, time
print(os.getpid(), flush=True)
r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP); time.sleep(0.5)
p = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0806)); time.sleep(0.5)
r.close(); time.sleep(0.5)
p.close(); time.sleep(0.5)
' >"$tmp/rawpkt.pid"
stop "$wpid"
check "-w0: exit 0" test $? = 0
check "-w0: events valid" valid "$tmp/rawpkt.out"
# (Not bound: a look during a bind may see the socket between two protocols.)
check "-w0: new and gone, in order" same_lines "new raw 1
new packet 2054
gone raw 1
gone packet 2054" "$(jq -r '"\(.event) \(.socket.protocol) \(.socket.ip_protocol.number //
	.socket.packet.ethertype)"' "$tmp/rawpkt.out")"
check "-w0: the holder" jqs "all(.[]; .socket.processes[0].pid == $(cat "$tmp/rawpkt.pid"))" \
	"$tmp/rawpkt.out"
check "-w0: says raw and packet sockets are looked for" grep -q \
	"raw and packet sockets, gone and new, by looking every 100ms" "$tmp/rawpkt.err"
check "watch starts" watch rawtable -tw --watch=100ms -n
py '
import socket, time
r = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
t = socket.socket(); t.bind(("127.0.0.1", 7009)); t.listen(); time.sleep(0.5)
'
sleep 0.5
stop "$wpid"
check "-tw: the raw socket's rows, new then gone" same_lines "+ raw
- raw" "$(grep -o '^[0-9:]* [+-] raw' "$tmp/rawtable.out" | cut -d' ' -f2-)"
check "-tw: the raw rows as the table prints them" test \
	"$(grep -c ' raw  *UNCONN .*\*:58 .*users:(("python3"' "$tmp/rawtable.out")" = 2
check "-tw: the TCP listener too" test "$(grep -c "127.0.0.1:7009" "$tmp/rawtable.out")" = 2
check "-tw: the notice names both ways" grep -q "new ones by looking every 100ms; raw \
sockets, which the kernel does not notify, by looking too" "$tmp/rawtable.err"
# --audit --watch -w0: the raw and packet sockets' findings as they come and go, with their
# risk and reasons.
check "watch starts" watch rawaudit --audit -w0 --fail-on=low --watch=100ms -n
py '
import socket, time
r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP); time.sleep(0.5)
r.close(); time.sleep(0.5)
'
sleep 0.3
stop "$wpid"
check "--audit -w0: the raw finding, new then gone" same_lines "+ LOW raw
- LOW raw" "$(grep -o '^[0-9:]* [+-] [A-Z]* raw' "$tmp/rawaudit.out" | cut -d' ' -f2-)"
check "--audit -w0: its reasons" grep -q '(raw-receive, root)$' "$tmp/rawaudit.out"
# As nobody: root's raw and packet sockets are seen come and go, their holders hidden.
RUNAS=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
check "watch starts as nobody" watch rawnobody -0 --watch=100ms --json=lines -n
py '
import socket, time
p = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3)); time.sleep(0.5)
'
sleep 0.3
stop "$wpid"
RUNAS=()
check "nobody -0: new and gone" same_lines "new packet
gone packet" "$(jq -r '"\(.event) \(.socket.protocol)"' "$tmp/rawnobody.out")"
check "nobody -0: valid" valid "$tmp/rawnobody.out"

# Usage errors: one line, exit 2.
check "bad interval" usage_error "--watch takes an interval" --watch=fast
check "too short" usage_error "--watch takes an interval" --watch=1ms
check "array JSON" usage_error "--json=lines" --watch --json
check "pids" usage_error "not with --pids" --watch --pids
finish
