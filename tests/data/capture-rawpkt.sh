#!/bin/bash
# Capture the raw and packet socket fixture: the PACKET_DIAG replies for
# tests/live/rawpkthelper.py's sockets (on a veth pair rawpkt-a/rawpkt-b), the rtnetlink dumps
# naming the interfaces, ss's view of them, and the helper's /proc entry under proc-rawpkt/.
# This kernel kind has no raw_diag, so the raw sockets' replies are made by raw-capture.py
# from /proc/net/raw and raw6 as raw_diag would send them (inet_diag_msg, sport the protocol)
# and appended.
# Usage (root, from a build): tests/data/capture-rawpkt.sh build/src/listen
# Writes tests/data/rawpkt.nl, rawpkt.ss (reference) and tests/data/proc-rawpkt/<pid>/.
set -eu
if [ "${LISTEN_CAPTURE_INSIDE:-}" != 1 ]; then
	LISTEN_CAPTURE_INSIDE=1 exec unshare -n -- bash "$0" "$@"
fi
listen=$(realpath "$1")
data=$(dirname "$(realpath "$0")")
ip link set lo up
ip link add rawpkt-a type veth peer name rawpkt-b
for i in rawpkt-a rawpkt-b; do
	sysctl -qw "net.ipv6.conf.$i.disable_ipv6=1"
	ip link set "$i" up
done
coproc HELPER { exec python3 "$data/../live/rawpkthelper.py" rawpkt-a; }
helper_pid=$HELPER_PID
read -r _ pid <&"${HELPER[0]}"

"$listen" -0a --dump-netlink "$data/rawpkt.nl" >/dev/null
python3 "$data/raw-capture.py" /proc/net/raw /proc/net/raw6 >>"$data/rawpkt.nl"
{ ss -0anpe; ss -wanpe; } >"$data/rawpkt.ss"
rm -rf "$data/proc-rawpkt"
mkdir -p "$data/proc-rawpkt/$pid/fd"
cp "/proc/$pid/stat" "$data/proc-rawpkt/$pid/stat"
printf 'rawpkthelper\n' >"$data/proc-rawpkt/$pid/comm"
for fd in /proc/"$pid"/fd/*; do
	target=$(readlink "$fd")
	case $target in socket:* | pipe:* | anon_inode:*) ;; *) target=/dev/null ;; esac
	ln -s "$target" "$data/proc-rawpkt/$pid/fd/${fd##*/}"
done
cp -r "$data/proc/sys" "$data/proc-rawpkt/sys"
cp "$data/proc/stat" "$data/proc-rawpkt/stat"
exec {HELPER[1]}>&-
wait "$helper_pid"
