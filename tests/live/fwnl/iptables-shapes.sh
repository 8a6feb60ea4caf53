# Shapes of iptables-nft rules (extensions in their binary structs) the netlink decoder reads
# as nft lists them.
iptables -N sub
iptables -A INPUT -m conntrack --ctstate NEW,RELATED,ESTABLISHED,INVALID,UNTRACKED -j ACCEPT
iptables -A INPUT -m conntrack ! --ctstate NEW -j ACCEPT
iptables -A INPUT -m state --state NEW,ESTABLISHED -j ACCEPT
iptables -A INPUT -p tcp -m multiport ! --dports 22,80:90 -j ACCEPT
iptables -A INPUT -p udp -m multiport --sports 53,67 -j ACCEPT
iptables -A INPUT -m addrtype --dst-type LOCAL,BROADCAST -j ACCEPT
iptables -A INPUT -m addrtype ! --dst-type LOCAL -j sub
iptables -A INPUT -p icmp --icmp-type echo-request -j ACCEPT
iptables -A INPUT -i eth+ -p tcp --dport 1:1000 -j REJECT --reject-with icmp-host-unreachable
iptables -A INPUT -p tcp --dport 23 -j LOG --log-prefix "telnet " --log-tcp-options
iptables -A INPUT -p tcp --dport 24 -m conntrack --ctstate NEW -m comment --comment "svc" -j ACCEPT
iptables -A INPUT -m comment --comment "only a comment"
iptables -A INPUT -p udp --sport 67 --dport 68 -j ACCEPT
iptables -A INPUT -s 1.2.3.4 -d 10.0.0.0/8 -j DROP
iptables -A INPUT ! -s 10.0.0.0/9 ! -i lo -j DROP
iptables -A INPUT -p tcp --dport 25 -m recent --rcheck -m conntrack --ctstate NEW -j ACCEPT
iptables -A INPUT -p tcp --dport 26 -m limit --limit 5/s -m conntrack --ctstate NEW -j ACCEPT
iptables -A sub -p tcp --dport 27 -j RETURN
iptables -A sub -j DROP
iptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 10.0.0.2:80
iptables -t nat -A PREROUTING -p tcp --dport 8081 -j DNAT --to-destination 10.0.0.3
iptables -t nat -A PREROUTING -p tcp --dport 8083 -j REDIRECT --to-ports 22
iptables -t nat -A PREROUTING -p tcp --dport 8084 -m conntrack --ctstate NEW -j REDIRECT
iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE
iptables -t nat -A POSTROUTING -o eth2 -m conntrack --ctstate NEW -j SNAT --to-source 1.2.3.4
iptables -t nat -A POSTROUTING -o eth3 -m conntrack --ctstate NEW -j MASQUERADE
ip6tables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
ip6tables -A INPUT -p tcp -m multiport --dports 8443,5432 -j ACCEPT
ip6tables -A INPUT -p udp --dport 500 -s fd77::/64 -j ACCEPT
ip6tables -A INPUT -p ipv6-icmp -j ACCEPT
ip6tables -A INPUT -p tcp -m tcp --dport 24 -j REJECT --reject-with tcp-reset
