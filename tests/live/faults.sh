#!/bin/bash
# Live test: kernel and output faults. The fault shim (tests/fault/shim.c, preloaded) takes
# sock_diag away or breaks its replies; listen must fall back to /proc/net with ss's rows,
# retry a dump the kernel interrupted or overran, and otherwise fail with one clear line and
# nothing on stdout. Output errors: a reader that goes away, a full disk, a closed stdout.
# Memory that runs out at each allocation in turn.
# Every run here has the shim preloaded, and the shim aborts any attempt to run a program.
# Usage: faults.sh LISTEN SOCKHELPER SHIM
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
live_enter "$0" unshare ss ip setpriv python3 -- "$@"

ip link set lo up || exit 1
setup "$1"
with_shim "$3"

coproc HELPER { exec "$2"; }
helper_pids+=("$HELPER_PID") helper_fds+=("${HELPER[1]}")
read -r ready _ <&"${HELPER[0]}"
[ "$ready" = ready ] || { echo "socket helper failed to start"; exit 1; }
# 600 more listeners, so that a dump takes several datagrams and faults land mid-dump.
args=()
for port in $(seq 20000 20599); do args+=("tcp,127.0.0.2,$port"); done
coproc BULK { exec "$2" "${args[@]}"; }
helper_pids+=("$BULK_PID") helper_fds+=("${BULK[1]}")
read -r ready _ <&"${BULK[0]}"
[ "$ready" = ready ] || { echo "bulk socket helper failed to start"; exit 1; }

# The shim itself: running a program under it aborts, so the checks below would see one.
check "shim refuses exec" test "$(LD_PRELOAD=$shim bash -c 'exec true' 2>&1; echo $?)" != 0

# ss's rows as /proc/net can give them: no listen backlog (Send-Q 0 on LISTEN rows), no bound
# device, and no IPV6_V6ONLY: an IPv6 wildcard is printed "*" as if it were dual-stack.
fallback_rows() {
	local want got
	want=$(${RUNAS:-} ss -H "$@" | normalize | sed -E -e 's/%[^ :]+:/:/g' \
		-e 's/^((tcp |udp )?LISTEN [0-9]+) [0-9]+ /\1 0 /' -e 's/\[::\]:([0-9]+) \[::\]:\*/*:\1 *:*/')
	got=$(LISTEN_FAULT=nodiag ${RUNAS:-} "$L" -H --no-services --no-scope "$@" 2>"$tmp/err" |
		normalize)
	[ -n "$want" ] || { echo "    ss printed no rows for $*"; return 1; }
	[ "$want" = "$got" ] || { diff <(echo "$want") <(echo "$got") | head -6 | sed 's/^/    /'; return 1; }
	[ "$(grep -c "sock_diag is not available" "$tmp/err")" = 1 ] ||
		{ echo "    stderr: $(cat "$tmp/err")"; return 1; }
}

# Without sock_diag: the /proc/net tables, the same rows as ss, one notice.
for flags in -tln -uln -tan -uan -tuln -tuanp -tlnp4 -ulnp6 -t -u; do
	check "fallback $flags" fallback_rows "$flags"
done
for flags in -tlnp -tuanp; do
	RUNAS=asnobody check "fallback $flags as nobody" fallback_rows "$flags"
done
check "fallback filter" fallback_rows -tln 'sport >= :20590 or sport = :22'
err=$(LISTEN_FAULT=nodiag "$L" -tulnp --json 2>&1 >"$tmp/json")
check "fallback json valid" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d) > 600' "$tmp/json"
check "fallback notice" has "$err" \
	"listen: sock_diag is not available (Protocol not supported): sockets read from /proc/net"
# autobound needs the kernel's own test: without sock_diag it is an error, never an empty table.
out=$(LISTEN_FAULT=nodiag "$L" -tan autobound 2>"$tmp/err")
status=$?
check "fallback autobound: exit 1" test "$status" = 1
check "fallback autobound: no rows" test -z "$out"
check "fallback autobound: said" grep -qF "listen: autobound needs sock_diag" "$tmp/err"
check "fallback autobound: two lines (fallback, autobound)" test "$(wc -l <"$tmp/err")" = 2

# clean NAME FAULT: under FAULT, listen -tanp prints exactly what it prints without it, exits 0
# and says nothing.
"$L" -tanp >"$tmp/want" 2>/dev/null
clean() {
	local status
	LISTEN_FAULT=$1 "$L" -tanp >"$tmp/got" 2>"$tmp/err"
	status=$?
	[ "$status" = 0 ] && [ ! -s "$tmp/err" ] && cmp -s "$tmp/want" "$tmp/got" && return 0
	echo "    status $status, stderr '$(cat "$tmp/err")'"
	diff "$tmp/want" "$tmp/got" | head -4 | sed 's/^/    /'
	return 1
}
# fails FAULT MESSAGE: under FAULT, exit 1, nothing on stdout, one stderr line holding MESSAGE.
fails() {
	local out status
	out=$(LISTEN_FAULT=$1 "$L" -tanp 2>"$tmp/err")
	status=$?
	[ "$status" = 1 ] && [ -z "$out" ] && [ "$(wc -l <"$tmp/err")" = 1 ] &&
		grep -qF -- "$2" "$tmp/err" && return 0
	echo "    status $status, stdout ${#out} bytes, stderr '$(cat "$tmp/err")'"
	return 1
}
check "several datagrams (truncate@2 is seen)" fails truncate@2 "malformed sock_diag reply"
for fault in intr@1 intr@2 intr@3 intr@2,intr@4 enobufs@1 enobufs@2 enobufs@3,intr@5; do
	check "retried: $fault" clean "$fault"
done
check "interrupted every time" fails 'intr@*' "the socket table kept changing during the dump"
check "ENOBUFS every time" fails 'enobufs@*' "the socket table kept changing during the dump"
check "truncated" fails truncate@1 "malformed sock_diag reply"
check "NLMSG_ERROR EIO" fails eio@1 "cannot dump sockets: Input/output error"
# EPERM from the kernel is a sandbox refusing sock_diag: the tables instead.
check "NLMSG_ERROR EPERM" has "$(LISTEN_FAULT=eperm@2 "$L" -tanp 2>&1)" \
	"sock_diag is not available (Operation not permitted)"
check "capture needs sock_diag" test "$(LISTEN_FAULT=nodiag "$L" -tan \
	--dump-netlink "$tmp/cap" 2>&1 >/dev/null; echo $?)" = \
	"listen: the kernel has no sock_diag support for TCP/UDP (Protocol not supported)
1"

# Output errors. A reader that goes away ends the output quietly with status 0, whether
# SIGPIPE kills listen or (ignored) the write fails with EPIPE.
early_reader() {
	local status
	# shellcheck disable=SC2086 # $1 is words
	(trap "$2" PIPE; exec "$L" $1) 2>"$tmp/err" | head -1 >/dev/null
	status=${PIPESTATUS[0]}
	[ "$status" = 0 ] && [ ! -s "$tmp/err" ] && return 0
	echo "    status $status, stderr '$(cat "$tmp/err")'"
	return 1
}
for flags in -tanp --json "--format=prom" "--json=lines -tan" :20000-20599 "--pids -tan"; do
	check "head -1: $flags, SIGPIPE default" early_reader "$flags" -
	check "head -1: $flags, SIGPIPE ignored" early_reader "$flags" ''
done
gone_reader() {
	local err status
	# stdout into a pipe whose reader (true) is gone before listen writes; stderr through fd 3.
	err=$({ { (trap '' PIPE; sleep 0.3; exec "$L" -tuanpe) 2>&3; echo "status $?" >"$tmp/status"; } | true; } 3>&1)
	[ -z "$err" ] && [ "$(cat "$tmp/status")" = "status 0" ] && return 0
	echo "    stderr '$err', $(cat "$tmp/status")"
	return 1
}
check "reader gone before the first write" gone_reader
# full LISTEN-ARGS...: writing to a full disk: exit 1, one line saying so.
full() {
	local status
	"$L" "$@" >/dev/full 2>"$tmp/err"
	status=$?
	[ "$status" = 1 ] && [ "$(cat "$tmp/err")" = "listen: write error: No space left on device" ] &&
		return 0
	echo "    status $status, stderr '$(cat "$tmp/err")'"
	return 1
}
for flags in -tanp --json --format=prom --audit :20000-20599 "--pids -tan" --help --version; do
	# shellcheck disable=SC2086 # flags are words
	check "/dev/full: $flags" full $flags
done
closed() {
	local status
	"$L" "$@" >&- 2>"$tmp/err"
	status=$?
	[ "$status" = 1 ] && [ "$(cat "$tmp/err")" = "listen: write error: Bad file descriptor" ] &&
		return 0
	echo "    status $status, stderr '$(cat "$tmp/err")'"
	return 1
}
for flags in -tanp --json --version; do
	check "closed stdout: $flags" closed "$flags"
done
# Memory running out. For each allocation N of a run in turn, nomem1@N fails it alone and
# nomem@N fails it and every later one. The sweeps run with --no-reach but the last: listen
# reads the firewall's ruleset from the kernel, and that reader returns when memory runs out;
# libnftables, its fallback for rules it does not decode, ends the process itself then
# ("Memory allocation failure", exit status 2), so the last sweep's ruleset has none of those.
# Whatever fails, listen either ends as if nothing had
# (exit 0, the same output: a failure the C library absorbs, such as a thread it could not
# start or a stdio buffer) or says "listen: out of memory", one line, and exits 1 with nothing
# on stdout: no JSON cut short, no array closed early to look whole, no partial table.
nomem_sweep() {
	local kind=$1 total n status bad=0
	shift
	[ "${sweep_reach:-0}" = 1 ] || set -- --no-reach "$@"
	"$L" "$@" >"$tmp/want" 2>/dev/null
	LISTEN_FAULT_NOMEM=$tmp/nm "$L" "$@" >/dev/null 2>&1
	total=$(cut -d' ' -f2 "$tmp/nm")
	[ "$total" -gt 10 ] || { echo "    only $total allocations counted"; return 1; }
	for ((n = 1; n <= total; n++)); do
		LISTEN_FAULT=$kind@$n LISTEN_FAULT_NOMEM=$tmp/nm "$L" "$@" >"$tmp/got" 2>"$tmp/err"
		status=$?
		grep -q failed "$tmp/nm" || continue
		[ "$status" = 0 ] && [ ! -s "$tmp/err" ] &&
			cmp -s <(untimed "$tmp/want") <(untimed "$tmp/got") && continue
		[ "$status" = 1 ] && [ ! -s "$tmp/got" ] &&
			[ "$(cat "$tmp/err")" = "listen: out of memory" ] && continue
		echo "    $kind@$n: status $status, stdout $(wc -c <"$tmp/got") bytes," \
			"stderr '$(head -c 200 "$tmp/err")' ($(cat "$tmp/nm"))"
		bad=1
	done
	return $bad
}
# The shim fails allocations except under AddressSanitizer (which owns malloc): the plain build's
# run of this test does the sweeps.
if [ "${LISTEN_SHIM_ALLOC_FAULTS:-1}" = 1 ]; then
	for kind in nomem1 nomem; do
		check "out of memory ($kind): --json" nomem_sweep $kind --json -tuanp
		check "out of memory ($kind): --json=lines" nomem_sweep $kind --json=lines -tuanp
		check "out of memory ($kind): table" nomem_sweep $kind -tuanpe
	done
	check "out of memory: metrics" nomem_sweep nomem1 --format=prom -p
	check "out of memory: audit" nomem_sweep nomem1 --audit --json
	check "out of memory: owner view" nomem_sweep nomem1 :22,20000-20010 --now=1763900000
	# With a ruleset and exposed listeners: the firewall is read and every verdict given.
	if command -v nft >/dev/null; then
		nft -f - <<'NFT' || exit 1
table inet f {
	set web { type inet_service; elements = { 80, 443 } }
	chain input {
		type filter hook input priority 0; policy drop;
		ct state established,related accept
		tcp dport @web accept
		ip saddr 10.0.0.0/8 tcp dport 22222 accept comment "admin"
		udp dport vmap { 5353 : accept, 53 : drop }
	}
}
NFT
		start exposed "$2" tcp,0.0.0.0,22222 udp,0.0.0.0,5353 tcp,0.0.0.0,444
		check "the ruleset is read" has "$("$L" -tuln 2>&1)" "from 10.0.0.0/8"
		sweep_reach=1
		check "out of memory: reach" nomem_sweep nomem1 -tuln
		check "out of memory (nomem): reach" nomem_sweep nomem -tuln --json
		sweep_reach=0
	else
		skip "out of memory: reach (nft is missing)"
	fi
else
	echo "out of memory: not swept here (AddressSanitizer owns malloc); the plain build sweeps"
fi
# A closed stdout is not reused: the capture file opened later must not receive the table.
"$L" -tan --dump-netlink "$tmp/cap2" >&- 2>/dev/null
check "closed stdout: capture intact" "$L" -tan --replay-netlink "$tmp/cap2" -H

finish
