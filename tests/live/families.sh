#!/bin/bash
# Live test of MPTCP in the audit, JSON, the metrics and the watch, in a private network
# namespace: an MPTCP listener is one finding, named mptcp, with its holder (not also the TCP
# listener the kernel keeps for its subflows, which shares its inode), as root and as nobody;
# its JSON validates; its metrics series say mptcp; the watch finds a connection open and
# close by looking. SCTP and vsock have no kernel support here: their golden cases replay
# hand-built replies (tests/data/make-sctp.py, make-vsock.py).
# The firewall's SCTP rules are read alike from the kernel's netlink and from libnftables
# (fwdump compare), as keys of their own.
# Usage: families.sh LISTEN MPTCPHELPER SCHEMA FWDUMP
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
live_enter "$0" unshare ss ip setpriv jq promtool nft /usr/bin/python3 -- "$@"
here=$(dirname "$0")
schema=$3 fwdump=$4
ip link set lo up || exit 1
setup "$1"
watchers=()
trap 'for p in "${watchers[@]}"; do kill "$p" 2>/dev/null; done; teardown' EXIT
valid() { "$here/../formats/validate.py" "$schema" "$@"; }
jqe() { jq -e "$@" >/dev/null; }
jqs() { jq -s -e "$@" >/dev/null; }
py() { /usr/bin/python3 -c "$@"; }

if ! py 'import socket; socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262).close()' \
	2>/dev/null; then
	live_skip "this kernel has no MPTCP (socket(..., IPPROTO_MPTCP) fails)"
fi
if ! ss -HMl >/dev/null 2>&1 || ! "$L" -Ml >/dev/null 2>&1; then
	live_skip "this kernel has no mptcp_diag: MPTCP sockets cannot be listed"
fi

# MPTCP listeners on 127.0.0.1:7311, [::1]:7312 (v6only) and a dual-stack [::]:7313, a
# connection to each, and a plain TCP listener on 127.0.0.1:7314.
start mptcp python3 "$2"
pid=$pid_mptcp
# The kernel's TCP listener for the subflows is there, on the MPTCP listener's inode.
ino=$(ss -HMlne sport = :7313 | grep -o 'ino:[0-9]*' | head -1)
check "the subflows' TCP listener shares the inode" test -n "$ino" -a \
	"$(ss -Htlne sport = :7313 | grep -o 'ino:[0-9]*' | head -1)" = "$ino"

# The audit: one finding for 7313 (the only one beyond loopback), mptcp, with its holder.
for who in root nobody; do
	run=()
	[ "$who" = nobody ] && run=(asnobody)
	out=$("${run[@]}" "$L" --audit -n 2>"$tmp/err")
	status=$?
	check "$who: --audit exit 0 (a low finding)" test "$status" = 0
	check "$who: --audit names it mptcp" grep -q '^LOW     mptcp/7313 .*on \* (all)$' <<<"$out"
	check "$who: --audit does not review its subflows' TCP listener" lacks "$out" " tcp/7313"
	check "$who: one finding" has "$out" "1 finding (high 0, medium 0, low 1, none 0)"
	check "$who: nothing said of MPTCP" lacks "$(cat "$tmp/err")" "MPTCP"
	"${run[@]}" "$L" --audit --json >"$tmp/a.json" 2>/dev/null
	check "$who: --audit --json validates" valid "$tmp/a.json"
	check "$who: --audit --json: one mptcp finding" jqe '[.findings[] |
		"\(.protocol)/\(.port)"] == ["mptcp/7313"]' "$tmp/a.json"
	"${run[@]}" "$L" -M --audit --json >"$tmp/m.json" 2>/dev/null
	check "$who: -M --audit --json the same finding" jqe '[.findings[] |
		"\(.protocol)/\(.port)"] == ["mptcp/7313"]' "$tmp/m.json"
	check "$who: the endpoint, dual-stack" jqe '.findings[0].endpoints == [{"family": "ipv6",
		"address": "::", "scope": "all", "scope_interface": null, "netns": null}]' \
		"$tmp/a.json"
	[ "$who" = root ] || continue
	check "root: the finding's holder" jqe ".findings[0].processes[0].pid == $pid" \
		"$tmp/a.json"
	check "root: the holder names the service" jqe \
		'.findings[0].service.program == "python3"' "$tmp/a.json"
done
# nobody cannot read root's holder: the finding says so (processes_hidden), still one.
check "nobody: the holder hidden" jqe '.findings[0].processes_hidden' "$tmp/a.json"
# -t alone: no MPTCP asked for; the subflows' listener stands in, as TCP, with the holder.
out=$("$L" --audit -t -n 2>&1)
check "-t --audit: reviewed as tcp, held by the helper" has "$out" "tcp/7313 python3 on * (all)"
check "-t --audit: its holder" has "$out" "pid $pid"
# An allow-list rule for mptcp/ approves it; tcp/ does too (MPTCP is TCP on the wire).
printf 'mptcp/7313\n' >"$tmp/allow-m"
printf 'tcp/7313 :: python3\n' >"$tmp/allow-t"
"$L" --audit --fail-on=low --allow "$tmp/allow-m" >/dev/null 2>&1
check "mptcp/7313 approves it" test $? = 0
"$L" --audit --fail-on=low --allow "$tmp/allow-t" >/dev/null 2>&1
check "tcp/7313 :: python3 approves it" test $? = 0
"$L" --audit --fail-on=low >/dev/null 2>&1
check "without a rule, --fail-on=low fails" test $? = 3

# JSON: -M's rows, as root and nobody, validate; they are ss -M's.
for who in root nobody; do
	run=()
	[ "$who" = nobody ] && run=(asnobody)
	"${run[@]}" "$L" -Man --json >"$tmp/j.json" 2>/dev/null
	check "$who: -Man --json validates" valid "$tmp/j.json"
	check "$who: -Man --json: ss -Man's rows" test "$(jq length "$tmp/j.json")" = \
		"$(ss -HMan | grep -c .)"
	check "$who: -Man --json: all mptcp" jqe 'all(.[]; .protocol == "mptcp")' "$tmp/j.json"
done
check "root: -Mlp --json: the holder" jqe "[.[] | select(.state == \"LISTEN\") |
	.processes[0].pid] == [$pid, $pid, $pid]" <("$L" -Mlp --json)

# Holders are shared by the records of one socket, as ss shows them: the subflows' TCP
# listener is the MPTCP listener's python3 in -tlp too.
check "-tlp: the subflows' TCP listener's holder" grep -q "127.0.0.1:7311 .*pid=$pid," \
	<("$L" -tlnp)
check "-tlp: as ss -tlp" grep -q "127.0.0.1:7311 .*pid=$pid," <(ss -Htlnp)

# The metrics: the MPTCP listeners' series say mptcp, the subflows' TCP listeners have none.
for who in root nobody; do
	run=()
	[ "$who" = nobody ] && run=(asnobody)
	"${run[@]}" "$L" --format=prom -p >"$tmp/m.prom" 2>/dev/null
	check "$who: prom: promtool" promtool check metrics <"$tmp/m.prom"
	for port in 7311 7312 7313; do
		check "$who: prom: mptcp $port" grep -q \
			"^listen_socket_info{.*protocol=\"mptcp\".*port=\"$port\"" "$tmp/m.prom"
		check "$who: prom: no tcp series for $port" bash -c \
			"! grep -q '^listen_socket_info{.*protocol=\"tcp\".*port=\"$port\"' '$tmp/m.prom'"
	done
	check "$who: prom: the plain TCP listener" grep -q \
		'^listen_socket_info{.*protocol="tcp".*port="7314"' "$tmp/m.prom"
	check "$who: prom: MPTCP totals" grep -q \
		'^listen_listeners{netns="",protocol="mptcp",scope="loopback"} 2$' "$tmp/m.prom"
	check "$who: prom: the finding counted" grep -q \
		'^listen_audit_findings{netns="",risk="low",allowed="false"} 1$' "$tmp/m.prom"
done

# The watch: MPTCP sockets have no destroy notifications; a connection opened and closed is
# found by looking, new then gone, with its holder, as JSON Lines (valid) and as a table.
watch() {
	local name=$1
	shift
	"${RUNAS[@]}" "$L" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	wpid=$!
	watchers+=("$wpid")
	for _ in $(seq 100); do
		grep -q 'watching' "$tmp/$name.err" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "    the watch did not start: $(cat "$tmp/$name.err")"
	return 1
}
stop() {
	kill -TERM "$1"
	wait "$1"
}
conn='
import os, socket, time
print(os.getpid(), flush=True)
l = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", 7321)); l.listen(); time.sleep(0.5)
c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262); c.connect(("127.0.0.1", 7321))
a, _ = l.accept(); time.sleep(0.5)
c.close(); a.close(); time.sleep(0.5)
l.close(); time.sleep(0.5)
'
for who in root nobody; do
	RUNAS=()
	[ "$who" = nobody ] && RUNAS=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
	check "$who: -M watch starts" watch "mw$who" -Ma --watch=100ms --json=lines -n \
		sport = :7321 or dport = :7321
	py "$conn" >"$tmp/conn.pid"
	stop "$wpid"
	check "$who: -M --watch: exit 0" test $? = 0
	check "$who: -M --watch: events valid" valid --events "$tmp/mw$who.out"
	got=$(jq -r '"\(.event) \(.socket.protocol) \(.socket.state) \(.socket.local.port)"' \
		"$tmp/mw$who.out" | sort | uniq -c | sed -E 's/^ +//')
	client=$(jq -r 'select(.socket.local.port != 7321) | .socket.local.port' \
		"$tmp/mw$who.out" | head -1)
	# The accepted socket has its listener's cookie (the kernel copies it): told apart.
	check "$who: -M --watch: the listener and both ends, new and gone" same_lines "$(sort <<EOF
1 gone mptcp ESTAB 7321
1 gone mptcp ESTAB $client
1 gone mptcp LISTEN 7321
1 new mptcp ESTAB 7321
1 new mptcp ESTAB $client
1 new mptcp LISTEN 7321
EOF
)" "$got"
	check "$who: -M --watch: the listener new before the connection" jqs \
		'[.[] | select(.event == "new")][0].socket.state == "LISTEN"' "$tmp/mw$who.out"
	if [ "$who" = root ]; then
		check "root: -M --watch: the holder" jqs "[.[] | select(.event == \"new\" and
			.socket.state == \"LISTEN\")][0].socket.processes[0].pid ==
			$(cat "$tmp/conn.pid")" "$tmp/mw$who.out"
	else
		check "nobody: -M --watch: root's holder hidden" jqs \
			'all(.[]; .socket.processes == null)' "$tmp/mw$who.out"
	fi
	check "$who: -M --watch: the notice" grep -q "listen: watching: MPTCP sockets, gone and \
new, by looking every 100ms (the kernel sends no destroy notifications for them)" \
		"$tmp/mw$who.err"
done
RUNAS=()
# --audit --watch -M: the finding of a listener beyond loopback, new then gone.
check "-M --audit watch starts" watch maudit -M --audit --fail-on=low --watch=100ms -n
py '
import socket, time
l = socket.socket(socket.AF_INET6, socket.SOCK_STREAM, 262)
l.bind(("::", 7322)); l.listen(); time.sleep(0.5)
l.close(); time.sleep(0.5)
'
stop "$wpid"
check "-M --audit --watch: exit 0" test $? = 0
check "-M --audit --watch: the finding new then gone" same_lines "+ LOW LISTEN
- LOW LISTEN" "$(grep -o '^[0-9:]* [+-] LOW LISTEN .*\*:7322 ' "$tmp/maudit.out" |
	cut -d' ' -f2-4)"
check "-M --audit --watch: its reasons" test "$(grep ':7322 ' "$tmp/maudit.out" | grep -c \
	'(unknown-service, all-interfaces, root)$')" = 2
check "-M --audit --watch: the helper's 7313 there at the start (=), and nothing else" test \
	"$(grep -c . "$tmp/maudit.out"),$(grep -c '= LOW LISTEN .*\*:7313 ' "$tmp/maudit.out")" = 3,1

# SCTP's rules (no SCTP socket can be made here: their verdicts are test_reach.c's): the
# netlink reader and libnftables' agree, sctp dport (and l4proto sctp with th dport, which
# nft folds into it) its own key, another SCTP field another.
nft -f - <<'NFT' || exit 1
table inet families {
	chain input {
		type filter hook input priority 0; policy accept;
		sctp dport 3868 accept
		meta l4proto sctp th dport 2905 accept
		sctp sport 5000 accept
		tcp dport 7313 accept
	}
}
NFT
check "SCTP rules: both readers agree" "$fwdump" compare
# fwdump prints enum fw_key's numbers: 20 FW_KEY_SCTP_DPORT, 21 FW_KEY_SCTP_OTHER, 14
# FW_KEY_TCP_DPORT (include/listen/firewall.h).
keys=$("$fwdump" nl | grep -o 'stmt 0 key [0-9]*' | cut -d' ' -f4 | tr '\n' ' ')
check "SCTP rules: sctp dport twice, another SCTP field, tcp dport" test "$keys" = "20 20 21 14 "
nft delete table inet families

# -K: mptcp_diag has no SOCK_DESTROY: refused with the kernel's reason.
check "-K -M refused" usage_error "-K: the kernel cannot close MPTCP, SCTP or vsock sockets (their sock_diag handlers have no SOCK_DESTROY); -t or -u" -K -M sport = :7313
finish
