#!/bin/bash
# Capture the scope fixture: sockets on addresses of every scope class (tests/live/scope-net.sh)
# in a private network namespace, with its interfaces, and ss's view of them for reference.
# Usage (root, from a build): tests/data/capture-scope.sh build/src/listen build/tests/live/sockhelper
# Writes tests/data/scope.nl and tests/data/scope.ss.
set -eu
if [ "${LISTEN_CAPTURE_INSIDE:-}" != 1 ]; then
	LISTEN_CAPTURE_INSIDE=1 exec unshare -n -- bash "$0" "$@"
fi
listen=$(realpath "$1") helper=$(realpath "$2")
data=$(dirname "$(realpath "$0")")
# shellcheck source=../live/scope-net.sh
. "$data/../live/scope-net.sh"
coproc HELPER { exec "$helper" "${scope_sockets[@]}"; }
helper_pid=$HELPER_PID
read -r _ _ <&"${HELPER[0]}"
"$listen" -tua --dump-netlink "$data/scope.nl" >/dev/null
ss -tuan >"$data/scope.ss"
exec {HELPER[1]}>&-
wait "$helper_pid"
echo "captured $data/scope.nl"
