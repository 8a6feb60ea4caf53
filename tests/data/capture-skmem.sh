#!/bin/bash
# Capture the fixture of -m's unix and packet socket memory: the UNIX_DIAG replies (with
# UNIX_DIAG_MEMINFO) and PACKET_DIAG replies of tests/live/skmemhelper.py's sockets (bound
# under /tmp/listen-skmem-fixture; data waiting on every kind), the rtnetlink dumps naming
# lo, ss's view of them, and the helper's /proc entry (stat, fd links) under proc-skmem/.
# Usage (root, from a build): tests/data/capture-skmem.sh build/src/listen
# Writes tests/data/skmem.nl, skmem.ss (reference) and tests/data/proc-skmem/<pid>/.
set -eu
if [ "${LISTEN_CAPTURE_INSIDE:-}" != 1 ]; then
	LISTEN_CAPTURE_INSIDE=1 exec unshare -n -- bash "$0" "$@"
fi
listen=$(realpath "$1")
data=$(dirname "$(realpath "$0")")
dir=/tmp/listen-skmem-fixture
ip link set lo up
rm -rf "$dir" && mkdir -p "$dir"
coproc HELPER { exec python3 "$data/../live/skmemhelper.py" "$dir"; }
helper_pid=$HELPER_PID
read -r _ pid <&"${HELPER[0]}"

"$listen" -x0am --dump-netlink "$data/skmem.nl" >/dev/null
{ ss -xanpme; ss -0anpme; } >"$data/skmem.ss"
rm -rf "$data/proc-skmem"
mkdir -p "$data/proc-skmem/$pid/fd"
cp "/proc/$pid/stat" "$data/proc-skmem/$pid/stat"
printf 'skmemhelper\n' >"$data/proc-skmem/$pid/comm"
for fd in /proc/"$pid"/fd/*; do
	target=$(readlink "$fd")
	case $target in socket:* | pipe:* | anon_inode:*) ;; *) target=/dev/null ;; esac
	ln -s "$target" "$data/proc-skmem/$pid/fd/${fd##*/}"
done
cp -r "$data/proc/sys" "$data/proc-skmem/sys"
cp "$data/proc/stat" "$data/proc-skmem/stat"
exec {HELPER[1]}>&-
wait "$helper_pid"
rm -rf "$dir"
