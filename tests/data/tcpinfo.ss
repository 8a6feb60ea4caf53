tcpinfo-key-twotcpinfo-key-onetcpinfo-key-sixNetid State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process
tcp   LISTEN 0      8          127.0.0.1:7401       0.0.0.0:*     <->
	 bbr cwnd:10 md5keys:10.0.0.0/8=,127.0.0.1/32=
tcp   LISTEN 0      8          127.0.0.1:7403       0.0.0.0:*     <->
	 bbr cwnd:10 tcp-ulp-mptcp
tcp   LISTEN 0      8          127.0.0.1:7404       0.0.0.0:*     <->
	 bbr cwnd:10
tcp   ESTAB  1000   0          127.0.0.1:7404     127.0.0.1:35506 <->
	 ts sack bbr wscale:10,10 rto:204 rtt:0.005/0.002 ato:40 mss:32768 pmtu:65535 rcvmss:1000 advmss:65483 cwnd:11 bytes_sent:200 bytes_acked:200 bytes_received:1000 segs_out:2 segs_in:4 data_segs_out:1 data_segs_in:1 bbr:(bw:65536000000bps,mrtt:0.004,pacing_gain:2.88672,cwnd_gain:2.88672) send 576716800000bps lastsnd:12 lastrcv:12 lastack:12 pacing_rate 1248614370224bps delivery_rate 65536000000bps delivered:2 app_limited rcv_space:65483 rcv_ssthresh:70173 minrtt:0.004 snd_wnd:65536
tcp   ESTAB  0      0          127.0.0.1:33074    127.0.0.1:7403  <->
	 ts sack bbr wscale:10,10 rto:204 rtt:0.028/0.015 ato:40 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:11 bytes_sent:1000 bytes_acked:1001 bytes_received:200 segs_out:4 segs_in:3 data_segs_out:1 data_segs_in:1 bbr:(bw:29127109368bps,mrtt:0.009,pacing_gain:2.88672,cwnd_gain:2.88672) send 102985142857bps lastsnd:12 lastrcv:12 lastack:12 pacing_rate 241468168304bps delivery_rate 29127111104bps delivered:2 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.009 snd_wnd:65536 tcp-ulp-mptcp flags:Mmec token:0000(id:0)/98d9005b(id:0) seq:dec4df6548af5436 sfseq:1 ssnoff:ff89b360 maplen:c8
tcp   ESTAB  200    0          127.0.0.1:35506    127.0.0.1:7404  <->
	 ts sack bbr wscale:10,10 rto:204 rtt:0.005/0.002 ato:40 mss:35328 pmtu:65535 rcvmss:536 advmss:65483 cwnd:11 bytes_sent:1000 bytes_acked:1001 bytes_received:200 segs_out:4 segs_in:3 data_segs_out:1 data_segs_in:1 bbr:(bw:56524796624bps,mrtt:0.005,pacing_gain:2.88672,cwnd_gain:2.88672) send 621772800000bps lastsnd:12 lastrcv:12 lastack:12 pacing_rate 1247585543688bps delivery_rate 56524800000bps delivered:2 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.005 snd_wnd:70656
tcp   ESTAB  0      0          127.0.0.1:7403     127.0.0.1:33074 <->
	 ts sack bbr wscale:10,10 rto:204 rtt:0.019/0.011 ato:40 mss:32768 pmtu:65535 rcvmss:1000 advmss:65483 cwnd:11 bytes_sent:200 bytes_acked:200 bytes_received:1000 segs_out:2 segs_in:4 data_segs_out:1 data_segs_in:1 bbr:(bw:52428796872bps,mrtt:0.005,pacing_gain:2.88672,cwnd_gain:2.88672) send 151767578947bps lastsnd:12 lastrcv:12 lastack:12 pacing_rate 340531187816bps delivery_rate 52428800000bps delivered:2 app_limited rcv_space:65483 rcv_ssthresh:70173 minrtt:0.005 snd_wnd:65536 tcp-ulp-mptcp flags:Mec token:0000(id:0)/c4a4db24(id:0) seq:8797bc2d1da9b06e sfseq:1 ssnoff:4b56e290 maplen:3e8
tcp   LISTEN 0      8              [::1]:7402          [::]:*     v6only:1 <->
	 bbr cwnd:10 md5keys:::1/128=
mptcp ESTAB  1032   0          127.0.0.1:33074    127.0.0.1:7403  <->
	 subflows_max:2 remote_key token:98d9005b write_seq:8797bc2d1da9b456 snd_una:8797bc2d1da9b456 rcv_nxt:dec4df6548af54fe
mptcp ESTAB  1832   0          127.0.0.1:7403     127.0.0.1:33074 <->
	 subflows_max:2 remote_key token:c4a4db24 write_seq:dec4df6548af54fe snd_una:dec4df6548af54fe rcv_nxt:8797bc2d1da9b456
mptcp LISTEN 0      8          127.0.0.1:7403       0.0.0.0:*     <->
	
