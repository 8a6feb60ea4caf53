Netid State  Recv-Q Send-Q Local Address:Port     Peer Address:PortProcess                                                                                          
p_raw UNCONN 0      0                  *:*                    *     users:(("python3",pid=10472,fd=9)) ino:132712955 sk:c6bf32
	ver:0 cpy_thresh:0 flags( running ) 
p_dgr UNCONN 0      0             [2048]:*                    *     users:(("python3",pid=10472,fd=11)) ino:132712956 sk:c6bf33
	ver:0 cpy_thresh:0 flags( running )
p_raw UNCONN 0      0             [2054]:rawpkt-a             *     users:(("python3",pid=10472,fd=12)) ino:132712957 sk:c6bf34
	ver:0 cpy_thresh:0 flags( running )
p_raw UNCONN 0      0                  *:rawpkt-a             *     users:(("python3",pid=10472,fd=13)) ino:132712958 sk:c6bf35
	ver:0 cpy_thresh:0 flags( running )
p_raw UNCONN 0      0                  *:*                    *     users:(("python3",pid=10472,fd=14)) ino:132712959 sk:c6bf36
	ver:0 cpy_thresh:0 flags( running )
State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess                            
ESTAB  0      0          127.0.0.1:1       127.0.0.2:*    users:(("python3",pid=10472,fd=5))
UNCONN 0      0          127.0.0.1:1         0.0.0.0:*    users:(("python3",pid=10472,fd=4))
UNCONN 0      0            0.0.0.0:1         0.0.0.0:*    users:(("python3",pid=10472,fd=3))
UNCONN 0      0            0.0.0.0:255       0.0.0.0:*    users:(("python3",pid=10472,fd=6))
UNCONN 0      0              [::1]:58              *:*    users:(("python3",pid=10472,fd=8))
UNCONN 0      0                  *:58              *:*    users:(("python3",pid=10472,fd=7))
