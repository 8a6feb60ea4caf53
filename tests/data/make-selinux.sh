#!/bin/bash
# Make tests/data/proc-selinux: tests/data/proc's processes on a machine where SELinux is on,
# for -Z and -z. The tree says so itself: its filesystems lists selinuxfs and its mounts mount
# it read-write (with tests/data/state's etc/selinux/config, what libselinux asks for). Each
# holder's attr/current gives a context, or not: a confined daemon, an unconfined user's
# process with an MLS range, one with a terminal escape and invalid UTF-8, one with an empty
# context (none), one with no attr/ at all (gone). A socket fd's context is in
# PID/fdcontext/FD, the stand-in a fixture has for the socket's xattr security.selinux: some
# fds have one, one with an escape, the others none.
# Usage: tests/data/make-selinux.sh (from anywhere); rewrites the tree.
set -eu
data=$(cd "$(dirname "$0")" && pwd)
out=$data/proc-selinux
rm -rf "$out"
cp -a "$data/proc" "$out"
printf 'nodev\tsysfs\nnodev\tproc\nnodev\ttmpfs\n\text4\nnodev\tselinuxfs\n' >"$out/filesystems"
printf '%s\n' 'proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0' \
	'sysfs /sys sysfs rw,seclabel,nosuid,nodev,noexec,relatime 0 0' \
	'selinuxfs /sys/fs/selinux selinuxfs rw,nosuid,noexec,relatime 0 0' >"$out/mounts"
# ctx PID BYTES: attr/current as the kernel gives it, ending in a NUL.
ctx() {
	mkdir -p "$out/$1/attr"
	printf '%b\0' "$2" >"$out/$1/attr/current"
}
ctx 1 'system_u:system_r:init_t:s0'
ctx 4352 'unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023'
ctx 4353 'system_u:system_r:evil_t:s0\e[31m\xff'
ctx 999002 'system_u:system_r:sshd_t:s0\nsecond line'
mkdir -p "$out/4354/attr" && : >"$out/4354/attr/current"
# sockctx PID FD BYTES: a socket fd's context.
sockctx() {
	mkdir -p "$out/$1/fdcontext"
	printf '%b\0' "$3" >"$out/$1/fdcontext/$2"
}
for fd in 3 4 5 6 7; do
	sockctx 4352 "$fd" 'unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023'
done
sockctx 4353 4 'system_u:object_r:evil_t:s0\e]0;title\a'
sockctx 1 40 'system_u:system_r:init_t:s0'
