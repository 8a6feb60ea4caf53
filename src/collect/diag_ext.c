/* The attributes of ss -i and -m: tcp_info, the congestion control, socket memory. */
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <stddef.h>
#include <string.h>

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

bool diag_ext_fill(struct lsock_ext *e, const struct nlattr *const *tb)
{
	bool any = false;

	if (tb[INET_DIAG_SKMEMINFO])
		any = diag_ext_skmem(e, tb[INET_DIAG_SKMEMINFO]);
	if (tb[INET_DIAG_INFO]) {
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
	fill_cc(&e->cc, tb);
	return any || e->cc.kind != LSOCK_CC_NONE;
}
