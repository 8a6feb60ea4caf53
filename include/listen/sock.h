/* The socket record: one per socket, filled by the collector, read by everything after it. */
#ifndef LISTEN_SOCK_H
#define LISTEN_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Kernel TCP states as sock_diag reports them (include/net/tcp_states.h). UDP uses only
 * ESTABLISHED (connected) and CLOSE (unconnected, printed as UNCONN); unix sockets LISTEN,
 * ESTABLISHED, SYN_SENT (connecting) and CLOSE. */
enum lsock_state {
	LSOCK_ESTABLISHED = 1,
	LSOCK_SYN_SENT,
	LSOCK_SYN_RECV,
	LSOCK_FIN_WAIT1,
	LSOCK_FIN_WAIT2,
	LSOCK_TIME_WAIT,
	LSOCK_CLOSE,
	LSOCK_CLOSE_WAIT,
	LSOCK_LAST_ACK,
	LSOCK_LISTEN,
	LSOCK_CLOSING,
	LSOCK_STATE_MAX, /* one past the last state ss knows (12) */
};

#define LSOCK_STATES_ALL ((1u << LSOCK_STATE_MAX) - 1)
/* ss's default: connected sockets, neither listening, closed, time-wait nor syn-recv. */
#define LSOCK_STATES_CONNECTED \
	(LSOCK_STATES_ALL & ~((1u << LSOCK_LISTEN) | (1u << LSOCK_CLOSE) | \
			      (1u << LSOCK_TIME_WAIT) | (1u << LSOCK_SYN_RECV)))
/* -l: TCP listeners and unconnected (bound) UDP sockets. */
#define LSOCK_STATES_LISTENING ((1u << LSOCK_LISTEN) | (1u << LSOCK_CLOSE))

/* A TCP socket's pending timer (idiag_timer; the "tr" column of /proc/net/tcp). */
enum lsock_timer {
	LSOCK_TIMER_NONE,
	LSOCK_TIMER_ON,        /* retransmission, or a loss probe */
	LSOCK_TIMER_KEEPALIVE,
	LSOCK_TIMER_TIMEWAIT,
	LSOCK_TIMER_PERSIST,   /* zero-window probe */
	LSOCK_TIMER_DELACK,    /* delayed ACK */
};

/* Bits of lsock.flags: which optional attributes the kernel sent. */
enum {
	LSOCK_HAS_V6ONLY = 1 << 0,
	LSOCK_HAS_SHUTDOWN = 1 << 1,
	LSOCK_HAS_CGROUP = 1 << 2,
	LSOCK_HAS_MARK = 1 << 3,
	LSOCK_PROCNET = 1 << 4, /* read from /proc/net: no cookie, and a listener's backlog
				 * (wqueue) is not known */
	LSOCK_AUTOBOUND = 1 << 5, /* the kernel chose its port (sock_diag's AUTO test); known
				   * only when the query asked (diag_query.autobound) */
	LSOCK_MPTCP = 1 << 6, /* an MPTCP socket (IPPROTO_MPTCP, which does not fit protocol):
			       * protocol says IPPROTO_TCP, whose ports and services it uses */
	LSOCK_SCTP_ASSOC = 1 << 7, /* an SCTP association (of the endpoint before it, whose
				    * inode it shares): state is SCTP's (LSOCK_SCTP_*) */
};

/* An SCTP association's states (SCTP_STATE_* of the kernel), in lsock.state with
 * LSOCK_SCTP_ASSOC; an SCTP endpoint has LSOCK_LISTEN or LSOCK_CLOSE. */
enum lsock_sctp_state {
	LSOCK_SCTP_CLOSED,
	LSOCK_SCTP_COOKIE_WAIT,
	LSOCK_SCTP_COOKIE_ECHOED,
	LSOCK_SCTP_ESTABLISHED,
	LSOCK_SCTP_SHUTDOWN_PENDING,
	LSOCK_SCTP_SHUTDOWN_SENT,
	LSOCK_SCTP_SHUTDOWN_RECEIVED,
	LSOCK_SCTP_SHUTDOWN_ACK_SENT,
	LSOCK_SCTP_STATE_MAX,
};

/* Bits of lsock_unix.flags: which of UNIX_DIAG's optional attributes the kernel sent. */
enum {
	LSOCK_UNIX_NAME = 1 << 0,  /* bound: name/name_len hold its address */
	LSOCK_UNIX_PEER = 1 << 1,  /* peer is known (0: none) */
	LSOCK_UNIX_VFS = 1 << 2,   /* a filesystem socket's file: vfs_dev, vfs_ino */
	LSOCK_UNIX_UID = 1 << 3,   /* lsock.uid is the socket's owner (UNIX_DIAG_UID) */
	LSOCK_UNIX_QUEUES = 1 << 4, /* rqueue, wqueue are known (UNIX_DIAG_RQLEN) */
};

/* Bits of lsock_packet.flags: what PACKET_DIAG (or /proc/net/packet) told. */
enum {
	LSOCK_PACKET_INFO = 1 << 0,     /* version, copy_thresh, info_flags (PACKET_DIAG_INFO) */
	LSOCK_PACKET_MCLIST = 1 << 1,   /* the memberships are known (PACKET_DIAG_MCLIST) */
	LSOCK_PACKET_PROMISC = 1 << 2,  /* one of them is PACKET_MR_PROMISC */
	LSOCK_PACKET_FILTER_KNOWN = 1 << 3, /* whether a classic BPF filter is attached is
					     * known (PACKET_DIAG_FILTER, CAP_NET_ADMIN) */
	LSOCK_PACKET_FILTER = 1 << 4,   /* one is: filter_len instructions */
	LSOCK_PACKET_FANOUT = 1 << 5,   /* in a fanout group: fanout */
	LSOCK_PACKET_UID = 1 << 6,      /* lsock.uid is the socket's owner (PACKET_DIAG_UID) */
	LSOCK_PACKET_QUEUES = 1 << 7,   /* rqueue, wqueue are known (PACKET_DIAG_MEMINFO or the
					 * table's Rmem) */
};

/* What a packet socket has in place of addresses; its protocol (the ethertype, host byte
 * order) is lsock.lport, its device lsock.ifindex (0: every device), SOCK_RAW or SOCK_DGRAM
 * lsock.type. */
struct lsock_packet {
	uint32_t filter_len;  /* classic BPF instructions, with LSOCK_PACKET_FILTER */
	uint32_t version;     /* TPACKET_V1... (pdi_version), with LSOCK_PACKET_INFO */
	uint32_t copy_thresh; /* pdi_copy_thresh */
	uint32_t info_flags;  /* PDI_RUNNING, PDI_AUXDATA, PDI_ORIGDEV, PDI_VNETHDR, PDI_LOSS */
	uint32_t fanout;      /* PACKET_DIAG_FANOUT: group id | type << 16 */
	uint16_t mclist;      /* memberships (PACKET_ADD_MEMBERSHIP) */
	uint16_t flags;       /* LSOCK_PACKET_* */
};

/* A packet socket's record protocol: no IP protocol, the value only marks the record (its
 * family, AF_PACKET, says the same). */
#define LSOCK_PROTO_PACKET 254
/* The ethertype ETH_P_ALL: every protocol. */
#define LSOCK_ETH_P_ALL 0x0003

/*
 * What a unix socket has in place of addresses. name is its bound address as the kernel
 * gives it: a path, or for an abstract socket a NUL and then any bytes (NULs too), so
 * name_len counts; it points into the lsock_vec's name store (lsock_vec_name).
 */
struct lsock_unix {
	uint32_t peer;     /* the peer socket's inode, 0 for none */
	uint32_t vfs_dev;  /* the socket file's device (kernel dev_t encoding) and inode */
	uint32_t vfs_ino;
	uint32_t name_len;
	const char *name;
	uint8_t flags;     /* LSOCK_UNIX_* */
};

/* What a vsock socket has in place of addresses: context ids and 32-bit ports, each
 * LSOCK_VSOCK_ANY for "any" (VMADDR_CID_ANY, VMADDR_PORT_ANY), printed "*". */
struct lsock_vsock {
	uint32_t cid;
	uint32_t port;
	uint32_t peer_cid;
	uint32_t peer_port;
};

#define LSOCK_VSOCK_ANY UINT32_MAX

/*
 * One socket of any family. TCP and UDP (AF_INET, AF_INET6) use the addresses and ports; so
 * does a raw IP socket (protocol IPPROTO_RAW), whose lport is the IP protocol it receives, as
 * the kernel keeps it. AF_UNIX uses un (in the addresses' place, so the record stays 96 bytes)
 * and type; AF_PACKET pk, type, lport (the ethertype) and ifindex. Another family adds its own
 * member to the union and a value of family (and protocol) that says so.
 */
struct lsock {
	uint8_t family;   /* AF_INET, AF_INET6, AF_UNIX or AF_PACKET */
	uint8_t protocol; /* IPPROTO_TCP, IPPROTO_UDP, IPPROTO_RAW (a raw socket),
			   * LSOCK_PROTO_PACKET for AF_PACKET; 0 for AF_UNIX */
	uint8_t state;    /* enum lsock_state */
	uint8_t flags;    /* LSOCK_HAS_* */
	uint8_t v6only;   /* IPV6_V6ONLY, valid with LSOCK_HAS_V6ONLY */
	uint8_t shutdown; /* bit 0: receive side shut, bit 1: send side, with LSOCK_HAS_SHUTDOWN */
	uint8_t timer;    /* enum lsock_timer */
	uint8_t retrans;  /* with a timer: retransmits (timer on) or unanswered probes */
	uint16_t lport;   /* host byte order */
	uint16_t rport;
	uint16_t netns;   /* which of the run's network namespaces it is in (0: the only one) */
	uint8_t type;     /* SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET (AF_UNIX), SOCK_RAW or
			   * SOCK_DGRAM (AF_PACKET); 0 for TCP/UDP/raw */
	uint32_t ifindex; /* bound device, 0 if none */
	uint32_t uid;
	uint32_t inode;
	uint32_t rqueue;
	uint32_t wqueue;
	uint32_t mark;
	uint32_t expires; /* with a timer: milliseconds until it fires */
	uint32_t ext;     /* 1 + the index of its lsock_ext in the vector's, 0 for none (only
			   * with -i or -m: lsock_vec_ext) */
	uint64_t cookie;
	uint64_t cgroup_id;
	union {
		struct {
			unsigned char laddr[16]; /* network byte order; IPv4 uses the first 4
						  * bytes */
			unsigned char raddr[16];
		};
		struct lsock_unix un; /* AF_UNIX */
		struct lsock_packet pk; /* AF_PACKET */
		struct lsock_vsock vs; /* AF_VSOCK */
	};
	/* Owners, filled by the process map: owners[owner_first .. owner_first + owner_count). */
	uint32_t owner_first;
	uint32_t owner_count;
};

/* The socket's memory as INET_DIAG_SKMEMINFO gives it (ss -m's skmem:(r,rb,t,tb,f,w,o,bl,d)),
 * in bytes but for drops (packets). */
enum lsock_skmem {
	LSOCK_SKMEM_RMEM_ALLOC, /* r: receive queue */
	LSOCK_SKMEM_RCVBUF,     /* rb: receive buffer */
	LSOCK_SKMEM_WMEM_ALLOC, /* t: sent, not yet freed */
	LSOCK_SKMEM_SNDBUF,     /* tb: send buffer */
	LSOCK_SKMEM_FWD_ALLOC,  /* f: reserved ahead */
	LSOCK_SKMEM_WMEM_QUEUED, /* w: queued to send */
	LSOCK_SKMEM_OPTMEM,     /* o: options, filters */
	LSOCK_SKMEM_BACKLOG,    /* bl: backlog */
	LSOCK_SKMEM_DROPS,      /* d: packets dropped */
	LSOCK_SKMEM_MAX,
};

/*
 * A TCP socket's tcp_info (INET_DIAG_INFO), in the kernel's units: times in microseconds
 * (rto, ato, rtt, rttvar, rcv_rtt, min_rtt, busy_time, rwnd_limited, sndbuf_limited) or
 * milliseconds (the last_* ages), rates in bytes per second. The kernel sends a longer struct
 * as it grows: len is how many bytes of it came, and a field past them reads 0.
 */
struct lsock_tcpinfo {
	uint32_t len;
	uint8_t groups; /* how many of enum lsock_tcpi_group the kernel's struct covers */
	uint8_t state, ca_state, retransmits, probes, backoff, options;
	uint8_t snd_wscale, rcv_wscale;
	bool delivery_rate_app_limited;
	uint32_t rto, ato, snd_mss, rcv_mss, unacked, sacked, lost, retrans, fackets;
	uint32_t last_data_sent, last_data_recv, last_ack_recv;
	uint32_t pmtu, rcv_ssthresh, rtt, rttvar, snd_ssthresh, snd_cwnd, advmss, reordering;
	uint32_t rcv_rtt, rcv_space, total_retrans;
	uint64_t pacing_rate, max_pacing_rate, bytes_acked, bytes_received;
	uint32_t segs_out, segs_in, notsent_bytes, min_rtt, data_segs_in, data_segs_out;
	uint64_t delivery_rate, busy_time, rwnd_limited, sndbuf_limited;
	uint32_t delivered, delivered_ce;
	uint64_t bytes_sent, bytes_retrans;
	uint32_t dsack_dups, reord_seen, rcv_ooopack, snd_wnd, rcv_wnd, rehash;
};

/* The steps tcp_info grew by, in order: a field of a step past lsock_tcpinfo.groups was not
 * sent (JSON says null). */
enum lsock_tcpi_group {
	LSOCK_TCPI_G_BASE,      /* state .. total_retrans */
	LSOCK_TCPI_G_PACING,    /* pacing_rate, max_pacing_rate */
	LSOCK_TCPI_G_BYTES,     /* bytes_acked, bytes_received, segs_out, segs_in */
	LSOCK_TCPI_G_SEGS,      /* notsent_bytes, min_rtt, data_segs_in, data_segs_out */
	LSOCK_TCPI_G_DELIVERY,  /* delivery_rate */
	LSOCK_TCPI_G_BUSY,      /* busy_time, rwnd_limited, sndbuf_limited */
	LSOCK_TCPI_G_DELIVERED, /* delivered, delivered_ce */
	LSOCK_TCPI_G_SENT,      /* bytes_sent, bytes_retrans, dsack_dups, reord_seen */
	LSOCK_TCPI_G_OOO,       /* rcv_ooopack */
	LSOCK_TCPI_G_SND_WND,   /* snd_wnd */
	LSOCK_TCPI_G_RCV_WND,   /* rcv_wnd, rehash */
	LSOCK_TCPI_G_MAX,
};

/* tcp_info.options bits (TCPI_OPT_*). */
enum {
	LSOCK_TCPI_TIMESTAMPS = 1, LSOCK_TCPI_SACK = 2, LSOCK_TCPI_WSCALE = 4,
	LSOCK_TCPI_ECN = 8, LSOCK_TCPI_ECN_SEEN = 16, LSOCK_TCPI_SYN_DATA = 32,
};

/* What the congestion control algorithm tells of itself (INET_DIAG_VEGASINFO, _DCTCPINFO,
 * _BBRINFO). */
enum lsock_cc_kind { LSOCK_CC_NONE, LSOCK_CC_VEGAS, LSOCK_CC_DCTCP, LSOCK_CC_BBR };

struct lsock_ccinfo {
	uint8_t kind; /* enum lsock_cc_kind */
	union {
		struct {
			uint32_t enabled, rttcnt, rtt, minrtt; /* rtt, minrtt in us */
		} vegas;
		struct {
			uint16_t enabled, ce_state;
			uint32_t alpha, ab_ecn, ab_tot;
		} dctcp;
		struct {
			uint64_t bw;      /* bytes per second */
			uint32_t min_rtt; /* us */
			uint32_t pacing_gain, cwnd_gain; /* << 8 */
		} bbr;
	};
};

/* One TCP MD5 signature key of a socket (INET_DIAG_MD5SIG, sent to CAP_NET_ADMIN only): the
 * peers it applies to. The key itself is never kept: listen does not print secrets. */
struct lsock_md5key {
	uint8_t family;    /* AF_INET or AF_INET6 */
	uint8_t prefixlen; /* bits of addr that must match */
	unsigned char addr[16]; /* network byte order; IPv4 uses the first 4 bytes */
};

/* A TCP socket's upper-layer protocol (INET_DIAG_ULP_INFO): its name, and what the kernel tells
 * of the two listen knows. */
enum lsock_ulp_kind { LSOCK_ULP_OTHER, LSOCK_ULP_TLS, LSOCK_ULP_MPTCP };

/* Bits of lsock_ulp.have: which of the kernel's attributes came. */
enum {
	LSOCK_TLS_VERSION = 1 << 0, LSOCK_TLS_CIPHER = 1 << 1, LSOCK_TLS_TXCONF = 1 << 2,
	LSOCK_TLS_RXCONF = 1 << 3, LSOCK_TLS_ZC_RO_TX = 1 << 4, LSOCK_TLS_RX_NO_PAD = 1 << 5,
	LSOCK_SF_TOKEN_REM = 1 << 0, LSOCK_SF_TOKEN_LOC = 1 << 1, LSOCK_SF_RELWRITE_SEQ = 1 << 2,
	LSOCK_SF_MAP_SEQ = 1 << 3, LSOCK_SF_MAP_SFSEQ = 1 << 4, LSOCK_SF_SSN_OFFSET = 1 << 5,
	LSOCK_SF_MAP_DATALEN = 1 << 6, LSOCK_SF_FLAGS = 1 << 7, LSOCK_SF_ID_REM = 1 << 8,
	LSOCK_SF_ID_LOC = 1 << 9,
};

/* kTLS's numbers (linux/tls.h): versions, ciphers, and TLS_CONF_* (1 none, 2 sw, 3 hw,
 * 4 hw-record). */
enum {
	LSOCK_TLS_1_2 = 0x0303, LSOCK_TLS_1_3 = 0x0304,
	LSOCK_TLS_AES_GCM_128 = 51, LSOCK_TLS_AES_GCM_256, LSOCK_TLS_AES_CCM_128,
	LSOCK_TLS_CHACHA20_POLY1305, LSOCK_TLS_SM4_GCM, LSOCK_TLS_SM4_CCM,
	LSOCK_TLS_ARIA_GCM_128, LSOCK_TLS_ARIA_GCM_256,
};

struct lsock_ulp {
	char name[16];  /* INET_ULP_INFO_NAME ("tls", "mptcp", ...), "" when none came */
	uint8_t kind;   /* enum lsock_ulp_kind, from the nested attribute that came */
	uint16_t have;  /* LSOCK_TLS_* or LSOCK_SF_* */
	union {
		struct {
			uint16_t version, cipher; /* TLS_1_2_VERSION..., TLS_CIPHER_* */
			uint16_t txconf, rxconf;  /* TLS_CONF_* */
		} tls;
		struct { /* an MPTCP subflow (MPTCP_SUBFLOW_ATTR_*) */
			uint32_t token_rem, token_loc, relwrite_seq, map_sfseq, ssn_offset;
			uint32_t map_datalen, flags; /* MPTCP_SUBFLOW_FLAG_* */
			uint64_t map_seq;
			uint8_t id_rem, id_loc;
		} sf;
	};
};

/* An MPTCP socket's mptcp_info (INET_DIAG_INFO of an IPPROTO_MPTCP dump). The kernel's struct
 * grows at its end: len is how many bytes came, and a field past them was not sent. */
struct lsock_mptcpinfo {
	uint32_t len;
	uint8_t subflows, add_addr_signal, add_addr_accepted, subflows_max;
	uint8_t add_addr_signal_max, add_addr_accepted_max;
	uint8_t local_addr_used, local_addr_max, csum_enabled, subflows_total;
	uint32_t flags; /* MPTCP_INFO_FLAG_FALLBACK, _REMOTE_KEY_RECEIVED */
	uint32_t token, retransmits;
	uint32_t last_data_sent, last_data_recv, last_ack_recv; /* ms */
	uint64_t write_seq, snd_una, rcv_nxt;
	uint64_t bytes_retrans, bytes_sent, bytes_received, bytes_acked;
};

/* lsock_mptcpinfo.flags (MPTCP_INFO_FLAG_*). */
enum { LSOCK_MPTCPI_FALLBACK = 1 << 0, LSOCK_MPTCPI_REMOTE_KEY = 1 << 1 };

/* Where each field of the kernel's struct mptcp_info ends (its length must reach it). */
enum {
	LSOCK_MPTCPI_END_BASE = 43,      /* subflows .. csum_enabled */
	LSOCK_MPTCPI_END_BYTES = 80,     /* retransmits .. bytes_acked (a later kernel) */
	LSOCK_MPTCPI_END_TOTAL = 81,     /* subflows_total (later still) */
	LSOCK_MPTCPI_END_LAST = 96,      /* last_data_sent .. last_ack_recv (later still) */
};

/* What -i and -m add to a record, kept beside the records: only runs that ask for them get
 * them, so the record stays small. */
struct lsock_ext {
	uint32_t skmem[LSOCK_SKMEM_MAX];
	uint8_t nskmem;        /* how many of skmem the kernel sent (0: none) */
	bool has_info;         /* info holds a tcp_info (mptcp_info for an MPTCP socket) */
	bool has_ulp;          /* ulp holds the socket's upper-layer protocol */
	char cong[16];         /* the congestion control algorithm (INET_DIAG_CONG), or "" */
	uint32_t nmd5;         /* md5[0 .. nmd5): the socket's TCP MD5 keys, in the vector's
				* store (lsock_vec_store) */
	const struct lsock_md5key *md5;
	struct lsock_ccinfo cc;
	struct lsock_ulp ulp;
	union {
		struct lsock_tcpinfo info;
		struct lsock_mptcpinfo mptcp; /* an MPTCP socket's (LSOCK_MPTCP) */
	};
};

struct lsock_names;

/* A growable array of records, and the store their unix names point into (blocks that never
 * move, so records may be copied and reordered freely). Zero-initialise it; release with
 * lsock_vec_free(). */
struct lsock_vec {
	struct lsock *v;
	size_t len;
	size_t cap;
	struct lsock_names *names;
	struct lsock_ext *ext; /* the records' lsock_ext, by lsock.ext - 1 */
	size_t ext_len, ext_cap;
};

/* Append a zeroed record; returns it, or NULL when memory runs out. The pointer is valid
 * until the next push. */
struct lsock *lsock_vec_push(struct lsock_vec *vec);
void lsock_vec_free(struct lsock_vec *vec);

/* Copy a unix socket's name (len bytes, any bytes) into vec's store and point sk at it.
 * Returns 0 or -ENOMEM. */
int lsock_vec_name(struct lsock_vec *vec, struct lsock *sk, const void *name, size_t len);

/* Copy len bytes into vec's store, which never moves; returns the copy, or NULL when memory
 * runs out. */
const void *lsock_vec_store(struct lsock_vec *vec, const void *data, size_t len);

/* A new zeroed lsock_ext for sk (the vector's last record) in vec; NULL when memory runs out.
 * The pointer is valid until the next call. */
struct lsock_ext *lsock_vec_ext_new(struct lsock_vec *vec, struct lsock *sk);

/* Drop the vector's last record, and its lsock_ext if it has one. */
void lsock_vec_pop(struct lsock_vec *vec);

/* sk's lsock_ext in vec, or NULL when it has none. */
const struct lsock_ext *lsock_vec_ext(const struct lsock_vec *vec, const struct lsock *sk);

/* ss's name for a state ("LISTEN", "ESTAB", "UNCONN" for a closed UDP socket...; an SCTP
 * association's: "COOKIE_WAIT", "ESTAB", "SHUTDOWN_PENDING", "ACK_SENT"...). */
const char *lsock_state_name(const struct lsock *sk);

/* A TCP listener or an unconnected UDP socket: a service waiting for peers. */
bool lsock_is_listener(const struct lsock *sk);

/* "tcp", "udp", "raw" (IPPROTO_RAW), "sctp" or "packet" (LSOCK_PROTO_PACKET). */
const char *lsock_proto_name(uint8_t protocol);

/* "tcp", "udp", "mptcp", "sctp", "raw", "packet" or "vsock": the record's protocol, as JSON
 * and the metrics name it. */
const char *lsock_protocol(const struct lsock *sk);

/* ss's Netid: "tcp", "udp", "raw", "mptcp", "sctp", "u_str", "u_dgr", "u_seq" for a unix
 * socket, "p_raw", "p_dgr" for a packet socket, "v_str", "v_dgr", "v_seq" for vsock. */
const char *lsock_netid(const struct lsock *sk);

/* A unix socket's type as JSON names it: "stream", "dgram", "seqpacket". */
const char *lsock_unix_type_name(uint8_t type);

/* Whether a unix socket is abstract: bound to a name that starts with a NUL. */
bool lsock_unix_abstract(const struct lsock *sk);

/* ss's name of a timer: "off", "on", "keepalive", "timewait", "persist", "delack", or
 * "unknown" for a number past them. */
const char *lsock_timer_name(uint8_t timer);

/* Whether sk is a TCP (MPTCP too), UDP or SCTP socket (not unix, raw, packet or vsock): a
 * service with a port of IP's. */
bool lsock_is_inet_transport(const struct lsock *sk);

/* The name of a vsock context id that has one (linux/vm_sockets.h): "hypervisor" (0),
 * "local" (1, VMADDR_CID_LOCAL: this host's loopback), "host" (2, VMADDR_CID_HOST), "any"
 * (VMADDR_CID_ANY); NULL for a guest's. */
const char *lsock_vsock_cid_name(uint32_t cid);

/* The vsock context id of loopback (VMADDR_CID_LOCAL) and of the host (VMADDR_CID_HOST). */
#define LSOCK_VSOCK_CID_LOCAL 1u
#define LSOCK_VSOCK_CID_HOST 2u

/* "ipv4", "ipv6", "unix", "packet" or "vsock", as JSON and the metrics name families. */
const char *lsock_family_name(uint8_t family);

#endif
