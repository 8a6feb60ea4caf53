#!/bin/bash
# Live test: ss's views -o, -i, -m, -e and -s in a private network namespace, compared with
# ss row by row and field by field, as root and as nobody: TCP listeners and connections with
# keepalive timers and unread data, UDP sockets bound and connected (root's, and nobody's for
# -e's uid:), listeners with TCP MD5 keys, an MPTCP connection (its subflows' tcp-ulp-mptcp,
# its mptcp_info), another namespace's summary.
# Usage: views.sh LISTEN VIEWSHELPER FAULT_SHIM TCPINFOHELPER
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
live_enter "$0" unshare ss ip setpriv python3 jq -- "$@"

ip link set lo up || exit 1
setup "$1"
start views python3 "$2"
start tcpinfo python3 "$4"
# nobody's own, from a copy it can read, by the system's python (a user's shims are not
# nobody's to run).
install -m 644 "$2" "$tmp/viewshelper.py" || exit 1
start nobodys setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
	"$(PATH=/usr/bin:/bin command -v python3)" "$tmp/viewshelper.py" 7101

# What changes between ss's dump and listen's, a moment later, while the sockets sit idle:
# the timers running down (normalize), the ages since the last packet (lastsnd, lastrcv,
# lastack), the estimates the kernel keeps refining (rtt, rto, ato, minrtt, rcv_rtt) and
# the rates computed from them (send, pacing_rate, delivery_rate, bbr's bw and mrtt), and
# busy time. Their names and places are compared; every other value must be equal.
vary() {
	sed -E -e 's/\b(rtt|rto|ato|lastsnd|lastrcv|lastack|minrtt|rcv_rtt|busy):[^ ]+/\1:V/g' \
		-e 's/\b(send|pacing_rate|delivery_rate) [^ ]+/\1 V/g' -e 's/bbr:\([^)]*\)/bbr:(V)/g'
}

# ss 6.1 writes a socket's MD5 keys with printf, apart from the line it buffers, so they come
# out at the very top of its output, glued together, and its line says md5keys:ADDR/PREFIX=
# (a bug later ss fixed). That top is not a row: cut (tcpinfohelper.py's keys, as they are).
unglue() { sed -E '1s/^(tcpinfo-key-(one|two|six))+//'; }

# same_fields FLAGS...: ss's rows and second lines, values that vary blanked (vary).
same_fields() {
	local want got
	want=$(${RUNAS:-} ss -H "$@" | unglue | normalize | vary)
	[ -n "$want" ] || { echo "    ss printed no rows for $*"; return 1; }
	got=$(${RUNAS:-} "$L" -H --ss-columns "$@" 2>/dev/null | normalize | vary)
	[ "$want" = "$got" ] && return 0
	diff <(echo "$want") <(echo "$got") | sed 's/^/    /'
	return 1
}

for flags in -tno -tni -tnm -tnoime -tlnm -tlnoi -tanm -tnie -6tnm -4tnoi -ti -tmo -uno -unm -uni \
	-uanm -ulnm -tunoime -tnmp -tnoip; do
	check "ss $flags" same_fields "$flags"
done
check "ss -tnoi sport = :7001" same_fields -tnoi sport = :7001
check "ss -tnm dport = :7002" same_fields -tnm dport = :7002
check "ss -tanoim state established" same_fields -tanoim state established
check "ss -tnoe sport = :7101 (nobody's, uid:)" same_fields -tnoe sport = :7101
check "nobody's uid" has "$("$L" -Htnoe sport = :7101)" "uid:$(id -u nobody) "
RUNAS=asnobody check "ss -tnoime sport = :7101 as nobody" same_fields -tnoime sport = :7101
for flags in -tno -tni -tnm -tnoime -unm; do
	RUNAS=asnobody check "ss $flags as nobody" same_fields "$flags"
done
# -i's md5keys, tcp-ulp-mptcp and MPTCP's mptcp_info (tcpinfohelper.py's sockets on 7401 to
# 7404), as root and as nobody, to whom the kernel tells no MD5 keys and fewer subflow fields.
for flags in -Mni -Mnie -Mnim -Mnio -Manie -tanie; do
	check "ss $flags" same_fields "$flags"
done
check "ss -tnoi on the MD5 ports" same_fields -tanoi sport = :7401 or sport = :7402
check "ss -tni on the MPTCP port" same_fields -tani sport = :7403 or dport = :7403
for flags in -Mni -tanie; do
	RUNAS=asnobody check "ss $flags as nobody" same_fields "$flags"
done
RUNAS=asnobody check "ss -tni on the MD5 ports as nobody" same_fields -tani sport = :7401
out=$("$L" -H -ani -A tcp,mptcp)
check "md5keys: whom the keys are for" has "$out" " md5keys:10.0.0.0/8=,127.0.0.1/32="
check "md5keys: IPv6" has "$out" " md5keys:::1/128="
check "tcp-ulp-mptcp: a subflow's fields" has "$out" " tcp-ulp-mptcp flags:M"
check "mptcp_info: the connection's" has "$out" " remote_key token:"
check "no MD5 key in the table" lacks "$out" "tcpinfo-key"
json=$("$L" -ani -A tcp,mptcp --json)
check "no MD5 key in JSON" lacks "$json" "tcpinfo-key"
# A capture is made to be passed around: the keys are cleared in it, whom they are for kept.
"$L" -ani -A tcp,mptcp --dump-netlink "$tmp/md5.nl" >/dev/null
check "no MD5 key in a capture" lacks "$(tr -c '[:print:]' . <"$tmp/md5.nl")" "tcpinfo-key"
check "a capture's md5keys" has "$("$L" --replay-netlink "$tmp/md5.nl" -tlni sport = :7401)" \
	" md5keys:10.0.0.0/8=,127.0.0.1/32="
check "JSON: md5keys" test "$(jq -c '[.[] | select(.local.port == 7401) | .md5keys[] |
	[.address, .prefix_len]]' <<<"$json")" = '[["10.0.0.0",8],["127.0.0.1",32]]'
check "JSON: [] for a socket without keys" test "$(jq -c '[.[] | select(.local.port == 7404 and
	.state == "LISTEN") | .md5keys]' <<<"$json")" = '[[]]'
# The server's subflow belongs to the server's MPTCP socket: the same token.
check "JSON: a subflow's token is its connection's" test "$(jq '[.[] | select(.local.port ==
	7403 and .state == "ESTAB" and .protocol == "tcp") | .ulp.mptcp.token_local]' <<<"$json")" \
	= "$(jq '[.[] | select(.local.port == 7403 and .state == "ESTAB" and .protocol ==
	"mptcp") | .mptcp_info.token]' <<<"$json")"
check "JSON: the ULP's name" test "$(jq -r '[.[] | select(.local.port == 7403 and .protocol ==
	"tcp") | .ulp.name] | unique | join(",")' <<<"$json")" = mptcp
check "JSON: MPTCP's bytes" test "$(jq '[.[] | select(.protocol == "mptcp" and .state ==
	"ESTAB") | .mptcp_info.bytes_sent] | sort' <<<"$json" | tr -d ' \n')" = '[200,1000]'
check "JSON: MPTCP has no tcp_info" test "$(jq '[.[] | select(.protocol == "mptcp") |
	.tcp_info] | unique' <<<"$json" | tr -d ' \n')" = '[null]'
json=$(asnobody "$L" -ani -A tcp,mptcp --json 2>"$tmp/err")
check "as nobody: md5keys withheld, null" test "$(jq -c '[.[] | select(.local.port == 7401) |
	.md5keys]' <<<"$json")" = '[null]'
check "as nobody: said" has "$(cat "$tmp/err")" \
	"listen: -i: the kernel tells TCP MD5 keys to CAP_NET_ADMIN only: md5keys not shown (run as root)"
check "as nobody: the ULP's name still" test "$(jq -r '[.[] | select(.local.port == 7403 and
	.protocol == "tcp") | .ulp.name] | unique | join(",")' <<<"$json")" = mptcp
check "as root: nothing said" test -z "$("$L" -tni 2>&1 >/dev/null)"

# The values compared are there: unread data in skmem, keepalive timers, tcp_info.
out=$("$L" -H -tnoim)
check "skmem: the unread data" has "$out" "skmem:(r"
check "timer: keepalive" has "$out" "timer:(keepalive,"
check "tcp_info: the congestion control" has "$out" \
	" $(cat /proc/sys/net/ipv4/tcp_congestion_control) wscale:"

# -s: the namespace's counts, as ss prints them. Three are not compared: "Total" counts every
# socket of the namespace, the reader's own too (ss holds a netlink socket when it reads it,
# listen one more or less); TCP's total and "closed" come from the kernel's count of TCP
# sockets allocated, and "orphaned" from its count of orphans, which are the whole machine's,
# not the namespace's, and move with whatever else runs on it. Every other number is.
total() {
	sed -E -e 's/^Total: [0-9]+$/Total: N/' \
		-e 's/^TCP: +[0-9]+ \(estab ([0-9]+), closed [0-9]+, orphaned [0-9]+,/TCP: N (estab \1, closed N, orphaned N,/'
}
check "ss -s" same_lines "$(ss -s | total)" "$("$L" -s | total)"
RUNAS=asnobody check "ss -s as nobody" same_lines "$(asnobody ss -s | total)" \
	"$(asnobody "$L" -s | total)"
# With a selection, ss prints the summary and then the rows.
check "ss -s -tn" same_lines "$(ss -s -H -tn | total | normalize)" \
	"$("$L" -s -H -tn --ss-columns | total | normalize)"

# JSON: the same facts, structured, with units in the names.
json=$("$L" -tnim --json sport = :7001)
check "JSON: valid, one socket" test "$(jq length <<<"$json")" = 1
check "JSON: congestion control" test "$(jq -r '.[0].tcp_info.congestion_control' <<<"$json")" \
	= "$(cat /proc/sys/net/ipv4/tcp_congestion_control)"
check "JSON: rtt in ms" test "$(jq '.[0].tcp_info.rtt_ms > 0' <<<"$json")" = true
rb=$(ss -Htnm sport = :7001 | grep -o 'rb[0-9]*' | tr -d rb)
check "JSON: skmem's rcvbuf is ss's rb" test "$(jq '.[0].skmem.rcvbuf' <<<"$json")" = "$rb"
check "JSON: bytes received" test \
	"$(jq '.[0].tcp_info.bytes_received' <<<"$json")" = 50000
check "JSON: UDP has no tcp_info" test \
	"$("$L" -unim --json | jq '[.[] | select(.tcp_info != null)] | length')" = 0
check "JSON: -s" test "$("$L" -s --json | jq '.[0].transport.tcp.ipv4')" = \
	"$(awk '/^TCP:/ { print $3 }' /proc/net/sockstat)"
check "JSON lines: -s" test "$("$L" -s --json=lines | jq -c .netns)" = null
check "JSON: no tcp_info or skmem member without -i, -m" test \
	"$("$L" -tn --json | jq 'any(.[]; has("tcp_info") or has("skmem"))')" = false
check "JSON: skmem without -i, and no tcp_info" test \
	"$("$L" -tnm --json | jq 'all(.[]; has("skmem") and (has("tcp_info") | not))')" = true

# Another namespace's counts with -N, and every namespace's, labelled, with --all-netns.
ns=views-$$
ip netns add "$ns" || exit 1
trap 'ip netns del "$ns" 2>/dev/null; teardown' EXIT
ip -n "$ns" link set lo up
check "-s -N" same_lines "$(ip netns exec "$ns" ss -s | total)" "$("$L" -s -N "$ns" | total)"
out=$("$L" -s --all-netns 2>/dev/null)
check "-s --all-netns: labelled" has "$out" "Netns: $ns"
check "-s --all-netns: a block each" test "$(grep -c '^Transport' <<<"$out")" -ge 2

# Mistakes are one line and exit 2.
check "-s --audit" usage_error "-s prints the summary: not with --audit" -s --audit
check "-s --json -t" usage_error "-s with --json prints the summary alone" -s --json -t
check "-i --watch" usage_error "-o, -i and -m add to the table's and JSON's rows" -i --watch
check "lsof's -i:8080" usage_error "for who owns port 8080: listen :8080" -i:8080
check "lsof's -i :8080" usage_error "for who owns port 8080: listen :8080" -i :8080
check "-s with a capture" usage_error "-s reads the kernel's counters" -s \
	--replay-netlink=/dev/null

# Without sock_diag the rows come from /proc/net, which has no tcp_info or skmem: said, not
# shown as empty.
with_shim "$3"
out=$(LISTEN_FAULT=nodiag "$L" -H -tnim 2>"$tmp/err")
check "fallback: the rows" has "$out" "127.0.0.1:7001"
check "fallback: no second lines, as ss from /proc/net" test "$(grep -c $'^\t' <<<"$out")" = 0
check "fallback: -i and -m said missing" has "$(cat "$tmp/err")" \
	"and without -i's and -m's details"
finish
