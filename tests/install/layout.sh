#!/bin/bash
# Where the completions land, in three layouts: meson setup and meson install --tags completions
# into a scratch DESTDIR (nothing is compiled), with this machine's pkg-config files except
# bash-completion's and fish's, and with the fixtures' in their place (pkgconfig/). Checks that
# each file lands where that layout's shell looks, and nothing else is installed.
# Usage: layout.sh SOURCE_DIR
set -u
src=$1
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=../check.sh
. "$here/../check.sh"

# A pkg-config directory of links to every .pc file pkg-config would find (PKG_CONFIG_PATH
# first), but for the two whose presence the layouts choose.
system=$tmp/pkgconfig
mkdir "$system"
IFS=: read -ra dirs <<<"${PKG_CONFIG_PATH:-}:$(pkg-config --variable pc_path pkg-config)"
for dir in "${dirs[@]}"; do
	for pc in "$dir"/*.pc; do
		name=${pc##*/}
		case $name in fish.pc | bash-completion.pc | "*.pc") continue ;; esac
		[ -e "$system/$name" ] || ln -s "$pc" "$system/$name"
	done
done

# layout NAME PC_DIR BASH ZSH FISH [MESON_SETUP_OPTION...]: install with PC_DIR's bash-completion
# and fish .pc files (none if empty) and check the three absolute paths.
layout() {
	local name=$1 pcdir=$2 bash=$3 zsh=$4 fish=$5
	local build=$tmp/$name dest=$tmp/$name-dest log=$tmp/$name.log
	shift 5
	if ! env PKG_CONFIG_LIBDIR="${pcdir:+$pcdir:}$system" PKG_CONFIG_PATH= \
		meson setup "$build" "$src" -Dtests=disabled -Dman=disabled "$@" >"$log" 2>&1 ||
		! meson install -C "$build" --no-rebuild --tags completions --destdir "$dest" \
			>>"$log" 2>&1; then
		check "$name: meson setup and install" false
		cat "$log"
		return
	fi
	check "$name: bash in $bash" cmp -s "$src/completions/listen.bash" "$dest$bash/listen"
	check "$name: zsh in $zsh" cmp -s "$src/completions/_listen" "$dest$zsh/_listen"
	check "$name: fish in $fish" cmp -s "$src/completions/listen.fish" "$dest$fish/listen.fish"
	check "$name: nothing else" test "$(find "$dest" -type f | wc -l)" = 3
}

# meson's defaults, neither shell's .pc there: the directories each shell searches under any
# datadir it is given (XDG_DATA_DIRS lists /usr/local/share first).
layout default "" /usr/local/share/bash-completion/completions \
	/usr/local/share/zsh/site-functions /usr/local/share/fish/vendor_completions.d
# What a Debian package passes, with Debian's .pc files.
layout debian "$here/pkgconfig/debian" /usr/share/bash-completion/completions \
	/usr/share/zsh/vendor-completions /usr/share/fish/vendor_completions.d \
	--prefix=/usr -Dzshcompletiondir=/usr/share/zsh/vendor-completions
# Debian's .pc files, another prefix: both directories move under it.
layout prefix "$here/pkgconfig/debian" /opt/listen/share/bash-completion/completions \
	/opt/listen/share/zsh/site-functions /opt/listen/share/fish/vendor_completions.d \
	--prefix=/opt/listen
# .pc files of shells built under /opt, a zsh directory relative to the prefix: bash's
# directory name is followed under our datadir; fish's path, written out outside our prefix,
# is not.
layout elsewhere "$here/pkgconfig/elsewhere" /srv/l/data/bash-completion/completions.d \
	/srv/l/zsh/vendor-completions /srv/l/data/fish/vendor_completions.d \
	--prefix=/srv/l --datadir=data -Dzshcompletiondir=zsh/vendor-completions

finish
