/* Loading a ruleset fixture of tests/data/firewall (NAME.json, and NAME.txt when present). */
#ifndef TEST_FW_FIXTURE_H
#define TEST_FW_FIXTURE_H

#include <fcntl.h>
#include <stdlib.h>

#include "listen/fileio.h"
#include "listen/firewall.h"

/* Parse fixture name into rs, with its text listing when with_text. */
static inline void fw_fixture(struct fw_ruleset *rs, const char *name, bool with_text)
{
	char path[512], *json, *text = NULL;
	size_t len, tlen = 0;

	snprintf(path, sizeof(path), "%s/firewall/%s.json", LISTEN_DATA_DIR, name);
	assert_int_equal(fileio_read_all(AT_FDCWD, path, SIZE_MAX, &json, &len), 0);
	snprintf(path, sizeof(path), "%s/firewall/%s.txt", LISTEN_DATA_DIR, name);
	if (with_text)
		assert_int_equal(fileio_read_all(AT_FDCWD, path, SIZE_MAX, &text, &tlen), 0);
	*rs = (struct fw_ruleset){ 0 };
	assert_int_equal(fw_parse(rs, json, len, text, tlen), 0);
	free(json);
	free(text);
}

#endif
