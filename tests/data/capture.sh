#!/bin/bash
# Capture fixtures from a real machine: the sock_diag replies for the socket helper's sockets,
# ss's view of them, and a snapshot of the helper processes' /proc entries (stat, fd links).
# Usage (root, from a build): tests/data/capture.sh build/src/listen build/tests/live/sockhelper
# Writes tests/data/sockets.nl, sockets.ss (reference) and tests/data/proc/<pid>/.
set -eu
if [ "${LISTEN_CAPTURE_INSIDE:-}" != 1 ]; then
	LISTEN_CAPTURE_INSIDE=1 exec unshare -n -- bash "$0" "$@"
fi
listen=$(realpath "$1") helper=$(realpath "$2")
data=$(dirname "$(realpath "$0")")
ip link set lo up
coproc HELPER { exec "$helper"; }
helper_pid=$HELPER_PID
read -r _ parent worker nobody <&"${HELPER[0]}"

"$listen" -tua --dump-netlink "$data/sockets.nl" >/dev/null
ss -tuanpe >"$data/sockets.ss"
rm -rf "$data/proc"
for pid in "$parent" "$worker" "$nobody"; do
	dir=$data/proc/$pid
	mkdir -p "$dir/fd"
	cp "/proc/$pid/stat" "$dir/stat"
	for fd in /proc/"$pid"/fd/*; do
		target=$(readlink "$fd")
		case $target in socket:* | pipe:* | anon_inode:*) ;; *) target=/dev/null ;; esac
		ln -s "$target" "$dir/fd/${fd##*/}"
	done
done
exec {HELPER[1]}>&-
wait "$helper_pid"

# Hand-made processes beside the captured ones, holding the same sockets (the helper's fds
# are deterministic: 3 is :22, 12 is udp :53, 14 is udp [::1]:123, 17 the udp client).
sock() { readlink "$data/proc/$parent/fd/$1"; }
tail=' S 1 999001 999001 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 100 0 0'
fake() { # pid stat-text fd:target...
	local dir=$data/proc/$1
	mkdir -p "$dir/fd"
	[ -z "$2" ] || printf '%s\n' "$2" >"$dir/stat"
	shift 2
	for link in "$@"; do ln -s "${link#*:}" "$dir/fd/${link%%:*}"; done
}
fake 999001 "999001 (a) b (c)$tail" "7:$(sock 17)" "8:pipe:[1]" "9:/dev/null" # parens in the name
fake 999002 "999002 ($(printf 'evil\033[31m\nred'))$tail" "5:$(sock 12)"     # escape, newline
fake 999003 "" "3:$(sock 3)"                                           # vanished: no stat
fake 999005 "garbage without parens" "4:$(sock 14)" "x:$(sock 14)"      # comm fallback
printf 'from-comm\n' >"$data/proc/999005/comm"
# Programs listen identifies (program.c): python's http.server on postgresql's port; "sshd"
# that runs /tmp/x on :22; Debian's redis-server (its exe is redis-check-rdb; its command line
# is the title Redis gives itself); chronyd whose exe is not readable (named by comm only) on
# udp [::1]:123.
ident() { # pid comm exe cmdline-words...
	local pid=$1 comm=$2 exe=$3
	shift 3
	printf '%s (%s)%s\n' "$pid" "$comm" "$tail" >"$data/proc/$pid/stat"
	[ -z "$exe" ] || ln -s "$exe" "$data/proc/$pid/exe"
	printf '%s\0' "$@" >"$data/proc/$pid/cmdline"
}
fake 999007 "" "3:$(sock 9)" && ident 999007 python3 /usr/bin/python3.11 python3 -m http.server 5432
fake 999008 "" "3:$(sock 3)" && ident 999008 sshd /tmp/x "sshd: /usr/sbin/sshd -D [listener]"
fake 999009 "" "6:$(sock 11)" && ident 999009 redis-server /usr/bin/redis-check-rdb \
	"/usr/bin/redis-server *:6379"
fake 999010 "" "5:$(sock 14)" && ident 999010 chronyd "" /usr/sbin/chronyd -F 1
mkdir -p "$data/proc/999004" "$data/proc/sys" "$data/proc/0/fd"         # fd not a dir; non-pids
printf 'not a directory\n' >"$data/proc/999004/fd"
printf '999004 (nofd)%s\n' "$tail" >"$data/proc/999004/stat"
printf '1.0 1.0\n' >"$data/proc/uptime"
# For the owner view: the boot time, the helper's parent's name, and cgroups of every layout:
# unified (v2), hybrid (v1 with name=systemd), a user unit, a container, a hostile unit name.
printf 'cpu  10 0 10 1000 0 0 0 0 0 0\nintr 0\nbtime 1763769600\nprocesses 100\n' >"$data/proc/stat"
ppid=$(cut -d' ' -f4 "$data/proc/$parent/stat")
mkdir -p "$data/proc/$ppid" && printf 'bash\n' >"$data/proc/$ppid/comm"
printf '0::/system.slice/lsn.service\n' >"$data/proc/$parent/cgroup"
printf '12:memory:/system.slice/lsn.service\n2:cpu,cpuacct:/\n1:name=systemd:/system.slice/lsn.service\n0::/\n' \
	>"$data/proc/$worker/cgroup"
printf '0::/user.slice/user-1000.slice/user@1000.service/app.slice/lsn-nobody.service\n' \
	>"$data/proc/$nobody/cgroup"
printf '0::/system.slice/docker-%s.scope\n' \
	3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708 >"$data/proc/999001/cgroup"
printf '0::/system.slice/evil\033]0;pwned\007.service\n' >"$data/proc/999002/cgroup"
# A user's cgroup that looks like 999001's Docker container: the user's unit, not the container.
printf '0::/user.slice/user-65534.slice/user@65534.service/app.slice/docker-%s.scope\n' \
	3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708 >"$data/proc/999005/cgroup"
mkdir -p "$data/proc/sys/net/ipv4" # Linux's default, whatever this machine uses
printf '32768\t60999\n' >"$data/proc/sys/net/ipv4/ip_local_port_range"
echo "captured pids $parent $worker $nobody into $data"
