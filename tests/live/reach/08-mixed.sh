# iptables for IPv4 with a default drop and ip6tables with a default accept: a dual-stack
# listener the IPv4 side drops is still open over IPv6; REJECT with tcp-reset for IPv6.
iptables -P INPUT DROP
iptables -A INPUT -p tcp --dport 22 -j ACCEPT
iptables -A INPUT -s 10.77.0.2/32 -p udp --dport 123 -j ACCEPT
ip6tables -P INPUT ACCEPT
ip6tables -A INPUT -p tcp --dport 5432 -j REJECT --reject-with tcp-reset
ip6tables -A INPUT -p udp --dport 500 -j DROP
