# iptables-nft / ip6tables-nft as an admin's script writes them: conntrack, multiport, source
# matches, REJECT, LOG, comments.
iptables -P INPUT DROP
iptables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -A INPUT -i lo -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 22,80,443 -j ACCEPT
iptables -A INPUT -s 10.0.0.0/8 -p tcp --dport 5432 -j ACCEPT
iptables -A INPUT -s 192.168.1.0/24 -p tcp --dport 5432 -j ACCEPT
iptables -A INPUT -p udp --dport 53 -j REJECT --reject-with icmp-port-unreachable
iptables -A INPUT -p tcp -m state --state NEW -m tcp --dport 25 -m comment --comment "smtp in" \
	-j ACCEPT
iptables -A INPUT -p tcp --dport 27 -j LOG --log-prefix "p27 "
iptables -A INPUT -p tcp --dport 27 -m recent --rcheck -j ACCEPT
ip6tables -P INPUT ACCEPT
ip6tables -A INPUT -p tcp -m tcp --dport 24 -j REJECT --reject-with tcp-reset
