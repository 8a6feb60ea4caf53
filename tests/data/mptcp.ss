Netid State  Recv-Q Send-Q      Local Address:Port        Peer Address:Port Process                                       
tcp   LISTEN 0      4               127.0.0.1:7314             0.0.0.0:*     <->         
tcp   LISTEN 0      16              127.0.0.1:7311             0.0.0.0:*     <->         
tcp   ESTAB  0      0               127.0.0.1:57694          127.0.0.1:7313  <->         
tcp   ESTAB  0      0               127.0.0.1:58952          127.0.0.1:7311  <->         
tcp   ESTAB  0      0               127.0.0.1:7311           127.0.0.1:58952 <->         
tcp   LISTEN 0      8                   [::1]:7312                [::]:*     v6only:1 <->
tcp   LISTEN 0      4                       *:7313                   *:*     v6only:0 <->
tcp   ESTAB  0      0                   [::1]:35540              [::1]:7312  <->         
tcp   ESTAB  0      0      [::ffff:127.0.0.1]:7313  [::ffff:127.0.0.1]:57694 <->         
tcp   ESTAB  0      0                   [::1]:7312               [::1]:35540 <->         
mptcp ESTAB  0      0               127.0.0.1:57694          127.0.0.1:7313  <->         
mptcp ESTAB  0      0               127.0.0.1:58952          127.0.0.1:7311  <->         
mptcp ESTAB  0      0               127.0.0.1:7311           127.0.0.1:58952 <->         
mptcp LISTEN 0      16              127.0.0.1:7311             0.0.0.0:*     <->         
mptcp ESTAB  0      0                   [::1]:35540              [::1]:7312  <->         
mptcp ESTAB  0      0                   [::1]:7312               [::1]:35540 <->         
mptcp ESTAB  0      0      [::ffff:127.0.0.1]:7313  [::ffff:127.0.0.1]:57694 <->         
mptcp LISTEN 0      8                   [::1]:7312                [::]:*     v6only:1 <->
mptcp LISTEN 0      4                       *:7313                   *:*     v6only:0 <->
