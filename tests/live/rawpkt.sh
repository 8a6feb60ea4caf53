#!/bin/bash
# Live test: raw (-w) and packet (-0) sockets in a private network namespace, compared with ss
# row by row, as root and as nobody: raw ICMP over IPv4 and IPv6 (bound, unbound, connected),
# an IPPROTO_RAW socket, packet sockets of every protocol and of one, raw and datagram, one
# bound to a veth, one promiscuous, one with a BPF filter. Their scope, JSON (against the
# schema), the audit and its allow-list, the fallbacks to /proc/net.
#
# This kernel has no raw_diag: ss itself then reads /proc/net/raw (its -w prints nothing only
# because its default states are the connected ones; -wa shows every raw socket), so listen's
# rows, read from /proc/net/raw too, are compared with ss's as they are. On a kernel with
# raw_diag both take the netlink dump, whose rows carry the same fields.
# Usage: rawpkt.sh LISTEN SCHEMA FAULT_SHIM HELPER
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
live_enter "$0" unshare ss ip setpriv python3 jq promtool -- "$@"
here=$(cd "$(dirname "$0")" && pwd)

ip link set lo up || exit 1
# A veth pair with no IPv6 on it: no frames cross it, so the queues of the sockets that
# sniff every interface hold still between ss's dump and listen's.
ip link add rawpkt-a type veth peer name rawpkt-b || exit 1
for i in rawpkt-a rawpkt-b; do
	sysctl -qw "net.ipv6.conf.$i.disable_ipv6=1"
	ip link set "$i" up
done
setup "$1"
start rawpkt python3 "$4" rawpkt-a
sleep 0.5

# Every flag set ss takes for raw and packet sockets, and its filters on them.
for flags in -wa -wl -wn -wan -wap -4wa -6wa -w -0 -0a -0p -0n -0l -0an -w0a -w0lp -t0; do
	check "ss $flags" same_rows "$flags"
done
for filter in "dev rawpkt-a" "dev != rawpkt-a" "state unconnected"; do
	# shellcheck disable=SC2086 # words of the filter
	check "ss -0a $filter" same_rows -0a $filter
done
check "ss -wa src 127.0.0.1" same_rows -wa src 127.0.0.1
check "ss -wa sport = :1" same_rows -wa sport = :1
for flags in -wa -wap -0 -0a -0p; do
	RUNAS=asnobody check "ss $flags as nobody" same_rows "$flags"
done
# ss -0e puts the socket's PACKET_DIAG_INFO on a line of its own; listen on the row's.
want=$(ss -H -0e | sed -e ':a' -e 'N' -e '$!ba' -e 's/\n\t/ /g' | normalize)
got=$("$L" -H --ss-columns -0e | normalize)
check "ss -0e" same_lines "$want" "$got"
check "ss -0e: fanout groups as ss names them" has "$got" "fanout(id:42,type:lb)"
check "ss -0eO" same_lines "$(ss -H -0eO | normalize)" "$("$L" -H --ss-columns -0eO | normalize)"

# The raw sockets come from /proc/net/raw here, said once; the helper holds them all.
err=$("$L" -wa 2>&1 >/dev/null)
check "raw: the source said" has "$err" "raw sockets read from /proc/net/raw"
check "raw: said once" test "$(grep -c raw_diag <<<"$err")" = 1
out=$("$L" -H -wap)
check "raw: every one held" test "$(grep -c "pid=$pid_rawpkt," <<<"$out")" = 6
check "raw: scope all" has "$("$L" -H -wl src 0.0.0.0)" "all"
check "raw: scope loopback" has "$("$L" -H -wl src 127.0.0.1)" "loopback"

# What each packet socket sniffs.
out=$("$L" -H -0 | normalize)
check "packet: sniffs all" has "$out" "p_raw 0 0 *:* * sniffs all"
check "packet: dgram ip" has "$out" "p_dgr 0 0 ip:* * sniffs all"
check "packet: bound" has "$out" "arp:rawpkt-a * sniffs rawpkt-a"
check "packet: promisc" has "$out" "*:rawpkt-a * sniffs rawpkt-a, promisc"
check "packet: bpf filter" has "$out" "sniffs all, bpf filter"
out=$(asnobody "$L" -H -0 | normalize)
check "packet as nobody: filter unknown" has "$out" "sniffs all, filter unknown"
check "packet as nobody: promisc known" has "$out" "sniffs rawpkt-a, promisc, filter unknown"
out=$("$L" -H -0p)
check "packet: every one held" test "$(grep -c "pid=$pid_rawpkt," <<<"$out")" = 7
ip link set rawpkt-a promisc on
check "packet: the interface's promisc" has "$("$L" -H -0 dev rawpkt-a | normalize)" \
	"arp:rawpkt-a * sniffs rawpkt-a, promisc"
ip link set rawpkt-a promisc off

# JSON: valid against the schema, with what the table says.
if /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
	"$L" --json -w0ap >"$tmp/j.json"
	check "json: schema" "$here/../formats/validate.py" "$2" "$tmp/j.json"
	asnobody "$L" --json -w0a >"$tmp/j.json" 2>/dev/null
	check "json as nobody: schema" "$here/../formats/validate.py" "$2" "$tmp/j.json"
	"$L" --audit --json >"$tmp/a.json"
	check "audit json: schema" "$here/../formats/validate.py" "$2" "$tmp/a.json"
fi
if command -v jq >/dev/null; then
	j=$("$L" --json -0)
	check "json: promisc" test "$(jq '[.[] | select(.packet.promisc)] | length' <<<"$j")" = 1
	check "json: filter" test \
		"$(jq '[.[] | select(.packet.bpf_filter) | .packet.filter_instructions] | .[0]' \
			<<<"$j")" = 1
	check "json: sniffs" test "$(jq -r '[.[].packet.sniffs] | unique | join(",")' \
		<<<"$j")" = "all,rawpkt-a"
	j=$(asnobody "$L" --json -0 2>/dev/null)
	check "json as nobody: filter null" test \
		"$(jq '[.[] | select(.packet.bpf_filter == null)] | length' <<<"$j")" = 7
	j=$("$L" --json -wa 2>/dev/null)
	check "json: ip_protocol" test \
		"$(jq -r '[.[].ip_protocol.name] | unique | join(",")' <<<"$j")" \
		= "icmp,ipproto-255,ipv6-icmp"
fi

# The audit: who sniffs what, promiscuous or not; raw sockets and what they receive.
out=$("$L" --audit 2>/dev/null)
status=$?
check "audit: exit 3 on a promiscuous sniffer" test "$status" = 3
check "audit: promisc high" has "$out" \
	"HIGH    packet/all sniffs all, sniffs rawpkt-a, promisc"
check "audit: why" has "$out" "packet socket: sees every frame of every protocol on all interfaces, rawpkt-a; promiscuous: it also sees frames addressed to other hosts; runs as root"
check "audit: one protocol on one interface" has "$out" "MEDIUM  packet/arp sniffs rawpkt-a"
check "audit: IPPROTO_RAW forges" has "$out" "MEDIUM  raw/255 on 0.0.0.0 (all)"
check "audit: raw icmp" has "$out" "LOW     raw/1 (icmp) on 127.0.0.1 (loopback), 0.0.0.0 (all)"
check "audit: holder" has "$out" "python3 pid $pid_rawpkt user root"
out=$("$L" --audit -0 --fail-on=medium 2>/dev/null)
check "audit -0: packet sockets only" lacks "$out" "raw/"
cat >"$tmp/allow" <<'ALLOW'
packet/all * python3
packet/ip all python3
packet/arp rawpkt-a python3
raw/1
raw/58 * python3
raw/255 0.0.0.0
ALLOW
out=$("$L" --audit --allow="$tmp/allow" 2>/dev/null)
status=$?
check "allow: every finding approved" has "$out" "6 findings (high 1, medium 3, low 2, none 0), 6 allowed"
check "allow: exit 0" test "$status" = 0
printf 'packet/arp rawpkt-b python3\n' >"$tmp/allow2"
check "allow: another interface approves nothing" has \
	"$("$L" --audit -0 --allow="$tmp/allow2" 2>/dev/null)" "0 allowed"
echo "packet/nosuch" >"$tmp/allow3"
check "allow: bad rule" usage_error "packet/ETHERTYPE" --audit --allow="$tmp/allow3"

# The metrics: a series for each raw and packet socket, with the audit's risk; the findings
# as --audit counts them, and -0 with them only packet sockets' series and findings.
"$L" --format=prom -w0p >"$tmp/rawpkt.prom" 2>/dev/null
check "metrics: exit 0" test $? = 0
check "metrics: promtool" promtool check metrics <"$tmp/rawpkt.prom"
m=$(cat "$tmp/rawpkt.prom")
check "metrics: the promiscuous sniffer" has "$m" 'ethertype="3",ethertype_name="all",sniffs="rawpkt-a",promisc="true",'
check "metrics: IPPROTO_RAW, medium" has "$m" 'ip_protocol="255",address="0.0.0.0",interface="",scope="all",risk="medium",allowed="false",processes="python3"} 1'
check "metrics: high unapproved as --audit fails" has "$m" \
	"listen_audit_findings{netns=\"\",risk=\"high\",allowed=\"false\"} $("$L" --audit --json -w0 2>/dev/null | jq '[.findings[] | select(.risk == "high" and (.allowed | not))] | length')"
check "metrics: as many findings as --audit" test "$(awk '/^listen_audit_findings{/ { n += $NF } END { print n + 0 }' "$tmp/rawpkt.prom")" = \
	"$("$L" --audit --json -w0 2>/dev/null | jq '.findings | length')"
check "metrics -0: no raw series" lacks "$("$L" --format=prom -0 2>/dev/null)" "listen_raw_socket_info"
check "metrics as nobody: promtool" bash -c "setpriv --reuid=nobody --regid=nogroup --clear-groups -- '$L' --format=prom -w0 2>/dev/null | promtool check metrics"

# Mistakes are one line and exit 2.
check "-w with a port list" usage_error "raw and packet sockets have no ports" -w :1
check "-0 with an address" usage_error "'src' does not apply to packet sockets" -0 src 10.0.0.1

# Without sock_diag: /proc/net/packet and /proc/net/raw, the same rows, said once each.
with_shim "$3"
got=$(LISTEN_FAULT=nodiag "$L" -H --ss-columns -0 2>"$tmp/err" | normalize)
want=$(ss -H -0 | normalize)
check "fallback: packet rows" same_lines "$want" "$got"
check "fallback: packet said" has "$(cat "$tmp/err")" \
	"packet sockets read from /proc/net/packet, without memberships (promisc)"
check "fallback: promisc not known" has "$(LISTEN_FAULT=nodiag "$L" -H -0 2>/dev/null)" \
	"filter unknown"
got=$(LISTEN_FAULT=nodiag "$L" -H --ss-columns -wa 2>/dev/null | normalize)
check "fallback: raw rows" same_lines "$(ss -H -wa | normalize)" "$got"
finish
