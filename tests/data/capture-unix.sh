#!/bin/bash
# Capture the unix socket fixture: the UNIX_DIAG replies for tests/live/unixhelper.py's
# sockets (bound under /tmp/listen-unix-fixture, with a hostile abstract name), ss's view of
# them, and the helper's /proc entry (stat, fd links) under proc-unix/.
# Usage (root, from a build): tests/data/capture-unix.sh build/src/listen
# Writes tests/data/unix.nl, unix.ss (reference) and tests/data/proc-unix/<pid>/.
set -eu
if [ "${LISTEN_CAPTURE_INSIDE:-}" != 1 ]; then
	LISTEN_CAPTURE_INSIDE=1 exec unshare -n -- bash "$0" "$@"
fi
listen=$(realpath "$1")
data=$(dirname "$(realpath "$0")")
dir=/tmp/listen-unix-fixture
rm -rf "$dir" && mkdir -p "$dir"
coproc HELPER { exec python3 "$data/../live/unixhelper.py" "$dir" hostile; }
helper_pid=$HELPER_PID
read -r _ pid <&"${HELPER[0]}"

"$listen" -xa --dump-netlink "$data/unix.nl" >/dev/null
ss -xanpe >"$data/unix.ss"
rm -rf "$data/proc-unix"
mkdir -p "$data/proc-unix/$pid/fd"
cp "/proc/$pid/stat" "$data/proc-unix/$pid/stat"
printf 'unixhelper\n' >"$data/proc-unix/$pid/comm"
for fd in /proc/"$pid"/fd/*; do
	target=$(readlink "$fd")
	case $target in socket:* | pipe:* | anon_inode:*) ;; *) target=/dev/null ;; esac
	ln -s "$target" "$data/proc-unix/$pid/fd/${fd##*/}"
done
cp -r "$data/proc/sys" "$data/proc-unix/sys"
cp "$data/proc/stat" "$data/proc-unix/stat"
exec {HELPER[1]}>&-
wait "$helper_pid"
rm -rf "$dir"
