# Docker's chains (iptables-nft) with a default-drop input as ufw leaves it: port 8080 of the
# host is published to the container's :80 (DNAT), which the input chain would drop; a
# DOCKER-USER rule drops 3306 forwarded; nothing else of the host is open but ssh.
# container: tcp,0.0.0.0,80
iptables -N DOCKER
iptables -N DOCKER-USER
iptables -N DOCKER-ISOLATION-STAGE-1
iptables -N DOCKER-ISOLATION-STAGE-2
iptables -P FORWARD DROP
iptables -A FORWARD -j DOCKER-USER
iptables -A FORWARD -j DOCKER-ISOLATION-STAGE-1
iptables -A FORWARD -o dock0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -A FORWARD -o dock0 -j DOCKER
iptables -A FORWARD -i dock0 ! -o dock0 -j ACCEPT
iptables -A FORWARD -i dock0 -o dock0 -j ACCEPT
iptables -A DOCKER -d 172.30.0.2/32 ! -i dock0 -o dock0 -p tcp -m tcp --dport 80 -j ACCEPT
iptables -A DOCKER-ISOLATION-STAGE-1 -i dock0 ! -o dock0 -j DOCKER-ISOLATION-STAGE-2
iptables -A DOCKER-ISOLATION-STAGE-1 -j RETURN
iptables -A DOCKER-ISOLATION-STAGE-2 -o dock0 -j DROP
iptables -A DOCKER-ISOLATION-STAGE-2 -j RETURN
iptables -A DOCKER-USER -p tcp --dport 3306 -j DROP
iptables -A DOCKER-USER -j RETURN
iptables -t nat -N DOCKER
iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
iptables -t nat -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
iptables -t nat -A POSTROUTING -s 172.30.0.0/16 ! -o dock0 -j MASQUERADE
iptables -t nat -A DOCKER -i dock0 -j RETURN
iptables -t nat -A DOCKER ! -i dock0 -p tcp -m tcp --dport 8080 \
	-j DNAT --to-destination 172.30.0.2:80
iptables -P INPUT DROP
iptables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -A INPUT -p tcp --dport 22 -j ACCEPT
