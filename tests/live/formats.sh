#!/bin/bash
# Live test of the machine formats in a private network namespace: JSON against ss's own view
# of the same sockets, hostile process data, what nobody sees, Prometheus metrics scraped
# through node_exporter's textfile collector, and output errors.
# Usage: formats.sh LISTEN SOCKHELPER SCHEMA_DIR (the directory of listen.schema.json and
# examples/)
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
live_enter "$0" unshare ip setpriv ss jq promtool curl prometheus-node-exporter /usr/bin/python3 -- "$@"
here=$(dirname "$0")
doc=$3
ip link set lo up || exit 1
setup "$1"
valid() { "$here/../formats/validate.py" "$doc/listen.schema.json" "$@"; }
jqe() { jq -e "$@" >/dev/null; }

coproc HELPER { exec "$2"; }
helper_pids+=("$HELPER_PID") helper_fds+=("${HELPER[1]}")
read -r ready _ <&"${HELPER[0]}"
[ "$ready" = ready ] || { echo "socket helper failed to start"; exit 1; }

# JSON against ss: the same sockets (by inode) with the same holders (pid, fd).
"$L" --json -tuanpe >"$tmp/all.json"
check "exit 0" test $? = 0
check "schema" valid "$tmp/all.json"
want=$(ss -Htuanpe | grep -o 'ino:[0-9]*' | cut -d: -f2 | sort -n)
got=$(jq -r '.[].inode' "$tmp/all.json" | sort -n)
check "same sockets as ss" same_lines "$want" "$got"
want=$(ss -Htuanpe | sed -n 's/.*users:(\(.*\)) .*ino:\([0-9]*\).*/\2 \1/p' |
	while read -r ino users; do
		grep -o 'pid=[0-9]*,fd=[0-9]*' <<<"$users" | sed "s/pid=\([0-9]*\),fd=\([0-9]*\)/$ino \1 \2/"
	done | sort)
got=$(jq -r '.[] | .inode as $i | .processes[]? | "\($i) \(.pid) \(.fd)"' "$tmp/all.json" | sort)
check "same holders as ss" same_lines "$want" "$got"
check "ss found holders" test -n "$want"
check "listeners: no peer" jqe 'all(.[] | select(.state == "LISTEN"); .peer == null)' "$tmp/all.json"
check "established: a peer" jqe 'any(.[]; .state == "ESTAB" and .peer.port > 0)' "$tmp/all.json"
check "v6only only on IPv6" jqe 'all(.[] | select(.family == "ipv4"); .v6only == null)' "$tmp/all.json"
"$L" --json=lines -tuanpe >"$tmp/all.jsonl"
check "JSON Lines schema" valid --lines "$tmp/all.jsonl"
check "JSON Lines: same count" test "$(wc -l <"$tmp/all.jsonl")" = "$(jq length "$tmp/all.json")"

# Then a holder with a hostile name (ss prints its newline raw, so it comes after the
# comparison) and command line: terminal escapes, a newline, bytes that are
# not UTF-8, and 1.2 MiB of arguments (ten of 120 KiB: one may not pass 128 KiB).
big=$(head -c 122880 /dev/zero | tr '\0' x)
coproc HOSTILE {
	exec /usr/bin/python3 -c '
import socket, sys
open("/proc/self/comm", "wb").write(b"ev\x1b[2J\n)x \xff")
s = socket.socket()
s.bind(("127.0.0.1", 7070))
s.listen()
print("ready", flush=True)
sys.stdin.read()
' $'\e]0;pwned\a' $'tab\there' $'\xff\xfe' "$big" "$big" "$big" "$big" "$big" "$big" "$big" \
		"$big" "$big" "$big"
}
hostile_pid=$HOSTILE_PID
helper_pids+=("$hostile_pid") helper_fds+=("${HOSTILE[1]}")
read -r ready _ <&"${HOSTILE[0]}"
[ "$ready" = ready ] || { echo "hostile helper failed to start"; exit 1; }

# The hostile holder: whole and decodable in JSON, one escaped line in the table.
"$L" --json -tuanpe >"$tmp/all.json"
check "hostile: schema" valid "$tmp/all.json"
sel=".[] | select(.local.port == 7070) | .processes[0]"
check "hostile pid" jqe "$sel | .pid == $hostile_pid" "$tmp/all.json"
check "hostile name" jqe "$sel | .name == \"ev\\u001b[2J\\n)x \\ufffd\"" "$tmp/all.json"
check "hostile cmdline whole" jqe "$sel | (.cmdline | length) > 1228800" "$tmp/all.json"
check "hostile cmdline escapes" jqe "$sel | .cmdline | contains(\"\\u001b]0;pwned\\u0007 tab\\there \\ufffd\\ufffd x\")" "$tmp/all.json"
check "hostile exe" jqe "$sel | .exe | startswith(\"/usr/bin/python3\")" "$tmp/all.json"
check "hostile user" jqe "$sel | .user == \"root\" and .uid == 0" "$tmp/all.json"
row=$("$L" -tlnpH sport = :7070 2>/dev/null || "$L" -tlnpH | grep ':7070 ')
check "table: one line" test "$(grep -c . <<<"$row")" = 1
check "table: escaped" has "$row" '"ev\x1b[2J\n)x \xff"'
check "table: no raw escape" lacks "$row" $'\e'

# Unprivileged: every socket, nobody's own holders, null for the hidden ones, one notice.
RUNAS=asnobody
asnobody "$L" --json -tlnp >"$tmp/nobody.json" 2>"$tmp/nobody.err"
check "nobody: exit 0" test $? = 0
check "nobody: schema" valid "$tmp/nobody.json"
check "nobody: all listeners" test "$(jq length "$tmp/nobody.json")" = "$("$L" --json -tln | jq length)"
check "nobody: root's holders hidden" jqe 'any(.[]; .processes == null)' "$tmp/nobody.json"
check "nobody: own holder shown" jqe 'any(.[]; .processes != null and (.processes | length) > 0 and .processes[0].user == "nobody" and .processes[0].exe != null)' "$tmp/nobody.json"
check "nobody: one notice" test "$(grep -c 'hidden' "$tmp/nobody.err")" = 1
unset RUNAS

# Prometheus: valid, and scraped through node_exporter's textfile collector with the command
# of the shipped systemd unit.
"$L" --format=prom -p >"$tmp/listen.prom"
check "promtool" promtool check metrics <"$tmp/listen.prom"
prom=$(cat "$tmp/listen.prom")
check "prom: hostile holder's series" has "$prom" 'listen_socket_info{netns="",protocol="tcp",family="ipv4",address="127.0.0.1",port="7070",interface="",scope="loopback",service="",service_source="program",service_risk="",program="python3",port_guess="",risk="",allowed="",processes="ev�[2J\n)x �"} 1'
check "prom: gauges" has "$prom" 'listen_listeners{netns="",protocol="tcp",scope="all"}'
check "prom: netns said in HELP" has "$prom" 'empty without them: the namespace listen runs in'

# A client's port (an unconnected UDP socket the kernel gave an ephemeral port, as a resolver
# has) is left out of the metrics as the audit leaves it out; a UDP service is not.
coproc CLIENT {
	exec /usr/bin/python3 -c '
import socket, sys
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
c.bind(("0.0.0.0", 0))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 1900))
print("ready", c.getsockname()[1], flush=True)
sys.stdin.read()
'
}
helper_pids+=("$CLIENT_PID") helper_fds+=("${CLIENT[1]}")
read -r ready client_port <&"${CLIENT[0]}"
[ "$ready" = ready ] || { echo "client helper failed to start"; exit 1; }
check "client: ss sees it" has "$(ss -Hnuln)" ":$client_port "
check "client: listen -ul shows it" has "$("$L" -Hnuln)" ":$client_port "
"$L" --format=prom >"$tmp/client.prom"
check "client: promtool" promtool check metrics <"$tmp/client.prom"
check "client: not in the metrics" lacks "$(cat "$tmp/client.prom")" "port=\"$client_port\""
check "client: the service is" has "$(cat "$tmp/client.prom")" 'protocol="udp",family="ipv4",address="0.0.0.0",port="1900"'
udp_all() { sed -n 's/^listen_listeners{netns="",protocol="udp",scope="all"} //p'; }
want=$(($(udp_all <<<"$prom") + 1)) # the service, not the client
check "client: not in the totals" test "$(udp_all <"$tmp/client.prom")" = "$want"
"$L" --audit --json >"$tmp/client.json" 2>/dev/null
check "client: the audit leaves it out too" jqe '.summary.clients_left_out == 1' "$tmp/client.json"
risk=$(sed -n 's/^listen_socket_info{.*protocol="udp",family="ipv4",address="0.0.0.0",port="1900",.*,risk="\([a-z]*\)".*/\1/p' "$tmp/client.prom")
check "client: the service's risk is the audit's" test -n "$risk" -a "$risk" = "$(jq -r '.findings[] | select(.port == 1900) | .risk' "$tmp/client.json")"

# Unix, raw and packet sockets in the metrics: a world-writable unix listener whose path holds
# control characters and an abstract one (series with -x only), a raw ICMP socket, a packet
# socket made promiscuous on lo. Bare, their findings are counted as --audit counts them, and
# the raw and packet sockets have series; with -xw0, no TCP or UDP totals (not looked at).
coproc FAMILIES {
	exec /usr/bin/python3 -c '
import os, socket, struct, sys
d = sys.argv[1]
path = os.path.join(d, "fmt\x1b[1m\nsock")
u = socket.socket(socket.AF_UNIX); u.bind(path); os.chmod(path, 0o666); u.listen()
a = socket.socket(socket.AF_UNIX); a.bind(b"\0listen-fmt-\xff"); a.listen()
r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
p = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0806))
p.bind(("lo", 0x0806))
mreq = struct.pack("iHH8s", socket.if_nametoindex("lo"), 1, 0, b"")  # PACKET_MR_PROMISC
p.setsockopt(263, 1, mreq)  # SOL_PACKET, PACKET_ADD_MEMBERSHIP
print("ready", flush=True)
sys.stdin.read()
' "$tmp"
}
helper_pids+=("$FAMILIES_PID") helper_fds+=("${FAMILIES[1]}")
read -r ready _ <&"${FAMILIES[0]}"
[ "$ready" = ready ] || { echo "families helper failed to start"; exit 1; }
# agree PROM AUDIT_JSON: the metrics' findings by risk and allowed are the audit's.
agree() {
	/usr/bin/python3 - "$1" "$2" <<'PY'
import collections, json, re, sys
got = collections.Counter()
for line in open(sys.argv[1]):
    m = re.match(r'listen_audit_findings\{netns="",risk="(\w+)",allowed="(\w+)"\} (\d+)$', line)
    if m:
        got[(m[1], m[2])] += int(m[3])
audit = json.load(open(sys.argv[2]))
want = collections.Counter((f["risk"], "true" if f["allowed"] else "false")
                           for f in audit["findings"])
got = +got
if got != want or not want:
    sys.exit(f"    metrics {dict(got)}, audit {dict(want)}")
PY
}
"$L" --format=prom >"$tmp/fam.prom" 2>"$tmp/fam.err"
check "families: exit 0" test $? = 0
check "families: promtool" promtool check metrics <"$tmp/fam.prom"
fam=$(cat "$tmp/fam.prom")
check "families: raw series" has "$fam" 'listen_raw_socket_info{netns="",family="ipv4",ip_protocol="1",address="0.0.0.0",interface="",scope="all",risk="low",allowed="false",processes="python3"} 1'
check "families: packet series" has "$fam" 'listen_packet_socket_info{netns="",type="raw",ethertype="2054",ethertype_name="arp",sniffs="lo",promisc="true",'
check "families: no unix series without -x" lacks "$fam" 'listen_unix_socket_info'
"$L" --audit --json >"$tmp/fam.json" 2>/dev/null
audit_status=$?
check "families: the audit has unix, raw and packet findings" jqe \
	'([.findings[].protocol] | (index("unix") and index("raw") and index("packet"))) != null' \
	"$tmp/fam.json"
check "families: findings as --audit's" agree "$tmp/fam.prom" "$tmp/fam.json"
high=$(sed -n 's/^listen_audit_findings{netns="",risk="high",allowed="false"} //p' "$tmp/fam.prom")
check "families: --audit fails exactly when the metrics say" test \
	"$([ "$high" -gt 0 ] && echo 3 || echo 0)" = "$audit_status"
"$L" --format=prom -xw0p >"$tmp/xw0.prom" 2>/dev/null
check "-xw0: promtool" promtool check metrics <"$tmp/xw0.prom"
xw0=$(cat "$tmp/xw0.prom")
check "-xw0: the unix path escaped" has "$xw0" "listen_unix_socket_info{netns=\"\",type=\"stream\",path=\"$tmp/fmt�[1m\\nsock\",abstract=\"\",unix_access_scope=\"world\",service=\"\",service_risk=\"\",risk=\"medium\",allowed=\"false\",processes=\"python3\"} 1"
check "-xw0: the abstract name" has "$xw0" 'abstract="listen-fmt-�",unix_access_scope="abstract",'
check "-xw0: no TCP or UDP totals" lacks "$xw0" 'listen_listeners'
check "-xw0: no TCP or UDP series" lacks "$xw0" 'listen_socket_info'
"$L" --audit --json -xw0 >"$tmp/xw0.json" 2>/dev/null
check "-xw0: findings as --audit -xw0's" agree "$tmp/xw0.prom" "$tmp/xw0.json"
# As nobody: the same sockets, the holders hidden, findings still agreeing with nobody's audit.
asnobody "$L" --format=prom -xw0 >"$tmp/nb.prom" 2>"$tmp/nb.err"
check "nobody -xw0: exit 0" test $? = 0
check "nobody -xw0: promtool" promtool check metrics <"$tmp/nb.prom"
check "nobody -xw0: the packet socket" has "$(cat "$tmp/nb.prom")" 'listen_packet_socket_info{netns="",type="raw",ethertype="2054"'
check "nobody -xw0: the raw socket" has "$(cat "$tmp/nb.prom")" 'listen_raw_socket_info{netns="",family="ipv4",ip_protocol="1"'
check "nobody -xw0: the unix listener" has "$(cat "$tmp/nb.prom")" "listen_unix_socket_info{netns=\"\",type=\"stream\",path=\"$tmp/fmt"
asnobody "$L" --audit --json -xw0 >"$tmp/nb.json" 2>/dev/null
check "nobody -xw0: findings as nobody's audit" agree "$tmp/nb.prom" "$tmp/nb.json"
kill "$FAMILIES_PID" 2>/dev/null
wait "$FAMILIES_PID" 2>/dev/null

mkdir "$tmp/textfile"
port=19100
prometheus-node-exporter --web.listen-address=127.0.0.1:$port --collector.disable-defaults \
	--collector.textfile --collector.textfile.directory="$tmp/textfile" >"$tmp/ne.log" 2>&1 &
helper_pids+=("$!")
for _ in $(seq 50); do
	curl -sf -m 5 "http://127.0.0.1:$port/metrics" >/dev/null && break
	sleep 0.1
done
unit=$doc/examples/listen-textfile.service
# The unit writes its runtime directory as a dynamic user, then (ExecStartPost=+, as root)
# installs the file into the textfile directory; live-sandbox proves its sandbox, this the
# path from its command to a scrape.
cmd=$(sed -n "s/^ExecStart=\/bin\/sh -c '\(.*\)'$/\1/p" "$unit")
post=$(sed -n "s/^ExecStartPost=+\/bin\/sh -c '\(.*\)'$/\1/p" "$unit")
check "unit's commands found" test -n "$cmd" -a -n "$post"
mkdir "$tmp/run"
for v in cmd post; do
	c=${!v//\/run\/listen-textfile/$tmp\/run}
	printf -v "$v" '%s' "${c//\/var\/lib\/prometheus\/node-exporter/$tmp\/textfile}"
done
# The command runs as the unit runs it: not root, with the unit's capabilities only (the
# README's setcap pair and CAP_NET_ADMIN for the firewall), and still names root's holders
# (node_exporter's, below).
caps=$(sed -n 's/^AmbientCapabilities=//p' "$unit")
check "unit: the README's capabilities" test "$caps" = "CAP_DAC_READ_SEARCH CAP_SYS_PTRACE CAP_NET_ADMIN"
check "unit: bounded by them" test "$(sed -n 's/^CapabilityBoundingSet=//p' "$unit")" = "$caps"
caps=$(tr 'A-Z ' 'a-z\n' <<<"$caps" | sed 's/^cap_/+/' | paste -sd,)
chown nobody "$tmp/run"
PATH=$tmp:$PATH setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps="$caps" \
	--ambient-caps="$caps" -- sh -c "$cmd"
sh -c "$post"
check "unit's commands wrote listen.prom" test -s "$tmp/textfile/listen.prom"
check "no temporary left" test ! -e "$tmp/textfile/listen.prom.tmp"
metrics=$(curl -sf -m 5 "http://127.0.0.1:$port/metrics")
check "node_exporter scraped" has "$metrics" 'listen_socket_info{'
check "node_exporter: no textfile error" has "$metrics" 'node_textfile_scrape_error 0'
# Debian's node_exporter (/usr/bin/prometheus-node-exporter) identified by its executable.
# (node_exporter sorts the labels, and gives every series the labels any has: reach="".)
own=$(grep "^listen_socket_info{.*port=\"$port\"" <<<"$metrics")
check "node_exporter: its own listener" has "$own" "port=\"$port\",port_guess=\"\",processes=\"prometheus-node\",program=\"node_exporter\",protocol=\"tcp\","
check "node_exporter: its own listener's service" has "$own" "risk=\"\",scope=\"loopback\",service=\"node-exporter\",service_risk=\"low\",service_source=\"program\"}"
check "node_exporter: gauges" has "$metrics" 'listen_exposed_listeners{netns="",risk="high"}'
check "node_exporter: findings" has "$metrics" 'listen_audit_findings{allowed="false",netns="",risk="high"}'

# Bad usage: one line, exit 2, nothing printed.
check "--format=xml" usage_error "--format takes table, json, json-lines or prom, not 'xml'" --format=xml
check "--json=yaml" usage_error "--json takes lines or array, not 'yaml'" --json=yaml
check "--format without value" usage_error "option '--format' needs an argument" --format
check "--audit --format=prom" usage_error "--audit prints a review or, with --json, one JSON document" --audit --format=prom
check "--audit --json=lines" usage_error "--audit prints a review" --audit --json=lines
check "-x --format=prom with a port" usage_error "unix sockets have no ports" -x --format=prom :22

# Output errors: a full disk is an error with a message; a reader that leaves is not.
"$L" --json -tuanp >/dev/full 2>"$tmp/err"
check "/dev/full: exit 1" test $? = 1
check "/dev/full: message" has "$(cat "$tmp/err")" "listen: write error: No space left on device"
"$L" --format=prom -tuanp >/dev/full 2>/dev/null
check "prom /dev/full: exit 1" test $? = 1
set -o pipefail
"$L" --json -tuanp 2>"$tmp/err" | head -c 10 >/dev/null
status=$?
set +o pipefail
check "closed pipe: quiet" test ! -s "$tmp/err"
check "closed pipe: no failure" test "$status" = 0 -o "$status" = 141

# Both owner sources give the same documents (the BPF iterator where it runs).
for flags in "--json -tuanpe" "--json=lines -tulnp" "--format=prom -p"; do
	# shellcheck disable=SC2086 # flags are words
	check "owner sources agree: $flags" same_owners $flags
done

finish
