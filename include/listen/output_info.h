/* What ss's -o, -m and -i add to a socket's row, for the table and JSON (output_info.c). */
#ifndef LISTEN_OUTPUT_INFO_H
#define LISTEN_OUTPUT_INFO_H

#include <stdbool.h>

struct lsock;
struct lsock_ext;
struct sbuf;

/* Which of them a view shows. */
struct out_info_opts {
	bool timers;  /* -o (or -e): the timer; with info, the TCP options too, as ss */
	bool memory;  /* -m: skmem */
	bool info;    /* -i: tcp_info */
	bool numeric; /* -n: rates as whole numbers of bits per second, as ss */
	bool md5_hidden; /* the kernel withheld TCP MD5 keys (no CAP_NET_ADMIN): JSON's md5keys
			  * is null, not [] */
};

/* The timer of a socket that has one, as ss -o writes it: "timer:(keepalive,119min,0)". */
void out_timer_text(struct sbuf *b, const struct lsock *sk);

/* "skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0)": as many fields as the kernel sent. */
void out_skmem_text(struct sbuf *b, const struct lsock_ext *e);

/* Whether ss gives sk the line of -m and -i under its row: TCP, UDP and raw with -m, TCP with
 * -i (ss's line is there, empty, when the kernel sent nothing: a TIME-WAIT socket); none for
 * a socket read from /proc/net, as in ss, nor for a unix or packet socket, whose skmem ss
 * writes on its row, after its processes. */
bool out_info_line(const struct lsock *sk, const struct out_info_opts *o);

/* That line's text after ss's tab: " skmem:(...) ts sack cubic wscale:7,7 rto:204 ...", each
 * field after a space; nothing for e NULL. */
void out_info_text(struct sbuf *b, const struct lsock *sk, const struct lsock_ext *e,
		   const struct out_info_opts *o);

/* JSON's optional members for them, each after a comma: "skmem" with -m, "tcp_info" with -i
 * (null where the kernel sent none: not TCP, a TIME-WAIT socket); neither without them. */
void out_info_json(struct sbuf *b, const struct lsock *sk, const struct lsock_ext *e,
		   const struct out_info_opts *o);

#endif
