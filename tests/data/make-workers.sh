#!/bin/bash
# Make tests/data/proc-workers: a /proc tree of an nginx-like server holding the fixture's
# *:80 and [::]:443 listeners (the inodes of tests/data/proc's helper, fds 6 and 7), for the
# owner view's grouping of identical workers: a master (root), twelve identical workers whose
# pids make nine runs (812-815, then every other pid: "+1 more" past eight), one worker left
# from before an upgrade whose executable was deleted, and one with another command line.
# Usage: tests/data/make-workers.sh (from anywhere); rewrites the tree.
set -eu
data=$(cd "$(dirname "$0")" && pwd)
out=$data/proc-workers
sock() { readlink "$data/proc/4352/fd/$1"; }
s80=$(sock 6) s443=$(sock 7)
rm -rf "$out"
mkdir -p "$out/sys/net/ipv4"
cp "$data/proc/stat" "$data/proc/uptime" "$out/"
cp "$data/proc/sys/net/ipv4/ip_local_port_range" "$out/sys/net/ipv4/"
# proc PID COMM PPID START EXE CMDLINE: a process holding both listeners on fds 6 and 7.
proc() {
	local pid=$1 comm=$2 ppid=$3 start=$4 exe=$5 dir=$out/$1
	shift 5
	mkdir -p "$dir/fd"
	printf '%s (%s) S %s %s %s 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 %s 0 0\n' \
		"$pid" "$comm" "$ppid" "$ppid" "$ppid" "$start" >"$dir/stat"
	printf '%s\n' "$comm" >"$dir/comm"
	ln -s "$exe" "$dir/exe"
	printf '%s\0' "$@" >"$dir/cmdline"
	printf '0::/system.slice/nginx.service\n' >"$dir/cgroup"
	ln -s "$s80" "$dir/fd/6"
	ln -s "$s443" "$dir/fd/7"
}
mkdir -p "$out/1" && printf 'systemd\n' >"$out/1/comm"
proc 811 nginx 1 5000 /usr/sbin/nginx "nginx: master process /usr/sbin/nginx -g daemon on;"
for pid in 812 813 814 815 817 819 821 823 825 827 829 831; do
	proc "$pid" nginx 811 5100 /usr/sbin/nginx "nginx: worker process"
done
proc 816 nginx 811 4000 "/usr/sbin/nginx (deleted)" "nginx: worker process"
proc 818 nginx 811 5100 /usr/sbin/nginx "nginx: cache manager process"
