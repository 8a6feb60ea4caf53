#!/bin/bash
# Live test: -K closes exactly the sockets selected, in a private network namespace (their
# owners see the reset, ECONNABORTED, a listener gone), --dry-run closes none, nobody is
# refused; -M's rows against ss -M; -A and -f as ss spells them, against ss.
# Usage: kill.sh LISTEN KILLHELPER MPTCPHELPER FAMHELPER
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
live_enter "$0" unshare ss ip setpriv setcap python3 -- "$@"

ip link set lo up || exit 1
setup "$1"
coproc KH { exec python3 "$2"; }
helper_pids+=("$KH_PID") helper_fds+=("${KH[1]}")
read -r ready p0 p1 p2 <&"${KH[0]}"
[ "$ready" = ready ] || { echo "kill helper failed to start"; exit 1; }
state() { echo state >&"${KH[1]}" && read -r line <&"${KH[0]}" && echo "$line"; }
tcp_rows() { ss -Htan | normalize | sort; }

check "all open" test "$(state)" = \
	"c0=open c1=open c2=open a0=open a1=open a2=open l=open u=blocked m=open"

# Refused: no filter, unix sockets, nobody (with the reason, before anything is dumped).
check "bare -K refused" usage_error "refusing to close every socket: give a filter" -K
check "-K -t refused" usage_error "refusing to close every socket" -Kt
check "-K -x refused" usage_error "-K closes TCP and UDP sockets: not unix, raw or packet ones" -Kx src /tmp/x
out=$(asnobody "$L" -K dport = :"$p0" 2>&1)
status=$?
check "nobody: -K refused" test "$status" = 1
check "nobody: says why" has "$out" "listen: -K closes sockets with the kernel's SOCK_DESTROY: run as root (or give listen CAP_NET_ADMIN)"
check "nobody: one line" test "$(grep -c . <<<"$out")" = 1

# Capabilities lent to listen are for looking: a copy with CAP_NET_ADMIN (as given to read
# the firewall) run by nobody closes nothing, and says why.
install -m 755 "$1" "$tmp/listen-netadmin" && setcap cap_net_admin+ep "$tmp/listen-netadmin" || exit 1
out=$(asnobody "$tmp/listen-netadmin" -K dport = :"$p0" 2>&1)
check "lent CAP_NET_ADMIN: -K refused" test $? = 1
check "lent CAP_NET_ADMIN: says why" has "$out" "not with capabilities or set-id lent to listen"
check "lent CAP_NET_ADMIN: nothing closed" test "$(state)" = \
	"c0=open c1=open c2=open a0=open a1=open a2=open l=open u=blocked m=open"

# --dry-run lists what -K would close, closes nothing (also as nobody).
before=$(tcp_rows)
out=$("$L" -H --ss-columns -K --dry-run -n dport = :"$p0" or sport = :"$p0")
check "dry run: both ends listed" test "$(grep -c . <<<"$out")" = 2
check "dry run: the connection" has "$out" "127.0.0.1:$p0"
check "dry run: nothing closed" same_lines "$before" "$(tcp_rows)"
check "dry run as nobody" test "$(asnobody "$L" -H -K --dry-run -n dport = :"$p0" | grep -c .)" = 1
"$L" -K --dry-run dport = :9 >/dev/null 2>&1
check "dry run: none selected is status 1" test $? = 1
check "after dry runs all open" test "$(state)" = \
	"c0=open c1=open c2=open a0=open a1=open a2=open l=open u=blocked m=open"

# -K closes the one connection selected: the accepted end; the client sees the reset.
want=$(ss -Htn sport = :7101 and dport = :"$p1" | normalize)
out=$("$L" -H --ss-columns -K -t -n sport = :7101 and dport = :"$p1" 2>&1)
status=$?
check "-K: exit 0" test "$status" = 0
check "-K prints the socket it closed, as ss lists it" same_lines "$want" "$(normalize <<<"$out")"
after=$(tcp_rows)
check "-K: only that connection is gone" same_lines \
	"$(grep -v -e ":$p1 " -e ":$p1\$" <<<"$before")" "$after"
check "-K: its peer was reset, nothing else touched" test "$(state)" = \
	"c0=open c1=reset c2=open a0=open a1=aborted a2=open l=open u=blocked m=open"
"$L" -K -n sport = :7101 and dport = :"$p1" >/dev/null 2>"$tmp/err"
check "-K again: nothing left, status 1" test $? = 1
check "-K again: said" has "$(cat "$tmp/err")" "listen: -K: no socket matched: none closed"

# UDP: the blocked reader gets ECONNABORTED. JSON lists what was closed.
out=$("$L" -K -u --json -a sport = :7102)
check "-K -u: JSON of the socket closed" test \
	"$(jq -r '.[] | "\(.protocol) \(.local.port)"' <<<"$out")" = "udp 7102"
sleep 0.2
check "-K -u: the reader was aborted" has "$(state)" "u=ECONNABORTED"

# A listener: this kernel closes it (accept fails); its connections stay.
out=$("$L" -H -K -l -n sport = :7101 2>&1)
check "-K -l: the listener closed" test $? = 0
check "-K -l: printed" has "$out" "127.0.0.1:7101"
check "-K -l: listener gone, connections kept" test "$(state)" = \
	"c0=open c1=reset c2=open a0=open a1=aborted a2=open l=closed u=ECONNABORTED m=open"

# MPTCP: mptcp_diag has no SOCK_DESTROY: refused before anything is looked at (status 2).
out=$("$L" -H -K -M -l sport = :7103 2>"$tmp/err")
status=$?
check "-K -M: status 2" test "$status" = 2
check "-K -M: no row" test -z "$out"
check "-K -M: the reason" test "$(cat "$tmp/err")" = \
	"listen: -K: the kernel cannot close MPTCP, SCTP or vsock sockets (their sock_diag handlers have no SOCK_DESTROY); -t or -u"
check "-K -M: still open" has "$(state)" "m=open"
check "-K -M without a filter: the kernel's reason first" test \
	"$("$L" -K -M 2>&1 >/dev/null)" = \
	"listen: -K: the kernel cannot close MPTCP, SCTP or vsock sockets (their sock_diag handlers have no SOCK_DESTROY); -t or -u"
# --dry-run predicts what -K does: the TCP listener listed, the MPTCP one not, said, status 3.
out=$("$L" -H -K --dry-run -t -M -l sport = :7103 2>"$tmp/err")
status=$?
check "--dry-run -t -M: status 3, as -K's" test "$status" = 3
check "--dry-run -t -M: no MPTCP row" lacks "$out" "mptcp"
check "--dry-run -t -M: said" has "$(cat "$tmp/err")" \
	"listen: would not be closed: mptcp LISTEN"
check "--dry-run: nothing closed" has "$(state)" "m=open"
exec {KH[1]}>&-

# -M against ss -M: listeners on both families and a dual-stack one, with connections.
start mptcp python3 "$3"
for flags in -M -Ma -Ml -Man -Mln -M4a -M6a -Mlp -Manp -Mae "-A tcp,mptcp -a" "-A mptcp -l" \
	-Mtan; do
	# shellcheck disable=SC2086 # words of the flags
	check "ss $flags" same_rows $flags
done
check "ss -Ma sport = :7313" same_rows -Ma sport = :7313
RUNAS=asnobody check "ss -Ma as nobody" same_rows -Ma
RUNAS=asnobody check "ss -Mlp as nobody" same_rows -Mlp
out=$("$L" -Mlp -H)
check "-Mlp: holders" has "$out" "pid=$pid_mptcp,"

# -A and -f as ss spells them, for the kinds listen shows.
start fam python3 "$4"
for flags in "-f inet" "-f inet6" "-f unix" "-f inet -t" "-f inet -6" "-f unix -f inet -a" \
	"-A inet" "-A tcp" "-A udp" "-A all" "-A tcp -4" "-A inet -l" "-A udp,unix_stream -a" \
	"-A unix_dgram -a" "-A unix_stream,unix_dgram -a" "-A unix -l" "--query=mptcp -a" \
	"--socket=tcp,udp -an" "-A u_str,u_dgr -a" "-A inet,!udp -a" "-A all,!unix_stream -a" \
	"-A raw -a" "-A packet -a" "-f link" "-A p_raw,udp -a" "-A inet -a" "-f inet -a" \
	-4 -6 -4a -6l -4n -x4 -4ln; do
	# shellcheck disable=SC2086 # words of the flags
	check "ss $flags" same_rows $flags
	# shellcheck disable=SC2086
	RUNAS=asnobody check "ss $flags as nobody" same_rows $flags
done
# ss -A packet alone prints nothing (ss -0 and ss -A packet -a print the sockets); listen
# lists them as -0 does.
check "-A packet is -0" same_lines "$("$L" -H -0)" "$("$L" -H -A packet)"
err=$("$L" -A all 2>&1 >/dev/null)
check "-A all says what it leaves out" has "$err" \
	"listen: not shown: netlink, DCCP, TIPC and XDP sockets (listen does not read them yet)"
check "-A dccp refused" usage_error "-A dccp: DCCP sockets (-d) are not supported yet" -A dccp
check "-f netlink refused" usage_error "-f netlink: netlink sockets are not supported yet" -f netlink

# --vsock: this kernel has no vsock_diag (CONFIG_VSOCKETS_DIAG): one line, not an empty
# table; with other kinds, they are shown and the line says vsock's are not.
if ! zgrep -q '^CONFIG_VSOCKETS_DIAG=[ym]' /proc/config.gz 2>/dev/null &&
	! grep -qw vsock_diag /proc/modules 2>/dev/null; then
	out=$("$L" --vsock 2>"$tmp/err")
	status=$?
	check "--vsock without vsock_diag: status 1" test "$status" = 1
	check "--vsock without vsock_diag: no table" test -z "$out"
	check "--vsock without vsock_diag: says so" has "$(cat "$tmp/err")" \
		"listen: the kernel has no vsock_diag (No such file or directory): vsock sockets cannot be shown"
	out=$("$L" -H -tl --vsock 2>"$tmp/err")
	check "-tl --vsock: status 0" test $? = 0
	check "-tl --vsock: the TCP listeners" has "$out" "127.0.0.1:7202"
	check "-tl --vsock: vsock not shown, said" has "$(cat "$tmp/err")" "vsock sockets not shown"
	"$L" -A vsock_stream -l >/dev/null 2>&1
	check "-A vsock_stream: status 1" test $? = 1
else
	skip "this kernel has vsock_diag: the parser's rows are for a comparison with ss to come"
fi

# -S: this kernel has no SCTP: one line, status 1, not an empty table; with other kinds no
# SCTP socket can exist, and none is shown without a word.
if [ ! -e /proc/net/sctp ] && ! zgrep -q '^CONFIG_IP_SCTP=y' /proc/config.gz 2>/dev/null; then
	out=$("$L" -S 2>"$tmp/err")
	check "-S without SCTP: status 1" test $? = 1
	check "-S without SCTP: no table" test -z "$out"
	check "-S without SCTP: says so" has "$(cat "$tmp/err")" \
		"listen: this kernel has no SCTP (no sctp_diag, no /proc/net/sctp: the sctp module is not loaded): there are no SCTP sockets"
	check "-S without SCTP: one line" test "$(grep -c . "$tmp/err")" = 1
	"$L" -A sctp >/dev/null 2>&1
	check "-A sctp without SCTP: status 1" test $? = 1
	err=$("$L" -tS -l 2>&1 >/dev/null)
	check "-tS without SCTP: nothing said" test -z "$err"
else
	skip "this kernel has SCTP: its rows are for a comparison with ss to come"
fi

# -r: host names as ss -r gives them (here /etc/hosts' localhost), escaped.
check "ss -r -tan" same_rows -r -tan
check "ss -rn -tl" same_rows -rn -tl

# -Z and -z where SELinux is off: ss's message, status 1.
if [ ! -e /sys/fs/selinux/enforce ]; then
	out=$("$L" -Z -tl 2>&1)
	check "-Z: status 1" test $? = 1
	check "-Z: says why" has "$out" "listen: -Z: SELinux is not enabled"
fi
finish
