/* Names of IP protocols (from protocols(5)) and of ethertypes (a table of the kernel's
 * ETH_P_* constants, spelled as ss spells them). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "listen/fileio.h"
#include "listen/ipproto.h"

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* A name's byte: printable ASCII but blanks and '#' (the table prints the name as it is). */
static bool name_byte(char c)
{
	return c > ' ' && c < 0x7f && c != '#';
}

/* One line, "name number ...", into t unless the number is named already; a name with a byte
 * that is not printable ASCII makes the line one that does not parse. */
static int parse_line(struct ipproto_names *t, const char *p, const char *end)
{
	const char *name, *num;
	size_t name_len, num_len;
	unsigned v = 0;

	while (p < end && blank(*p))
		p++;
	name = p;
	while (p < end && name_byte(*p))
		p++;
	name_len = (size_t)(p - name);
	if (p < end && !blank(*p) && *p != '#')
		return 0;
	while (p < end && blank(*p))
		p++;
	num = p;
	while (p < end && *p >= '0' && *p <= '9' && v <= 255)
		v = v * 10 + (unsigned)(*p++ - '0');
	num_len = (size_t)(p - num);
	if (!name_len || !num_len || num_len > 3 || v > 255 || (p < end && !blank(*p) && *p != '#'))
		return 0;
	if (t->name[v])
		return 0;
	t->name[v] = strndup(name, name_len);
	return t->name[v] ? 0 : -ENOMEM;
}

int ipproto_parse(struct ipproto_names *t, const char *buf, size_t len)
{
	const char *end = buf + len;

	for (const char *line = buf; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		int r;

		if (!nl)
			nl = end;
		r = parse_line(t, line, nl);
		if (r < 0)
			return r;
		line = nl + 1;
	}
	return 0;
}

int ipproto_load(struct ipproto_names *t, const char *path)
{
	char *buf;
	size_t len;
	int r = fileio_read_all(AT_FDCWD, path, 1 << 20, &buf, &len);

	if (fileio_exhausted(r))
		return r;
	if (r < 0)
		return 0; /* missing or unreadable: numbers, as ss prints them then */
	r = ipproto_parse(t, buf, len);
	free(buf);
	return r;
}

void ipproto_free(struct ipproto_names *t)
{
	for (size_t i = 0; i < 256; i++)
		free(t->name[i]);
	*t = (struct ipproto_names){ 0 };
}

const char *ipproto_name(const struct ipproto_names *t, uint8_t proto)
{
	return t ? t->name[proto] : NULL;
}

int ipproto_by_name(const struct ipproto_names *t, const char *name, uint8_t *proto)
{
	for (size_t i = 0; t && i < 256; i++)
		/* protocols(5)'s aliases are mostly the name in capitals ("icmp 1 ICMP"), which
		 * only the first name is kept of: case is not told apart. */
		if (t->name[i] && strcasecmp(t->name[i], name) == 0) {
			*proto = (uint8_t)i;
			return 0;
		}
	return -ENOENT;
}

/* Ethertypes from <linux/if_ether.h>, each the constant's name after ETH_P_ in lower case,
 * but the VLAN tags, which are spelled as their standards. */
static const struct {
	uint16_t type;
	const char *name;
} ether_names[] = {
	{ 0x0001, "802_3" },    { 0x0002, "ax25" },      { 0x0004, "802_2" },
	{ 0x0005, "snap" },     { 0x0006, "ddcmp" },     { 0x0007, "wan_ppp" },
	{ 0x0008, "ppp_mp" },   { 0x0009, "localtalk" }, { 0x000c, "can" },
	{ 0x0010, "ppptalk" },  { 0x0011, "tr_802_2" },  { 0x0015, "mobitex" },
	{ 0x0016, "control" },  { 0x0017, "irda" },      { 0x0018, "econet" },
	{ 0x0060, "loop" },     { 0x0200, "pup" },       { 0x0201, "pupat" },
	{ 0x0800, "ip" },       { 0x0805, "x25" },       { 0x0806, "arp" },
	{ 0x08ff, "bpq" },      { 0x0a00, "ieeepup" },   { 0x0a01, "ieeepupat" },
	{ 0x6000, "dec" },      { 0x6001, "dna_dl" },    { 0x6002, "dna_rc" },
	{ 0x6003, "dna_rt" },   { 0x6004, "lat" },       { 0x6005, "diag" },
	{ 0x6006, "cust" },     { 0x6007, "sca" },       { 0x8035, "rarp" },
	{ 0x809b, "atalk" },    { 0x80f3, "aarp" },      { 0x8100, "802.1Q" },
	{ 0x8137, "ipx" },      { 0x86dd, "ipv6" },      { 0x8863, "ppp_disc" },
	{ 0x8864, "ppp_ses" },  { 0x884c, "atmmpoa" },   { 0x8847, "mpls_uc" },
	{ 0x8848, "mpls_mc" },  { 0x8884, "atmfate" },   { 0x88a2, "aoe" },
	{ 0x88a8, "802.1ad" },  { 0x88ca, "tipc" },      { 0x88cc, "lldp" },
};

enum { NETHER = sizeof(ether_names) / sizeof(ether_names[0]) };

const char *ipproto_ether_name(uint16_t ethertype)
{
	for (size_t i = 0; i < NETHER; i++)
		if (ether_names[i].type == ethertype)
			return ether_names[i].name;
	return NULL;
}

int ipproto_ether_by_name(const char *name, uint16_t *ethertype)
{
	for (size_t i = 0; i < NETHER; i++)
		if (strcmp(ether_names[i].name, name) == 0) {
			*ethertype = ether_names[i].type;
			return 0;
		}
	return -ENOENT;
}
