#!/bin/bash
# Live test: -m's socket memory of unix and packet sockets in a private network namespace,
# compared with ss row by row and field by field, as root and as nobody: unix stream,
# datagram and seqpacket sockets with data waiting (so skmem's t and the queues are not 0), a
# listener with a client waiting, packet sockets with frames waiting and none; JSON's skmem
# against ss's; -x without -m asks the kernel for no memory; the /proc/net fallbacks, where ss
# prints no skmem either.
# Usage: skmem.sh LISTEN SCHEMA FAULT_SHIM SKMEMHELPER
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
live_enter "$0" unshare ss ip setpriv python3 jq -- "$@"
here=$(cd "$(dirname "$0")" && pwd)

ip link set lo up || exit 1
setup "$1"
mkdir "$tmp/u" && chmod 755 "$tmp/u"
start skmem python3 "$4" "$tmp/u"

# The values that change between two of ss's dumps a moment apart, by skmem's field names:
# nothing reads or writes these sockets, so none should; whichever does is blanked in both
# ss's rows and listen's, and named here. The queues (Recv-Q, Send-Q) must hold still.
fields() { # skmem's fields as "row name value" lines
	awk 'match($0, /skmem:\([^)]*\)/) {
		c = split(substr($0, RSTART + 7, RLENGTH - 8), kv, ",")
		for (i = 1; i <= c; i++) { k = kv[i]; sub(/[0-9]+$/, "", k); print NR, k, kv[i] }
	}'
}
a=$(ss -H -x0am | fields)
sleep 0.3
b=$(ss -H -x0am | fields)
varying=$(diff <(echo "$a") <(echo "$b") | awk '/^[<>]/ { print $3 }' | sort -u | tr '\n' ' ')
[ -n "$varying" ] && echo "note: blanked, as they change between two dumps: $varying"
vary() {
	local sed_args=() f
	for f in $varying; do
		sed_args+=(-e "s/([(,])${f}[0-9]+/\\1${f}V/g")
	done
	if [ ${#sed_args[@]} = 0 ]; then cat; else sed -E "${sed_args[@]}"; fi
}
# ss -0e puts a packet socket's PACKET_DIAG_INFO (and -m's skmem after it) on a line of its
# own; listen on the row's.
joined() { sed -e ':a' -e 'N' -e '$!ba' -e 's/\n\t/ /g'; }

# ss -e's socket file device is the kernel's encoding (MAJOR << 20 | MINOR) split as a
# user-space dev_t; listen splits it as the kernel made it (254/0, not 0/65024): ss's put back
# together and split listen's way, so the device is compared too.
ssdev() {
	python3 -c 'import re, sys
def dev(m):
    ma, mi = int(m[1]), int(m[2])
    x = (mi & 0xff) | (ma & 0xfff) << 8 | (mi & ~0xff) << 12 | (ma & ~0xfff) << 32
    return "dev:%d/%d" % (x >> 20, x & 0xfffff)
sys.stdout.write(re.sub(r"dev:([0-9]+)/([0-9]+)", dev, sys.stdin.read()))'
}

# ss -e's "peers:" (a listener's clients waiting to be accepted, UNIX_DIAG_ICONS) is not
# collected by listen (listen(1), -e): taken out of ss's rows.
nopeers() { sed -E 's/ peers:( [0-9]+)+//'; }

# same_mem FLAGS...: ss's rows and listen's, values that vary blanked (vary).
same_mem() {
	local want got
	want=$(${RUNAS:-} ss -H "$@" | joined | ssdev | nopeers | normalize | vary)
	[ -n "$want" ] || { echo "    ss printed no rows for $*"; return 1; }
	got=$(${RUNAS:-} "$L" -H --ss-columns "$@" 2>/dev/null | normalize | vary)
	[ "$want" = "$got" ] && return 0
	diff <(echo "$want") <(echo "$got") | sed 's/^/    /'
	return 1
}

for flags in -xm -xlm -xam -xanm -xme -xlme -xmp -xlmp -xampe -0m -0me -0mp -0mpe -x0am \
	-tx0am -xmO -0meO; do
	check "ss $flags" same_mem "$flags"
done
check "ss -A unix_dgram -m" same_mem -A unix_dgram -m
check "ss -a -A packet_raw -me" same_mem -a -A packet_raw -me
check "ss -xam src $tmp/u/stream.sock" same_mem -xam src "$tmp/u/stream.sock"
check "ss -xam src @skmem-*" same_mem -xam src '@skmem-*'
check "ss -0am dev lo" same_mem -0am dev lo
for flags in -xm -xam -xmp -xme -0m -0me -0mp; do
	RUNAS=asnobody check "ss $flags as nobody" same_mem "$flags"
done

# The values compared are there: data waiting on every kind of socket.
out=$("$L" -H -x0am)
check "unix stream: the sender's bytes" has "$out" ",t2304,"
check "unix seqpacket: the sender's bytes" has "$out" ",t1280,"
check "unix dgram: the unbound sender's datagrams" has "$out" ",t3840,"
check "packet: the frames waiting" grep -qE 'skmem:\(r[1-9][0-9]*,' <<<"$(grep '^p_raw' <<<"$out")"
check "no second line for unix or packet sockets" test "$(grep -c $'^\t' <<<"$out")" = 0
# -m's Process column shows for the skmem alone, and goes without it.
check "the Process column with -m" has "$("$L" -xm | head -1)" "Process"
check "no Process column without -m, -p or -e" lacks "$("$L" -x | head -1)" "Process"
check "-x: no skmem without -m" lacks "$("$L" -H -x0a)" "skmem:("

# -x without -m does not ask the kernel for the memory: its capture holds none, so the same
# capture replayed with -m shows none. With -m the capture holds it.
"$L" -xa --dump-netlink "$tmp/x.nl" >/dev/null
check "-x: no meminfo asked" lacks "$("$L" -xam --replay-netlink "$tmp/x.nl")" "skmem:("
"$L" -xam --dump-netlink "$tmp/xm.nl" >/dev/null
check "-xm: meminfo asked" has "$("$L" -xam --replay-netlink "$tmp/xm.nl")" "skmem:(r0,rb"
check "-xm's capture replayed without -m: none shown" lacks \
	"$("$L" -xa --replay-netlink "$tmp/xm.nl")" "skmem:("

# JSON: valid against the schema, skmem with ss's numbers, absent without -m.
if /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
	"$L" --json -x0amp >"$tmp/j.json"
	check "json: schema" "$here/../formats/validate.py" "$2" "$tmp/j.json"
	asnobody "$L" --json -x0am >"$tmp/j.json" 2>/dev/null
	check "json as nobody: schema" "$here/../formats/validate.py" "$2" "$tmp/j.json"
fi
j=$("$L" --json -x0am)
check "json: every row's skmem" test "$(jq '[.[] | select(.skmem.rcvbuf > 0)] | length' \
	<<<"$j")" = "$(ss -H -x0am | grep -c 'skmem:')"
check "json: the stream sender's wmem_alloc" test \
	"$(jq '[.[] | select(.protocol == "unix" and .skmem.wmem_alloc == 2304)] | length' \
		<<<"$j")" = 1
r=$(ss -H -0m | grep -o 'skmem:(r[0-9]*' | sed 's/skmem:(r//' | sort -n | tail -1)
check "json: the packet socket's rmem_alloc is ss's r" test \
	"$(jq '[.[] | select(.protocol == "packet") | .skmem.rmem_alloc] | max' <<<"$j")" = "$r"
check "json: no skmem member without -m" test \
	"$("$L" --json -x0a | jq 'any(.[]; has("skmem"))')" = false

# Mistakes are still one line and exit 2.
check "-xm --watch" usage_error "-o, -i and -m add to the table's and JSON's rows" -xm --watch
check "-0m --format=prom" usage_error "-o, -i and -m add to the table's and JSON's rows" \
	-0m --format=prom

# Without sock_diag: /proc/net/unix and /proc/net/packet have no memory, and ss reading them
# (as it does when told to: PROC_NET_UNIX, PROC_NET_PACKET) prints no skmem; listen neither,
# and says so.
with_shim "$3"
got=$(LISTEN_FAULT=nodiag "$L" -H --ss-columns -0m 2>"$tmp/err" | normalize)
want=$(PROC_NET_PACKET=/proc/net/packet ss -H -0m | normalize)
check "fallback: packet rows as ss's from /proc/net/packet" same_lines "$want" "$got"
check "fallback: packet, -m said missing" has "$(cat "$tmp/err")" \
	"fanout, and without -m's socket memory"
got=$(LISTEN_FAULT=nodiag "$L" -H --ss-columns -xam 2>"$tmp/err" | normalize)
want=$(PROC_NET_UNIX=/proc/net/unix ss -H -xam | normalize)
check "fallback: ss prints no unix skmem" lacks "$want" "skmem:("
check "fallback: nor listen" lacks "$got" "skmem:("
# The same sockets (ss's reader calls an unconnected datagram socket ESTAB: the states are
# live-unix's to compare).
check "fallback: the same unix sockets" same_lines \
	"$(awk '{ print $1, $5, $6 }' <<<"$want" | sort)" \
	"$(awk '{ print $1, $5, $6 }' <<<"$got" | sort)"
check "fallback: unix, -m said missing" has "$(cat "$tmp/err")" \
	"uids, and without -m's socket memory"
check "fallback: json skmem null" test "$(LISTEN_FAULT=nodiag "$L" --json -x0am 2>/dev/null |
	jq '[.[] | select(.skmem != null)] | length')" = 0
finish
