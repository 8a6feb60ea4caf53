#!/bin/bash
# Live test: unix sockets (-x) in a private network namespace, compared with ss row by row,
# as root and as nobody: stream, datagram and seqpacket sockets bound to paths and abstract
# names, listeners with accepted and waiting clients, socketpairs, unbound sockets; ss's path
# patterns; another namespace's abstract names; /proc/net/unix without sock_diag.
# Usage: unix.sh LISTEN SOCKHELPER FAULT_SHIM UNIXHELPER
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
live_enter "$0" unshare ss ip setpriv python3 -- "$@"

ip link set lo up || exit 1
setup "$1"
unixhelper=$4
coproc HELPER { exec "$2"; }
helper_pids+=("$HELPER_PID") helper_fds+=("${HELPER[1]}")
read -r ready _ <&"${HELPER[0]}"
[ "$ready" = ready ] || { echo "socket helper failed to start"; exit 1; }
mkdir "$tmp/u" && chmod 755 "$tmp/u"
start unix python3 "$unixhelper" "$tmp/u"

# Every flag set ss takes for unix sockets, and ss's filters on them.
for flags in -x -xa -xl -xlp -xn -xan -xlnp -xap -xanp -xlp4 -tlx -tulnx -tuanpx -xtl; do
	check "ss $flags" same_rows "$flags"
done
for filter in "state listening" "state established" "state connected" "exclude listening" \
	"state unconnected" "src unix:$tmp/u/*" "src $tmp/u/stream.sock" "src @unix-test-*" \
	"src unix:@unix-test-s*" "not src unix:$tmp/u/*" "src unix:*" \
	"state unconnected ( src @unix-test-dgram or src $tmp/u/d*.sock )"; do
	# shellcheck disable=SC2086 # words of the filter
	check "ss -xa $filter" same_rows -xa $filter
done
for flags in -x -xa -xlp -xanp; do
	RUNAS=asnobody check "ss $flags as nobody" same_rows "$flags"
done

# Holders: the helper holds every socket it made, from one walk.
out=$("$L" -H -xlp | normalize)
check "holder of the stream listener" has "$out" \
	"$tmp/u/stream.sock $(stat -L -c %i /proc/"$pid_unix"/fd/3 2>/dev/null || echo ?)"
check "every listener held by the helper" test \
	"$(grep -c "pid=$pid_unix," <<<"$out")" = "$(grep -c . <<<"$out")"
check "--process selects unix sockets" same_lines "$out" \
	"$("$L" -H -xlp --process="$pid_unix" | normalize)"
check "--user=nobody holds none of them" test -z "$("$L" -H -xlp --user=nobody 2>/dev/null)"
# As nobody, root's holders are hidden and said to be, never "no holder".
err=$(asnobody "$L" -xlp 2>&1 >/dev/null)
check "nobody: notice" has "$err" "listen: owners of"

# A hostile abstract name is escaped in the table, valid JSON, and rows still come whole.
mkdir -p "$tmp/u/h"
start hostile python3 "$unixhelper" "$tmp/u/h" hostile unix-h
table=$("$L" -xa src @unix-evil*)
check "hostile: no escape byte" test "$(grep -c $'\033' <<<"$table")" = 0
check "hostile: escaped" has "$table" '@unix-evil\x00\x1b[31m\nred\xff'
check "hostile: JSON decodes" test "$("$L" -xa --json src @unix-evil* |
	jq -r '.[0].abstract | @json')" = '"unix-evil\u0000\u001b[31m\nred�"'
kill "$pid_hostile" # ss prints its name raw: the fallback's comparison below would break

# Long paths: whole on a pipe and with -W; cut in the middle, with the mark, to a width.
long="$tmp/u/$(printf 'd%.0s' {1..30})/$(printf 'e%.0s' {1..20})/long-name.sock"
check "long path whole on a pipe" has "$("$L" -xl)" "$long"
check "long path whole with -W" has "$("$L" -W -xl)" "$long"
fitted=$(LC_ALL=C.UTF-8 "$L" --width=70 -xl)
check "long path cut in the middle" has "$fitted" "$(cut -c1-3 <<<"$tmp")"
check "fitted lines within 70 columns" test "$(LC_ALL=C.UTF-8 wc -L <<<"$fitted")" -le 70

# Mistakes are one line and exit 2.
check "sport on unix" usage_error "'sport' does not apply to unix sockets" -x sport = :22
check "path pattern without -x" usage_error "a unix path pattern needs unix sockets" -t \
	src /run/x
check "-x with the metrics and a port" usage_error "unix sockets have no ports" \
	-x --format=prom :22

# Another namespace's abstract names are its own: -N shows them, not this one's.
ns=unix-live-$$
ip netns add "$ns" || exit 1
trap 'ip netns del "$ns" 2>/dev/null; teardown' EXIT
mkdir "$tmp/n" && chmod 755 "$tmp/n"
start other ip netns exec "$ns" python3 "$unixhelper" "$tmp/n"
out=$("$L" -H -N "$ns" -xl)
check "-N: its own abstract names" has "$out" "@unix-test-stream"
check "-N: its own paths" has "$out" "$tmp/n/stream.sock"
check "-N: not this namespace's paths" lacks "$out" "$tmp/u/stream.sock"
out=$("$L" -H --all-netns -xl 2>/dev/null)
check "--all-netns: both namespaces" has "$out" "$tmp/n/stream.sock"
check "--all-netns: this one too" has "$out" "$tmp/u/stream.sock"
check "--all-netns: labelled" has "$(grep -F "$tmp/n/stream.sock" <<<"$out")" "$ns"

# Without sock_diag, /proc/net/unix: the listeners and unbound sockets all there, said once.
with_shim "$3"
got=$(LISTEN_FAULT=nodiag "$L" -H --ss-columns -xl 2>"$tmp/err" | normalize |
	awk '{ print $1, $2, $5, $6 }' | sort)
want=$(ss -H -xl | normalize | awk '{ print $1, $2, $5, $6 }' | sort)
check "fallback: same listeners" same_lines "$want" "$got"
check "fallback: said" has "$(cat "$tmp/err")" \
	"unix sockets read from /proc/net/unix, without peers, queue lengths"
finish
