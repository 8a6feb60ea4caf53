#!/bin/bash
# Live test of listen --audit: listeners of each risk in a private network namespace, the
# review, the allow-list and the exit statuses, as text and JSON.
# Usage: audit.sh LISTEN SOCKHELPER SCHEMA
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
live_enter "$0" unshare ip setpriv jq /usr/bin/python3 -- "$@"
here=$(dirname "$0")
ip link set lo up || exit 1
setup "$1"
# Root's sockets, held by a program listen does not know (the socket helper), so their services
# are the ports' guesses: telnet (high, but a guess: medium), https (low), loopback-only ones
# that must not appear, and a UDP client on an ephemeral port. Root's redis (the helper as
# redis-server: identified by its executable's name), high. Nobody's postgres (the helper as
# postgres), medium.
install -m 755 "$2" "$tmp/redis-server" && install -m 755 "$2" "$tmp/postgres" || exit 1
coproc ROOT { exec "$2" tcp,0.0.0.0,23 tcp,0.0.0.0,443 tcp,::,443,v6only \
	tcp,127.0.0.1,5433 tcp,::1,8080 udp,127.0.0.1,53 udp,0.0.0.0,41234; }
root_pid=$ROOT_PID
helper_pids+=("$root_pid") helper_fds+=("${ROOT[1]}")
coproc NOBODY { exec setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$tmp/postgres" \
	tcp,0.0.0.0,5432; }
nobody_pid=$NOBODY_PID
helper_pids+=("$nobody_pid") helper_fds+=("${NOBODY[1]}")
read -r ready1 _ <&"${ROOT[0]}"
read -r ready2 _ <&"${NOBODY[0]}"
[ "$ready1$ready2" = readyready ] || { echo "socket helpers failed to start"; exit 1; }
start redis "$tmp/redis-server" tcp,0.0.0.0,6379

# status ARGS...: run listen and print only its exit status.
status() { "$L" "$@" >/dev/null 2>&1; echo $?; }

out=$("$L" --audit)
check "exit 3 on high findings" test "$(status --audit)" = 3
check "telnet: a guess, medium" has "$out" "MEDIUM  tcp/23 telnet? on 0.0.0.0 (all)"
check "telnet: guess said" has "$out" "Telnet remote terminal: cleartext credentials; service guessed from the port: no holder says what it is; bound to all interfaces; runs as root"
check "redis high" has "$out" "HIGH    tcp/6379 redis on 0.0.0.0 (all)"
check "redis reasons" has "$out" "Redis key-value store: often no auth by default; bound to all interfaces; runs as root"
check "root holder with command line" has "$out" "lsn-spec pid $root_pid user root: $2 tcp 0.0.0.0 23"
check "postgres medium as nobody" has "$out" "MEDIUM  tcp/5432 postgresql on 0.0.0.0 (all)"
check "nobody's holder" has "$out" "lsn-spec pid $nobody_pid user nobody:"
check "https: one finding for the pair" has "$out" "LOW     tcp/443 https? on 0.0.0.0 (all), [::] (all (v6 only))"
check "ranked high, medium, low" test "$(grep -o '^[A-Z]*' <<<"$out" | tr '\n' ' ')" = "HIGH MEDIUM MEDIUM LOW "
check "no loopback-only sockets" lacks "$out" ":5433"
check "no loopback v6" lacks "$out" "tcp/8080"
check "no udp 53 on loopback" lacks "$out" "udp/53"
check "totals" has "$out" "4 findings (high 1, medium 2, low 1, none 0), 0 allowed"
check "client left out" has "$out" "1 UDP socket on ephemeral ports left out: clients, not services"

# The allow-list decides what counts.
printf '# approved\ntcp/23 0.0.0.0 lsn-spec\ntcp/6379\n' >"$tmp/allow"
check "approved highs: exit 0" test "$(status --audit --allow "$tmp/allow")" = 0
check "marked allowed" has "$("$L" --audit --allow "$tmp/allow")" "HIGH    tcp/6379 redis on 0.0.0.0 (all)  [allowed by rule on line 3]"
check "allowed count" has "$("$L" --audit --allow "$tmp/allow")" "2 allowed"
check "--fail-on=medium: exit 3" test "$(status --audit --allow "$tmp/allow" --fail-on=medium)" = 3
printf 'tcp/23\ntcp/6379\ntcp/5432\ntcp/443 0.0.0.0\n' >"$tmp/allow2"
check "v6 twin unapproved: low fails" test "$(status --audit --allow "$tmp/allow2" --fail-on=low)" = 3
printf 'tcp/443 ::\n' >>"$tmp/allow2"
check "a rule per address" test "$(status --audit --allow "$tmp/allow2" --fail-on=low)" = 3
printf 'tcp/23\ntcp/6379\ntcp/5432\ntcp/443\n' >"$tmp/allow3"
check "everything approved" test "$(status --audit --allow "$tmp/allow3" --fail-on=low)" = 0
# Services and protocols by name: telnet and redis as /etc/services or listen's table name them.
printf 'tcp/telnet\ntcp/redis\ntcp/postgresql\ntcp/https\n' >"$tmp/allow-names"
check "rules by service name: everything approved" test \
	"$(status --audit --allow "$tmp/allow-names" --fail-on=low)" = 0
check "wrong process: not approved" test "$(printf 'tcp/23 * sshd\ntcp/6379\n' >"$tmp/allow4"; status --audit --allow "$tmp/allow4" --fail-on=medium)" = 3
# The metrics agree with the audit, allow-list included: unapproved findings at or above
# --fail-on are in listen_audit_findings{allowed="false"} exactly when --audit fails.
unapproved() { # LEVELS ARGS...: the unapproved findings at those levels in the metrics
	local levels=$1
	shift
	"$L" --format=prom "$@" 2>/dev/null | awk -v l="$levels" '
		/^listen_audit_findings\{/ && /allowed="false"/ {
			match($0, /risk="[a-z]+"/); r = substr($0, RSTART + 6, RLENGTH - 7)
			if (index(" " l " ", " " r " ")) n += $NF }
		END { print n + 0 }'
}
check "metrics: high unapproved as --audit fails" test "$(unapproved high)" -gt 0 -a \
	"$(status --audit)" = 3
check "metrics: the allow-list approves" test "$(unapproved "low medium high" --allow "$tmp/allow3")" = 0 -a \
	"$(status --audit --allow "$tmp/allow3" --fail-on=low)" = 0
check "metrics: a wrong process is not approved" test "$(unapproved "medium high" --allow "$tmp/allow4")" -gt 0
# Raw and packet sockets are findings of the bare audit, and counted by the bare metrics: a
# raw ICMP socket (low) and a packet socket of every protocol (medium), root's.
coproc RAWPKT {
	exec /usr/bin/python3 -c '
import socket, sys
r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
p = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
print("ready", flush=True)
sys.stdin.read()
'
}
helper_pids+=("$RAWPKT_PID") helper_fds+=("${RAWPKT[1]}")
read -r ready _ <&"${RAWPKT[0]}"
[ "$ready" = ready ] || { echo "raw/packet helper failed to start"; exit 1; }
# audit_unapproved LEVEL ARGS...: the unapproved findings of that risk in --audit --json.
audit_unapproved() {
	local level=$1
	shift
	"$L" --audit --json "$@" 2>/dev/null |
		jq --arg r "$level" '[.findings[] | select(.risk == $r and (.allowed | not))] | length'
}
check "metrics: the audit has the raw and packet findings" test "$("$L" --audit --json 2>/dev/null |
	jq '[.findings[] | select(.protocol == "raw" or .protocol == "packet")] | length')" = 2
for level in low medium high; do
	check "metrics with raw and packet sockets: $level as --audit's" test \
		"$(unapproved "$level")" = "$(audit_unapproved "$level")"
done
check "metrics: raw and packet in the series" test "$("$L" --format=prom 2>/dev/null |
	grep -c '^listen_\(raw\|packet\)_socket_info{.*risk="\(low\|medium\)",allowed="false"')" = 2
printf 'raw/icmp\npacket/all\n' >>"$tmp/allow3" # the protocol by its /etc/protocols name
check "metrics: raw and packet approved as --audit approves them" test \
	"$(unapproved "low medium high" --allow "$tmp/allow3")" = 0 -a \
	"$(status --audit --allow "$tmp/allow3" --fail-on=low)" = 0
sed -i '/^packet\/all$/d' "$tmp/allow3"
check "metrics: the packet socket unapproved fails at medium, as --audit" test \
	"$(unapproved "medium high" --allow "$tmp/allow3")" = 1 -a \
	"$(status --audit --allow "$tmp/allow3" --fail-on=medium)" = 3
kill "$RAWPKT_PID" 2>/dev/null
wait "$RAWPKT_PID" 2>/dev/null

# Bad allow-lists and options: one line, exit 2, nothing on stdout.
printf 'tcp/22\nssh/tcp\n' >"$tmp/bad"
check "bad line" usage_error "listen: $tmp/bad:2: expected tcp/PORT, udp/PORT, mptcp/PORT or sctp/PORT (PORT 1-65535 or a service's name), raw/PROTOCOL (1-255 or a name), packet/ETHERTYPE (all, ip, arp, 0x88cc...) or vsock/PORT, got 'ssh/tcp'" --audit --allow "$tmp/bad"
printf 'tcp/22\ntcp/twenty-two\n' >"$tmp/bad"
check "unknown service" usage_error "listen: $tmp/bad:2: tcp: no service named 'twenty-two' in the services file or listen's table" --audit --allow "$tmp/bad"
printf 'raw/icmp\nraw/nosuch * ping\n' >"$tmp/bad"
check "unknown protocol" usage_error "listen: $tmp/bad:2: raw: no IP protocol named 'nosuch' in /etc/protocols" --audit --allow "$tmp/bad"
# --services-file names the services the rules may name: the user's file, read as the user.
printf 'telnet 2323/tcp\n' >"$tmp/services"
printf 'tcp/telnet\n' >"$tmp/allow-telnet"
out=$("$L" --audit --services-file "$tmp/services" --allow "$tmp/allow-telnet" 2>&1 |
	grep -F "tcp/23 ")
check "a rule's service from --services-file (2323), not /etc/services' (23)" has "$out" \
	"tcp/23 telnet"
check "... so 23 is not approved" lacks "$out" "[allowed by rule"
check "... as it is by /etc/services' telnet" has "$("$L" --audit --allow "$tmp/allow-telnet" |
	grep -F "tcp/23 ")" "[allowed by rule on line 1]"
check "missing allow-list" usage_error "listen: $tmp/none: No such file or directory" --audit --allow "$tmp/none"
check "bad --fail-on" usage_error "--fail-on takes low, medium or high, not 'urgent'" --audit --fail-on=urgent
check "--allow without --audit" usage_error "--allow goes with --audit or --format=prom" --allow "$tmp/allow"
check "--fail-on without --audit" usage_error "--fail-on goes with --audit" --fail-on=low

# Unprivileged: every finding, root's holders hidden and said so; nobody's own shown. Hidden
# holders say nothing, so redis is the port's guess: medium at most, and no high finding.
out=$(asnobody "$L" --audit 2>"$tmp/err")
st=$?
check "nobody: exit 0" test "$st" = 0
check "nobody: all findings" has "$out" "4 findings (high 0, medium 3, low 1, none 0)"
check "nobody: redis a guess" has "$out" "MEDIUM  tcp/6379 redis? on 0.0.0.0 (all)"
check "nobody: hidden holder said" has "$out" "holder not readable: run as root to see it"
check "nobody: own holder" has "$out" "lsn-spec pid $nobody_pid user nobody:"
check "nobody: one notice" has "$(cat "$tmp/err")" "listen: owners of"

# A public address on the host: postgres on all interfaces is reachable from the Internet, so
# medium becomes high, and the reason names the address. (A veth pair of this namespace, with
# a documentation address.)
ip link add p0 type veth peer name p1 && ip link set p0 up && ip link set p1 up &&
	ip addr add 203.0.113.7/24 dev p0
out=$("$L" --audit)
check "public host: postgres high" has "$out" "HIGH    tcp/5432 postgresql on 0.0.0.0 (all)"
check "public host: the reason" has "$out" "PostgreSQL: database exposed to the network; bound to all interfaces, public 203.0.113.7 among them"
check "public host: https stays low" has "$out" "LOW     tcp/443 https? on 0.0.0.0 (all), [::] (all (v6 only))"
check "public host: a guess stays medium" has "$out" "MEDIUM  tcp/23 telnet? on 0.0.0.0 (all)"
check "public host: ranked" test "$(grep -o '^[A-Z]*' <<<"$out" | tr '\n' ' ')" = "HIGH HIGH MEDIUM LOW "
ip link del p0

# The same review as JSON, valid against the schema, with the same exit statuses.
if command -v jq >/dev/null && /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
	jqe() { jq -e "$@" >/dev/null; }
	schema=$3
	"$L" --audit --json >"$tmp/a.json"
	check "json: exit 3" test $? = 3
	check "json: schema" "$here/../formats/validate.py" "$schema" "$tmp/a.json"
	check "json: ranked" jqe '[.findings[].risk] == ["high", "medium", "medium", "low"]' "$tmp/a.json"
	check "json: telnet a guess" jqe '.findings[] | select(.port == 23) |
		.service.source == "port" and .service.program == null and
		([.reasons[].code] | index("port-guess") != null)' "$tmp/a.json"
	check "json: redis" jqe '.findings[] | select(.port == 6379) | .service.name == "redis" and
		.service.source == "program" and .service.program == "redis-server" and
		.service.identified_by == "exe" and
		([.reasons[].code] == ["risk-note", "all-interfaces", "root"]) and
		.endpoints == [{"family": "ipv4", "address": "0.0.0.0", "scope": "all",
		"scope_interface": null, "netns": null}]' "$tmp/a.json"
	check "json: holder" jqe ".findings[] | select(.port == 23) | .processes[0] |
		.pid == $root_pid and .user == \"root\" and .name == \"lsn-spec\" and
		(.cmdline | startswith(\"$2 tcp 0.0.0.0 23\")) and .exe != null" "$tmp/a.json"
	check "json: https pair is one finding" jqe '[.findings[] | select(.port == 443)] |
		length == 1 and .[0].sockets == 2 and (.[0].endpoints | length) == 2' "$tmp/a.json"
	check "json: summary" jqe '.summary == {"findings": 4, "high": 1, "medium": 2, "low": 1,
		"none": 0, "allowed": 0, "clients_left_out": 1, "filtered_left_out": 0, "fail_on": "high",
		"failed": true, "complete": true, "unidentified": 0, "firewall_read": true}' \
		"$tmp/a.json"
	"$L" --audit --json --allow "$tmp/allow3" --fail-on=low >"$tmp/a.json"
	check "json allowed: exit 0" test $? = 0
	check "json allowed: lines" jqe '[.findings[].allowed_by_line] == [2, 1, 3, 4] and
		.summary.allowed == 4 and .summary.failed == false' "$tmp/a.json"
	asnobody "$L" --audit --json >"$tmp/a.json" 2>/dev/null
	check "json nobody: hidden holders" jqe '.findings[] | select(.port == 23) |
		.processes == [] and .processes_hidden' "$tmp/a.json"
	check "json nobody: schema" "$here/../formats/validate.py" "$schema" "$tmp/a.json"
else
	skip "jq or python3-jsonschema missing: the JSON review is not checked"
fi

# Notes per transport: UDP amplification is said of the UDP sockets of echo, chargen and DNS,
# never of their TCP listeners. (The helper is no DNS server: port 53 is an unexpected program.)
start amp "$2" tcp,0.0.0.0,7 udp,0.0.0.0,7 tcp,0.0.0.0,19 udp,0.0.0.0,19 tcp,0.0.0.0,53 \
	udp,0.0.0.0,53
out=$("$L" --audit)
reasons() { grep -A1 -F -- "$1 on 0.0.0.0 (all)" <<<"$out" | tail -n +2; }
guess="service guessed from the port: no holder says what it is"
check "tcp/7: no amplification" test "$(reasons "LOW     tcp/7 echo?")" = \
	"        Echo: $guess; bound to all interfaces; runs as root"
check "udp/7: amplification" test "$(reasons "LOW     udp/7 echo?")" = \
	"        Echo: UDP amplification; $guess; bound to all interfaces; runs as root"
check "tcp/19: low, no amplification" test "$(reasons "LOW     tcp/19 chargen?")" = \
	"        Character generator: $guess; bound to all interfaces; runs as root"
check "udp/19: medium as root, a guess" test "$(reasons "MEDIUM  udp/19 chargen?")" = \
	"        Character generator: UDP amplification; $guess; bound to all interfaces; runs as root"
check "tcp/53: no amplification" lacks "$(reasons "MEDIUM  tcp/53 dns?")" "amplification"
check "tcp/53: described as TCP" has "$(reasons "MEDIUM  tcp/53 dns?")" \
	"Domain Name System over TCP (large answers, zone transfers): port 53 held by a program listen does not know, not a DNS server"
check "udp/53: amplification" has "$(reasons "MEDIUM  udp/53 dns?")" \
	"open recursion enables UDP amplification"
check "udp/53: not described as TCP" lacks "$(reasons "MEDIUM  udp/53 dns?")" "TCP"
out=$("$L" -tulnp)
check "table: tcp/7 shown" has "$(grep '^tcp .*:7 ' <<<"$out")" "echo"
check "table: no warning on tcp/7" lacks "$(grep '^tcp .*:7 ' <<<"$out")" "!"
check "table: warning on udp/7" has "$(grep '^udp .*:7 ' <<<"$out")" "! echo?: UDP amplification"

# Output errors with more findings than a pipe holds: 300 more listeners on all interfaces, each
# a finding that shows its holder's long command line. A reader that goes away ends the review
# quietly, with the exit status of the verdict (0 here, where the allow-list approves every
# high finding; 3 without it); a full disk is one line naming it, and exit 1.
args=()
for port in $(seq 30001 30300); do args+=("tcp,0.0.0.0,$port"); done
start many "$2" "${args[@]}"
printf 'tcp/23\ntcp/6379\nudp/19\n' >"$tmp/allow-highs" # (23 and 19 are medium now)
check "more than a pipe holds" test "$("$L" --audit --allow "$tmp/allow-highs" | wc -c)" -gt 1000000
check "more than a pipe holds: json" test \
	"$("$L" --audit --json --allow "$tmp/allow-highs" | wc -c)" -gt 1000000
# early_reader STATUS ARGS...: listen ARGS | head -1 exits STATUS and says nothing.
early_reader() {
	local want=$1 status
	shift
	"$L" "$@" 2>"$tmp/err" | head -1 >/dev/null
	status=${PIPESTATUS[0]}
	[ "$status" = "$want" ] && [ ! -s "$tmp/err" ] && return 0
	echo "    status $status, stderr '$(cat "$tmp/err")'"
	return 1
}
check "head -1: exit 0, quiet" early_reader 0 --audit --allow "$tmp/allow-highs"
check "head -1: high findings, exit 3, quiet" early_reader 3 --audit
check "head -1: json, exit 0, quiet" early_reader 0 --audit --json --allow "$tmp/allow-highs"
check "head -1: json, high findings, exit 3, quiet" early_reader 3 --audit --json
# full ARGS...: listen ARGS >/dev/full exits 1 with one line saying the disk is full.
full() {
	local status
	"$L" "$@" >/dev/full 2>"$tmp/err"
	status=$?
	[ "$status" = 1 ] && [ "$(wc -l <"$tmp/err")" = 1 ] &&
		grep -qF "No space left on device" "$tmp/err" && return 0
	echo "    status $status, stderr '$(cat "$tmp/err")'"
	return 1
}
check "/dev/full: --audit" full --audit
check "/dev/full: --audit --json" full --audit --json
check "/dev/full: --audit, approved" full --audit --allow "$tmp/allow-highs"
finish
