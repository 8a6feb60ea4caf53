/* -K: the sockets the run selected, closed with SOCK_DESTROY in their namespaces; and the loop
 * that asks the kernel about single sockets, each in its namespace. Program layer: it says
 * what it could not close, one line per socket. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "listen/addr.h"
#include "listen/destroy.h"
#include "listen/fileio.h"
#include "listen/netlink.h"
#include "listen/priv.h"
#include "listen/sock.h"
#include "run.h"

/* The sockets of one namespace to ask about, and what the kernel answered for each. */
struct ask_ns {
	struct run *run;
	uint16_t netns;
	const bool *want;  /* parallel to run->socks.v; NULL: every one */
	run_ask_fn *ask;
	int *result;       /* parallel to run->socks.v */
};

/* In the namespace: one request per socket of it, on one sock_diag socket. */
static int ask_in_ns(void *arg)
{
	struct ask_ns *k = arg;
	struct lsock_vec *v = &k->run->socks;
	uint32_t seq = (uint32_t)time(NULL);
	struct mnl_socket *nl = netlink_open(NETLINK_SOCK_DIAG);

	if (!nl)
		return -errno;
	for (size_t i = 0; i < v->len; i++)
		if (v->v[i].netns == k->netns && (!k->want || k->want[i]))
			k->result[i] = k->ask(nl, &v->v[i], ++seq);
	mnl_socket_close(nl);
	return 0;
}

int run_ask_each(struct run *run, const bool *want, run_ask_fn *ask, int *result)
{
	struct lsock_vec *v = &run->socks;
	int r = 0;

	for (size_t i = 0; i < run->nviews && r == 0; i++) {
		struct ask_ns k = { run, (uint16_t)i, want, ask, result };

		r = netns_call(&run->views[i].ns, ask_in_ns, &k);
		if (r < 0 && !fileio_exhausted(r)) {
			/* Not entered: none of its sockets was asked about. */
			for (size_t j = 0; j < v->len; j++)
				if (v->v[j].netns == i && (!want || want[j]))
					result[j] = r;
			r = 0;
		}
	}
	return r;
}

/* SOCK_DESTROY, with CAP_NET_ADMIN raised only for it. */
static int destroy_one(struct mnl_socket *nl, const struct lsock *sk, uint32_t seq)
{
	int r;

	priv_raise(PRIV_NETADMIN);
	r = destroy_socket(nl, sk, seq);
	priv_lower();
	return r;
}

/* "tcp ESTAB 127.0.0.1:5001 127.0.0.1:36278" for a message about sk; port 0 is "*", as ss
 * prints it. */
static void kill_describe(char *buf, size_t size, const struct lsock *sk)
{
	char l[ADDR_STRLEN], r[ADDR_STRLEN], lp[8] = "*", rp[8] = "*";
	bool v6only = (sk->flags & LSOCK_HAS_V6ONLY) && sk->v6only;

	addr_format(l, sk->family, sk->laddr, v6only);
	addr_format(r, sk->family, sk->raddr, v6only);
	if (sk->lport)
		snprintf(lp, sizeof(lp), "%u", sk->lport);
	if (sk->rport)
		snprintf(rp, sizeof(rp), "%u", sk->rport);
	snprintf(buf, size, "%s %s %s:%s %s:%s", lsock_protocol(sk), lsock_state_name(sk), l, lp,
		 r, rp);
}

int run_kill_check(void)
{
	/* Capabilities lent to listen (file capabilities, set-uid) are for looking: closing
	 * other users' connections with CAP_NET_ADMIN given to read rulesets would make any
	 * user who can run listen able to. */
	if (priv_raised()) {
		fprintf(stderr, "listen: -K closes sockets only with the caller's own privilege: "
			"not with capabilities or set-id lent to listen (run it as root)\n");
		return -EPERM;
	}
	if (priv_can(PRIV_NETADMIN))
		return 0;
	fprintf(stderr, "listen: -K closes sockets with the kernel's SOCK_DESTROY: %s\n",
		priv_advice(PRIV_NETADMIN));
	return -EPERM;
}

int run_kill(struct run *run, size_t *failed)
{
	struct lsock_vec *v = &run->socks;
	int *result = calloc(v->len ? v->len : 1, sizeof(*result));
	size_t kept = 0;
	int r;

	*failed = 0;
	if (!result) {
		run_report(NULL, -ENOMEM);
		return -ENOMEM;
	}
	r = run_ask_each(run, NULL, destroy_one, result);
	if (r < 0) {
		run_report("cannot close sockets", r);
		free(result);
		return r;
	}
	for (size_t i = 0; i < v->len; i++) {
		char what[160];

		if (result[i] == 0) {
			v->v[kept++] = v->v[i];
			continue;
		}
		kill_describe(what, sizeof(what), &v->v[i]);
		fprintf(stderr, "listen: not closed: %s: %s\n", what,
			destroy_strerror(&v->v[i], result[i]));
		(*failed)++;
	}
	v->len = kept;
	free(result);
	return 0;
}

int run_kill_dry(struct run *run, size_t *failed)
{
	struct lsock_vec *v = &run->socks;
	size_t kept = 0;

	*failed = 0;
	for (size_t i = 0; i < v->len; i++) {
		char what[160];

		if (destroy_request_possible(&v->v[i])) {
			v->v[kept++] = v->v[i];
			continue;
		}
		kill_describe(what, sizeof(what), &v->v[i]);
		fprintf(stderr, "listen: would not be closed: %s: %s\n", what,
			destroy_strerror(&v->v[i], -EOPNOTSUPP));
		(*failed)++;
	}
	v->len = kept;
	return 0;
}
