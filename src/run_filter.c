/* The names a user gives, looked up for the program layer: the filter's (services, devices,
 * hosts, the ephemeral range) before it is compiled for the kernel, and the allow-list's
 * (services, IP protocols). Prints its errors, as run.c does. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/bytecode.h"
#include "listen/fileio.h"
#include "listen/filter.h"
#include "listen/ifaddr.h"
#include "listen/ipproto.h"
#include "listen/services.h"
#include "run.h"

/* The /etc/services names (--services-file), read once. */
int run_load_etc_services(const struct listen_opts *o, struct run *run)
{
	int r = 0;

	if (!run->etc_loaded)
		r = svc_table_load(&run->services.etc,
				   o->services_file ? o->services_file : "/etc/services");
	run->etc_loaded = r == 0;
	return r;
}

/* Look-ups for the filter's names: services from /etc/services and the embedded table,
 * devices from the interfaces (the capture's when replaying), hosts from the resolver. */
struct resolver {
	const struct listen_opts *o;
	struct run *run;
	bool reported; /* a look-up printed its error */
};

int run_service_port(const struct listen_opts *o, struct run *run, const char *name,
		     unsigned protocols, uint16_t *port)
{
	int r = run_load_etc_services(o, run);

	return r < 0 ? r : svc_port_by_name(&run->services, name, protocols, port);
}

int run_ipproto_by_name(struct run *run, const char *name, uint8_t *proto)
{
	int r = ipproto_load(&run->ipprotos, "/etc/protocols");

	if (r < 0) {
		run_report("/etc/protocols", r);
		return r;
	}
	return ipproto_by_name(&run->ipprotos, name, proto);
}

static int resolve_service(void *ctx, const char *name, unsigned protocols, uint16_t *port)
{
	struct resolver *rs = ctx;

	return run_service_port(rs->o, rs->run, name, protocols, port);
}

static int resolve_device(void *ctx, const char *name, uint32_t *index)
{
	struct resolver *rs = ctx;
	/* In the namespace shown (the host's with --all-netns). */
	const struct ifaddr_table *t = &rs->run->views[0].ifs;
	int r = run_interfaces(rs->o, rs->run, &rs->run->views[0]);

	if (r < 0) {
		rs->reported = true;
		return r;
	}
	for (size_t i = 0; i < t->nlinks; i++) {
		if (strcmp(t->links[i].name, name) == 0) {
			*index = t->links[i].index;
			return 0;
		}
	}
	return -ENOENT;
}

static int resolve_host(void *ctx, const char *name, struct filter_prefix *out, size_t max,
			size_t *n)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	int e = getaddrinfo(name, NULL, &hints, &res);

	(void)ctx;
	if (e == EAI_MEMORY)
		return -ENOMEM;
	if (e == EAI_SYSTEM && fileio_exhausted(-errno))
		return -errno; /* not an unknown host: the resolver could not look */
	if (e)
		return -ENOENT;
	*n = 0;
	for (ai = res; ai && *n < max; ai = ai->ai_next) {
		struct filter_prefix p = { 0 };

		if (ai->ai_family == AF_INET) {
			const struct sockaddr_in *sin = (void *)ai->ai_addr;

			p.family = AF_INET;
			p.bits = 32;
			memcpy(p.addr, &sin->sin_addr, 4);
		} else if (ai->ai_family == AF_INET6) {
			const struct sockaddr_in6 *sin6 = (void *)ai->ai_addr;

			p.family = AF_INET6;
			p.bits = 128;
			memcpy(p.addr, &sin6->sin6_addr, 16);
		} else {
			continue;
		}
		bool seen = false;

		for (size_t k = 0; k < *n && !seen; k++)
			seen = memcmp(&out[k], &p, sizeof(p)) == 0;
		if (!seen)
			out[(*n)++] = p;
	}
	freeaddrinfo(res);
	return 0;
}

/* The ephemeral port range, for autobound: as ss reads it, from this process's namespace. */
static int resolve_ephemeral(void *ctx, uint16_t *lo, uint16_t *hi)
{
	struct resolver *rs = ctx;
	char *buf;
	size_t len;
	int r = fileio_read_all(rs->run->proc_dirfd, "sys/net/ipv4/ip_local_port_range", 4096,
				&buf, &len);

	if (r < 0)
		return fileio_exhausted(r) ? r : -ENOENT;
	r = svc_parse_port_range(buf, len, lo, hi) < 0 ? -ENOENT : 0;
	free(buf);
	return r;
}

/* Resolve the filter's names and compile it for the kernel. Prints its errors; returns 0,
 * -EINVAL for a bad filter (a usage error), or another negative errno. */
int run_prepare_filter(struct listen_opts *o, struct run *run)
{
	struct resolver rs = { o, run, false };
	struct filter_env env = { &rs, resolve_service, resolve_device, resolve_host,
				  resolve_ephemeral };
	struct filter_error err;
	int r = filter_resolve(&o->filter, &env, run->plan->query.protocols, &err);

	if (r == -EINVAL) {
		fprintf(stderr, "listen: filter: %s at word %u\n", err.msg, err.word);
		return r;
	}
	if (r == 0 && !o->no_bytecode)
		r = bytecode_compile(&o->filter, &run->bytecode, &run->bytecode_len);
	if (r < 0 && r != -EINVAL && !rs.reported)
		run_report("filter", r);
	return r;
}
