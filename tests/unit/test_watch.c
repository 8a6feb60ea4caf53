/* Unit tests of the watch's pure parts: intervals in and lifetimes out, the cookie set's diff
 * (new, gone, namespaces not looked at), and the event lines, text and JSON. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "listen/interval.h"
#include "listen/output_events.h"
#include "listen/sbuf.h"
#include "listen/sock.h"
#include "listen/watchset.h"

static uint32_t ms_of(const char *s)
{
	uint32_t ms = 0;

	assert_int_equal(interval_parse(s, &ms), 0);
	return ms;
}

static void intervals(void **state)
{
	static const char *const bad[] = {
		"", "s", "ms", ".5s", "1.s", "1.2345s", "1.5ms", "9ms", "0", "-1s", "1 s", "1sec",
		"25h", "1e3ms", "0x10s", "99999999999999999999s", "1s ", "fast",
	};
	uint32_t ms = 7;

	(void)state;
	assert_int_equal(ms_of("250ms"), 250);
	assert_int_equal(ms_of("1s"), 1000);
	assert_int_equal(ms_of("2.5s"), 2500);
	assert_int_equal(ms_of("0.01s"), 10);
	assert_int_equal(ms_of("1.001s"), 1001);
	assert_int_equal(ms_of("2"), 2000); /* seconds, as watch(1) */
	assert_int_equal(ms_of("1.5m"), 90000);
	assert_int_equal(ms_of("24h"), 24u * 3600 * 1000);
	assert_int_equal(ms_of("10ms"), INTERVAL_MIN_MS);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (interval_parse(bad[i], &ms) != -EINVAL)
			fail_msg("'%s' taken", bad[i]);
	}
	assert_int_equal(ms, 7); /* untouched by a refusal */
}

static void lifetimes(void **state)
{
	static const struct {
		uint64_t ms;
		const char *text;
	} cases[] = {
		{ 0, "0ms" }, { 850, "850ms" }, { 1000, "1.0s" }, { 2549, "2.5s" },
		{ 9999, "9.9s" },
		{ 10000, "10s" }, { 59999, "59s" }, { 60000, "1m00s" }, { 192000, "3m12s" },
		{ 3600000, "1h00m" }, { 7500000, "2h05m" }, { 86400000, "1d00h" },
		{ 273600000, "3d04h" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sbuf b = { 0 };

		interval_text(&b, cases[i].ms);
		assert_string_equal(b.s, cases[i].text);
		sbuf_free(&b);
	}
}

static struct wset_key key(uint64_t netns, uint64_t cookie)
{
	return (struct wset_key){ netns, cookie };
}

static char *row(const char *s)
{
	char *r = strdup(s);

	assert_non_null(r);
	return r;
}

/* Add what a poll found new, with a row. */
static void add(struct wset *s, struct wset_key k, int64_t since, const char *text)
{
	assert_int_equal(wset_add(s, k, since, false, text ? row(text) : NULL,
				  text ? strlen(text) : 0), 0);
}

static void diff_new_and_gone(void **state)
{
	struct wset s = { 0 };
	struct wset_key poll1[] = { key(0, 30), key(0, 10), key(0, 20), key(0, 10) };
	struct wset_key poll2[] = { key(0, 40), key(0, 20) };
	size_t fresh[8], nfresh, ngone;
	struct wset_entry *gone;

	(void)state;
	/* Everything is new to an empty set, in the order given, a repeated key once. */
	assert_int_equal(wset_diff(&s, poll1, 4, fresh, &nfresh, &gone, &ngone, NULL, 0), 0);
	assert_int_equal(nfresh, 3);
	assert_int_equal(fresh[0], 0);
	assert_int_equal(fresh[1], 1);
	assert_int_equal(fresh[2], 2);
	assert_int_equal(ngone, 0);
	assert_null(gone);
	add(&s, poll1[0], 1000, "thirty");
	add(&s, poll1[1], 1000, "ten");
	add(&s, poll1[2], 1000, NULL); /* not printed (the audit's below --fail-on) */
	/* The same again: nothing new, nothing gone. */
	assert_int_equal(wset_diff(&s, poll1, 3, fresh, &nfresh, &gone, &ngone, NULL, 0), 0);
	assert_int_equal(nfresh + ngone, 0);
	/* 10 and 30 gone (in key order, with their rows and times), 40 new. */
	assert_int_equal(wset_diff(&s, poll2, 2, fresh, &nfresh, &gone, &ngone, NULL, 0), 0);
	assert_int_equal(nfresh, 1);
	assert_int_equal(fresh[0], 0);
	assert_int_equal(ngone, 2);
	assert_int_equal(gone[0].key.cookie, 10);
	assert_string_equal(gone[0].row, "ten");
	assert_int_equal(gone[0].since_ms, 1000);
	assert_int_equal(gone[1].key.cookie, 30);
	assert_string_equal(gone[1].row, "thirty");
	wset_entries_free(gone, ngone);
	assert_int_equal(s.len, 1);
	/* An empty poll: all gone. */
	assert_int_equal(wset_diff(&s, NULL, 0, fresh, &nfresh, &gone, &ngone, NULL, 0), 0);
	assert_int_equal(ngone, 1);
	assert_null(gone[0].row);
	wset_entries_free(gone, ngone);
	assert_int_equal(s.len, 0);
	wset_free(&s);
}

/* The same cookie in two namespaces is two sockets; a namespace not dumped this time keeps
 * its sockets; one gone takes its sockets with it. */
static void diff_namespaces(void **state)
{
	struct wset s = { 0 };
	struct wset_key poll[] = { key(1, 5), key(2, 5) };
	uint64_t only1[] = { 1 };
	size_t fresh[4], nfresh, ngone;
	struct wset_entry *gone;

	(void)state;
	assert_int_equal(wset_diff(&s, poll, 2, fresh, &nfresh, &gone, &ngone, NULL, 0), 0);
	assert_int_equal(nfresh, 2);
	add(&s, poll[0], 1, "a");
	add(&s, poll[1], 1, "b");
	assert_int_equal(wset_diff(&s, NULL, 0, fresh, &nfresh, &gone, &ngone, only1, 1), 0);
	assert_int_equal(ngone, 1);
	assert_int_equal(gone[0].key.netns, 1);
	wset_entries_free(gone, ngone);
	assert_int_equal(wset_take_netns(&s, 2, &gone, &ngone), 0);
	assert_int_equal(ngone, 1);
	assert_string_equal(gone[0].row, "b");
	wset_entries_free(gone, ngone);
	assert_int_equal(s.len, 0);
	wset_free(&s);
}

/* A destroy notification takes its socket out by key; rows are set after the fact, in a set
 * filled out of order. */
static void take_and_rows(void **state)
{
	struct wset s = { 0 };
	struct wset_entry e;

	(void)state;
	for (uint64_t c = 100; c > 0; c--)
		add(&s, key(0, c * 7 % 101), (int64_t)c, NULL);
	assert_non_null(wset_set_row(&s, key(0, 14), row("fourteen"), 8));
	assert_null(wset_set_row(&s, key(0, 1000), row("none"), 4)); /* freed */
	assert_true(wset_take(&s, key(0, 14), &e));
	assert_string_equal(e.row, "fourteen");
	assert_int_equal(e.since_ms, 2);
	free(e.row);
	assert_false(wset_take(&s, key(0, 14), &e));
	assert_false(wset_take(&s, key(3, 21), &e));
	assert_int_equal(s.len, 99);
	wset_free(&s);
}

/* Sockets without a cookie (from /proc/net) go by inode, apart from cookies. */
static void keys_of_records(void **state)
{
	struct lsock a = { .cookie = 77, .inode = 5 };
	struct lsock b = { .flags = LSOCK_PROCNET, .inode = 77 };
	struct wset_key ka = wset_key_of(&a, 9), kb = wset_key_of(&b, 9);

	(void)state;
	assert_int_equal(ka.netns, 9);
	assert_int_equal(ka.cookie, 77);
	assert_true(kb.cookie != 77);
	assert_int_equal(kb.cookie & 0xffffffffu, 77);

	/* An accepted MPTCP socket has its listener's cookie, an SCTP association its
	 * endpoint's: told apart by inode, peer and ports, and from cookies. */
	struct lsock l = { .flags = LSOCK_MPTCP, .cookie = 77, .inode = 5, .lport = 7321 };
	struct lsock c = l, s1 = { .flags = LSOCK_SCTP_ASSOC, .cookie = 77, .inode = 5,
				   .lport = 3868, .rport = 40000 }, s2 = s1;

	c.inode = 6;
	c.rport = 50000;
	s2.rport = 40001;
	assert_true(wset_key_of(&l, 9).cookie != wset_key_of(&c, 9).cookie);
	assert_true(wset_key_of(&l, 9).cookie != 77);
	assert_true(wset_key_of(&s1, 9).cookie != wset_key_of(&s2, 9).cookie);
	assert_int_equal(wset_key_of(&l, 9).cookie, wset_key_of(&l, 9).cookie);
	assert_int_equal(wset_key_of(&l, 9).cookie >> 62, 1);
}

static char *text_of(const struct out_event *e, bool json)
{
	struct sbuf b = { 0 };

	if (json)
		out_event_json(&b, e);
	else
		out_event_text(&b, e);
	assert_false(b.failed);
	return b.s;
}

static void event_lines(void **state)
{
	static const char *const reasons[] = { "public-address", "root" };
	const char *r = "tcp LISTEN 0 128 0.0.0.0:8080 0.0.0.0:* http-alt? all";
	/* 2026-11-30 12:03:01.250 UTC */
	struct out_event e = { .kind = OUT_EVENT_NEW, .time_ms = INT64_C(1796040181250),
			       .row = r, .row_len = strlen(r) };
	char *s;

	(void)state;
	setenv("TZ", "UTC", 1);
	s = text_of(&e, false);
	assert_string_equal(s,
			    "12:03:01 + tcp LISTEN 0 128 0.0.0.0:8080 0.0.0.0:* http-alt? all\n");
	free(s);
	e.initial = true;
	s = text_of(&e, false);
	assert_string_equal(s,
			    "12:03:01 = tcp LISTEN 0 128 0.0.0.0:8080 0.0.0.0:* http-alt? all\n");
	free(s);
	e.kind = OUT_EVENT_GONE;
	e.lived_ms = 192000;
	s = text_of(&e, false);
	assert_string_equal(s, "12:03:01 - tcp LISTEN 0 128 0.0.0.0:8080 0.0.0.0:* http-alt? all "
			    "(lived 3m12s or more)\n");
	free(s);
	e.initial = false;
	e.lived_ms = 850;
	s = text_of(&e, false);
	assert_string_equal(s, "12:03:01 - tcp LISTEN 0 128 0.0.0.0:8080 0.0.0.0:* http-alt? all "
			    "(lived 850ms)\n");
	free(s);
	e.kind = OUT_EVENT_BRIEF;
	s = text_of(&e, false);
	assert_string_equal(s, "12:03:01 +- tcp LISTEN 0 128 0.0.0.0:8080 0.0.0.0:* http-alt? all "
			    "(opened and closed between two looks)\n");
	free(s);
	e.kind = OUT_EVENT_NEW;
	e.risk = "high";
	e.reasons = reasons;
	e.nreasons = 2;
	s = text_of(&e, false);
	assert_string_equal(s, "12:03:01 + HIGH tcp LISTEN 0 128 0.0.0.0:8080 0.0.0.0:* http-alt? "
			    "all (public-address, root)\n");
	free(s);
}

static void event_json(void **state)
{
	static const char *const reasons[] = { "root" };
	const char *r = "{\"netid\":\"tcp\"}";
	struct out_event e = { .kind = OUT_EVENT_NEW, .time_ms = INT64_C(1796040181250),
			       .row = r, .row_len = strlen(r) };
	char *s;

	(void)state;
	s = text_of(&e, true);
	assert_string_equal(s, "{\"event\":\"new\",\"time\":\"2026-11-30T12:03:01.250Z\","
			    "\"initial\":false,\"seen\":true,\"lived_ms\":null,\"finding\":null,"
			    "\"socket\":{\"netid\":\"tcp\"}}\n");
	free(s);
	e.kind = OUT_EVENT_GONE;
	e.initial = true;
	e.lived_ms = 1234;
	e.time_ms = INT64_C(1796040181005);
	s = text_of(&e, true);
	assert_string_equal(s, "{\"event\":\"gone\",\"time\":\"2026-11-30T12:03:01.005Z\","
			    "\"initial\":true,\"seen\":true,\"lived_ms\":1234,\"finding\":null,"
			    "\"socket\":{\"netid\":\"tcp\"}}\n");
	free(s);
	e.kind = OUT_EVENT_BRIEF;
	e.initial = false;
	e.risk = "medium";
	e.reasons = reasons;
	e.nreasons = 1;
	s = text_of(&e, true);
	assert_string_equal(s, "{\"event\":\"gone\",\"time\":\"2026-11-30T12:03:01.005Z\","
			    "\"initial\":false,\"seen\":false,\"lived_ms\":null,"
			    "\"finding\":{\"risk\":\"medium\",\"reasons\":[\"root\"]},"
			    "\"socket\":{\"netid\":\"tcp\"}}\n");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(intervals),
		cmocka_unit_test(lifetimes),
		cmocka_unit_test(diff_new_and_gone),
		cmocka_unit_test(diff_namespaces),
		cmocka_unit_test(take_and_rows),
		cmocka_unit_test(keys_of_records),
		cmocka_unit_test(event_lines),
		cmocka_unit_test(event_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
