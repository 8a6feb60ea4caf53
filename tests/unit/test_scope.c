/* Unit tests of bind-scope classification. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>

#include "listen/ifaddr.h"
#include "listen/scope.h"
#include "listen/sock.h"

static enum scope_class classify(int family, const char *text, bool v6only)
{
	unsigned char addr[16] = { 0 };

	assert_int_equal(inet_pton(family, text, addr), 1);
	return scope_classify(family, addr, v6only);
}

static void ipv4(void **state)
{
	(void)state;
	assert_int_equal(classify(AF_INET, "0.0.0.0", false), SCOPE_ALL);
	assert_int_equal(classify(AF_INET, "127.0.0.1", false), SCOPE_LOOPBACK);
	assert_int_equal(classify(AF_INET, "127.255.0.9", false), SCOPE_LOOPBACK);
	assert_int_equal(classify(AF_INET, "10.0.0.1", false), SCOPE_LAN);
	assert_int_equal(classify(AF_INET, "172.16.0.1", false), SCOPE_LAN);
	assert_int_equal(classify(AF_INET, "172.31.255.255", false), SCOPE_LAN);
	assert_int_equal(classify(AF_INET, "172.32.0.1", false), SCOPE_PUBLIC);
	assert_int_equal(classify(AF_INET, "172.15.0.1", false), SCOPE_PUBLIC);
	assert_int_equal(classify(AF_INET, "192.168.1.1", false), SCOPE_LAN);
	assert_int_equal(classify(AF_INET, "192.169.1.1", false), SCOPE_PUBLIC);
	assert_int_equal(classify(AF_INET, "100.64.0.1", false), SCOPE_LAN);
	assert_int_equal(classify(AF_INET, "100.127.255.254", false), SCOPE_LAN);
	assert_int_equal(classify(AF_INET, "100.128.0.1", false), SCOPE_PUBLIC);
	assert_int_equal(classify(AF_INET, "169.254.7.7", false), SCOPE_LINK_LOCAL);
	assert_int_equal(classify(AF_INET, "224.0.0.251", false), SCOPE_MULTICAST);
	assert_int_equal(classify(AF_INET, "239.255.255.250", false), SCOPE_MULTICAST);
	assert_int_equal(classify(AF_INET, "203.0.113.7", false), SCOPE_PUBLIC);
	assert_int_equal(classify(AF_INET, "8.8.8.8", false), SCOPE_PUBLIC);
}

static void ipv6(void **state)
{
	(void)state;
	assert_int_equal(classify(AF_INET6, "::", false), SCOPE_ALL); /* dual-stack */
	assert_int_equal(classify(AF_INET6, "::", true), SCOPE_ALL_V6);
	assert_int_equal(classify(AF_INET6, "::1", false), SCOPE_LOOPBACK);
	assert_int_equal(classify(AF_INET6, "::1", true), SCOPE_LOOPBACK);
	assert_int_equal(classify(AF_INET6, "fe80::1", false), SCOPE_LINK_LOCAL);
	assert_int_equal(classify(AF_INET6, "febf::1", false), SCOPE_LINK_LOCAL);
	assert_int_equal(classify(AF_INET6, "fec0::1", false), SCOPE_LAN); /* old site-local */
	assert_int_equal(classify(AF_INET6, "fc00::1", false), SCOPE_LAN);
	assert_int_equal(classify(AF_INET6, "fd12:3456::1", false), SCOPE_LAN);
	assert_int_equal(classify(AF_INET6, "ff02::fb", false), SCOPE_MULTICAST);
	assert_int_equal(classify(AF_INET6, "2001:db8::9", false), SCOPE_PUBLIC);
	assert_int_equal(classify(AF_INET6, "::2", false), SCOPE_PUBLIC);
	/* IPv4-mapped addresses classify as the IPv4 address they carry. */
	assert_int_equal(classify(AF_INET6, "::ffff:127.0.0.2", false), SCOPE_LOOPBACK);
	assert_int_equal(classify(AF_INET6, "::ffff:10.1.2.3", false), SCOPE_LAN);
	assert_int_equal(classify(AF_INET6, "::ffff:0.0.0.0", false), SCOPE_ALL);
	assert_int_equal(classify(AF_INET6, "::ffff:203.0.113.1", false), SCOPE_PUBLIC);
	assert_int_equal(classify(AF_INET6, "::ffff:169.254.1.1", false), SCOPE_LINK_LOCAL);
}

static struct lsock sock(int family, const char *text, uint32_t ifindex, int v6only)
{
	struct lsock sk = { .family = (uint8_t)family, .ifindex = ifindex };

	assert_int_equal(inet_pton(family, text, sk.laddr), 1);
	if (v6only >= 0) {
		sk.flags |= LSOCK_HAS_V6ONLY;
		sk.v6only = (uint8_t)v6only;
	}
	return sk;
}

/* With the interfaces known: devices, the interface holding an address, loopback devices. */
static void of_sockets(void **state)
{
	struct ifaddr_link links[] = { { .index = 1, .loopback = true, .name = "lo" },
				       { .index = 7, .name = "d0" } };
	struct ifaddr_addr addrs[] = { { .index = 7, .family = AF_INET, .addr = { 10, 1, 2, 3 } },
				       { .index = 7, .family = AF_INET6,
					 .addr = { 0xfd, [15] = 5 } } };
	struct ifaddr_table ifs = { .links = links, .nlinks = 2, .addrs = addrs, .naddrs = 2 };
	struct lsock sk;
	uint32_t ifindex;

	(void)state;
	sk = sock(AF_INET, "0.0.0.0", 0, -1);
	assert_int_equal(scope_of(&sk, &ifs, &ifindex), SCOPE_ALL);
	assert_int_equal(ifindex, 0);
	sk = sock(AF_INET, "0.0.0.0", 7, -1);
	assert_int_equal(scope_of(&sk, &ifs, &ifindex), SCOPE_DEVICE);
	assert_int_equal(ifindex, 7);
	sk = sock(AF_INET6, "::", 7, 1);
	assert_int_equal(scope_of(&sk, &ifs, &ifindex), SCOPE_DEVICE);
	sk = sock(AF_INET, "0.0.0.0", 1, -1); /* bound to lo: loopback only */
	assert_int_equal(scope_of(&sk, &ifs, &ifindex), SCOPE_LOOPBACK);
	assert_int_equal(ifindex, 1);
	sk = sock(AF_INET, "0.0.0.0", 99, -1); /* a device that is gone */
	assert_int_equal(scope_of(&sk, &ifs, &ifindex), SCOPE_DEVICE);
	assert_int_equal(ifindex, 99);
	sk = sock(AF_INET, "10.1.2.3", 0, -1);
	assert_int_equal(scope_of(&sk, &ifs, &ifindex), SCOPE_LAN);
	assert_int_equal(ifindex, 7);
	sk = sock(AF_INET6, "::ffff:10.1.2.3", 0, 0); /* mapped: found as the IPv4 address */
	assert_int_equal(scope_of(&sk, &ifs, &ifindex), SCOPE_LAN);
	assert_int_equal(ifindex, 7);
	sk = sock(AF_INET6, "fd00::5", 0, 1);
	assert_int_equal(scope_of(&sk, &ifs, &ifindex), SCOPE_LAN);
	assert_int_equal(ifindex, 7);
	sk = sock(AF_INET, "10.9.9.9", 0, -1); /* not ours (freebind): no interface */
	assert_int_equal(scope_of(&sk, &ifs, &ifindex), SCOPE_LAN);
	assert_int_equal(ifindex, 0);
	sk = sock(AF_INET6, "::", 0, 0);
	assert_int_equal(scope_of(&sk, &ifs, &ifindex), SCOPE_ALL);
	sk = sock(AF_INET6, "::", 0, 1);
	assert_int_equal(scope_of(&sk, &ifs, &ifindex), SCOPE_ALL_V6);
	sk = sock(AF_INET6, "::", 0, -1); /* no v6only attribute: dual-stack, the default */
	assert_int_equal(scope_of(&sk, &ifs, &ifindex), SCOPE_ALL);
}

static void names_and_exposure(void **state)
{
	(void)state;
	assert_string_equal(scope_name(SCOPE_LOOPBACK), "loopback");
	assert_string_equal(scope_name(SCOPE_ALL), "all");
	assert_string_equal(scope_name(SCOPE_ALL_V6), "all (v6 only)");
	assert_string_equal(scope_name(SCOPE_DEVICE), "device");
	assert_string_equal(scope_name(SCOPE_LINK_LOCAL), "link-local");
	assert_string_equal(scope_name(SCOPE_LAN), "lan");
	assert_string_equal(scope_name(SCOPE_MULTICAST), "multicast");
	assert_string_equal(scope_name(SCOPE_PUBLIC), "public");
	assert_string_equal(scope_name((enum scope_class)42), "?");
	assert_string_equal(scope_key(SCOPE_ALL_V6), "all-v6only");
	assert_string_equal(scope_key(SCOPE_LINK_LOCAL), "link-local");
	assert_string_equal(scope_key((enum scope_class)42), "?");
	assert_false(scope_exposed(SCOPE_LOOPBACK));
	for (int c = SCOPE_ALL; c <= SCOPE_PUBLIC; c++)
		assert_true(scope_exposed((enum scope_class)c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ipv4),
		cmocka_unit_test(ipv6),
		cmocka_unit_test(of_sockets),
		cmocka_unit_test(names_and_exposure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
