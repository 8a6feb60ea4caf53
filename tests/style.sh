#!/bin/bash
# The style that can be checked by a script: no line of C past 100 columns (tabs at 8).
# Usage: style.sh SOURCE_DIR
set -u
cd "$1" || exit 1
# shellcheck source=check.sh
. tests/check.sh

long=$(find src include tests bench -name '*.[ch]' -exec awk '
	{ line = $0; gsub(/\t/, "        ", line) }
	length(line) > 100 { printf "%s:%d: %d columns\n", FILENAME, FNR, length(line) }' {} +)
check "C lines fit in 100 columns" test -z "$long"
[ -z "$long" ] || echo "$long"
check "C sources found" test -n "$(find src include -name '*.[ch]' -print -quit)"

finish
