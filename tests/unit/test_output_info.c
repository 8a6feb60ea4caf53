/* Unit tests of what -o, -m and -i add to a row: ss's text, field by field, and JSON's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/output_info.h"
#include "listen/sbuf.h"
#include "listen/sock.h"

static struct lsock tcp(uint8_t state)
{
	return (struct lsock){ .family = AF_INET, .protocol = IPPROTO_TCP, .state = state };
}

/* An established connection's tcp_info as a 6.18 kernel gives it. */
static struct lsock_ext full(void)
{
	struct lsock_ext e = { .has_info = true, .nskmem = LSOCK_SKMEM_MAX };

	for (int i = 0; i < LSOCK_SKMEM_MAX; i++)
		e.skmem[i] = (uint32_t)i * 10;
	strcpy(e.cong, "cubic");
	e.info = (struct lsock_tcpinfo){
		.len = 300, .groups = LSOCK_TCPI_G_MAX,
		.options = LSOCK_TCPI_TIMESTAMPS | LSOCK_TCPI_SACK | LSOCK_TCPI_WSCALE |
			   LSOCK_TCPI_ECN,
		.snd_wscale = 7, .rcv_wscale = 7, .rto = 204000, .rtt = 1500, .rttvar = 750,
		.ato = 40000, .snd_mss = 1448, .pmtu = 1500, .rcv_mss = 536, .advmss = 1448,
		.snd_cwnd = 10, .snd_ssthresh = 0x7fffffff, .bytes_sent = 100, .bytes_acked = 101,
		.segs_out = 3, .segs_in = 2, .data_segs_out = 1, .last_data_sent = 5,
		.last_data_recv = 6, .last_ack_recv = 7, .pacing_rate = 1250000,
		.max_pacing_rate = UINT64_MAX, .delivery_rate = 125, .delivered = 2,
		.busy_time = 4000, .rwnd_limited = 1000, .reordering = 3, .rcv_space = 14480,
		.rcv_ssthresh = 64088, .min_rtt = 1200, .snd_wnd = 65535, .rcv_wnd = 65536,
	};
	return e;
}

static char *text(const struct lsock *sk, const struct lsock_ext *e, struct out_info_opts o)
{
	struct sbuf b = { 0 };

	out_info_text(&b, sk, e, &o);
	sbuf_putc(&b, '\0');
	assert_false(b.failed);
	return b.s;
}

/* Every field ss prints, in its order; the TCP options only with -o; rates with prefixes
 * unless -n. */
static void info_text(void **state)
{
	struct lsock sk = tcp(LSOCK_ESTABLISHED);
	struct lsock_ext e = full();
	struct out_info_opts o = { .memory = true, .info = true, .timers = true, .numeric = true };
	char *t;

	(void)state;
	t = text(&sk, &e, o);
	assert_string_equal(t, " skmem:(r0,rb10,t20,tb30,f40,w50,o60,bl70,d80) ts sack ecn cubic "
			    "wscale:7,7 rto:204 rtt:1.5/0.75 ato:40 mss:1448 pmtu:1500 "
			    "rcvmss:536 advmss:1448 cwnd:10 bytes_sent:100 bytes_acked:101 "
			    "segs_out:3 segs_in:2 data_segs_out:1 send 77226667bps lastsnd:5 "
			    "lastrcv:6 lastack:7 pacing_rate 10000000bps delivery_rate 1000bps "
			    "delivered:2 busy:4ms rwnd_limited:1ms(25.0%) rcv_space:14480 "
			    "rcv_ssthresh:64088 minrtt:1.2 snd_wnd:65535");
	free(t);
	o = (struct out_info_opts){ .info = true };
	e.info.pacing_rate = 1250000000;
	e.info.max_pacing_rate = 2500000000;
	e.info.delivery_rate = 0;
	e.info.rto = 3000000;      /* the initial one: not shown */
	e.info.snd_ssthresh = 20;  /* shown below 0xffff */
	e.info.reordering = 5;
	e.info.retrans = 1;
	e.info.sacked = 2;
	t = text(&sk, &e, o);
	assert_non_null(strstr(t, " cubic wscale:7,7 rtt:1.5/0.75 "));
	assert_non_null(strstr(t, " cwnd:10 ssthresh:20 bytes_sent:"));
	assert_non_null(strstr(t, " send 77.2Mbps "));
	assert_non_null(strstr(t, " pacing_rate 10Gbps/20Gbps delivered:2 "));
	assert_non_null(strstr(t, " retrans:1/0 sacked:2 reordering:5 "));
	assert_null(strstr(t, "skmem"));
	free(t);
	/* A listener's sacked is its backlog: ss leaves it out. */
	sk.state = LSOCK_LISTEN;
	t = text(&sk, &e, o);
	assert_null(strstr(t, "sacked"));
	free(t);
	/* Nothing from the kernel: nothing, the line is still ss's. */
	t = text(&sk, NULL, o);
	assert_string_equal(t, "");
	free(t);
}

/* The congestion controls that tell of themselves: vegas's rtt for the send rate, dctcp's
 * fields or its fallback, bbr's bandwidth. */
static void congestion_controls(void **state)
{
	struct lsock sk = tcp(LSOCK_ESTABLISHED);
	struct lsock_ext e = full();
	struct out_info_opts o = { .info = true, .numeric = true };
	char *t;

	(void)state;
	e.cc = (struct lsock_ccinfo){ .kind = LSOCK_CC_VEGAS,
				      .vegas = { .enabled = 1, .rtt = 3000 } };
	t = text(&sk, &e, o);
	assert_non_null(strstr(t, " send 38613333bps "));
	free(t);
	e.cc = (struct lsock_ccinfo){ .kind = LSOCK_CC_DCTCP,
				      .dctcp = { 1, 2, 3, 4, 5 } };
	t = text(&sk, &e, o);
	assert_non_null(strstr(t, " data_segs_out:1 dctcp:(ce_state:2,alpha:3,ab_ecn:4,ab_tot:5) "
				  "send "));
	free(t);
	e.cc.dctcp.enabled = 0;
	t = text(&sk, &e, o);
	assert_non_null(strstr(t, " dctcp:fallback_mode send "));
	free(t);
	e.cc = (struct lsock_ccinfo){ .kind = LSOCK_CC_BBR,
				      .bbr = { .bw = 1250000, .min_rtt = 1200, .pacing_gain = 739,
					       .cwnd_gain = 512 } };
	o.numeric = false;
	t = text(&sk, &e, o);
	assert_non_null(strstr(t, " bbr:(bw:10Mbps,mrtt:1.2,pacing_gain:2.88672,cwnd_gain:2) "));
	free(t);
}

static void timer_and_lines(void **state)
{
	struct lsock sk = tcp(LSOCK_ESTABLISHED), udp = sk;
	struct out_info_opts info = { .info = true }, mem = { .memory = true };
	struct sbuf b = { 0 };

	(void)state;
	sk.timer = LSOCK_TIMER_KEEPALIVE;
	sk.expires = 7140000;
	out_timer_text(&b, &sk);
	sbuf_putc(&b, '\0');
	assert_string_equal(b.s, "timer:(keepalive,119min,0)");
	sbuf_free(&b);
	udp.protocol = IPPROTO_UDP;
	assert_true(out_info_line(&sk, &info));
	assert_false(out_info_line(&udp, &info)); /* ss: -i shows nothing more for UDP */
	assert_true(out_info_line(&udp, &mem));
	udp.flags = LSOCK_PROCNET;
	assert_false(out_info_line(&udp, &mem));
	udp.flags = 0;
	udp.family = AF_UNIX;
	assert_false(out_info_line(&udp, &mem));
}

static json_t *json_of(const struct lsock *sk, const struct lsock_ext *e,
		       struct out_info_opts o)
{
	struct sbuf b = { 0 };
	json_error_t err;
	json_t *j;

	sbuf_putc(&b, '{');
	sbuf_puts(&b, "\"x\":0");
	out_info_json(&b, sk, e, &o);
	sbuf_putc(&b, '}');
	j = json_loadb(b.s, b.len, 0, &err);
	if (!j)
		fail_msg("%s: %.*s", err.text, (int)b.len, b.s);
	sbuf_free(&b);
	return j;
}

/* JSON: times in ms, rates in bit/s, null for what the kernel did not send. */
static void info_json(void **state)
{
	struct lsock sk = tcp(LSOCK_ESTABLISHED);
	struct lsock_ext e = full();
	struct out_info_opts o = { .info = true, .memory = true };
	json_t *j, *ti;

	(void)state;
	j = json_of(&sk, &e, o);
	ti = json_object_get(j, "tcp_info");
	assert_true(json_is_object(ti));
	assert_true(json_real_value(json_object_get(ti, "rtt_ms")) == 1.5);
	assert_int_equal(json_integer_value(json_object_get(ti, "rcv_wnd")), 65536);
	assert_true(json_is_null(json_object_get(ti, "snd_ssthresh")));
	assert_true(json_is_null(json_object_get(ti, "max_pacing_rate_bps")));
	assert_int_equal(json_integer_value(json_object_get(ti, "pacing_rate_bps")), 10000000);
	assert_string_equal(json_string_value(json_object_get(ti, "congestion_control")),
			    "cubic");
	assert_int_equal(json_array_size(json_object_get(ti, "options")), 4);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "skmem"),
							    "drops")), 80);
	json_decref(j);

	/* An old kernel's: the later groups are null, not 0; fewer skmem fields too. */
	e.info.groups = LSOCK_TCPI_G_BYTES;
	e.nskmem = 7;
	strcpy(e.cong, "x\"y");
	j = json_of(&sk, &e, o);
	ti = json_object_get(j, "tcp_info");
	assert_true(json_is_null(json_object_get(ti, "bytes_acked")));
	assert_true(json_is_null(json_object_get(ti, "snd_wnd")));
	assert_true(json_is_null(json_object_get(ti, "min_rtt_ms")));
	assert_true(json_is_integer(json_object_get(ti, "pacing_rate_bps")));
	assert_true(json_is_null(json_object_get(ti, "congestion_control")));
	assert_true(json_is_null(json_object_get(json_object_get(j, "skmem"), "backlog")));
	json_decref(j);

	/* Not TCP or nothing sent: null; not asked: absent. */
	sk.protocol = IPPROTO_UDP;
	j = json_of(&sk, &e, o);
	assert_true(json_is_null(json_object_get(j, "tcp_info")));
	json_decref(j);
	j = json_of(&sk, NULL, o);
	assert_true(json_is_null(json_object_get(j, "skmem")));
	json_decref(j);
	sk.protocol = IPPROTO_TCP;
	j = json_of(&sk, &e, (struct out_info_opts){ 0 });
	assert_int_equal(json_object_size(j), 1);
	json_decref(j);
}

/* Two MD5 keys (one for a prefix, one for an IPv6 address) and kTLS's ULP. */
static struct lsock_ext md5_tls(struct lsock_md5key keys[2])
{
	struct lsock_ext e = { .has_ulp = true, .nmd5 = 2, .md5 = keys };

	keys[0] = (struct lsock_md5key){ .family = AF_INET, .prefixlen = 8, .addr = { 10 } };
	keys[1] = (struct lsock_md5key){ .family = AF_INET6, .prefixlen = 128,
					 .addr = { [15] = 1 } };
	strcpy(e.ulp.name, "tls");
	e.ulp.kind = LSOCK_ULP_TLS;
	e.ulp.have = LSOCK_TLS_VERSION | LSOCK_TLS_CIPHER | LSOCK_TLS_TXCONF |
		     LSOCK_TLS_RXCONF | LSOCK_TLS_ZC_RO_TX | LSOCK_TLS_RX_NO_PAD;
	e.ulp.tls.version = LSOCK_TLS_1_2;
	e.ulp.tls.cipher = LSOCK_TLS_AES_GCM_256;
	e.ulp.tls.txconf = 2;
	e.ulp.tls.rxconf = 4;
	return e;
}

/* md5keys as ss 6.1's line has them (whom each is for, no key), after tcp_info's fields;
 * kTLS's, a subflow's and an unknown ULP's fields as ss writes them, a hostile name escaped;
 * an MPTCP socket's mptcp_info, not a tcp_info. */
static void md5_ulp_mptcp_text(void **state)
{
	struct lsock sk = tcp(LSOCK_ESTABLISHED);
	struct lsock_md5key keys[2];
	struct lsock_ext e = md5_tls(keys);
	struct out_info_opts o = { .info = true };
	char *t;

	(void)state;
	t = text(&sk, &e, o);
	assert_string_equal(t, " md5keys:10.0.0.0/8=,::1/128= tcp-ulp-tls version: 1.2 "
			    "cipher: aes-gcm-256 rxconf: hw-record txconf: sw zc_ro_tx");
	free(t);
	e.has_info = true;
	e.info.snd_cwnd = 10;
	e.info.reordering = 3;
	e.ulp.tls.version = 0x0302;
	e.ulp.tls.cipher = LSOCK_TLS_CHACHA20_POLY1305;
	e.ulp.tls.txconf = 7;
	e.ulp.have &= ~(unsigned)(LSOCK_TLS_RXCONF | LSOCK_TLS_ZC_RO_TX);
	t = text(&sk, &e, o);
	assert_string_equal(t, " cwnd:10 md5keys:10.0.0.0/8=,::1/128= tcp-ulp-tls "
			    "version: unknown(770) txconf: unknown(7)");
	free(t);

	e = (struct lsock_ext){ .has_ulp = true };
	strcpy(e.ulp.name, "mptcp");
	e.ulp.kind = LSOCK_ULP_MPTCP;
	e.ulp.have = LSOCK_SF_FLAGS | LSOCK_SF_TOKEN_REM | LSOCK_SF_TOKEN_LOC | LSOCK_SF_ID_REM |
		     LSOCK_SF_ID_LOC | LSOCK_SF_MAP_SEQ | LSOCK_SF_MAP_SFSEQ |
		     LSOCK_SF_SSN_OFFSET | LSOCK_SF_MAP_DATALEN;
	e.ulp.sf.flags = 0x1c3;
	e.ulp.sf.token_loc = 0x9707d0f3;
	e.ulp.sf.id_rem = 2;
	e.ulp.sf.map_seq = 0x3d55bcd50269c1d9;
	e.ulp.sf.map_sfseq = 1;
	e.ulp.sf.ssn_offset = 0xf3d152a3;
	e.ulp.sf.map_datalen = 1000;
	t = text(&sk, &e, o);
	assert_string_equal(t, " tcp-ulp-mptcp flags:Mmecv token:0000(id:2)/9707d0f3(id:0) "
			    "seq:3d55bcd50269c1d9 sfseq:1 ssnoff:f3d152a3 maplen:3e8");
	free(t);
	/* Without the ids (as the kernel tells an unprivileged caller: no sequence numbers
	 * either), no token; no flags, no flags:. */
	e.ulp.have &= ~(unsigned)(LSOCK_SF_ID_LOC | LSOCK_SF_MAP_SEQ | LSOCK_SF_MAP_SFSEQ |
				  LSOCK_SF_SSN_OFFSET | LSOCK_SF_MAP_DATALEN);
	e.ulp.sf.flags = 0;
	t = text(&sk, &e, o);
	assert_string_equal(t, " tcp-ulp-mptcp");
	free(t);
	e.ulp = (struct lsock_ulp){ .name = "x\x1b]0;\n" };
	t = text(&sk, &e, o);
	assert_string_equal(t, " tcp-ulp-x\\x1b]0;\\n");
	free(t);

	sk.flags |= LSOCK_MPTCP;
	e = (struct lsock_ext){ .has_info = true };
	e.mptcp = (struct lsock_mptcpinfo){
		.len = 96, .subflows = 1, .add_addr_signal = 2, .subflows_max = 8,
		.add_addr_accepted_max = 4, .flags = LSOCK_MPTCPI_FALLBACK |
		LSOCK_MPTCPI_REMOTE_KEY, .token = 0xab22fc6f, .write_seq = 0x3d55bcd50269c5c1,
		.rcv_nxt = 0xa45fc5edbe812945, .bytes_sent = 1000,
	};
	t = text(&sk, &e, o);
	assert_string_equal(t, " subflows:1 add_addr_signal:2 subflows_max:8 "
			    "add_addr_accepted_max:4 fallback remote_key token:ab22fc6f "
			    "write_seq:3d55bcd50269c5c1 rcv_nxt:a45fc5edbe812945");
	free(t);
	/* A listener's: all 0, nothing (ss's line is there, empty). */
	e.mptcp = (struct lsock_mptcpinfo){ .len = 96 };
	t = text(&sk, &e, o);
	assert_string_equal(t, "");
	free(t);
	assert_true(out_info_line(&sk, &o));
}

/* JSON: md5keys without the keys, null when the kernel withheld them ([] for none); ulp's
 * name and the fields of its kind; mptcp_info with null past what the kernel sent; members of
 * other sockets null. */
static void md5_ulp_mptcp_json(void **state)
{
	struct lsock sk = tcp(LSOCK_LISTEN);
	struct lsock_md5key keys[2];
	struct lsock_ext e = md5_tls(keys);
	struct out_info_opts o = { .info = true };
	json_t *j, *m, *u;

	(void)state;
	j = json_of(&sk, &e, o);
	m = json_object_get(j, "md5keys");
	assert_int_equal(json_array_size(m), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(m, 0), "address")),
			    "10.0.0.0");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(m, 0), "prefix_len")),
			 8);
	assert_string_equal(json_string_value(json_object_get(json_array_get(m, 1), "family")),
			    "ipv6");
	assert_int_equal(json_object_size(json_array_get(m, 1)), 3);
	u = json_object_get(j, "ulp");
	assert_string_equal(json_string_value(json_object_get(u, "name")), "tls");
	assert_true(json_is_null(json_object_get(u, "mptcp")));
	u = json_object_get(u, "tls");
	assert_string_equal(json_string_value(json_object_get(u, "version")), "1.2");
	assert_string_equal(json_string_value(json_object_get(u, "cipher")), "aes-gcm-256");
	assert_string_equal(json_string_value(json_object_get(u, "rxconf")), "hw-record");
	assert_true(json_is_true(json_object_get(u, "rx_no_pad")));
	assert_true(json_is_null(json_object_get(j, "tcp_info")));
	assert_true(json_is_null(json_object_get(j, "mptcp_info")));
	json_decref(j);

	o.md5_hidden = true;
	j = json_of(&sk, &e, o);
	assert_true(json_is_null(json_object_get(j, "md5keys")));
	json_decref(j);
	o.md5_hidden = false;
	e.nmd5 = 0;
	e.has_info = true;
	e.has_ulp = false;
	j = json_of(&sk, &e, o);
	assert_true(json_is_array(json_object_get(j, "md5keys")));
	assert_int_equal(json_array_size(json_object_get(j, "md5keys")), 0);
	assert_true(json_is_null(json_object_get(j, "ulp")));
	json_decref(j);

	sk.flags |= LSOCK_MPTCP;
	e = (struct lsock_ext){ .has_info = true };
	e.mptcp = (struct lsock_mptcpinfo){ .len = 48, .subflows_max = 2, .token = 7,
					    .write_seq = 1, .csum_enabled = 1,
					    .flags = LSOCK_MPTCPI_REMOTE_KEY };
	j = json_of(&sk, &e, o);
	m = json_object_get(j, "mptcp_info");
	assert_int_equal(json_integer_value(json_object_get(m, "subflows_max")), 2);
	assert_int_equal(json_integer_value(json_object_get(m, "token")), 7);
	assert_true(json_is_true(json_object_get(m, "csum_enabled")));
	assert_string_equal(json_string_value(json_array_get(json_object_get(m, "flags"), 0)),
			    "remote_key_received");
	assert_true(json_is_null(json_object_get(m, "retransmits")));
	assert_true(json_is_null(json_object_get(m, "bytes_acked")));
	assert_true(json_is_null(json_object_get(m, "subflows_total")));
	assert_true(json_is_null(json_object_get(m, "last_ack_ms")));
	assert_true(json_is_null(json_object_get(j, "tcp_info")));
	assert_true(json_is_null(json_object_get(j, "md5keys")));
	json_decref(j);
	e.mptcp.len = 96;
	e.mptcp.last_ack_recv = 5;
	j = json_of(&sk, &e, o);
	m = json_object_get(j, "mptcp_info");
	assert_int_equal(json_integer_value(json_object_get(m, "last_ack_ms")), 5);
	assert_int_equal(json_integer_value(json_object_get(m, "subflows_total")), 0);
	json_decref(j);
	e.mptcp.len = 10; /* not even the token */
	j = json_of(&sk, &e, o);
	m = json_object_get(j, "mptcp_info");
	assert_true(json_is_null(json_object_get(m, "token")));
	assert_true(json_is_null(json_object_get(m, "flags")));
	assert_int_equal(json_integer_value(json_object_get(m, "subflows_max")), 2);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(info_text),
		cmocka_unit_test(congestion_controls),
		cmocka_unit_test(timer_and_lines),
		cmocka_unit_test(info_json),
		cmocka_unit_test(md5_ulp_mptcp_text),
		cmocka_unit_test(md5_ulp_mptcp_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
