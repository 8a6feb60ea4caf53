#!/bin/bash
# meson install into a scratch DESTDIR: the binary, the man page, the completions and the
# documentation land where their tools look, and what landed works; the man page renders
# without a warning. Usage: run.sh BUILD_DIR BINDIR MANDIR BASHDIR ZSHDIR FISHDIR DOCDIR
# (absolute install paths)
set -u
build=$1 bindir=$2 mandir=$3 bashdir=$4 zshdir=$5 fishdir=$6 docdir=$7
dest=$(mktemp -d) || exit 1
trap 'rm -rf "$dest"' EXIT
# shellcheck source=../check.sh
. "$(dirname "$0")/../check.sh"

meson install -C "$build" --no-rebuild --quiet --destdir "$dest" >"$dest.log" 2>&1
check "meson install" test $? = 0 || cat "$dest.log"
rm -f "$dest.log"
check "binary" test -x "$dest$bindir/listen"
check "binary runs" test "$("$dest$bindir/listen" --version)" = "$("$build/src/listen" --version)"
check "bash completion" test -s "$dest$bashdir/listen"
check "zsh completion" test -s "$dest$zshdir/_listen"
check "fish completion" test -s "$dest$fishdir/listen.fish"
check "schema" test -s "$dest$docdir/listen.schema.json"
check "systemd service" test -s "$dest$docdir/examples/listen-textfile.service"
check "systemd timer" test -s "$dest$docdir/examples/listen-textfile.timer"
check "systemd watch service" test -s "$dest$docdir/examples/listen-watch.service"
check "license" grep -q "MIT License" "$dest$docdir/LICENSE"
check "news" test -s "$dest$docdir/NEWS.md"
check "nothing else" test "$(find "$dest" -type f | wc -l)" = 11

man=$dest$mandir/man1/listen.1
if [ -e "$build/doc/listen.1" ]; then
	check "man page" test -s "$man"
	if command -v groff >/dev/null; then
		check "groff -ww: no warnings" test -z "$(groff -ww -z -man -Tutf8 "$man" 2>&1)"
	fi
	if command -v man >/dev/null; then
		text=$(MANWIDTH=80 man --warnings=w -l "$man" 2>"$dest/man.err")
		check "man -l renders" grep -q "EXIT STATUS" <<<"$text"
		check "man -l: no warnings" test ! -s "$dest/man.err"
		check "man -l: 80 columns" test "$(awk '{ if (length > m) m = length } END { print m }' <<<"$text")" -le 80
		# A line ending in a bold or italic hyphen (overstruck) split an option, a path or a
		# command: doc/literals.py keeps them whole.
		split=$(MANWIDTH=80 MAN_KEEP_FORMATTING=1 man -l "$man" 2>/dev/null |
			grep -P '(-\x08-|_\x08-)$' | sed 's/.\x08//g')
		check "man -l: no literal split at a line's end" test -z "$split"
		[ -z "$split" ] || echo "$split"
	fi
else
	skip "no man page built (scdoc missing)"
fi

finish
