#!/bin/bash
# Live test: the firewall's verdicts against packets. A server namespace (this test's own)
# holds listeners (TCP and UDP, IPv4 and IPv6, wildcard and specific) and, in turn, each
# ruleset of tests/live/reach/ (native nftables, iptables-nft, ufw's, firewalld's and Docker's
# layouts); a client namespace on a veth pair connects or sends to every listener from two
# source addresses, and every verdict listen gives must agree with what the client saw. A
# container namespace behind a second veth pair receives Docker's published port. Then the
# same as nobody: rows as before, no verdicts, the notice once. For every ruleset, and for
# the benchmark's (bench/firewall-ruleset), the two ruleset readers (the kernel's nfnetlink
# dumps, libnftables' listings) must make the same records (tests/live/fwdump compare).
# Usage: reach.sh LISTEN FWDUMP BENCH-RULESET
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
live_enter "$0" unshare nsenter nft iptables ip6tables python3 setpriv ip -- "$@"
# A pid and mount namespace of its own too: --all-netns (for the container's namespace) then
# finds only this test's namespaces, and /run/netns is an empty directory here.
if [ "${REACH_INSIDE:-}" != 1 ]; then
	REACH_INSIDE=1 exec unshare -p -f -m --mount-proc -- bash "$0" "$@"
fi
mount -t tmpfs reach-netns /run/netns 2>/dev/null || mkdir -p /run/netns

dir=$(dirname "$0")
helper=$dir/reach.py
fwdump=$2
bench_ruleset=$3
setup "$1"
cleanup() {
	for p in "${bg[@]}"; do kill "$p" 2>/dev/null; done
	teardown
}
trap cleanup EXIT
bg=()

ip link set lo up || exit 1
# Namespaces held by a sleeping process each: the client, and Docker's container.
unshare -n sleep 600 & client=$!
unshare -n sleep 600 & ctr=$!
bg+=("$client" "$ctr")
sleep 0.2
inc() { nsenter -t "$client" -n "$@"; }
ink() { nsenter -t "$ctr" -n "$@"; }

ip link add vs type veth peer name vc || exit 1
ip link set vc netns "$client"
ip link set vs up
ip addr add 10.77.0.1/24 dev vs && ip addr add 10.88.0.1/24 dev vs &&
	ip addr add fd77::1/64 dev vs nodad && ip addr add fd88::1/64 dev vs nodad || exit 1
inc ip link set lo up
inc ip link set vc up
inc ip addr add 10.77.0.2/24 dev vc && inc ip addr add 10.88.0.2/24 dev vc &&
	inc ip addr add fd77::2/64 dev vc nodad && inc ip addr add fd88::2/64 dev vc nodad || exit 1
# The container behind dock0, reached through this namespace (forwarding on).
ip link add dock0 type veth peer name eth0 || exit 1
ip link set eth0 netns "$ctr"
ip link set dock0 up
ip addr add 172.30.0.1/16 dev dock0
ink ip link set lo up
ink ip link set eth0 up
ink ip addr add 172.30.0.2/16 dev eth0
ink ip route add default via 172.30.0.1
inc ip route add 172.30.0.0/16 via 10.77.0.1
sysctl -qw net.ipv4.ip_forward=1

listeners=(tcp,0.0.0.0,22 tcp,0.0.0.0,80 tcp,10.77.0.1,443 tcp,::,8443 tcp,fd77::1,5432
	tcp,0.0.0.0,5432 tcp,0.0.0.0,3306 tcp,0.0.0.0,9000 udp,0.0.0.0,53 udp,0.0.0.0,161
	udp,::,500,v6only udp,10.77.0.1,123)
coproc SRV { exec python3 "$helper" serve "$tmp/udp.log" "${listeners[@]}"; }
bg+=("$SRV_PID")
read -r ready <&"${SRV[0]}"
[ "$ready" = ready ] || { echo "server failed to start"; exit 1; }
nsenter -t "$ctr" -n python3 "$helper" serve "$tmp/udp-ctr.log" tcp,0.0.0.0,80 >"$tmp/ctr" &
bg+=("$!")
for _ in $(seq 50); do grep -q ready "$tmp/ctr" && break; sleep 0.1; done
grep -q ready "$tmp/ctr" || { echo "container server failed to start"; exit 1; }
server_ino=$(stat -L -c %i /proc/self/ns/net)

# Every address and port a client could try: the listeners', the published and redirected
# ports.
targets=()
for l in "${listeners[@]}"; do
	IFS=, read -r proto addr port _ <<<"$l"
	case $addr in
	0.0.0.0) targets+=("$proto,10.77.0.1,$port") ;;
	::) targets+=("$proto,10.77.0.1,$port" "$proto,fd77::1,$port") ;;
	*) targets+=("$proto,$addr,$port") ;;
	esac
done
targets+=(tcp,10.77.0.1,8080 tcp,10.77.0.1,2222)

# load RULESET: the ruleset alone in this namespace.
load() {
	nft flush ruleset
	case $1 in
	*.nft) nft -f "$1" ;;
	*.sh) bash -e "$1" ;;
	esac
}

for rs in "$dir"/reach/*; do
	name=$(basename "$rs")
	unknown=$(sed -n 's/^# unknown: //p' "$rs")
	if ! load "$rs"; then
		echo "FAIL: $name: the ruleset does not load"
		fail=$((fail + 1))
		continue
	fi
	# Both readers make the same records of it, and the netlink one decodes all of it.
	check "$name: both readers agree" "$fwdump" compare
	: >"$tmp/udp.log"
	: >"$tmp/probes"
	for src in "10.77.0.2 fd77::2" "10.88.0.2 fd88::2"; do
		# shellcheck disable=SC2086
		inc python3 "$helper" probe $src "${targets[@]}" >>"$tmp/probes"
	done
	sleep 0.3 # the datagrams land
	"$L" --all-netns -tuln --json >"$tmp/rows.json" 2>"$tmp/err"
	if python3 "$helper" check "$name" "$server_ino" "$tmp/rows.json" "$tmp/probes" \
		"$tmp/udp.log" "$unknown" >"$tmp/out"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
	cat "$tmp/out"
	if grep -v "cannot tell which network namespace" "$tmp/err" | grep -q .; then
		echo "FAIL: $name: stderr: $(cat "$tmp/err")"
		fail=$((fail + 1))
	fi
	# The table says the same, in the Reach column.
	"$L" -tuln >"$tmp/table" 2>/dev/null
	check "$name: a Reach column" grep -q "Reach" "$tmp/table"
done
check "docker: the published port" grep -q "via 0.0.0.0:8080" <("$L" --all-netns -tln 2>/dev/null)
# The published port is a finding on the host: in the audit's JSON its namespace is the host's
# (or null when no namespace can be told to be the host's, as in this test's pid namespace),
# and the metrics count the findings per namespace as the audit counts them.
"$L" --all-netns --audit --json >"$tmp/audit.json" 2>/dev/null
"$L" --all-netns --format=prom >"$tmp/metrics" 2>/dev/null
agree='
import json, re, sys
a = json.load(open(sys.argv[1]))
pub = [f for f in a["findings"] if "published" in [r["code"] for r in f["reasons"]]]
assert pub, "no published finding"
for f in pub:
    assert f["netns"] is None or f["netns"]["name"] == "host", f["netns"]
got = {}
for line in open(sys.argv[2]):
    m = re.match(r"listen_audit_findings\{netns=\"([^\"]*)\",risk=\"(\w+)\",allowed=\"\w+\"\} (\d+)$", line)
    if m:
        got[m[2]] = got.get(m[2], 0) + int(m[3])
want = {r: a["summary"][r] for r in ("none", "low", "medium", "high")}
assert got == want, (got, want)
for f in pub:
    label = f["netns"]["name"] if f["netns"] else ""
    assert re.search(r"^listen_audit_findings\{netns=\"%s\",risk=\"%s\",allowed=\"false\"\} [1-9]" % (re.escape(label), f["risk"]), open(sys.argv[2]).read(), re.M), label
'
check "docker: the published finding is the host's, in JSON and metrics" \
	python3 -c "$agree" "$tmp/audit.json" "$tmp/metrics"

# More shapes of rules (tests/live/fwnl/): the same records both ways; the rules of a
# *-fallback ruleset are left to libnftables by the netlink decoder, which must say so.
for rs in "$dir"/fwnl/*; do
	name=fwnl/$(basename "$rs")
	if ! load "$rs" 2>"$tmp/err"; then
		echo "FAIL: $name: the ruleset does not load: $(cat "$tmp/err")"
		fail=$((fail + 1))
		continue
	fi
	case $name in
	*-fallback.*) check "$name: left to libnftables" has "$("$fwdump" compare --fallback-ok)" \
		"fallback" ;;
	*) check "$name: both readers agree" "$fwdump" compare ;;
	esac
done

# The benchmark's ruleset (native rules, a verdict map with a chain per element, iptables-nft
# rules with conntrack and multiport): the same records both ways.
if bash "$bench_ruleset" 400 2>"$tmp/err"; then
	check "bench ruleset: both readers agree" "$fwdump" compare
else
	echo "FAIL: the bench ruleset does not load: $(cat "$tmp/err")"
	fail=$((fail + 1))
fi
# A rule the decoder does not know (a mark): the netlink reader gives the namespace to
# libnftables, and listen still reads it (the verdict names the rule it cannot decide).
nft flush ruleset
nft add table inet t
nft add chain inet t in '{ type filter hook input priority 0; policy drop; }'
nft add rule inet t in meta mark 0x1 tcp dport 22 accept
check "fallback: the decoder leaves it to libnftables" has "$("$fwdump" compare --fallback-ok)" "fallback"
check "fallback: listen still reads it" has "$("$L" -tln 2>&1)" "unknown (inet t in"

# The weak host model (Linux takes a packet for any of its addresses on any interface), and
# paths merged with unknown above partial. A second link (vs2, 10.66.0.0/24) leads the client
# to 10.99.0.1, an address of vs the ruleset accepts 7000 for only through vs2; 203.0.113.5 is
# a service address on lo (a VIP), which iif lo accept must not make unknown; [::]:6379 is
# accepted over IPv4 from 10.88.0.0/24 only and over IPv6 through a limit (unknown): unknown,
# and the audit does not lower its risk. Each verdict against real connections.
ip link add vs2 type veth peer name vc2 || exit 1
ip link set vc2 netns "$client"
ip link set vs2 up
ip addr add 10.66.0.1/24 dev vs2 && ip addr add 10.99.0.1/32 dev vs &&
	ip addr add 203.0.113.5/32 dev lo || exit 1
inc ip link set vc2 up
inc ip addr add 10.66.0.2/24 dev vc2 || exit 1
inc ip route add 10.99.0.1/32 via 10.66.0.1 dev vc2
inc ip route add 203.0.113.5/32 via 10.77.0.1 dev vc
python3 "$helper" serve "$tmp/udp-wh.log" tcp,10.99.0.1,7000 tcp,203.0.113.5,7080 \
	tcp,::,6379 >"$tmp/wh" &
bg+=("$!")
for _ in $(seq 50); do grep -q ready "$tmp/wh" && break; sleep 0.1; done
grep -q ready "$tmp/wh" || { echo "weak host server failed to start"; exit 1; }
nft flush ruleset
nft -f - <<'NFT' || { echo "FAIL: the weak host ruleset does not load"; fail=$((fail + 1)); }
table inet f {
	chain input {
		type filter hook input priority 0; policy drop;
		ct state established,related accept
		iif "lo" accept
		iifname "vs2" tcp dport 7000 accept
		ip saddr 10.88.0.0/24 tcp dport 6379 accept
		meta nfproto ipv6 tcp dport 6379 limit rate 100/second accept
	}
}
NFT
# probe SRC4 TARGET: yes or no, a real connection from the client.
probe() { inc python3 "$helper" probe "$1" fd77::2 "$2" | awk '{ print $2 }'; }
# reach ADDR PORT: listen's verdict on that listener (with its prefixes).
reach() {
	"$L" -tln --json 2>/dev/null | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    if r["local"]["address"] == sys.argv[1] and r["local"]["port"] == int(sys.argv[2]):
        v = r["reach"]
        print(v["verdict"] + (" from " + ",".join(v["from"]) if v["from"] else "") if v else "none")
' "$1" "$2"
}
check "weak host: 10.99.0.1:7000 is reached through vs2" test "$(probe 10.66.0.2 tcp,10.99.0.1,7000)" = yes
check "weak host: listen says open" test "$(reach 10.99.0.1 7000)" = open
check "weak host: the table says open, scope by vs" grep -Eq "10\.99\.0\.1:7000 .* lan \(vs\) +open" \
	<("$L" -tln 2>/dev/null)
check "VIP on lo: 203.0.113.5:7080 is dropped" test "$(probe 10.77.0.2 tcp,203.0.113.5,7080)" = no
check "VIP on lo: listen says filtered" test "$(reach 203.0.113.5 7080)" = filtered
check "dual-stack 6379: not from 10.77.0.2" test "$(probe 10.77.0.2 tcp,10.77.0.1,6379)" = no
check "dual-stack 6379: from 10.88.0.2" test "$(probe 10.88.0.2 tcp,10.77.0.1,6379)" = yes
check "dual-stack 6379: from fd77::2 (any IPv6 source)" \
	test "$(probe 10.77.0.2 tcp,fd77::1,6379)" = yes
check "dual-stack 6379: listen says unknown, not partial" test "$(reach :: 6379)" = unknown
# The audit: 7000 is a finding (not left out as dropped), 7080 is left out, and 6379's risk is
# what it is without a firewall, for the unknown path and not lowered for the partial one.
"$L" --audit --json >"$tmp/wh-audit.json" 2>/dev/null
nft flush ruleset
"$L" --audit --json >"$tmp/wh-audit-open.json" 2>/dev/null
audit_wh='
import json, sys
def find(path, port):
    for f in json.load(open(path))["findings"]:
        if f["port"] == port and f["protocol"] == "tcp":
            return f
fw, bare = find(sys.argv[1], 7000), find(sys.argv[1], 7080)
assert fw is not None, "7000 is no finding"
assert bare is None, "7080 (dropped) is a finding"
f, ref = find(sys.argv[1], 6379), find(sys.argv[2], 6379)
codes = [r["code"] for r in f["reasons"]]
assert "firewall-unknown" in codes and "firewall-partial" not in codes, codes
assert f["risk"] == ref["risk"], (f["risk"], ref["risk"])
'
check "audit: 7000 a finding, 7080 left out, 6379 unknown and not lowered" \
	python3 -c "$audit_wh" "$tmp/wh-audit.json" "$tmp/wh-audit-open.json"
# The VIP's drop is the firewall's: with 7080 accepted, the client gets in and listen says so.
nft -f - <<'NFT'
table inet f {
	chain input {
		type filter hook input priority 0; policy drop;
		ct state established,related accept
		tcp dport 7080 accept
	}
}
NFT
check "VIP on lo: accepted, reached" test "$(probe 10.77.0.2 tcp,203.0.113.5,7080)" = yes
check "VIP on lo: accepted, listen says open" test "$(reach 203.0.113.5 7080)" = open
nft flush ruleset
ip link del vs2

# A ruleset written for one family: an ip table drops 8443, and nothing filters IPv6. The
# dual-stack [::]:8443 is refused over IPv4 and reached over IPv6, and listen says so.
nft -f - <<'NFT'
table ip v4only {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 8443 drop
	}
}
NFT
check "one family: 8443 not over IPv4" test "$(probe 10.77.0.2 tcp,10.77.0.1,8443)" = no
check "one family: 8443 over IPv6" test "$(probe 10.77.0.2 tcp,fd77::1,8443)" = yes
check "one family: listen says open, for IPv6 only" test "$("$L" -tln --json 2>/dev/null |
	python3 -c 'import json, sys
print(*[r["reach"]["verdict"] + " " + (r["reach"].get("only_family") or "both")
	for r in json.load(sys.stdin) if r["local"]["port"] == 8443])')" = "open ipv6"
check "one family: the table says so" grep -Eq '\*:8443 .* open \(IPv6 only\)' \
	<("$L" -tln 2>/dev/null)
check "one family: the audit's reason" test "$("$L" --audit --json 2>/dev/null | python3 -c '
import json, sys
for f in json.load(sys.stdin)["findings"]:
    if f["port"] == 8443:
        print(*[r["code"] for r in f["reasons"] if r["code"].startswith("firewall")])')" \
	= firewall-one-family
# Rules of an inet table that match one family only, by their own words: ip protocol, ip6
# nexthdr, reject with icmp (each implies its family, which nft does not list).
for rule in "ip protocol tcp tcp dport 8443 drop:ipv6" "ip6 nexthdr tcp tcp dport 8443 drop:ipv4" \
	"tcp dport 8443 reject with icmp type port-unreachable:ipv6" \
	"tcp dport 8443 reject with icmpv6 type port-unreachable:ipv4"; do
	nft flush ruleset
	nft -f - <<NFT
table inet one {
	chain input {
		type filter hook input priority 0; policy accept;
		${rule%:*}
	}
}
NFT
	check "one family by its rule: '${rule%:*}' both readers agree" "$fwdump" compare
	if [ "${rule#*:}" = ipv6 ]; then v4=no v6=yes; else v4=yes v6=no; fi
	check "one family by its rule: '${rule%:*}' over IPv4: $v4" \
		test "$(probe 10.77.0.2 tcp,10.77.0.1,8443)" = "$v4"
	check "one family by its rule: '${rule%:*}' over IPv6: $v6" \
		test "$(probe 10.77.0.2 tcp,fd77::1,8443)" = "$v6"
	check "one family by its rule: '${rule%:*}': listen says open for ${rule#*:}" test \
		"$("$L" -tln --json 2>/dev/null | python3 -c 'import json, sys
print(*[r["reach"]["verdict"] + " " + (r["reach"].get("only_family") or "both")
	for r in json.load(sys.stdin) if r["local"]["port"] == 8443])')" = "open ${rule#*:}"
done
nft flush ruleset

# IPv4 dropped and IPv6's rule undecidable: unknown, not "open for IPv6 only".
nft flush ruleset
nft -f - <<'NFT'
table ip v4only {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 8443 drop
	}
}
table ip6 v6odd {
	chain input {
		type filter hook input priority 0; policy accept;
		ip6 hoplimit 64 tcp dport 8443 drop
	}
}
NFT
check "one family: the other unknown, no note" test "$("$L" -tln --json 2>/dev/null |
	python3 -c 'import json, sys
print(*[r["reach"]["verdict"] + " " + (r["reach"].get("only_family") or "both")
	for r in json.load(sys.stdin) if r["local"]["port"] == 8443])')" = "unknown both"
nft flush ruleset
nft -f - <<'NFT'
table ip v4only {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 8443 drop
	}
}
NFT
check "one family: both families dropped, no note" test "$(nft add rule ip6 filter6 input \
	tcp dport 8443 drop 2>/dev/null || { nft add table ip6 filter6 &&
	nft add chain ip6 filter6 input '{ type filter hook input priority 0; }' &&
	nft add rule ip6 filter6 input tcp dport 8443 drop; }
	"$L" -tln --json 2>/dev/null | python3 -c 'import json, sys
print(*[r["reach"]["verdict"] + " " + (r["reach"].get("only_family") or "both")
	for r in json.load(sys.stdin) if r["local"]["port"] == 8443])')" = "filtered both"
nft flush ruleset

# Unprivileged: rows as root sees them, no verdicts, the notice once.
"$L" -tuln --no-reach >"$tmp/root"
err=$(asnobody "$L" -tuln 2>&1 >"$tmp/nobody")
check "nobody: rows as before" same_lines "$(cat "$tmp/root")" "$(cat "$tmp/nobody")"
check "nobody: the notice" has "$err" "the firewall ruleset needs CAP_NET_ADMIN"
check "nobody: once" test "$(grep -c firewall <<<"$err")" -eq 1
check "nobody: run as root" has "$err" "no Reach verdicts: run as root (or give listen CAP_NET_ADMIN)"
# Root whose bounding set lacks CAP_NET_ADMIN (a container's root): not told to run as root.
err=$(setpriv --bounding-set=-net_admin -- "$L" -tuln 2>&1 >"$tmp/bounded")
check "bounded root: rows as before" same_lines "$(cat "$tmp/root")" "$(cat "$tmp/bounded")"
check "bounded root: why" has "$err" "no Reach verdicts: listen runs as root without CAP_NET_ADMIN: a container or sandbox withholds it"
reaches='import json, sys; print(*[r["reach"] for r in json.load(sys.stdin) if r["reach"]])'
check "nobody: no reach in JSON" test -z "$(asnobody "$L" -tuln --json 2>/dev/null |
	python3 -c "$reaches")"
# --no-reach reads nothing and shows no column.
check "--no-reach: no column" test -z "$(grep Reach "$tmp/root")"
finish
