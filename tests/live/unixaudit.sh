#!/bin/bash
# Live test: who may connect to unix sockets (the Scope column, JSON unix_access) and the
# audit of unix listeners, in a private network namespace: root's world-writable, group-writable
# (group disk) and owner-only sockets, one behind a directory only root may search, one
# replaced by a plain file, one bound through a link nobody owns, abstract ones (one X11's),
# /run/docker.sock in a mount namespace of its own (found through its holder's /proc/PID/root),
# and nobody's own world-writable socket; the exit statuses, the allow-list, the metrics'
# count; and what nobody can and cannot check, said as such.
# Usage: unixaudit.sh LISTEN HELPER SCHEMA
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
live_enter "$0" unshare ss setpriv python3 jq promtool -- "$@"

ip link set lo up 2>/dev/null
setup "$1"
helper=$2 schema=$3 here=$(dirname "$0")
u=$tmp/ua
mkdir "$u" && chmod 755 "$u" || exit 1
start main python3 "$helper" "$u" all disk unixscope
# /run/docker.sock in a mount namespace of its own: a tmpfs over /run that only it sees.
start docker unshare -m --propagation private sh -c \
	'mount -t tmpfs tmpfs /run && exec python3 "$0" "$1" docker' "$helper" "$u"
mkdir "$u/nobody" && chown nobody "$u/nobody" || exit 1
# The system's python: a per-user install (pyenv's shims) is not nobody's to run.
py=$(command -v /usr/bin/python3 || command -v python3)
start user setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
	"$py" "$helper" "$u/nobody" user

# nobody again, with CAP_NET_ADMIN: more privileged than its callers.
mkdir "$u/caps" && chown nobody "$u/caps" || exit 1
start caps setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=+net_admin \
	--ambient-caps=+net_admin -- "$py" "$helper" "$u/caps" user

jqe() { jq -e "$@" >/dev/null; }
row() { grep -F -- "$1" <<<"$table" | normalize; }
table=$("$L" -W -xl)
check "world-writable" has "$(row "$u/world.sock ")" "world-writable"
check "group disk" has "$(row "$u/group.sock ")" "group disk"
check "owner only" has "$(row "$u/owner.sock ")" "owner only"
check "behind a closed directory: not reachable" has "$(row "$u/closed/in.sock ")" \
	"not reachable"
check "replaced: said, not guessed" has "$(row "$u/replaced.sock ")" \
	"not checked: another file at the path: replaced, or in another mount namespace"
check "a link nobody owns: not followed by root" has "$(row "$u/link/linked.sock ")" \
	"not checked: a symbolic link of uid 65534 on the path, not followed as root"
check "abstract" has "$(row "@unixscope-abstract ")" "abstract: any process in netns"
check "X11's abstract socket: its note" has "$(row "@/tmp/.X11-unix/X99 ")" "x11 abstract"
check "nobody's own socket" has "$(row "$u/nobody/user.sock ")" "world-writable"
# Without holders, another mount namespace's file is not found, and said so.
check "docker.sock without -p: not found here" has "$(row "/run/docker.sock ")" \
	"not checked: file gone: removed, or in another mount namespace"
table=$("$L" -W -xlp)
check "docker.sock with -p: through its holder's root" has "$(row "/run/docker.sock ")" \
	"docker world-writable (mount ns of pid $pid_docker)"
check "--no-scope: no Scope column" lacks "$("$L" -xl --no-scope | head -1)" "Scope"
json=$("$L" --json -xl)
check "JSON: unix_access" jqe --argjson j "$json" -n \
	"\$j[] | select(.path == \"$u/group.sock\") | .unix_access |
	 .scope == \"group\" and .group == \"disk\" and .mode == \"0660\" and .checked"
check "JSON: unchecked, with why" jqe --argjson j "$json" -n \
	"\$j[] | select(.path == \"$u/replaced.sock\") | .unix_access |
	 (.checked | not) and (.unchecked_reason | test(\"replaced\"))"
check "JSON: service from the path" jqe --argjson j "$json" -n \
	'$j[] | select(.abstract == "/tmp/.X11-unix/X99") | .service.source == "path"'
if /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
	printf '%s\n' "$json" >"$tmp/s.json"
	check "JSON: valid against the schema" "$here/../formats/validate.py" "$schema" "$tmp/s.json"
	"$L" --audit --json -x >"$tmp/a.json"
	check "audit JSON: valid against the schema" "$here/../formats/validate.py" "$schema" \
		"$tmp/a.json"
else
	skip "python3-jsonschema missing: the JSON is not checked against the schema"
fi

# The audit: root's open sockets are findings; docker.sock's note makes it high: exit 3.
audit=$("$L" --audit -x)
check "--audit -x: exit 3 (docker.sock is high)" test "$("$L" --audit -x >/dev/null; echo $?)" = 3
check "docker.sock: high" has "$audit" "HIGH    unix /run/docker.sock docker (world-writable (mount ns of pid $pid_docker))"
check "docker.sock: why" has "$audit" "root-equivalent: whoever connects controls the Docker daemon"
check "world.sock: medium" has "$audit" "MEDIUM  unix $u/world.sock (world-writable)"
check "group disk: medium" has "$audit" "writable by group disk, whose members are root in effect"
check "abstract: medium" has "$audit" "MEDIUM  unix @unixscope-abstract (abstract: any process in netns)"
check "X11: its note" has "$audit" "screen access and keystroke capture"
check "replaced: low, could not check" has "$audit" "LOW     unix $u/replaced.sock"
check "a link not followed: low" has "$audit" "LOW     unix $u/link/linked.sock"
check "owner only: no finding" lacks "$audit" "$u/owner.sock"
check "not reachable: no finding" lacks "$audit" "$u/closed/in.sock"
check "nobody's own socket: no finding" lacks "$audit" "$u/nobody/user.sock"
check "a holder with capabilities: a finding" has "$audit" "MEDIUM  unix $u/caps/user.sock"
check "a holder with capabilities: why" has "$audit" \
	"runs as uid 65534 with capabilities (CapEff 0000000000001000)"
check "--audit alone reviews unix sockets too" has "$("$L" --audit)" "unix /run/docker.sock"
check "--audit -t leaves them out" lacks "$("$L" --audit -t)" "unix "
printf 'unix:/run/docker.sock python3\n' >"$tmp/allow"
check "allowed: exit 0" test "$("$L" --audit -x --allow "$tmp/allow" >/dev/null; echo $?)" = 0
check "allowed: said" has "$("$L" --audit -x --allow "$tmp/allow")" "[allowed by rule on line 1]"
check "--fail-on=medium: exit 3" \
	test "$("$L" --audit -x --allow "$tmp/allow" --fail-on=medium >/dev/null; echo $?)" = 3
printf 'unix:run/docker.sock\n' >"$tmp/bad"
check "a bad rule: usage error" test "$("$L" --audit -x --allow "$tmp/bad" 2>/dev/null; echo $?)" = 2
# The metrics count the same findings; with -x each unix listener has a series, with the
# finding's risk.
findings=$("$L" --audit --json | jq '[.findings[] | select(.risk == "high" and (.allowed | not))] | length')
prom=$("$L" --format=prom | sed -n 's/^listen_audit_findings{netns="",risk="high",allowed="false"} //p')
check "metrics: high findings as the audit's" test "$findings" = "$prom" -a "$findings" -ge 1
findings=$("$L" --audit --json -x | jq '[.findings[] | select(.allowed | not)] | length')
prom=$("$L" --format=prom -x)
check "-x --format=prom: promtool" promtool check metrics <<<"$prom"
check "-x --format=prom: findings as --audit -x's" test "$findings" = \
	"$(awk '/^listen_audit_findings\{.*allowed="false"/ { n += $NF } END { print n + 0 }' <<<"$prom")"
check "-x --format=prom: a series per finding's socket, risk given" test "$findings" -le \
	"$(grep -c '^listen_unix_socket_info{.*,risk="[a-z][a-z]*",allowed="false"' <<<"$prom")"

# As nobody: what it cannot look at is said, never passed off as a scope.
table=$(asnobody "$L" -W -xl 2>/dev/null)
check "nobody: world.sock checked" has "$(row "$u/world.sock ")" "world-writable"
check "nobody: a closed directory: permission denied" has "$(row "$u/closed/in.sock ")" \
	"not checked: Permission denied"
check "nobody: follows links (its own rights)" has "$(row "$u/link/linked.sock ")" \
	"world-writable"
audit=$(asnobody "$L" --audit -x 2>/dev/null)
check "nobody: root's abstract socket still a finding" has "$audit" \
	"made by root (uid 0), no holder found"
check "nobody: docker.sock's mount namespace not looked in: said" has "$audit" \
	"not checked: file gone: removed, or in another mount namespace"
finish
