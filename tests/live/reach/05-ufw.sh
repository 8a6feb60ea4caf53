# ufw's chain layout (iptables-nft): before/user/after/reject chains, not-local, default
# deny incoming, rules "allow 22/tcp", "allow 53", "allow from 10.77.0.0/24 to any port 5432",
# "deny 3306".
iptables -P INPUT DROP
for c in ufw-before-logging-input ufw-before-input ufw-after-input ufw-after-logging-input \
	ufw-reject-input ufw-track-input ufw-user-input ufw-not-local ufw-skip-to-policy-input \
	ufw-user-limit ufw-user-limit-accept; do
	iptables -N $c
done
iptables -A INPUT -j ufw-before-logging-input
iptables -A INPUT -j ufw-before-input
iptables -A INPUT -j ufw-after-input
iptables -A INPUT -j ufw-after-logging-input
iptables -A INPUT -j ufw-reject-input
iptables -A INPUT -j ufw-track-input
iptables -A ufw-before-input -i lo -j ACCEPT
iptables -A ufw-before-input -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -A ufw-before-input -m conntrack --ctstate INVALID -j DROP
iptables -A ufw-before-input -p icmp --icmp-type echo-request -j ACCEPT
iptables -A ufw-before-input -p udp --sport 67 --dport 68 -j ACCEPT
iptables -A ufw-before-input -j ufw-not-local
iptables -A ufw-before-input -d 224.0.0.251/32 -p udp --dport 5353 -j ACCEPT
iptables -A ufw-before-input -j ufw-user-input
iptables -A ufw-not-local -m addrtype --dst-type LOCAL -j RETURN
iptables -A ufw-not-local -m addrtype --dst-type MULTICAST -j RETURN
iptables -A ufw-not-local -m addrtype --dst-type BROADCAST -j RETURN
iptables -A ufw-not-local -j DROP
iptables -A ufw-user-input -p tcp --dport 22 -j ACCEPT
iptables -A ufw-user-input -p tcp --dport 53 -j ACCEPT
iptables -A ufw-user-input -p udp --dport 53 -j ACCEPT
iptables -A ufw-user-input -s 10.77.0.0/24 -p tcp --dport 5432 -j ACCEPT
iptables -A ufw-user-input -p tcp --dport 3306 -j DROP
iptables -A ufw-after-input -p udp --dport 137 -j ufw-skip-to-policy-input
iptables -A ufw-after-input -p udp --dport 138 -j ufw-skip-to-policy-input
iptables -A ufw-after-input -p tcp --dport 139 -j ufw-skip-to-policy-input
iptables -A ufw-after-input -m addrtype --dst-type BROADCAST -j ufw-skip-to-policy-input
iptables -A ufw-skip-to-policy-input -j DROP
ip6tables -P INPUT DROP
ip6tables -N ufw6-user-input
ip6tables -A INPUT -i lo -j ACCEPT
ip6tables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
ip6tables -A INPUT -p ipv6-icmp -j ACCEPT
ip6tables -A INPUT -j ufw6-user-input
ip6tables -A ufw6-user-input -p tcp --dport 22 -j ACCEPT
ip6tables -A ufw6-user-input -p tcp --dport 8443 -j ACCEPT
