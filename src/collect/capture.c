/* Netlink captures: reply datagrams written as they arrive, read back for replays. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "listen/capture.h"

int capture_write(FILE *f, enum capture_source source, uint8_t family, uint8_t protocol,
		  const void *buf, size_t len)
{
	struct capture_hdr h = { .family = family, .protocol = protocol,
				 .source = (uint16_t)source, .len = (uint32_t)len };

	if (len > UINT32_MAX || fwrite(&h, sizeof(h), 1, f) != 1 || fwrite(buf, 1, len, f) != len)
		return -EIO;
	return 0;
}

int capture_each(const void *buf, size_t len, enum capture_source source,
		 int (*fn)(void *ctx, const struct capture_hdr *h, const void *payload), void *ctx)
{
	const unsigned char *at = buf, *end = at + len;
	size_t magic = sizeof(CAPTURE_MAGIC) - 1;
	void *scratch = NULL;
	int r = 0;

	if (len < magic || memcmp(at, CAPTURE_MAGIC, magic) != 0)
		return -EBADMSG;
	at += magic;
	while (r >= 0 && at < end) {
		struct capture_hdr h;

		if ((size_t)(end - at) < sizeof(h)) {
			r = -EBADMSG;
			break;
		}
		memcpy(&h, at, sizeof(h));
		at += sizeof(h);
		if (h.len > (size_t)(end - at) || h.source > CAPTURE_SOCK_DIAG_MPTCP) {
			r = -EBADMSG;
			break;
		}
		if (h.source == source) {
			/* Netlink headers need 4-byte alignment; the file gives no such promise. */
			void *aligned = realloc(scratch, h.len ? h.len : 1);

			if (!aligned) {
				r = -ENOMEM;
				break;
			}
			scratch = aligned;
			memcpy(scratch, at, h.len);
			r = fn(ctx, &h, scratch);
		}
		at += h.len;
	}
	free(scratch);
	return r < 0 ? r : 0;
}

struct replay {
	uint8_t family;
	capture_parse_fn *parse;
	void *parser;
};

static int replay_one(void *ctx, const struct capture_hdr *h, const void *payload)
{
	const struct replay *rp = ctx;

	return h->family == rp->family ? rp->parse(rp->parser, payload, h->len) : 0;
}

int capture_replay(const void *buf, size_t len, uint8_t family, capture_parse_fn *parse,
		   void *parser)
{
	struct replay rp = { family, parse, parser };

	return capture_each(buf, len, CAPTURE_SOCK_DIAG, replay_one, &rp);
}
