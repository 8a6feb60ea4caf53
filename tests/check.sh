# Sourced by the test scripts: counting checks and reporting them.

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

# skip WHY: a part of the test cannot run here; under LISTEN_TESTS_STRICT (CI) that fails.
skip() {
	echo "SKIP: $1"
	[ -n "${LISTEN_TESTS_STRICT:-}" ] && fail=$((fail + 1))
	return 0
}

# Print the totals; the exit status says whether everything passed and something was checked.
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
}
