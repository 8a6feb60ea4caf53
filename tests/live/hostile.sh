#!/bin/bash
# Live test: processes whose names, command lines and executables hold terminal escape
# sequences, newlines, tabs, bidirectional controls, invisible characters and invalid UTF-8, one with a 1 MiB command
# line. Tables show it all escaped, one line per row; JSON stays valid and gives it whole; the
# metrics stay well-formed. Run through the fault shim, which aborts listen if it runs a program
# and logs every path it opens: none may lead out of the places listen reads, whatever the
# processes say. Usage: hostile.sh LISTEN SOCKHELPER SHIM CHECKER
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
live_enter "$0" unshare ss ip python3 -- "$@"

ip link set lo up || exit 1
setup "$1"
with_shim "$3"
checker=$4
export LISTEN_FAULT_PATHS=$tmp/paths

# A name (15 bytes, the most comm holds) that looks like the fields after it in /proc/PID/stat.
start h1 "$2" -comm 'x) (y) z) S 1 (' tcp,127.0.0.1,7001
# Escape sequences that retitle and clear a terminal, a tab, a newline, a colour, invalid UTF-8,
# a right-to-left override, and a zero width space, a line separator, the Arabic letter mark and
# a byte order mark.
start h2 "$2" -comm $'\e]0;pwn\a\e[2J' \
	-x $'a\tb\nc\e[31mred\xff\xfe \xe2\x80\xaeevil \xe2\x80\x8b\xe2\x80\xa8\xd8\x9c\xef\xbb\xbf' \
	tcp,127.0.0.1,7002 tcp,0.0.0.0,7012
# A command line of 1 MiB and more, in arguments of 120 KiB (one argument holds at most 128 KiB).
chunk=$(head -c 122880 /dev/zero | tr '\0' 'A')
args=()
for i in 1 2 3 4 5 6 7 8 9; do args+=(-x "$i$chunk$i"); done
start h3 "$2" -comm $'\xff\xfe\xc0\x80ok' "${args[@]}" tcp,127.0.0.1,7003
# An executable whose path holds an escape sequence, a newline and a tab; a name of controls.
mkdir "$tmp/hostile-bin"
evil=$tmp/hostile-bin/$'evil\e[2J\n\tname'
cp "$2" "$evil"
start h4 "$evil" -comm $'\n\t\r\b' tcp,127.0.0.1,7004
# 日本語サーバ, which the kernel cuts to 15 bytes (日本語サー), and five workers of one socket.
start h5 "$2" -comm $'\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x82\xb5\xe3\x83\xbc\xe3\x83\x90' \
	-x 'a longer command line' tcp,0.0.0.0,7005
# A name that reads as sshd with a word joiner inside, and a command line of invisible
# characters: a soft hyphen, a Hangul filler, a variation selector, a language tag.
start h6 "$2" -comm $'ss\xe2\x81\xa0hd' -x $'-\xc2\xadD\xe3\x85\xa4\xef\xb8\x8f\xf3\xa0\x80\x81' \
	tcp,127.0.0.1,7006
p1=$pid_h1 p2=$pid_h2 p3=$pid_h3 p4=$pid_h4 p6=$pid_h6
pids=("$p1" "$p2" "$p3" "$p4" "$p6")

# Tables: valid UTF-8, no control byte, one line per row; the hostile text escaped.
rows=$(($(ss -Htln | wc -l) + 1))
for flags in -tlnp -tlnpe "-tlnp --no-unit"; do
	# shellcheck disable=SC2086 # flags are words
	"$L" $flags >"$tmp/table" 2>/dev/null
	check "table $flags" python3 "$checker" table "$tmp/table" "$rows"
done
"$L" -tlnp >"$tmp/table" 2>/dev/null
table=$(cat "$tmp/table")
check "stat-like name" has "$table" '(("x) (y) z) S 1 (",pid='"$p1"
check "escapes escaped" has "$table" '(("\x1b]0;pwn\x07\x1b[2J",pid='"$p2"
check "invalid UTF-8 name" has "$table" '(("\xff\xfe\xc0\x80ok",pid='"$p3"
check "control name" has "$table" '(("\n\t\r\x08",pid='"$p4"
check "not sshd: the word joiner shown" has "$table" '(("ss\xe2\x81\xa0hd",pid='"$p6"

# On a terminal the table fits it: no line wider than the terminal (wide characters count
# two, colours none), Process last with its holders short, the cut marked; "~" outside a
# UTF-8 locale; $COLUMNS for a terminal that gives no size. -W, and --ss-columns, print what
# a pipe gets.
plain_pty() { sed 's/\x1b\[[0-9;]*m//g' "$tmp/pty"; } # no colours
for cols in 80 120 200; do
	check "pty $cols columns" python3 "$checker" pty "$tmp/pty" "$cols" \
		env LC_ALL=C.UTF-8 "$L" -tlnp --color=always
	pty=$(plain_pty)
	check "pty $cols: holders short, last" has "$pty" "($pid_h5,fd 3)"
	check "pty $cols: not ss's holders" lacks "$pty" 'users:(('
	check "pty $cols: Process last" test "$(head -1 <<<"$pty" | awk '{ print $NF }')" = Process
	[ "$cols" = 80 ] && check "pty 80: cut, marked" has "$pty" $'\xe2\x80\xa6'
done
check "pty 200" python3 "$checker" pty "$tmp/pty" 200 env LC_ALL=C.UTF-8 "$L" -tlnp
check "pty 200: a CJK name whole" has "$(cat "$tmp/pty")" \
	$'\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x82\xb5\xe3\x83\xbc('"$pid_h5,fd 3)"
check "pty, C locale" python3 "$checker" pty "$tmp/pty" 72 env LC_ALL=C "$L" -tlnp
check "pty, C locale: marked with ~" lacks "$(cat "$tmp/pty")" $'\xe2\x80\xa6'
check "pty, C locale: marked with ~" has "$(cat "$tmp/pty")" '~'
check "pty without a size: \$COLUMNS" env COLUMNS=90 python3 "$checker" pty "$tmp/pty" 0 \
	"$L" -tlnp
"$L" -tlnp --width=90 >"$tmp/pipe" 2>/dev/null
check "pty without a size: as --width=90" same_lines "$(cat "$tmp/pipe")" "$(plain_pty | head -n -1)"
# Nor a usable $COLUMNS: 80.
"$L" -tlnp --width=80 >"$tmp/pipe" 2>/dev/null
for columns in abc 0 -5 99999999 ''; do
	check "pty without a size, COLUMNS='$columns'" env COLUMNS="$columns" \
		python3 "$checker" pty "$tmp/pty" 0/80 "$L" -tlnp
	check "pty without a size, COLUMNS='$columns': as --width=80" \
		same_lines "$(cat "$tmp/pipe")" "$(plain_pty | head -n -1)"
done
"$L" -tlnp >"$tmp/pipe" 2>/dev/null
for flags in -W --wide; do
	check "pty $flags" python3 "$checker" pty "$tmp/pty" 5000 "$L" -tlnp "$flags"
	# the summary line is a terminal's
	check "pty $flags: as on a pipe" same_lines "$(cat "$tmp/pipe")" "$(plain_pty | head -n -1)"
done
"$L" -tlnp --ss-columns >"$tmp/pipe" 2>/dev/null
check "pty --ss-columns" python3 "$checker" pty "$tmp/pty" 5000 "$L" -tlnp --ss-columns
check "pty --ss-columns: as on a pipe" same_lines "$(cat "$tmp/pipe")" "$(plain_pty | head -n -1)"

# The owner view prints command lines and executables: escaped, each on one line.
for port in 7001 7002 7003 7004; do
	"$L" ":$port" >"$tmp/owner.$port" 2>/dev/null
	check "owner view :$port" python3 "$checker" table "$tmp/owner.$port" \
		"$(wc -l <"$tmp/owner.$port")"
done
check "owner view: command line" has "$(cat "$tmp/owner.7002")" \
	'-x a\tb\nc\x1b[31mred\xff\xfe \xe2\x80\xaeevil \xe2\x80\x8b\xe2\x80\xa8\xd8\x9c\xef\xbb\xbf tcp'
check "owner view: exe" has "$(cat "$tmp/owner.7004")" 'hostile-bin/evil\x1b[2J\n\tname'
longest=$(awk '{ if (length($0) > n) n = length($0) } END { print n }' "$tmp/owner.7003")
check "owner view: 1 MiB command line on one line" test "$longest" -gt 1105920
"$L" --audit >"$tmp/audit" 2>/dev/null
check "audit table" python3 "$checker" table "$tmp/audit" "$(wc -l <"$tmp/audit")"

# JSON: valid, and each holder's name, command line and exe as /proc has them, whole.
for flags in "--json -tlnp" "--json=lines -tlnp" "--json -tlnpe" "--audit --json" "--json :7003"; do
	# shellcheck disable=SC2086 # flags are words
	"$L" $flags >"$tmp/json" 2>/dev/null
	case $flags in
	"--json :7003") want=("$p3") ;;
	--audit*) want=("$p2") ;; # the one exposed on every interface
	*) want=("${pids[@]}") ;;
	esac
	check "json $flags" python3 "$checker" json "$tmp/json" "${want[@]}"
done
"$L" --format=prom -p >"$tmp/prom" 2>/dev/null
check "metrics" python3 "$checker" prom "$tmp/prom"
# Label values: controls and invalid bytes become U+FFFD, a newline "\n" as the format says.
check "metrics: escapes replaced" grep -qF "processes=\"$(printf '\xef\xbf\xbd')]0;pwn" "$tmp/prom"
check "metrics: newline escaped" grep -qF 'port="7004",interface="",scope="loopback",service="",service_source="",service_risk="",program="",port_guess="",risk="",allowed="",processes="\n' \
	"$tmp/prom"

# Hostile holders come out the same from either owner source (the BPF iterator where it runs).
for flags in -tlnp "--json -tlnp" ":7003" "--audit --json" "--format=prom -p"; do
	# shellcheck disable=SC2086 # flags are words
	check "owner sources agree: $flags" same_owners $flags
done

# Every path listen opened above stays in /proc, /sys/fs/cgroup, /etc, /run and the runtimes'
# state; none under the hostile executable's directory, none with '..'.
check "paths" python3 "$checker" paths "$tmp/paths" "$tmp/hostile-bin"

finish
