# Sourced inside a fresh network namespace (by tests/live/scope.sh and tests/data/capture.sh):
# builds interfaces with addresses of every scope class and lists the sockets to open on them.
# Uses only documentation, private and loopback addresses, and a veth pair of our own.
ip link set lo up || return 1
ip link add d0 type veth peer name d1 || return 1
ip link set d0 up && ip link set d1 up || return 1
ip addr add 10.1.2.3/24 dev d0 &&
	ip addr add 100.64.0.9/10 dev d0 &&
	ip addr add 169.254.7.7/16 dev d0 &&
	ip addr add 203.0.113.7/24 dev d1 &&
	ip addr add fd00::5/64 dev d0 nodad &&
	ip addr add fe80::1234/64 dev d0 nodad &&
	ip addr add 2001:db8::9/64 dev d1 nodad || return 1

# tcp|udp,ADDRESS,PORT[,v6only][,dev=NAME], as tests/live/sockhelper.c takes them.
scope_sockets=(
	tcp,0.0.0.0,6379            # all: redis, a warning
	tcp,127.0.0.1,5432          # loopback: no warning
	tcp,::,80                   # all, dual-stack
	tcp,::,443,v6only           # all (v6 only)
	tcp,10.1.2.3,23             # lan (d0): telnet, a warning
	tcp,100.64.0.9,3306         # lan (d0): CGNAT
	tcp,169.254.7.7,2375        # link-local (d0): docker, a warning
	tcp,203.0.113.7,9200        # public (d1): elasticsearch, a warning
	tcp,fd00::5,5984            # lan (d0): ULA
	tcp,fe80::1234,22,dev=d0    # link-local, bound to d0 by its scope id
	tcp,2001:db8::9,993         # public (d1): imaps, no note
	tcp,0.0.0.0,8080,dev=d1     # device:d1
	tcp,0.0.0.0,9090,dev=lo     # a wildcard on lo: loopback
	tcp,::ffff:127.0.0.2,8888      # IPv4-mapped loopback
	tcp,0.0.0.0,12345           # only nmap-services names it (netbus)
	tcp,0.0.0.0,57000           # ephemeral: no guess, though /etc/services has dircproxy
	tcp,0.0.0.0,6010            # inside the X11 range
	udp,0.0.0.0,161             # snmp, a warning
	udp,224.0.0.251,5353        # multicast
	udp,127.0.0.1,11211         # loopback memcached: no warning
	udp,0.0.0.0,514             # syslog on UDP (514/tcp is rsh)
	tcp,0.0.0.0,514             # rsh
)
