tcpinfo-key-twotcpinfo-key-onetcpinfo-key-sixNetid State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process
tcp   LISTEN 0      8          127.0.0.1:7404       0.0.0.0:*     <->
	 bbr cwnd:10
tcp   LISTEN 0      8          127.0.0.1:7401       0.0.0.0:*     <->
	 bbr cwnd:10 md5keys:10.0.0.0/8=,127.0.0.1/32=
tcp   LISTEN 0      8          127.0.0.1:7403       0.0.0.0:*     <->
	 bbr cwnd:10 tcp-ulp-mptcp
tcp   ESTAB  0      0          127.0.0.1:49886    127.0.0.1:7403  <->
	 ts sack bbr wscale:10,10 rto:204 rtt:0.024/0.013 ato:40 mss:32768 pmtu:65535 rcvmss:536 advmss:65483 cwnd:11 bytes_sent:1000 bytes_acked:1001 bytes_received:200 segs_out:4 segs_in:3 data_segs_out:1 data_segs_in:1 bbr:(bw:26214390624bps,mrtt:0.01,pacing_gain:2.88672,cwnd_gain:2.88672) send 120149333333bps lastsnd:28 lastrcv:28 lastack:28 pacing_rate 277241207144bps delivery_rate 26214400000bps delivered:2 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.01 snd_wnd:65536 tcp-ulp-mptcp flags:Mmec token:0000(id:0)/7c4acd32(id:0) seq:b0182b75a7c378b4 sfseq:1 ssnoff:ce7b1032 maplen:c8
tcp   ESTAB  200    0          127.0.0.1:56656    127.0.0.1:7404  <->
	 ts sack bbr wscale:10,10 rto:204 rtt:0.005/0.002 ato:40 mss:35328 pmtu:65535 rcvmss:536 advmss:65483 cwnd:11 bytes_sent:1000 bytes_acked:1001 bytes_received:200 segs_out:4 segs_in:3 data_segs_out:1 data_segs_in:1 bbr:(bw:56524796624bps,mrtt:0.005,pacing_gain:2.88672,cwnd_gain:2.88672) send 621772800000bps lastsnd:28 lastrcv:28 lastack:28 pacing_rate 1247585543688bps delivery_rate 56524800000bps delivered:2 app_limited rcv_space:65495 rcv_ssthresh:65495 minrtt:0.005 snd_wnd:70656
tcp   ESTAB  1000   0          127.0.0.1:7404     127.0.0.1:56656 <->
	 ts sack bbr wscale:10,10 rto:204 rtt:0.005/0.002 ato:40 mss:32768 pmtu:65535 rcvmss:1000 advmss:65483 cwnd:11 bytes_sent:200 bytes_acked:200 bytes_received:1000 segs_out:2 segs_in:4 data_segs_out:1 data_segs_in:1 bbr:(bw:65536000000bps,mrtt:0.004,pacing_gain:2.88672,cwnd_gain:2.88672) send 576716800000bps lastsnd:28 lastrcv:28 lastack:28 pacing_rate 1248614370224bps delivery_rate 65536000000bps delivered:2 app_limited rcv_space:65483 rcv_ssthresh:70173 minrtt:0.004 snd_wnd:65536
tcp   ESTAB  0      0          127.0.0.1:7403     127.0.0.1:49886 <->
	 ts sack bbr wscale:10,10 rto:204 rtt:0.018/0.01 ato:40 mss:32768 pmtu:65535 rcvmss:1000 advmss:65483 cwnd:11 bytes_sent:200 bytes_acked:200 bytes_received:1000 segs_out:2 segs_in:4 data_segs_out:1 data_segs_in:1 bbr:(bw:52428796872bps,mrtt:0.005,pacing_gain:2.88672,cwnd_gain:2.88672) send 160199111111bps lastsnd:28 lastrcv:28 lastack:28 pacing_rate 374584320000bps delivery_rate 52428800000bps delivered:2 app_limited rcv_space:65483 rcv_ssthresh:70173 minrtt:0.005 snd_wnd:65536 tcp-ulp-mptcp flags:Mec token:0000(id:0)/cb90678d(id:0) seq:4a418357c9d0a37a sfseq:1 ssnoff:9d5d84ec maplen:3e8
tcp   LISTEN 0      8              [::1]:7402          [::]:*     v6only:1 <->
	 bbr cwnd:10 md5keys:::1/128=
mptcp ESTAB  1032   0          127.0.0.1:49886    127.0.0.1:7403  <->
	 subflows_max:2 remote_key token:7c4acd32 write_seq:4a418357c9d0a762 snd_una:4a418357c9d0a762 rcv_nxt:b0182b75a7c3797c
mptcp ESTAB  1832   0          127.0.0.1:7403     127.0.0.1:49886 <->
	 subflows_max:2 remote_key token:cb90678d write_seq:b0182b75a7c3797c snd_una:b0182b75a7c3797c rcv_nxt:4a418357c9d0a762
mptcp LISTEN 0      8          127.0.0.1:7403       0.0.0.0:*     <->
	
