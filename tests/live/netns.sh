#!/bin/bash
# Live test: network namespaces. Three named ones (ip netns add) and one only a process is in
# (unshare -n, its process in a Docker-style cgroup with the container's state in a scratch
# --state-root), each with a listener; two more only processes are in, in cgroups a user could
# make below its manager (user@65534.service): one named like that Docker container, one a
# rootless Podman container whose id root's Podman state names; a docker-proxy look-alike on the host forwards to an
# address of the first. --all-netns must show every listener with its namespace, scope and
# holder; -N and --netns must show one namespace's rows exactly as ss does inside it; a run
# without them must not show them; as nobody the namespaces are skipped with one notice.
# Runs in the host's namespace: what it makes has names of its own and goes when it ends.
# Usage: netns.sh LISTEN SOCKHELPER SCHEMA SHIM
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
live_require ip ss unshare nsenter setpriv stat
setup "$1"
helper=$2 schema=$3 here=$(dirname "$0")
ns=("lsn$$a" "lsn$$b" "lsn$$c")
id=$(printf '%08x' $$ $$ $$ $$ $$ $$ $$ $$)
cgroup=/sys/fs/cgroup/unified/docker-$id.scope
slice=/sys/fs/cgroup/unified/lsn$$.slice user_tree=$slice/user@65534.service
forged=$user_tree/app.slice/docker-$id.scope rootless=$user_tree/user.slice/libpod-$id.scope
cleanup() {
	teardown
	for n in "${ns[@]}"; do ip netns del "$n" 2>/dev/null; done
	[ -d "$cgroup" ] && rmdir "$cgroup"
	for d in "$forged" "$rootless" "$user_tree/app.slice" "$user_tree/user.slice" "$user_tree" \
		"$slice"; do
		[ -d "$d" ] && rmdir "$d"
	done
}
trap cleanup EXIT

for n in "${ns[@]}"; do
	ip netns add "$n" && ip -n "$n" link set lo up || exit 1
done
ip -n "${ns[0]}" addr add 10.200.0.2/32 dev lo || exit 1 # where the "docker-proxy" forwards

port=$((40000 + $$ % 10000))
while [ -n "$(ss -Htln "sport = :$port")" ]; do port=$((port + 1)); done

start a ip netns exec "${ns[0]}" "$helper" tcp,0.0.0.0,6379
start b ip netns exec "${ns[1]}" "$helper" tcp,::,8080
start c ip netns exec "${ns[2]}" "$helper" udp,0.0.0.0,5353
start u unshare -n -- "$helper" tcp,127.0.0.1,9000
cp "$helper" "$tmp/docker-proxy"
start p "$tmp/docker-proxy" "tcp,127.0.0.1,$port" -proto tcp -host-ip 127.0.0.1 -host-port "$port" \
	-container-ip 10.200.0.2 -container-port 6379
# The unnamed namespace's process in a Docker container's cgroup, with the container's state.
container=
if mkdir "$cgroup" 2>/dev/null && echo "$pid_u" >"$cgroup/cgroup.procs"; then
	mkdir -p "$tmp/state/var/lib/docker/containers/$id"
	printf '{"ID":"%s","Config":{"Hostname":"x"},"Name":"/lsn-web"}\n' "$id" \
		>"$tmp/state/var/lib/docker/containers/$id/config.v2.json"
	container=lsn-web
fi
unnamed="net:[$(stat -L -c %i "/proc/$pid_u/ns/net")]"
# A user's claims: the Docker container's id in the user's subtree; a rootless Podman container
# that root's Podman state names "lsn-pg" too.
start f unshare -n -- "$helper" tcp,127.0.0.1,9001
start r unshare -n -- "$helper" tcp,127.0.0.1,9002
user_claims=
if mkdir -p "$forged" "$rootless" 2>/dev/null && echo "$pid_f" >"$forged/cgroup.procs" &&
	echo "$pid_r" >"$rootless/cgroup.procs"; then
	mkdir -p "$tmp/state/var/lib/docker/containers/$id" \
		"$tmp/state/var/lib/containers/storage/overlay-containers"
	printf '{"ID":"%s","Config":{"Hostname":"x"},"Name":"/lsn-web"}\n' "$id" \
		>"$tmp/state/var/lib/docker/containers/$id/config.v2.json"
	printf '[{"id":"%s","names":["lsn-pg"]}]\n' "$id" \
		>"$tmp/state/var/lib/containers/storage/overlay-containers/containers.json"
	user_claims=1
fi
forged_ns="net:[$(stat -L -c %i "/proc/$pid_f/ns/net")]"
rootless_label="podman ${id:0:12} (user container, uid 65534)"

# Every namespace, each listener with its label, scope and holder.
# --no-reach: another namespace on the machine with a ruleset would add a Reach column.
out=$("$L" --all-netns --state-root "$tmp/state" -tulnpH --no-reach 2>"$tmp/err" | normalize)
check "--all-netns: exit 0" test "${PIPESTATUS[0]}" = 0
row() { grep -F -- "$1" <<<"$out" | grep -F -- "$2"; }
check "a: its row" has "$(row "${ns[0]} tcp" "0.0.0.0:6379 ")" \
	"LISTEN 0 16 0.0.0.0:6379 0.0.0.0:* redis? all (in netns ${ns[0]}) users:((\"lsn-spec\",pid=$pid_a,fd=3))"
check "b: its row" has "$(row "${ns[1]} tcp" "*:8080 ")" \
	"*:8080 *:* http-alt? all (in netns ${ns[1]}) users:((\"lsn-spec\",pid=$pid_b,fd=3))"
check "c: its row" has "$(row "${ns[2]} udp" ":5353 ")" \
	"UNCONN 0 0 0.0.0.0:5353 0.0.0.0:* mdns? all (in netns ${ns[2]}) users:((\"lsn-spec\",pid=$pid_c,fd=3))"
if [ -n "$container" ]; then
	check "unnamed: the container's name" has "$(row "$container tcp" ":9000 ")" \
		"127.0.0.1:9000 0.0.0.0:* loopback users:((\"lsn-spec\",pid=$pid_u,fd=3)) docker lsn-web (${id:0:12})"
else
	skip "no cgroup v2 hierarchy to make a container's cgroup in: the container label is not checked"
	check "unnamed: net:[inode]" has "$(row "$unnamed tcp" ":9000 ")" "pid=$pid_u,"
fi
if [ -n "$user_claims" ]; then
	check "user's docker look-alike: a user unit" has "$(row "$forged_ns tcp" ":9001 ")" \
		"127.0.0.1:9001 0.0.0.0:* loopback users:((\"lsn-spec\",pid=$pid_f,fd=3)) docker-$id.scope (user unit, uid 65534)"
	check "user's rootless podman: the user's" has "$(row "$rootless_label tcp" ":9002 ")" \
		"127.0.0.1:9002 0.0.0.0:* loopback users:((\"lsn-spec\",pid=$pid_r,fd=3)) $rootless_label"
	check "user's docker look-alike: not root's name" lacks "$(grep -F :9001 <<<"$out")" "lsn-web"
	check "user's rootless podman: not root's name" lacks "$(grep -F :9002 <<<"$out")" "lsn-pg"
	owner=$("$L" --state-root "$tmp/state" --netns="$pid_f" :9001 2>/dev/null)
	check "owner view: the user's unit" has "$owner" \
		"unit      docker-$id.scope (user unit, uid 65534)"
else
	skip "no cgroup v2 hierarchy to make a user's cgroups in: a user's claims are not checked"
fi
check "host: the proxy's target namespace" has "$(row "host tcp" "127.0.0.1:$port ")" \
	"loopback users:((\"docker-proxy\",pid=$pid_p,fd=3)) docker-proxy to 10.200.0.2:6379 (${ns[0]})"
check "host first" test "$(head -1 <<<"$out" | cut -d' ' -f1)" = host

# Run from inside a: the host's namespace is still the host (the kernel threads'), even where
# PID 1's cannot be read, and a goes by its name.
ip netns exec "${ns[0]}" "$L" --all-netns -tlnH >"$tmp/inside" 2>"$tmp/err"
check "inside a: exit 0" test $? = 0
inside=$(normalize <"$tmp/inside")
check "inside a: the host's listener is host's" has "$inside" "host LISTEN 0 16 127.0.0.1:$port "
check "inside a: a by its name, scope in a" has "$inside" \
	"${ns[0]} LISTEN 0 16 0.0.0.0:6379 0.0.0.0:* redis? all (in netns ${ns[0]})"
check "inside a: a is not the host" lacks "$inside" "host LISTEN 0 16 0.0.0.0:6379 "
check "inside a: the host's scope is the host's" lacks "$(grep '^host ' <<<"$inside")" "(in netns"
check "inside a: host first" test "$(head -1 <<<"$inside" | cut -d' ' -f1)" = host
check "inside a: host known" lacks "$(cat "$tmp/err")" "cannot tell which"
# Where no kernel thread is visible (a pid namespace of its own), or none's namespace is
# readable and listen is not in it (nobody inside a): the host is unknown, said once; none is
# labelled host, and JSON says null rather than false.
unknown() { # unknown ENTER...
	local out err
	out=$("$@" "$L" --all-netns -tlnH 2>"$tmp/err" | normalize)
	err=$(cat "$tmp/err")
	has "$err" "cannot tell which network namespace is the host's" &&
		test "$(grep -c "cannot tell" <<<"$err")" = 1 && lacks "$out" "host " &&
		has "$out" "${ns[0]} LISTEN 0 16 0.0.0.0:6379 "
}
check "pid namespace: host unknown" unknown unshare -pf --mount-proc --
check "nobody inside a: host unknown" unknown ip netns exec "${ns[0]}" setpriv --reuid=nobody \
	--regid=nogroup --clear-groups --
if command -v jq >/dev/null; then
	unshare -pf --mount-proc -- "$L" --all-netns --json -tln >"$tmp/unknown.json" 2>/dev/null
	check "pid namespace: json host null" jq -e 'length > 0 and all(.netns.host == null) and
		all(.netns.name != "host")' "$tmp/unknown.json"
	ip netns exec "${ns[0]}" "$L" --all-netns --json -tln >"$tmp/inside.json" 2>/dev/null
	check "inside a: json host" jq -e --arg n "${ns[0]}" '(map(select(.netns.host)) |
		length > 0 and all(.netns.name == "host")) and (map(select(.netns.name == $n)) |
		length == 1 and .[0].netns.host == false)' "$tmp/inside.json"
fi

# One namespace: exactly ss's rows inside it.
same_as_ss() { # same_as_ss "ENTER..." LISTEN-ARGS...
	local enter=$1 want got
	shift
	want=$($enter ss -Htulnp | normalize)
	got=$("$L" "$@" -Htulnp --ss-columns 2>/dev/null | normalize)
	[ -n "$want" ] && [ "$want" = "$got" ] && return 0
	diff <(echo "$want") <(echo "$got") | sed 's/^/    /'
	return 1
}
check "-N a = ss in a" same_as_ss "ip netns exec ${ns[0]}" -N "${ns[0]}"
check "--net=c = ss in c" same_as_ss "ip netns exec ${ns[2]}" --net="${ns[2]}"
check "--netns=PID = ss in it" same_as_ss "nsenter -t $pid_u -n" --netns="$pid_u"
check "--netns=PATH = ss in it" same_as_ss "ip netns exec ${ns[1]}" --netns="/run/netns/${ns[1]}"
# A namespace named by pid or by a path of its own is labelled by its /run/netns name, as -N
# names it.
check "--netns=PID: labelled by its name" has \
	"$("$L" --netns="$pid_b" -tlnH 2>/dev/null | normalize)" "all (in netns ${ns[1]})"
check "--netns=/proc/PID/ns/net: by its name" has \
	"$("$L" --netns="/proc/$pid_b/ns/net" -tlnH 2>/dev/null | normalize)" "(in netns ${ns[1]})"
check "-N a: scope in netns" has "$("$L" -N "${ns[0]}" -tlnH | normalize)" "redis? all (in netns ${ns[0]})"

# Without sock_diag the /proc/net tables are read on the thread that entered the namespace:
# its sockets, not the host's.
plain=$L
with_shim "$4"
shimmed=$L L=$plain
out=$(LISTEN_FAULT=nodiag "$shimmed" -N "${ns[0]}" -Htln --no-services --no-scope 2>&1 | normalize)
check "fallback -N a: its listener" has "$out" "LISTEN 0 0 0.0.0.0:6379 0.0.0.0:*"
check "fallback -N a: not the host's" lacks "$out" "127.0.0.1:$port "
check "fallback -N a: one notice" test "$(grep -c "sock_diag is not available" <<<"$out")" = 1
out=$(LISTEN_FAULT=nodiag "$shimmed" --all-netns -Htuln --no-services 2>/dev/null | normalize)
check "fallback --all-netns: a" has "$out" "${ns[0]} tcp LISTEN 0 0 0.0.0.0:6379 0.0.0.0:* all (in netns ${ns[0]})"
check "fallback --all-netns: c" has "$out" "${ns[2]} udp UNCONN 0 0 0.0.0.0:5353 0.0.0.0:*"
check "fallback --all-netns: host" has "$out" "host tcp LISTEN 0 0 127.0.0.1:$port "

# Without them: this namespace only.
host=$("$L" -tulnpH 2>/dev/null)
for p in "$pid_a" "$pid_b" "$pid_c" "$pid_u"; do
	check "host run: not pid $p" lacks "$host" "pid=$p,"
done
check "host run: the proxy" has "$host" "pid=$pid_p,"
check "host run: no Netns column" lacks "$("$L" -tlnp 2>/dev/null)" "Netns"

# JSON, metrics and the audit say which namespace.
if command -v jq >/dev/null && python3 -c 'import jsonschema' 2>/dev/null; then
	jqe() { jq -e "$@" >/dev/null; }
	"$L" --all-netns --state-root "$tmp/state" --json -tulnp >"$tmp/all.json" 2>/dev/null
	check "json: schema" "$here/../formats/validate.py" "$schema" "$tmp/all.json"
	check "json: a" jqe --arg n "${ns[0]}" '[.[] | select(.netns.name == $n)] |
		length == 1 and .[0].local.port == 6379 and .[0].netns.host == false and
		.[0].scope == "all"' "$tmp/all.json"
	check "json: host" jqe '[.[] | select(.netns.host)] | length > 0 and
		all(.netns.name == "host")' "$tmp/all.json"
	check "json: inode" jqe --argjson p "$pid_u" --arg i "${unnamed//[^0-9]/}" \
		'.[] | select(.processes[0].pid == $p) | .netns.inode == ($i | tonumber)' "$tmp/all.json"
	if [ -n "$user_claims" ]; then
		check "json: user's docker look-alike" jqe --argjson p "$pid_f" --arg u "docker-$id.scope" \
			'[.[] | .processes[]? | select(.pid == $p)] | length == 1 and .[0].unit == $u and
			.[0].unit_uid == 65534 and .[0].container == null' "$tmp/all.json"
		check "json: user's rootless podman" jqe --argjson p "$pid_r" --arg i "$id" \
			'[.[] | .processes[]? | select(.pid == $p)] | length == 1 and .[0].unit == null and
			.[0].container == {"runtime": "podman", "id": $i, "name": null, "pod": null,
			"user_uid": 65534}' "$tmp/all.json"
	fi
	check "json: docker_proxy" jqe --argjson p "$pid_p" --arg n "${ns[0]}" \
		'.[] | .processes[]? | select(.pid == $p) | .docker_proxy == {"address": "10.200.0.2",
		"port": 6379, "protocol": "tcp", "netns": $n}' "$tmp/all.json"
	"$L" --all-netns --audit --json >"$tmp/audit.json" 2>/dev/null
	check "audit json: schema" "$here/../formats/validate.py" "$schema" "$tmp/audit.json"
	check "audit: a's redis, only in a" jqe --arg n "${ns[0]}" '.findings[] |
		select(.port == 6379 and .netns.name == $n) | [.reasons[].code] |
		index("all-interfaces-netns") != null and index("all-interfaces") == null' "$tmp/audit.json"
else
	skip "jq or python3-jsonschema missing: JSON is not checked"
fi
check "prom: netns label" has "$("$L" --all-netns --format=prom 2>/dev/null)" "netns=\"${ns[1]}\",protocol=\"tcp\""
check "audit text: reachable only through a" has "$("$L" --all-netns --audit 2>/dev/null)" \
	"bound to all interfaces of network namespace ${ns[0]}, reachable only through them"

# As nobody: no namespace can be entered; the host's rows, one notice for the skipped ones.
err=$(asnobody "$L" --all-netns -tlnH 2>&1 >"$tmp/nobody")
check "nobody: exit 0" test $? = 0
check "nobody: skipped, said once" test "$(grep -c 'skipped' <<<"$err")" = 1
check "nobody: run as root" has "$err" "skipped (Operation not permitted): run as root (or give listen CAP_SYS_ADMIN)"
check "nobody: host rows only" lacks "$(cat "$tmp/nobody")" "(in netns"
check "nobody: the host's" has "$(cat "$tmp/nobody")" "127.0.0.1:$port "
check "nobody: labelled host" has "$(normalize <"$tmp/nobody")" "host LISTEN 0 16 127.0.0.1:$port "
err=$(asnobody "$L" -N "${ns[0]}" 2>&1 >"$tmp/nobody")
check "nobody -N: exit 1" test $? = 1
check "nobody -N: why" has "$err" "cannot enter network namespace ${ns[0]}"
check "nobody -N: advice" has "$err" ": run as root (or give listen CAP_SYS_ADMIN)"
check "nobody -N: nothing printed" test ! -s "$tmp/nobody"

# Bad input: one line, exit 2, nothing on stdout.
check "-N unknown" usage_error "no network namespace named 'lsn-none'" -N lsn-none
check "-N a path" usage_error "is not a namespace name" -N ../etc
check "--netns not a namespace" usage_error "not a network namespace" --netns=/etc/passwd
check "--netns no process" usage_error "no process 4294967295" --netns=4294967295
check "--netns no file" usage_error "no such file" --netns=/nonexistent/ns
check "-N with --all-netns" usage_error "exclude each other" -N "${ns[0]}" --all-netns
check "-N without a name" usage_error "needs an argument" -N
finish
