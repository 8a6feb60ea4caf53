#!/bin/bash
# The example systemd units (doc/examples): systemd-analyze verify accepts them without a
# word (it exits 0 on unknown directives, so its output must be empty too), Documentation=
# finds listen(1) when the man page is built, and systemd-analyze security rates the service's
# exposure 2.0 or better, with the capabilities it is given also its bounding set.
# Usage: units.sh SOURCE_DIR BUILD_DIR
set -u
src=$1 build=$2
# shellcheck source=../check.sh
. "$(dirname "$0")/../check.sh"
if ! command -v systemd-analyze >/dev/null; then
	echo "SKIP: systemd-analyze is missing (Debian: systemd)"
	[ -n "${LISTEN_TESTS_STRICT:-}" ] && exit 1
	exit 77
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cp "$src"/doc/examples/*.service "$src"/doc/examples/*.timer "$tmp" || exit 1
units=("$tmp"/*.service "$tmp"/*.timer)

man=(--man=no)
if [ -e "$build/doc/listen.1" ]; then
	mkdir -p "$tmp/man/man1" && cp "$build/doc/listen.1" "$tmp/man/man1/" || exit 1
	man=()
else
	skip "listen(1) not built (scdoc missing): Documentation= not checked"
fi
out=$(MANPATH=$tmp/man systemd-analyze verify "${man[@]}" "${units[@]}" 2>&1)
check "systemd-analyze verify: exit 0" test $? = 0
check "systemd-analyze verify: nothing to say" test -z "$out"
[ -z "$out" ] || echo "$out"

for unit in "$tmp"/*.service; do
	name=${unit##*/}
	out=$(systemd-analyze security --offline=true --no-pager "$unit" 2>&1)
	level=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<<"$out")
	echo "$name: exposure ${level:-?}"
	check "$name: an exposure level" test -n "$level"
	check "$name: exposure $level <= 2.0" awk -v l="${level:-99}" 'BEGIN { exit !(l <= 2.0) }'
	[ -n "$level" ] || echo "$out"
	ambient=$(sed -n 's/^AmbientCapabilities=//p' "$unit")
	bounding=$(sed -n 's/^CapabilityBoundingSet=//p' "$unit")
	check "$name: the bounding set is the ambient capabilities" test "$ambient" = "$bounding"
done

finish
