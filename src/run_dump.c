/*
 * The run's dump (the collect phase's socket tables): every kind of socket the plan asks for,
 * in each namespace to look in, from sock_diag or the /proc/net tables standing in for it, or
 * from a capture being replayed; a capture made of them with --dump-netlink. Part of the
 * program layer with run.c: these print their own errors (one line each).
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "listen/activation.h"
#include "listen/bytecode.h"
#include "listen/capture.h"
#include "listen/cgroup.h"
#include "listen/container.h"
#include "listen/diag.h"
#include "listen/enrich.h"
#include "listen/fileio.h"
#include "listen/filter.h"
#include "listen/firewall.h"
#include "listen/holders.h"
#include "listen/ifaddr.h"
#include "listen/priv.h"
#include "listen/procfs.h"
#include "listen/procnet.h"
#include "listen/sbuf.h"
#include "listen/scope.h"
#include "listen/services.h"
#include "listen/sock.h"
#include "listen/unit.h"
#include "listen/unixdiag.h"
#include "listen/packetdiag.h"
#include "listen/unixfile.h"
#include "listen/vsockdiag.h"
#include "run.h"

/* Read the --replay-netlink capture once. Prints its error. */
int run_load_replay(const struct listen_opts *o, struct run *run)
{
	int r;

	if (run->replay)
		return 0;
	r = fileio_read_all(AT_FDCWD, o->replay_netlink, SIZE_MAX, &run->replay, &run->replay_len);
	if (r < 0)
		fprintf(stderr, "listen: %s: %s\n", o->replay_netlink, fileio_strerror(r));
	return r;
}

struct dump {
	const struct diag_query *q;
	struct lsock_vec *socks;
	FILE *capture;
	int fallback; /* the sock_diag error the /proc/net tables stood in for; 0 if none */
	int unix_fallback; /* the same for unix sockets (/proc/net/unix) */
	int raw_fallback;  /* raw sockets (/proc/net/raw) */
	int packet_fallback; /* packet sockets (/proc/net/packet) */
	int mptcp_err; /* why MPTCP's sockets could not be dumped (no /proc/net stands in) */
	int vsock_err; /* the same for vsock sockets */
	int sctp_err;  /* the same for SCTP's (sctp_diag) */
	bool sctp_loaded; /* and /proc/net/sctp is there: SCTP sockets may be */
};

/* Errors that mean this kernel (no inet_diag, tcp_diag or udp_diag) or sandbox (seccomp, an
 * LSM) offers no sock_diag for TCP and UDP. */
static bool diag_unavailable(int r)
{
	return r == -EPROTONOSUPPORT || r == -ENOENT || r == -EAFNOSUPPORT || r == -EOPNOTSUPP ||
	       r == -EACCES || r == -EPERM;
}

/* Unix sockets: UNIX_DIAG, else /proc/net/unix; a capture needs UNIX_DIAG. */
static int dump_unix(struct dump *d)
{
	size_t mark = d->socks->len;
	int r = unixdiag_collect(d->q, d->socks, d->capture);

	if (d->capture || !diag_unavailable(r))
		return r;
	d->socks->len = mark;
	d->unix_fallback = r;
	return procnet_unix_collect(d->q, d->socks);
}

/* Packet sockets: PACKET_DIAG, else /proc/net/packet; a capture needs PACKET_DIAG. */
static int dump_packet(struct dump *d)
{
	size_t mark = d->socks->len;
	int r = packetdiag_collect(d->q, d->socks, d->capture);

	if (d->capture || !diag_unavailable(r))
		return r;
	d->socks->len = mark;
	d->packet_fallback = r;
	return packetdiag_procnet_collect(d->q, d->socks);
}

/* Raw sockets: inet_diag's raw dump (raw_diag), else /proc/net/raw{,6}; a capture needs
 * raw_diag. */
static int dump_raw(struct dump *d)
{
	size_t mark = d->socks->len;
	int r = diag_raw_collect(d->q, d->socks, d->capture);

	if (d->capture && diag_unavailable(r))
		d->raw_fallback = r; /* what the capture could not hold: said by collect_views */
	if (d->capture || !diag_unavailable(r))
		return r;
	d->socks->len = mark;
	d->raw_fallback = r;
	return procnet_raw_collect(d->q, d->socks);
}

/* MPTCP's sockets, after TCP's as ss lists them. A kernel without mptcp_diag has no other
 * source: that is said (collect_views), and is an error when they are all that was asked. */
static int dump_mptcp(struct dump *d)
{
	struct diag_query q = *d->q;
	size_t mark = d->socks->len;
	int r;

	q.protocols = DIAG_MPTCP;
	r = diag_collect(&q, d->socks, d->capture);
	if (d->capture || !diag_unavailable(r))
		return r;
	d->socks->len = mark;
	d->mptcp_err = r;
	return 0;
}

/* SCTP's sockets, after MPTCP's. Without sctp_diag, /proc/net/sctp if the sctp module is
 * there; without it there is no SCTP socket. collect_views says which. */
static int dump_sctp(struct dump *d)
{
	struct diag_query q = *d->q;
	size_t mark = d->socks->len;
	int r;

	q.protocols = DIAG_SCTP;
	r = diag_collect(&q, d->socks, d->capture);
	if (d->capture || !diag_unavailable(r))
		return r;
	d->socks->len = mark;
	d->sctp_err = r;
	d->sctp_loaded = access("/proc/thread-self/net/sctp", F_OK) == 0;
	return d->sctp_loaded ? procnet_sctp_collect(d->q, d->socks) : 0;
}

/* vsock sockets, after the others as ss lists them: vsock_diag, or nothing (no /proc/net
 * table lists them), which is said (collect_views). */
static int dump_vsock(struct dump *d)
{
	size_t mark = d->socks->len;
	int r = vsockdiag_collect(d->q, d->socks, d->capture);

	if (d->capture || !diag_unavailable(r))
		return r;
	d->socks->len = mark;
	d->vsock_err = r;
	return 0;
}

/* TCP and UDP: sock_diag, else the /proc/net tables; a capture needs sock_diag. */
static int dump_inet(struct dump *d)
{
	struct diag_query q = *d->q;
	size_t mark = d->socks->len;
	int r;

	q.protocols &= ~(unsigned)(DIAG_MPTCP | DIAG_SCTP);
	r = diag_collect(&q, d->socks, d->capture);
	if (!d->capture && diag_unavailable(r)) {
		d->socks->len = mark;
		d->fallback = r;
		r = procnet_collect(&q, d->socks);
	}
	return r;
}

/* Every kind asked for, in ss's order: packet, unix, raw, UDP, TCP, MPTCP, SCTP, vsock. */
static int dump_sockets(void *arg)
{
	struct dump *d = arg;
	unsigned p = d->q->protocols;
	int r = (p & DIAG_PACKET) ? dump_packet(d) : 0;

	if (r == 0 && (p & DIAG_UNIX))
		r = dump_unix(d);
	if (r == 0 && (p & DIAG_RAW))
		r = dump_raw(d);
	if (r == 0 && (p & (DIAG_TCP | DIAG_UDP)))
		r = dump_inet(d);
	if (r == 0 && (p & DIAG_MPTCP))
		r = dump_mptcp(d);
	if (r == 0 && (p & DIAG_SCTP))
		r = dump_sctp(d);
	if (r == 0 && (p & DIAG_VSOCK))
		r = dump_vsock(d);
	return r;
}

/* What the dumps of the run's namespaces could not use, for the notices: the sources fallen
 * back from (their errors), the families the kernel cannot list, the namespaces skipped. */
struct sources {
	int fallback, unix_fallback, raw_fallback, packet_fallback;
	int mptcp_err, vsock_err, sctp_err, skip_err;
	bool sctp_loaded;
	unsigned skipped;
};

static void note_sources(struct sources *s, const struct dump *d)
{
	s->fallback = d->fallback ? d->fallback : s->fallback;
	s->unix_fallback = d->unix_fallback ? d->unix_fallback : s->unix_fallback;
	s->raw_fallback = d->raw_fallback ? d->raw_fallback : s->raw_fallback;
	s->packet_fallback = d->packet_fallback ? d->packet_fallback : s->packet_fallback;
	s->mptcp_err = d->mptcp_err ? d->mptcp_err : s->mptcp_err;
	s->vsock_err = d->vsock_err ? d->vsock_err : s->vsock_err;
	s->sctp_err = d->sctp_err ? d->sctp_err : s->sctp_err;
	s->sctp_loaded |= d->sctp_loaded;
}

/* The notices of the sources fallen back from and the families not listed, each once a run
 * (a watch's looks say them once). Returns 0, or -EOPNOTSUPP (said) when all that was asked
 * for cannot be shown: no empty table for a family the kernel cannot list. */
static int say_sources(struct run *run, const struct diag_query *q, const struct sources *s)
{
	const char *no_memory = (q->ext & DIAG_EXT_MEMORY) ? ", and without -m's socket memory"
							     : "";

	if (s->fallback && !(run->said & RUN_SAID_FALLBACK))
		fprintf(stderr,
			"listen: sock_diag is not available (%s): sockets read from /proc/net, "
			"without listen backlogs (Send-Q), bound devices and socket cgroups%s\n",
			strerror(-s->fallback),
			q->ext ? ", and without -i's and -m's details" : "");
	if (s->unix_fallback)
		fprintf(stderr,
			"listen: unix_diag is not available (%s): unix sockets read from "
			"/proc/net/unix, without peers, queue lengths, socket files and uids%s\n",
			strerror(-s->unix_fallback), no_memory);
	/* The usual case for raw sockets (few kernels load raw_diag): said once a run. */
	if (s->raw_fallback && run->plan->raw_source && !(run->said & RUN_SAID_RAW_FALLBACK))
		fprintf(stderr, "listen: raw_diag is not available (%s): raw sockets read from "
			"/proc/net/raw and raw6, without bound devices and socket cgroups%s\n",
			strerror(-s->raw_fallback), no_memory);
	if (s->packet_fallback && !(run->said & RUN_SAID_PACKET_FALLBACK))
		fprintf(stderr, "listen: packet_diag is not available (%s): packet sockets read "
			"from /proc/net/packet, without memberships (promisc), filters and "
			"fanout%s\n", strerror(-s->packet_fallback), no_memory);
	run->said |= (s->raw_fallback ? RUN_SAID_RAW_FALLBACK : 0) |
		     (s->packet_fallback ? RUN_SAID_PACKET_FALLBACK : 0);
	run->unseen = (s->mptcp_err ? DIAG_MPTCP : 0) | (s->vsock_err ? DIAG_VSOCK : 0);
	/* Said once a watch; not when the plan added MPTCP unasked (its subflows' TCP listeners
	 * stand in). */
	if (s->mptcp_err && !(run->plan->implied & DIAG_MPTCP) &&
	    !(run->said & RUN_SAID_UNSEEN))
		fprintf(stderr, "listen: the kernel has no sock_diag for MPTCP (%s): MPTCP "
			"sockets %s\n", strerror(-s->mptcp_err),
			q->protocols == DIAG_MPTCP ? "cannot be shown" : "not shown");
	if (s->mptcp_err && q->protocols == DIAG_MPTCP)
		return -EOPNOTSUPP; /* said */
	/* Without the sctp module there is no SCTP socket: said when SCTP was all that was asked
	 * (rather than an empty table). */
	if (s->sctp_err && s->sctp_loaded)
		fprintf(stderr, "listen: sctp_diag is not available (%s): SCTP sockets read from "
			"/proc/net/sctp, without cookies and cgroups\n", strerror(-s->sctp_err));
	else if (s->sctp_err && q->protocols == DIAG_SCTP)
		fprintf(stderr, "listen: this kernel has no SCTP (no sctp_diag, no /proc/net/sctp: "
			"the sctp module is not loaded): there are no SCTP sockets\n");
	if (s->sctp_err && !s->sctp_loaded && q->protocols == DIAG_SCTP)
		return -EOPNOTSUPP; /* said */
	/* Not "none": vsock sockets may be there, but nothing lists them without vsock_diag. */
	if (s->vsock_err && !(run->said & RUN_SAID_UNSEEN))
		fprintf(stderr, "listen: the kernel has no vsock_diag (%s): vsock sockets %s, and "
			"no /proc/net table lists them\n", strerror(-s->vsock_err),
			q->protocols == DIAG_VSOCK ? "cannot be shown" : "not shown");
	if (s->vsock_err && q->protocols == DIAG_VSOCK)
		return -EOPNOTSUPP; /* said */
	run->said |= (s->mptcp_err && !(run->plan->implied & DIAG_MPTCP)) || s->vsock_err ?
		     RUN_SAID_UNSEEN : 0;
	if (s->fallback && q->autobound) { /* not an empty answer: no answer */
		fprintf(stderr, "listen: autobound needs sock_diag: /proc/net does not say "
			"which ports the kernel chose\n");
		return -EOPNOTSUPP;
	}
	if (s->skipped && !(run->said & RUN_SAID_SKIPPED))
		fprintf(stderr, "listen: %u network namespace%s skipped (%s)%s%s\n", s->skipped,
			s->skipped == 1 ? "" : "s", strerror(-s->skip_err),
			s->skip_err == -EPERM ? ": " : "",
			s->skip_err == -EPERM ? priv_advice(PRIV_NETNS) : "");
	run->said |= (s->skipped ? RUN_SAID_SKIPPED : 0) | (s->fallback ? RUN_SAID_FALLBACK : 0);
	return 0;
}

/* Not "no keys": the kernel tells TCP MD5 keys to CAP_NET_ADMIN only (listen never raises it
 * for a dump, so a set-capability install does not hand them to its users). Said when -i
 * shows a TCP socket without them. */
static void say_md5_hidden(struct run *run, const struct diag_query *q)
{
	const struct lsock_vec *socks = &run->socks;

	run->md5_hidden = (q->ext & DIAG_EXT_INFO) && !priv_effective(PRIV_NETADMIN);
	for (size_t i = 0; run->md5_hidden && i < socks->len; i++) {
		const struct lsock *sk = &socks->v[i];

		if (sk->protocol == IPPROTO_TCP &&
		    !(sk->flags & (LSOCK_MPTCP | LSOCK_PROCNET))) {
			/* Not priv_advice's: rights lent to listen are not used here. */
			fprintf(stderr, "listen: -i: the kernel tells TCP MD5 keys to "
				"CAP_NET_ADMIN only: md5keys not shown (%s)\n",
				getuid() == 0 ? "root without CAP_NET_ADMIN: a container or "
						"sandbox withholds it" : "run as root");
			break;
		}
	}
}

/* Dump the sockets of every namespace of the run, each marked with its namespace. With
 * --all-netns a namespace that cannot be entered, or is gone since it was found, is skipped,
 * and said so once; running short of descriptors or memory is an error. */
static int collect_views(struct run *run, FILE *capture, const struct diag_query *q)
{
	struct lsock_vec *socks = &run->socks;
	struct sources s = { 0 };
	int r = 0;

	for (size_t i = 0; i < run->nviews; i++) {
		struct ns_view *v = &run->views[i];
		struct dump d = { .q = q, .socks = socks, .capture = capture };
		size_t mark = socks->len, ext_mark = socks->ext_len;

		r = netns_call(&v->ns, dump_sockets, &d);
		if (r < 0 && capture && d.raw_fallback) {
			fprintf(stderr, "listen: a capture of raw sockets needs raw_diag, "
				"which this kernel lacks (%s)\n", strerror(-r));
			return -EOPNOTSUPP;
		}
		v->dumped = r == 0;
		note_sources(&s, &d);
		for (size_t k = mark; k < socks->len; k++)
			socks->v[k].netns = (uint16_t)i;
		if (r < 0 && !fileio_exhausted(r) && run->plan->netns == PLAN_NETNS_ALL &&
		    v->ns.reopen) {
			/* entered but refused, or gone since it was found */
			socks->len = mark;
			socks->ext_len = ext_mark;
			s.skipped++;
			s.skip_err = r;
			r = 0;
			continue;
		}
		if (r == -EPERM) /* setns: entering needs CAP_SYS_ADMIN */
			fprintf(stderr, "listen: cannot enter network namespace %s: %s: %s\n",
				v->ns.label, strerror(-r), priv_advice(PRIV_NETNS));
		if (r < 0)
			return r;
	}
	if ((r = say_sources(run, q, &s)) < 0)
		return r;
	say_md5_hidden(run, q);
	return 0;
}

int run_collect(const struct listen_opts *o, struct run *run)
{
	struct lsock_vec *socks = &run->socks;
	struct diag_query q = run->plan->query;
	int r;

	q.bytecode = run->bytecode;
	q.bytecode_len = run->bytecode_len;
	if (o->replay_netlink && q.autobound) {
		fprintf(stderr, "listen: autobound cannot be replayed: a capture does not hold "
			"which ports the kernel chose\n");
		return -EOPNOTSUPP;
	}
	if (o->replay_netlink) {
		r = run_load_replay(o, run);
		if (r < 0)
			return r;
		r = (q.protocols & DIAG_PACKET)
			    ? packetdiag_replay(&q, run->replay, run->replay_len, socks) : 0;
		if (r == 0 && (q.protocols & DIAG_UNIX))
			r = unixdiag_replay(&q, run->replay, run->replay_len, socks);
		if (r == 0)
			r = diag_replay(&q, run->replay, run->replay_len, socks);
		if (r == 0 && (q.protocols & DIAG_VSOCK))
			r = vsockdiag_replay(&q, run->replay, run->replay_len, socks);
		if (r < 0) {
			fprintf(stderr, "listen: %s: %s\n", o->replay_netlink,
				r == -EBADMSG ? "not a valid netlink capture" : strerror(-r));
			return r;
		}
		return run_interfaces(o, run, &run->views[0]);
	}

	FILE *capture = NULL;

	if (o->dump_netlink) {
		int fd = fileio_create(o->dump_netlink);

		r = fd;
		if (fd >= 0 && !(capture = fdopen(fd, "wb"))) {
			r = -errno;
			close(fd);
		}
		if (capture && fputs(CAPTURE_MAGIC, capture) == EOF)
			r = -errno;
		if (r < 0) {
			fprintf(stderr, "listen: %s: %s\n", o->dump_netlink, fileio_strerror(r));
			if (capture)
				fclose(capture);
			return r;
		}
	}
	r = collect_views(run, capture, &q);
	if (r == 0 && capture) {
		/* A capture always holds the interfaces too, so its replay can name them. */
		r = ifaddr_collect(&run->views[0].ifs, capture);
		run->views[0].have_ifs = r == 0;
		if (r < 0 && r != -ENOMEM && r != -EIO) {
			fprintf(stderr, "listen: cannot dump interfaces: %s\n", strerror(-r));
			fclose(capture);
			return r;
		}
	}
	if (capture && fclose(capture) != 0 && r == 0)
		r = -EIO;
	if (r == -EPROTONOSUPPORT || r == -ENOENT)
		fprintf(stderr, "listen: the kernel has no sock_diag support for TCP/UDP (%s)\n",
			strerror(-r));
	else if (r == -EAGAIN || r == -EINTR)
		fprintf(stderr, "listen: the socket table kept changing during the dump; "
			"try again\n");
	else if (r == -EBADMSG)
		fprintf(stderr, "listen: cannot dump sockets: malformed sock_diag reply\n");
	else if (r < 0 && r != -EPERM && r != -EOPNOTSUPP) /* those said by collect_views */
		run_report("cannot dump sockets", r);
	return r;
}
