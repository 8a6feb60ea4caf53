#!/bin/bash
# Live test of the habits users bring from ss and lsof, in a private network namespace:
# --process and --user against real sockets held by processes of different names and users,
# in every view, as root and as nobody; ss's flags listen does not take; lsof's -i; full
# option names; clashing formats; --ss-columns against ss.
# Usage: habits.sh LISTEN SOCKHELPER
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
live_enter "$0" unshare ss ip setpriv jq -- "$@"
ip link set lo up || exit 1
setup "$1"
install -m 755 "$2" "$tmp/sockhelper" || exit 1
H=$tmp/sockhelper

# web (root) holds 8080 and 8081, db (nobody) 5432 on every address, and a root process
# named by a long name (cut to 15 bytes by the kernel) 9090.
start web "$H" -comm web tcp,127.0.0.1,8080 tcp,0.0.0.0,8081
start db asnobody "$H" -comm db tcp,0.0.0.0,5432
start long "$H" -comm resolver-daemon-x udp,0.0.0.0,9090
start udp8080 "$H" -comm web-udp udp,127.0.0.1,8080

# Bare listen is listen -tulnp: ss -tulnp's rows (--ss-columns, an option of listen's own,
# keeps the bare default; its header is the first line). As nobody too, saying what it could
# not see. Any of ss's options is ss's meaning: -t is connected TCP sockets.
bare_rows() { sed 1d | normalize; }
exec {conn}<>/dev/tcp/127.0.0.1/8080 || exit 1
check "bare: ss -tulnp's rows" same_lines "$(ss -H -tulnp | normalize)" \
	"$("$L" --ss-columns 2>/dev/null | bare_rows)"
check "bare: -tulnp's output" same_lines "$("$L" -tulnp)" "$("$L")"
check "bare: --json is -tulnp --json" same_lines "$("$L" -tulnp --json)" "$("$L" --json)"
check "bare: --format=prom is -p's" same_lines "$("$L" --format=prom -p)" "$("$L" --format=prom)"
check "bare: --color=never" same_lines "$("$L" -tulnp)" "$("$L" --color=never)"
out=$(asnobody "$L" --ss-columns 2>"$tmp/err" | bare_rows)
check "bare as nobody: ss -tulnp's rows" same_lines "$(asnobody ss -H -tulnp | normalize)" "$out"
check "bare as nobody: its own holder" has "$out" "users:((\"db\",pid=$pid_db,fd=3))"
check "bare as nobody: says what it could not see" has "$(cat "$tmp/err")" \
	"listen: owners of 4 sockets hidden"
check "bare as nobody: run as root" has "$(cat "$tmp/err")" "run as root"
check "-t: connected, as ss -t" same_lines "$(ss -H -t | normalize)" \
	"$("$L" -t --ss-columns | bare_rows)"
check "-t: not the listeners" lacks "$("$L" -t)" LISTEN
# ss's output options (-n, -p, -e, -H) say how, not what: bare listen's listeners still.
check "-n: the listeners, as bare" same_lines "$("$L" | tail -n +2)" "$("$L" -n | tail -n +2)"
check "-H: bare without the header" same_lines "$("$L" | tail -n +2 | tr -s ' ')" \
	"$("$L" -H | tr -s ' ')"
check "-p: the listeners" same_lines "$("$L" | tail -n +2)" "$("$L" -p | tail -n +2)"
check "-tn: connected, as ss -tn" has "$("$L" -tn)" "127.0.0.1:8080"
check "-tn: not the listeners" lacks "$("$L" -tn)" LISTEN
check "--json -t: connected" jq -e 'all(.[]; .state == "ESTAB")' <<<"$("$L" --json -t)"
exec {conn}>&-

# ports LISTEN-ARGS...: the local ports listen -H prints, sorted, on one line.
ports() {
	"$L" -H "$@" 2>/dev/null | grep -oE ':[0-9]+ ' | head -100 | sort -u | tr -d ': \n'
}
ports_of() { ports -tuln "$@" | fold -w4 | tr '\n' ' ' | sed 's/ $//'; }
# The table: a socket is kept when one of its holders matches.
check "--process=web" same_lines "8080 8081" "$(ports_of --process=web)"
check "--process=db" same_lines "5432" "$(ports_of --process=db)"
check "--process=PID" same_lines "5432" "$(ports_of --process="$pid_db")"
check "--process twice: either" same_lines "5432 8080 8081" "$(ports_of --process=db --process web)"
check "--process: whole names" same_lines "" "$(ports_of --process=we)"
check "--process: a long name" same_lines "9090" "$(ports_of --process=resolver-daemon-xyz)"
check "--user=nobody" same_lines "5432" "$(ports_of --user=nobody)"
check "--user=UID" same_lines "5432" "$(ports_of --user="$(id -u nobody)")"
check "--user=root" same_lines "8080 8081 9090" "$(ports_of --user=root)"
check "--process and --user: both" same_lines "" "$(ports_of --process=web --user=nobody)"
check "--process and --user match" same_lines "8081" "$(ports -tln --process=web --user=0 \
	src 0.0.0.0 | fold -w4 | tr '\n' ' ' | sed 's/ $//')"
out=$("$L" -tln --process=db)
check "the holder is shown" has "$out" "users:((\"db\",pid=$pid_db,fd=3))"
check "unknown user" usage_error "listen: --user: no user 'nosuchuser'" -tln --user=nosuchuser
check "bad pid" usage_error "--process takes a process name or a pid, not '0'" --process=0

# JSON, JSON Lines, metrics.
out=$("$L" --json -tuln --process=web)
check "JSON: web's sockets" jq -e 'length == 2 and all(.[]; any(.processes[]; .name == "web"))' \
	<<<"$out"
out=$("$L" --json=lines -tuln --user=nobody)
check "JSON Lines: nobody's socket" same_lines 5432 "$(jq -r .local.port <<<"$out")"
out=$("$L" --format=prom --process=db)
check "metrics: db's listener" has "$out" 'port="5432"'
check "metrics: no other" lacks "$out" 'port="8081"'

# The owner view, --pids and the audit.
out=$("$L" :8081 --process=web)
check "owner view" has "$out" "pid $pid_web  web  user root"
"$L" :8081 --user=nobody >"$tmp/out" 2>"$tmp/err"
check "owner view: nothing held, exit 1" test $? = 1
check "owner view: says so" has "$(cat "$tmp/err")" \
	"no listening TCP or UDP socket on :8081 held by the processes asked for"
check "owner view: nothing on stdout" test ! -s "$tmp/out"
check "--pids --process" same_lines "$pid_db" "$("$L" --pids -l --process=db)"
check "--pids --user=root" same_lines \
	"$(printf '%s\n' "$pid_web" "$pid_long" "$pid_udp8080" | sort -n)" \
	"$("$L" --pids -l --user=root)"
"$L" --pids --process=nosuch >"$tmp/out"
check "--pids: none, exit 1" test $? = 1
out=$("$L" --audit --fail-on=low --process=db --json)
check "audit: db's finding" jq -e '[.findings[].port] | index(5432) != null' <<<"$out"
check "audit: not web's" jq -e '[.findings[].port] | index(8081) == null' <<<"$out"
out=$("$L" --audit --user=root)
check "audit text: web's" has "$out" "8081"
check "audit text: not db's" lacks "$out" "5432"

# As nobody: root's holders are hidden, so they cannot match, and listen says they are hidden.
out=$(asnobody "$L" -tln --process=web 2>"$tmp/err")
check "nobody: web's holders hidden" same_lines "" "$(grep -v '^State' <<<"$out")"
check "nobody: the notice" has "$(cat "$tmp/err")" "listen: owners of 2 sockets hidden"
check "nobody: its own" same_lines "5432" \
	"$(asnobody "$L" -Htln --process=db 2>/dev/null | grep -oE ':[0-9]+ ' | tr -d ': ')"
asnobody "$L" :8081 --process=web >/dev/null 2>"$tmp/err"
check "nobody: owner view notice" has "$(cat "$tmp/err")" "owners of 1 socket hidden"
check "nobody: --pids" same_lines "$pid_db" "$(asnobody "$L" --pids -tl --process=db 2>/dev/null)"

# ss's flags listen does not take are named; lsof's -i names the port; full names only;
# two formats clash. One line each, exit 2, nothing on stdout.
check "-d" usage_error "listen: -d/--dccp: DCCP sockets are not supported yet" -d
check "--vsock -K" usage_error "listen: -K: the kernel cannot close MPTCP, SCTP or vsock sockets (their sock_diag handlers have no SOCK_DESTROY); -t or -u" --vsock -K --process=x
check "-f netlink" usage_error "listen: -f netlink: netlink sockets are not supported yet" -f netlink
check "-A dccp" usage_error "listen: -A dccp: DCCP sockets (-d) are not supported yet" -A dccp
check "-K alone" usage_error "listen: refusing to close every socket: give a filter" -K
for o in -d -E -b -T -B --tipc --xdp --tos; do
	check "$o" usage_error "not supported" $o
done
msg="listen: -i is ss's --info (TCP internals), not lsof's;"
check "lsof -i :8080" usage_error "$msg for who owns port 8080: listen :8080" -i :8080
check "lsof -iTCP:22" usage_error "for who owns port 22: listen 22/tcp" -iTCP:22
check "lsof -iUDP:53" usage_error "for who owns port 53: listen 53/udp" -iUDP:53

# fuser's PORT/PROTO: the owner view of that protocol's port (8080 is web's over TCP and
# web-udp's over UDP); several words or a list are alternatives; -t/-u narrow them.
out=$("$L" 8080/tcp)
check "8080/tcp: the TCP socket" has "$out" "tcp  LISTEN  127.0.0.1:8080"
check "8080/tcp: web" has "$out" "pid $pid_web  web  user root"
check "8080/tcp: not UDP's" lacks "$out" "web-udp"
out=$("$L" 8080/udp)
check "8080/udp: the UDP socket" has "$out" "udp  UNCONN  127.0.0.1:8080"
check "8080/udp: not TCP's" lacks "$out" "tcp  "
check ":8080: both" same_lines "2" "$("$L" :8080 | grep -cE '^(tcp|udp) ')"
check "8080/tcp,9090/udp" same_lines "tcp udp" \
	"$("$L" 8080/tcp,9090/udp | grep -oE '^(tcp|udp) ' | sort | tr -d ' ' | tr '\n' ' ' | sed 's/ $//')"
out=$("$L" 8080/tcp 9090/udp 8081/udp)
check "8080/tcp 9090/udp 8081/udp: web's and long's" has "$out" "pid $pid_long  resolver-daemon"
check "8080/tcp 9090/udp 8081/udp: not 8081 (TCP)" lacks "$out" ":8081"
check "--pids 8080/udp" same_lines "$pid_udp8080" "$("$L" --pids 8080/udp)"
check "--json 8080/udp" jq -e 'length == 1 and .[0].protocol == "udp"' <<<"$("$L" --json 8080/udp)"
check "http-alt/tcp: a name from services(5)" has "$("$L" http-alt/tcp)" \
	"tcp  LISTEN  127.0.0.1:8080"
"$L" 5432/udp >"$tmp/out" 2>"$tmp/err"
check "5432/udp: nothing, exit 1" test $? = 1
check "5432/udp: says so" has "$(cat "$tmp/err")" "no listening UDP socket on 5432/udp"
check "8080/sctp" usage_error "'8080/sctp': the protocol after '/' is tcp or udp" 8080/sctp
check "99999/tcp" usage_error "port 99999 is out of range (0-65535)" 99999/tcp
check "/tcp" usage_error "a port goes before '/tcp'" /tcp
check "x/tcp" usage_error "unknown service 'x'" x/tcp
check "80,443/tcp" usage_error "give every port of the list its protocol" 80,443/tcp
check "-u 8080/tcp" usage_error "-u selects UDP, and the ports given are TCP's" -u 8080/tcp
check "-i alone is ss's --info" test "$("$L" -Hti 2>&1 >/dev/null; echo $?)" = 0
check "--pid" usage_error "listen: unknown option '--pid'; did you mean '--pids'?" --pid :8080
check "--col" usage_error "unknown option '--col'; did you mean '--color'?" --col -tln
check "--net" usage_error "option '--net' needs an argument" --net
check "--json --format=prom" usage_error \
	"--json and --format=prom ask for different output formats: give one" --json --format=prom
check "--format=json --json=lines" usage_error "ask for different output formats" \
	--format=json --json=lines
check "--format=prom -j" usage_error "ask for different output formats" --format=prom -j
check "--json -j --format=json" jq -e 'length > 0' <<<"$("$L" -tln --json -j --format=json)"

# --ss-columns: exactly ss's columns (same_rows uses it).
check "--ss-columns rows" same_rows -tlnp
out=$("$L" --ss-columns -tlnp | head -1)
check "--ss-columns: no Service" lacks "$out" Service
check "--ss-columns: no Scope" lacks "$out" Scope
check "--ss-columns: no Unit" lacks "$out" Unit
finish
