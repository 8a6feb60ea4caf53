#!/bin/bash
# Live test of least privilege. Copies of listen with the README's file capabilities and set-uid
# root, run as nobody: every option that takes a path, given a root-only file, a FIFO, a symlink
# into a root process's /proc entry or a file in a 700 directory, prints nothing of it, writes
# nothing and fails with one clear line (exit 2); the options for tests are refused; -tlnp
# still shows every holder. With ambient capabilities and the fault shim's path log, the
# effective capability set is empty whenever a path the user named is opened, and in force for
# the /proc walk. Under a /proc mounted hidepid=invisible, hidden holders are said to be hidden.
# Usage: privileges.sh LISTEN SOCKHELPER FAULT_SHIM
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# The host's network namespace, kept open through live_enter for the check of PID 1 below.
if [ "${LISTEN_LIVE_INSIDE:-}" != 1 ]; then
	exec {hostns}</proc/self/ns/net && export LISTEN_HOST_NETNS_FD=$hostns
fi
live_enter "$0" unshare ip setpriv setcap mkfifo timeout nsenter python3 -- "$@"

ip link set lo up || exit 1
setup "$1"
secret=LSN-SECRET-7f3a9c
# A root process holding two sockets, with the secret in its environment; another in a network
# namespace of its own.
start root env "LSN_ENV=$secret" "$2" tcp,127.0.0.1,7001 udp,0.0.0.0,7002
start other unshare -n "$2" tcp,0.0.0.0,7003

# What nobody must not get at: a root-only file, a FIFO (reading it would wait for ever), a
# symlink to the root process's environment, a file nobody could read but for the 700
# directory it is in, and a file nobody could write but for the same.
printf 'root:%s:19000:0:99999:7:::\n' "$secret" >"$tmp/secret"
chmod 600 "$tmp/secret"
mkfifo -m 666 "$tmp/fifo"
ln -s "/proc/$pid_root/environ" "$tmp/environ"
mkdir -m 700 "$tmp/private"
printf '%s\n' "$secret" >"$tmp/private/file"
chmod 666 "$tmp/private/file"
targets=(secret fifo environ private/file)
# What nobody may read: a filter and an allow-list.
echo 'sport = :7001 or sport = :7003' >"$tmp/filter"
echo "udp/7002" >"$tmp/allow"
chmod 644 "$tmp/filter" "$tmp/allow"

# refused WANT COPY ARGS...: as nobody, exit 2 within 10 s (a FIFO must not block), nothing on
# stdout, one line on stderr holding WANT, and the secret nowhere.
refused() {
	local want=$1 copy=$2 out err status
	shift 2
	out=$(timeout 10 setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
		"$copy" "$@" 2>"$tmp/err")
	status=$?
	err=$(cat "$tmp/err")
	[ "$status" = 2 ] && [ -z "$out" ] && [ "$(wc -l <<<"$err")" = 1 ] &&
		grep -qF -- "$want" <<<"$err" && ! grep -qF "$secret" <<<"$out$err" && return 0
	echo "    status $status, stdout '${out:0:200}', stderr '${err:0:300}'"
	return 1
}

# The control: as root nothing is raised, and a file's words appear in the filter's error, so
# the checks below would see a leak.
out=$("$L" -F "$tmp/secret" 2>&1)
check "control: root's -F error shows the file's words" has "$out" "$secret"

install -m 755 "$1" "$tmp/listen-caps" || exit 1
setcap cap_sys_ptrace,cap_dac_read_search+ep "$tmp/listen-caps" || exit 1
install -m 4755 "$1" "$tmp/listen-suid" || exit 1
[ -u "$tmp/listen-suid" ] || echo "    the set-uid bit did not stick"
cp -p "$tmp/private/file" "$tmp/victim.before"
want=$("$L" -tlnp)

for copy in caps suid; do
	B=$tmp/listen-$copy
	for t in "${targets[@]}"; do
		case $t in
		fifo) why="not a regular file" nswhy="not a network namespace" ;;
		*) why="Permission denied" nswhy="Permission denied" ;;
		esac
		check "$copy: -F $t" refused "$why" "$B" -F "$tmp/$t"
		check "$copy: --allow $t" refused "$why" "$B" --audit --allow "$tmp/$t"
		check "$copy: --format=prom --allow $t" refused "$why" "$B" --format=prom \
			--allow "$tmp/$t"
		check "$copy: --netns=$t" refused "$nswhy" "$B" --netns="$tmp/$t"
		for opt in --services-file --nmap-services-file --proc-root --state-root \
			--cgroup-root --replay-netlink --dump-netlink; do
			check "$copy: $opt $t" refused "${opt#--} is for tests and captures" "$B" \
				-tlnp "$opt=$tmp/$t"
		done
	done
	check "$copy: --now" refused "now is for tests and captures" "$B" :7001 --now=1
	check "$copy: --no-bytecode" refused "no-bytecode is for tests" "$B" --no-bytecode -tl
	check "$copy: --netns=/proc/PID/ns/net" refused "Permission denied" "$B" \
		--netns="/proc/$pid_other/ns/net"
	check "$copy: nothing written" cmp -s "$tmp/private/file" "$tmp/victim.before"
	check "$copy: the FIFO untouched" test -p "$tmp/fifo"

	# What the privilege is for still works: every holder, as root sees them.
	got=$(asnobody "$B" -tlnp 2>"$tmp/err")
	check "$copy: -tlnp as root sees it" same_lines "$want" "$got"
	check "$copy: no notice" test ! -s "$tmp/err"
	out=$(asnobody "$B" :7001)
	check "$copy: :7001 holder" has "$out" "pid $pid_root  lsn-spec  user root  fd 3"
	check "$copy: :7001 command" has "$out" "tcp 127.0.0.1 7001"
	out=$(asnobody "$B" -tlnp -F "$tmp/filter")
	check "$copy: a readable -F" has "$out" "127.0.0.1:7001"
	out=$(asnobody "$B" --audit --allow "$tmp/allow" --fail-on=low)
	check "$copy: a readable --allow" has "$out" "[allowed by rule on line 1]"
done

# Entering a namespace needs CAP_SYS_ADMIN: the set-uid copy keeps it for that, the copy with
# the README's capabilities has not got it.
out=$(asnobody "$tmp/listen-suid" --netns="$pid_other" -tlnp)
check "suid: --netns=PID enters" has "$out" "users:((\"lsn-spec\",pid=$pid_other,fd=3))"
err=$(asnobody "$tmp/listen-caps" --netns="$pid_other" -tlnp 2>&1 >/dev/null)
check "caps: --netns=PID needs CAP_SYS_ADMIN" has "$err" "cannot enter network namespace"

# Ambient capabilities (as a service manager grants them): raised too, and the shim (which a
# set-id or file-capability program would not load) logs the capabilities in force at each open.
install -m 755 "$3" "$tmp/shim.so" || exit 1
: >"$tmp/paths"
chmod 666 "$tmp/paths"
ambient() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		--inh-caps=+sys_ptrace,+dac_read_search,+sys_admin \
		--ambient-caps=+sys_ptrace,+dac_read_search,+sys_admin -- \
		env LD_PRELOAD="$tmp/shim.so" LISTEN_FAULT_PATHS="$tmp/paths" LISTEN_FAULT_CAPS=1 \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" "$L" "$@"
}
# The /proc walk (CAP_SYS_ADMIN would let the kernel's iterator find the holders: below).
out=$(ambient --owners=proc -tlnp -F "$tmp/filter")
check "ambient: rows and holder" has "$out" "users:((\"lsn-spec\",pid=$pid_root,fd=3))"
if ambient --owners=bpf -tlnpH >/dev/null 2>&1; then
	out=$(ambient -tlnp --verbose -F "$tmp/filter" 2>&1)
	check "ambient: the iterator with CAP_SYS_ADMIN" has "$out" "the kernel's task_file iterator"
	check "ambient: its holder" has "$out" "users:((\"lsn-spec\",pid=$pid_root,fd=3))"
fi
out=$(ambient --netns="$pid_other" -tlnp)
check "ambient: --netns=PID" has "$out" "users:((\"lsn-spec\",pid=$pid_other,fd=3))"
ambient --audit --allow "$tmp/allow" >/dev/null
# Without AT_SECURE the C library would open a zone file named by TZ: a FIFO there must not
# hang listen.
out=$(TZ="$tmp/fifo" timeout 10 setpriv --reuid=nobody --regid=nogroup --clear-groups \
	--inh-caps=+sys_ptrace,+dac_read_search --ambient-caps=+sys_ptrace,+dac_read_search -- \
	"$L" :7001)
check "ambient: TZ naming a FIFO is not waited on" has "$out" "started"
check "ambient: a test option refused" refused "proc-root is for tests" "$tmp/listen-caps" \
	--proc-root=/proc
paths=$(cat "$tmp/paths")
check "shim logged caps" has "$paths" "eff="
check "user's -F unprivileged" has "$paths" "$tmp/filter	eff=0 dumpable=0"
check "user's --allow unprivileged" has "$paths" "$tmp/allow	eff=0 dumpable=0"
check "the walk privileged" grep -qE "^/proc//$pid_root/fd	eff=80004 dumpable=0$" "$tmp/paths"
check "the namespace by pid privileged" \
	grep -qE "^/proc//$pid_other/ns/net	eff=80004 dumpable=0$" "$tmp/paths"
check "never dumpable" test -z "$(grep -v 'dumpable=0$' "$tmp/paths")"
# Nothing outside /proc is opened with a capability in force (the name service included).
outside=$(grep -v '^/proc' "$tmp/paths" | grep -v '	eff=0 dumpable=0$')
check "nothing outside /proc privileged" test -z "$outside"
[ -z "$outside" ] || head -5 <<<"$outside" | sed 's/^/    /'

# Why a holder could not be read, said truly: "run as root" only where root would see it.
# As nobody, for root's processes; a zombie of nobody's (its /proc entries root's, its files
# closed) is not named: it can hide nothing. (A process that exits while it is read: race.sh;
# one elsewhere on the machine may add that line here.)
start zombie asnobody /usr/bin/python3 -c 'import os, sys, time
pid = os.fork()
if pid == 0:
    os._exit(0)
while open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z":
    time.sleep(0.05)
print("ready", pid, flush=True)
sys.stdin.read()
os.waitpid(pid, 0)'
err=$(asnobody "$L" -tlnp 2>&1 >/dev/null)
check "nobody: root's processes: run as root" has "$err" "run as root to see them"
check "nobody: a zombie hides nothing" lacks "$err" "pid $pid_zombie "
# A socket closed before the watch looked its holder up is no hidden holder (root's processes
# being unreadable to nobody): the kernel, asked again, no longer has it, so the watch prints
# it as one that came and went ("+-"), and says nothing of hidden owners. The shim holds up the
# look at the holder's fd table for longer than the socket lives. (Root's 7002, hidden, is
# left out: the notice is said once.)
start brief asnobody /usr/bin/python3 -c 'import os, socket, sys, time
print("ready", os.getpid(), flush=True)
while not os.path.exists(sys.argv[1]):
    time.sleep(0.05)
for port in (7810, 7811):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("0.0.0.0", port))
    time.sleep(0.3)
    u.close()
    time.sleep(0.7)
print("done", flush=True)
sys.stdin.read()' "$tmp/brief.go"
asnobody env LD_PRELOAD="$tmp/shim.so" LISTEN_FAULT_SLOW="/proc/$pid_brief/fd@700" \
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	"$L" --owners=proc --watch=100ms -nu 'sport >= :7800' >"$tmp/brief-watch.out" \
	2>"$tmp/brief-watch.err" &
brief_watch=$!
for _ in $(seq 100); do grep -q watching "$tmp/brief-watch.err" && break; sleep 0.1; done
: >"$tmp/brief.go"
for _ in $(seq 100); do grep -q done "$tmp/brief.out" && break; sleep 0.1; done
# A loaded machine may still be in the second look-up: its event, before the watch is ended.
for _ in $(seq 100); do
	[ "$(grep -c ':781[01] ' "$tmp/brief-watch.out")" -ge 2 ] && break
	sleep 0.1
done
kill -TERM "$brief_watch"
wait "$brief_watch"
check "watch: closed before its look-up: came and went" test \
	"$(normalize <"$tmp/brief-watch.out" | grep -c '+- UNCONN 0 0 0.0.0.0:781[01] ')" = 2
check "watch: ... not hidden" lacks "$(cat "$tmp/brief-watch.err")" "hidden"
# Root without cap_sys_ptrace (a container's root, a service that drops it): root's helper,
# holding capabilities this root lacks, is refused to the /proc walk; the advice is the
# capability, not root. (The kernel's iterator, which such a root may still load, finds it.)
if RUNAS="setpriv --bounding-set=-sys_ptrace,-dac_read_search --" bpf_owners; then
	out=$(setpriv --bounding-set=-sys_ptrace,-dac_read_search -- "$L" -tlnp 2>&1)
	check "root without cap_sys_ptrace, the iterator: holder found" has "$out" \
		"users:((\"lsn-spec\",pid=$pid_root,fd=3))"
	check "root without cap_sys_ptrace, the iterator: nothing hidden" lacks "$out" "not readable"
fi
err=$(setpriv --bounding-set=-sys_ptrace,-dac_read_search -- "$L" --owners=proc -tlnp 2>&1 \
	>/dev/null)
check "root without cap_sys_ptrace: said" has "$err" \
	"not readable by root without cap_sys_ptrace and cap_dac_read_search: listen runs in a \
container or a service that drops them"
check "root without cap_sys_ptrace: one cause" test "$(grep -c 'not readable' <<<"$err")" = 1
check "root without cap_sys_ptrace: not 'run as root'" lacks "$err" "run as root"
out=$(setpriv --bounding-set=-sys_ptrace,-dac_read_search -- "$L" --owners=proc :7001 2>/dev/null)
check "root without cap_sys_ptrace: owner view" has "$out" \
	"holder hidden: not readable even with listen's rights: see the notice"
out=$(setpriv --bounding-set=-sys_ptrace,-dac_read_search -- "$L" --owners=proc --audit \
	2>/dev/null)
check "root without cap_sys_ptrace: audit" has "$out" \
	"holder not readable, even with listen's rights: see the notice"
# Root of a user namespace of its own (a rootless container): the host's processes are
# outside its reach.
if unshare -U -r true 2>/dev/null; then
	err=$(unshare -U -r -- "$L" -tlnp 2>&1 >/dev/null)
	check "user namespace: said" has "$err" "not readable from inside a user namespace (a \
container): they are outside it; run listen on the host to see them"
	check "user namespace: not 'run as root'" lacks "$err" "run as root"
else
	skip "unshare -U is refused here: the user namespace case not checked"
fi
# On hardened hosts (this kind of machine among them) root cannot read PID 1's fd links: a
# policy's refusal, named, never "run as root". Checked in the host's namespace, where PID 1
# holds a socket, when it is so.
if [ -n "${LISTEN_HOST_NETNS_FD:-}" ] && ls /proc/1/fd >/dev/null 2>&1 &&
	! readlink /proc/1/fd/0 >/dev/null 2>&1; then
	err=$(nsenter --net="/proc/self/fd/$LISTEN_HOST_NETNS_FD" "$L" --owners=proc -tulnp 2>&1 \
		>/dev/null)
	if grep -q "^listen: owners of" <<<"$err"; then
		check "root: PID 1 named" has "$err" "pid 1 ("
		check "root: refused although root" has "$err" \
			"not readable although listen runs as root: likely a security policy guards"
		check "root: PID 1 not 'run as root'" lacks "$err" "run as root"
		# The kernel's iterator does not list PID 1 either here: its socket is still
		# "could not look", said in the same words, not a socket held by nobody.
		if bpf_owners; then
			bpf_err=$(nsenter --net="/proc/self/fd/$LISTEN_HOST_NETNS_FD" "$L" \
				--owners=bpf -tulnp 2>&1 >/dev/null)
			check "root: the iterator's notice of PID 1 is the walk's" same_lines \
				"$(grep '^listen: owners of' <<<"$bpf_err")" \
				"$(grep '^listen: owners of' <<<"$err")"
		fi
	else
		echo "    (PID 1 holds no socket in the host's namespace: its refusal is not shown)"
	fi
else
	echo "    (root reads PID 1 here: no hardened PID 1 to check)"
fi

# hidepid: a /proc that hides other users' processes. As nobody, root's holders are not missing
# but hidden, and said so; the file-capability copy sees them (CAP_SYS_PTRACE).
hidepid() {
	unshare -m --propagation private -- bash -c \
		'mount -t proc -o hidepid=invisible proc /proc && exec "$@"' hidepid "$@"
}
out=$(hidepid setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$L" :7001 2>"$tmp/err")
check "hidepid: owner view says hidden" has "$out" "holder hidden"
check "hidepid: not a kernel socket" lacks "$out" "no process holds it"
check "hidepid: notice" has "$(cat "$tmp/err")" "/proc is mounted with hidepid=2"
out=$(hidepid setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$L" --json :7001)
check "hidepid: JSON processes null" test "$(jq -c '.[0].processes' <<<"$out")" = null
hidepid setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$L" --pids :7001 \
	>"$tmp/out" 2>"$tmp/err"
status=$?
check "hidepid: --pids exit 1" test "$status" = 1
check "hidepid: --pids says why" has "$(cat "$tmp/err")" "hidepid"
out=$(hidepid setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$L" --audit 2>/dev/null)
check "hidepid: audit says hidden" has "$out" "holder not readable"
out=$(hidepid setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$tmp/listen-caps" :7001 \
	2>"$tmp/err")
check "hidepid: capabilities see through it" has "$out" "pid $pid_root  lsn-spec"
# (Not an empty stderr: LeakSanitizer cannot read /proc/PID/task of a non-dumpable process
# under hidepid, and says so, in the sanitizer build.)
check "hidepid: capabilities, no notice" lacks "$(cat "$tmp/err")" "hidden"
out=$(hidepid "$L" :7001 2>"$tmp/err")
check "hidepid: root sees through it" has "$out" "pid $pid_root  lsn-spec"

# An audit as nobody sees less than root's (root's holders, the ruleset) and says so, in the
# text and in JSON, so a gate run by an unprivileged user knows its answer is partial.
out=$(asnobody "$L" --audit --json 2>/dev/null)
check "nobody's audit: not complete" test "$(jq -c '.summary | [.complete, .firewall_read,
	.unidentified > 0]' <<<"$out")" = '[false,false,true]'
check "nobody's audit: says so" has "$(asnobody "$L" --audit 2>/dev/null)" \
	"incomplete: the firewall ruleset was not read (the notice says why)"
check "root's audit: complete" test "$("$L" --audit --json 2>/dev/null |
	jq -c '.summary | [.complete, .firewall_read, .unidentified]')" = '[true,true,0]'

# A nested pid namespace with its own /proc (a container sharing the host's network): the
# root process holding 7001 is outside it, so its holders are not known, and said so, even as
# root; the owner view and JSON say unknown, not none.
pidns() { unshare -p -f --mount-proc -- "$@"; }
out=$(pidns "$L" -tlnp 2>"$tmp/err")
check "pid namespace: the row still shown" has "$out" "127.0.0.1:7001"
check "pid namespace: notice" has "$(cat "$tmp/err")" \
	"listen: owners of 1 socket hidden (listen runs in a nested pid namespace, a container's:"
check "pid namespace: owner view says hidden" has "$(pidns "$L" :7001 2>/dev/null)" \
	"holder hidden"
check "pid namespace: JSON processes null" test \
	"$(pidns "$L" --json :7001 2>/dev/null | jq -c '.[0].processes')" = null
check "pid namespace: --owners=bpf refused there" test \
	"$(pidns "$L" --owners=bpf -tlnp >/dev/null 2>&1; echo $?)" != 0
check "the host's pid namespace: no notice" lacks "$("$L" -tlnp 2>&1 >/dev/null)" "hidden"

finish
