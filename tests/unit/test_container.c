/* Unit tests of container names from runtime state: the JSON reader, Docker's, Podman's and the
 * kubelet's files in fixture trees, and docker-proxy command lines. */
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

static int get(const char *json, const char *key, char *out, size_t size)
{
	return container_json_string(json, strlen(json), key, out, size);
}

static void json_strings(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(get(" {\"a\":1,\"Name\":\"/web\"}", "Name", out, sizeof(out)), 0);
	assert_string_equal(out, "/web");
	/* A nested member of the same name is not the top level's. */
	assert_int_equal(get("{\"Config\":{\"Name\":\"inner\",\"x\":[1,{\"Name\":\"y\"}]},"
			     "\"Name\":\"outer\"}", "Name", out, sizeof(out)), 0);
	assert_string_equal(out, "outer");
	/* Escapes: \", \\, \/, \n, \u002d, a surrogate pair, a lone surrogate. */
	assert_int_equal(get("{\"k\":\"a\\\"b\\\\c\\/d\\ne\\u002df\\ud83d\\ude00g\\udc00\"}", "k",
			     out, sizeof(out)), 0);
	assert_string_equal(out, "a\"b\\c/d\ne-f\xf0\x9f\x98\x80g\xef\xbf\xbd");
	/* Escaped key; braces and quotes inside strings do not end anything. */
	assert_int_equal(get("{\"x\":\"}{\\\"\",\"N\\u0061me\":\"ok\"}", "Name", out,
			     sizeof(out)), 0);
	assert_string_equal(out, "ok");
	/* Cut to the buffer, NUL-terminated. */
	assert_int_equal(get("{\"k\":\"abcdefgh\"}", "k", out, 4), 0);
	assert_string_equal(out, "abc");
	/* Absent, or not a string. */
	assert_int_equal(get("{\"a\":\"b\"}", "Name", out, sizeof(out)), -ENOENT);
	assert_int_equal(get("{\"Name\":null}", "Name", out, sizeof(out)), -ENOENT);
	assert_int_equal(get("{}", "Name", out, sizeof(out)), -ENOENT);
	/* Not an object, or broken before the key. */
	assert_int_equal(get("[\"Name\"]", "Name", out, sizeof(out)), -EINVAL);
	assert_int_equal(get("", "Name", out, sizeof(out)), -EINVAL);
	assert_int_equal(get("{\"a\":", "Name", out, sizeof(out)), -EINVAL);
	assert_int_equal(get("{\"a\":\"unterminated", "Name", out, sizeof(out)), -EINVAL);
	assert_int_equal(get("{\"a\" 1}", "Name", out, sizeof(out)), -EINVAL);
	assert_int_equal(get("{\"Name\":\"cut", "Name", out, sizeof(out)), -EINVAL);
	assert_int_equal(get("{\"Name\":\"\\u12\"}", "Name", out, sizeof(out)), -EINVAL);
}

static void json_podman(void **state)
{
	const char *list = "[{\"id\":\"aaa\",\"names\":[\"first\"]},\n"
			   " {\"id\":\"" ID "\",\"names\":[\"db\",\"alias\"],\"image\":\"x\"}]";
	char out[64];

	(void)state;
	assert_int_equal(container_json_podman(list, strlen(list), ID, out, sizeof(out)), 0);
	assert_string_equal(out, "db");
	assert_int_equal(container_json_podman(list, strlen(list), "aaa", out, sizeof(out)), 0);
	assert_string_equal(out, "first");
	assert_int_equal(container_json_podman(list, strlen(list), "bbb", out, sizeof(out)),
			 -ENOENT);
	assert_int_equal(container_json_podman("[{\"id\":\"a\"}]", 12, "a", out, sizeof(out)),
			 -ENOENT);
	assert_int_equal(container_json_podman("[]", 2, "a", out, sizeof(out)), -ENOENT);
	assert_int_equal(container_json_podman("{}", 2, "a", out, sizeof(out)), -EINVAL);
	assert_int_equal(container_json_podman("[{\"id\":", 7, "a", out, sizeof(out)), -EINVAL);
	assert_int_equal(container_json_podman("[1 2]", 5, "a", out, sizeof(out)), -EINVAL);
}

static const char *named(struct container_cache *c, enum unit_kind kind, const char *id,
			 const char *pod)
{
	static struct unit_owner u;

	u = (struct unit_owner){ .kind = kind };
	snprintf(u.id, sizeof(u.id), "%s", id);
	snprintf(u.pod, sizeof(u.pod), "%s", pod);
	assert_int_equal(container_name(c, &u), 0);
	return u.name;
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
	assert_string_equal(claim.name, "");
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
	assert_string_equal(user.name, "");
	assert_string_equal(named(&c, UNIT_PODMAN, ID, ""), "pg");
	assert_int_equal(container_name(&c, &user), 0);
	assert_string_equal(user.name, "");
	assert_string_equal(named(&c, UNIT_PODMAN, "abc", ""), "");
	assert_string_equal(named(&c, UNIT_KUBERNETES, ID, "5b1c2d3e-aaaa-bbbb-cccc-0123456789ab"),
			    "shop/web-0");
	assert_string_equal(named(&c, UNIT_KUBERNETES, ID, "2222"), "");
	assert_string_equal(named(&c, UNIT_DOCKER, ID, ""), ""); /* a broken file: no name */
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
		cmocka_unit_test(json_podman),
		cmocka_unit_test(names_from_state),
		cmocka_unit_test(short_of_descriptors),
		cmocka_unit_test(docker_proxy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
