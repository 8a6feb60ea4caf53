#!/bin/bash
# Live test: races. While 200 processes fork children that open sockets and exit, run
# `listen -tanp` and `listen --json -tanp` 100 times each, and -tanp as nobody 33 times: every
# run exits 0 with no sanitizer report, every row is well-formed, every document valid, every
# notice true (race.py), and every holder listen names is a process the churn really started. Usage: race.sh LISTEN CHURN SCHEMA CHECKER [RUNS]
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
live_enter "$0" unshare ip python3 setpriv -- "$@"

ip link set lo up || exit 1
setup "$1"
runs=${5:-100}
mkdir "$tmp/runs"
coproc CHURN { exec "$2" 200 "$tmp/pids"; }
churn_pid=$CHURN_PID churn_fd=${CHURN[1]}
helper_pids+=("$churn_pid") helper_fds+=("$churn_fd")
read -r ready _ <&"${CHURN[0]}"
[ "$ready" = ready ] || { echo "churn failed to start"; exit 1; }

for i in $(seq "$runs"); do
	"$L" -tanp >"$tmp/runs/table.$i" 2>"$tmp/runs/table.$i.err"
	echo $? >"$tmp/runs/table.$i.status"
	"$L" --json -tanp >"$tmp/runs/json.$i" 2>"$tmp/runs/json.$i.err"
	echo $? >"$tmp/runs/json.$i.status"
done
# As nobody, root's churning processes are others': some exit between the walk and the second
# look at them, which says so (race.py checks the notices).
for i in $(seq "$((runs / 3))"); do
	asnobody "$L" -tanp >"$tmp/runs/nobody.$i" 2>"$tmp/runs/nobody.$i.err"
	echo $? >"$tmp/runs/nobody.$i.status"
done
# Stop the churn before reading its log: every pid is in it by then.
exec {churn_fd}>&-
wait "$churn_pid"
check "100 runs each under churn" python3 "$4" "$3" "$tmp/pids" "$tmp/runs"

finish
