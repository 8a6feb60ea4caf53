#!/bin/bash
# Capture the fixture of ss's views (-o, -i, -m): the sock_diag replies with tcp_info, the
# congestion control and skmeminfo for tests/live/viewshelper.py's sockets (TCP connections
# with keepalive and unread data, UDP sockets), and ss's view of them at the same moment.
# Usage (root, from a build): tests/data/capture-views.sh build/src/listen
# Writes tests/data/views.nl and views.ss (the reference the golden outputs are checked
# against: same rows and fields, but for what changed between the two dumps).
set -eu
if [ "${LISTEN_CAPTURE_INSIDE:-}" != 1 ]; then
	LISTEN_CAPTURE_INSIDE=1 exec unshare -n -- bash "$0" "$@"
fi
listen=$(realpath "$1")
data=$(dirname "$(realpath "$0")")
ip link set lo up
coproc HELPER { exec python3 "$data/../live/viewshelper.py"; }
helper_pid=$HELPER_PID
read -r _ _ <&"${HELPER[0]}"
"$listen" -tuaim --dump-netlink "$data/views.nl" >/dev/null
ss -tuanoime >"$data/views.ss"
exec {HELPER[1]}>&-
wait "$helper_pid"
