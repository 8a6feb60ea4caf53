/* libFuzzer harness: filter expressions. The bytes are split at NULs into arguments, parsed,
 * resolved with made-up look-ups, and compiled; the kernel's check must accept every program,
 * and the program and the userspace evaluator must agree on a set of sockets. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/bytecode.h"
#include "listen/filter.h"
#include "listen/sock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Names resolve by their first byte, so the fuzzer reaches every outcome. */
static int service(void *ctx, const char *name, unsigned protocols, uint16_t *port)
{
	(void)ctx;
	if (name[0] == 'x')
		return -ENOENT;
	if (name[0] == 'y' && protocols == 3)
		return -EEXIST;
	*port = (uint16_t)(name[0] * 257u);
	return 0;
}

static int device(void *ctx, const char *name, uint32_t *index)
{
	(void)ctx;
	if (name[0] == 'x')
		return -ENOENT;
	*index = (uint8_t)name[0] % 4;
	return 0;
}

static int host(void *ctx, const char *name, struct filter_prefix *out, size_t max, size_t *n)
{
	(void)ctx;
	(void)max;
	if (name[0] == 'x')
		return -ENOENT;
	out[0] = (struct filter_prefix){ .family = AF_INET, .bits = 32 };
	inet_pton(AF_INET, "127.0.0.1", out[0].addr);
	out[1] = (struct filter_prefix){ .family = AF_INET6, .bits = 128 };
	inet_pton(AF_INET6, "::1", out[1].addr);
	*n = name[0] == 'a' ? 1 : 2;
	return 0;
}

/* A narrow ephemeral range, so that autobound holds for some of the sockets. */
static int ephemeral(void *ctx, uint16_t *lo, uint16_t *hi)
{
	(void)ctx;
	*lo = 400;
	*hi = 40000;
	return 0;
}

static struct lsock sock(int family, const char *l, uint16_t lport, const char *r,
			 uint16_t rport, uint32_t ifindex)
{
	struct lsock sk = { .family = (uint8_t)family, .lport = lport, .rport = rport,
			    .ifindex = ifindex };

	inet_pton(family, l, sk.laddr);
	inet_pton(family, r, sk.raddr);
	return sk;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct filter_env env = { NULL, service, device, host, ephemeral };
	struct lsock socks[] = {
		sock(AF_INET, "127.0.0.1", 22, "0.0.0.0", 0, 0),
		sock(AF_INET, "10.1.2.3", 443, "10.9.9.9", 51000, 2),
		sock(AF_INET6, "::1", 631, "::1", 33416, 1),
		sock(AF_INET6, "::ffff:127.0.0.1", 8080, "::ffff:10.0.0.7", 40000, 0),
		sock(AF_INET6, "fe80::1", 0, "::", 65535, 3),
		sock(AF_INET, "0.0.0.0", 65535, "0.0.0.0", 1, 0),
		sock(AF_INET, "127.0.0.1", 33000, "127.0.0.1", 8080, 0), /* autobound below */
	};
	char *text = malloc(size + 1), *args[8];
	struct filter_error err;
	struct filter f;
	size_t nargs = 0;
	char out[256];

	if (!text)
		return 0;
	for (size_t i = 0; i < sizeof(socks) / sizeof(socks[0]); i++)
		socks[i].protocol = i % 2 ? IPPROTO_UDP : IPPROTO_TCP;
	socks[1].flags |= LSOCK_AUTOBOUND; /* port 443: in the range, the kernel chose it */
	socks[6].flags |= LSOCK_AUTOBOUND;
	memcpy(text, data, size);
	text[size] = '\0';
	/* Arguments at NULs, the last one taking the rest. */
	for (char *p = text; nargs < 8 && p <= text + size; p += strlen(p) + 1)
		args[nargs++] = p;
	if (filter_parse(&f, args, nargs, &err) == 0) {
		filter_format(&f, out, sizeof(out));
		if (filter_resolve(&f, &env, (unsigned)(size % 3) + 1, &err) == 0) {
			void *bc;
			size_t len;

			if (bytecode_compile(&f, &bc, &len) == 0) {
				if (bc && bytecode_check(bc, len) != 0)
					abort();
				for (size_t i = 0; bc && i < sizeof(socks) / sizeof(*socks);
				     i++) {
					bool kernel = bytecode_run(bc, len, &socks[i]);
					bool user = filter_match(&f, &socks[i]);

					/* Exact, but for the protocol of "53/udp", which the
					 * program cannot test: it may pass more. */
					if (user && !kernel)
						abort();
					if (kernel != user && !filter_has(&f, FILTER_PROTO))
						abort();
				}
				bytecode_format(bc, len, out, sizeof(out));
				free(bc);
			}
		} else if (!err.msg[0] || !err.word) {
			abort(); /* a resolution error names its word */
		}
		filter_free(&f);
	} else if (!err.msg[0] && err.word) {
		abort();
	}
	free(text);
	return 0;
}
