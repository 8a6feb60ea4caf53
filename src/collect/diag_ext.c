/* The attributes of ss -i and -m: tcp_info (mptcp_info for MPTCP), the congestion control,
 * TCP MD5 keys, the upper-layer protocol (kTLS, an MPTCP subflow), socket memory. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/mptcp.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <linux/tls.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "diag_ext.h"
#include "listen/diag.h"
#include "listen/sock.h"

/* The kernel's tcp_info grows at its end; the fields listen knows past the headers' struct
 * (their offsets from its end: tcpi_rcv_wnd, tcpi_rehash). */
#define TCPI_KNOWN (sizeof(struct tcp_info) + 2 * sizeof(uint32_t))

uint8_t diag_ext_request(unsigned ext)
{
	uint8_t bits = 0;

	if (ext & DIAG_EXT_INFO)
		bits |= 1u << (INET_DIAG_INFO - 1) | 1u << (INET_DIAG_VEGASINFO - 1) |
			1u << (INET_DIAG_CONG - 1);
	if (ext & DIAG_EXT_MEMORY)
		bits |= 1u << (INET_DIAG_SKMEMINFO - 1);
	return bits;
}

bool diag_ext_attr(uint16_t type)
{
	switch (type) {
	case INET_DIAG_INFO:
	case INET_DIAG_VEGASINFO:
	case INET_DIAG_CONG:
	case INET_DIAG_SKMEMINFO:
	case INET_DIAG_DCTCPINFO:
	case INET_DIAG_BBRINFO:
	case INET_DIAG_MD5SIG:
	case INET_DIAG_ULP_INFO:
		return true;
	default:
		return false;
	}
}

/* The payload of attr copied into dst (size bytes), zero past what it holds; its length. */
static size_t copy_payload(void *dst, size_t size, const struct nlattr *attr)
{
	size_t len = mnl_attr_get_payload_len(attr);

	memset(dst, 0, size);
	memcpy(dst, mnl_attr_get_payload(attr), len < size ? len : size);
	return len;
}

/* A u32 at off of raw, copied (the struct is packed by the kernel's rules, not ours). */
static uint32_t raw_u32(const unsigned char *raw, size_t off)
{
	uint32_t v;

	memcpy(&v, raw + off, sizeof(v));
	return v;
}

/* Where each step of enum lsock_tcpi_group ends in the kernel's struct. */
#define TCPI_END(f) (offsetof(struct tcp_info, f) + sizeof(((struct tcp_info *)0)->f))
static const size_t tcpi_group_end[LSOCK_TCPI_G_MAX] = {
	TCPI_END(tcpi_total_retrans), TCPI_END(tcpi_max_pacing_rate), TCPI_END(tcpi_segs_in),
	TCPI_END(tcpi_data_segs_out), TCPI_END(tcpi_delivery_rate),
	TCPI_END(tcpi_sndbuf_limited), TCPI_END(tcpi_delivered_ce), TCPI_END(tcpi_reord_seen),
	TCPI_END(tcpi_rcv_ooopack), TCPI_END(tcpi_snd_wnd), TCPI_KNOWN,
};

/* The kernel's tcp_info in attr, of whatever length it has, into o. */
static void fill_info(struct lsock_tcpinfo *o, const struct nlattr *attr)
{
	union {
		struct tcp_info t;
		unsigned char raw[TCPI_KNOWN];
	} u;
	const struct tcp_info *t = &u.t;
	size_t end = offsetof(struct tcp_info, tcpi_snd_wnd) + sizeof(uint32_t);
	size_t len = copy_payload(&u, sizeof(u), attr);

	o->len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
	while (o->groups < LSOCK_TCPI_G_MAX && tcpi_group_end[o->groups] <= len)
		o->groups++;
	o->state = t->tcpi_state;
	o->ca_state = t->tcpi_ca_state;
	o->retransmits = t->tcpi_retransmits;
	o->probes = t->tcpi_probes;
	o->backoff = t->tcpi_backoff;
	o->options = t->tcpi_options;
	o->snd_wscale = t->tcpi_snd_wscale;
	o->rcv_wscale = t->tcpi_rcv_wscale;
	o->delivery_rate_app_limited = t->tcpi_delivery_rate_app_limited;
	o->rto = t->tcpi_rto;
	o->ato = t->tcpi_ato;
	o->snd_mss = t->tcpi_snd_mss;
	o->rcv_mss = t->tcpi_rcv_mss;
	o->unacked = t->tcpi_unacked;
	o->sacked = t->tcpi_sacked;
	o->lost = t->tcpi_lost;
	o->retrans = t->tcpi_retrans;
	o->fackets = t->tcpi_fackets;
	o->last_data_sent = t->tcpi_last_data_sent;
	o->last_data_recv = t->tcpi_last_data_recv;
	o->last_ack_recv = t->tcpi_last_ack_recv;
	o->pmtu = t->tcpi_pmtu;
	o->rcv_ssthresh = t->tcpi_rcv_ssthresh;
	o->rtt = t->tcpi_rtt;
	o->rttvar = t->tcpi_rttvar;
	o->snd_ssthresh = t->tcpi_snd_ssthresh;
	o->snd_cwnd = t->tcpi_snd_cwnd;
	o->advmss = t->tcpi_advmss;
	o->reordering = t->tcpi_reordering;
	o->rcv_rtt = t->tcpi_rcv_rtt;
	o->rcv_space = t->tcpi_rcv_space;
	o->total_retrans = t->tcpi_total_retrans;
	o->pacing_rate = t->tcpi_pacing_rate;
	o->max_pacing_rate = t->tcpi_max_pacing_rate;
	o->bytes_acked = t->tcpi_bytes_acked;
	o->bytes_received = t->tcpi_bytes_received;
	o->segs_out = t->tcpi_segs_out;
	o->segs_in = t->tcpi_segs_in;
	o->notsent_bytes = t->tcpi_notsent_bytes;
	o->min_rtt = t->tcpi_min_rtt;
	o->data_segs_in = t->tcpi_data_segs_in;
	o->data_segs_out = t->tcpi_data_segs_out;
	o->delivery_rate = t->tcpi_delivery_rate;
	o->busy_time = t->tcpi_busy_time;
	o->rwnd_limited = t->tcpi_rwnd_limited;
	o->sndbuf_limited = t->tcpi_sndbuf_limited;
	o->delivered = t->tcpi_delivered;
	o->delivered_ce = t->tcpi_delivered_ce;
	o->bytes_sent = t->tcpi_bytes_sent;
	o->bytes_retrans = t->tcpi_bytes_retrans;
	o->dsack_dups = t->tcpi_dsack_dups;
	o->reord_seen = t->tcpi_reord_seen;
	o->rcv_ooopack = t->tcpi_rcv_ooopack;
	o->snd_wnd = t->tcpi_snd_wnd;
	o->rcv_wnd = raw_u32(u.raw, end);
	o->rehash = raw_u32(u.raw, end + sizeof(uint32_t));
}

/* The congestion control's own info: the last of the three the kernel sent. */
static void fill_cc(struct lsock_ccinfo *cc, const struct nlattr *const *tb)
{
	if (tb[INET_DIAG_VEGASINFO]) {
		struct tcpvegas_info v;

		copy_payload(&v, sizeof(v), tb[INET_DIAG_VEGASINFO]);
		cc->kind = LSOCK_CC_VEGAS;
		cc->vegas.enabled = v.tcpv_enabled;
		cc->vegas.rttcnt = v.tcpv_rttcnt;
		cc->vegas.rtt = v.tcpv_rtt;
		cc->vegas.minrtt = v.tcpv_minrtt;
	}
	if (tb[INET_DIAG_DCTCPINFO]) {
		struct tcp_dctcp_info d;

		copy_payload(&d, sizeof(d), tb[INET_DIAG_DCTCPINFO]);
		cc->kind = LSOCK_CC_DCTCP;
		cc->dctcp.enabled = d.dctcp_enabled;
		cc->dctcp.ce_state = d.dctcp_ce_state;
		cc->dctcp.alpha = d.dctcp_alpha;
		cc->dctcp.ab_ecn = d.dctcp_ab_ecn;
		cc->dctcp.ab_tot = d.dctcp_ab_tot;
	}
	if (tb[INET_DIAG_BBRINFO]) {
		struct tcp_bbr_info b;

		copy_payload(&b, sizeof(b), tb[INET_DIAG_BBRINFO]);
		cc->kind = LSOCK_CC_BBR;
		cc->bbr.bw = (uint64_t)b.bbr_bw_hi << 32 | b.bbr_bw_lo;
		cc->bbr.min_rtt = b.bbr_min_rtt;
		cc->bbr.pacing_gain = b.bbr_pacing_gain;
		cc->bbr.cwnd_gain = b.bbr_cwnd_gain;
	}
}

bool diag_ext_skmem(struct lsock_ext *e, const struct nlattr *attr)
{
	size_t n = copy_payload(e->skmem, sizeof(e->skmem), attr) / sizeof(uint32_t);

	/* Seven fields are the oldest kernel's; fewer is not a skmeminfo. */
	if (n > SK_MEMINFO_OPTMEM) {
		e->nskmem = (uint8_t)(n < LSOCK_SKMEM_MAX ? n : LSOCK_SKMEM_MAX);
		return true;
	}
	memset(e->skmem, 0, sizeof(e->skmem));
	e->nskmem = 0;
	return false;
}

int diag_ext_keep_skmem(struct lsock_vec *out, struct lsock *sk, const struct nlattr *attr)
{
	struct lsock_ext ext = { 0 }, *e;

	/* Copied in only when there is something: the vector's store moves as it grows. */
	if (!diag_ext_skmem(&ext, attr))
		return 0;
	if (!(e = lsock_vec_ext_new(out, sk))) {
		lsock_vec_pop(out);
		return -ENOMEM;
	}
	*e = ext;
	return 0;
}

/* The field of size bytes (1, 4 or 8) at off of raw, which holds len bytes of the kernel's
 * struct: 0 for a field the struct does not reach in whole. */
static uint64_t field(const unsigned char *raw, size_t len, size_t off, size_t size)
{
	uint64_t v8;
	uint32_t v4;

	if (off + size > len)
		return 0;
	if (size == sizeof(v8)) {
		memcpy(&v8, raw + off, sizeof(v8));
		return v8;
	}
	if (size == sizeof(v4)) {
		memcpy(&v4, raw + off, sizeof(v4));
		return v4;
	}
	return raw[off];
}

/* An MPTCP socket's mptcp_info in attr, of whatever length it has, into o (offsets are the
 * kernel's struct mptcp_info; the headers listen builds with may know fewer fields). */
static void fill_mptcp(struct lsock_mptcpinfo *o, const struct nlattr *attr)
{
	unsigned char raw[LSOCK_MPTCPI_END_LAST];
	size_t len = copy_payload(raw, sizeof(raw), attr);

	o->len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
	o->subflows = (uint8_t)field(raw, len, 0, 1);
	o->add_addr_signal = (uint8_t)field(raw, len, 1, 1);
	o->add_addr_accepted = (uint8_t)field(raw, len, 2, 1);
	o->subflows_max = (uint8_t)field(raw, len, 3, 1);
	o->add_addr_signal_max = (uint8_t)field(raw, len, 4, 1);
	o->add_addr_accepted_max = (uint8_t)field(raw, len, 5, 1);
	o->flags = (uint32_t)field(raw, len, 8, 4);
	o->token = (uint32_t)field(raw, len, 12, 4);
	o->write_seq = field(raw, len, 16, 8);
	o->snd_una = field(raw, len, 24, 8);
	o->rcv_nxt = field(raw, len, 32, 8);
	o->local_addr_used = (uint8_t)field(raw, len, 40, 1);
	o->local_addr_max = (uint8_t)field(raw, len, 41, 1);
	o->csum_enabled = (uint8_t)field(raw, len, 42, 1);
	o->retransmits = (uint32_t)field(raw, len, 44, 4);
	o->bytes_retrans = field(raw, len, 48, 8);
	o->bytes_sent = field(raw, len, 56, 8);
	o->bytes_received = field(raw, len, 64, 8);
	o->bytes_acked = field(raw, len, 72, 8);
	o->subflows_total = (uint8_t)field(raw, len, 80, 1);
	o->last_data_sent = (uint32_t)field(raw, len, 84, 4);
	o->last_data_recv = (uint32_t)field(raw, len, 88, 4);
	o->last_ack_recv = (uint32_t)field(raw, len, 92, 4);
}

/* The MD5 keys in attr (an array of struct tcp_diag_md5sig; a piece shorter than one is not
 * a key) into e, their addresses in vec's store; the keys themselves are not copied. */
static int fill_md5(struct lsock_ext *e, const struct nlattr *attr, struct lsock_vec *vec)
{
	size_t len = mnl_attr_get_payload_len(attr), n = len / sizeof(struct tcp_diag_md5sig);
	const unsigned char *p = mnl_attr_get_payload(attr);
	struct lsock_md5key *keys;
	const void *stored;

	if (!n)
		return 0;
	keys = calloc(n, sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct tcp_diag_md5sig sig;

		memcpy(&sig, p + i * sizeof(sig), sizeof(sig));
		keys[i].family = sig.tcpm_family;
		keys[i].prefixlen = sig.tcpm_prefixlen;
		memcpy(keys[i].addr, sig.tcpm_addr, sizeof(keys[i].addr));
		/* The copy held the secret: gone before it is freed. */
		explicit_bzero(&sig, sizeof(sig));
	}
	stored = lsock_vec_store(vec, keys, n * sizeof(*keys));
	free(keys);
	if (!stored)
		return -ENOMEM;
	e->md5 = stored;
	e->nmd5 = (uint32_t)n;
	return 1;
}

/* A u8, u16 or u32 attribute by its length (the kernel sends maplen as u16, ss reads it as u32);
 * false for another length. */
static bool attr_uint(const struct nlattr *a, uint32_t *v)
{
	switch (mnl_attr_get_payload_len(a)) {
	case sizeof(uint8_t):
		*v = mnl_attr_get_u8(a);
		return true;
	case sizeof(uint16_t):
		*v = mnl_attr_get_u16(a);
		return true;
	case sizeof(uint32_t):
		*v = mnl_attr_get_u32(a);
		return true;
	default:
		return false;
	}
}

/* One attribute of kTLS's nested info. */
static int tls_cb(const struct nlattr *a, void *data)
{
	struct lsock_ulp *u = data;
	/* The kernel's are u16: another length is not taken. */
	bool num = mnl_attr_get_payload_len(a) == sizeof(uint16_t);
	uint32_t v = num ? mnl_attr_get_u16(a) : 0;

	switch (mnl_attr_get_type(a)) {
	case TLS_INFO_VERSION:
		if (num) {
			u->tls.version = (uint16_t)v;
			u->have |= LSOCK_TLS_VERSION;
		}
		break;
	case TLS_INFO_CIPHER:
		if (num) {
			u->tls.cipher = (uint16_t)v;
			u->have |= LSOCK_TLS_CIPHER;
		}
		break;
	case TLS_INFO_TXCONF:
		if (num) {
			u->tls.txconf = (uint16_t)v;
			u->have |= LSOCK_TLS_TXCONF;
		}
		break;
	case TLS_INFO_RXCONF:
		if (num) {
			u->tls.rxconf = (uint16_t)v;
			u->have |= LSOCK_TLS_RXCONF;
		}
		break;
	case TLS_INFO_ZC_RO_TX:
		u->have |= LSOCK_TLS_ZC_RO_TX;
		break;
	case TLS_INFO_RX_NO_PAD:
		u->have |= LSOCK_TLS_RX_NO_PAD;
		break;
	}
	return MNL_CB_OK;
}

/* One attribute of an MPTCP subflow's nested info. */
static int subflow_cb(const struct nlattr *a, void *data)
{
	static const uint16_t bits[] = {
		[MPTCP_SUBFLOW_ATTR_TOKEN_REM] = LSOCK_SF_TOKEN_REM,
		[MPTCP_SUBFLOW_ATTR_TOKEN_LOC] = LSOCK_SF_TOKEN_LOC,
		[MPTCP_SUBFLOW_ATTR_RELWRITE_SEQ] = LSOCK_SF_RELWRITE_SEQ,
		[MPTCP_SUBFLOW_ATTR_MAP_SEQ] = LSOCK_SF_MAP_SEQ,
		[MPTCP_SUBFLOW_ATTR_MAP_SFSEQ] = LSOCK_SF_MAP_SFSEQ,
		[MPTCP_SUBFLOW_ATTR_SSN_OFFSET] = LSOCK_SF_SSN_OFFSET,
		[MPTCP_SUBFLOW_ATTR_MAP_DATALEN] = LSOCK_SF_MAP_DATALEN,
		[MPTCP_SUBFLOW_ATTR_FLAGS] = LSOCK_SF_FLAGS,
		[MPTCP_SUBFLOW_ATTR_ID_REM] = LSOCK_SF_ID_REM,
		[MPTCP_SUBFLOW_ATTR_ID_LOC] = LSOCK_SF_ID_LOC,
	};
	struct lsock_ulp *u = data;
	uint16_t type = mnl_attr_get_type(a);
	uint32_t v = 0;

	if (type == MPTCP_SUBFLOW_ATTR_MAP_SEQ) {
		if (mnl_attr_get_payload_len(a) != sizeof(uint64_t))
			return MNL_CB_OK;
		u->sf.map_seq = mnl_attr_get_u64(a);
		u->have |= LSOCK_SF_MAP_SEQ;
		return MNL_CB_OK;
	}
	if (type >= sizeof(bits) / sizeof(bits[0]) || !bits[type] || !attr_uint(a, &v))
		return MNL_CB_OK;
	switch (type) {
	case MPTCP_SUBFLOW_ATTR_TOKEN_REM: u->sf.token_rem = v; break;
	case MPTCP_SUBFLOW_ATTR_TOKEN_LOC: u->sf.token_loc = v; break;
	case MPTCP_SUBFLOW_ATTR_RELWRITE_SEQ: u->sf.relwrite_seq = v; break;
	case MPTCP_SUBFLOW_ATTR_MAP_SFSEQ: u->sf.map_sfseq = v; break;
	case MPTCP_SUBFLOW_ATTR_SSN_OFFSET: u->sf.ssn_offset = v; break;
	case MPTCP_SUBFLOW_ATTR_MAP_DATALEN: u->sf.map_datalen = v; break;
	case MPTCP_SUBFLOW_ATTR_FLAGS: u->sf.flags = v; break;
	case MPTCP_SUBFLOW_ATTR_ID_REM: u->sf.id_rem = (uint8_t)v; break;
	case MPTCP_SUBFLOW_ATTR_ID_LOC: u->sf.id_loc = (uint8_t)v; break;
	}
	u->have |= bits[type];
	return MNL_CB_OK;
}

/* The ULP's nested attributes: its name, and the info of the one it is. A nested attribute
 * that does not parse is taken as far as it does. */
static int ulp_cb(const struct nlattr *a, void *data)
{
	struct lsock_ulp *u = data;

	switch (mnl_attr_get_type(a)) {
	case INET_ULP_INFO_NAME: {
		size_t n = mnl_attr_get_payload_len(a);

		n = strnlen(mnl_attr_get_payload(a), n < sizeof(u->name) ? n : sizeof(u->name) - 1);
		memcpy(u->name, mnl_attr_get_payload(a), n);
		u->name[n] = '\0';
		break;
	}
	case INET_ULP_INFO_TLS:
		if (u->kind == LSOCK_ULP_OTHER) {
			u->kind = LSOCK_ULP_TLS;
			mnl_attr_parse_nested(a, tls_cb, u);
		}
		break;
	case INET_ULP_INFO_MPTCP:
		if (u->kind == LSOCK_ULP_OTHER) {
			u->kind = LSOCK_ULP_MPTCP;
			mnl_attr_parse_nested(a, subflow_cb, u);
		}
		break;
	}
	return MNL_CB_OK;
}

int diag_ext_fill(struct lsock_ext *e, const struct nlattr *const *tb, bool mptcp,
		  struct lsock_vec *vec)
{
	bool any = false;

	if (tb[INET_DIAG_SKMEMINFO])
		any = diag_ext_skmem(e, tb[INET_DIAG_SKMEMINFO]);
	if (tb[INET_DIAG_INFO]) {
		if (mptcp)
			fill_mptcp(&e->mptcp, tb[INET_DIAG_INFO]);
		else
			fill_info(&e->info, tb[INET_DIAG_INFO]);
		e->has_info = true;
		any = true;
	}
	if (tb[INET_DIAG_CONG]) {
		size_t n = mnl_attr_get_payload_len(tb[INET_DIAG_CONG]);
		const char *s = mnl_attr_get_payload(tb[INET_DIAG_CONG]);

		n = strnlen(s, n < sizeof(e->cong) - 1 ? n : sizeof(e->cong) - 1);
		memcpy(e->cong, s, n);
		e->cong[n] = '\0';
		any = any || n > 0;
	}
	if (tb[INET_DIAG_MD5SIG]) {
		int r = fill_md5(e, tb[INET_DIAG_MD5SIG], vec);

		if (r < 0)
			return r;
		any = any || r > 0;
	}
	if (tb[INET_DIAG_ULP_INFO]) {
		mnl_attr_parse_nested(tb[INET_DIAG_ULP_INFO], ulp_cb, &e->ulp);
		e->has_ulp = true;
		any = true;
	}
	fill_cc(&e->cc, tb);
	return any || e->cc.kind != LSOCK_CC_NONE;
}
