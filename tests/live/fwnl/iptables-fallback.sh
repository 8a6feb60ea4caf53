# iptables-nft rules the netlink decoder leaves to libnftables (each alone makes the whole
# namespace read through it): ct status, multiport on either port, addrtype of the source, an
# icmp code, TCP flags, a DNAT to an address range, MASQUERADE to ports.
iptables -A INPUT -m conntrack --ctstatus CONFIRMED -j ACCEPT
iptables -A INPUT -p tcp -m multiport --ports 22 -j ACCEPT
iptables -A INPUT -m addrtype --src-type LOCAL -j ACCEPT
iptables -A INPUT -p icmp --icmp-type 3/4 -j ACCEPT
iptables -A INPUT -p tcp --tcp-flags SYN SYN -j LOG --log-level 4
iptables -t nat -A PREROUTING -p tcp --dport 8082 -j DNAT --to-destination 10.0.0.4-10.0.0.5
iptables -t nat -A POSTROUTING -o eth1 -p tcp -j MASQUERADE --to-ports 1000-2000
