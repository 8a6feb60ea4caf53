/*
 * fwdump: the calling namespace's firewall ruleset read both ways (libnftables' JSON and
 * text listings; the kernel's nfnetlink dumps), as canonical records (tests/fw_canon.h).
 *
 *   fwdump compare [--fallback-ok]   read both, exit 1 and show the first difference if the
 *                                    records differ (or the netlink decoder fell back)
 *   fwdump nft | nl                  the records one way
 *   fwdump capture FILE              the dump replies the netlink reader decodes, to FILE
 *   fwdump parse FILE                the records of captured dump replies
 *
 * Needs CAP_NET_ADMIN. Exit status 2 on a usage or read error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../fw_canon.h"
#include "listen/fileio.h"
#include "listen/firewall.h"
#include "listen/firewall_nl.h"
#include "listen/priv.h"

static int usage(void)
{
	fprintf(stderr, "usage: fwdump compare [--fallback-ok] | nft | nl | capture FILE | "
			"parse FILE\n");
	return 2;
}

/* Read the ruleset one way into rs; report a failure. */
static int read_one(const char *how, struct fw_ruleset *rs)
{
	int r = strcmp(how, "nft") == 0 ? fw_read_nft(rs) : fw_read_nl(rs);

	if (r < 0)
		fprintf(stderr, "fwdump: %s: %s\n", how, strerror(-r));
	return r;
}

static int compare(bool fallback_ok)
{
	struct fw_ruleset a = { 0 }, b = { 0 };
	char *ta = NULL, *tb = NULL, diff[2048];
	int r = read_one("nft", &a), rc = 2;

	if (r == 0) {
		r = fw_read_nl(&b);
		if (r == -EOPNOTSUPP && fallback_ok) {
			printf("fallback: the netlink decoder leaves it to libnftables\n");
			rc = 0;
			goto out;
		}
		if (r < 0) {
			fprintf(stderr, "fwdump: nl: %s\n", strerror(-r));
			rc = 1;
			goto out;
		}
	}
	if (r < 0 || !(ta = fw_canon_str(&a)) || !(tb = fw_canon_str(&b)))
		goto out;
	if (strcmp(ta, tb) == 0) {
		printf("same: %zu chains, %zu rules, %zu sets\n", a.nchains, a.nrules, a.nsets);
		rc = 0;
	} else {
		fw_canon_diff(ta, tb, diff, sizeof(diff));
		printf("differ (a: libnftables, b: netlink) at %s\n", diff);
		rc = 1;
	}
out:
	free(ta);
	free(tb);
	fw_ruleset_free(&a);
	fw_ruleset_free(&b);
	return rc;
}

int main(int argc, char **argv)
{
	struct fw_ruleset rs = { 0 };
	char *buf = NULL;
	size_t len = 0;
	int r;

	if (priv_init() < 0 || argc < 2)
		return argc < 2 ? usage() : 2;
	if (strcmp(argv[1], "compare") == 0)
		return compare(argc > 2 && strcmp(argv[2], "--fallback-ok") == 0);
	if (strcmp(argv[1], "nft") == 0 || strcmp(argv[1], "nl") == 0) {
		if (read_one(argv[1], &rs) < 0)
			return 2;
		fw_canon(stdout, &rs);
		fw_ruleset_free(&rs);
		return 0;
	}
	if (argc != 3)
		return usage();
	if (strcmp(argv[1], "capture") == 0) {
		FILE *f;

		if ((r = fw_nl_dump(&buf, &len)) < 0) {
			fprintf(stderr, "fwdump: %s\n", strerror(-r));
			return 2;
		}
		f = fopen(argv[2], "w");
		r = f && fwrite(buf, 1, len, f) == len ? 0 : -1;
		if (f && fclose(f) != 0)
			r = -1;
		free(buf);
		if (r < 0)
			perror(argv[2]);
		return r < 0 ? 2 : 0;
	}
	if (strcmp(argv[1], "parse") != 0)
		return usage();
	if ((r = fileio_read_all(AT_FDCWD, argv[2], SIZE_MAX, &buf, &len)) < 0 ||
	    (r = fw_nl_parse(&rs, buf, len)) < 0) {
		fprintf(stderr, "fwdump: %s: %s\n", argv[2], strerror(-r));
		free(buf);
		fw_ruleset_free(&rs);
		return 2;
	}
	fw_canon(stdout, &rs);
	free(buf);
	fw_ruleset_free(&rs);
	return 0;
}
