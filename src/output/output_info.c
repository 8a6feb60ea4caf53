/*
 * What ss's -o, -m and -i add to a socket: the timer, the socket's memory and TCP's internals,
 * as ss writes them (the table) and as structured fields (JSON). ss's rules are followed field
 * by field: which fields it leaves out when 0, and how it writes times and rates.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/escape.h"
#include "listen/json.h"
#include "listen/output_info.h"
#include "listen/sbuf.h"
#include "listen/sock.h"

/* A timer's time left as ss writes it: "59sec", "119min", "1.500sec", "200ms", "2min3sec";
 * below ten seconds with milliseconds, below ten minutes with seconds, nothing for 0. */
static void ms_text(struct sbuf *b, uint32_t ms)
{
	uint32_t secs = ms / 1000 % 60, minutes = ms / 60000, msecs = ms % 1000;

	if (minutes) {
		msecs = 0;
		sbuf_printf(b, "%" PRIu32 "min", minutes);
		if (minutes > 9)
			secs = 0;
	}
	if (secs) {
		if (secs > 9)
			msecs = 0;
		sbuf_printf(b, "%" PRIu32 "%s", secs, msecs ? "." : "sec");
	}
	if (msecs)
		sbuf_printf(b, "%03" PRIu32 "%s", msecs, secs ? "sec" : "ms");
}

void out_timer_text(struct sbuf *b, const struct lsock *sk)
{
	/* ss names the timers it knows up to persist; a delayed ACK's is "unknown" to it. */
	static const char *const names[] = { "off", "on", "keepalive", "timewait", "persist" };

	sbuf_printf(b, "timer:(%s,", sk->timer < 5 ? names[sk->timer] : "unknown");
	ms_text(b, sk->expires);
	sbuf_printf(b, ",%u)", sk->retrans);
}

void out_skmem_text(struct sbuf *b, const struct lsock_ext *e)
{
	/* Each after its comma: a unix or packet socket's is on every row of a table (written
	 * twice, measured then printed), so without printf. */
	static const char *const keys[LSOCK_SKMEM_MAX] = {
		"r", ",rb", ",t", ",tb", ",f", ",w", ",o", ",bl", ",d",
	};

	sbuf_puts(b, "skmem:(");
	for (unsigned i = 0; i < e->nskmem; i++) {
		sbuf_puts(b, keys[i]);
		sbuf_putu(b, e->skmem[i]);
	}
	sbuf_putc(b, ')');
}

/* A rate in bits per second as ss writes it: whole with -n, else "%.3g" and a prefix. */
static void bw_text(struct sbuf *b, double bps, bool numeric)
{
	static const struct {
		double at;
		const char *unit;
	} units[] = { { 1e12, "T" }, { 1e9, "G" }, { 1e6, "M" }, { 1e3, "k" } };

	if (numeric) {
		sbuf_printf(b, "%.0f", bps);
		return;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (bps >= units[i].at) {
			sbuf_printf(b, "%.3g%s", bps / units[i].at, units[i].unit);
			return;
		}
	}
	sbuf_printf(b, "%g", bps);
}

/* The rtt ss computes the send rate from: vegas's own when it has one. */
static double send_rtt(const struct lsock_ext *e)
{
	const struct lsock_ccinfo *cc = &e->cc;

	if (cc->kind == LSOCK_CC_VEGAS && cc->vegas.enabled && cc->vegas.rtt &&
	    cc->vegas.rtt != 0x7fffffff)
		return cc->vegas.rtt;
	return e->info.rtt;
}

/* cwnd segments of mss bytes each rtt: the rate ss calls "send", in bits per second; 0 when
 * it cannot be told. */
static double send_bps(const struct lsock_ext *e)
{
	const struct lsock_tcpinfo *t = &e->info;
	double rtt = send_rtt(e);

	return rtt > 0 && t->snd_mss && t->snd_cwnd ?
	       (double)t->snd_cwnd * (double)t->snd_mss * 8000000. / rtt : 0;
}

/* The congestion control's own info, as ss: "dctcp:(...)" or "bbr:(bw:...,mrtt:...)". */
static void cc_text(struct sbuf *b, const struct lsock_ccinfo *cc, bool numeric)
{
	if (cc->kind == LSOCK_CC_DCTCP && cc->dctcp.enabled) {
		sbuf_printf(b, " dctcp:(ce_state:%u,alpha:%" PRIu32 ",ab_ecn:%" PRIu32
			    ",ab_tot:%" PRIu32 ")", cc->dctcp.ce_state, cc->dctcp.alpha,
			    cc->dctcp.ab_ecn, cc->dctcp.ab_tot);
	} else if (cc->kind == LSOCK_CC_DCTCP) {
		sbuf_puts(b, " dctcp:fallback_mode");
	} else if (cc->kind == LSOCK_CC_BBR) {
		sbuf_puts(b, " bbr:(bw:");
		bw_text(b, (double)cc->bbr.bw * 8.0, numeric);
		sbuf_printf(b, "bps,mrtt:%g", (double)cc->bbr.min_rtt / 1000.0);
		if (cc->bbr.pacing_gain)
			sbuf_printf(b, ",pacing_gain:%g", (double)cc->bbr.pacing_gain / 256.0);
		if (cc->bbr.cwnd_gain)
			sbuf_printf(b, ",cwnd_gain:%g", (double)cc->bbr.cwnd_gain / 256.0);
		sbuf_putc(b, ')');
	}
}

/* " name:value" when value is not 0, as ss leaves out what is 0. */
static void u64_field(struct sbuf *b, const char *name, uint64_t v)
{
	if (v)
		sbuf_printf(b, " %s:%" PRIu64, name, v);
}

/* ss -i's fields up to the congestion window (the TCP options only with -o). */
static void info_head(struct sbuf *b, const struct lsock_ext *e, bool options)
{
	const struct lsock_tcpinfo *t = &e->info;
	static const struct {
		uint8_t bit;
		const char *name;
	} opts[] = {
		{ LSOCK_TCPI_TIMESTAMPS, "ts" }, { LSOCK_TCPI_SACK, "sack" },
		{ LSOCK_TCPI_ECN, "ecn" }, { LSOCK_TCPI_ECN_SEEN, "ecnseen" },
		{ LSOCK_TCPI_SYN_DATA, "fastopen" },
	};

	for (size_t i = 0; options && i < sizeof(opts) / sizeof(opts[0]); i++)
		if (t->options & opts[i].bit)
			sbuf_printf(b, " %s", opts[i].name);
	if (e->cong[0])
		sbuf_printf(b, " %s", e->cong);
	if (t->options & LSOCK_TCPI_WSCALE)
		sbuf_printf(b, " wscale:%u,%u", t->snd_wscale, t->rcv_wscale);
	if (t->rto && t->rto != 3000000)
		sbuf_printf(b, " rto:%g", (double)t->rto / 1000);
	u64_field(b, "backoff", t->backoff);
	if (t->rtt)
		sbuf_printf(b, " rtt:%g/%g", (double)t->rtt / 1000, (double)t->rttvar / 1000);
	if (t->ato)
		sbuf_printf(b, " ato:%g", (double)t->ato / 1000);
	u64_field(b, "mss", t->snd_mss);
	u64_field(b, "pmtu", t->pmtu);
	u64_field(b, "rcvmss", t->rcv_mss);
	u64_field(b, "advmss", t->advmss);
	u64_field(b, "cwnd", t->snd_cwnd);
	if (t->snd_ssthresh < 0xFFFF)
		u64_field(b, "ssthresh", t->snd_ssthresh);
	u64_field(b, "bytes_sent", t->bytes_sent);
	u64_field(b, "bytes_retrans", t->bytes_retrans);
	u64_field(b, "bytes_acked", t->bytes_acked);
	u64_field(b, "bytes_received", t->bytes_received);
	u64_field(b, "segs_out", t->segs_out);
	u64_field(b, "segs_in", t->segs_in);
	u64_field(b, "data_segs_out", t->data_segs_out);
	u64_field(b, "data_segs_in", t->data_segs_in);
}

/* A rate ss prints as " name rate" (a space, not a colon), when not 0. */
static void rate_field(struct sbuf *b, const char *name, double bps, bool numeric)
{
	if (bps) {
		sbuf_printf(b, " %s ", name);
		bw_text(b, bps, numeric);
		sbuf_puts(b, "bps");
	}
}

/* A time limited by something, with its share of the time busy. */
static void limited_field(struct sbuf *b, const char *name, uint64_t us, uint64_t busy)
{
	if (us)
		sbuf_printf(b, " %s:%" PRIu64 "ms(%.1f%%)", name, us / 1000,
			    100.0 * (double)us / (double)busy);
}

/* The rest of ss -i's fields: rates, ages, losses, the receiver's side. */
static void info_tail(struct sbuf *b, const struct lsock *sk, const struct lsock_ext *e,
		      bool numeric)
{
	const struct lsock_tcpinfo *t = &e->info;

	rate_field(b, "send", send_bps(e), numeric);
	u64_field(b, "lastsnd", t->last_data_sent);
	u64_field(b, "lastrcv", t->last_data_recv);
	u64_field(b, "lastack", t->last_ack_recv);
	if (t->pacing_rate && t->pacing_rate != UINT64_MAX) {
		rate_field(b, "pacing_rate", (double)t->pacing_rate * 8., numeric);
		if (t->max_pacing_rate && t->max_pacing_rate != UINT64_MAX) {
			sbuf_putc(b, '/');
			bw_text(b, (double)t->max_pacing_rate * 8., numeric);
			sbuf_puts(b, "bps");
		}
	}
	rate_field(b, "delivery_rate", (double)t->delivery_rate * 8., numeric);
	u64_field(b, "delivered", t->delivered);
	u64_field(b, "delivered_ce", t->delivered_ce);
	if (t->delivery_rate_app_limited)
		sbuf_puts(b, " app_limited");
	if (t->busy_time) {
		sbuf_printf(b, " busy:%" PRIu64 "ms", t->busy_time / 1000);
		limited_field(b, "rwnd_limited", t->rwnd_limited, t->busy_time);
		limited_field(b, "sndbuf_limited", t->sndbuf_limited, t->busy_time);
	}
	u64_field(b, "unacked", t->unacked);
	if (t->retrans || t->total_retrans)
		sbuf_printf(b, " retrans:%" PRIu32 "/%" PRIu32, t->retrans, t->total_retrans);
	u64_field(b, "lost", t->lost);
	if (sk->state != LSOCK_LISTEN)
		u64_field(b, "sacked", t->sacked);
	u64_field(b, "dsack_dups", t->dsack_dups);
	u64_field(b, "fackets", t->fackets);
	if (t->reordering != 3)
		sbuf_printf(b, " reordering:%" PRIu32, t->reordering);
	u64_field(b, "reord_seen", t->reord_seen);
	if (t->rcv_rtt)
		sbuf_printf(b, " rcv_rtt:%g", (double)t->rcv_rtt / 1000);
	u64_field(b, "rcv_space", t->rcv_space);
	u64_field(b, "rcv_ssthresh", t->rcv_ssthresh);
	u64_field(b, "notsent", t->notsent_bytes);
	if (t->min_rtt && t->min_rtt != UINT32_MAX)
		sbuf_printf(b, " minrtt:%g", (double)t->min_rtt / 1000);
	u64_field(b, "rcv_ooopack", t->rcv_ooopack);
	u64_field(b, "snd_wnd", t->snd_wnd);
}

/* An MD5 key's address as ss writes it: inet_ntop's text, IPv6 without brackets. */
static void md5_addr(struct sbuf *b, const struct lsock_md5key *k)
{
	char text[INET6_ADDRSTRLEN];
	int family = k->family == AF_INET ? AF_INET : AF_INET6;

	sbuf_puts(b, inet_ntop(family, k->addr, text, sizeof(text)) ? text : "?");
}

/* " md5keys:10.0.0.0/8=,127.0.0.1/32=": whom each key is for, as ss 6.1 writes its line; the
 * keys themselves are never printed (listen does not keep them). */
static void md5_text(struct sbuf *b, const struct lsock_ext *e)
{
	for (uint32_t i = 0; i < e->nmd5; i++) {
		sbuf_puts(b, i ? "," : " md5keys:");
		md5_addr(b, &e->md5[i]);
		sbuf_printf(b, "/%u=", e->md5[i].prefixlen);
	}
}

/* A kTLS setting as ss names it (TLS_CONF_*), NULL for a number it does not know. */
static const char *tls_conf_name(uint16_t conf)
{
	static const char *const names[] = { NULL, "none", "sw", "hw", "hw-record" };

	return conf < sizeof(names) / sizeof(names[0]) ? names[conf] : NULL;
}

/* kTLS's fields, as ss 6.1: " version: 1.3 cipher: aes-gcm-256 rxconf: sw txconf: sw". */
static void tls_text(struct sbuf *b, const struct lsock_ulp *u)
{
	if (u->have & LSOCK_TLS_VERSION) {
		if (u->tls.version == LSOCK_TLS_1_2)
			sbuf_puts(b, " version: 1.2");
		else if (u->tls.version == LSOCK_TLS_1_3)
			sbuf_puts(b, " version: 1.3");
		else
			sbuf_printf(b, " version: unknown(%u)", u->tls.version);
	}
	/* ss 6.1 names these two ciphers and prints nothing for the others. */
	if ((u->have & LSOCK_TLS_CIPHER) && u->tls.cipher == LSOCK_TLS_AES_GCM_128)
		sbuf_puts(b, " cipher: aes-gcm-128");
	else if ((u->have & LSOCK_TLS_CIPHER) && u->tls.cipher == LSOCK_TLS_AES_GCM_256)
		sbuf_puts(b, " cipher: aes-gcm-256");
	for (int i = 0; i < 2; i++) {
		uint16_t bit = i ? LSOCK_TLS_TXCONF : LSOCK_TLS_RXCONF;
		uint16_t conf = i ? u->tls.txconf : u->tls.rxconf;
		const char *name = tls_conf_name(conf);

		if (!(u->have & bit))
			continue;
		if (name)
			sbuf_printf(b, " %s: %s", i ? "txconf" : "rxconf", name);
		else
			sbuf_printf(b, " %s: unknown(%u)", i ? "txconf" : "rxconf", conf);
	}
	if (u->have & LSOCK_TLS_ZC_RO_TX)
		sbuf_puts(b, " zc_ro_tx");
}

/* An MPTCP subflow's flags as ss's letters, in its order. */
static const struct {
	uint32_t bit;
	char letter;
	const char *name;
} sf_flags[] = {
	{ 1u << 0, 'M', "mp_capable_remote" }, { 1u << 1, 'm', "mp_capable_local" },
	{ 1u << 2, 'J', "join_remote" }, { 1u << 3, 'j', "join_local" },
	{ 1u << 4, 'B', "backup_remote" }, { 1u << 5, 'b', "backup_local" },
	{ 1u << 6, 'e', "fully_established" }, { 1u << 7, 'c', "connected" },
	{ 1u << 8, 'v', "map_valid" },
};

/* An MPTCP subflow's fields, as ss 6.1: " flags:Mec token:0000(id:0)/9707d0f3(id:0) seq:..."
 * (the sequence numbers in hex, as it writes them). */
static void subflow_text(struct sbuf *b, const struct lsock_ulp *u)
{
	const uint16_t token = LSOCK_SF_TOKEN_REM | LSOCK_SF_TOKEN_LOC | LSOCK_SF_ID_REM |
			       LSOCK_SF_ID_LOC;

	if ((u->have & LSOCK_SF_FLAGS) && u->sf.flags) {
		sbuf_puts(b, " flags:");
		for (size_t i = 0; i < sizeof(sf_flags) / sizeof(sf_flags[0]); i++)
			if (u->sf.flags & sf_flags[i].bit)
				sbuf_putc(b, sf_flags[i].letter);
	}
	if ((u->have & token) == token)
		sbuf_printf(b, " token:%04" PRIx32 "(id:%u)/%04" PRIx32 "(id:%u)", u->sf.token_rem,
			    u->sf.id_rem, u->sf.token_loc, u->sf.id_loc);
	if (u->have & LSOCK_SF_MAP_SEQ)
		sbuf_printf(b, " seq:%" PRIx64, u->sf.map_seq);
	if (u->have & LSOCK_SF_MAP_SFSEQ)
		sbuf_printf(b, " sfseq:%" PRIx32, u->sf.map_sfseq);
	if (u->have & LSOCK_SF_SSN_OFFSET)
		sbuf_printf(b, " ssnoff:%" PRIx32, u->sf.ssn_offset);
	if (u->have & LSOCK_SF_MAP_DATALEN)
		sbuf_printf(b, " maplen:%" PRIx32, u->sf.map_datalen);
}

/* " tcp-ulp-NAME" and the fields of the ULP listen knows; a name the kernel sends escaped
 * (ss prints it raw; the kernel's are plain). */
static void ulp_text(struct sbuf *b, const struct lsock_ulp *u)
{
	if (u->name[0]) {
		sbuf_puts(b, " tcp-ulp-");
		esc_term(b, u->name, strlen(u->name));
	}
	if (u->kind == LSOCK_ULP_TLS)
		tls_text(b, u);
	else if (u->kind == LSOCK_ULP_MPTCP)
		subflow_text(b, u);
}

/* An MPTCP socket's mptcp_info, as ss 6.1 writes it: counts that are not 0, two flags, the
 * token and the connection-level sequence numbers in hex. */
static void mptcp_text(struct sbuf *b, const struct lsock_mptcpinfo *m)
{
	u64_field(b, "subflows", m->subflows);
	u64_field(b, "add_addr_signal", m->add_addr_signal);
	u64_field(b, "add_addr_accepted", m->add_addr_accepted);
	u64_field(b, "subflows_max", m->subflows_max);
	u64_field(b, "add_addr_signal_max", m->add_addr_signal_max);
	u64_field(b, "add_addr_accepted_max", m->add_addr_accepted_max);
	if (m->flags & LSOCK_MPTCPI_FALLBACK)
		sbuf_puts(b, " fallback");
	if (m->flags & LSOCK_MPTCPI_REMOTE_KEY)
		sbuf_puts(b, " remote_key");
	if (m->token)
		sbuf_printf(b, " token:%" PRIx32, m->token);
	if (m->write_seq)
		sbuf_printf(b, " write_seq:%" PRIx64, m->write_seq);
	if (m->snd_una)
		sbuf_printf(b, " snd_una:%" PRIx64, m->snd_una);
	if (m->rcv_nxt)
		sbuf_printf(b, " rcv_nxt:%" PRIx64, m->rcv_nxt);
}

bool out_info_line(const struct lsock *sk, const struct out_info_opts *o)
{
	/* ss reading /proc/net prints no such line either; the fallback's notice says why. A
	 * unix or packet socket's skmem is on its row (out_skmem_text, called by the table). */
	if ((sk->family != AF_INET && sk->family != AF_INET6) || (sk->flags & LSOCK_PROCNET))
		return false;
	return o->memory || (o->info && sk->protocol == IPPROTO_TCP);
}

void out_info_text(struct sbuf *b, const struct lsock *sk, const struct lsock_ext *e,
		   const struct out_info_opts *o)
{
	if (!e)
		return;
	if (o->memory && e->nskmem) {
		sbuf_putc(b, ' ');
		out_skmem_text(b, e);
	}
	if (!o->info)
		return;
	if (sk->flags & LSOCK_MPTCP) {
		if (e->has_info)
			mptcp_text(b, &e->mptcp);
		return;
	}
	if (e->has_info) {
		info_head(b, e, o->timers);
		cc_text(b, &e->cc, o->numeric);
		info_tail(b, sk, e, o->numeric);
	}
	md5_text(b, e);
	if (e->has_ulp)
		ulp_text(b, &e->ulp);
}

/* ,"name":v, or null when the kernel's tcp_info did not reach the field's group. */
static void json_u64(struct sbuf *b, const char *name, uint64_t v, const struct lsock_tcpinfo *t,
		     enum lsock_tcpi_group g)
{
	if (t->groups > g)
		sbuf_printf(b, ",\"%s\":%" PRIu64, name, v);
	else
		sbuf_printf(b, ",\"%s\":null", name);
}

/* ,"name":us as milliseconds (ss's "rtt:0.018"), or null when not known (the kernel's "not
 * measured", a field not sent). */
static void json_ms(struct sbuf *b, const char *name, uint64_t us, bool known)
{
	if (known)
		sbuf_printf(b, ",\"%s\":%g", name, (double)us / 1000);
	else
		sbuf_printf(b, ",\"%s\":null", name);
}

/* ,"name":rate in bits per second, or null. */
static void json_bps(struct sbuf *b, const char *name, double bps, bool known)
{
	if (known)
		sbuf_printf(b, ",\"%s\":%.0f", name, bps);
	else
		sbuf_printf(b, ",\"%s\":null", name);
}

static void cc_json(struct sbuf *b, const struct lsock_ccinfo *cc)
{
	sbuf_puts(b, ",\"cc_info\":");
	switch (cc->kind) {
	case LSOCK_CC_VEGAS:
		sbuf_printf(b, "{\"algorithm\":\"vegas\",\"enabled\":%s,\"rtt_count\":%" PRIu32,
			    cc->vegas.enabled ? "true" : "false", cc->vegas.rttcnt);
		json_ms(b, "rtt_ms", cc->vegas.rtt, cc->vegas.rtt != 0x7fffffff);
		json_ms(b, "min_rtt_ms", cc->vegas.minrtt, cc->vegas.minrtt != 0x7fffffff);
		sbuf_putc(b, '}');
		break;
	case LSOCK_CC_DCTCP:
		sbuf_printf(b, "{\"algorithm\":\"dctcp\",\"enabled\":%s,\"ce_state\":%u,"
			    "\"alpha\":%" PRIu32 ",\"ab_ecn\":%" PRIu32 ",\"ab_tot\":%" PRIu32 "}",
			    cc->dctcp.enabled ? "true" : "false", cc->dctcp.ce_state,
			    cc->dctcp.alpha, cc->dctcp.ab_ecn, cc->dctcp.ab_tot);
		break;
	case LSOCK_CC_BBR:
		sbuf_printf(b, "{\"algorithm\":\"bbr\",\"bw_bps\":%.0f", (double)cc->bbr.bw * 8.0);
		json_ms(b, "min_rtt_ms", cc->bbr.min_rtt, true);
		sbuf_printf(b, ",\"pacing_gain\":%g,\"cwnd_gain\":%g}",
			    (double)cc->bbr.pacing_gain / 256.0, (double)cc->bbr.cwnd_gain / 256.0);
		break;
	default:
		sbuf_puts(b, "null");
	}
}

/* "tcp_info": every field, in the kernel's units made plain (times in ms, rates in bit/s). */
static void tcpinfo_json(struct sbuf *b, const struct lsock_ext *e)
{
	static const struct {
		uint8_t bit;
		const char *name;
	} opts[] = {
		{ LSOCK_TCPI_TIMESTAMPS, "timestamps" }, { LSOCK_TCPI_SACK, "sack" },
		{ LSOCK_TCPI_WSCALE, "wscale" }, { LSOCK_TCPI_ECN, "ecn" },
		{ LSOCK_TCPI_ECN_SEEN, "ecn_seen" }, { LSOCK_TCPI_SYN_DATA, "syn_data" },
	};
	const struct lsock_tcpinfo *t = &e->info;
	bool first = true, wscale = t->options & LSOCK_TCPI_WSCALE;
	double send = send_bps(e);

	sbuf_puts(b, ",\"tcp_info\":{\"options\":[");
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		if (t->options & opts[i].bit) {
			sbuf_printf(b, "%s\"%s\"", first ? "" : ",", opts[i].name);
			first = false;
		}
	}
	sbuf_puts(b, "],\"congestion_control\":");
	if (e->cong[0]) {
		/* The kernel's module names are [a-z0-9_]; anything else is not printed raw. */
		bool plain = true;

		for (const char *c = e->cong; *c; c++)
			plain = plain && ((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
					  *c == '_' || *c == '-');
		sbuf_printf(b, plain ? "\"%s\"" : "null", e->cong);
	} else {
		sbuf_puts(b, "null");
	}
	if (wscale)
		sbuf_printf(b, ",\"snd_wscale\":%u,\"rcv_wscale\":%u", t->snd_wscale,
			    t->rcv_wscale);
	else
		sbuf_puts(b, ",\"snd_wscale\":null,\"rcv_wscale\":null");
	json_ms(b, "rto_ms", t->rto, true);
	sbuf_printf(b, ",\"backoff\":%u,\"retransmits\":%u,\"probes\":%u", t->backoff,
		    t->retransmits, t->probes);
	json_ms(b, "rtt_ms", t->rtt, true);
	sbuf_printf(b, ",\"rttvar_ms\":%g", (double)t->rttvar / 1000);
	json_ms(b, "ato_ms", t->ato, true);
	sbuf_printf(b, ",\"snd_mss\":%" PRIu32 ",\"rcv_mss\":%" PRIu32 ",\"advmss\":%" PRIu32
		    ",\"pmtu\":%" PRIu32 ",\"snd_cwnd\":%" PRIu32, t->snd_mss, t->rcv_mss,
		    t->advmss, t->pmtu, t->snd_cwnd);
	if (t->snd_ssthresh < 0xFFFF)
		sbuf_printf(b, ",\"snd_ssthresh\":%" PRIu32, t->snd_ssthresh);
	else
		sbuf_puts(b, ",\"snd_ssthresh\":null");
	json_u64(b, "bytes_sent", t->bytes_sent, t, LSOCK_TCPI_G_SENT);
	json_u64(b, "bytes_retrans", t->bytes_retrans, t, LSOCK_TCPI_G_SENT);
	json_u64(b, "bytes_acked", t->bytes_acked, t, LSOCK_TCPI_G_BYTES);
	json_u64(b, "bytes_received", t->bytes_received, t, LSOCK_TCPI_G_BYTES);
	json_u64(b, "segs_out", t->segs_out, t, LSOCK_TCPI_G_BYTES);
	json_u64(b, "segs_in", t->segs_in, t, LSOCK_TCPI_G_BYTES);
	json_u64(b, "data_segs_out", t->data_segs_out, t, LSOCK_TCPI_G_SEGS);
	json_u64(b, "data_segs_in", t->data_segs_in, t, LSOCK_TCPI_G_SEGS);
	json_bps(b, "send_bps", send, send > 0);
	sbuf_printf(b, ",\"last_send_ms\":%" PRIu32 ",\"last_receive_ms\":%" PRIu32
		    ",\"last_ack_ms\":%" PRIu32, t->last_data_sent, t->last_data_recv,
		    t->last_ack_recv);
	json_bps(b, "pacing_rate_bps", (double)t->pacing_rate * 8.,
		 t->groups > LSOCK_TCPI_G_PACING && t->pacing_rate != UINT64_MAX);
	json_bps(b, "max_pacing_rate_bps", (double)t->max_pacing_rate * 8.,
		 t->groups > LSOCK_TCPI_G_PACING && t->max_pacing_rate != UINT64_MAX);
	json_bps(b, "delivery_rate_bps", (double)t->delivery_rate * 8.,
		 t->groups > LSOCK_TCPI_G_DELIVERY);
	sbuf_printf(b, ",\"app_limited\":%s", t->delivery_rate_app_limited ? "true" : "false");
	json_u64(b, "delivered", t->delivered, t, LSOCK_TCPI_G_DELIVERED);
	json_u64(b, "delivered_ce", t->delivered_ce, t, LSOCK_TCPI_G_DELIVERED);
	json_u64(b, "busy_ms", t->busy_time / 1000, t, LSOCK_TCPI_G_BUSY);
	json_u64(b, "rwnd_limited_ms", t->rwnd_limited / 1000, t, LSOCK_TCPI_G_BUSY);
	json_u64(b, "sndbuf_limited_ms", t->sndbuf_limited / 1000, t, LSOCK_TCPI_G_BUSY);
	sbuf_printf(b, ",\"unacked\":%" PRIu32 ",\"retrans\":%" PRIu32 ",\"total_retrans\":%"
		    PRIu32 ",\"lost\":%" PRIu32 ",\"sacked\":%" PRIu32 ",\"fackets\":%" PRIu32
		    ",\"reordering\":%" PRIu32, t->unacked, t->retrans, t->total_retrans, t->lost,
		    t->sacked, t->fackets, t->reordering);
	json_u64(b, "dsack_dups", t->dsack_dups, t, LSOCK_TCPI_G_SENT);
	json_u64(b, "reord_seen", t->reord_seen, t, LSOCK_TCPI_G_SENT);
	json_ms(b, "rcv_rtt_ms", t->rcv_rtt, true);
	sbuf_printf(b, ",\"rcv_space\":%" PRIu32 ",\"rcv_ssthresh\":%" PRIu32, t->rcv_space,
		    t->rcv_ssthresh);
	json_u64(b, "notsent_bytes", t->notsent_bytes, t, LSOCK_TCPI_G_SEGS);
	json_ms(b, "min_rtt_ms", t->min_rtt, t->groups > LSOCK_TCPI_G_SEGS &&
		t->min_rtt != UINT32_MAX);
	json_u64(b, "rcv_ooopack", t->rcv_ooopack, t, LSOCK_TCPI_G_OOO);
	json_u64(b, "snd_wnd", t->snd_wnd, t, LSOCK_TCPI_G_SND_WND);
	json_u64(b, "rcv_wnd", t->rcv_wnd, t, LSOCK_TCPI_G_RCV_WND);
	json_u64(b, "rehash", t->rehash, t, LSOCK_TCPI_G_RCV_WND);
	cc_json(b, &e->cc);
	sbuf_putc(b, '}');
}

/* "md5keys": whom each key is for; never the key. */
static void md5_json(struct sbuf *b, const struct lsock_ext *e)
{
	sbuf_putc(b, '[');
	for (uint32_t i = 0; i < e->nmd5; i++) {
		const struct lsock_md5key *k = &e->md5[i];

		sbuf_printf(b, "%s{\"family\":\"%s\",\"address\":", i ? "," : "",
			    k->family == AF_INET ? "ipv4" : "ipv6");
		json_addr(b, k->family == AF_INET ? AF_INET : AF_INET6, k->addr);
		sbuf_printf(b, ",\"prefix_len\":%u}", k->prefixlen);
	}
	sbuf_putc(b, ']');
}

/* ,"name":v when the attribute came (bit in have), else null. */
static void json_have(struct sbuf *b, const char *name, uint64_t v, unsigned have, unsigned bit)
{
	if (have & bit)
		sbuf_printf(b, ",\"%s\":%" PRIu64, name, v);
	else
		sbuf_printf(b, ",\"%s\":null", name);
}

/* kTLS's cipher by the kernel's number, NULL for one listen does not know. */
static const char *tls_cipher_name(uint16_t cipher)
{
	static const char *const names[] = {
		"aes-gcm-128", "aes-gcm-256", "aes-ccm-128", "chacha20-poly1305", "sm4-gcm",
		"sm4-ccm", "aria-gcm-128", "aria-gcm-256",
	};

	return cipher >= LSOCK_TLS_AES_GCM_128 && cipher <= LSOCK_TLS_ARIA_GCM_256
		       ? names[cipher - LSOCK_TLS_AES_GCM_128] : NULL;
}

static void tls_json(struct sbuf *b, const struct lsock_ulp *u)
{
	const char *version = !(u->have & LSOCK_TLS_VERSION) ? NULL :
			      u->tls.version == LSOCK_TLS_1_2 ? "1.2" :
			      u->tls.version == LSOCK_TLS_1_3 ? "1.3" : NULL;

	sbuf_puts(b, "{\"version\":");
	json_str(b, version);
	json_have(b, "version_code", u->tls.version, u->have, LSOCK_TLS_VERSION);
	sbuf_puts(b, ",\"cipher\":");
	json_str(b, u->have & LSOCK_TLS_CIPHER ? tls_cipher_name(u->tls.cipher) : NULL);
	json_have(b, "cipher_code", u->tls.cipher, u->have, LSOCK_TLS_CIPHER);
	for (int i = 0; i < 2; i++) {
		uint16_t bit = i ? LSOCK_TLS_RXCONF : LSOCK_TLS_TXCONF;
		const char *name = tls_conf_name(i ? u->tls.rxconf : u->tls.txconf);

		sbuf_printf(b, ",\"%s\":", i ? "rxconf" : "txconf");
		json_str(b, !(u->have & bit) ? NULL : name ? name : "unknown");
	}
	sbuf_printf(b, ",\"zc_ro_tx\":%s,\"rx_no_pad\":%s}",
		    u->have & LSOCK_TLS_ZC_RO_TX ? "true" : "false",
		    u->have & LSOCK_TLS_RX_NO_PAD ? "true" : "false");
}

static void subflow_json(struct sbuf *b, const struct lsock_ulp *u)
{
	bool first = true;

	sbuf_puts(b, "{\"flags\":");
	if (u->have & LSOCK_SF_FLAGS) {
		sbuf_putc(b, '[');
		for (size_t i = 0; i < sizeof(sf_flags) / sizeof(sf_flags[0]); i++) {
			if (u->sf.flags & sf_flags[i].bit) {
				sbuf_printf(b, "%s\"%s\"", first ? "" : ",", sf_flags[i].name);
				first = false;
			}
		}
		sbuf_putc(b, ']');
	} else {
		sbuf_puts(b, "null");
	}
	json_have(b, "token_remote", u->sf.token_rem, u->have, LSOCK_SF_TOKEN_REM);
	json_have(b, "id_remote", u->sf.id_rem, u->have, LSOCK_SF_ID_REM);
	json_have(b, "token_local", u->sf.token_loc, u->have, LSOCK_SF_TOKEN_LOC);
	json_have(b, "id_local", u->sf.id_loc, u->have, LSOCK_SF_ID_LOC);
	json_have(b, "map_seq", u->sf.map_seq, u->have, LSOCK_SF_MAP_SEQ);
	json_have(b, "map_subflow_seq", u->sf.map_sfseq, u->have, LSOCK_SF_MAP_SFSEQ);
	json_have(b, "ssn_offset", u->sf.ssn_offset, u->have, LSOCK_SF_SSN_OFFSET);
	json_have(b, "map_data_len", u->sf.map_datalen, u->have, LSOCK_SF_MAP_DATALEN);
	json_have(b, "relwrite_seq", u->sf.relwrite_seq, u->have, LSOCK_SF_RELWRITE_SEQ);
	sbuf_putc(b, '}');
}

/* "ulp": the name, and the fields of kTLS or of an MPTCP subflow. */
static void ulp_json(struct sbuf *b, const struct lsock_ulp *u)
{
	sbuf_puts(b, "{\"name\":");
	json_str(b, u->name[0] ? u->name : NULL);
	sbuf_puts(b, ",\"tls\":");
	if (u->kind == LSOCK_ULP_TLS)
		tls_json(b, u);
	else
		sbuf_puts(b, "null");
	sbuf_puts(b, ",\"mptcp\":");
	if (u->kind == LSOCK_ULP_MPTCP)
		subflow_json(b, u);
	else
		sbuf_puts(b, "null");
	sbuf_putc(b, '}');
}

/* ,"name":v, or null when the kernel's mptcp_info ended before end: where the step of the
 * struct's growth that brought the field ends (a shorter struct's padding is not a field). */
static void json_mptcpi(struct sbuf *b, const char *name, uint64_t v, uint32_t end,
			const struct lsock_mptcpinfo *m)
{
	if (m->len >= end)
		sbuf_printf(b, ",\"%s\":%" PRIu64, name, v);
	else
		sbuf_printf(b, ",\"%s\":null", name);
}

/* "mptcp_info": an MPTCP socket's, every field this kernel sent. */
static void mptcpinfo_json(struct sbuf *b, const struct lsock_mptcpinfo *m)
{
	sbuf_puts(b, "{\"flags\":");
	if (m->len >= 12)
		sbuf_printf(b, "[%s%s%s]", m->flags & LSOCK_MPTCPI_FALLBACK ? "\"fallback\"" : "",
			    (m->flags & LSOCK_MPTCPI_FALLBACK) &&
					    (m->flags & LSOCK_MPTCPI_REMOTE_KEY) ? "," : "",
			    m->flags & LSOCK_MPTCPI_REMOTE_KEY ? "\"remote_key_received\"" : "");
	else
		sbuf_puts(b, "null");
	json_mptcpi(b, "subflows", m->subflows, 1, m);
	json_mptcpi(b, "add_addr_signal", m->add_addr_signal, 2, m);
	json_mptcpi(b, "add_addr_accepted", m->add_addr_accepted, 3, m);
	json_mptcpi(b, "subflows_max", m->subflows_max, 4, m);
	json_mptcpi(b, "add_addr_signal_max", m->add_addr_signal_max, 5, m);
	json_mptcpi(b, "add_addr_accepted_max", m->add_addr_accepted_max, 6, m);
	json_mptcpi(b, "token", m->token, 16, m);
	json_mptcpi(b, "write_seq", m->write_seq, 24, m);
	json_mptcpi(b, "snd_una", m->snd_una, 32, m);
	json_mptcpi(b, "rcv_nxt", m->rcv_nxt, 40, m);
	json_mptcpi(b, "local_addr_used", m->local_addr_used, 41, m);
	json_mptcpi(b, "local_addr_max", m->local_addr_max, 42, m);
	if (m->len >= LSOCK_MPTCPI_END_BASE)
		sbuf_printf(b, ",\"csum_enabled\":%s", m->csum_enabled ? "true" : "false");
	else
		sbuf_puts(b, ",\"csum_enabled\":null");
	json_mptcpi(b, "retransmits", m->retransmits, LSOCK_MPTCPI_END_BYTES, m);
	json_mptcpi(b, "bytes_retrans", m->bytes_retrans, LSOCK_MPTCPI_END_BYTES, m);
	json_mptcpi(b, "bytes_sent", m->bytes_sent, LSOCK_MPTCPI_END_BYTES, m);
	json_mptcpi(b, "bytes_received", m->bytes_received, LSOCK_MPTCPI_END_BYTES, m);
	json_mptcpi(b, "bytes_acked", m->bytes_acked, LSOCK_MPTCPI_END_BYTES, m);
	json_mptcpi(b, "subflows_total", m->subflows_total, LSOCK_MPTCPI_END_TOTAL, m);
	json_mptcpi(b, "last_send_ms", m->last_data_sent, LSOCK_MPTCPI_END_LAST, m);
	json_mptcpi(b, "last_receive_ms", m->last_data_recv, LSOCK_MPTCPI_END_LAST, m);
	json_mptcpi(b, "last_ack_ms", m->last_ack_recv, LSOCK_MPTCPI_END_LAST, m);
	sbuf_putc(b, '}');
}

void out_info_json(struct sbuf *b, const struct lsock *sk, const struct lsock_ext *e,
		   const struct out_info_opts *o)
{
	static const char *const keys[LSOCK_SKMEM_MAX] = {
		"rmem_alloc", "rcvbuf", "wmem_alloc", "sndbuf", "fwd_alloc", "wmem_queued",
		"optmem", "backlog", "drops",
	};

	if (o->memory)
		sbuf_puts(b, ",\"skmem\":");
	if (o->memory && e && e->nskmem) {
		for (unsigned i = 0; i < LSOCK_SKMEM_MAX; i++) {
			sbuf_printf(b, "%s\"%s\":", i ? "," : "{", keys[i]);
			if (i < e->nskmem)
				sbuf_printf(b, "%" PRIu32, e->skmem[i]);
			else
				sbuf_puts(b, "null");
		}
		sbuf_putc(b, '}');
	} else if (o->memory) {
		sbuf_puts(b, "null");
	}
	if (!o->info)
		return;
	bool mptcp = sk->flags & LSOCK_MPTCP;
	bool tcp = sk->protocol == IPPROTO_TCP && !mptcp && !(sk->flags & LSOCK_PROCNET) &&
		   (sk->family == AF_INET || sk->family == AF_INET6);

	if (tcp && e && e->has_info)
		tcpinfo_json(b, e);
	else
		sbuf_puts(b, ",\"tcp_info\":null");
	sbuf_puts(b, ",\"md5keys\":");
	if (tcp && !o->md5_hidden && e && (e->has_info || e->nmd5 || e->has_ulp))
		md5_json(b, e);
	else
		sbuf_puts(b, "null");
	sbuf_puts(b, ",\"ulp\":");
	if (tcp && e && e->has_ulp)
		ulp_json(b, &e->ulp);
	else
		sbuf_puts(b, "null");
	sbuf_puts(b, ",\"mptcp_info\":");
	if (mptcp && e && e->has_info)
		mptcpinfo_json(b, &e->mptcp);
	else
		sbuf_puts(b, "null");
}
