#!/bin/bash
# Live test: running out of file descriptors. What listen could not open it must report (one
# line, exit 1), never pass off as not there: under a low `ulimit -n`, and with the fault shim
# failing one kind of open with EMFILE, `listen :PORT` on a held listener either names its
# holder or fails, and never calls the socket the kernel's. --all-netns over 300 namespaces
# holds none of them open, so a limit below their number still shows every one with its holder;
# a limit too low for even one fails the same way. Runs in the host's namespace: the namespaces
# it makes have names of its own and go when it ends, even if it fails.
# Usage: fds.sh LISTEN SOCKHELPER SHIM
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
live_require ip ss
setup "$1"
helper=$2 nns=300 prefix=lsf$$n
cleanup() {
	teardown
	for i in $(seq "$nns"); do echo "netns del $prefix$i"; done | ip -force -batch - 2>/dev/null
}
trap cleanup EXIT

port=$((40000 + $$ % 10000))
while [ -n "$(ss -Htln "sport = :$port")" ]; do port=$((port + 1)); done
start h "$helper" "tcp,127.0.0.1,$port"

# owner_or_error LIMIT ARGS...: under `ulimit -n LIMIT` (soft and hard), listen ARGS names the
# helper as the holder and exits 0, or prints nothing, exits 1 and says why in one line; it
# never says nobody holds the socket. Sets failed=1 when it failed.
owner_or_error() {
	local limit=$1 status out err
	shift
	out=$( (ulimit -n "$limit" && exec "$L" "$@") 2>"$tmp/err")
	status=$? err=$(cat "$tmp/err")
	if [ "$status" = 0 ] && grep -q "pid=$pid_h,\|pid $pid_h " <<<"$out" &&
		! grep -q "kernel" <<<"$out" && [ -z "$err" ]; then
		return 0
	fi
	if [ "$status" = 1 ] && [ -z "$out" ] && [ "$(wc -l <"$tmp/err")" = 1 ] &&
		grep -q "Too many open files" <<<"$err"; then
		failed=1
		return 0
	fi
	echo "    ulimit -n $limit, listen $*: status $status, stdout '$(head -3 <<<"$out")', stderr '$err'"
	return 1
}

# From a limit too low to start to one that is enough, each a few times: the walk's threads
# and the socket dump race for the last descriptors, so where it fails varies.
any_failed=0
for limit in 4 5 6 7 8 9 10 12 16; do
	for _ in 1 2 3; do
		failed=0
		check "ulimit -n $limit: :$port" owner_or_error "$limit" ":$port"
		check "ulimit -n $limit: -tlnp" owner_or_error "$limit" -tlnpH "sport = :$port"
		any_failed=$((any_failed | failed))
	done
done
check "a low limit made it fail" test "$any_failed" = 1
failed=0
check "ulimit -n 32: enough" owner_or_error 32 ":$port"
check "ulimit -n 32: not failed" test "$failed" = 0
# A low soft limit under a high hard one is raised before anything is opened.
out=$( (ulimit -Sn 8 && exec "$L" ":$port") 2>&1)
check "soft limit raised" has "$out" "pid $pid_h "

# Every kind of open listen makes for :PORT, failing with EMFILE (the shim), at the first
# such open and at a later one: exit 1, one line, nothing printed.
plain=$L
with_shim "$3"
shimmed=$L L=$plain
# The notice that some processes' namespaces are unreadable (PID 1's, on a hardened host) is
# not the error.
errors() { grep -v -e "^listen: network namespaces not all seen" -e "^listen:   " "$tmp/err"; }
emfile() { # emfile GLOB ARGS...
	local glob=$1 status out err
	shift
	out=$(LISTEN_FAULT_EMFILE=$glob "$shimmed" "$@" 2>"$tmp/err")
	status=$? err=$(errors)
	[ "$status" = 1 ] && [ -z "$out" ] && [ "$(wc -l <<<"$err")" = 1 ] &&
		grep -q "Too many open files" <<<"$err" && return 0
	echo "    $glob: status $status, stdout '$(head -2 <<<"$out")', stderr '$err'"
	return 1
}
for glob in '/proc' '/proc/[0-9]*/fd' '/proc/[0-9]*/fd@3' '/proc/[0-9]*/stat' \
	'/proc/[0-9]*/cmdline' '/proc/[0-9]*/comm' '/proc/[0-9]*/cgroup' '/proc/stat' \
	'/proc/sys/net/ipv4/ip_local_port_range' '/etc/services' '/'; do
	# The fd directories are the /proc walk's: a root listen on a busy machine may take the
	# kernel's iterator instead and never open them.
	owners=()
	[[ $glob == */fd* ]] && owners=(--owners=proc)
	check "EMFILE on $glob: :$port" emfile "$glob" "${owners[@]}" ":$port"
done
check "EMFILE on the Unit column's cgroup: -tlnp" emfile '/proc/[0-9]*/cgroup' -tlnp
check "EMFILE on the cgroup hierarchy: -tlne" emfile '/sys/fs/cgroup*' -tlne

# 300 namespaces, each with a listener of one helper on a port of its own.
for i in $(seq "$nns"); do echo "netns add $prefix$i"; done | ip -batch - || exit 1
args=()
for i in $(seq "$nns"); do args+=("tcp,0.0.0.0,$((20000 + i)),netns=/run/netns/$prefix$i"); done
start m "$helper" "${args[@]}"

# every_namespace: each of the namespaces has its row with the helper as holder.
every_namespace() {
	local missing
	missing=$(awk -v p="$prefix" -v n="$nns" -v pid="pid=$pid_m," '
		$1 ~ "^" p "[0-9]+$" && index($0, pid) {
			i = substr($1, length(p) + 1)
			if ($5 == "0.0.0.0:" (20000 + i)) seen[i] = 1
		}
		END { for (i = 1; i <= n; i++) if (!seen[i]) m++; print m + 0 }' <<<"$1")
	[ "$missing" = 0 ] && return 0
	echo "    $missing of $nns namespaces without their row"
	return 1
}
for limit in 64 16; do
	out=$( (ulimit -n "$limit" && exec "$L" --all-netns -tlnpH) 2>"$tmp/err")
	check "ulimit -n $limit < $nns namespaces: exit 0" test $? = 0
	check "ulimit -n $limit: every namespace's row and holder" every_namespace "$out"
	# Namespaces of other tests on the machine may vanish meanwhile ("skipped (No such file
	# or directory)"); none may be skipped for lack of descriptors.
	check "ulimit -n $limit: none skipped for lack of descriptors" \
		lacks "$(cat "$tmp/err")" "Too many open files"
done
# Limits too low for even one: an error, never fewer namespaces.
all_or_error() { # all_or_error LIMIT
	local out status err
	out=$( (ulimit -n "$1" && exec "$L" --all-netns -tlnpH) 2>"$tmp/err")
	status=$? err=$(errors)
	if [ "$status" = 0 ]; then
		every_namespace "$out" && lacks "$err" "Too many open files" && return 0
	elif [ "$status" = 1 ] && [ -z "$out" ] && [ "$(wc -l <<<"$err")" = 1 ] &&
		grep -q "Too many open files" <<<"$err"; then
		failed=1
		return 0
	fi
	echo "    ulimit -n $1: status $status, stderr '$err'"
	return 1
}
any_failed=0
for limit in 5 6 7 8 9 10; do
	failed=0
	check "ulimit -n $limit: every namespace or an error" all_or_error "$limit"
	any_failed=$((any_failed | failed))
done
check "a low limit made --all-netns fail" test "$any_failed" = 1
# The listing, a name in it, and a namespace opened again to enter it (after the 300 opens of
# discovery), each failing with EMFILE.
check "EMFILE listing /run/netns" emfile /run/netns --all-netns -tln
check "EMFILE on a name" emfile "/run/netns/$prefix*@7" --all-netns -tln
check "EMFILE entering one" emfile "/run/netns/$prefix*@$((nns + 7))" --all-netns -tln
finish
