#!/bin/bash
# Live test of the Service and Scope columns and the warnings: sockets on addresses of every
# scope class, on a veth pair in a private network namespace. Usage: scope.sh LISTEN SOCKHELPER
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
live_enter "$0" unshare ss ip setpriv script -- "$@"
here=$(dirname "$0")
# shellcheck source=scope-net.sh
. "$here/scope-net.sh" || { echo "cannot set up the interfaces"; exit 1; }
setup "$1"
coproc HELPER { exec "$2" "${scope_sockets[@]}"; }
helper_pids+=("$HELPER_PID") helper_fds+=("${HELPER[1]}")
read -r ready _ <&"${HELPER[0]}"
[ "$ready" = ready ] || { echo "socket helper failed to start"; exit 1; }

# row TEXT ADDR:PORT: the row of TEXT (whitespace collapsed) whose local address is ADDR:PORT.
row() { normalize <<<"$1" | grep -F -- " $2 " | head -1; }
# expect ADDR:PORT SERVICE SCOPE [WARNING]: the row shows that service, scope and warning
# (or none).
expect() {
	local r want
	r=$(row "$out" "$1")
	want="$1 $(sed -n 's/.* \([^ ]*:\*\) .*/\1/p' <<<"$r") $2 $3"
	[ -z "$2" ] && want="$1 $(sed -n 's/.* \([^ ]*:\*\) .*/\1/p' <<<"$r") $3"
	[ -n "${4:-}" ] && want+=" $4"
	[ "${r#* * * * }" = "$want" ] && return 0
	echo "    want: ... $want"
	echo "    got:  $r"
	return 1
}

out=$("$L" -tuln)
check "redis on all" expect 0.0.0.0:6379 redis? all "! redis?: often no auth by default"
check "loopback: no warning" expect 127.0.0.1:5432 postgresql? loopback
check "dual-stack all" expect '*:80' http? all
check "v6only all" expect '[::]:443' https? "all (v6 only)"
check "lan names the interface" expect 10.1.2.3:23 telnet? "lan (d0)" "! telnet?: cleartext credentials"
check "CGNAT is lan" expect 100.64.0.9:3306 mysql? "lan (d0)" "! mysql?: database exposed to the network"
check "link-local v4" expect 169.254.7.7:2375 docker? "link-local (d0)" \
	"! docker?: unauthenticated root access to the host"
check "public v4" expect 203.0.113.7:9200 elasticsearch? "public (d1)" \
	"! elasticsearch?: often no auth by default"
check "ULA is lan" expect '[fd00::5]:5984' couchdb? "lan (d0)" \
	"! couchdb?: often no auth by default (before 3.0)"
check "link-local v6 bound by scope id" expect '[fe80::1234]%d0:22' ssh? "link-local (d0)"
check "public v6, no note" expect '[2001:db8::9]:993' imaps? "public (d1)"
check "device-bound wildcard" expect 0.0.0.0%d1:8080 http-alt? device:d1
check "wildcard on lo is loopback" expect 0.0.0.0%lo:9090 prometheus? loopback
check "v4-mapped loopback" expect '[::ffff:127.0.0.2]:8888' jupyter? loopback
check "unnamed port" expect 0.0.0.0:12345 "" all
check "ephemeral: no guess" expect 0.0.0.0:57000 "" all
check "X11 range" expect 0.0.0.0:6010 x11? all "! x11?: screen access and keystroke capture"
check "snmp on udp" expect 0.0.0.0:161 snmp? all \
	"! snmp?: cleartext community strings; UDP amplification"
check "multicast" expect 224.0.0.251:5353 mdns? multicast "! mdns?: leaks host and service names"
check "udp loopback memcached" expect 127.0.0.1:11211 memcached? loopback
check "514/udp is syslog" expect 0.0.0.0:514 syslog? all "! syslog?: unauthenticated, spoofable log input"
check "514/tcp is rsh" has "$(row "$(sed -n '/^tcp/p' <<<"$out")" 0.0.0.0:514)" \
	"rsh? all ! rsh?: host-based trust, cleartext"

# The ephemeral range is the namespace's own: move it, and the port is still not named, since
# the services files name ports below 1024 only (tproxy-like registrations mislead).
echo "40000 50000" >/proc/sys/net/ipv4/ip_local_port_range
out=$("$L" -tuln)
check "outside the ephemeral range: files still unused" expect 0.0.0.0:57000 "" all
echo "32768 60999" >/proc/sys/net/ipv4/ip_local_port_range

# Without -n the port column uses /etc/services like ss; the Service column is still ours.
out=$("$L" -tl)
check "named port column" has "$(row "$out" 0.0.0.0:redis)" "0.0.0.0:redis 0.0.0.0:* redis? all"
check "ss names with its file" has "$(normalize <<<"$out")" "100.64.0.9:mysql 0.0.0.0:* mysql? lan (d0)"

# The columns go away on request, and then the rows are ss's.
out=$("$L" -tuln --no-services)
check "--no-services: no column" lacks "$(head -1 <<<"$out")" Service
check "--no-services: no warnings" lacks "$out" "! "
check "--no-services keeps Scope" has "$(row "$out" 10.1.2.3:23)" "lan (d0)"
check "--no-scope" lacks "$("$L" -tuln --no-scope | head -1)" Scope
for flags in -tuln -tul -tuan -tulne; do
	check "ss $flags" same_rows "$flags"
	RUNAS=asnobody check "ss $flags as nobody" same_rows "$flags"
done
# Unprivileged users get the same services, scopes and interface names.
check "nobody sees the same" test "$(asnobody "$L" -tuln)" = "$("$L" -tuln)"

# Colour: only when asked, or on a terminal without NO_COLOR; never in the plain text.
esc=$'\033['
check "--color=always" has "$("$L" -tln --color=always)" "${esc}1;31m! redis"
check "auto, piped: none" lacks "$("$L" -tln)" "$esc"
check "--color=never" lacks "$("$L" -tln --color=never)" "$esc"
# On a terminal (script gives one): colour and the summary line, unless NO_COLOR or -H.
tty_out=$(TERM=xterm script -qec "$L -tuln" /dev/null)
check "tty: colour" has "$tty_out" "${esc}1;31m! "
# The table fits the terminal there (the warning without the Service's name); -W is whole.
check "tty -W: colour" has "$(TERM=xterm script -qec "$L -tuln -W" /dev/null)" \
	"${esc}1;31m! redis"
check "tty: summary" has "$tty_out" "22 listeners: 18 bound beyond loopback, 11 with warnings"
check "tty, NO_COLOR: none" lacks "$(NO_COLOR=1 TERM=xterm script -qec "$L -tuln" /dev/null)" "$esc"
check "tty, -H: no summary" lacks "$(TERM=xterm script -qec "$L -tulnH" /dev/null)" "reachable"
check "piped: no summary" lacks "$("$L" -tuln)" "reachable"

check "bad --color" usage_error "--color takes auto, always or never, not 'sometimes'" \
	--color=sometimes
finish
