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

# The same sockets in every format: as many JSON objects as table rows.
run sockets.nl -tuanH
rows=$(wc -l <"$tmp/out")
run sockets.nl -tuan --json
check "as many objects as rows" test "$(jq length "$tmp/out")" = "$rows"
run sockets.nl -tuan --format=json-lines
check "--format=json-lines" test "$(wc -l <"$tmp/out")" = "$rows"

# Hostile process data stays valid JSON and is given whole, decoded as the schema says.
run sockets.nl -tuanp --json
check "hostile name decodes" jqe '[.[].owners[]? | select(.pid == 999002)][0].name ==
	"evil\u001b[31m\nred"' "$tmp/out"
check "hostile cmdline decodes" jqe '[.[].owners[]? | select(.pid == 999002)][0].cmdline ==
	"\u001b]0;pwned\u0007 --tab\there line\nbreak \ufffd\ufffd caf\ufffd \u202e"' \
	"$tmp/out"
check "no raw control bytes" test "$(tr -d '\n' <"$tmp/out" | tr -d '[:print:]' | wc -c)" = 0

# The schema is strict enough to fail: a changed type, a missing field, an unknown field.
run sockets.nl -tuanp --json
jq '.[0].exposed = 1' "$tmp/out" >"$tmp/bad1"
jq 'del(.[0].owners)' "$tmp/out" >"$tmp/bad2"
jq '.[0].extra = 1' "$tmp/out" >"$tmp/bad3"
for bad in bad1 bad2 bad3; do
	check "schema rejects $bad" invalid "$tmp/$bad"
done

finish
