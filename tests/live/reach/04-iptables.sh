# What an admin's iptables/ip6tables script writes through iptables-nft: conntrack,
# multiport, source matches, REJECT, LOG, comments.
iptables -P INPUT DROP
iptables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -A INPUT -i lo -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 22,80,443 -m comment --comment "web and ssh" \
	-j ACCEPT
iptables -A INPUT -s 10.88.0.0/24 -p tcp --dport 5432 -j ACCEPT
iptables -A INPUT -p udp --dport 53 -j ACCEPT
iptables -A INPUT -p udp --dport 161 -j LOG --log-prefix "snmp "
iptables -A INPUT -p udp --dport 161 -j REJECT --reject-with icmp-port-unreachable
iptables -A INPUT -p tcp -m state --state NEW --dport 9000 -j ACCEPT
iptables -A INPUT -p tcp -j REJECT --reject-with tcp-reset
ip6tables -P INPUT DROP
ip6tables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
ip6tables -A INPUT -p tcp -m multiport --dports 8443,5432 -j ACCEPT
ip6tables -A INPUT -p udp --dport 500 -s fd77::/64 -j ACCEPT
ip6tables -A INPUT -p ipv6-icmp -j ACCEPT
