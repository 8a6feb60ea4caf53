Netid State  Recv-Q Send-Q                         Local Address:Port      Peer Address:Port     Process                                                                                                                          
u_str ESTAB  0      2304                                       * 151368419            * 151368420 users:(("python3",pid=23777,fd=4)) skmem:(r0,rb212992,t2304,tb212992,f0,w0,o0,bl0,d0) <->                                       
u_str ESTAB  0      0                                          * 151368421            * 0         users:(("python3",pid=23777,fd=6)) skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0) <->                                          
u_dgr ESTAB  0      1280                                       * 151368422            * 151368423 users:(("python3",pid=23777,fd=7)) skmem:(r0,rb212992,t1280,tb212992,f0,w0,o0,bl0,d0) <->                                       
u_seq ESTAB  0      1280                                       * 151368424            * 151368425 users:(("python3",pid=23777,fd=9)) skmem:(r0,rb212992,t1280,tb212992,f0,w0,o0,bl0,d0) <->                                       
u_str LISTEN 1      8      /tmp/listen-skmem-fixture/stream.sock 151368418            * 0         users:(("python3",pid=23777,fd=3)) skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0) <-> ino:11022203 dev:0/65024 peers: 151368421
u_seq ESTAB  500    0                                          * 151368425            * 151368424 users:(("python3",pid=23777,fd=11)) skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0) <->                                         
u_dgr UNCONN 0      3840                                       * 151368427            * 0         users:(("python3",pid=23777,fd=13)) skmem:(r0,rb212992,t3840,tb212992,f0,w0,o0,bl0,d0) <->                                      
u_str ESTAB  1000   0      /tmp/listen-skmem-fixture/stream.sock 151368420            * 151368419 users:(("python3",pid=23777,fd=5)) skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0) <-> ino:11022203 dev:0/65024                 
u_dgr ESTAB  300    0                                          * 151368423            * 151368422 users:(("python3",pid=23777,fd=8)) skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0) <->                                          
u_dgr UNCONN 200    0                               @skmem-dgram 151368426            * 0         users:(("python3",pid=23777,fd=12)) skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0) <->                                         
Netid State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess                                                                                                                                             
p_raw UNCONN 3328   0                  *:lo               *     users:(("python3",pid=23777,fd=14)) ino:151368428 sk:f02089
	ver:0 cpy_thresh:0 flags( running ) skmem:(r3328,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)
p_raw UNCONN 0      0             [2054]:*                *     users:(("python3",pid=23777,fd=15)) ino:151368429 sk:f0208a
	ver:0 cpy_thresh:0 flags( running ) skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)   
p_raw UNCONN 0      0                [0]:*                *     users:(("python3",pid=23777,fd=16)) ino:151368430 sk:f0208b
	ver:0 cpy_thresh:0 flags( 0 ) skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)         
