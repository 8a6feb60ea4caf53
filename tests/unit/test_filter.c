/* Unit tests of filter expressions: parsing, errors, resolution, matching, and the bytecode
 * compiled from them, run by an interpreter that mirrors the kernel's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/bytecode.h"
#include "listen/filter.h"
#include "listen/sock.h"

static int parse1(struct filter *f, const char *text, struct filter_error *err)
{
	char *args[1] = { (char *)text };

	return filter_parse(f, args, 1, err);
}

/* Parse text and return the tree written back; fails the test on a parse error. */
static const char *tree(const char *text)
{
	static char buf[1024];
	struct filter_error err;
	struct filter f;
	int r = parse1(&f, text, &err);

	if (r != 0)
		fail_msg("'%s': %s at word %u", text, err.msg, err.word);
	filter_format(&f, buf, sizeof(buf));
	filter_free(&f);
	return buf;
}

/* Parse text, expecting an error; returns "MSG @WORD". */
static const char *error(const char *text)
{
	static char buf[300];
	struct filter_error err;
	struct filter f;

	if (parse1(&f, text, &err) != -EINVAL)
		fail_msg("'%s' parsed", text);
	snprintf(buf, sizeof(buf), "%s @%u", err.msg, err.word);
	filter_free(&f);
	return buf;
}

static void operators(void **state)
{
	(void)state;
	assert_string_equal(tree("sport = :22"), "sport = :22");
	assert_string_equal(tree("sport == 22"), "sport = :22");
	assert_string_equal(tree("sport eq :22"), "sport = :22");
	assert_string_equal(tree("sport :22"), "sport = :22");
	assert_string_equal(tree("dport != :22"), "dport != :22");
	assert_string_equal(tree("dport ne :22"), "dport != :22");
	assert_string_equal(tree("dport neq :22"), "dport != :22");
	assert_string_equal(tree("sport < :1024"), "sport < :1024");
	assert_string_equal(tree("sport lt :1024"), "sport < :1024");
	assert_string_equal(tree("sport <= :1024"), "sport <= :1024");
	assert_string_equal(tree("sport le :1024"), "sport <= :1024");
	assert_string_equal(tree("sport leq :1024"), "sport <= :1024");
	assert_string_equal(tree("sport > :1024"), "sport > :1024");
	assert_string_equal(tree("sport gt :1024"), "sport > :1024");
	assert_string_equal(tree("sport >= :1024"), "sport >= :1024");
	assert_string_equal(tree("sport ge :1024"), "sport >= :1024");
	assert_string_equal(tree("sport geq :1024"), "sport >= :1024");
	assert_string_equal(tree("sport = :*"), "sport = :*");
	assert_string_equal(tree("sport = :http"), "sport = :http");
	assert_string_equal(tree(""), ""); /* nothing at all */
	assert_string_equal(tree("sport = :1 and sport = :2"), "sport = :1 and sport = :2");
	assert_string_equal(tree("sport = :1 && sport = :2 & sport = :3"),
			    "sport = :1 and sport = :2 and sport = :3");
	assert_string_equal(tree("sport = :1 or sport = :2 || sport = :3 | sport = :4"),
			    "sport = :1 or sport = :2 or sport = :3 or sport = :4");
	assert_string_equal(tree("not sport = :1"), "not sport = :1");
	assert_string_equal(tree("! sport = :1"), "not sport = :1");
	assert_string_equal(tree("sport = :1 dport = :2"), "sport = :1 and dport = :2");
}

static void precedence(void **state)
{
	(void)state;
	/* ss reads and/or left to right, with no precedence between them. */
	assert_string_equal(tree("sport = :1 or sport = :2 and sport = :3"),
			    "(sport = :1 or sport = :2) and sport = :3");
	assert_string_equal(tree("sport = :1 and sport = :2 or sport = :3"),
			    "(sport = :1 and sport = :2) or sport = :3");
	assert_string_equal(tree("sport = :1 or sport = :2 sport = :3"),
			    "(sport = :1 or sport = :2) and sport = :3");
	assert_string_equal(tree("sport = :1 or ( sport = :2 and sport = :3 )"),
			    "sport = :1 or (sport = :2 and sport = :3)");
	assert_string_equal(tree("(sport = :1 or sport = :2) and (dport = :3)"),
			    "(sport = :1 or sport = :2) and dport = :3");
	/* not takes one term. */
	assert_string_equal(tree("not sport = :1 or sport = :2"), "not sport = :1 or sport = :2");
	assert_string_equal(tree("not ( sport = :1 or sport = :2 )"),
			    "not (sport = :1 or sport = :2)");
	assert_string_equal(tree("not not sport = :1"), "not not sport = :1");
	assert_string_equal(tree("((sport = :1))"), "sport = :1");
}

static void addresses(void **state)
{
	(void)state;
	assert_string_equal(tree("src 127.0.0.1"), "src 127.0.0.1/32:*");
	assert_string_equal(tree("src = 10.0.0.0/8"), "src 10.0.0.0/8:*");
	assert_string_equal(tree("dst 10.0.0.0/8:22"), "dst 10.0.0.0/8:22");
	assert_string_equal(tree("src 127.0.0.1:ssh"), "src 127.0.0.1/32:ssh");
	assert_string_equal(tree("src [::1]"), "src [::1]/128:*");
	assert_string_equal(tree("src [::1]:22"), "src [::1]/128:22");
	assert_string_equal(tree("src [fe80::]/10"), "src [fe80::]/10:*");
	assert_string_equal(tree("src fe80::/10"), "src [fe80::]/10:*");
	assert_string_equal(tree("src ::1"), "src [::1]/128:*");
	assert_string_equal(tree("src fe80::1:22"), "src [fe80::1]/128:22");
	assert_string_equal(tree("src ::ffff:127.0.0.1"), "src [::ffff:127.0.0.1]/128:*");
	assert_string_equal(tree("src *"), "src *:*");
	assert_string_equal(tree("src *:22"), "src *:22");
	assert_string_equal(tree("src :22"), "src *:22");
	assert_string_equal(tree("src localhost"), "src localhost:*");
	assert_string_equal(tree("dst localhost:http"), "dst localhost:http");
	assert_string_equal(tree("src != 127.0.0.1"), "not src 127.0.0.1/32:*");
	assert_string_equal(tree("dev = lo"), "dev = lo");
	assert_string_equal(tree("dev lo"), "dev = lo");
	assert_string_equal(tree("dev != 2"), "not dev = 2");
}

static void words(void **state)
{
	struct filter_error err;
	struct filter f;
	char *args[] = { "state", "listening", "sport = :22 or", "( dport = :80)" };
	char buf[200];

	(void)state;
	assert_int_equal(filter_parse(&f, args, 4, &err), 0);
	filter_format(&f, buf, sizeof(buf));
	assert_string_equal(buf, "sport = :22 or dport = :80");
	assert_true(f.states_given);
	assert_int_equal(f.states, 1u << LSOCK_LISTEN);
	filter_free(&f);
	/* '#' comments, as in a -F file. */
	assert_string_equal(tree("# rules\nsport = :22 # ssh\n or sport = :80\n"),
			    "sport = :22 or sport = :80");
	/* Parentheses touching words split off. */
	assert_string_equal(tree("(sport = :1 or sport = :2)"), "sport = :1 or sport = :2");
}

static void states(void **state)
{
	struct filter_error err;
	struct filter f;

	(void)state;
	assert_int_equal(parse1(&f, "state established state time-wait", &err), 0);
	assert_int_equal(f.states, (1u << LSOCK_ESTABLISHED) | (1u << LSOCK_TIME_WAIT));
	assert_int_equal(f.root, FILTER_NONE);
	filter_free(&f);
	assert_int_equal(parse1(&f, "exclude listening exclude closed", &err), 0);
	assert_int_equal(f.states,
			 LSOCK_STATES_ALL & ~((1u << LSOCK_LISTEN) | (1u << LSOCK_CLOSE)));
	filter_free(&f);
	assert_int_equal(parse1(&f, "state connected exclude established", &err), 0);
	assert_int_equal(f.states, LSOCK_STATES_ALL & ~((1u << LSOCK_LISTEN) | (1u << LSOCK_CLOSE) |
							 (1u << LSOCK_ESTABLISHED)));
	filter_free(&f);
	assert_int_equal(filter_state_mask("LISTENING"), 1u << LSOCK_LISTEN);
	assert_int_equal(filter_state_mask("syn-recv"), 1u << LSOCK_SYN_RECV);
	assert_int_equal(filter_state_mask("bucket"),
			 (1u << LSOCK_SYN_RECV) | (1u << LSOCK_TIME_WAIT));
	assert_int_equal(filter_state_mask("synchronized"),
			 LSOCK_STATES_ALL & ~((1u << LSOCK_CLOSE) | (1u << LSOCK_LISTEN) |
					      (1u << LSOCK_SYN_SENT)));
	assert_int_equal(filter_state_mask("big"),
			 LSOCK_STATES_ALL & ~((1u << LSOCK_SYN_RECV) | (1u << LSOCK_TIME_WAIT)));
	assert_int_equal(filter_state_mask("all"), LSOCK_STATES_ALL);
	assert_int_equal(filter_state_mask("listen"), 0);
}

static void ports(void **state)
{
	struct filter_error err;
	struct filter f;

	(void)state;
	assert_int_equal(parse1(&f, ":8080", &err), 0);
	assert_true(f.ports);
	assert_string_equal(f.port_text, ":8080");
	filter_free(&f);
	assert_string_equal(tree("8080"), "sport = :8080");
	assert_string_equal(tree(":80,443"), "sport = :80 or sport = :443");
	assert_string_equal(tree(":8000-8100"), "sport >= :8000 and sport <= :8100");
	assert_string_equal(tree(":22,8000-8100,http"),
			    "sport = :22 or (sport >= :8000 and sport <= :8100) or sport = :http");
	assert_string_equal(tree(":8080 src 127.0.0.1"), "sport = :8080 and src 127.0.0.1/32:*");
	assert_string_equal(tree("state listening :80,443"), "sport = :80 or sport = :443");
	assert_string_equal(error(":8100-8000"), "bad port range '8100-8000' @1");
	assert_string_equal(error(":80,,443"), "empty item in the port list @1");
	assert_string_equal(error(":70000"), "port 70000 is out of range (0-65535) @1");
	assert_string_equal(error(":*"), "'*' is every port; give a port number or name @1");
	assert_string_equal(error("sport = :22 :80"),
			    "a port list (':80') must come first; or use 'sport = :80' @4");
	/* fuser's PORT/PROTO: the port of that protocol; several words are alternatives. */
	assert_int_equal(parse1(&f, "8080/tcp", &err), 0);
	assert_true(f.ports);
	assert_int_equal(f.port_protocols, 1);
	filter_free(&f);
	assert_string_equal(tree("8080/tcp"), "sport = :8080 and protocol tcp");
	assert_string_equal(tree("53/UDP"), "sport = :53 and protocol udp");
	assert_string_equal(tree(":ssh/tcp"), "sport = :ssh and protocol tcp");
	assert_string_equal(tree("8000-8100/udp"),
			    "(sport >= :8000 and sport <= :8100) and protocol udp");
	assert_string_equal(tree("8080/tcp,53/udp"),
			    "(sport = :8080 and protocol tcp) or (sport = :53 and protocol udp)");
	assert_string_equal(tree("8080/tcp 53/udp"),
			    "(sport = :8080 and protocol tcp) or (sport = :53 and protocol udp)");
	assert_string_equal(tree("ssh/tcp src 127.0.0.1"),
			    "(sport = :ssh and protocol tcp) and src 127.0.0.1/32:*");
	assert_string_equal(tree(":80 443"), "sport = :80 or sport = :443");
	char *args[2] = { "8080/tcp", "53/udp" };

	assert_int_equal(filter_parse(&f, args, 2, &err), 0);
	assert_string_equal(f.port_text, "8080/tcp 53/udp");
	assert_int_equal(f.port_protocols, 3);
	filter_free(&f);
	/* A word without a protocol is both protocols: nothing narrows the dump. */
	assert_int_equal(parse1(&f, "8080/tcp 53", &err), 0);
	assert_int_equal(f.port_protocols, 0);
	filter_free(&f);
	assert_int_equal(parse1(&f, ":8080", &err), 0);
	assert_int_equal(f.port_protocols, 0);
	filter_free(&f);
	/* An address with a prefix length is not a port. */
	assert_string_equal(tree("src 10.0.0.0/8"), "src 10.0.0.0/8:*");
	assert_string_equal(error("8080/sctp"),
			    "'8080/sctp': the protocol after '/' is tcp or udp @1");
	assert_string_equal(error("8080/tcp,53/ip"),
			    "'53/ip': the protocol after '/' is tcp or udp @1");
	assert_string_equal(error("/tcp"), "a port goes before '/tcp' ('8080/tcp', 'ssh/tcp') @1");
	assert_string_equal(error("80/tcp,/udp"),
			    "a port goes before '/udp' ('8080/udp', 'ssh/udp') @1");
	assert_string_equal(error("99999/tcp"), "port 99999 is out of range (0-65535) @1");
	assert_string_equal(error("80,443/tcp"), "'80,443/tcp': give every port of the list its "
			    "protocol ('80/tcp,443/tcp') or none @1");
	assert_string_equal(error("80/tcp 443 8,x/udp"), "'8,x/udp': give every port of the list "
			    "its protocol ('80/tcp,443/tcp') or none @3");
}

static void errors(void **state)
{
	(void)state;
	assert_string_equal(error("sport ="), "expected a port after 'sport =' @3");
	assert_string_equal(error("sport = and dport = :1"), "expected a port after 'sport =' @3");
	assert_string_equal(error("sport"), "expected a port after 'sport' @2");
	assert_string_equal(error("src"), "expected an address after 'src' @2");
	assert_string_equal(error("dev ="), "expected a device after 'dev =' @3");
	assert_string_equal(error("sport = :99999"), "port 99999 is out of range (0-65535) @3");
	assert_string_equal(error("sport = :010"), "'010' is not a port: write it in decimal "
			    "(ss would read 010 as octal, 8) @3");
	assert_string_equal(error("src < 1.2.3.4"),
			    "'src <' compares ports; src takes '=' or '!=' @2");
	assert_string_equal(error("src 1.2.3.4/33"), "bad prefix length '/33' for IPv4 (0-32) @2");
	assert_string_equal(error("src [::1]/129"), "bad prefix length '/129' for IPv6 (0-128) @2");
	assert_string_equal(error("src [::1"), "missing ']' in '[::1' @2");
	assert_string_equal(error("src 1.2.3.4.5/8"), "'1.2.3.4.5' is not an address @2");
	assert_string_equal(error("src a%b"), "'a%b' is not an address @2");
	assert_string_equal(error("sport = :22 and"), "expected a condition after 'and' @5");
	assert_string_equal(error("or sport = :22"), "'or' needs a condition before it @1");
	assert_string_equal(error("not"), "expected a condition after 'not' @2");
	assert_string_equal(error("( sport = :22"), "missing ')' for this '(' @1");
	assert_string_equal(error("sport = :22 )"), "unexpected ')' @4");
	assert_string_equal(error("( )"), "empty parentheses @2");
	assert_string_equal(error("sport = :1 ("), "expected a condition after '(' @5");
	assert_string_equal(error("spurt = :22"),
			    "unknown word 'spurt': "
			    "expected sport, dport, src, dst, dev, not or '(' @1");
	assert_string_equal(error("fwmark = 1"),
			    "'fwmark' is not supported: "
			    "only sport, dport, src, dst, dev and autobound @1");
	assert_string_equal(error("sport = :22 state listening"),
			    "'state' clauses go before the expression @4");
	assert_string_equal(error("state"), "expected a state after 'state' @2");
	assert_string_equal(error("state listen"),
			    "unknown state 'listen' (see 'man listen': FILTERS) @2");
	assert_string_equal(error("dev a/b"), "'a/b' is not a device name @2");
	/* Control bytes never reach a message. */
	assert_string_equal(error("\x1b[2J"),
			    "unknown word '?[2J': "
			    "expected sport, dport, src, dst, dev, not or '(' @1");
}

/* A string of n copies of unit, then tail. */
static char *repeat(const char *unit, size_t n, const char *tail)
{
	size_t ulen = strlen(unit), len = 0;
	char *s = malloc(n * ulen + strlen(tail) + 1);

	if (!s)
		abort();
	for (size_t i = 0; i < n; i++, len += ulen)
		memcpy(s + len, unit, ulen);
	strcpy(s + len, tail);
	return s;
}

/* Alternating and/or, left to right, n times: "sport = :0 or sport = :1 and ...". */
static char *chain(size_t n)
{
	char *s = malloc(n * 32 + 16);
	size_t len;

	if (!s)
		abort();
	len = (size_t)sprintf(s, "sport = :0");

	for (size_t i = 1; i <= n; i++)
		len += (size_t)sprintf(s + len, " %s sport = :%zu", i % 2 ? "or" : "and", i);
	return s;
}

static void depth(void **state)
{
	struct filter_error err;
	struct filter f;
	char *text;
	void *bc;
	size_t len;

	(void)state;
	/* Nesting counts parentheses and nots, up to 1000. */
	text = repeat("( ", 1000, "sport = :1");
	assert_int_equal(parse1(&f, text, &err), -EINVAL);
	assert_string_equal(err.msg, "missing ')' for this '('"); /* parsed that deep */
	free(text);
	text = repeat("( ", 1001, "sport = :1");
	assert_int_equal(parse1(&f, text, &err), -EINVAL);
	assert_string_equal(err.msg,
			    "expression nested more than 1000 deep (parentheses and nots)");
	free(text);
	text = repeat("not ", 1001, "sport = :1");
	assert_int_equal(parse1(&f, text, &err), -EINVAL);
	assert_int_equal(err.word, 1001);
	free(text);
	/* Left-to-right chaining is not nesting: 101 alternations, and 9999. */
	text = chain(101);
	assert_int_equal(parse1(&f, text, &err), 0);
	filter_free(&f);
	free(text);
	text = chain(9999);
	assert_int_equal(parse1(&f, text, &err), 0);
	struct lsock sk = { .family = AF_INET, .lport = 9999 };

	assert_true(filter_match(&f, &sk)); /* the last term is "or sport = :9999" */
	sk.lport = 1;
	assert_false(filter_match(&f, &sk));
	/* Past 64 KiB of bytecode, none: userspace alone filters. */
	assert_int_equal(bytecode_compile(&f, &bc, &len), 0);
	assert_null(bc);
	filter_free(&f);
	free(text);
	text = chain(2000);
	assert_int_equal(parse1(&f, text, &err), 0);
	assert_int_equal(bytecode_compile(&f, &bc, &len), 0);
	assert_non_null(bc);
	assert_int_equal(bytecode_check(bc, len), 0);
	for (sk.lport = 0; sk.lport < 2100; sk.lport++)
		assert_int_equal(bytecode_run(bc, len, &sk), filter_match(&f, &sk));
	free(bc);
	filter_free(&f);
	free(text);
	/* A bound still, so that no expression exhausts the stack. */
	text = chain(10001);
	assert_int_equal(parse1(&f, text, &err), -EINVAL);
	assert_string_equal(err.msg, "expression more than 10000 levels deep (each switch between "
			    "'and' and 'or' adds one)");
	free(text);
	/* A long run of one operator is one node, however long. */
	text = malloc(20000 * 24);
	len = 0;
	for (size_t i = 0; i < 20000; i++)
		len += (size_t)sprintf(text + len, "%ssport = :%zu", i ? " or " : "", i);
	assert_int_equal(parse1(&f, text, &err), 0);
	assert_int_equal(f.nodes[f.root].count, 20000);
	filter_free(&f);
	free(text);
}

static int fake_service(void *ctx, const char *name, unsigned protocols, uint16_t *port)
{
	(void)ctx;
	if (strcmp(name, "ssh") == 0)
		*port = 22;
	else if (strcmp(name, "split") == 0 && protocols == 3)
		return -EEXIST;
	else if (strcmp(name, "split") == 0)
		*port = protocols == 1 ? 100 : 200;
	else
		return -ENOENT;
	return 0;
}

static int fake_device(void *ctx, const char *name, uint32_t *index)
{
	(void)ctx;
	if (strcmp(name, "lo") != 0)
		return -ENOENT;
	*index = 1;
	return 0;
}

static int fake_host(void *ctx, const char *name, struct filter_prefix *out, size_t max,
		     size_t *n)
{
	(void)ctx;
	(void)max;
	if (strcmp(name, "localhost") != 0)
		return -ENOENT;
	out[0] = (struct filter_prefix){ .family = AF_INET, .bits = 32 };
	inet_pton(AF_INET, "127.0.0.1", out[0].addr);
	out[1] = (struct filter_prefix){ .family = AF_INET6, .bits = 128 };
	inet_pton(AF_INET6, "::1", out[1].addr);
	*n = 2;
	return 0;
}

static int fake_ephemeral(void *ctx, uint16_t *lo, uint16_t *hi)
{
	(void)ctx;
	*lo = 1000;
	*hi = 2000;
	return 0;
}

static const struct filter_env env = { NULL, fake_service, fake_device, fake_host,
				       fake_ephemeral };

/* Parse and resolve for protocols; "" when fine, else "MSG @WORD". */
static const char *resolve(struct filter *f, const char *text, unsigned protocols)
{
	static char buf[300];
	struct filter_error err;

	buf[0] = '\0';
	assert_int_equal(parse1(f, text, &err), 0);
	if (filter_resolve(f, &env, protocols, &err) < 0)
		snprintf(buf, sizeof(buf), "%s @%u", err.msg, err.word);
	return buf;
}

static void resolution(void **state)
{
	struct filter f;
	char buf[300];

	(void)state;
	assert_string_equal(resolve(&f, "sport = :ssh or src localhost:ssh or dev lo", 3), "");
	filter_format(&f, buf, sizeof(buf));
	assert_string_equal(buf, "sport = :22 or src 127.0.0.1/32,[::1]/128:22 or dev = 1");
	filter_free(&f);
	assert_string_equal(resolve(&f, ":split", 1), "");
	filter_format(&f, buf, sizeof(buf));
	assert_string_equal(buf, "sport = :100");
	filter_free(&f);
	/* fuser's NAME/PROTO resolves for that protocol, whatever the selection's. */
	assert_string_equal(resolve(&f, "split/tcp,split/udp", 3), "");
	filter_format(&f, buf, sizeof(buf));
	assert_string_equal(buf,
			    "(sport = :100 and protocol tcp) or (sport = :200 and protocol udp)");
	filter_free(&f);
	assert_string_equal(resolve(&f, "x/tcp", 3), "unknown service 'x' @1");
	filter_free(&f);
	assert_string_equal(resolve(&f, "sport = :nope", 3), "unknown service 'nope' @3");
	filter_free(&f);
	assert_string_equal(resolve(&f, "src 1.2.3.4 or sport = :split", 3),
			    "service 'split' has different TCP and UDP ports; give the number or "
			    "pick -t or -u @6");
	filter_free(&f);
	assert_string_equal(resolve(&f, "dev eth9", 3), "no device 'eth9' @2");
	filter_free(&f);
	assert_string_equal(resolve(&f, "dst example.invalid", 3),
			    "cannot resolve host 'example.invalid' @2");
	filter_free(&f);
}

/* A few sockets covering families, mapped addresses, ports and devices. */
static struct lsock sample(int family, const char *laddr, uint16_t lport, const char *raddr,
			   uint16_t rport, uint32_t ifindex)
{
	struct lsock sk = { .family = (uint8_t)family, .protocol = 6, .state = LSOCK_LISTEN,
			    .lport = lport, .rport = rport, .ifindex = ifindex };

	inet_pton(family, laddr, sk.laddr);
	inet_pton(family, raddr, sk.raddr);
	return sk;
}

static struct lsock samples[12];

static void make_samples(void)
{
	samples[0] = sample(AF_INET, "127.0.0.1", 22, "0.0.0.0", 0, 0);
	samples[1] = sample(AF_INET, "0.0.0.0", 80, "0.0.0.0", 0, 0);
	samples[2] = sample(AF_INET, "10.1.2.3", 443, "10.9.9.9", 51000, 0);
	samples[3] = sample(AF_INET6, "::1", 22, "::", 0, 0);
	samples[4] = sample(AF_INET6, "::", 8080, "::", 0, 0);
	samples[5] = sample(AF_INET6, "::ffff:127.0.0.1", 5432, "::ffff:10.0.0.7", 40000, 0);
	samples[6] = sample(AF_INET6, "fe80::1", 53, "::", 0, 2);
	samples[7] = sample(AF_INET, "127.0.0.53", 53, "0.0.0.0", 0, 1);
	samples[8] = sample(AF_INET, "192.168.1.1", 1023, "192.168.1.2", 1024, 0);
	samples[9] = sample(AF_INET6, "2001:db8::5", 65535, "2001:db8::6", 1, 3);
	samples[10] = sample(AF_INET, "127.0.0.1", 0, "127.0.0.1", 65535, 0);
	samples[11] = sample(AF_INET6, "::ffff:10.1.2.3", 1024, "::", 0, 0);
	samples[6].protocol = samples[7].protocol = IPPROTO_UDP; /* port 53 */
	/* Ports the kernel chose: 1023 in the test's ephemeral range (1000-2000), 443 not. */
	samples[8].flags |= LSOCK_AUTOBOUND;
	samples[2].flags |= LSOCK_AUTOBOUND;
}

/* Which samples a filter selects, as a string of 0/1. */
static const char *selects(const char *text)
{
	static char bits[sizeof(samples) / sizeof(samples[0]) + 1];
	struct filter f;

	assert_string_equal(resolve(&f, text, 3), "");
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
		bits[i] = filter_match(&f, &samples[i]) ? '1' : '0';
	bits[sizeof(samples) / sizeof(samples[0])] = '\0';
	filter_free(&f);
	return bits;
}

static void matching(void **state)
{
	(void)state;
	make_samples();
	assert_string_equal(selects(""), "111111111111");
	assert_string_equal(selects("sport = :22"), "100100000000");
	assert_string_equal(selects("sport != :22"), "011011111111");
	assert_string_equal(selects("sport = :*"), "111111111111");
	assert_string_equal(selects("sport != :*"), "000000000000");
	assert_string_equal(selects("sport < :1023"), "111100110010");
	assert_string_equal(selects("sport <= :1023"), "111100111010");
	assert_string_equal(selects("sport > :1023"), "000011000101");
	assert_string_equal(selects("sport >= :1024"), "000011000101");
	assert_string_equal(selects("dport >= :40000"), "001001000010");
	assert_string_equal(selects("dport = :0"), "110110110001");
	/* IPv4 prefixes match IPv4-mapped IPv6 sockets; IPv6 ones only IPv6. */
	assert_string_equal(selects("src 127.0.0.1"), "100001000010");
	assert_string_equal(selects("src 127.0.0.0/8"), "100001010010");
	assert_string_equal(selects("src 10.0.0.0/8"), "001000000001");
	assert_string_equal(selects("dst 10.0.0.0/8"), "001001000000");
	assert_string_equal(selects("src 0.0.0.0/0"), "111001011011");
	assert_string_equal(selects("src [::]/0"), "000111100101");
	assert_string_equal(selects("src [::ffff:127.0.0.1]"), "000001000000");
	assert_string_equal(selects("src [fe80::]/10"), "000000100000");
	assert_string_equal(selects("src *:22"), "100100000000");
	assert_string_equal(selects("src 127.0.0.1:22"), "100000000000");
	assert_string_equal(selects("src localhost"), "100101000010");
	assert_string_equal(selects("dev = lo"), "000000010000");
	assert_string_equal(selects("dev != 0"), "000000110100");
	assert_string_equal(selects("dev = 0"), "111111001011");
	assert_string_equal(selects("not src 127.0.0.0/8 and sport < :1024"), "011100101000");
	assert_string_equal(selects("sport = :22 or sport = :80 and src 0.0.0.0/0"),
			    "110000000000");
	assert_string_equal(selects(":22,8000-9000"), "100110000000");
	assert_string_equal(selects("22/tcp"), "100100000000");
	assert_string_equal(selects("53/udp"), "000000110000");
	assert_string_equal(selects(":53"), "000000110000");
	assert_string_equal(selects("53/tcp"), "000000000000");
	assert_string_equal(selects("22/udp"), "000000000000");
	assert_string_equal(selects("22/tcp,53/udp"), "100100110000");
	assert_string_equal(selects("22/udp 53/udp 8080"), "000010110000");
	/* ss's words: autobound, every address, a comparison with any port. */
	assert_string_equal(selects("autobound"), "000000001000");
	assert_string_equal(selects("not autobound"), "111111110111");
	assert_string_equal(selects("src any"), "111111111111");
	assert_string_equal(selects("src all:22"), "100100000000");
	assert_string_equal(selects("dst default"), "111111111111");
	assert_string_equal(selects("sport < :*"), "000000000000");
	assert_string_equal(selects("sport <= *"), "000000000000");
	assert_string_equal(selects("dport > :*"), "000000000000");
	assert_string_equal(selects("dport >= :*"), "000000000000");
	assert_string_equal(selects("not sport > :*"), "111111111111");
	assert_string_equal(selects("dev 3"), "000000000100");
}

/* Compile text, check the program as the kernel would, and compare what it selects with
 * filter_match on every sample. Returns the program decoded, for the cases that check it. */
static const char *compiled(const char *text)
{
	static char out[4096];
	struct filter f;
	void *bc;
	size_t len;

	make_samples();
	assert_string_equal(resolve(&f, text, 3), "");
	assert_int_equal(bytecode_compile(&f, &bc, &len), 0);
	if (bc)
		assert_int_equal(bytecode_check(bc, len), 0);
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		bool kernel = !bc || bytecode_run(bc, len, &samples[i]);
		bool user = filter_match(&f, &samples[i]);

		/* The program cannot test the protocol of "53/udp": more may pass it. */
		if (kernel != user && (!kernel || !filter_has(&f, FILTER_PROTO)))
			fail_msg("'%s' on sample %zu: kernel %d, userspace %d", text, i, kernel,
				 user);
	}
	bytecode_format(bc, len, out, sizeof(out));
	free(bc);
	filter_free(&f);
	return out;
}

static void bytecode(void **state)
{
	static const char *const exprs[] = {
		"sport = :22", "sport != :22", "sport < :1023", "sport <= :1023", "sport > :1023",
		"sport >= :1024", "dport = :0", "dport != :0", "dport < :1", "dport > :40000",
		"src 127.0.0.1", "src 127.0.0.0/8", "src 10.0.0.0/8", "dst 10.0.0.0/8",
		"src 0.0.0.0/0", "src [::]/0", "src [::ffff:127.0.0.1]", "src [fe80::]/10",
		"src *:22", "src 127.0.0.1:22", "src localhost", "dst localhost:40000",
		"dev = lo", "dev != 0", "dev = 0", "not src 127.0.0.0/8 and sport < :1024",
		"sport = :22 or sport = :80 and src 0.0.0.0/0", ":22,8000-9000",
		"not ( sport = :22 or not dport = :0 )", "sport = :* or src 127.0.0.1",
		"sport != :* or src 127.0.0.1", "not sport = :*", "src != 127.0.0.1 dst != [::]",
		"( sport > :10 and sport < :60000 ) or ( dev lo or not dst 10.0.0.0/8:40000 )",
		"autobound", "not autobound", "autobound or sport = :22", "src any:53",
		"sport < :*", "sport <= :*", "dport > *", "dport >= *", "not dport > *",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++)
		compiled(exprs[i]);
	/* Decoded back: the jumps land where they should. */
	assert_string_equal(compiled("sport = :22"), "0: S_EQ yes 8 no 12 port 22\n");
	assert_string_equal(compiled("sport > :1023"),
			    "0: S_LE yes 8 no 12 port 1023\n8: JMP yes 4 no 8\n");
	assert_string_equal(compiled("src 10.0.0.0/8:22"),
			    "0: S_COND yes 16 no 20 family 2 /8 port 22 addr 10.0.0.0\n");
	assert_string_equal(compiled("sport = :1 or dst [::1]"),
			    "0: S_EQ yes 8 no 12 port 1\n8: JMP yes 4 no 32\n"
			    "12: D_COND yes 28 no 32 family 10 /128 port -1 addr ::1\n");
	assert_string_equal(compiled("dev lo"), "0: DEV_COND yes 8 no 12 ifindex 1\n");
	assert_string_equal(compiled("sport = :*"), "");
	assert_string_equal(compiled("not sport = :*"), "0: JMP yes 4 no 8\n");
	assert_string_equal(compiled("sport >= :*"), "0: JMP yes 4 no 8\n");
	/* fuser's ports: the ports only; filter_match tells the protocols apart. */
	compiled("22/tcp,53/udp");
	compiled("53/tcp src 127.0.0.0/8");
	char plain[4096];

	snprintf(plain, sizeof(plain), "%s", compiled(":22,53"));
	assert_string_equal(compiled("22/tcp 53/udp"), plain);
	/* The kernel's test, then ss's: the port in the ephemeral range. */
	assert_string_equal(compiled("autobound"),
			    "0: AUTO yes 4 no 24\n4: S_GE yes 8 no 20 port 1000\n"
			    "12: S_LE yes 8 no 12 port 2000\n");
}

/* Words ss accepts: autobound, every address, state unknown, comparisons with '*', device
 * indexes; and the numbers ss reads in base 0, refused with the reason. */
static void ss_words(void **state)
{
	struct filter_error err;
	struct filter f;

	(void)state;
	assert_string_equal(tree("autobound"), "autobound");
	assert_string_equal(tree("autobound and not sport = :22"),
			    "autobound and not sport = :22");
	assert_string_equal(tree("src any"), "src *:*");
	assert_string_equal(tree("src all"), "src *:*");
	assert_string_equal(tree("dst default:80"), "dst *:80");
	assert_string_equal(tree("src any:http"), "src *:http");
	assert_string_equal(tree("dport <= *"), "dport <= :*");
	assert_string_equal(tree("sport > :*"), "sport > :*");
	assert_string_equal(tree("dev 2"), "dev = 2");
	assert_string_equal(tree("dev 0"), "dev = 0");
	assert_int_equal(parse1(&f, "state unknown", &err), 0);
	assert_int_equal(f.states, 1u << 0);
	assert_true(f.states_given);
	filter_free(&f);
	assert_int_equal(parse1(&f, "autobound", &err), 0);
	assert_true(filter_has(&f, FILTER_AUTO));
	assert_false(filter_has(&f, FILTER_DEV));
	filter_free(&f);
	assert_string_equal(error("src any/8"),
			    "'any' is every address: it takes no prefix length @2");
	assert_string_equal(error("src default/0"),
			    "'default' is every address: it takes no prefix length @2");
	/* Base 0: each refusal says how ss would read the number. */
	assert_string_equal(error(":0x16"), "'0x16' is not a port: write it in decimal "
			    "(ss would read 0x16 as hex, 22) @1");
	assert_string_equal(error("sport = :022"), "'022' is not a port: write it in decimal "
			    "(ss would read 022 as octal, 18) @3");
	assert_string_equal(error("dport = 0X1F"), "'0X1F' is not a port: write it in decimal "
			    "(ss would read 0X1F as hex, 31) @3");
	assert_string_equal(error("sport = :08"),
			    "'08' is not a port: write it in decimal without leading zeros @3");
	assert_string_equal(error("sport = :-1"),
			    "'-1' is not a port: ports are 0-65535 "
			    "(ss would read -1 as any port) @3");
	assert_string_equal(error("sport = :-5"), "'-5' is not a port: ports are 0-65535 @3");
	assert_string_equal(error("src 10.0.0.0/010"), "'010' is not a prefix length: write it "
			    "in decimal (ss would read 010 as octal, 8) @2");
	assert_string_equal(error("src 10.0.0.0/0x8:22"), "'0x8' is not a prefix length: write "
			    "it in decimal (ss would read 0x8 as hex, 8) @2");
	assert_string_equal(error("dev 0x1"), "'0x1' is not a device index: write it in decimal "
			    "(ss would read 0x1 as hex, 1) @2");
	assert_string_equal(error("dev 010"), "'010' is not a device index: write it in decimal "
			    "(ss would read 010 as octal, 8) @2");
}

static void bytecode_too_big(void **state)
{
	struct filter_error err;
	struct filter f;
	size_t n = 5000, len = 0;
	char *text = malloc(n * 40);
	void *bc;
	size_t bclen;

	(void)state;
	/* 5000 IPv6 conditions do not fit a netlink attribute: all is left to userspace. */
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "%sdst [2001:db8::%zx]", i ? " or " : "", i);
	assert_int_equal(parse1(&f, text, &err), 0);
	assert_int_equal(bytecode_compile(&f, &bc, &bclen), 0);
	assert_null(bc);
	assert_int_equal(bclen, 0);
	filter_free(&f);
	free(text);
}

static void check_rejects(void **state)
{
	unsigned char bc[16] = { 0 };

	(void)state;
	assert_int_equal(bytecode_check(bc, 0), -EINVAL);
	/* A NOP that does not advance. */
	assert_int_equal(bytecode_check(bc, 4), -EINVAL);
	/* A jump into the middle of an operation. */
	bc[0] = 1; /* JMP */
	bc[1] = 4;
	bc[2] = 6;
	assert_int_equal(bytecode_check(bc, 8), -EINVAL);
	/* An unknown code. */
	bc[0] = 200;
	bc[2] = 8;
	assert_int_equal(bytecode_check(bc, 4), -EINVAL);
	/* A port test cut short. */
	bc[0] = 2; /* S_GE */
	bc[1] = 8;
	bc[2] = 12;
	assert_int_equal(bytecode_check(bc, 4), -EINVAL);
	assert_int_equal(bytecode_check(bc, 8), 0);
}

/* A unix socket bound to name (len bytes; NULL: unbound). */
static struct lsock unix_sample(struct lsock_vec *v, const char *name, size_t len)
{
	struct lsock *sk = lsock_vec_push(v);

	assert_non_null(sk);
	sk->family = AF_UNIX;
	sk->type = SOCK_STREAM;
	sk->state = LSOCK_LISTEN;
	if (name)
		assert_int_equal(lsock_vec_name(v, sk, name, len), 0);
	return *sk;
}

/* ss's path patterns: src unix:PATTERN, or a word that begins with / or @; fnmatch against
 * the path, "@" and the abstract name (NULs in it as '@'), "" for an unbound socket. */
static void unix_paths(void **state)
{
	struct lsock_vec v = { 0 };
	struct lsock path = unix_sample(&v, "/run/app/x.sock", 15);
	struct lsock abs = unix_sample(&v, "\0ab\0c", 5);
	struct lsock none = unix_sample(&v, NULL, 0);
	struct filter f;
	static const struct {
		const char *expr;
		bool path, abs, none;
	} cases[] = {
		{ "src unix:/run/*", true, false, false },
		{ "src /run/app/x.sock", true, false, false },
		{ "src /run/*/x.*", true, false, false },
		{ "src @ab@c", false, true, false },
		{ "src unix:@a*", false, true, false },
		{ "src unix:*", true, true, true },
		{ "not src unix:?*", false, false, true },
		{ "src /run/* or src @*", true, true, false },
		{ "src *", true, true, true },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_string_equal(resolve(&f, cases[i].expr, 4), "");
		if (filter_match(&f, &path) != cases[i].path ||
		    filter_match(&f, &abs) != cases[i].abs ||
		    filter_match(&f, &none) != cases[i].none)
			fail_msg("'%s': %d %d %d", cases[i].expr, filter_match(&f, &path),
				 filter_match(&f, &abs), filter_match(&f, &none));
		filter_free(&f);
	}
	assert_string_equal(tree("src unix:/run/*"), "src unix:/run/*");
	/* What unix sockets do not have is refused with -x; a pattern needs -x. */
	assert_string_equal(resolve(&f, "sport = :22", 4),
			    "'sport' does not apply to unix sockets (-x): they take state clauses "
			    "and 'src' with a path pattern @3");
	filter_free(&f);
	assert_string_equal(resolve(&f, "src /run/x or dst 10.0.0.1", 5),
			    "'dst' does not apply to unix sockets (-x): they take state clauses "
			    "and 'src' with a path pattern @5");
	filter_free(&f);
	/* A packet socket (-0, 16) has a device and nothing else. */
	assert_string_equal(resolve(&f, "sport = :22", 16),
			    "'sport' does not apply to packet sockets (-0): they take state "
			    "clauses and 'dev' @3");
	filter_free(&f);
	assert_string_equal(resolve(&f, "src 10.0.0.1", 16 | 8),
			    "'src' does not apply to packet sockets (-0): they take state clauses "
			    "and 'dev' @2");
	filter_free(&f);
	assert_string_equal(resolve(&f, "dev = lo", 16), "");
	filter_free(&f);
	assert_string_equal(resolve(&f, "src @x", 3),
			    "a unix path pattern needs unix sockets: add -x @2");
	filter_free(&f);
	assert_string_equal(error("dst /run/x"), "a unix socket's peer is not matched by name: "
				"'src' takes a path pattern @2");
	/* With -tx, TCP and UDP sockets have no unix name, in the kernel as in userspace. */
	make_samples();
	for (size_t k = 0; k < 2; k++) {
		void *bc;
		size_t len;

		assert_string_equal(resolve(&f, k ? "not src unix:*" : "src unix:*", 5), "");
		assert_int_equal(bytecode_compile(&f, &bc, &len), 0);
		for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
			assert_int_equal(filter_match(&f, &samples[i]), k);
			assert_int_equal(!bc || bytecode_run(bc, len, &samples[i]), k);
		}
		free(bc);
		filter_free(&f);
	}
	lsock_vec_free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(operators),  cmocka_unit_test(precedence),
		cmocka_unit_test(addresses),  cmocka_unit_test(words),
		cmocka_unit_test(states),     cmocka_unit_test(ports),
		cmocka_unit_test(errors),     cmocka_unit_test(depth),
		cmocka_unit_test(resolution), cmocka_unit_test(matching),
		cmocka_unit_test(bytecode),   cmocka_unit_test(bytecode_too_big),
		cmocka_unit_test(check_rejects), cmocka_unit_test(ss_words),
		cmocka_unit_test(unix_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
