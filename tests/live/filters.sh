#!/bin/bash
# Live test of filters in a private network namespace: ss's expressions give listen the rows ss
# gives, with the bytecode in the kernel and with userspace alone; the kernel really filters;
# `listen :PORT` shows a known holder in full; --pids; bad filters exit 2, nothing found 1.
# Usage: filters.sh LISTEN SOCKHELPER
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
live_enter "$0" unshare ip setpriv ss /usr/bin/python3 -- "$@"
ip link set lo up || exit 1
# Addresses beyond 127/8 and ::1 for src/dst prefixes, all on lo: nothing leaves this namespace.
ip addr add 10.1.2.3/32 dev lo && ip addr add fd00::5/128 dev lo || exit 1
setup "$1"

coproc HELPER { exec "$2"; }
helper_pids+=("$HELPER_PID") helper_fds+=("${HELPER[1]}")
read -r ready parent _ <&"${HELPER[0]}"
[ "$ready" = ready ] || { echo "socket helper failed to start"; exit 1; }

# More sockets, from a holder whose pid, command line and executable are known: listeners on
# other addresses and high ports, connections to 10/8 and fd00::/8, a closed connection left in
# TIME-WAIT, UDP bound and connected. It prints "ready" and holds them until stdin closes.
cat >"$tmp/more.py" <<'EOF'
import socket, sys
keep = []
def listen(family, addr, port):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((addr, port))
    s.listen(8)
    keep.append(s)
    return s
def connect(family, addr, port, server):
    c = socket.socket(family, socket.SOCK_STREAM)
    c.connect((addr, port))
    a, _ = server.accept()
    keep.extend([c, a])
    return c, a
def udp(family, addr, port, peer=None):
    u = socket.socket(family, socket.SOCK_DGRAM)
    u.bind((addr, port))
    if peer:
        u.connect(peer)
    keep.append(u)
mysql = listen(socket.AF_INET, "10.1.2.3", 3306)
couch = listen(socket.AF_INET6, "fd00::5", 5984)
listen(socket.AF_INET, "127.0.0.2", 8443)
listen(socket.AF_INET, "127.5.6.7", 40000)
connect(socket.AF_INET, "10.1.2.3", 3306, mysql)
connect(socket.AF_INET6, "fd00::5", 5984, couch)
c, a = connect(socket.AF_INET, "10.1.2.3", 3306, mysql)
c.close()  # the side that closes first waits in TIME-WAIT
keep.remove(c)
a.close()
keep.remove(a)
udp(socket.AF_INET, "10.1.2.3", 514)
listen(socket.AF_INET, "127.0.0.1", 0)  # a port the kernel chose: autobound, as is a client's
keep.append(socket.create_connection(("127.0.0.1", 80)))  # dport = :www (never accepted)
udp(socket.AF_INET6, "fd00::5", 0, ("fd00::5", 5353))
print("ready", flush=True)
sys.stdin.read()
EOF
exec 3>&2 2>/dev/null # bash warns that the first coprocess still runs: it should
coproc MORE { exec /usr/bin/python3 "$tmp/more.py" filter-holder-arg 2>&3; }
exec 2>&3 3>&-
helper_pids+=("$MORE_PID") helper_fds+=("${MORE[1]}")
read -r ready <&"${MORE[0]}"
[ "$ready" = ready ] || { echo "python holder failed to start"; exit 1; }

# Differential: each expression through ss -H and listen -H (bytecode in the kernel), and
# listen --no-bytecode (userspace alone). Counts the expressions that selected something.
nonempty=0
set -f # '*' in expressions is ss's, not the shell's
filter_rows() { # FLAGS EXPR [listen options...]: EXPR split into words, as typed
	local flags=$1 want got words
	read -ra words <<<"$2"
	shift 2
	want=$(ss -H "$flags" "${words[@]}" 2>&1 | normalize | sort)
	got=$("$L" -H --ss-columns "$@" "$flags" "${words[@]}" 2>&1 | normalize | sort)
	[ "$want" = "$got" ] || { diff <(echo "$want") <(echo "$got") | head -8 | sed 's/^/    /'; return 1; }
	[ -z "$want" ] || [ "$#" -gt 0 ] || nonempty=$((nonempty + 1))
}
while IFS='|' read -r flags expr; do
	case $flags in '' | '#'*) continue ;; esac
	check "ss $flags '$expr'" filter_rows "$flags" "$expr"
	check "userspace $flags '$expr'" filter_rows "$flags" "$expr" --no-bytecode
done <<'EOF'
# Ports: every operator and its synonyms, names from /etc/services.
-tuan|sport = :22
-tuan|sport == :22
-tuan|sport eq :22
-tuan|sport :22
-tuan|sport = 22
-tuan|sport != :22
-tuan|sport ne :22
-tuan|sport neq :22
-tuan|sport > :1024
-tuan|sport gt :1024
-tuan|sport < :1024
-tuan|sport lt :1024
-tuan|sport >= :8080
-tuan|sport ge :8080
-tuan|sport geq :8080
-tuan|sport <= :631
-tuan|sport le :631
-tuan|sport leq :631
-tuan|dport = :53
-tuan|dport != :0
-tuan|dport > :30000
-tuan|dport <= :1024
-tuan|sport = :http
-tuan|sport = :ssh or sport = :https
-tuan|dport = :domain
-tuan|sport = :* and dport = :*
# Aliases from /etc/services (http's www, http-alt's webcache, postgresql's postgres, shell's
# syslog for TCP where UDP's name is syslog); a comparison with '*' (any port) selects nothing.
-tuan|dport = :www
-tan|sport = webcache
-tuan|sport = :postgres or sport = :www
-tuan|sport = :syslog
-tan|sport = :syslog
-uan|sport = :syslog
-tan|dport <= *
-tan|sport > :*
-tuan|sport < :* or sport = :22
# autobound: ports the kernel chose (clients, bind to port 0), not a listener bound to 40000.
-tuan|autobound
-tuan|autobound and dst 127.0.0.0/8
-tuan|state listening autobound
# Addresses: exact, prefixes, IPv6, ports with them, v4 patterns on v4-mapped sockets.
-tuan|src 127.0.0.1
-tuan|src 127.0.0.0/8
-tuan|src 10.0.0.0/8
-tuan|dst 10.0.0.0/8
-tuan|src [::1]
-tuan|src fd00::/8
-tuan|src [fd00::5]
-tuan|dst [fd00::5]:5984
-tuan|src 127.0.0.1:8080
-tuan|src [::1]:631
-tuan|src *:22
-tuan|dst 127.0.0.1:53
-tuan|src 0.0.0.0
-tuan|dst 0.0.0.0
-tuan|src 0.0.0.0/0
-tuan|dst [::ffff:127.0.0.1]
-tuan|src 127.0.0.1/32:22
-tuan|src localhost
-tuan|src any
-tuan|src all:22
-tuan|dst default
-tuan|dst any:8080 or src default:53
-tln4|src 0.0.0.0/0
-tln6|src ::/0
# Devices.
-tuan|dev = lo
-tuan|dev lo
-tuan|dev != lo
-tuan|not dev = lo
-tuan|dev = 1
# Combinations: every spelling of and, or, not; juxtaposition; ss's left-to-right precedence.
-tuan|sport = :22 or sport = :80
-tuan|sport = :22 || sport = :80 | sport = :443
-tuan|sport = :22 and dport = :0
-tuan|sport = :22 && src 0.0.0.0
-tuan|sport = :22 & src 0.0.0.0
-tuan|sport > :1000 sport < :9000
-tuan|not sport = :22
-tuan|! sport = :22
-tuan|( sport = :22 or sport = :80 ) and src 0.0.0.0/0
-tuan|sport = :22 or sport = :80 and src 0.0.0.0/0
-tuan|sport = :22 or ( sport = :80 and src 0.0.0.0/0 )
-tuan|sport = :8080 or sport = :3306 and sport = :3306
-tuan|sport = :3306 and sport = :8080 or sport = :22
-tuan|not ( sport = :22 or sport = :53 )
-tuan|sport = :53 or not dst 127.0.0.0/8 and sport < :9000
-tuan|not not src 10.1.2.3
# States: names, groups, several clauses, exclude, with conditions after them.
-tu|state established
-tu|state listening
-tu|state connected
-tu|state time-wait
-tu|exclude listening
-tu|state established sport = :22
-tu|state established dport = :3306 or dport = :5984
-tu|state synchronized
-tu|state bucket
-tu|state big
-tu|exclude established exclude listening
-u|state closed
-tu|state unknown
-tu|state listening state established
-tln|sport >= :1 and sport <= :1024
-uln|src 127.0.0.1
EOF
check "at least 60 expressions selected rows" test "$nonempty" -ge 60

# A flat chain of 101 alternating or/and, without parentheses: chaining is not nesting. It
# selects the sockets on port 101 (the last term is or-ed) and those on 100 that match the rest.
chain="sport = :0"
for i in $(seq 1 101); do chain+=" $([ $((i % 2)) = 1 ] && echo or || echo and) sport = :$i"; done
check "ss: 101 alternating and/or" filter_rows -tuan "$chain"
check "userspace: 101 alternating and/or" filter_rows -tuan "$chain" --no-bytecode

# Past 64 KiB of bytecode (2400 IPv6 destinations), listen sends none and filters it all in
# userspace: the rows of the two conditions that hold here, with every field right (ss sends
# its program cut short and prints listeners' Send-Q as 0).
big="dst [2001:db8::1]"
for i in $(seq 2 2400); do big+=" or dst [2001:db8::$(printf %x "$i")]"; done
check "over 64 KiB of bytecode: userspace alone" same_lines \
	"$("$L" -H -tuan 'sport = :22 or sport = :8080')" \
	"$("$L" -H -tuan "$big or sport = :22 or sport = :8080")"

# The kernel filters: a capture taken with a filter holds only what it selects.
"$L" -tuan --dump-netlink "$tmp/cap" 'sport = :22' >/dev/null
check "kernel filtered the dump" same_lines "$("$L" -H -tuan 'sport = :22')" \
	"$("$L" -H -tuan --replay-netlink "$tmp/cap")"
"$L" -tuan --no-bytecode --dump-netlink "$tmp/cap" 'sport = :22' >/dev/null
check "--no-bytecode dumps everything" test "$("$L" -H -tuan --replay-netlink "$tmp/cap" | wc -l)" -gt 20

# Who owns a port: the python holder, in full. One clock for the runs compared below, so
# an age ("10s ago") cannot tick between them.
now=$(date +%s)
out=$("$L" --now="$now" :3306 2>&1)
check ":3306 exit 0" test $? = 0
check ":3306 socket" has "$out" "tcp  LISTEN  10.1.2.3:3306"
check ":3306 pid and user" has "$out" "  pid $MORE_PID  python3  user root  fd "
check ":3306 command line" has "$out" "command   /usr/bin/python3 $tmp/more.py filter-holder-arg"
check ":3306 exe" has "$out" "exe       $(readlink -f /usr/bin/python3)"
check ":3306 parent" has "$out" "parent    $$ "
check ":3306 start time" grep -qE '^    started   [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} .* \([0-9]+s ago\)$' <<<"$out"
check "3306 without the colon" same_lines "$out" "$("$L" --now="$now" 3306 2>&1)"
check "a list" has "$("$L" :3306,5984 2>&1)" "tcp  LISTEN  [fd00::5]:5984"
check "a range" has "$("$L" :5000-6000 2>&1)" "tcp  LISTEN  [fd00::5]:5984"
check "a name" has "$("$L" :ssh 2>&1)" "pid $parent  lsn-parent"
check "-a adds connections" has "$("$L" -a :3306 2>&1)" "tcp  ESTAB"
check "more conditions" has "$("$L" :3306 src 10.1.2.3 2>&1)" "10.1.2.3:3306"
out=$("$L" :9 2>&1)
check "nothing on :9: exit 1" test $? = 1
check "nothing on :9: one line" same_lines "listen: no listening TCP or UDP socket on :9" "$out"
check "--pids" same_lines "$MORE_PID" "$("$L" --pids :3306)"
check "--pids of several" same_lines "$(printf '%s\n' "$parent" "$MORE_PID" | sort -n | uniq)" \
	"$("$L" --pids :22,3306 | grep -E "^($parent|$MORE_PID)$")"
"$L" --pids :9 >"$tmp/out" 2>/dev/null
check "--pids nothing: exit 1" test $? = 1
check "--pids nothing: no output" test ! -s "$tmp/out"
# As nobody: the socket, its holder hidden, the notice; nobody's own holders shown.
out=$(asnobody "$L" :3306 2>&1)
check "nobody: socket shown" has "$out" "10.1.2.3:3306"
check "nobody: holder hidden" has "$out" "holder hidden: run as root to see it"
check "nobody: notice" has "$out" "listen: owners of 1 socket hidden"
check "nobody: --pids exit 1" test "$(asnobody "$L" --pids :3306 >/dev/null 2>&1; echo $?)" = 1

# -F: the expression from a file, comments and all, after the arguments.
printf '# ssh and mysql\nsport = :22\n  or sport = :3306 # mysql\n' >"$tmp/rules"
check "-F" same_lines "$(ss -H -tln 'sport = :22 or sport = :3306' | normalize | sort)" \
	"$("$L" -H --no-services --no-scope -tln -F "$tmp/rules" | normalize | sort)"

# Bad filters: one line naming the problem and its word, exit 2, nothing on stdout.
check "missing port" usage_error "filter: expected a port after 'sport =' at word 3" -t 'sport ='
check "bad operator" usage_error "filter: 'src <' compares ports; src takes '=' or '!=' at word 2" src '<' 1.2.3.4
check "unknown word" usage_error "filter: unknown word 'sprot'" sprot = :22
check "unknown state" usage_error "filter: unknown state 'listen' (see 'man listen': FILTERS) at word 2" state listen
check "unknown service" usage_error "filter: unknown service 'nosuch' at word 3" sport = :nosuch
check "unknown device" usage_error "filter: no device 'eth9' at word 2" dev eth9
check "unbalanced" usage_error "filter: missing ')' for this '(' at word 1" '(' sport = :22
check "bad prefix" usage_error "filter: bad prefix length '/33' for IPv4 (0-32) at word 2" src 1.2.3.4/33
check "bad range" usage_error "filter: bad port range '9-1' at word 1" :9-1
check "hex port" usage_error "filter: '0x16' is not a port: write it in decimal (ss would read 0x16 as hex, 22) at word 1" :0x16
check "octal port" usage_error "filter: '022' is not a port: write it in decimal (ss would read 022 as octal, 18) at word 3" sport = :022
check "negative port" usage_error "filter: '-1' is not a port: ports are 0-65535 (ss would read -1 as any port) at word 3" sport = :-1
check "octal prefix" usage_error "filter: '010' is not a prefix length: write it in decimal (ss would read 010 as octal, 8) at word 2" src 10.0.0.0/010
check "hex device" usage_error "filter: '0x1' is not a device index: write it in decimal (ss would read 0x1 as hex, 1) at word 2" dev 0x1
check "TCP-only name for UDP" usage_error "filter: unknown service 'www' at word 3" -u sport = :www
check "missing -F file" usage_error "-F $tmp/none: No such file or directory" -F "$tmp/none"
finish
