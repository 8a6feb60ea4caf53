/* The program layer's firewall step: each namespace's ruleset read inside it. Prints its
 * notices, once each. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "listen/fileio.h"
#include "listen/firewall.h"
#include "listen/netns.h"
#include "listen/priv.h"
#include "listen/scope.h"
#include "listen/sock.h"
#include "run.h"

/* Whether some socket of the run is a TCP or UDP listener beyond loopback (the rules say
 * nothing of raw and packet sockets: verdicts are not given for them). */
static bool any_exposed(const struct run *run)
{
	for (size_t i = 0; i < run->socks.len; i++) {
		const struct lsock *sk = &run->socks.v[i];
		bool v6only = (sk->flags & LSOCK_HAS_V6ONLY) && sk->v6only;

		if (lsock_is_inet_transport(sk) && lsock_is_listener(sk) &&
		    scope_exposed(scope_classify(sk->family, sk->laddr, v6only)))
			return true;
	}
	return false;
}

static int read_ruleset(void *view)
{
	struct ns_view *v = view;

	return fw_read(&v->fw);
}

/* Whether a ruleset filters or translates anything a listener's verdict depends on. */
static bool filters(const struct fw_ruleset *rs)
{
	for (size_t i = 0; i < rs->nchains; i++)
		if (rs->chains[i].hook == FW_HOOK_INPUT || rs->chains[i].hook == FW_HOOK_FORWARD ||
		    rs->chains[i].hook == FW_HOOK_PREROUTING)
			return true;
	return rs->legacy;
}

int run_find_firewall(const struct listen_opts *o, struct run *run)
{
	const char *legacy = NULL;
	int r = 0, denied = 0, failed = 0;

	if (!any_exposed(run))
		return 0;
	for (size_t i = 0; i < run->nviews && r == 0; i++) {
		struct ns_view *v = &run->views[i];

		r = netns_call(&v->ns, read_ruleset, v);
		if (r == -EPERM || r == -EACCES) {
			denied = r;
			r = 0;
			break; /* the same in every namespace */
		}
		if (r < 0 && !fileio_exhausted(r) && r != -ENOMEM) {
			fw_ruleset_free(&v->fw);
			failed = r;
			r = 0;
			continue;
		}
		v->have_fw = r == 0;
		if (r == 0)
			r = run_interfaces(o, run, v);
		run->fw_read |= v->have_fw;
		run->fw_filters |= v->have_fw && filters(&v->fw);
		if (v->have_fw && v->fw.legacy && !legacy)
			legacy = v->ns.label ? v->ns.label : "";
	}
	if (r < 0) {
		run_report("cannot read the firewall ruleset", r);
		return r;
	}
	run->fw_unread = denied || failed;
	if (run->said & RUN_SAID_FIREWALL)
		return 0; /* a watch's later look-ups: said already */
	run->said |= denied || failed || legacy ? RUN_SAID_FIREWALL : 0;
	if (denied)
		fprintf(stderr, "listen: the firewall ruleset needs CAP_NET_ADMIN to read, so no "
			"Reach verdicts: %s\n", priv_advice(PRIV_NETADMIN));
	else if (failed)
		fprintf(stderr, "listen: cannot read the firewall ruleset (%s): no Reach verdicts "
			"there\n", strerror(-failed));
	if (legacy)
		fprintf(stderr, "listen: iptables-legacy tables are loaded%s%s: their rules "
			"are not read, so every Reach verdict there is unknown\n",
			*legacy ? " in netns " : "", legacy);
	return 0;
}
