/* Unit tests of enrichment: fixture records in, the rows every view reads out. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "listen/activation.h"
#include "listen/cgroup.h"
#include "listen/enrich.h"
#include "listen/ifaddr.h"
#include "listen/plan.h"
#include "listen/procfs.h"
#include "listen/scope.h"
#include "listen/services.h"
#include "listen/sock.h"

static struct lsock sock(uint8_t proto, uint8_t state, const char *laddr, uint16_t lport,
			 uint16_t rport)
{
	struct lsock sk = { .family = AF_INET, .protocol = proto, .state = state, .lport = lport,
			    .rport = rport, .inode = 1000u + lport };

	inet_pton(AF_INET, laddr, sk.laddr);
	return sk;
}

/* Two namespaces' worth of records: the host's, and "web" (not the host's). */
static struct procfs_proc procs[1] = { { .pid = 812, .uid = 110, .name = "redis-server" } };
static struct procfs_owner owners[1] = { { .pid = 812, .fd = 6, .proc = 0 } };
static const struct svc_db db = { .eph_lo = 32768, .eph_hi = 60999 };
static const struct ifaddr_table no_ifs;
static const struct act_db no_units;
static const struct cgroup_paths no_cgroups;
static const struct scope_public web_public = { .public4 = true, .addr4 = { 203, 0, 113, 7 } };
static const struct enrich_ns ns[2] = {
	{ .label = NULL, .host = true, .ifs = &no_ifs },
	{ .label = "web", .inode = 4026532385u, .ifs = &no_ifs, .public = &web_public },
};

static struct enrich_src source(const struct plan *p, struct procfs_map *m)
{
	return (struct enrich_src){ .plan = p, .ns = ns, .services = &db, .owners = m,
				    .activation = &no_units, .cgroups = &no_cgroups };
}

/* A listener on every interface with a risky service and its holder; a loopback one; a
 * client's connection named by the peer's port. */
static void listeners_and_clients(void **state)
{
	struct plan p = { .owners = true, .services = true, .port_names = true, .scope = true };
	struct procfs_map m = { .procs = procs, .nprocs = 1, .owners = owners, .nowners = 1 };
	struct enrich_src src = source(&p, &m);
	struct lsock redis = sock(IPPROTO_TCP, LSOCK_LISTEN, "0.0.0.0", 6379, 0);
	struct lsock pg = sock(IPPROTO_TCP, LSOCK_LISTEN, "127.0.0.1", 5432, 0);
	struct lsock client = sock(IPPROTO_TCP, LSOCK_ESTABLISHED, "10.0.0.5", 40000, 443);
	struct enrich_names names;
	struct out_row r;

	(void)state;
	redis.owner_count = 1;
	r = enrich_row(&src, &redis, &names);
	assert_ptr_equal(r.sk, &redis);
	assert_string_equal(r.service, "redis");
	assert_int_equal(r.scope, SCOPE_ALL);
	assert_true(r.exposed && r.warn);
	assert_int_equal(r.nowners, 1);
	assert_ptr_equal(r.owners, owners);
	assert_ptr_equal(r.procs, procs);
	assert_false(r.owners_unknown || r.netns_other);
	assert_null(r.netns);
	assert_null(r.ifname);
	r = enrich_row(&src, &pg, &names);
	assert_int_equal(r.scope, SCOPE_LOOPBACK);
	assert_false(r.exposed || r.warn);
	assert_null(r.owners);
	r = enrich_row(&src, &client, &names);
	assert_string_equal(r.service, "https");
	assert_true(r.service_peer);
	assert_false(r.exposed || r.warn);
	/* --no-services: no name, no warning. */
	p.services = false;
	r = enrich_row(&src, &redis, &names);
	assert_null(r.service);
	assert_false(r.warn);
	assert_true(r.exposed);
}

/* Holders not found while some processes could not be read are unknown, not absent; a device
 * the interfaces do not name is shown by number; another namespace's rows say so and carry
 * its public addresses. */
static void unknowns_devices_namespaces(void **state)
{
	struct plan p = { .owners = true, .services = true, .port_names = true, .scope = true };
	struct procfs_map m = { .procs = procs, .nprocs = 1, .denied = 3 };
	struct enrich_src src = source(&p, &m);
	struct lsock sk = sock(IPPROTO_TCP, LSOCK_LISTEN, "0.0.0.0", 8080, 0);
	struct enrich_names names;
	struct out_row r;

	(void)state;
	sk.ifindex = 7;
	r = enrich_row(&src, &sk, &names);
	assert_true(r.owners_unknown);
	assert_string_equal(r.ifname, "if7");
	m.denied = 0;
	m.hidden = true; /* hidepid */
	assert_true(enrich_row(&src, &sk, &names).owners_unknown);
	p.owners = false; /* no -p: nothing was looked for */
	assert_false(enrich_row(&src, &sk, &names).owners_unknown);
	sk.ifindex = 0;
	sk.netns = 1;
	r = enrich_row(&src, &sk, &names);
	assert_string_equal(r.netns, "web");
	assert_int_equal(r.netns_inode, 4026532385u);
	assert_true(r.netns_other);
	assert_ptr_equal(r.reach, &web_public);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(listeners_and_clients),
		cmocka_unit_test(unknowns_devices_namespaces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
