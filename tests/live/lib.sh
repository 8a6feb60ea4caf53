# Shared by the live tests, sourced first: live_enter moves the test into its private network
# namespace, the rest serves it there.

# shellcheck source=../check.sh
. "$(dirname "${BASH_SOURCE[0]}")/../check.sh"
helper_pids=() helper_fds=()

# live_enter SCRIPT TOOL... -- ARG...: unless already inside, run SCRIPT ARG... again in a new
# network namespace; skip the test (exit 77, a failure under LISTEN_TESTS_STRICT) when not root
# or a tool is missing.
live_enter() {
	[ "${LISTEN_LIVE_INSIDE:-}" = 1 ] && return 0
	local script=$1
	shift
	[ "$(id -u)" = 0 ] || live_skip "live tests need root for unshare -n"
	while [ "$1" != -- ]; do
		command -v "$1" >/dev/null || live_skip "$1 is missing"
		shift
	done
	shift
	LISTEN_LIVE_INSIDE=1 exec unshare -n -- bash "$script" "$@"
}
# live_require TOOL...: for a test that stays in the host's namespace: skip unless root and
# every tool is there.
live_require() {
	[ "$(id -u)" = 0 ] || live_skip "live tests need root"
	for t in "$@"; do
		command -v "$t" >/dev/null || live_skip "$t is missing"
	done
}
live_skip() {
	echo "SKIP: $1"
	[ -n "${LISTEN_TESTS_STRICT:-}" ] && exit 1
	exit 77
}

# setup LISTEN: a scratch directory (tmp) holding a copy of listen (L) that nobody can execute
# wherever the build tree lives; both go, and the helpers stop, when the test exits.
setup() {
	tmp=$(mktemp -d) || exit 1
	chmod 755 "$tmp"
	install -m 755 "$1" "$tmp/listen" || exit 1
	L=$tmp/listen
	trap teardown EXIT
}

# with_shim SHIM: from now on L runs listen with the fault shim (tests/fault/shim.c) preloaded,
# which aborts listen if it tries to run a program; shim is the copy's path. Only listen gets it:
# the helpers fork and setpriv executes. A sanitizer build's runtime wants to be loaded first;
# the shim goes before it.
with_shim() {
	shim=$tmp/shim.so
	install -m 755 "$1" "$shim" || exit 1
	cat >"$tmp/listen-shim" <<EOF || exit 1
#!/bin/sh
ASAN_OPTIONS="\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}verify_asan_link_order=0" \\
	exec env LD_PRELOAD="$shim" "$L" "\$@"
EOF
	chmod 755 "$tmp/listen-shim"
	L=$tmp/listen-shim
}

# start NAME CMD...: run a helper that prints "ready PID" and runs until its stdin closes; wait
# for it and set pid_NAME. The helpers all read one fifo that this shell holds open: closing it
# (teardown) ends them all.
start() {
	local name=$1 line=
	shift
	if [ -z "${helper_in:-}" ]; then
		helper_in=$tmp/helpers.in
		mkfifo "$helper_in" && exec {helper_hold}<>"$helper_in" || exit 1
		helper_fds+=("$helper_hold")
	fi
	# Without the fifo's other end (held open by this shell), so a helper that is not this
	# shell's child (one started through setpriv) still sees the end of its input.
	"$@" <"$helper_in" >"$tmp/$name.out" 2>&1 {helper_hold}>&- &
	helper_pids+=("$!")
	for _ in $(seq 50); do
		read -r line <"$tmp/$name.out" 2>/dev/null
		[ "${line%% *}" = ready ] && break
		sleep 0.1
	done
	[ "${line%% *}" = ready ] || { echo "helper $name did not start: $(cat "$tmp/$name.out")"; exit 1; }
	printf -v "pid_$name" '%s' "${line#ready }"
}

# Close the helpers' stdin (they exit on end of file), stop them by pid, remove the scratch.
# Tests list their coprocesses in helper_pids and the coprocesses' write ends in helper_fds.
teardown() {
	local fd pid
	for fd in "${helper_fds[@]}"; do exec {fd}>&-; done
	for pid in "${helper_pids[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	rm -rf "$tmp"
}

# A file with timers' time left and the owner view's ages blanked, in tables and JSON: two runs a
# moment apart differ only there.
untimed() {
	sed -E -e 's/"expires_ms":[0-9]+/"expires_ms":0/g' \
		-e 's/timer:\(([a-z]+),([0-9]+min)?([0-9]+(\.|sec))?([0-9]{3}(sec|ms))?,/timer:(\1,T,/g' \
		-e 's/\(([0-9]+[a-z]+ ?)+ago\)/(T ago)/g' "$1"
}

# Whitespace collapsed; a timer's time left (ss -e's timer:(keepalive,119min,0)) as T, since
# it runs down between ss's dump and listen's (its format is the unit tests').
normalize() {
	sed -E -e 's/[[:space:]]+/ /g' -e 's/ $//' \
		-e 's/timer:\(([a-z]+),([0-9]+min)?([0-9]+(\.|sec))?([0-9]{3}(sec|ms))?,/timer:(\1,T,/g'
}
asnobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }

# has TEXT WANT: TEXT contains WANT literally.
has() { grep -qF -- "$2" <<<"$1" || { echo "    missing: $2"; return 1; }; }
# lacks TEXT UNWANTED: TEXT does not contain UNWANTED.
lacks() { ! grep -qF -- "$2" <<<"$1" || { echo "    unexpected: $2"; return 1; }; }

# same_lines WANT GOT: identical, else the first differences.
same_lines() {
	[ "$1" = "$2" ] && return 0
	diff <(echo "$1") <(echo "$2") | head -6 | sed 's/^/    /'
	return 1
}

# Rows of `ss -H FLAGS` and `listen -H --ss-columns FLAGS` (as RUNAS, if set; with -p, from
# each owner source that can run),
# whitespace collapsed, must be identical.
same_rows() {
	local want got src
	want=$(${RUNAS:-} ss -H "$@" | normalize)
	[ -n "$want" ] || { echo "    ss printed no rows for $*"; return 1; }
	# With holders, each owner source on its own: the /proc walk, and the kernel's iterator
	# where this user and kernel allow it (both must give ss's holders, in ss's order).
	for src in $(owner_sources "$@"); do
		got=$(${RUNAS:-} "$L" -H --ss-columns ${src:+"--owners=$src"} "$@" 2>/dev/null |
			normalize)
		[ "$want" = "$got" ] && continue
		[ -n "$src" ] && echo "    with --owners=$src:"
		diff <(echo "$want") <(echo "$got") | sed 's/^/    /'
		return 1
	done
}

# bpf_owners: whether listen (L) can take the holders from the BPF iterator here, as RUNAS
# (root, with a kernel that has BTF and a build that has the source).
bpf_owners() {
	${RUNAS:-} "$L" -tlnpH --owners=bpf >/dev/null 2>&1
}

# owner_sources FLAGS...: the --owners values to run FLAGS with: "" (the default) alone
# without -p; with it proc and, where the iterator can run, bpf.
owner_sources() {
	local f
	for f in "$@"; do
		case $f in
		--*) ;;
		-*p*)
			echo proc
			bpf_owners && echo bpf
			return ;;
		esac
	done
	echo ""
}

# same_owners ARGS...: listen ARGS prints the same, on stdout and stderr and with the same exit
# status (timers' time left aside), with holders from the /proc walk and from the BPF iterator
# (when it can run here).
same_owners() {
	local a b
	bpf_owners || return 0
	{ ${RUNAS:-} "$L" --owners=proc "$@" 2>&1; echo "exit $?"; } >"$tmp/owners.proc"
	{ ${RUNAS:-} "$L" --owners=bpf "$@" 2>&1; echo "exit $?"; } >"$tmp/owners.bpf"
	a=$(untimed "$tmp/owners.proc")
	b=$(untimed "$tmp/owners.bpf")
	[ "$a" = "$b" ] && return 0
	echo "    --owners=proc and --owners=bpf differ for $*:"
	diff <(echo "$a") <(echo "$b") | head -10 | sed 's/^/    /'
	return 1
}

# usage_error MESSAGE ARGS...: listen ARGS fails with exit 2, one stderr line holding MESSAGE,
# and nothing on stdout.
usage_error() {
	local want=$1 out err status
	shift
	out=$("$L" "$@" 2>"$tmp/err")
	status=$?
	err=$(cat "$tmp/err")
	[ "$status" = 2 ] && [ -z "$out" ] && [ "$(wc -l <"$tmp/err")" = 1 ] &&
		grep -qF -- "$want" <<<"$err" && return 0
	echo "    status $status, stdout '$out', stderr '$err'"
	return 1
}
