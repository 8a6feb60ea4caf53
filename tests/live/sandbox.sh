#!/bin/bash
# Live test of the example service's sandbox (doc/examples/listen-textfile.service) where
# systemd is not PID 1 (a container, CI): its commands run as the unit would run them, the
# sandbox built by hand from the unit's own settings. ExecStart= runs as a user of its own (as
# DynamicUser= gives) with exactly the unit's ambient capabilities and bounding set, no new
# privileges and its UMask=, in a mount namespace where everything is read-only but /dev,
# /proc and the RuntimeDirectory= (ProtectSystem=strict), /home, /root and /run/user are
# empty and closed (ProtectHome=yes), /tmp and /var/tmp are private (PrivateTmp=), /dev holds
# only the pseudo-devices (PrivateDevices=), /proc shows only the processes it may trace
# (ProtectProc=ptraceable) and /proc/sys is read-only (ProtectKernelTunables=); then
# ExecStartPost= as root (its '+'). The metrics that land must be root's, holders and firewall
# verdicts included, with nothing on stderr; without any one of the capabilities they must
# not be. System call filters cannot be set without systemd: ExecStart= runs again under
# strace, and every system call, socket family, memory protection, personality and namespace
# flag it used must be one that SystemCallFilter=, RestrictAddressFamilies=,
# MemoryDenyWriteExecute=, LockPersonality= and RestrictNamespaces= allow.
# Usage: sandbox.sh LISTEN SOCKHELPER UNIT
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
unit=$3
results=/run/lsn-sandbox-test bin=/run/lsn-sandbox-bin
path=$bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
uid=65000 # in systemd's range for dynamic users, owning nothing

# setting NAME: the unit's NAME= values, one a line.
setting() { sed -n "s/^$1=//p" "$unit"; }
runtime=/run/$(setting RuntimeDirectory)
# setpriv's form of the unit's capabilities: +dac_read_search,+sys_ptrace,...
caps=$(setting AmbientCapabilities | tr '[:upper:]' '[:lower:]' | sed -E 's/cap_/+/g; s/ +/,/g')
read_argv() { eval "argv=($1)"; } # the unit's quoting is the shell's in these lines

# The inner stage: the sandbox of ExecStart=, in a mount namespace of its own. LSN_CAPS are
# the capabilities given, LSN_NAME names the run's files, LSN_TRACE asks for strace.
if [ "${LISTEN_SANDBOX_STAGE:-}" = inner ]; then
	read_argv "$(setting ExecStart)" # before /tmp, where the unit may be, is replaced
	mask=$(setting UMask)
	# PrivateDevices=: a /dev of pseudo-devices, built on the side and moved into place.
	dev=$bin/dev-$LSN_NAME
	mkdir "$dev" && mount -t tmpfs -o mode=755 tmpfs "$dev" || exit 1
	for d in null zero full random urandom tty; do
		touch "$dev/$d" && mount --bind "/dev/$d" "$dev/$d" || exit 1
	done
	mount --move "$dev" /dev || exit 1
	# ProtectProc=ptraceable, ProtectKernelTunables=.
	mount -t proc -o hidepid=ptraceable proc /proc || exit 1
	mount --bind /proc/sys /proc/sys && mount -o remount,bind,ro /proc/sys || exit 1
	# ProtectHome=yes, PrivateTmp=.
	for d in /home /root /run/user; do
		[ -d "$d" ] && { mount -t tmpfs -o mode=000 tmpfs "$d" || exit 1; }
	done
	mount -t tmpfs tmpfs /tmp && mount -t tmpfs tmpfs /var/tmp || exit 1
	# ProtectSystem=strict: every other mount read-only.
	findmnt -rn -o TARGET | sort -u | while read -r m; do
		case $m in
		/dev | /dev/* | /proc | /proc/* | /tmp | /var/tmp | "$runtime" | "$results") continue ;;
		esac
		mount -o remount,bind,ro "$m" 2>/dev/null ||
			{ [ -d "$m" ] && echo "    $m stays writable" >>"$results/$LSN_NAME.mounts"; }
	done
	trace=()
	[ -n "${LSN_TRACE:-}" ] && trace=(strace -f -qq -o "$results/$LSN_NAME.trace" --)
	umask "$mask"
	cd / || exit 1
	# The environment systemd gives, and a sanitizer build's options: LeakSanitizer cannot
	# read /proc/PID/task of a process that is not dumpable under hidepid, nor run traced.
	exec env -i PATH="$path" RUNTIME_DIRECTORY="$runtime" \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		${UBSAN_OPTIONS:+UBSAN_OPTIONS="$UBSAN_OPTIONS"} "${trace[@]}" \
		setpriv --reuid=$uid --regid=$uid --clear-groups --no-new-privs \
		${LSN_CAPS:+--inh-caps="$LSN_CAPS" --ambient-caps="$LSN_CAPS"} \
		--bounding-set="-all${LSN_CAPS:+,$LSN_CAPS}" -- "${argv[@]}" 2>"$results/$LSN_NAME.err"
fi

# The outer stage, in a mount namespace of its own: scratch directories where the unit's
# commands write, ExecStart= in the sandbox with the unit's capabilities (then traced, then
# with one less each time), ExecStartPost= after the first.
if [ "${LISTEN_SANDBOX_STAGE:-}" = outer ]; then
	# scratch DIR: an empty tmpfs at DIR, or at its deepest existing parent with DIR made in it.
	scratch() {
		local at=$1
		while [ -n "$at" ] && [ ! -d "$at" ]; do at=${at%/*}; done
		mount -t tmpfs -o mode=755 tmpfs "${at:-/}" && mkdir -p "$1"
	}
	read_argv "$(setting ExecStartPost)"
	argv[0]=${argv[0]#+}
	textfile=$(grep -o '/[^ ]*/listen\.prom' <<<"${argv[*]}" | tail -1)
	[ -n "$textfile" ] || { echo "ExecStartPost= names no listen.prom"; exit 1; }
	scratch /run && scratch "${textfile%/*}" || exit 1
	mkdir "$results" "$bin" "$runtime" || exit 1
	mount -t tmpfs -o mode=755,uid=$uid,gid=$uid tmpfs "$runtime" || exit 1
	mount --bind "$LSN_TMP" "$results" && cp "$LSN_LISTEN" "$bin/listen" || exit 1
	# run NAME CAPS [trace]: ExecStart= in the sandbox, in an empty RuntimeDirectory= (each
	# start has a new one); its metrics copied to NAME.prom.
	run() {
		rm -rf "${runtime:?}"/* || exit 1
		LISTEN_SANDBOX_STAGE=inner LSN_NAME=$1 LSN_CAPS=$2 LSN_TRACE=${3:-} \
			unshare -m --propagation private -- bash "$0" "$LSN_LISTEN" - "$unit"
		echo $? >"$results/$1.status"
		cp "$runtime/listen.prom" "$results/$1.prom" 2>/dev/null
	}
	run unit "$caps"
	env -i PATH="$path" "${argv[@]}"
	echo $? >"$results/post.status"
	ls -A "${textfile%/*}" >"$results/post.files"
	cp "$textfile" "$results/post.prom"
	stat -c %a "$textfile" >"$results/post.mode"
	run traced "$caps" trace
	for cap in ${caps//,/ }; do
		run "without-${cap#+}" "$(sed -E "s/(^|,)\\$cap(,|$)/\\1/; s/,$//" <<<"$caps")"
	done
	exit 0
fi

live_enter "$0" unshare ip nft setpriv strace findmnt systemd-analyze -- "$@"
ip link set lo up || exit 1
setup "$1"
# Listeners of root's (their holders other users' processes to the unit) and a ruleset that
# drops one port: the metrics show holders and verdicts only with the capabilities.
start root "$2" tcp,0.0.0.0,7101 udp,0.0.0.0,7102 tcp,127.0.0.1,7103
nft -f - <<'EOF' || exit 1
table inet lsn_sandbox {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 7101 drop
	}
}
EOF
want=$("$L" --format=prom -p 2>"$tmp/root.err")
check "root: the listeners in the metrics" has "$want" 'port="7101"'
check "root: their holders in the metrics" has "$want" 'processes="lsn-spec"'
check "root: the firewall's verdict in the metrics" has "$want" 'reach="filtered"'

# What the emulation builds must be what the unit asks for.
for s in DynamicUser=yes NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes \
	PrivateDevices=yes ProtectProc=ptraceable ProtectKernelTunables=yes; do
	check "the unit sets $s" grep -qx "$s" "$unit"
done
check "the unit's capabilities" test -n "$caps"
check "the unit's bounding set is its ambient set" \
	test "$(setting CapabilityBoundingSet)" = "$(setting AmbientCapabilities)"

LISTEN_SANDBOX_STAGE=outer LSN_TMP=$tmp LSN_LISTEN=$L \
	unshare -m --propagation private -- bash "$0" "$L" - "$unit" || exit 1

check "ExecStart= in the sandbox: exit 0" test "$(cat "$tmp/unit.status")" = 0
check "ExecStart= in the sandbox: nothing on stderr" test ! -s "$tmp/unit.err"
[ -s "$tmp/unit.err" ] && sed 's/^/    /' "$tmp/unit.err"
check "ExecStart= in the sandbox: root's metrics" same_lines "$want" "$(cat "$tmp/unit.prom")"
check "the sandbox: every mount read-only" test ! -s "$tmp/unit.mounts"
[ -s "$tmp/unit.mounts" ] && cat "$tmp/unit.mounts"
check "ExecStartPost=: exit 0" test "$(cat "$tmp/post.status")" = 0
check "ExecStartPost=: listen.prom alone in the textfile directory" \
	test "$(cat "$tmp/post.files")" = listen.prom
check "ExecStartPost=: readable by node_exporter" test "$(cat "$tmp/post.mode")" = 644
check "ExecStartPost=: the metrics" same_lines "$want" "$(cat "$tmp/post.prom")"
for cap in ${caps//,/ }; do
	cap=${cap#+}
	check "without $cap: exit 0" test "$(cat "$tmp/without-$cap.status")" = 0
	check "without $cap: less than root's metrics" \
		test "$(cat "$tmp/without-$cap.prom")" != "$want"
done

# The system calls the sandbox's programs made: those after setpriv ran the unit's command.
check "traced: exit 0" test "$(cat "$tmp/traced.status")" = 0
check "traced: root's metrics" same_lines "$want" "$(cat "$tmp/traced.prom")"
read_argv "$(setting ExecStart)"
calls=$(awk -v exe="execve(\"${argv[0]}\"" 'index($0, exe) { on = 1 } on' "$tmp/traced.trace")
check "traced: the unit's command ran" test -n "$calls"
used=$(sed -nE 's/^[0-9]+ +([a-z0-9_]+)\(.*/\1/p' <<<"$calls" | sort -u)
# expand NAME: the system calls of a name or a @group, groups expanded.
expand() {
	case $1 in
	@*) systemd-analyze syscall-filter --no-pager "$1" | sed -n 's/^    \([^#]\)/\1/p' |
		while read -r n; do expand "$n"; done ;;
	*) echo "$1" ;;
	esac
}
# The unit's filter: an allow-list, then what each later line takes away (~) or adds.
declare -A allowed=()
while read -r line; do
	deny=
	[ "${line:0:1}" = "~" ] && deny=1 line=${line:1}
	for name in $line; do
		for c in $(expand "$name"); do
			if [ -n "$deny" ]; then unset "allowed[$c]"; else allowed[$c]=1; fi
		done
	done
done < <(setting SystemCallFilter)
check "the unit's filter allows capset" test -n "${allowed[capset]:-}"
check "the unit's filter refuses setuid" test -z "${allowed[setuid]:-}"
outside=$(for c in $used; do [ -n "${allowed[$c]:-}" ] || echo "$c"; done)
check "traced: $(wc -w <<<"$used") system calls, all in SystemCallFilter=" test -z "$outside"
[ -z "$outside" ] || echo "    outside the filter: $outside"
families=$(grep -oE '(socket|socketpair)\(AF_[A-Z0-9]+' <<<"$calls" | sed 's/.*(//' | sort -u)
check "traced: sockets opened" test -n "$families"
for f in $families; do
	check "traced: $f in RestrictAddressFamilies=" grep -qE "^RestrictAddressFamilies=.*\b$f\b" \
		"$unit"
done
check "traced: no memory both writable and executable (MemoryDenyWriteExecute=)" \
	test -z "$(grep -E '^[0-9]+ +(mmap|mprotect|pkey_mprotect)\(.*PROT_WRITE\|PROT_EXEC' \
		<<<"$calls")"
check "traced: no memory made executable (MemoryDenyWriteExecute=)" \
	test -z "$(grep -E '^[0-9]+ +(mprotect|pkey_mprotect)\(.*PROT_EXEC' <<<"$calls")"
check "traced: no personality changed (LockPersonality=)" \
	test -z "$(grep -E '^[0-9]+ +personality\(' <<<"$calls" | grep -vE '\((PER_LINUX|0xffffffff)\)')"
check "traced: no namespace made or entered (RestrictNamespaces=)" \
	test -z "$(grep -E '^[0-9]+ +(unshare|setns)\(|CLONE_NEW' <<<"$calls")"

finish
