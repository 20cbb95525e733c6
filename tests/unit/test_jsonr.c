/* SPDX-License-Identifier: MIT */
/* test_jsonr.c: the streaming JSON reader and the array splitter, at the edges of each rule. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonr.h"

/* Reads one string from s; returns its bytes (allocated) or NULL when refused. */
static char *
str_of(const char *s, size_t *len)
{
	struct sr_jr r;
	struct sr_buf b;
	char *out = NULL;

	sr_jr_init(&r, s, strlen(s));
	sr_buf_init(&b);
	if (sr_jr_string(&r, &b) == 0) {
		out = sr_xmalloc(b.len + 1);
		if (b.len > 0)
			memcpy(out, b.data, b.len);
		out[b.len] = '\0';
		*len = b.len;
	}
	sr_buf_done(&b);
	sr_jr_done(&r);
	return out;
}

static void
test_strings(void **state)
{
	static const struct {
		const char *in, *out;
		size_t len;
	} good[] = {
		{ "\"\"", "", 0 },
		{ " \t\r\n\"x\"", "x", 1 },
		{ "\"a\\\"b\\\\c\\/d\"", "a\"b\\c/d", 7 },
		{ "\"\\b\\f\\n\\r\\t\"", "\b\f\n\r\t", 5 },
		{ "\"\\u0041\\u00e9\\u00E9\"", "A\xC3\xA9\xC3\xA9", 5 },
		{ "\"\\u20AC\"", "\xE2\x82\xAC", 3 },
		{ "\"\\u00ff\\u00FF\\u0009\"", "\xC3\xBF\xC3\xBF\t", 5 },	/* hex digit ends */
		{ "\"\\u00aa\\u00AA\"", "\xC2\xAA\xC2\xAA", 4 },	/* a and A as hex digits */
		{ "\"\\ud83d\\ude00\"", "\xF0\x9F\x98\x80", 4 },	/* a surrogate pair */
		{ "\"\\uD800\\uDC00\"", "\xF0\x90\x80\x80", 4 },
		{ "\"\\uDBFF\\uDFFF\"", "\xF4\x8F\xBF\xBF", 4 },
		{ "\"\\uFFFF\"", "\xEF\xBF\xBF", 3 },
		{ "\"\\u0001\"", "\x01", 1 },
		{ "\"\xC3\xA9\x7F\"", "\xC3\xA9\x7F", 3 },
	};
	static const char *const bad[] = {
		"", "x", "\"abc", "\"a\x01\"", "\"a\x1F\"", "\"\\", "\"\\x\"", "\"\\u12\"",
		"\"\\u12G4\"", "\"\\u0000\"", "\"\\ud83d\"", "\"\\ude00\"", "\"\\ud83dx\"",
		"\"\\ud83d\\u0041\"", "\"\\ud83d\\uZZZZ\"", "\"\\uDFFF\"", "\"\\uD800\\uDBFF\"",
		"\"\\uDC00\"", "\"\\u", "'x'",
	};
	size_t len = 0;

	(void)state;
	for (size_t i = 0; i < SR_ARRAY_LEN(good); i++) {
		char *s = str_of(good[i].in, &len);

		if (s == NULL)
			fail_msg("good %zu refused", i);
		assert_int_equal(len, good[i].len);
		assert_memory_equal(s, good[i].out, len);
		free(s);
	}
	for (size_t i = 0; i < SR_ARRAY_LEN(bad); i++) {
		char *s = str_of(bad[i], &len);

		if (s != NULL)
			fail_msg("bad %zu accepted as \"%s\"", i, s);
	}
	/* a string cut right after the quote, with more bytes in memory past len */
	{
		struct sr_jr r;
		struct sr_buf b;

		sr_buf_init(&b);
		sr_jr_init(&r, "\"ab\"", 3);
		assert_int_equal(sr_jr_string(&r, &b), -1);
		sr_jr_reset(&r, "\"\\u0041\"", 7);
		assert_int_equal(sr_jr_string(&r, &b), -1);
		sr_jr_reset(&r, "\"\\u0041\"", 8);
		assert_int_equal(sr_jr_string(&r, &b), 0);
		sr_jr_reset(&r, "\"\\ud83d\\ude00\"", 13);	/* the low half cut by len */
		assert_int_equal(sr_jr_string(&r, &b), -1);
		sr_jr_reset(&r, "\"\\\"", 3);
		assert_int_equal(sr_jr_string(&r, &b), -1);
		sr_jr_done(&r);
		sr_buf_done(&b);
	}
}

static void
test_numbers(void **state)
{
	static const struct {
		const char *in;
		double want;
	} good[] = {
		{ "0", 0 }, { "-0", 0 }, { "7", 7 }, { "-12", -12 }, { "1.5", 1.5 },
		{ "0.25", 0.25 }, { "1e3", 1000 }, { "1E3", 1000 }, { "1e+3", 1000 },
		{ "25e-2", 0.25 }, { "1e22", 1e22 }, { "1e23", 1e23 }, { "1e-22", 1e-22 },
		{ "1e-23", 1e-23 }, { "9007199254740993", 9007199254740993.0 },
		{ "123456789012345", 123456789012345.0 }, { "1234567890123456", 1234567890123456.0 },
		{ "12345678901234567890123", 12345678901234567890123.0 },
		{ "0.1", 0.1 }, { "3.14159", 3.14159 }, { "-2.5e-3", -2.5e-3 },
		{ "1.7976931348623157e308", 1.7976931348623157e308 }, { "5e-324", 5e-324 },
		{ "0.000001", 0.000001 }, { "100e-2", 1 }, { "1e0", 1 },
	};
	static const char *const bad[] = { "", "-", "+1", ".5", "1.", "1e", "1e+", "01", "1x",
					   "--1", "1.2.3", "0x10", "1e5.", "-.5" };
	double d;

	(void)state;
	for (size_t i = 0; i < SR_ARRAY_LEN(good); i++) {
		d = -99;
		if (sr_jr_number_text(good[i].in, strlen(good[i].in), &d) != 0)
			fail_msg("%s refused", good[i].in);
		if (d != good[i].want)
			fail_msg("%s read as %.17g, wanted %.17g", good[i].in, d, good[i].want);
	}
	for (size_t i = 0; i < SR_ARRAY_LEN(bad); i++)
		if (sr_jr_number_text(bad[i], strlen(bad[i]), &d) == 0)
			fail_msg("%s accepted", bad[i]);
	/* exactly n bytes: what follows is not read */
	assert_int_equal(sr_jr_number_text("12345", 2, &d), 0);
	assert_true(d == 12);
	/* 64 bytes or more take the slow path only when they fit its buffer */
	{
		char big[80];

		memset(big, '1', sizeof(big));
		assert_int_equal(sr_jr_number_text(big, 63, &d), 0);
		assert_true(d > 1.1e62 && d < 1.2e62);
		assert_int_equal(sr_jr_number_text(big, 64, &d), -1);
	}
	/* a huge exponent saturates instead of overflowing */
	assert_int_equal(sr_jr_number_text("1e99999999", 10, &d), 0);
	assert_true(isinf(d));
	assert_int_equal(sr_jr_number_text("1e-99999999", 11, &d), 0);
	assert_true(d == 0);
	/* through a reader: stops at the first byte that cannot be in a number */
	{
		struct sr_jr r;

		sr_jr_init(&r, " -1.5e2,", 8);
		assert_int_equal(sr_jr_number(&r, &d), 0);
		assert_true(d == -150);
		assert_true(sr_jr_lit(&r, ','));
		assert_true(sr_jr_at_end(&r));
		sr_jr_done(&r);
	}
}

static void
test_skip_and_literals(void **state)
{
	static const char *const good[] = {
		"1", "\"s\"", "true", "false", "null", "[]", "{}", "[1,2,[3]]", " { \"a\" : [ ] } ",
		"{\"a\":{\"b\":null},\"c\":\"d\"}", "[true,false,null,\"x\",-1e5]",
	};
	static const char *const bad[] = {
		"", "tru", "fals", "nul", "[", "[1,]", "[1 2]", "{\"a\"}", "{\"a\":}", "{a:1}",
		"{\"a\":1,}", "]", "{\"a\":1]", "[1}", "x", "\"x",
	};
	struct sr_jr r;
	struct sr_buf tmp;
	char deep[200];

	(void)state;
	sr_buf_init(&tmp);
	for (size_t i = 0; i < SR_ARRAY_LEN(good); i++) {
		sr_jr_init(&r, good[i], strlen(good[i]));
		if (sr_jr_skip(&r, &tmp) != 0 || !sr_jr_at_end(&r))
			fail_msg("skip \"%s\"", good[i]);
		sr_jr_done(&r);
	}
	for (size_t i = 0; i < SR_ARRAY_LEN(bad); i++) {
		sr_jr_init(&r, bad[i], strlen(bad[i]));
		if (sr_jr_skip(&r, &tmp) == 0 && sr_jr_at_end(&r))
			fail_msg("skip accepted \"%s\"", bad[i]);
		sr_jr_done(&r);
	}
	/* nesting: 64 deep is fine, 65 is refused */
	for (int depth = 64; depth <= 65; depth++) {
		memset(deep, '[', (size_t)depth);
		memset(deep + depth, ']', (size_t)depth);
		sr_jr_init(&r, deep, 2 * (size_t)depth);
		assert_int_equal(sr_jr_skip(&r, &tmp), depth == 64 ? 0 : -1);
		if (depth == 64) {
			assert_int_equal(r.depth, 0);
			assert_true(sr_jr_at_end(&r));
		}
		sr_jr_done(&r);
	}
	/* literals cut by the length */
	sr_jr_init(&r, "true", 3);
	assert_int_equal(sr_jr_skip(&r, &tmp), -1);
	sr_jr_reset(&r, "false", 4);
	assert_int_equal(sr_jr_skip(&r, &tmp), -1);
	sr_jr_reset(&r, "null", 3);
	assert_int_equal(sr_jr_skip(&r, &tmp), -1);
	sr_jr_reset(&r, "null", 3);
	assert_false(sr_jr_null(&r));
	sr_jr_reset(&r, " null", 5);
	assert_true(sr_jr_null(&r));
	assert_true(sr_jr_at_end(&r));
	sr_jr_reset(&r, "nil", 3);
	assert_false(sr_jr_null(&r));
	/* keys and copies */
	sr_jr_reset(&r, "{ \"\" : \"v\" , \"k\":\"\"}", 21);
	assert_true(sr_jr_lit(&r, '{'));
	assert_string_equal(sr_jr_key(&r), "");
	{
		char *v = sr_jr_strdup(&r);

		assert_string_equal(v, "v");
		free(v);
	}
	assert_true(sr_jr_lit(&r, ','));
	assert_string_equal(sr_jr_key(&r), "k");
	{
		char *v = sr_jr_strdup(&r);

		assert_string_equal(v, "");
		free(v);
	}
	assert_false(sr_jr_lit(&r, ','));
	assert_true(sr_jr_lit(&r, '}'));
	assert_true(sr_jr_at_end(&r));
	sr_jr_reset(&r, "\"k\" 1", 5);
	assert_null(sr_jr_key(&r));
	sr_jr_reset(&r, "1", 1);
	assert_null(sr_jr_strdup(&r));
	/* at the end: only whitespace, or one final NUL */
	sr_jr_reset(&r, " \n", 2);
	assert_true(sr_jr_at_end(&r));
	sr_jr_reset(&r, " \0", 2);
	assert_true(sr_jr_at_end(&r));
	sr_jr_reset(&r, "\0\0", 2);
	assert_false(sr_jr_at_end(&r));
	sr_jr_reset(&r, " x", 2);
	assert_false(sr_jr_at_end(&r));
	sr_jr_done(&r);
	sr_buf_done(&tmp);
}

static void
test_parse_whole(void **state)
{
	cJSON *j;

	(void)state;
	j = sr_json_parse_whole("[1] \n\t\r", 7);
	assert_non_null(j);
	cJSON_Delete(j);
	j = sr_json_parse_whole("{\"a\":1}\0", 8);
	assert_non_null(j);
	cJSON_Delete(j);
	assert_null(sr_json_parse_whole("[1] x", 5));
	assert_null(sr_json_parse_whole("[1][2]", 6));
	assert_null(sr_json_parse_whole("[1", 2));
	assert_null(sr_json_parse_whole("", 0));
	j = sr_json_parse_whole("[1] x", 3);	/* only len bytes count */
	assert_non_null(j);
	cJSON_Delete(j);
}

/* --- the splitter --- */

struct got {
	char *all;	/* the elements joined by '|' */
	size_t n;
	int stop_at;	/* the callback fails at this index (-1: never) */
};

static int
collect(void *arg, const char *elem, size_t len, size_t idx)
{
	struct got *g = arg;
	size_t have = g->all ? strlen(g->all) : 0;

	assert_int_equal(idx, g->n);
	if ((int)idx == g->stop_at)
		return -1;
	g->all = sr_xrealloc(g->all, have + len + 2);
	memcpy(g->all + have, elem, len);
	g->all[have + len] = '|';
	g->all[have + len + 1] = '\0';
	g->n++;
	return 0;
}

/* Feeds s in pieces of `piece` bytes; returns the joined elements or the error. */
static char *
split(const char *s, size_t piece, size_t max, int stop_at, int *rc)
{
	struct sr_jsplit sp;
	struct got g = { NULL, 0, stop_at };
	size_t len = strlen(s);
	char *err = NULL;

	sr_jsplit_init(&sp, max);
	*rc = 0;
	for (size_t i = 0; i < len && *rc == 0; i += piece) {
		size_t n = len - i < piece ? len - i : piece;

		*rc = sr_jsplit_feed(&sp, s + i, n, collect, &g, &err);
	}
	if (*rc == 0)
		*rc = sr_jsplit_end(&sp, &err);
	sr_jsplit_done(&sp);
	if (*rc != 0) {
		free(g.all);
		return err != NULL ? err : sr_xstrdup("(fn stopped)");
	}
	free(err);
	return g.all != NULL ? g.all : sr_xstrdup("");
}

static void
test_split(void **state)
{
	static const struct {
		const char *in, *out;
	} good[] = {
		{ "[]", "" },
		{ " [ ] ", "" },
		{ "[1]", "1|" },
		{ "[1,22, 333 ,true,null]", "1|22|333|true|null|" },
		{ "[\"a\",\"b\\\"]\",\"c\\\\\"]", "\"a\"|\"b\\\"]\"|\"c\\\\\"|" },
		{ "[{\"a\":[1,{\"b\":\"}]\"}]},[[]],{}]", "{\"a\":[1,{\"b\":\"}]\"}]}|[[]]|{}|" },
		{ "[\n{\"x\":1}\n,\n{\"y\":2}\n]\n", "{\"x\":1}|{\"y\":2}|" },
		{ "[1]\0", "1|" },
	};
	static const struct {
		const char *in, *err;
	} bad[] = {
		{ "", "empty body, expected JSON" },
		{ "   ", "expected an array" },
		{ "{}", "expected an array" },
		{ " x", "invalid JSON at byte 1: expected '['" },
		{ "[1 2]", "invalid JSON at byte 3: expected ',' or ']'" },
		{ "[1,]", "invalid JSON at byte 3: expected a value" },
		{ "[,1]", "invalid JSON at byte 1: expected a value" },
		{ "[1,,2]", "invalid JSON at byte 3: expected a value" },
		{ "[1] [2]", "invalid JSON at byte 4: more data after the array" },
		{ "[1", "the answer ends before the array does (at byte 2)" },
		{ "[{\"a\":1}", "ends before the array does (at byte 8)" },
		{ "[{\"a\":1", "ends before the array does (at byte 7)" },
		{ "[\"abc", "ends before the array does" },
		{ "[1,", "ends before the array does" },
	};
	int rc;

	(void)state;
	for (size_t i = 0; i < SR_ARRAY_LEN(good); i++) {
		size_t len = strlen(good[i].in);

		for (size_t piece = 1; piece <= len; piece++) {
			char *got = split(good[i].in, piece, 1000, -1, &rc);

			if (rc != 0 || strcmp(got, good[i].out) != 0)
				fail_msg("good %zu in pieces of %zu: rc %d \"%s\"", i, piece, rc, got);
			free(got);
		}
	}
	for (size_t i = 0; i < SR_ARRAY_LEN(bad); i++) {
		size_t len = strlen(bad[i].in);

		for (size_t piece = 1; piece <= (len ? len : 1); piece++) {
			char *got = split(bad[i].in, piece, 1000, -1, &rc);

			if (rc != -1 || strstr(got, bad[i].err) == NULL)
				fail_msg("bad %zu in pieces of %zu: rc %d \"%s\"", i, piece, rc, got);
			free(got);
		}
	}
}

static void
test_split_limits(void **state)
{
	struct sr_jsplit sp;
	struct got g = { NULL, 0, -1 };
	char *got, *err = NULL;
	int rc;

	(void)state;
	/* an element of exactly max bytes passes, one more byte does not */
	got = split("[\"abcd\",1]", 3, 6, -1, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(got, "\"abcd\"|1|");
	free(got);
	got = split("[\"abcde\",1]", 3, 6, -1, &rc);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(got, "element too large"));
	free(got);
	got = split("[\"abcde\",1]", 100, 6, -1, &rc);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(got, "invalid JSON at byte 1: element too large"));
	free(got);
	/* the callback stops it: nothing after that element is handed on */
	got = split("[1,2,3]", 1, 100, 1, &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(got, "(fn stopped)");
	free(got);
	/* after a failure, more bytes and the end fail too */
	sr_jsplit_init(&sp, 100);
	assert_int_equal(sr_jsplit_feed(&sp, "[1 2", 4, collect, &g, &err), -1);
	free(err);
	err = NULL;
	assert_int_equal(sr_jsplit_feed(&sp, "]", 1, collect, &g, &err), -1);
	assert_int_equal(sr_jsplit_end(&sp, &err), -1);
	assert_int_equal(g.n, 1);
	assert_int_equal(sp.count, 1);
	free(err);
	free(g.all);
	sr_jsplit_done(&sp);
	/* offsets count every piece */
	g.all = NULL;
	g.n = 0;
	sr_jsplit_init(&sp, 100);
	assert_int_equal(sr_jsplit_feed(&sp, "[1,", 3, collect, &g, &err), 0);
	assert_int_equal(sp.offset, 3);
	assert_int_equal(sr_jsplit_feed(&sp, "2 x", 3, collect, &g, &err), -1);
	assert_string_equal(err, "invalid JSON at byte 5: expected ',' or ']'");
	free(err);
	free(g.all);
	sr_jsplit_done(&sp);
}

/* The table-driven member read: strings copied, times parsed, the rest NULL or 0; freed. */
struct fields_probe {
	char *name;
	sr_time at;
	char *missing;
	sr_time bad_time;
};

static void
test_fields(void **state)
{
	static const struct sr_json_member m[] = {
		{ "name", SR_JSON_STR, offsetof(struct fields_probe, name) },
		{ "at", SR_JSON_TIME, offsetof(struct fields_probe, at) },
		{ "missing", SR_JSON_STR, offsetof(struct fields_probe, missing) },
		{ "bad", SR_JSON_TIME, offsetof(struct fields_probe, bad_time) },
	};
	const char body[] = "{\"name\":\"x\\u00e9\",\"at\":\"2026-01-02T03:04:05Z\",\"bad\":\"soon\","
			    "\"missing\":7}";
	cJSON *o = cJSON_Parse(body);
	struct fields_probe p;

	(void)state;
	memset(&p, 0xff, sizeof(p));
	sr_json_fields(o, &p, m, 4);
	assert_string_equal(p.name, "x\xc3\xa9");
	assert_int_equal(p.at, 1767323045);
	assert_null(p.missing);		/* a number is not a string */
	assert_int_equal(p.bad_time, 0);
	sr_json_fields_free(&p, m, 4);
	assert_null(p.name);
	assert_int_equal(p.at, 1767323045);	/* only the strings */
	cJSON_Delete(o);
}

/* sr_jr_next: members of an object, elements of an array, the brackets and commas checked. */
static int
walk(const char *json, char open, char *keys, size_t n)
{
	struct sr_jr r;
	struct sr_buf k;
	int at = 0, more, count = 0;

	sr_jr_init(&r, json, strlen(json));
	sr_buf_init(&k);
	keys[0] = '\0';
	while ((more = sr_jr_next(&r, open, &k, &at)) == 1) {
		double d;

		if (open == '{')
			snprintf(keys + strlen(keys), n - strlen(keys), "%s,", k.data);
		if (sr_jr_number(&r, &d) < 0) {
			more = -1;
			break;
		}
		count++;
	}
	if (more == 0 && !sr_jr_at_end(&r))
		more = -1;
	sr_buf_done(&k);
	sr_jr_done(&r);
	return more < 0 ? -1 : count;
}

static void
test_next(void **state)
{
	char keys[64];

	(void)state;
	assert_int_equal(walk("{\"a\": 1, \"bb\": 2 ,\"c\":3}", '{', keys, sizeof keys), 3);
	assert_string_equal(keys, "a,bb,c,");
	assert_int_equal(walk(" { } ", '{', keys, sizeof keys), 0);
	assert_int_equal(walk("[1, 2,3]", '[', keys, sizeof keys), 3);
	assert_int_equal(walk("[]", '[', keys, sizeof keys), 0);
	/* refused: the other bracket, a missing comma or colon, an empty key, a trailing comma */
	assert_int_equal(walk("[1]", '{', keys, sizeof keys), -1);
	assert_int_equal(walk("{\"a\":1}", '[', keys, sizeof keys), -1);
	assert_int_equal(walk("{\"a\":1 \"b\":2}", '{', keys, sizeof keys), -1);
	assert_int_equal(walk("{\"a\" 1}", '{', keys, sizeof keys), -1);
	assert_int_equal(walk("{\"\":1}", '{', keys, sizeof keys), -1);
	assert_int_equal(walk("[1,]", '[', keys, sizeof keys), -1);
	assert_int_equal(walk("{\"a\":1,}", '{', keys, sizeof keys), -1);
	assert_int_equal(walk("[1 2]", '[', keys, sizeof keys), -1);
	assert_int_equal(walk("[1", '[', keys, sizeof keys), -1);
}

/* --- sixth round (issue 17, seed 29's survivors) --- */

/*
 * Surrogate pairs at the ends of their range combine (U+10000, U+10FFFF); a high surrogate
 * followed by anything but a second "\u" escape is refused, whatever follows.
 */
static void
test_surrogate_edges(void **state)
{
	char *s;
	size_t len;

	(void)state;
	s = str_of("\"\\ud800\\udc00\"", &len);
	assert_non_null(s);
	assert_int_equal(len, 4);
	assert_memory_equal(s, "\xf0\x90\x80\x80", 4);
	free(s);
	s = str_of("\"\\udbff\\udfff\"", &len);
	assert_non_null(s);
	assert_int_equal(len, 4);
	assert_memory_equal(s, "\xf4\x8f\xbf\xbf", 4);
	free(s);
	assert_null(str_of("\"\\ud800xudc00\"", &len));
	assert_null(str_of("\"\\ud800\\\\udc00\"", &len));
	assert_null(str_of("\"\\u0041\\udc00\"", &len));
}

/* Every JSON blank (space, tab, CR, LF) may stand between and around the elements. */
static void
test_split_all_blanks(void **state)
{
	int rc;
	char *all;

	(void)state;
	for (size_t piece = 1; piece <= 3; piece++) {
		all = split("\t[\r\n1\t,\r2 ,\n\"x\"\r\n]\t\r\n ", piece, 100, -1, &rc);
		assert_int_equal(rc, 0);
		assert_string_equal(all, "1|2|\"x\"|");
		free(all);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_skip_and_literals),
		cmocka_unit_test(test_parse_whole),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_split_limits),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_next),
		cmocka_unit_test(test_surrogate_edges),
		cmocka_unit_test(test_split_all_blanks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
