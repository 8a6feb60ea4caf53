#!/bin/sh
# Capture a ruleset fixture: load NAME.nft (nft -f) or NAME.sh (a shell script of iptables
# commands) into a private network namespace and save what listen reads there: the JSON
# listing (NAME.json), the text listing with handles (NAME.txt) and the kernel's nfnetlink
# dump replies (NAME.nl, by tests/live/fwdump from a build with tests: FWDUMP names it,
# build/tests/live/fwdump by default). Run as root.
set -eu
fwdump=$(realpath "${FWDUMP:-build/tests/live/fwdump}")
for src in "$@"; do
	name=${src%.*}
	case $src in
	*.nft) load="nft -f $src" ;;
	*.sh) load="sh -e $src" ;;
	*) echo "capture.sh: $src: expected NAME.nft or NAME.sh" >&2; exit 2 ;;
	esac
	unshare -n sh -c "$load && nft -j list ruleset > $name.json &&
		nft -a list ruleset > $name.txt && $fwdump capture $name.nl"
done
