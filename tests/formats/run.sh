#!/bin/bash
# Machine output on the fixtures: every JSON document listen prints validates against the
# committed schema and parses with jq; JSON Lines line by line; Prometheus output passes
# promtool. Usage: run.sh LISTEN DATA_DIR SCHEMA
set -u
listen=$1 data=$2 schema=$3
here=$(dirname "$0")
for tool in jq promtool /usr/bin/python3; do
	if ! command -v "$tool" >/dev/null; then
		echo "SKIP: $tool is missing"
		[ -n "${LISTEN_TESTS_STRICT:-}" ] && exit 1
		exit 77
	fi
done
if ! /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
	echo "SKIP: python3-jsonschema is missing"
	[ -n "${LISTEN_TESTS_STRICT:-}" ] && exit 1
	exit 77
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=../check.sh
. "$here/../check.sh"

# run CAPTURE ARGS...: listen on a capture and the fixture /proc tree, stdout to $tmp/out.
run() {
	local capture=$1
	shift
	"$listen" --replay-netlink "$data/$capture" --proc-root "$data/proc" \
		--services-file "$data/services" --nmap-services-file "$data/nmap-services" \
		--cgroup-root "$data/no-cgroup2" "$@" >"$tmp/out" 2>"$tmp/err"
}

valid() { "$here/validate.py" "$schema" "$@"; }
jqe() { jq -e "$@" >/dev/null; }
invalid() { ! valid "$@" >/dev/null; }

for capture in sockets.nl scope.nl; do
	for flags in "-tuanpe" "-tuln" "-tuap --no-services" "-tln -4" "-uan6 -e --no-scope"; do
		# shellcheck disable=SC2086 # flags are words
		run "$capture" --json $flags
		check "$capture --json $flags: exit 0" test $? = 0
		check "$capture --json $flags: schema" valid "$tmp/out"
		check "$capture --json $flags: jq" jqe 'type == "array"' "$tmp/out"
		# shellcheck disable=SC2086
		run "$capture" --json=lines $flags
		check "$capture --json=lines $flags: schema" valid --lines "$tmp/out"
		check "$capture --json=lines $flags: one object a line" \
			test "$(jq -c . "$tmp/out" | wc -l)" = "$(wc -l <"$tmp/out")"
		# shellcheck disable=SC2086
		run "$capture" --format=prom $flags
		check "$capture --format=prom $flags: promtool" promtool check metrics <"$tmp/out"
	done
	run "$capture" --audit --json --allow "$data/allow"
	check "$capture --audit --json: schema" valid "$tmp/out"
	check "$capture --audit --json: summary" jqe '.summary.findings == (.findings | length)' \
		"$tmp/out"
done

# Raw and packet sockets (rawpkt.nl): every flag set validates, the audit too, and each
# packet socket says what it sniffs.
for flags in "-w0a" "-w0anp" "-0e" "-wl"; do
	# shellcheck disable=SC2086 # flags are words
	run rawpkt.nl --proc-root "$data/proc-rawpkt" --json $flags
	check "rawpkt.nl --json $flags: schema" valid "$tmp/out"
	# shellcheck disable=SC2086
	run rawpkt.nl --proc-root "$data/proc-rawpkt" --json=lines $flags
	check "rawpkt.nl --json=lines $flags: schema" valid --lines "$tmp/out"
done
run rawpkt.nl --proc-root "$data/proc-rawpkt" --audit --json
check "rawpkt.nl --audit --json: schema" valid "$tmp/out"
run rawpkt.nl -0a --json
check "packet: protocol, family, sniffs" jqe 'all(.[]; .protocol == "packet" and
	.family == "packet" and .local == null and (.packet.sniffs | IN("all", "rawpkt-a")))' \
	"$tmp/out"
run rawpkt.nl -wa --json
check "raw: the protocol in the port" jqe 'all(.[]; .protocol == "raw" and
	.local.port == .ip_protocol.number)' "$tmp/out"

# ss's views (views.nl, with tcp_info and skmeminfo): -i's and -m's fields validate, null
# when not asked; -s's summaries (from proc-views/) too.
for flags in "-tuaim" "-tnoim" "-uanm" "-tlni" "-tn"; do
	# shellcheck disable=SC2086 # flags are words
	run views.nl --json $flags
	check "views.nl --json $flags: schema" valid "$tmp/out"
	# shellcheck disable=SC2086
	run views.nl --json=lines $flags
	check "views.nl --json=lines $flags: schema" valid --lines "$tmp/out"
done
run views.nl --json -tn
check "views: no tcp_info or skmem unasked" jqe 'all(.[]; has("tcp_info") or has("skmem") | not)' \
	"$tmp/out"
run views.nl --json -tnim
check "views: tcp_info and skmem asked" jqe 'all(.[]; .tcp_info.rtt_ms > 0 and .skmem.rcvbuf > 0)' \
	"$tmp/out"
run views.nl --proc-root "$data/proc-views" -s --json
check "-s --json: schema" valid "$tmp/out"
check "-s --json: ss's counts" jqe '.[0].transport.inet.total == 9 and .[0].tcp.established == 4' \
	"$tmp/out"
run views.nl --proc-root "$data/proc-views" -s --json=lines
check "-s --json=lines: schema" valid --lines "$tmp/out"

# Unix sockets (unix.nl): every flag set validates, hostile abstract names stay valid JSON and
# decode as the schema says, and the rows are the table's.
for flags in "-xa" "-xap" "-xl" "-xape" "-xan src @unix-test-*"; do
	# shellcheck disable=SC2086 # flags are words
	run unix.nl --proc-root "$data/proc-unix" --json $flags
	check "unix.nl --json $flags: schema" valid "$tmp/out"
	# shellcheck disable=SC2086
	run unix.nl --proc-root "$data/proc-unix" --json=lines $flags
	check "unix.nl --json=lines $flags: schema" valid --lines "$tmp/out"
done
run unix.nl -xaH
rows=$(wc -l <"$tmp/out")
run unix.nl -xa --json
check "unix: as many objects as rows" test "$(jq length "$tmp/out")" = "$rows"
check "unix: protocol, family, type" jqe 'all(.[]; .protocol == "unix" and .family == "unix"
	and (.type | IN("stream", "dgram", "seqpacket")) and .local == null and .scope == null)' \
	"$tmp/out"
check "unix: hostile abstract name decodes" jqe 'any(.[]; .abstract ==
	"unix-evil\u0000\u001b[31m\nred\ufffd")' "$tmp/out"
check "unix: a path has its file" jqe '[.[] | select(.path != null and .state == "LISTEN")] |
	length > 0 and all(.[]; .file.inode > 0 and (.file.device | test("^[0-9]+:[0-9]+$")))' \
	"$tmp/out"
# Three socketpairs and an accepted connection: eight sockets each other's peer.
check "unix: pairs are each other's peers" jqe '[.[] | select(.peer_inode != null)] as $p |
	[$p[] | .inode as $i | .peer_inode as $q | select(any($p[]; .inode == $q and
	.peer_inode == $i))] | length == 8' "$tmp/out"
run sockets.nl -tuan --json
check "tcp and udp: unix fields null" jqe 'all(.[]; .type == null and .path == null and
	.abstract == null and .peer_inode == null and .file == null)' "$tmp/out"

# The same sockets in every format: as many JSON objects as table rows.
run sockets.nl -tuanH
rows=$(wc -l <"$tmp/out")
run sockets.nl -tuan --json
check "as many objects as rows" test "$(jq length "$tmp/out")" = "$rows"
run sockets.nl -tuan --format=json-lines
check "--format=json-lines" test "$(wc -l <"$tmp/out")" = "$rows"

# Every document says which schema it follows: each socket object (so jq '.[]' and each JSON
# Lines line keep working) and the audit's review.
version=$(jq -r '.["$defs"].schema_version.const' "$schema")
check "schema has a version" test -n "$version" -a "$version" != null
check "schema's \$id names its major version" jqe --arg v "$version" \
	'."$id" == "urn:listen:schema:" + ($v | split(".")[0])' "$schema"
run sockets.nl -tuanp --json
check "every socket: schema_version" jqe --arg v "$version" 'all(.[]; .schema_version == $v)' \
	"$tmp/out"
run sockets.nl -tuanp --json=lines
check "every line: schema_version" jqe --arg v "$version" '.schema_version == $v' "$tmp/out"
run sockets.nl --audit --json
check "audit: schema_version" jqe --arg v "$version" '.schema_version == $v' "$tmp/out"

# Times twice: started_at is started as RFC 3339 in UTC.
run sockets.nl -tuanp --json
check "started_at is started" jqe '[.[].processes[]?] | length > 0 and
	all(.[]; (.started == null and .started_at == null) or (.started | todate) == .started_at)' \
	"$tmp/out"

# The metrics carry the audit's risk: every listener of a finding has the finding's risk, and
# the findings' totals are the audit's summary.
for capture in sockets.nl scope.nl; do
	run "$capture" --audit --json
	jq -r '.findings[] | .risk as $r | .protocol as $p | .endpoints[] |
		"\($p) \(.address) \($r)"' "$tmp/out" | sort -u >"$tmp/audit-risk"
	jq -r '.summary | "none \(.none)", "low \(.low)", "medium \(.medium)", "high \(.high)"' \
		"$tmp/out" >"$tmp/audit-totals"
	run "$capture" --format=prom
	grep '^listen_socket_info{.*,risk="[a-z]' "$tmp/out" |
		sed -E 's/.*protocol="([a-z]+)".*address="([^"]*)".*,risk="([a-z]+)".*/\1 \2 \3/' |
		sort -u >"$tmp/prom-risk"
	check "$capture: findings to compare" test -s "$tmp/audit-risk"
	check "$capture: metrics' risk is the audit's" diff "$tmp/audit-risk" "$tmp/prom-risk"
	for risk in none low medium high; do
		awk -v r="risk=\"$risk\"" 'index($0, "listen_audit_findings{") == 1 &&
			index($0, r) { n += $NF } END { print r, n + 0 }' "$tmp/out"
	done | sed 's/risk="\([a-z]*\)"/\1/' >"$tmp/prom-totals"
	check "$capture: metrics' findings are the audit's" diff "$tmp/audit-totals" "$tmp/prom-totals"
done

# The allow-list: the findings the metrics count as allowed are those --audit approves.
run sockets.nl --audit --json --allow "$data/allow"
want=$(jq .summary.allowed "$tmp/out")
run sockets.nl --format=prom --allow "$data/allow"
got=$(awk 'index($0, "listen_audit_findings{") == 1 && /allowed="true"/ { n += $NF }
	END { print n + 0 }' "$tmp/out")
check "allowed findings: $want" test "$got" = "$want" -a "$want" -gt 0

# Hostile process data stays valid JSON and is given whole, decoded as the schema says.
run sockets.nl -tuanp --json
check "hostile name decodes" jqe '[.[].processes[]? | select(.pid == 999002)][0].name ==
	"evil\u001b[31m\nred"' "$tmp/out"
check "hostile cmdline decodes" jqe '[.[].processes[]? | select(.pid == 999002)][0].cmdline ==
	"\u001b]0;pwned\u0007 --tab\there line\nbreak \ufffd\ufffd caf\ufffd \u202e"' \
	"$tmp/out"
check "no raw control bytes" test "$(tr -d '\n' <"$tmp/out" | tr -d '[:print:]' | wc -c)" = 0

# -Z and -z where a fixture tree says SELinux is on (tests/data/make-selinux.sh): every holder
# has proc_ctx (and sock_ctx), each null one says why, and nothing else has them.
for flags in -tuanZ -tuanz "-tuanz --json=lines"; do
	# shellcheck disable=SC2086 # flags are words
	run sockets.nl --proc-root "$data/proc-selinux" --state-root "$data/state" --json $flags
	lines=; [[ $flags = *lines* ]] && lines=--lines
	check "proc-selinux $flags: schema" valid $lines "$tmp/out"
done
run sockets.nl --proc-root "$data/proc-selinux" --state-root "$data/state" --json -tuanz
check "-z: every holder has both contexts, a null one its reason" jqe '[.[].processes[]?] |
	length > 0 and all(.[]; has("proc_ctx") and has("sock_ctx") and
	has("proc_ctx_error") and has("sock_ctx_error") and
	((.proc_ctx == null) == (.proc_ctx_error != null)) and
	((.sock_ctx == null) == (.sock_ctx_error != null)))' "$tmp/out"
check "-z: the escape decodes" jqe '[.[].processes[]? | select(.pid == 4353 and .fd == 4)][0] |
	.sock_ctx == "system_u:object_r:evil_t:s0\u001b]0;title\u0007" and
	.proc_ctx == "system_u:system_r:evil_t:s0\u001b[31m\ufffd"' "$tmp/out"
check "-z: why not: gone, none" jqe '[.[].processes[]? | .proc_ctx_error, .sock_ctx_error |
	select(. != null)] | unique == ["gone", "none"]' "$tmp/out"
run sockets.nl --proc-root "$data/proc-selinux" --state-root "$data/state" --json -tuanZ
check "-Z: no sock_ctx" jqe '[.[].processes[]?] | all(.[]; has("proc_ctx") and
	(has("sock_ctx") | not))' "$tmp/out"
run sockets.nl --proc-root "$data/proc-selinux" --state-root "$data/state" --json -tuanp
check "without -Z: no contexts" jqe '[.[].processes[]? | keys[]] | index("proc_ctx") == null' \
	"$tmp/out"

# MPTCP, SCTP and vsock (mptcp.nl, sctp.nl, vsock.nl): sockets, the audit and the metrics; a
# vsock socket has no IP address (local and peer null) and its vsock member says where it is.
for capture in mptcp.nl sctp.nl vsock.nl; do
	flags="-A tcp,mptcp,sctp -a"
	[ "$capture" = vsock.nl ] && flags="--vsock -a"
	# shellcheck disable=SC2086 # flags are words
	run "$capture" --json $flags
	check "$capture --json $flags: schema" valid "$tmp/out"
	# shellcheck disable=SC2086
	run "$capture" --json=lines $flags
	check "$capture --json=lines $flags: schema" valid --lines "$tmp/out"
	run "$capture" --audit --json -A all
	check "$capture --audit --json -A all: schema" valid "$tmp/out"
	run "$capture" --format=prom -A all -p
	check "$capture --format=prom -A all: promtool" promtool check metrics <"$tmp/out"
done
run vsock.nl --vsock -a --json
check "vsock: protocol, family, no address" jqe 'length == 6 and all(.[]; .protocol == "vsock"
	and .family == "vsock" and .local == null and .peer == null and .scope == null
	and (.type | IN("stream", "dgram", "seqpacket")))' "$tmp/out"
check "vsock: any is named, its port kept" jqe '.[0].vsock == {"local": {"cid": 4294967295,
	"cid_name": "any", "port": 1024}, "peer": null}' "$tmp/out"
check "vsock: the peer of a connection" jqe '.[1].vsock.peer == {"cid": 2, "cid_name": "host",
	"port": 50123}' "$tmp/out"
jq '.[0].vsock.local.port = -1' "$tmp/out" >"$tmp/badv1"
jq '.[0].vsock.extra = 1' "$tmp/out" >"$tmp/badv2"
jq '.[0].local = {"address": "", "port": 0}' "$tmp/out" >"$tmp/badv3"
for bad in badv1 badv2 badv3; do
	check "schema rejects $bad" invalid "$tmp/$bad"
done
run vsock.nl --vsock --audit --json
check "vsock findings: port null, vsock says" jqe '[.findings[] | select(.protocol == "vsock")
	| .port == null and .vsock.port > 0] | length == 3 and all' "$tmp/out"
run mptcp.nl --audit --json
check "mptcp: one finding, named mptcp" jqe '[.findings[] | .protocol] == ["mptcp"]' "$tmp/out"

# The schema is strict enough to fail: a changed type, a missing field, an unknown field.
run sockets.nl -tuanp --json
jq '.[0].exposed = 1' "$tmp/out" >"$tmp/bad1"
jq 'del(.[0].processes)' "$tmp/out" >"$tmp/bad2"
jq '.[0].extra = 1' "$tmp/out" >"$tmp/bad3"
jq '.[0].schema_version = "1.0.0"' "$tmp/out" >"$tmp/bad4"
jq '.[0].owners = .[0].processes | del(.[0].processes)' "$tmp/out" >"$tmp/bad5"
jq '[.[] | .processes[]?.started_at |= (. // "x")] ' "$tmp/out" >"$tmp/bad6"
run sockets.nl --proc-root "$data/proc-selinux" --state-root "$data/state" --json -tuanz
jq '[.[] | .processes[]?.sock_ctx_error |= "no reason"]' "$tmp/out" >"$tmp/bad7"
jq '[.[] | .processes[]?.proc_ctx |= 1]' "$tmp/out" >"$tmp/bad8"
for bad in bad1 bad2 bad3 bad4 bad5 bad6 bad7 bad8; do
	check "schema rejects $bad" invalid "$tmp/$bad"
done

finish
