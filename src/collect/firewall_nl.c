/* nfnetlink dump replies (chains, sets, set elements, rules) into ruleset records. */
/* glibc's networking headers before the kernel's (linux/in.h defers to them) */
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <endian.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
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
			int r = name_elem(v, n, t == FW_T_CT_STATE ? state[i].name : status[i].name);

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
		/* nft holds a string as a number in host order: its last byte counts most */
		for (size_t i = 0; i < len; i++)
			key[15 - i] = v[i];
		break;
	default:
		memcpy(key + 16 - len, v, len);
	}
}

/* A set element as the dump gives it, decoded once its set is complete. */
struct raw_elem {
	unsigned char key[16];
	uint32_t klen;
	uint32_t flags;          /* NFT_SET_ELEM_INTERVAL_END */
	bool has_verdict;
	int verdict;
	char *chain;
};

struct raw_list {
	struct raw_elem *v;
	size_t n, cap;
};

struct parse {
	struct fw_ruleset *rs;
	struct fw_nl_set *sets;
	size_t nsets;
	struct raw_list *raw;    /* per set: its elements as dumped */
	size_t rcap;
	struct fw_nl_rulemsg *rules;
	size_t nrules, crules;
	size_t ccap, scap;
};

/* nft's name of a family this decoder reads, else NULL. */
static const char *family_name(int f)
{
	return f == NFPROTO_IPV4 ? "ip" : f == NFPROTO_IPV6 ? "ip6" : f == NFPROTO_INET ? "inet"
										 : NULL;
}

static uint8_t family_of(int f)
{
	return f == NFPROTO_IPV4 ? FW_FAM_IP : f == NFPROTO_IPV6 ? FW_FAM_IP6 : FW_FAM_INET;
}

/* Grow *p (of *cap items of size bytes) to hold n + 1; false when memory runs out. */
static bool reserve(void *pv, size_t *cap, size_t n, size_t size)
{
	void **p = pv;
	void *v;
	size_t c = *cap ? *cap * 2 : 16;

	if (n < *cap)
		return true;
	if (!(v = realloc(*p, c * size)))
		return false;
	*p = v;
	*cap = c;
	return true;
}

/* Attributes by type, up to max (the rest skipped, as libmnl's examples do). */
struct attrs {
	const struct nlattr **tb;
	uint16_t max;
};

static int attr_cb(const struct nlattr *a, void *data)
{
	const struct attrs *t = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type <= t->max)
		t->tb[type] = a;
	return MNL_CB_OK;
}

/* The attributes of a message (after its nfgenmsg) or of a nested attribute into tb. */
static int parse_msg(const struct nlmsghdr *nlh, const struct nlattr **tb, uint16_t max)
{
	struct attrs t = { tb, max };

	return mnl_attr_parse(nlh, sizeof(struct nfgenmsg), attr_cb, &t) < 0 ? -EBADMSG : 0;
}

static int parse_nested(const struct nlattr *a, const struct nlattr **tb, uint16_t max)
{
	struct attrs t = { tb, max };

	if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	return mnl_attr_parse_nested(a, attr_cb, &t) < 0 ? -EBADMSG : 0;
}

/* A string attribute ended by its NUL, else NULL. */
static const char *attr_str(const struct nlattr *a)
{
	return a && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0 ? mnl_attr_get_str(a) : NULL;
}

/* A 32-bit attribute (network order), or dflt when absent; *bad when it is malformed. */
static uint32_t attr_u32(const struct nlattr *a, uint32_t dflt, bool *bad)
{
	if (!a)
		return dflt;
	if (mnl_attr_validate(a, MNL_TYPE_U32) < 0) {
		*bad = true;
		return dflt;
	}
	return ntohl(mnl_attr_get_u32(a));
}

/* A chain record of a NEWCHAIN message. */
static int add_chain(struct parse *p, const struct nlmsghdr *nlh, int family)
{
	const struct nlattr *tb[NFTA_CHAIN_MAX + 1] = { 0 }, *hook[NFTA_HOOK_MAX + 1] = { 0 };
	const char *table, *name, *type;
	struct fw_chain *ch;
	bool bad = false;

	if (parse_msg(nlh, tb, NFTA_CHAIN_MAX) < 0 || !(table = attr_str(tb[NFTA_CHAIN_TABLE])) ||
	    !(name = attr_str(tb[NFTA_CHAIN_NAME])) ||
	    (tb[NFTA_CHAIN_HOOK] && parse_nested(tb[NFTA_CHAIN_HOOK], hook, NFTA_HOOK_MAX) < 0))
		return -EBADMSG;
	if (!reserve(&p->rs->chains, &p->ccap, p->rs->nchains, sizeof(*ch)))
		return -ENOMEM;
	ch = &p->rs->chains[p->rs->nchains++];
	*ch = (struct fw_chain){ .family = family_of(family), .policy = FW_V_ACCEPT };
	ch->family_name = strdup(family_name(family));
	ch->table = strdup(table);
	ch->name = strdup(name);
	if (!ch->family_name || !ch->table || !ch->name)
		return -ENOMEM;
	if (hook[NFTA_HOOK_HOOKNUM]) {
		uint32_t h = attr_u32(hook[NFTA_HOOK_HOOKNUM], 0, &bad);

		ch->hook = h == NF_INET_PRE_ROUTING ? FW_HOOK_PREROUTING :
			   h == NF_INET_LOCAL_IN ? FW_HOOK_INPUT :
			   h == NF_INET_FORWARD ? FW_HOOK_FORWARD : FW_HOOK_OTHER;
		ch->prio = (int32_t)attr_u32(hook[NFTA_HOOK_PRIORITY], 0, &bad);
		type = attr_str(tb[NFTA_CHAIN_TYPE]);
		ch->nat = type && strcmp(type, "nat") == 0;
		if (attr_u32(tb[NFTA_CHAIN_POLICY], NF_ACCEPT, &bad) == NF_DROP)
			ch->policy = FW_V_DROP;
	}
	return bad ? -EBADMSG : 0;
}

/* A set of a NEWSET message. */
static int add_set(struct parse *p, const struct nlmsghdr *nlh, int family)
{
	const struct nlattr *tb[NFTA_SET_MAX + 1] = { 0 };
	const char *table, *name;
	struct fw_nl_set *set;
	bool bad = false;

	if (parse_msg(nlh, tb, NFTA_SET_MAX) < 0 || !(table = attr_str(tb[NFTA_SET_TABLE])) ||
	    !(name = attr_str(tb[NFTA_SET_NAME])))
		return -EBADMSG;
	if (!reserve(&p->sets, &p->scap, p->nsets, sizeof(*set)) ||
	    !reserve(&p->raw, &p->rcap, p->nsets, sizeof(*p->raw)))
		return -ENOMEM;
	set = &p->sets[p->nsets];
	p->raw[p->nsets++] = (struct raw_list){ 0 };
	*set = (struct fw_nl_set){ .family = family_of(family) };
	set->table = strdup(table);
	set->name = strdup(name);
	set->flags = attr_u32(tb[NFTA_SET_FLAGS], 0, &bad);
	set->key_type = attr_u32(tb[NFTA_SET_KEY_TYPE], 0, &bad);
	set->key_len = attr_u32(tb[NFTA_SET_KEY_LEN], 0, &bad);
	set->data_type = attr_u32(tb[NFTA_SET_DATA_TYPE], 0, &bad);
	if (!set->table || !set->name)
		return -ENOMEM;
	return bad ? -EBADMSG : 0;
}

/* The set of family named name in table, or -1. */
static long set_index(const struct parse *p, int family, const char *table, const char *name)
{
	for (size_t i = p->nsets; i-- > 0;)
		if (p->sets[i].family == family_of(family) && strcmp(p->sets[i].name, name) == 0 &&
		    strcmp(p->sets[i].table, table) == 0)
			return (long)i;
	return -1;
}

/* The value of a data attribute (its nested NFTA_DATA_VALUE), or NULL. */
static const struct nlattr *data_value(const struct nlattr *a)
{
	const struct nlattr *tb[NFTA_DATA_MAX + 1] = { 0 };

	if (!a || parse_nested(a, tb, NFTA_DATA_MAX) < 0)
		return NULL;
	return tb[NFTA_DATA_VALUE];
}

/* One element of a NEWSETELEM message. */
static int add_elem(struct raw_list *l, const struct nlattr *a)
{
	const struct nlattr *tb[NFTA_SET_ELEM_MAX + 1] = { 0 }, *key, *data[NFTA_DATA_MAX + 1] = { 0 };
	const struct nlattr *vd[NFTA_VERDICT_MAX + 1] = { 0 };
	struct raw_elem *re;
	bool bad = false;

	if (mnl_attr_get_type(a) != NFTA_LIST_ELEM || parse_nested(a, tb, NFTA_SET_ELEM_MAX) < 0)
		return -EBADMSG;
	if (tb[NFTA_SET_ELEM_KEY_END] || tb[NFTA_SET_ELEM_EXPR] || tb[NFTA_SET_ELEM_EXPRESSIONS])
		return -EOPNOTSUPP; /* a concatenation of ranges, expressions (counters...) */
	if (!(key = data_value(tb[NFTA_SET_ELEM_KEY])) || mnl_attr_get_payload_len(key) > 16 ||
	    (tb[NFTA_SET_ELEM_DATA] && parse_nested(tb[NFTA_SET_ELEM_DATA], data, NFTA_DATA_MAX)) ||
	    (data[NFTA_DATA_VERDICT] && parse_nested(data[NFTA_DATA_VERDICT], vd, NFTA_VERDICT_MAX)))
		return -EBADMSG;
	if (!reserve(&l->v, &l->cap, l->n, sizeof(*re)))
		return -ENOMEM;
	re = &l->v[l->n++];
	*re = (struct raw_elem){ .klen = mnl_attr_get_payload_len(key) };
	memcpy(re->key, mnl_attr_get_payload(key), re->klen);
	re->flags = attr_u32(tb[NFTA_SET_ELEM_FLAGS], 0, &bad);
	if (vd[NFTA_VERDICT_CODE]) {
		re->has_verdict = true;
		re->verdict = (int)attr_u32(vd[NFTA_VERDICT_CODE], 0, &bad);
		if (vd[NFTA_VERDICT_CHAIN] && !attr_str(vd[NFTA_VERDICT_CHAIN]))
			bad = true;
		else if (vd[NFTA_VERDICT_CHAIN] &&
			 !(re->chain = strdup(attr_str(vd[NFTA_VERDICT_CHAIN]))))
			return -ENOMEM;
	}
	return bad ? -EBADMSG : 0;
}

/* The elements of a NEWSETELEM message, kept as dumped until the set is complete. */
static int add_elems(struct parse *p, const struct nlmsghdr *nlh, int family)
{
	const struct nlattr *tb[NFTA_SET_ELEM_LIST_MAX + 1] = { 0 }, *a;
	const char *table, *name;
	long i;
	int r = 0;

	if (parse_msg(nlh, tb, NFTA_SET_ELEM_LIST_MAX) < 0 ||
	    !(table = attr_str(tb[NFTA_SET_ELEM_LIST_TABLE])) ||
	    !(name = attr_str(tb[NFTA_SET_ELEM_LIST_SET])) ||
	    (i = set_index(p, family, table, name)) < 0)
		return -EBADMSG;
	if (!tb[NFTA_SET_ELEM_LIST_ELEMENTS])
		return 0;
	if (mnl_attr_validate(tb[NFTA_SET_ELEM_LIST_ELEMENTS], MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	mnl_attr_for_each_nested(a, tb[NFTA_SET_ELEM_LIST_ELEMENTS])
		if (r == 0)
			r = add_elem(&p->raw[i], a);
	return r;
}

/* A rule's attributes by type. */
static int rule_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	uint16_t t = mnl_attr_get_type(a);

	if (t <= NFTA_RULE_MAX)
		tb[t] = a;
	return MNL_CB_OK;
}

/* A NEWRULE message, decoded once every set is read (its attributes point into buf). */
static int add_rule(struct parse *p, const struct nlmsghdr *nlh, int family)
{
	const struct nlattr *tb[NFTA_RULE_MAX + 1] = { 0 };
	struct fw_nl_rulemsg *m;

	if (mnl_attr_parse(nlh, sizeof(struct nfgenmsg), rule_attr, tb) < 0 ||
	    !tb[NFTA_RULE_TABLE] || !tb[NFTA_RULE_CHAIN] || !tb[NFTA_RULE_HANDLE] ||
	    mnl_attr_validate(tb[NFTA_RULE_TABLE], MNL_TYPE_NUL_STRING) < 0 ||
	    mnl_attr_validate(tb[NFTA_RULE_CHAIN], MNL_TYPE_NUL_STRING) < 0 ||
	    mnl_attr_validate(tb[NFTA_RULE_HANDLE], MNL_TYPE_U64) < 0 ||
	    (tb[NFTA_RULE_EXPRESSIONS] &&
	     mnl_attr_validate(tb[NFTA_RULE_EXPRESSIONS], MNL_TYPE_NESTED) < 0))
		return -EBADMSG;
	if (!reserve(&p->rules, &p->crules, p->nrules, sizeof(*p->rules)))
		return -ENOMEM;
	m = &p->rules[p->nrules++];
	*m = (struct fw_nl_rulemsg){
		.family = family,
		.table = mnl_attr_get_str(tb[NFTA_RULE_TABLE]),
		.chain = mnl_attr_get_str(tb[NFTA_RULE_CHAIN]),
		.handle = be64toh(mnl_attr_get_u64(tb[NFTA_RULE_HANDLE])),
		.exprs = tb[NFTA_RULE_EXPRESSIONS],
	};
	if (tb[NFTA_RULE_USERDATA]) {
		m->udata = mnl_attr_get_payload(tb[NFTA_RULE_USERDATA]);
		m->ulen = mnl_attr_get_payload_len(tb[NFTA_RULE_USERDATA]);
	}
	return 0;
}

/* One message of the replies. */
static int message(struct parse *p, const struct nlmsghdr *nlh)
{
	const struct nfgenmsg *g;
	int family;

	if (nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_NOOP)
		return 0;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

		return nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err)) || err->error ? -EBADMSG : 0;
	}
	if (NFNL_SUBSYS_ID(nlh->nlmsg_type) != NFNL_SUBSYS_NFTABLES ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*g)))
		return -EBADMSG;
	g = mnl_nlmsg_get_payload(nlh);
	family = g->nfgen_family;
	if (!family_name(family))
		return 0; /* bridge, arp, netdev: nothing the evaluator looks at */
	switch (NFNL_MSG_TYPE(nlh->nlmsg_type)) {
	case NFT_MSG_NEWCHAIN: return add_chain(p, nlh, family);
	case NFT_MSG_NEWSET: return add_set(p, nlh, family);
	case NFT_MSG_NEWSETELEM: return add_elems(p, nlh, family);
	case NFT_MSG_NEWRULE: return add_rule(p, nlh, family);
	default: return 0;
	}
}

/* The verdict of a map element. */
static int elem_verdict(struct fw_elem *e, const struct raw_elem *re)
{
	switch (re->verdict) {
	case NF_ACCEPT: e->verdict = FW_V_ACCEPT; return 0;
	case NF_DROP: e->verdict = FW_V_DROP; return 0;
	case NFT_CONTINUE: e->verdict = FW_V_CONTINUE; return 0;
	case NFT_RETURN: e->verdict = FW_V_RETURN; return 0;
	case NFT_JUMP: e->verdict = FW_V_JUMP; break;
	case NFT_GOTO: e->verdict = FW_V_GOTO; break;
	default: return -EOPNOTSUPP;
	}
	if (!re->chain)
		return -EOPNOTSUPP;
	return (e->target = strdup(re->chain)) ? 0 : -ENOMEM;
}

/* Order of raw elements by their value as nft compares them (ends first at a tie). */
static int raw_cmp(const void *a, const void *b, void *type)
{
	const struct raw_elem *x = a, *y = b;
	unsigned char kx[16], ky[16];
	int c;

	fw_nl_sortkey(*(enum fw_nl_type *)type, x->key, x->klen, kx);
	fw_nl_sortkey(*(enum fw_nl_type *)type, y->key, y->klen, ky);
	c = memcmp(kx, ky, 16);
	if (c)
		return c;
	return (int)(y->flags & NFT_SET_ELEM_INTERVAL_END) - (int)(x->flags & NFT_SET_ELEM_INTERVAL_END);
}

/* The interval [lo, hi) of an element that ends before the value end: hi = end - 1. */
static void minus_one(unsigned char *v, size_t len)
{
	for (size_t i = len; i-- > 0;)
		if (v[i]--)
			break;
}

/* The elements of an interval set: each start element opens an interval, the end element
 * after it (the first value past it) closes it; one left open runs to the last value. */
static int set_intervals(struct fw_nl_set *s, const struct raw_elem *v, size_t n,
			 enum fw_nl_type t)
{
	struct fw_elem *open = NULL;

	if (t != FW_T_PORT && t != FW_T_ADDR4 && t != FW_T_ADDR6)
		return -EOPNOTSUPP;
	for (size_t i = 0; i < n; i++) {
		unsigned char hi[16];
		int r;

		if (v[i].flags & NFT_SET_ELEM_INTERVAL_END) {
			if (!open)
				continue; /* the marker before the first interval */
			memcpy(hi, v[i].key, v[i].klen);
			minus_one(hi, v[i].klen);
			if (open->kind == FW_ELEM_NUM) {
				struct fw_elem *tmp = NULL;
				size_t m = 0;

				if ((r = fw_nl_value(&tmp, &m, t, hi, v[i].klen)) < 0)
					return r;
				open->hi = tmp->hi;
				free(tmp);
			} else {
				memcpy(open->ahi, hi, v[i].klen);
			}
			open = NULL;
			continue;
		}
		if (open)
			return -EOPNOTSUPP; /* two starts: not a layout this decoder knows */
		if ((r = fw_nl_value(&s->elems, &s->nelems, t, v[i].key, v[i].klen)) < 0)
			return r;
		open = &s->elems[s->nelems - 1];
		if (v[i].has_verdict && (r = elem_verdict(open, &v[i])) < 0)
			return r;
	}
	if (open && open->kind == FW_ELEM_NUM)
		open->hi = t == FW_T_PORT && s->key_len == 2 ? 0xffff : UINT32_MAX;
	else if (open)
		memset(open->ahi, 0xff, sizeof(open->ahi));
	return 0;
}

/* Decode a set's elements as nft lists them: sorted by value, intervals joined. */
static int set_decode(struct fw_nl_set *s, struct raw_list *l)
{
	enum fw_nl_type t = fw_nl_type_of(s->key_type);

	if (!l->n)
		return 0;
	if (t == FW_T_NONE || (s->flags & NFT_SET_CONCAT))
		return -EOPNOTSUPP;
	qsort_r(l->v, l->n, sizeof(*l->v), raw_cmp, &t);
	if (s->flags & NFT_SET_INTERVAL)
		return set_intervals(s, l->v, l->n, t);
	for (size_t i = 0; i < l->n; i++) {
		size_t before = s->nelems;
		int r = fw_nl_value(&s->elems, &s->nelems, t, l->v[i].key, l->v[i].klen);

		if (r == 0 && s->nelems != before + 1)
			r = -EOPNOTSUPP; /* several flags in one element */
		if (r == 0 && l->v[i].has_verdict)
			r = elem_verdict(&s->elems[before], &l->v[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Whether chain c is family's chain named name in table. */
static bool chain_is(const struct fw_chain *c, const char *fam, const char *table,
		     const char *name)
{
	return strcmp(c->name, name) == 0 && strcmp(c->table, table) == 0 &&
	       strcmp(c->family_name, fam) == 0;
}

/* The chain of a rule. The dump lists rules chain after chain, in the chains' order: try the
 * previous rule's chain and the one after it before all of them. */
static long rule_chain(const struct fw_ruleset *rs, const struct fw_nl_rulemsg *r, long last)
{
	const char *fam = family_name(r->family), *table = r->table, *chain = r->chain;

	if (!fam)
		return -1;
	for (long i = last; i >= 0 && i <= last + 1 && (size_t)i < rs->nchains; i++)
		if (chain_is(&rs->chains[i], fam, table, chain))
			return i;
	for (size_t i = 0; i < rs->nchains; i++)
		if (chain_is(&rs->chains[i], fam, table, chain))
			return (long)i;
	return -1;
}

/* Decode every rule into rs, grouped by chain in each chain's order. */
static int decode_rules(struct parse *p)
{
	struct fw_ruleset *rs = p->rs;
	size_t *count = calloc(rs->nchains + 1, sizeof(*count));
	struct fw_rule *sorted;
	long c = -1;
	int r = 0;

	if (!count || !(rs->rules = calloc(p->nrules ? p->nrules : 1, sizeof(*rs->rules)))) {
		free(count);
		return -ENOMEM;
	}
	for (size_t i = 0; i < p->nrules && r == 0; i++) {
		struct fw_rule *rule = &rs->rules[rs->nrules];

		if ((c = rule_chain(rs, &p->rules[i], c)) < 0) {
			r = -EBADMSG;
			break;
		}
		rs->nrules++;
		rule->chain = (size_t)c;
		rule->handle = p->rules[i].handle;
		r = fw_nl_rule(rule, &p->rules[i], p->sets, p->nsets, &rs->xt);
		count[c + 1]++;
	}
	if (r < 0 || !(sorted = malloc((rs->nrules ? rs->nrules : 1) * sizeof(*sorted)))) {
		free(count);
		return r < 0 ? r : -ENOMEM;
	}
	for (size_t i = 0; i < rs->nchains; i++) {
		rs->chains[i].first = count[i];
		rs->chains[i].nrules = count[i + 1];
		count[i + 1] += count[i];
	}
	for (size_t i = 0; i < rs->nrules; i++)
		sorted[count[rs->rules[i].chain]++] = rs->rules[i];
	free(rs->rules);
	rs->rules = sorted;
	free(count);
	return 0;
}

/* The named sets and maps, in the dump's order, into rs (their elements move). */
static int named_sets(struct parse *p)
{
	struct fw_ruleset *rs = p->rs;

	for (size_t i = 0; i < p->nsets; i++) {
		struct fw_nl_set *s = &p->sets[i];
		struct fw_set *o;

		if (s->flags & NFT_SET_ANONYMOUS)
			continue;
		if (!(o = fw_grow(&rs->sets, &rs->nsets, sizeof(*o))))
			return -ENOMEM;
		o->family = s->family;
		o->map = s->flags & NFT_SET_MAP;
		o->table = s->table;
		o->name = s->name;
		o->elems = s->elems;
		o->nelems = s->nelems;
		s->table = s->name = NULL;
		s->elems = NULL;
		s->nelems = 0;
	}
	return 0;
}

/* Release n elements and the array. */
static void elems_release(struct fw_elem *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].str);
		free(v[i].target);
	}
	free(v);
}

/* Release the parse's own state. */
static void parse_free(struct parse *p)
{
	for (size_t i = 0; i < p->nsets; i++) {
		elems_release(p->sets[i].elems, p->sets[i].nelems);
		free(p->sets[i].table);
		free(p->sets[i].name);
		for (size_t k = 0; k < p->raw[i].n; k++)
			free(p->raw[i].v[k].chain);
		free(p->raw[i].v);
	}
	free(p->sets);
	free(p->raw);
	free(p->rules);
}

int fw_nl_parse(struct fw_ruleset *rs, const void *buf, size_t len)
{
	struct parse p = { .rs = rs };
	const char *at = buf;
	size_t left = len;
	int r = 0;

	/* Not mnl_nlmsg_ok: it takes a length past 2^31 for a short one. */
	while (r == 0 && left >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr h;

		memcpy(&h, at, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > left)
			break;
		r = message(&p, (const struct nlmsghdr *)at);
		if (MNL_ALIGN(h.nlmsg_len) >= left)
			left = 0;
		else
			at += MNL_ALIGN(h.nlmsg_len), left -= MNL_ALIGN(h.nlmsg_len);
	}
	if (r == 0 && left != 0)
		r = -EBADMSG; /* bytes left that are no message */
	for (size_t i = 0; i < p.nsets && r == 0; i++)
		r = set_decode(&p.sets[i], &p.raw[i]);
	if (r == 0)
		r = decode_rules(&p);
	if (r == 0)
		r = named_sets(&p);
	parse_free(&p);
	return r;
}
