/* Unit tests of container names from runtime state: the JSON look-ups (jansson), Docker's,
 * Podman's and the kubelet's files in fixture trees, and docker-proxy command lines. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "listen/container.h"

#define ID "3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708"
#define ID2 "9f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708"

/* container_json_string of json's key: the value (in a buffer the next call reuses) with 0,
 * NULL with the error. */
static const char *get_r(const char *json, size_t len, const char *key, int *r)
{
	static char *out;

	free(out);
	*r = container_json_string(json, len, key, &out);
	if (*r < 0)
		assert_null(out);
	else
		assert_non_null(out);
	return out;
}

/* The value, asserting that there is one. */
static const char *get(const char *json, const char *key)
{
	int r;
	const char *v = get_r(json, strlen(json), key, &r);

	assert_int_equal(r, 0);
	return v;
}

/* The error, asserting that there is one. */
static int get_err(const char *json, const char *key)
{
	int r;

	get_r(json, strlen(json), key, &r);
	assert_true(r < 0);
	return r;
}

static void json_strings(void **state)
{
	(void)state;
	assert_string_equal(get(" {\"a\":1,\"Name\":\"/web\"}", "Name"), "/web");
	/* A nested member of the same name is not the top level's. */
	assert_string_equal(get("{\"Config\":{\"Name\":\"inner\",\"x\":[1,{\"Name\":\"y\"}]},"
				"\"Name\":\"outer\"}", "Name"), "outer");
	/* Escapes: \", \\, \/, \n, \u002d, a surrogate pair (U+1F600). */
	assert_string_equal(get("{\"k\":\"a\\\"b\\\\c\\/d\\ne\\u002df\\ud83d\\ude00g\"}", "k"),
			    "a\"b\\c/d\ne-f\xf0\x9f\x98\x80g");
	/* Escaped key; braces and quotes inside strings do not end anything. */
	assert_string_equal(get("{\"x\":\"}{\\\"\",\"N\\u0061me\":\"ok\"}", "Name"), "ok");
	/* A value of any length, whole. */
	char big[5000];

	memset(big, 'n', sizeof(big));
	memcpy(big, "{\"k\":\"", 6);
	memcpy(big + sizeof(big) - 3, "\"}", 3);
	assert_int_equal(strlen(get(big, "k")), sizeof(big) - 9);
	/* Absent, or not a string. */
	assert_int_equal(get_err("{\"a\":\"b\"}", "Name"), -ENOENT);
	assert_int_equal(get_err("{\"Name\":null}", "Name"), -ENOENT);
	assert_int_equal(get_err("{\"Name\":[\"x\"]}", "Name"), -ENOENT);
	assert_int_equal(get_err("{}", "Name"), -ENOENT);
	/* Not an object, or broken anywhere. */
	assert_int_equal(get_err("[\"Name\"]", "Name"), -EINVAL);
	assert_int_equal(get_err("", "Name"), -EINVAL);
	assert_int_equal(get_err("{\"a\":", "Name"), -EINVAL);
	assert_int_equal(get_err("{\"a\":\"unterminated", "Name"), -EINVAL);
	assert_int_equal(get_err("{\"a\" 1}", "Name"), -EINVAL);
	assert_int_equal(get_err("{\"Name\":\"cut", "Name"), -EINVAL);
	assert_int_equal(get_err("{\"Name\":\"\\u12\"}", "Name"), -EINVAL);
	assert_int_equal(get_err("{\"Name\":\"x\"} trailing", "Name"), -EINVAL);
	/* The length given is the text: a NUL byte inside it is not its end. */
	int r;

	assert_null(get_r("{\"Name\":\"a\"}\0{", 14, "Name", &r));
	assert_int_equal(r, -EINVAL);
	assert_string_equal(get_r("{\"Name\":\"a\"}xyz", 12, "Name", &r), "a");
}

/* What a hostile or broken state file may hold. */
static void json_hostile(void **state)
{
	size_t levels[2] = { 100, 100000 };
	char *deep = malloc(200100);

	(void)state;
	assert_non_null(deep);
	/* Nesting: 100 levels are read; 100000 are refused, without running out of stack. */
	for (size_t k = 0; k < 2; k++) {
		size_t n = levels[k];

		memcpy(deep, "{\"x\":", 5);
		memset(deep + 5, '[', n);
		memset(deep + 5 + n, ']', n);
		strcpy(deep + 5 + 2 * n, ",\"Name\":\"deep\"}");
		if (k == 0)
			assert_string_equal(get(deep, "Name"), "deep");
		else
			assert_int_equal(get_err(deep, "Name"), -EINVAL);
	}
	free(deep);
	/* A lone surrogate is not text (Docker's encoder never writes one). */
	assert_int_equal(get_err("{\"Name\":\"a\\udc00\"}", "Name"), -EINVAL);
	assert_int_equal(get_err("{\"Name\":\"a\\ud83d\"}", "Name"), -EINVAL);
	/* \u0000 in the name: refused, not cut into "a"; elsewhere it does no harm. */
	assert_int_equal(get_err("{\"Name\":\"a\\u0000b\"}", "Name"), -EINVAL);
	assert_string_equal(get("{\"Env\":\"a\\u0000b\",\"Name\":\"ok\"}", "Name"), "ok");
	/* A key given twice: which one would Docker have meant? Refused. */
	assert_int_equal(get_err("{\"Name\":\"a\",\"Name\":\"b\"}", "Name"), -EINVAL);
	assert_int_equal(get_err("{\"Name\":\"a\",\"x\":{\"k\":1,\"k\":2}}", "Name"), -EINVAL);
	/* Numbers: any integer Go writes (uint64 and beyond) is fine; past a double is not. */
	assert_string_equal(get("{\"Memory\":18446744073709551615,\"x\":-99999999999999999999999,"
				"\"y\":1e300,\"Name\":\"n\"}", "Name"), "n");
	assert_int_equal(get_err("{\"y\":1e999,\"Name\":\"n\"}", "Name"), -EINVAL);
	/* Invalid UTF-8, in the name or anywhere else. */
	assert_int_equal(get_err("{\"Name\":\"a\xff\"}", "Name"), -EINVAL);
	assert_int_equal(get_err("{\"x\":\"\xc0\xaf\",\"Name\":\"a\"}", "Name"), -EINVAL);
	assert_int_equal(get_err("{\"Name\":\"\xed\xa0\x80\"}", "Name"), -EINVAL);
	/* Valid UTF-8 and escapes of it come out the same. */
	assert_string_equal(get("{\"Name\":\"caf\xc3\xa9 \\u00e9\"}", "Name"),
			    "caf\xc3\xa9 \xc3\xa9");
}

/* container_json_podman of list for id: as get_r. */
static const char *podman(const char *list, const char *id, int *r)
{
	static char *out;

	free(out);
	*r = container_json_podman(list, strlen(list), id, &out);
	if (*r < 0)
		assert_null(out);
	return out;
}

static void json_podman(void **state)
{
	const char *list = "[{\"id\":\"aaa\",\"names\":[\"first\"]},\n"
			   " {\"id\":\"" ID "\",\"names\":[\"db\",\"alias\"],\"image\":\"x\"}]";
	int r;

	(void)state;
	assert_string_equal(podman(list, ID, &r), "db");
	assert_string_equal(podman(list, "aaa", &r), "first");
	assert_null(podman(list, "bbb", &r));
	assert_int_equal(r, -ENOENT);
	assert_null(podman("[{\"id\":\"a\"}]", "a", &r));
	assert_int_equal(r, -ENOENT);
	assert_null(podman("[]", "a", &r));
	assert_int_equal(r, -ENOENT);
	assert_null(podman("{}", "a", &r));
	assert_int_equal(r, -EINVAL);
	assert_null(podman("[{\"id\":", "a", &r));
	assert_int_equal(r, -EINVAL);
	assert_null(podman("[1 2]", "a", &r));
	assert_int_equal(r, -EINVAL);
	/* Elements that are not objects are passed over; ids match whole, NUL and all. */
	assert_string_equal(podman("[1,\"a\",[],{\"id\":\"a\",\"names\":[\"n\"]}]", "a", &r), "n");
	assert_null(podman("[{\"id\":\"a\\u0000x\",\"names\":[\"n\"]}]", "a", &r));
	assert_int_equal(r, -ENOENT);
	assert_null(podman("[{\"id\":\"a\",\"names\":[\"n\\u0000x\"]}]", "a", &r));
	assert_int_equal(r, -EINVAL);
	assert_null(podman("[{\"id\":\"a\",\"names\":[]}]", "a", &r));
	assert_int_equal(r, -ENOENT);
	assert_null(podman("[{\"id\":\"a\",\"id\":\"b\",\"names\":[\"n\"]}]", "b", &r));
	assert_int_equal(r, -EINVAL);
}

static const char *named(struct container_cache *c, enum unit_kind kind, const char *id,
			 const char *pod)
{
	static struct unit_owner u;

	unit_owner_free(&u);
	u = (struct unit_owner){ .kind = kind };
	snprintf(u.id, sizeof(u.id), "%s", id);
	snprintf(u.pod, sizeof(u.pod), "%s", pod);
	assert_int_equal(container_name(c, &u), 0);
	return u.name ? u.name : "";
}

static void names_from_state(void **state)
{
	char tmpl[] = "/tmp/listen-state-XXXXXX";
	struct container_cache c;
	int fixture = open(LISTEN_DATA_DIR "/state", O_RDONLY | O_DIRECTORY), dir;

	(void)state;
	assert_true(fixture >= 0);
	/* Docker: config.v2.json's "Name", its leading '/' dropped, escapes decoded. */
	container_cache_init(&c, fixture);
	assert_string_equal(named(&c, UNIT_DOCKER, ID, ""), "web-1");
	assert_string_equal(named(&c, UNIT_DOCKER, ID, ""), "web-1"); /* from the cache */
	/* A user's container with root's id: not root's name. */
	struct unit_owner claim = { .kind = UNIT_DOCKER, .user = true, .uid = 65534 };

	snprintf(claim.id, sizeof(claim.id), "%s", ID);
	assert_int_equal(container_name(&c, &claim), 0);
	assert_null(claim.name);
	assert_string_equal(named(&c, UNIT_DOCKER, "00000000000000000000000000000000"
				  "00000000000000000000000000000000", ""), "");
	/* Not a runtime with state, or no id: left alone. */
	assert_string_equal(named(&c, UNIT_SYSTEM, ID, ""), "");
	container_cache_free(&c);
	close(fixture);

	assert_non_null(mkdtemp(tmpl));
	dir = open(tmpl, O_RDONLY | O_DIRECTORY);
	test_put_file(dir, "var/lib/containers/storage/overlay-containers/containers.json",
	    "[{\"id\":\"" ID "\",\"names\":[\"pg\"]}]");
	test_put_file(dir, "var/log/pods/shop_web-0_5b1c2d3e-aaaa-bbbb-cccc-0123456789ab/"
			   "nginx/0.log", "");
	test_put_file(dir, "var/log/pods/other_x_1111/c/0.log", "");
	test_put_file(dir, "var/lib/docker/containers/" ID "/config.v2.json",
		      "{\"Name\":\"/broken");
	container_cache_init(&c, dir);
	/* A user's (rootless) container is not looked up in the system's state, where the same
	 * id is root's "pg"; neither before nor after root's is cached. */
	struct unit_owner user = { .kind = UNIT_PODMAN, .user = true, .uid = 1000 };

	snprintf(user.id, sizeof(user.id), "%s", ID);
	assert_int_equal(container_name(&c, &user), 0);
	assert_null(user.name);
	assert_string_equal(named(&c, UNIT_PODMAN, ID, ""), "pg");
	assert_int_equal(container_name(&c, &user), 0);
	assert_null(user.name);
	assert_string_equal(named(&c, UNIT_PODMAN, "abc", ""), "");
	assert_string_equal(named(&c, UNIT_KUBERNETES, ID, "5b1c2d3e-aaaa-bbbb-cccc-0123456789ab"),
			    "shop/web-0");
	assert_string_equal(named(&c, UNIT_KUBERNETES, ID, "2222"), "");
	assert_string_equal(named(&c, UNIT_DOCKER, ID, ""), ""); /* a broken file: no name */
	container_cache_free(&c);
	/* Names of any length, whole: Docker's, Podman's. */
	char name[400], json[600];

	memset(name, 'n', 317);
	name[317] = '\0';
	snprintf(json, sizeof(json), "{\"Name\":\"/%s\"}", name);
	test_put_file(dir, "var/lib/docker/containers/" ID2 "/config.v2.json", json);
	snprintf(json, sizeof(json), "[{\"id\":\"" ID2 "\",\"names\":[\"%s\"]}]", name);
	test_put_file(dir, "var/lib/containers/storage/overlay-containers/containers.json", json);
	container_cache_init(&c, dir);
	assert_string_equal(named(&c, UNIT_DOCKER, ID2, ""), name);
	assert_string_equal(named(&c, UNIT_PODMAN, ID2, ""), name);
	container_cache_free(&c);
	close(dir);
	/* Nothing to read from. */
	container_cache_init(&c, -1);
	assert_string_equal(named(&c, UNIT_DOCKER, ID, ""), "");
	container_cache_free(&c);
	test_remove_tree(tmpl);
}

/* State listen has no descriptor left to read is not state without a name: an error, and the
 * name is not cached as missing. */
static void short_of_descriptors(void **state)
{
	char tmpl[] = "/tmp/listen-state-XXXXXX";
	struct unit_owner u = { .kind = UNIT_DOCKER };
	struct container_cache c;
	struct test_fds fds;
	int fixture = open(LISTEN_DATA_DIR "/state", O_RDONLY | O_DIRECTORY), dir, r[3];

	(void)state;
	assert_true(fixture >= 0);
	assert_non_null(mkdtemp(tmpl));
	dir = open(tmpl, O_RDONLY | O_DIRECTORY);
	test_put_file(dir, "var/lib/containers/storage/overlay-containers/containers.json",
	    "[{\"id\":\"" ID "\",\"names\":[\"pg\"]}]");
	test_put_file(dir, "var/log/pods/shop_web-0_5b1c/nginx/0.log", "");
	snprintf(u.id, sizeof(u.id), "%s", ID);
	container_cache_init(&c, fixture);
	test_fds_use(&fds, 0);
	r[0] = container_name(&c, &u);
	test_fds_free(&fds);
	assert_int_equal(r[0], -EMFILE);
	assert_string_equal(named(&c, UNIT_DOCKER, ID, ""), "web-1");
	container_cache_free(&c);

	container_cache_init(&c, dir);
	test_fds_use(&fds, 0);
	u = (struct unit_owner){ .kind = UNIT_PODMAN };
	snprintf(u.id, sizeof(u.id), "%s", ID);
	r[1] = container_name(&c, &u);
	u = (struct unit_owner){ .kind = UNIT_KUBERNETES };
	snprintf(u.id, sizeof(u.id), "%s", ID);
	snprintf(u.pod, sizeof(u.pod), "5b1c");
	r[2] = container_name(&c, &u);
	test_fds_free(&fds);
	assert_int_equal(r[1], -EMFILE);
	assert_int_equal(r[2], -EMFILE);
	assert_string_equal(named(&c, UNIT_PODMAN, ID, ""), "pg");
	assert_string_equal(named(&c, UNIT_KUBERNETES, ID, "5b1c"), "shop/web-0");
	container_cache_free(&c);
	close(dir);
	close(fixture);
	test_remove_tree(tmpl);
}

static int proxy(const char *cmdline, struct container_proxy *p)
{
	return container_proxy_parse(cmdline, strlen(cmdline), p);
}

static void docker_proxy(void **state)
{
	struct container_proxy p;
	const unsigned char v4[4] = { 172, 17, 0, 2 };

	(void)state;
	assert_int_equal(proxy("/usr/bin/docker-proxy -proto tcp -host-ip 0.0.0.0 -host-port 8080 "
			       "-container-ip 172.17.0.2 -container-port 80", &p), 0);
	assert_int_equal(p.protocol, IPPROTO_TCP);
	assert_int_equal(p.family, AF_INET);
	assert_memory_equal(p.addr, v4, 4);
	assert_int_equal(p.port, 80);
	assert_int_equal(proxy("docker-proxy --proto=udp --container-ip=fd00::2 "
			       "--container-port=53", &p), 0);
	assert_int_equal(p.protocol, IPPROTO_UDP);
	assert_int_equal(p.family, AF_INET6);
	assert_int_equal(p.port, 53);
	/* -container-ip is not -container-ip6; a flag's value is not a flag. */
	assert_int_equal(proxy("docker-proxy -container-ip6 1.2.3.4 -container-port 80", &p),
			 -ENOENT);
	assert_int_equal(proxy("docker-proxy -container-ip -container-port 80", &p), -ENOENT);
	assert_int_equal(proxy("docker-proxy -container-ip 1.2.3.4", &p), -ENOENT);
	assert_int_equal(proxy("docker-proxy -container-ip 1.2.3.4 -container-port 70000", &p),
			 -ENOENT);
	assert_int_equal(proxy("docker-proxy -container-ip 1.2.3.4 -container-port 8x", &p),
			 -ENOENT);
	assert_int_equal(proxy("docker-proxy -container-ip 1.2.3.4 -container-port 0", &p),
			 -ENOENT);
	assert_int_equal(proxy("docker-proxy -container-ip nothost -container-port 80", &p),
			 -ENOENT);
	assert_int_equal(proxy("docker-proxy -proto sctp -container-ip 1.2.3.4 "
			       "-container-port 80", &p), -ENOENT);
	assert_int_equal(proxy("", &p), -ENOENT);
	assert_int_equal(proxy("-container-port", &p), -ENOENT);
	/* A flag's name ending the text: nothing is read past it, not even the '=' that follows
	 * in memory (found by fuzzing). */
	const char *cut = "-container-ip 1.2.3.4 -container-port 80 -proto=sctp";

	assert_int_equal(container_proxy_parse(cut, strlen(cut), &p), -ENOENT);
	assert_int_equal(container_proxy_parse(cut, strlen(cut) - 5, &p), 0);
	assert_int_equal(p.protocol, IPPROTO_TCP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_strings),
		cmocka_unit_test(json_hostile),
		cmocka_unit_test(json_podman),
		cmocka_unit_test(names_from_state),
		cmocka_unit_test(short_of_descriptors),
		cmocka_unit_test(docker_proxy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
