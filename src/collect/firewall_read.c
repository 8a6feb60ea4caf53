/* Reading a namespace's ruleset through libnftables, with CAP_NET_ADMIN raised around it. */
#include <errno.h>
#include <fcntl.h>
#include <nftables/libnftables.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "listen/fileio.h"
#include "listen/firewall.h"
#include "listen/priv.h"

/* Run `list ruleset` with these output flags; *out is a copy of the buffered output. */
static int list_ruleset(unsigned flags, char **out, size_t *len)
{
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
	const char *text, *err;
	int r = 0;

	if (!nft)
		return -ENOMEM;
	nft_ctx_output_set_flags(nft, flags);
	if (nft_ctx_buffer_output(nft) || nft_ctx_buffer_error(nft)) {
		nft_ctx_free(nft);
		return -ENOMEM;
	}
	priv_raise(PRIV_NETADMIN);
	if (nft_run_cmd_from_buffer(nft, "list ruleset") != 0)
		r = -EIO;
	priv_lower();
	text = nft_ctx_get_output_buffer(nft);
	err = nft_ctx_get_error_buffer(nft);
	if (r < 0 && err && strstr(err, "Operation not permitted"))
		r = -EPERM;
	else if (r < 0 && err && strstr(err, "Protocol not supported"))
		r = -ENOSYS;
	if (r == 0) {
		*len = text ? strlen(text) : 0;
		*out = strdup(text ? text : "");
		r = *out ? 0 : -ENOMEM;
	}
	nft_ctx_free(nft);
	return r;
}

/*
 * Whether iptables-legacy has tables in this namespace. The legacy x_tables register each
 * table a namespace uses in /proc/net/ip_tables_names (ip6_tables_names for IPv6); the file
 * is empty, or absent without the module, when only nftables (and iptables-nft) is used.
 * thread-self: /proc/self/net is the namespace of the process's first thread, not this one.
 */
static bool legacy_tables(void)
{
	static const char *const names[] = { "/proc/thread-self/net/ip_tables_names",
					     "/proc/thread-self/net/ip6_tables_names" };
	bool legacy = false;

	for (size_t i = 0; i < 2 && !legacy; i++) {
		char *buf = NULL;
		size_t len = 0;

		if (fileio_read_all(AT_FDCWD, names[i], 1 << 16, &buf, &len) == 0)
			legacy = len > 0;
		free(buf);
	}
	return legacy;
}

int fw_read(struct fw_ruleset *rs)
{
	char *json = NULL, *text = NULL;
	size_t len = 0, tlen = 0;
	int r;

	/* libnftables prints its own "(you must be root)" on stderr when refused: ask first. */
	if (!priv_can(PRIV_NETADMIN))
		return -EPERM;
	fw_seed();
	r = list_ruleset(NFT_CTX_OUTPUT_JSON, &json, &len);

	/* Only iptables-nft's extensions need the text listing (their JSON is {"xt": ...}):
	 * read it then, and parse once. Without it they stay unknown. */
	if (r == 0 && strstr(json, "\"xt\":") &&
	    list_ruleset(NFT_CTX_OUTPUT_HANDLE, &text, &tlen) < 0)
		text = NULL;
	if (r == 0)
		r = fw_parse(rs, json, len, text, tlen);
	if (r == 0)
		rs->legacy = legacy_tables();
	free(json);
	free(text);
	return r;
}
