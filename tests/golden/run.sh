#!/bin/bash
# Golden tests: replay captured sock_diag replies against the fixture /proc tree and compare
# with the expected text exactly. Usage: run.sh LISTEN DATA_DIR GOLDEN_DIR [--update]
set -u
export TZ=UTC # the owner view prints start times
export LC_ALL=C.UTF-8 # a table fitted to a width marks cut text with "…" (with "~" outside UTF-8)
listen=$1 data=$2 golden=$3 update=${4:-}
pass=0 fail=0
while IFS='|' read -r name flags capture; do
	case $name in '' | '#'*) continue ;; esac
	flags=${flags//@DATA@/$data}
	# shellcheck disable=SC2086 # flags are words
	got=$("$listen" --replay-netlink "$data/${capture:-sockets.nl}" --proc-root "$data/proc" \
		--services-file "$data/services" --nmap-services-file "$data/nmap-services" \
		--cgroup-root "$data/no-cgroup2" --state-root "$data/state" $flags 2>&1
		echo "exit $?")
	got=${got//"$data"/@DATA@} # paths in messages, wherever the tree is
	if [ "$update" = --update ]; then
		printf '%s\n' "$got" >"$golden/$name.out"
	elif diff -u "$golden/$name.out" <(printf '%s\n' "$got"); then
		pass=$((pass + 1))
	else
		echo "FAIL: $name ($flags)"
		fail=$((fail + 1))
	fi
done <"$golden/cases"
[ "$update" = --update ] && { echo "updated"; exit 0; }
echo "$pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
