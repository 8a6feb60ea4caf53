#!/bin/bash
# Live test of -Z and -z in a private network namespace, as root and as nobody. Where SELinux
# is off (as libselinux decides: ss -Z says so), listen says ss's answer with ss's status (1),
# nothing on stdout, one line on stderr, before anything else: with other options, with
# --json, with a selection. Where it is on, -Z's and -z's rows are ss's (the holders' contexts,
# and their sockets'), each context as the kernel gives it (/proc/PID/attr/current). Anywhere:
# a context nobody is refused is "unavailable" and said once, "refused" in JSON, never "none"
# (a copy of tests/data/proc-selinux with two files nobody cannot read).
# Usage: selinux.sh LISTEN SOCKHELPER DATA_DIR (tests/data)
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
live_enter "$0" unshare ss ip setpriv jq -- "$@"
ip link set lo up || exit 1
setup "$1"
install -m 755 "$2" "$tmp/sockhelper" || exit 1
H=$tmp/sockhelper
data=$3

start web "$H" -comm web tcp,127.0.0.1,8080 udp,127.0.0.1,5353
start db asnobody "$H" -comm db tcp,0.0.0.0,5432

# off RUNAS FLAGS...: listen FLAGS (as RUNAS: "" or asnobody) answers as ss does where SELinux
# is off: ss's status, no output, one line naming the option.
off() {
	local runas=$1 a opt out status want_status
	shift
	opt=-Z
	for a in "$@"; do
		case $a in --contexts | -[!-]*z* | -z*) opt=-z ;; esac
	done
	${runas:+$runas} ss -tl "$opt" >/dev/null 2>&1
	want_status=$?
	out=$(${runas:+$runas} "$L" "$@" 2>"$tmp/err")
	status=$?
	[ "$status" = 1 ] && [ "$status" = "$want_status" ] && [ -z "$out" ] &&
		[ "$(wc -l <"$tmp/err")" = 1 ] &&
		grep -qxF "listen: $opt: SELinux is not enabled: there are no contexts to show" \
			"$tmp/err" && return 0
	echo "    status $status (ss: $want_status), stdout '$out', stderr '$(cat "$tmp/err")'"
	return 1
}

if ! ss -tlZ >/dev/null 2>&1; then
	check "ss: SELinux is off here" has "$(ss -tlZ 2>&1)" "SELinux is not enabled"
	for who in "" asnobody; do
		name=${who:-root}
		check "$name: -Z" off "$who" -Z
		check "$name: -z" off "$who" -z
		check "$name: -tlnZ" off "$who" -tlnZ
		check "$name: -tlnpz" off "$who" -tlnpz
		check "$name: --context --json" off "$who" --context --json
		check "$name: --contexts --json=lines" off "$who" --contexts --json=lines
		check "$name: -Z with a filter" off "$who" -tZ sport = :8080
		check "$name: -z -A all (before its notice)" off "$who" -z -A all
		check "$name: -Z -s" off "$who" -Z -s
	done
	# Refused combinations are usage errors first, as any.
	check "-Z --audit" usage_error "-Z and -z add to the holders" -Z --audit
	check "-z :8080" usage_error "-Z and -z add to the holders" -z :8080
else
	# ss's rows with the holders' contexts, as root and as nobody (who reads its own
	# processes' contexts; the others' as the policy lets it).
	check "-tlnZ: ss's rows" same_rows -tlnZ
	check "-tlnz: ss's rows" same_rows -tlnz
	check "-ulnz: ss's rows" same_rows -ulnz
	RUNAS=asnobody
	check "nobody: -tlnZ: ss's rows" same_rows -tlnZ
	unset RUNAS
	ctx=$(tr -d '\0' <"/proc/$pid_web/attr/current")
	check "web's context" has "$("$L" -tlnZ --ss-columns)" "pid=$pid_web,proc_ctx=$ctx,fd="
fi

# Refused: nobody cannot read 4352's attr/current nor its fd 3's context in a copy of the
# fixture tree (a test tree is taken without lent privileges only, and nobody has none).
cp -a "$data/proc-selinux" "$tmp/proc" || exit 1
chmod -R a+rX "$tmp/proc"
chmod 000 "$tmp/proc/4352/attr/current" "$tmp/proc/4352/fdcontext/3"
fix=(--replay-netlink "$data/sockets.nl" --proc-root "$tmp/proc" --state-root "$data/state")
out=$(asnobody "$L" "${fix[@]}" -tlnz --ss-columns 2>"$tmp/err")
check "refused: status 0" test $? = 0
check "refused: said once" same_lines "listen: -z: the SELinux contexts of 1 holder and 1 \
socket fd could not be read: permission denied" "$(cat "$tmp/err")"
check "refused: unavailable in the table" has "$out" \
	'("lsn-parent",pid=4352,proc_ctx=unavailable,fd=3,sock_ctx=unavailable)'
check "refused: the others read" has "$out" \
	'("lsn-parent",pid=4352,proc_ctx=unavailable,fd=4,sock_ctx=unconfined_u:'
out=$(asnobody "$L" "${fix[@]}" -tlnz --json 2>/dev/null)
check "refused: JSON says refused, not none" jq -e '[.[].processes[]? |
	select(.pid == 4352 and .fd == 3)][0] | .proc_ctx == null and
	.proc_ctx_error == "refused" and .sock_ctx == null and .sock_ctx_error == "refused"' \
	<<<"$out"
out=$(asnobody "$L" "${fix[@]}" -tlnZ --json 2>"$tmp/err")
check "refused -Z: the holder only" same_lines "listen: -Z: the SELinux contexts of 1 holder \
could not be read: permission denied" "$(cat "$tmp/err")"
# Root reads them (its own choice of a test tree: no lent rights).
out=$("$L" "${fix[@]}" -tlnz --ss-columns 2>"$tmp/err")
check "root: nothing refused" test ! -s "$tmp/err"
check "root: 4352's read" has "$out" \
	'("lsn-parent",pid=4352,proc_ctx=unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023,fd=3,'
finish
