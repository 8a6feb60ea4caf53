#!/bin/bash
# The completions offer what listen takes: each is loaded in its shell and asked for a few
# completions; and every option in the code (src/cli.c, all but the hidden ones) is in --help,
# the man page and the three completion files, and nothing else is.
# Usage: run.sh LISTEN SOURCE_DIR
set -u
listen=$1 src=$2
comp=$src/completions
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=../check.sh
. "$(dirname "$0")/../check.sh"
# offers NAME WANT OFFERED: the offered list (one per line) holds WANT.
offers() {
	grep -qxF -- "$2" <<<"$3" && return 0
	echo "    $1 offers: $(tr '\n' ' ' <<<"$3")"
	return 1
}
# lacks OFFERED UNWANTED: the offered list does not hold UNWANTED.
lacks() {
	! grep -qxF -- "$2" <<<"$1" && return 0
	echo "    offered: $(tr '\n' ' ' <<<"$1")"
	return 1
}

# The options in the code: from the option table up to the hidden ones, long names and aliases
# ({ "color", 0, ..., .alias = "colour" }), short letters ({ "tcp", 't', ...).
table=$(sed -n '/cli_options\[\] = {/,/Not in --help/p' "$src/src/cli.c")
longs=$(sed -n 's/^[[:space:]]*{ "\([a-z0-9-]*\)",.*/\1/p' <<<"$table"
	sed -n 's/.*\.alias = "\([a-z0-9-]*\)".*/\1/p' <<<"$table")
shorts=$(sed -n "s/^[[:space:]]*{ \"[a-z0-9-]*\", '\([A-Za-z0-9]\)',.*/\1/p" <<<"$table")
check "options found in the code" test "$(wc -w <<<"$longs")" -gt 15 -a "$(wc -w <<<"$shorts")" -gt 10
help=$("$listen" --help)
check "--help fits a screen" test "$(wc -l <<<"$help")" -le 40 -a \
	"$(awk '{ if (length > m) m = length } END { print m }' <<<"$help")" -le 80
man=$(cat "$src/doc/listen.1.scd")
for o in $longs; do
	check "--$o in --help" grep -qE -- "--$o([^a-z-]|$)" <<<"$help"
	check "--$o in the man page" grep -qE -- "\*--$o([^a-z-]|$)" <<<"$man"
	check "--$o in bash" grep -qE -- "--$o([^a-z-]|$)" "$comp/listen.bash"
	check "--$o in zsh" grep -qE -- "--$o([^a-z-]|$)" "$comp/_listen"
	check "--$o in fish" grep -qE -- "-l $o( |$)" "$comp/listen.fish"
done
for o in $shorts; do
	check "-$o in --help" grep -qE -- "(^| )-$o[, ]" <<<"$help"
	check "-$o in the man page" grep -qE -- "\*-$o\*" <<<"$man"
	check "-$o in bash" grep -qE -- "(^|[[:space:]'])-$o([[:space:]]|$)" "$comp/listen.bash"
	check "-$o in zsh" grep -qE -- "-$o[],}[]" "$comp/_listen"
	check "-$o in fish" grep -qE -- "-s $o( |$)" "$comp/listen.fish"
done
# Nothing offered that listen does not take.
for f in listen.bash _listen listen.fish; do
	for o in $(grep -oE -- "(^|[ '{(,])--[a-z][a-z0-9-]*" "$comp/$f" | grep -oE -- '--[a-z0-9-]+' | sort -u); do
		check "$f: $o is an option" grep -qxF -- "${o#--}" <<<"$longs"
	done
done
for o in $(grep -oE -- "-l [a-z0-9-]+" "$comp/listen.fish" | cut -d' ' -f2 | sort -u); do
	check "listen.fish: --$o is an option" grep -qxF -- "$o" <<<"$longs"
done
for o in $(grep -oE -- "-s [A-Za-z0-9]" "$comp/listen.fish" | cut -d' ' -f2 | sort -u); do
	check "listen.fish: -$o is an option" grep -qxF -- "$o" <<<"$shorts"
done

# bash: the completion function, as bash-completion runs it.
if [ -r /usr/share/bash-completion/bash_completion ]; then
	bashcomp() { # LINE WORDS...: complete the last word of LINE, split into WORDS as bash does
		bash -c 'source /usr/share/bash-completion/bash_completion && source "$0" &&
			COMP_LINE=$1 && COMP_POINT=${#COMP_LINE} && shift &&
			COMP_WORDS=("$@") && COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) &&
			{ _listen; true; } && printf "%s\n" "${COMPREPLY[@]}"' \
			"$comp/listen.bash" "$@" 2>/dev/null
	}
	check "bash: --fo" offers bash --format= "$(bashcomp 'listen --fo' listen --fo)"
	check "bash: --format values" offers bash json-lines "$(bashcomp 'listen --format ' listen --format '')"
	check "bash: --format=pr" offers bash prom "$(bashcomp 'listen --format=pr' listen --format = pr)"
	check "bash: --json=l" offers bash lines "$(bashcomp 'listen --json=l' listen --json = l)"
	check "bash: --color=a" offers bash always "$(bashcomp 'listen --color=a' listen --color = a)"
	check "bash: no value after --json and a blank" lacks \
		"$(bashcomp 'listen --json ' listen --json '')" lines
	check "bash: no value after --color and a blank" lacks \
		"$(bashcomp 'listen --color ' listen --color '')" never
	check "bash: --fail-on values" offers bash medium "$(bashcomp 'listen --fail-on ' listen --fail-on '')"
	check "bash: --watch=" offers bash 1s "$(bashcomp 'listen --watch=' listen --watch = '')"
	check "bash: no value after --watch and a blank" lacks \
		"$(bashcomp 'listen --watch ' listen --watch '')" 250ms
	check "bash: --owners values" offers bash bpf "$(bashcomp 'listen --owners ' listen --owners '')"
	check "bash: -A values" offers bash unix_dgram "$(bashcomp 'listen -A unix_d' listen -A unix_d)"
	check "bash: -A after a comma" offers bash tcp,mptcp "$(bashcomp 'listen -A tcp,mp' listen -A tcp,mp)"
	check "bash: -f values" offers bash inet6 "$(bashcomp 'listen -f ' listen -f '')"
	check "bash: -4" offers bash -4 "$(bashcomp 'listen -' listen -)"
	check "bash: --allow takes a file" offers bash "$comp/listen.bash" \
		"$(bashcomp "listen --allow $comp/listen.b" listen --allow "$comp/listen.b")"
	check "bash: -F takes a file" offers bash "$comp/listen.bash" \
		"$(bashcomp "listen -F $comp/listen.b" listen -F "$comp/listen.b")"
	check "bash: filter keywords" offers bash sport "$(bashcomp 'listen -tl s' listen -tl s)"
	check "bash: state names" offers bash time-wait "$(bashcomp 'listen state t' listen state t)"
	check "bash: exclude names" offers bash listening "$(bashcomp 'listen exclude l' listen exclude l)"
	check "bash: dev names lo" offers bash lo "$(bashcomp 'listen dev l' listen dev l)"
	check "bash: --user values" offers bash root "$(bashcomp 'listen --user ' listen --user '')"
	check "bash: --process values" offers bash "$(cat /proc/$$/comm)" \
		"$(bashcomp 'listen --process ' listen --process '')"
	check "bash: --ss" offers bash --ss-columns "$(bashcomp 'listen --ss' listen --ss)"
	check "bash: sport operators" offers bash '!=' "$(bashcomp 'listen sport ' listen sport '')"
else
	skip "bash-completion is missing"
fi

# zsh: an interactive zsh on a pseudo-terminal, completing with our _listen.
if command -v zsh >/dev/null; then
	zshcomp() { zsh -f "$(dirname "$0")/zsh-complete.zsh" "$comp" "$1" "$tmp/zsh"; cat "$tmp/zsh"; }
	check "zsh: --fo" offers zsh --format "$(zshcomp 'listen --fo')"
	check "zsh: --format= values" offers zsh json-lines "$(zshcomp 'listen --format=')"
	check "zsh: --fail-on= values" offers zsh high "$(zshcomp 'listen --fail-on=')"
	check "zsh: --watch= values" offers zsh 250ms "$(zshcomp 'listen --watch=')"
	check "zsh: --no-s" offers zsh --no-services "$(zshcomp 'listen --no-s')"
	check "zsh: --family= values" offers zsh inet6 "$(zshcomp 'listen --family=')"
	check "zsh: --user= values" offers zsh root "$(zshcomp 'listen --user=ro')"
	check "zsh: filter keywords" offers zsh dport "$(zshcomp 'listen -tl d')"
	check "zsh: state names" offers zsh syn-recv "$(zshcomp 'listen state syn')"
	check "zsh: after a condition" offers zsh or "$(zshcomp 'listen sport = :22 o')"
else
	skip "zsh is missing"
fi

# fish: complete -C with our file loaded.
if command -v fish >/dev/null; then
	fishcomp() { fish --no-config -c "source '$comp/listen.fish'; complete -C '$1'" | cut -f1; }
	check "fish: --fo" offers fish --format "$(fishcomp 'listen --fo')"
	check "fish: --format= values" offers fish --format=prom "$(fishcomp 'listen --format=')"
	check "fish: -" offers fish -H "$(fishcomp 'listen -')"
	check "fish: --fail-on values" offers fish low "$(fishcomp 'listen --fail-on ')"
	check "fish: --watch= values" offers fish --watch=1s "$(fishcomp 'listen --watch=')"
	check "fish: --user values" offers fish root "$(fishcomp 'listen --user ro')"
	check "fish: --ss" offers fish --ss-columns "$(fishcomp 'listen --ss')"
	check "fish: filter keywords" offers fish exclude "$(fishcomp 'listen -tl ex')"
	check "fish: state names" offers fish close-wait "$(fishcomp 'listen state clo')"
	check "fish: dev names" offers fish lo "$(fishcomp 'listen dev l')"
else
	skip "fish is missing"
fi

finish
