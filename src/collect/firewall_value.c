/* Values as nft lists them: a register's or a set key's bytes, by nft's datatype, into the
 * elements the JSON reader makes of nft's listing (names of protocols, flags, address types,
 * interfaces), and the order nft lists them in. */
/* glibc's networking headers before the kernel's (linux/in.h defers to them) */
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <net/if.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "listen/fileio.h"
#include "listen/firewall.h"
#include "listen/firewall_nl.h"

/* nft's datatypes (its datatype.h), as set key types name them. */
enum {
	NFT_TYPE_NFPROTO = 2, NFT_TYPE_IPADDR = 7, NFT_TYPE_IP6ADDR = 8,
	NFT_TYPE_INET_PROTOCOL = 12, NFT_TYPE_INET_SERVICE = 13, NFT_TYPE_ICMP_TYPE = 14,
	NFT_TYPE_IFINDEX = 20, NFT_TYPE_CT_STATE = 26, NFT_TYPE_CT_STATUS = 28,
	NFT_TYPE_ICMP6_TYPE = 29, NFT_TYPE_FIB_ADDR = 38, NFT_TYPE_IFNAME = 41,
};

enum fw_nl_type fw_nl_type_of(uint32_t t)
{
	switch (t) {
	case NFT_TYPE_NFPROTO: return FW_T_NFPROTO;
	case NFT_TYPE_IPADDR: return FW_T_ADDR4;
	case NFT_TYPE_IP6ADDR: return FW_T_ADDR6;
	case NFT_TYPE_INET_PROTOCOL: return FW_T_PROTO;
	case NFT_TYPE_INET_SERVICE: return FW_T_PORT;
	case NFT_TYPE_ICMP_TYPE: return FW_T_ICMP;
	case NFT_TYPE_IFINDEX: return FW_T_IFINDEX;
	case NFT_TYPE_CT_STATE: return FW_T_CT_STATE;
	case NFT_TYPE_CT_STATUS: return FW_T_CT_STATUS;
	case NFT_TYPE_ICMP6_TYPE: return FW_T_ICMP6;
	case NFT_TYPE_FIB_ADDR: return FW_T_FIB_ADDR;
	case NFT_TYPE_IFNAME: return FW_T_IFNAME;
	default: return FW_T_NONE;
	}
}

/* A name element, as the JSON reader makes of a string (which may read as an address). */
static int name_elem(struct fw_elem **v, size_t *n, const char *s)
{
	struct fw_elem *e = fw_grow(v, n, sizeof(*e));

	if (!e)
		return -ENOMEM;
	if (fw_addr_elem(e, s, -1))
		return 0;
	e->kind = FW_ELEM_STR;
	return (e->str = strdup(s)) ? 0 : -ENOMEM;
}

/* A number element. */
static int num_elem(struct fw_elem **v, size_t *n, uint32_t x)
{
	struct fw_elem *e = fw_grow(v, n, sizeof(*e));

	if (!e)
		return -ENOMEM;
	e->kind = FW_ELEM_NUM;
	e->lo = e->hi = x;
	return 0;
}

/* The protocols' names of /etc/protocols, the first for each number, as glibc's
 * getprotobynumber gives nft them; read once per process. Not through glibc: its NSS code
 * crashes when memory runs out. */
static struct {
	pthread_mutex_t lock;
	bool loaded;
	char name[256][32];
} protocols = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* Read /etc/protocols into the table (absent: no names). Returns 0 or -errno. */
static int protocols_load(void)
{
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	int r = fileio_read_all(AT_FDCWD, "/etc/protocols", 1 << 20, &buf, &len);

	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *hash = strchr(line, '#'), *name, *num, *end, *w = NULL;
		unsigned long n;

		if (hash)
			*hash = '\0';
		if (!(name = strtok_r(line, " \t", &w)) || !(num = strtok_r(NULL, " \t", &w)))
			continue;
		n = strtoul(num, &end, 10);
		if (*end || end == num || n > 255 || strlen(name) >= sizeof(protocols.name[0]) ||
		    protocols.name[n][0])
			continue;
		strcpy(protocols.name[n], name);
	}
	free(buf);
	return 0;
}

/* A protocol's name, as nft prints it, into *name (NULL when it has none). Returns 0, or
 * -errno when /etc/protocols could not be read. */
static int proto_name(uint8_t p, const char **name)
{
	int r = 0;

	pthread_mutex_lock(&protocols.lock);
	if (!protocols.loaded && (r = protocols_load()) == 0)
		protocols.loaded = true;
	pthread_mutex_unlock(&protocols.lock);
	*name = r == 0 && protocols.name[p][0] ? protocols.name[p] : NULL;
	return r;
}

/* The name of value x in a table of n names, or NULL. */
static const char *table_name(const char *const *t, size_t n, uint32_t x)
{
	return x < n ? t[x] : NULL;
}

static const char *const icmp_types[] = {
	[0] = "echo-reply", [3] = "destination-unreachable", [4] = "source-quench",
	[5] = "redirect", [8] = "echo-request", [9] = "router-advertisement",
	[10] = "router-solicitation", [11] = "time-exceeded", [12] = "parameter-problem",
	[13] = "timestamp-request", [14] = "timestamp-reply", [15] = "info-request",
	[16] = "info-reply", [17] = "address-mask-request", [18] = "address-mask-reply",
};

static const char *const icmp6_types[] = {
	[1] = "destination-unreachable", [2] = "packet-too-big", [3] = "time-exceeded",
	[4] = "parameter-problem", [128] = "echo-request", [129] = "echo-reply",
	[130] = "mld-listener-query", [131] = "mld-listener-report", [132] = "mld-listener-done",
	[133] = "nd-router-solicit", [134] = "nd-router-advert", [135] = "nd-neighbor-solicit",
	[136] = "nd-neighbor-advert", [137] = "nd-redirect", [138] = "router-renumbering",
	[141] = "ind-neighbor-solicit", [142] = "ind-neighbor-advert",
	[143] = "mld2-listener-report",
};

static const char *const fib_types[] = {
	"unspec", "unicast", "local", "broadcast", "anycast", "multicast", "blackhole",
	"unreachable", "prohibit", "throw", "nat", "xresolve",
};

/* A host-order 32-bit value of len bytes. */
static uint32_t host32(const unsigned char *v, size_t len)
{
	uint32_t x = 0;

	memcpy(&x, v, len < 4 ? len : 4);
	return x;
}

/* The names of the bits of a ct state or status mask, in nft's order; false when a bit has
 * no name. */
static int bit_names(struct fw_elem **v, size_t *n, enum fw_nl_type t, uint32_t x)
{
	static const struct { uint32_t bit; const char *name; } state[] = {
		{ 1, "invalid" }, { 2, "established" }, { 4, "related" }, { 8, "new" },
		{ 64, "untracked" },
	}, status[] = {
		{ 1, "expected" }, { 2, "seen-reply" }, { 4, "assured" }, { 8, "confirmed" },
		{ 16, "snat" }, { 32, "dnat" }, { 512, "dying" },
	};
	size_t m = t == FW_T_CT_STATE ? 5 : 7;
	uint32_t seen = 0;

	for (size_t i = 0; i < m; i++) {
		uint32_t bit = t == FW_T_CT_STATE ? state[i].bit : status[i].bit;

		if (x & bit) {
			const char *name = t == FW_T_CT_STATE ? state[i].name : status[i].name;
			int r = name_elem(v, n, name);

			if (r < 0)
				return r;
			seen |= bit;
		}
	}
	return x && seen == x ? 0 : -EOPNOTSUPP;
}

int fw_nl_value(struct fw_elem **v, size_t *n, enum fw_nl_type t, const unsigned char *b,
		size_t len)
{
	char name[IF_NAMESIZE + 12];
	const char *s = NULL;
	uint32_t x = 0;
	struct fw_elem *e;
	int r;

	switch (t) {
	case FW_T_PORT:
	case FW_T_INT_BE:
		if (len > 4)
			return -EOPNOTSUPP;
		for (size_t i = 0; i < len; i++)
			x = x << 8 | b[i];
		return num_elem(v, n, x);
	case FW_T_ADDR4:
	case FW_T_ADDR6:
		if (len != (t == FW_T_ADDR4 ? 4u : 16u))
			return -EOPNOTSUPP;
		if (!(e = fw_grow(v, n, sizeof(*e))))
			return -ENOMEM;
		e->kind = FW_ELEM_ADDR;
		e->family = t == FW_T_ADDR4 ? AF_INET : AF_INET6;
		memcpy(e->alo, b, len);
		memcpy(e->ahi, b, len);
		return 0;
	case FW_T_PROTO:
	case FW_T_ICMP:
	case FW_T_ICMP6:
	case FW_T_NFPROTO:
		if (len != 1)
			return -EOPNOTSUPP;
		if (t == FW_T_PROTO && (r = proto_name(b[0], &s)) < 0)
			return r;
		s = t == FW_T_PROTO ? s :
		    t == FW_T_ICMP ? table_name(icmp_types, 19, b[0]) :
		    t == FW_T_ICMP6 ? table_name(icmp6_types, 144, b[0]) :
		    b[0] == NFPROTO_IPV4 ? "ipv4" : b[0] == NFPROTO_IPV6 ? "ipv6" : NULL;
		return s ? name_elem(v, n, s) : num_elem(v, n, b[0]);
	case FW_T_IFINDEX:
		if (len != 4)
			return -EOPNOTSUPP;
		x = host32(b, len);
		if (if_indextoname(x, name))
			return name_elem(v, n, name);
		/* no such interface: nft shows the number, as a string; could not ask: say so */
		if (errno != ENXIO && errno != ENODEV)
			return -errno;
		snprintf(name, sizeof(name), "%u", x);
		return name_elem(v, n, name);
	case FW_T_IFNAME: {
		const unsigned char *nul = memchr(b, '\0', len);
		size_t l = nul ? (size_t)(nul - b) : len;

		if (l == 0 || l > IF_NAMESIZE - 1 || memchr(b, '*', l))
			return -EOPNOTSUPP;
		for (size_t i = l; i < len; i++)
			if (b[i])
				return -EOPNOTSUPP;
		memcpy(name, b, l);
		name[l] = '\0';
		if (!nul)
			strcat(name, "*"); /* a prefix: nft shows the wildcard */
		return name_elem(v, n, name);
	}
	case FW_T_CT_STATE:
	case FW_T_CT_STATUS:
		if (len != 4)
			return -EOPNOTSUPP;
		return bit_names(v, n, t, host32(b, len));
	case FW_T_FIB_ADDR:
		if (len != 4)
			return -EOPNOTSUPP;
		x = host32(b, len);
		return x < 12 ? name_elem(v, n, fib_types[x]) : num_elem(v, n, x);
	default:
		return -EOPNOTSUPP;
	}
}

void fw_nl_sortkey(enum fw_nl_type t, const unsigned char *v, size_t len, unsigned char key[16])
{
	memset(key, 0, 16);
	if (len > 16)
		len = 16;
	switch (t) {
	case FW_T_IFINDEX:
	case FW_T_CT_STATE:
	case FW_T_CT_STATUS:
	case FW_T_FIB_ADDR: {
		uint32_t x = host32(v, len);

		key[12] = (unsigned char)(x >> 24), key[13] = (unsigned char)(x >> 16);
		key[14] = (unsigned char)(x >> 8), key[15] = (unsigned char)x;
		break;
	}
	case FW_T_IFNAME:
		/* nft holds a string as a number in host order: on a little-endian host its last
		 * byte counts most */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		for (size_t i = 0; i < len; i++)
			key[15 - i] = v[i];
#else
		memcpy(key + 16 - len, v, len);
#endif
		break;
	default:
		memcpy(key + 16 - len, v, len);
	}
}
