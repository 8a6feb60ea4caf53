#!/bin/bash
# Live test of identification: real daemons from Debian's packages (nginx-light, redis-server,
# dnsmasq, openssh-server, busybox), each started in the foreground with its own configuration
# in a scratch directory, on its usual port and on an unusual one, in a private network
# namespace; and stand-ins: python's http.server on postgresql's and docker's ports, a process
# that names itself sshd (prctl) on 22, and an nginx whose executable was deleted after it
# started. The Service column, JSON's service.source and the audit's findings are checked for
# each, then the unprivileged view (nobody), where root's holders are hidden and the ports
# speak, marked as guesses.
# Usage: identify.sh LISTEN SOCKHELPER SCHEMA
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
live_enter "$0" unshare ip ss setpriv jq nginx redis-server dnsmasq busybox ssh-keygen \
	/usr/sbin/sshd /usr/bin/python3 -- "$@"
here=$(dirname "$0") schema=$3
setup "$1"
made_run_sshd=
cleanup() {
	teardown
	[ -n "$made_run_sshd" ] && rmdir /run/sshd 2>/dev/null
}
trap cleanup EXIT
ip link set lo up || exit 1
ip link add p0 type veth peer name p1 && ip link set p0 up && ip link set p1 up &&
	ip addr add 10.77.0.2/24 dev p0 && ip addr add 10.77.0.3/24 dev p0 || exit 1
mkdir -p "$tmp/www" "$tmp/old" && chmod 755 "$tmp/www" || exit 1

# daemon NAME ADDR:PORT CMD...: run CMD in the background (stdout and stderr to NAME.log) and
# wait until something listens on ADDR:PORT (TCP or UDP); stopped by pid when the test ends.
daemon() {
	local name=$1 where=$2
	shift 2
	"$@" </dev/null >"$tmp/$name.log" 2>&1 &
	helper_pids+=("$!")
	for _ in $(seq 100); do
		ss -Htuln "sport = :${where##*:}" | grep -qF " $where " && return 0
		sleep 0.05
	done
	echo "$name did not start: $(cat "$tmp/$name.log")"
	exit 1
}

# nginx on its usual port (80, of the LAN address) and on 8081, which /etc/services calls
# tproxy; a second nginx from a copy of the executable, deleted once it listens (an upgrade
# it was not restarted after). The first has four workers, which the owner view shows as one.
nginx_conf() { # FILE PIDFILE LISTEN... (workers: how many worker processes, 1 unless set)
	local file=$1 pid=$2 listen=
	shift 2
	for l in "$@"; do listen+="listen $l; "; done
	cat >"$file" <<EOF
daemon off;
worker_processes ${workers:-1};
pid $pid;
error_log $tmp/$(basename "$file").err;
events {}
http {
	access_log off;
	client_body_temp_path $tmp/body; proxy_temp_path $tmp/proxy;
	fastcgi_temp_path $tmp/fastcgi;
	server { ${listen}root $tmp/www; }
}
EOF
}
workers=4 nginx_conf "$tmp/nginx.conf" "$tmp/nginx.pid" 10.77.0.2:80 127.0.0.1:8081
daemon nginx 127.0.0.1:8081 nginx -c "$tmp/nginx.conf" -e "$tmp/nginx.err"
cp /usr/sbin/nginx "$tmp/old/nginx" || exit 1
nginx_conf "$tmp/old.conf" "$tmp/old.pid" 10.77.0.3:8080
daemon old-nginx 10.77.0.3:8080 "$tmp/old/nginx" -c "$tmp/old.conf" -e "$tmp/old.err"
rm "$tmp/old/nginx"

# Debian's redis-server (a link to redis-check-rdb), on the LAN and on an unusual port.
redis() { # PORT ADDRESS
	daemon "redis-$1" "$2:$1" redis-server --port "$1" --bind "$2" --save '' --appendonly no \
		--dir "$tmp" --daemonize no --logfile "$tmp/redis-$1.out"
}
redis 6379 10.77.0.2
redis 16379 127.0.0.1

# dnsmasq on 53 of the LAN address, and on 5353 (mDNS's port) of loopback.
dnsmasq_on() { # ADDRESS PORT
	daemon "dnsmasq-$2" "$1:$2" dnsmasq -k --conf-file=/dev/null --no-resolv --no-hosts \
		--listen-address="$1" --bind-interfaces --port="$2" --user=root \
		--pid-file="$tmp/dnsmasq-$2.pid" --log-facility="$tmp/dnsmasq-$2.out"
}
dnsmasq_on 10.77.0.2 53
dnsmasq_on 127.0.0.1 5353

# OpenSSH's sshd on 22 of the LAN address and on 2222 of loopback.
if [ ! -d /run/sshd ]; then
	mkdir -p /run/sshd && made_run_sshd=1 || exit 1
fi
ssh-keygen -q -t ed25519 -N '' -f "$tmp/hostkey" || exit 1
printf 'ListenAddress 10.77.0.2:22\nListenAddress 127.0.0.1:2222\nHostKey %s\nPidFile %s\n' \
	"$tmp/hostkey" "$tmp/sshd.pid" >"$tmp/sshd_config"
daemon sshd 127.0.0.1:2222 /usr/sbin/sshd -D -e -f "$tmp/sshd_config"

# BusyBox's httpd applet (one binary, the applet in argv[0]).
daemon busybox 127.0.0.1:8082 busybox httpd -f -p 127.0.0.1:8082 -h "$tmp/www"

# python's http.server as nobody on postgresql's port and on docker's.
py() { # PORT
	daemon "python-$1" "10.77.0.2:$1" setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
		/usr/bin/python3 -m http.server "$1" --bind 10.77.0.2 --directory "$tmp/www"
}
py 5432
py 2375

# A program that calls itself sshd (prctl) and listens on 22 of the other address.
install -m 755 "$2" "$tmp/x" || exit 1
start fake-sshd "$tmp/x" -comm sshd tcp,10.77.0.3,22

# The table: the program's service, the port's where they disagree, a guess marked.
out=$("$L" -tulnp | normalize)
row() { grep -F -- " $1 " <<<"$out" | grep "^$2 " | head -1; }
service() { # PROTO ADDR:PORT SERVICE: the row shows SERVICE after the peer column
	local r
	r=$(row "$2" "$1")
	[[ "$3" == *\" && "$r" == *" $2 "*":* $3"* ]] && return 0
	[[ "$r " == *" $2 "*":* $3 "* ]] && return 0
	echo "    want: $1 $2 ... $3"
	echo "    got:  $r"
	return 1
}
check "nginx on 80" service tcp 10.77.0.2:80 "http lan (p0) users:((\"nginx\""
check "nginx on 8081: http, not tproxy" service tcp 127.0.0.1:8081 "http loopback"
check "redis on 6379" service tcp 10.77.0.2:6379 "redis lan (p0)"
check "redis: its warning" has "$(row 10.77.0.2:6379 tcp)" "! redis: often no auth by default"
check "redis on 16379" service tcp 127.0.0.1:16379 "redis loopback"
check "dnsmasq on udp/53" service udp 10.77.0.2:53 "dns lan (p0)"
check "dnsmasq on tcp/53" service tcp 10.77.0.2:53 "dns lan (p0)"
check "dnsmasq on mdns's port" service udp 127.0.0.1:5353 "dns (dnsmasq) on mdns's port loopback"
check "sshd on 22" service tcp 10.77.0.2:22 "ssh lan (p0) users:((\"sshd\""
check "sshd on 2222" service tcp 127.0.0.1:2222 "ssh-alt loopback"
check "busybox httpd" service tcp 127.0.0.1:8082 "http loopback"
check "python on 5432" service tcp 10.77.0.2:5432 "http (python3) on postgresql's port lan (p0)"
check "python on 5432: no postgres warning" lacks "$(row 10.77.0.2:5432 tcp)" "database"
check "python on 2375" service tcp 10.77.0.2:2375 "http (python3) on docker's port lan (p0)"
check "python on 2375: no docker warning" lacks "$(row 10.77.0.2:2375 tcp)" "root access"
check "fake sshd: the port's guess" service tcp 10.77.0.3:22 "ssh? lan (p0)"
check "fake sshd: warned" has "$(row 10.77.0.3:22 tcp)" "! calls itself sshd but runs $tmp/x"
check "deleted nginx: still nginx" service tcp 10.77.0.3:8080 "http-alt lan (p0)"
# Without -p nothing says what holds a socket: every name is the port's guess, and 8081 has
# none (the services files name only ports below 1024), with -n or without.
plain=$("$L" -tuln | normalize)
check "-tuln: 5432 a guess" has "$(grep -F ' 10.77.0.2:5432 ' <<<"$plain")" \
	"postgresql? lan (p0) ! postgresql?: database exposed to the network"
check "-tuln: 8081 unnamed" test "$(grep -F ' 127.0.0.1:8081 ' <<<"$plain" | cut -d' ' -f6-)" = \
	"0.0.0.0:* loopback"
check "-tl: the port column as ss" has "$("$L" -tl | normalize)" "127.0.0.1:tproxy 0.0.0.0:* loopback"

# JSON: where the name comes from, and the port's guess beside a disagreeing program.
"$L" --json -tulnp >"$tmp/ident.json"
check "json: schema" "$here/../formats/validate.py" "$schema" "$tmp/ident.json"
jqe() { jq -e "$@" "$tmp/ident.json" >/dev/null; }
sel() { echo ".[] | select(.protocol == \"$1\" and .local.address == \"$2\" and .local.port == $3)"; }
check "json: python on 5432" jqe "$(sel tcp 10.77.0.2 5432) | .service | .name == \"http\" and
	.source == \"program\" and .program == \"python3 http.server\" and
	.identified_by == \"exe\" and .port_guess == \"postgresql\" and .risk == \"medium\""
check "json: redis by its exe" jqe "$(sel tcp 10.77.0.2 6379) | .service.source == \"program\" and
	.service.program == \"redis-server\" and .processes[0].exe == \"/usr/bin/redis-check-rdb\""
check "json: nginx on 8081" jqe "$(sel tcp 127.0.0.1 8081) | .service | .name == \"http\" and
	.source == \"program\" and .port_guess == null"
check "json: busybox" jqe "$(sel tcp 127.0.0.1 8082) | .service.program == \"busybox httpd\""
check "json: dnsmasq on 5353" jqe "$(sel udp 127.0.0.1 5353) | .service | .name == \"dns\" and
	.program == \"dnsmasq\" and .port_guess == \"mdns\""
check "json: fake sshd a guess" jqe "$(sel tcp 10.77.0.3 22) | .service.source == \"port\" and
	.warning == \"calls itself sshd but runs $tmp/x\" and
	.service.program == null and .processes[0].exe == \"$tmp/x\" and .processes[0].name == \"sshd\""
check "json: deleted executable" jqe "$(sel tcp 10.77.0.3 8080) | .service.source == \"program\"
	and any(.processes[]; .exe == \"$tmp/old/nginx (deleted)\" and .exe_deleted)"
check "json: nginx not deleted" jqe "$(sel tcp 10.77.0.2 80) | all(.processes[]; .exe_deleted == false)"
"$L" --json -tuln >"$tmp/ident.json"
check "json without -p: a guess" jqe "$(sel tcp 10.77.0.2 5432) | .service | .name == \"postgresql\"
	and .source == \"port\" and .program == null"
check "json without -p: 8081 unnamed" jqe "$(sel tcp 127.0.0.1 8081) | .service == null"

# The audit: risk from the identified service; the fake sshd, the deleted executable.
out=$("$L" --audit)
finding() { grep -A1 -F -- "$1" <<<"$out" | tail -n +2; }
check "audit: python not postgres" has "$out" \
	"MEDIUM  tcp/5432 http (python3) on postgresql's port on 10.77.0.2 (lan (p0))"
check "audit: python's own note" test "$(finding "tcp/5432 http (python3)")" = \
	"        Web (HTTP): serves the files of its directory to anyone, no auth"
check "audit: no postgres finding" lacks "$out" "tcp/5432 postgresql"
check "audit: python not docker" has "$out" \
	"MEDIUM  tcp/2375 http (python3) on docker's port on 10.77.0.2 (lan (p0))"
check "audit: no docker note" lacks "$out" "unauthenticated root access"
check "audit: redis high" has "$out" "HIGH    tcp/6379 redis on 10.77.0.2 (lan (p0))"
check "audit: sshd low" has "$out" "LOW     tcp/22 ssh on 10.77.0.2 (lan (p0))"
check "audit: fake sshd high" has "$out" "HIGH    tcp/22 ssh? on 10.77.0.3 (lan (p0))"
check "audit: fake sshd's reasons" has "$(finding "tcp/22 ssh? on 10.77.0.3")" \
	"calls itself sshd but runs $tmp/x; port 22 held by a program listen does not know, not an SSH server"
check "audit: deleted nginx" has "$out" "MEDIUM  tcp/8080 http-alt on 10.77.0.3 (lan (p0))"
check "audit: deleted nginx's reason" has "$(finding "tcp/8080 http-alt on 10.77.0.3")" \
	"executable $tmp/old/nginx (deleted) is gone from disk: replaced or deleted since it started"
check "audit: dnsmasq on 53 expected" lacks "$(finding "udp/53 dns on 10.77.0.2")" "not a DNS server"
check "audit: nginx on 80 expected" lacks "$(finding "tcp/80 http on 10.77.0.2")" "held by"
"$L" --audit --json >"$tmp/audit.json"
check "audit json: schema" "$here/../formats/validate.py" "$schema" "$tmp/audit.json"
check "audit json: fake sshd's codes" jq -e '.findings[] | select(.port == 22 and
	.endpoints[0].address == "10.77.0.3") | [.reasons[].code] | index("name-mismatch") != null
	and index("unexpected-program") != null and index("port-guess") != null' \
	"$tmp/audit.json"
check "audit json: deleted" jq -e '.findings[] | select(.port == 8080) | .risk == "medium" and
	([.reasons[].code] | index("exe-deleted") != null) and any(.processes[]; .exe_deleted)' \
	"$tmp/audit.json"

# The owner view: nginx's four workers (same program, user, command line) as one entry, its
# master apart; the nginx whose executable was deleted flagged; JSON and --pids list every pid.
master=$(cat "$tmp/nginx.pid")
out=$("$L" :8081)
check "owner view: workers as one" grep -qE \
	"^  4 × nginx  user nobody  pids [0-9,-]+  fd [0-9,]+$" <<<"$out"
check "owner view: worker details once" test "$(grep -c 'nginx: worker process' <<<"$out")" = 1
check "owner view: their parent" has "$out" "    parent    $master nginx"
check "owner view: the master apart" has "$out" "  pid $master  nginx  user root"
out=$("$L" :8080)
check "owner view: deleted executable flagged" has "$out" \
	"exe       $tmp/old/nginx  ! deleted or replaced on disk since it started"
check "owner view json: every pid" jq -e '[.[].processes[].pid] | unique | length == 5' \
	<<<"$("$L" --json :8081)"
check "--pids: every pid" test "$("$L" --pids :8081 | wc -l)" = 5

# Unprivileged: root's daemons' holders are hidden, so their ports speak, marked; nobody's own
# python is still told by its executable. (An executable unreadable where the fds are readable,
# the comm-only identification, does not happen through permissions: both need the same access
# to a process; the golden fixtures cover it.)
out=$(asnobody "$L" -tulnp 2>"$tmp/nobody.err" | normalize)
[ -n "$out" ] || echo "    listen as nobody: $(cat "$tmp/nobody.err")"
check "nobody: sshd a guess" service tcp 10.77.0.2:22 "ssh? lan (p0)"
check "nobody: redis a guess" service tcp 10.77.0.2:6379 "redis? lan (p0) ! redis?: often no auth"
# nginx's worker runs as nobody and stays dumpable: nobody reads it, and its executable.
check "nobody: nginx's worker identified" service tcp 127.0.0.1:8081 \
	"http loopback users:((\"nginx\""
check "nobody: own python identified" service tcp 10.77.0.2:5432 \
	"http (python3) on postgresql's port lan (p0) users:((\"python3\""
out=$(asnobody "$L" --audit 2>/dev/null)
check "nobody: redis at most medium" has "$out" "MEDIUM  tcp/6379 redis? on 10.77.0.2 (lan (p0))"
check "nobody: guessed, said" has "$(finding "tcp/6379 redis? on")" \
	"service guessed from the port: no holder says what it is"
check "nobody: python still python" has "$out" "tcp/5432 http (python3) on postgresql's port"
finish
