#!/bin/bash
# Capture the tcpinfo fixture: the sock_diag replies, with -i's attributes, for
# tests/live/tcpinfohelper.py's sockets (TCP listeners with MD5 keys, an MPTCP connection whose
# subflows carry the ULP "mptcp", a plain TCP connection), and ss's view of them.
# Usage (root, on a kernel with MPTCP and TCP_MD5SIG, from a build):
#   tests/data/capture-tcpinfo.sh build/src/listen
# Writes tests/data/tcpinfo.nl and tcpinfo.ss (reference: ss -A tcp,mptcp -anie; ss 6.1 writes
# the MD5 keys at the top of its output, apart from its lines, and they are left there).
set -eu
if [ "${LISTEN_CAPTURE_INSIDE:-}" != 1 ]; then
	LISTEN_CAPTURE_INSIDE=1 exec unshare -n -- bash "$0" "$@"
fi
listen=$(realpath "$1")
data=$(dirname "$(realpath "$0")")
ip link set lo up
coproc HELPER { exec python3 "$data/../live/tcpinfohelper.py"; }
helper_pid=$HELPER_PID
read -r _ _ <&"${HELPER[0]}"
"$listen" -A tcp,mptcp -ai --dump-netlink "$data/tcpinfo.nl" >/dev/null
ss -A tcp,mptcp -anie | sed -E 's/ (ino|sk|cgroup):[^ ]*//g; s/ +$//' >"$data/tcpinfo.ss"
exec {HELPER[1]}>&-
wait "$helper_pid"
