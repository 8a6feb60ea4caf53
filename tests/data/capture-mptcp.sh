#!/bin/bash
# Capture the MPTCP fixture: the sock_diag replies for tests/live/mptcphelper.py's sockets
# (MPTCP listeners on 127.0.0.1, ::1 (v6only) and a dual-stack ::, a connection to each, a
# plain TCP listener), and ss's view of them.
# Usage (root, on a kernel with MPTCP, from a build): tests/data/capture-mptcp.sh build/src/listen
# Writes tests/data/mptcp.nl and mptcp.ss (reference).
set -eu
if [ "${LISTEN_CAPTURE_INSIDE:-}" != 1 ]; then
	LISTEN_CAPTURE_INSIDE=1 exec unshare -n -- bash "$0" "$@"
fi
listen=$(realpath "$1")
data=$(dirname "$(realpath "$0")")
ip link set lo up
coproc HELPER { exec python3 "$data/../live/mptcphelper.py"; }
helper_pid=$HELPER_PID
read -r _ _ <&"${HELPER[0]}"
"$listen" -A tcp,mptcp -a --dump-netlink "$data/mptcp.nl" >/dev/null
ss -A tcp,mptcp -ane | sed -E 's/ (ino|sk|cgroup):[^ ]*//g' >"$data/mptcp.ss"
exec {HELPER[1]}>&-
wait "$helper_pid"
