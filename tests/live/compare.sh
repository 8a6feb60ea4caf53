#!/bin/bash
# Live test: real sockets in a private network namespace; listen's rows must equal ss's rows
# for the same flags, as root and as nobody. Usage: compare.sh LISTEN SOCKHELPER
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
live_enter "$0" unshare ss ip setpriv -- "$@"

ip link set lo up || exit 1
setup "$1"
coproc HELPER { exec "$2"; }
helper_pids+=("$HELPER_PID") helper_fds+=("${HELPER[1]}")
read -r ready parent worker nobody_pid <&"${HELPER[0]}"
[ "$ready" = ready ] || { echo "socket helper failed to start"; exit 1; }

for flags in -tln -uln -tan -uan -tlnp -tln4 -tln6 -tlne -tuln -tuan -tulnp -tulnpe -tanp \
	-uanp -tanpe -ulne -tlnp4 -ulnp6 -tl -ua -tua -tupe -t -u -u4 -t6 -tue4 -t46 -t64 -tln64; do
	check "ss $flags" same_rows "$flags"
done
# Byte for byte, without the header too: ss writes the queues six wide either way, so scripts
# that cut columns by position get the same columns.
for flags in -Htln -Htuan -tln -Htulnp; do
	check "ss $flags --ss-columns, byte for byte" same_lines \
		"$(ss "$flags" | sed -e 's/Process$//' -e 's/ *$//')" \
		"$("$L" --ss-columns "$flags" | sed 's/ *$//')"
done
for flags in -tlnp -ulnp -tuanp -tlnpe; do
	RUNAS=asnobody check "ss $flags as nobody" same_rows "$flags"
done

# The scopes are all there, printed the way ss prints them.
has() { grep -qF -- "$2" <<<"$1" || { echo "    missing: $2"; return 1; }; }
out=$("$L" -H --no-services --no-scope -tln | normalize)
for want in "0.0.0.0:22 " "127.0.0.1:8080 " "*:80 *:*" "[::]:443 [::]:*" "[::1]:631 " \
	"0.0.0.0%lo:5432 " "[::]%lo:6379 "; do
	check "scope $want" has "$out" "$want"
done
check "v4-mapped peer" has "$("$L" -H -tn)" "[::ffff:127.0.0.1]:"
check "service names" has "$("$L" -H --no-scope -tl | normalize)" "0.0.0.0:ssh 0.0.0.0:* ssh"

# Every holder of the shared listener, in ss's order: highest pid first, then highest fd.
holders="users:((\"lsn-worker\",pid=$worker,fd=4),(\"lsn-worker\",pid=$worker,fd=3),"
holders+="(\"lsn-parent\",pid=$parent,fd=4),(\"lsn-parent\",pid=$parent,fd=3))"
check "all holders of :22" has "$("$L" -H -tlnp)" "$holders"

# As nobody: every row, nobody's own listener with its owner, root's without, one notice.
err=$(asnobody "$L" -tlnp 2>&1 >"$tmp/out")
check "nobody: rows" test "$(wc -l <"$tmp/out")" -eq 9
check "nobody: own owner" has "$(grep ':9100 ' "$tmp/out")" "(\"lsn-nobody\",pid=$nobody_pid,fd=3)"
check "nobody: root's hidden" test -z "$(grep ':22 ' "$tmp/out" | grep users)"
check "nobody: notice" has "$err" "listen: owners of 7 sockets hidden"
check "nobody: firewall notice" has "$err" "listen: the firewall ruleset needs CAP_NET_ADMIN"
# (Other processes on the machine that exit while the walk reads them are said too, on lines
# of their own: not counted.)
check "nobody: one notice line each" test \
	"$(grep -v 'exited while it was read\|processes not read:$' <<<"$err" | wc -l)" -eq 2

# File capabilities instead of root: both together show every holder, as root sees them; either
# alone hides root's holders and says so (CAP_DAC_READ_SEARCH opens fd tables, CAP_SYS_PTRACE
# reads their links). On a copy of the binary, run as nobody.
if command -v setcap >/dev/null; then
	cp "$L" "$tmp/listen-caps"
	setcap cap_sys_ptrace,cap_dac_read_search,cap_net_admin+ep "$tmp/listen-caps"
	err=$(asnobody "$tmp/listen-caps" -tlnp 2>&1 >"$tmp/out")
	check "caps: root's holders" same_lines "$("$L" -tlnp)" "$(cat "$tmp/out")"
	check "caps: no notice" test -z "$err"
	for cap in cap_sys_ptrace cap_dac_read_search; do
		setcap "$cap+ep" "$tmp/listen-caps"
		err=$(asnobody "$tmp/listen-caps" -tlnp 2>&1 >"$tmp/out")
		check "$cap alone: root's hidden" test -z "$(grep ':22 ' "$tmp/out" | grep users)"
		check "$cap alone: notice" has "$err" "listen: owners of 7 sockets hidden"
	done
else
	skip "setcap is missing (libcap2-bin): capabilities not checked"
fi
check "root: no notice" test -z "$("$L" -tlnp 2>&1 >/dev/null)"

# The owner sources. The BPF iterator, where root may load it, gives the same holders as the
# walk (same_rows ran every -p comparison above with each); -e names neither, --verbose says
# which ran. Nobody gets the walk, silently, and a clear error when it asks for the iterator.
if bpf_owners; then
	check "bpf: root's choice" has "$("$L" --verbose -tlnp 2>&1 >/dev/null)" \
		"listen: owners: the kernel's task_file iterator ("
	check "bpf: forced walk said" has "$("$L" --verbose --owners=proc -tlnp 2>&1 >/dev/null)" \
		"listen: owners: walking /proc (the BPF iterator: asked for)"
	for flags in -tlnp -tuanpe -ulnp; do
		check "bpf: same table $flags" same_owners "$flags"
		check "bpf: same JSON $flags" same_owners --json "$flags"
	done
	check "bpf: same owner view" same_owners :22
	check "bpf: same pids" same_owners --pids :22
	check "bpf: same audit" same_owners --audit --json
	if command -v setcap >/dev/null; then
		# CAP_BPF and CAP_PERFMON alone: the kernel lists every holder, /proc still
		# describes them (stat is world-readable), so nothing is hidden.
		setcap cap_bpf,cap_perfmon+ep "$tmp/listen-caps"
		err=$(asnobody "$tmp/listen-caps" --verbose -tlnp 2>&1 >"$tmp/out")
		check "bpf caps: root's holders" same_lines "$("$L" -tlnp | grep -o 'users:.*')" \
			"$(grep -o 'users:.*' "$tmp/out")"
		check "bpf caps: the iterator ran" has "$err" "the kernel's task_file iterator"
		check "bpf caps: no hidden notice" lacks "$err" "hidden"
		setcap -r "$tmp/listen-caps"
	fi
	# Root in a container without CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN: the walk, the
	# same holders, and not a word on stderr; asked for, the iterator is refused with why.
	nobpf=(setpriv --bounding-set=-bpf,-perfmon,-sys_admin --)
	err=$("${nobpf[@]}" "$L" -tlnp 2>&1 >"$tmp/out")
	check "no CAP_BPF: root's holders" same_lines "$("$L" -tlnp | grep -o 'users:.*')" \
		"$(grep -o 'users:.*' "$tmp/out")"
	check "no CAP_BPF: nothing on stderr" test -z "$err"
	check "no CAP_BPF: the walk, said with --verbose" has \
		"$("${nobpf[@]}" "$L" --verbose -tlnp 2>&1 >/dev/null)" "listen: owners: walking /proc"
	check "no CAP_BPF: --owners=bpf exits 1" test \
		"$("${nobpf[@]}" "$L" --owners=bpf -tlnp >/dev/null 2>&1; echo $?)" = 1
else
	skip "the BPF iterator cannot run here (build, kernel or BTF): its checks skipped"
fi
check "nobody: walk, said with --verbose" has "$(asnobody "$L" --verbose -tlnp 2>&1 >/dev/null)" \
	"listen: owners: walking /proc (the BPF iterator: "
out=$(asnobody "$L" --owners=bpf -tlnp 2>"$tmp/err")
check "nobody: --owners=bpf exits 1" test "$?" = 1
check "nobody: --owners=bpf says why" same_lines "$(cat "$tmp/err")" \
	"listen: --owners=bpf: needs CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN"
check "nobody: --owners=bpf prints nothing" test -z "$out"
check "--owners=bpf without -p: nothing to look up" lacks \
	"$(asnobody "$L" --owners=bpf -tln 2>&1 >/dev/null; echo "exit $?")" "owners"
check "--owners=bpf without -p: exit 0" test "$(asnobody "$L" --owners=bpf -tln 2>/dev/null >&2; echo $?)" = 0
check "bad --owners" usage_error "--owners takes auto, proc or bpf, not 'x'" --owners=x

# A capture replays to the same output as the live dump.
"$L" -tuanpe --dump-netlink "$tmp/cap" >"$tmp/live" || echo "dump failed"
"$L" -tuanpe --replay-netlink "$tmp/cap" >"$tmp/replay"
check "capture replays" cmp -s "$tmp/live" "$tmp/replay"

# Bad usage: one line naming the problem, exit 2, nothing on stdout.
check "unknown short flag" usage_error "unknown option '-Y'" -tY
check "unknown long flag" usage_error "unknown option '--bogus'" --bogus
check "stray argument" usage_error "filter: unknown word 'bogus'" -tln bogus
check "missing value" usage_error "option '--dump-netlink' needs an argument" --dump-netlink
check "help" has "$("$L" --help)" "Usage: listen"
check "bad capture" test "$("$L" --replay-netlink /etc/hostname 2>&1 >/dev/null; echo $?)" = \
	"listen: /etc/hostname: not a valid netlink capture
1"

# Output errors (a reader that goes away, a full disk, a closed stdout): faults.sh.

finish
