# Shared by the live tests: sourced after they have entered their private network namespace.
# Expects L (the listen binary under test) and tmp (a scratch directory) to be set.

pass=0 fail=0

# check NAME COMMAND...: run the command, count it, and name it when it fails.
check() {
	local name=$1
	shift
	if "$@"; then
		pass=$((pass + 1))
	else
		echo "FAIL: $name"
		fail=$((fail + 1))
	fi
}

# Print the totals; the exit status says whether everything passed.
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
}

normalize() { sed -e 's/[[:space:]]\+/ /g' -e 's/ $//'; }
asnobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }

# has TEXT WANT: TEXT contains WANT literally.
has() { grep -qF -- "$2" <<<"$1" || { echo "    missing: $2"; return 1; }; }
# lacks TEXT UNWANTED: TEXT does not contain UNWANTED.
lacks() { ! grep -qF -- "$2" <<<"$1" || { echo "    unexpected: $2"; return 1; }; }

# Rows of `ss -H FLAGS` and `listen -H --no-services --no-scope FLAGS` (as RUNAS, if set),
# whitespace collapsed, must be identical.
same_rows() {
	local want got
	want=$(${RUNAS:-} ss -H "$@" | normalize)
	got=$(${RUNAS:-} "$L" -H --no-services --no-scope "$@" 2>/dev/null | normalize)
	[ -n "$want" ] || { echo "    ss printed no rows for $*"; return 1; }
	[ "$want" = "$got" ] && return 0
	diff <(echo "$want") <(echo "$got") | sed 's/^/    /'
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
