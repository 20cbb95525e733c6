/* SPDX-License-Identifier: MIT */
/* test_matcher.c: amtool matcher syntax: operators, quoting, escapes, lists, matching. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "matcher.h"

static void
one(const char *s, const char *name, enum sr_match_op op, const char *value)
{
	struct sr_matchers m;
	char *err = NULL;

	sr_matchers_init(&m);
	if (sr_matcher_parse(&m, s, &err) < 0)
		fail_msg("parse \"%s\": %s", s, err);
	assert_int_equal(m.n, 1);
	assert_string_equal(m.v[0].name, name);
	assert_int_equal(m.v[0].op, op);
	assert_string_equal(m.v[0].value, value);
	sr_matchers_done(&m);
}

static void
bad(const char *s, const char *msg_part)
{
	struct sr_matchers m;
	char *err = NULL;

	sr_matchers_init(&m);
	assert_int_equal(sr_matchers_parse(&m, s, &err), -1);
	assert_non_null(err);
	if (strstr(err, msg_part) == NULL)
		fail_msg("error for \"%s\" is \"%s\", expected \"%s\"", s, err, msg_part);
	assert_int_equal(m.n, 0);
	free(err);
	sr_matchers_done(&m);
}

static void
test_operators(void **state)
{
	(void)state;
	one("alertname=HighErrorRate", "alertname", SR_MATCH_EQ, "HighErrorRate");
	one("severity=~\"crit.*\"", "severity", SR_MATCH_RE, "crit.*");
	one("instance!=db1", "instance", SR_MATCH_NE, "db1");
	one("job!~\"api|web\"", "job", SR_MATCH_NRE, "api|web");
	one("  a  =  b  ", "a", SR_MATCH_EQ, "b");
	one("a=", "a", SR_MATCH_EQ, "");
	one("a==b", "a", SR_MATCH_EQ, "=b");
	one("__name__:x=1", "__name__:x", SR_MATCH_EQ, "1");
	one("a=b c", "a", SR_MATCH_EQ, "b c");
}

static void
test_quotes_and_escapes(void **state)
{
	(void)state;
	one("a=\"b\"", "a", SR_MATCH_EQ, "b");
	one("a=\"with \\\"quote\\\"\"", "a", SR_MATCH_EQ, "with \"quote\"");
	one("a=\"back\\\\slash\"", "a", SR_MATCH_EQ, "back\\slash");
	one("a=\"new\\nline\"", "a", SR_MATCH_EQ, "new\nline");
	one("a=\"spurious\\qescape\"", "a", SR_MATCH_EQ, "spurious\\qescape");
	one("a=trailing\\", "a", SR_MATCH_EQ, "trailing\\");
	one("a=\"ünïcødé\"", "a", SR_MATCH_EQ, "ünïcødé");
	one("a=\"\"", "a", SR_MATCH_EQ, "");
}

static void
test_errors(void **state)
{
	(void)state;
	bad("foo", "bad matcher format: foo");
	bad("=b", "bad matcher format");
	bad("1a=b", "bad matcher format");
	bad("a~b", "bad matcher format");
	bad("a=\"open", "unescaped double quote");
	bad("a=x\"y", "unescaped double quote");
	bad("a=\"x\"y\"", "unescaped double quote");
	bad("a=~\"(\"", "bad regular expression");
	bad("a=\"\xff\"", "not valid UTF-8");
	bad("a=b,,c=d", "bad matcher format");
	/* What would make glibc's regcomp explode, rejected as RE2 rejects it. */
	bad("a=~\"x++\"", "invalid nested repetition operator");
	bad("a=~\"x{2}{3}\"", "invalid nested repetition operator");
	bad("a=~\"x{1001}\"", "bad repetition count");
	bad("a=~\"((x{1000}){1000})\"", "expands too much");
	bad("a=~\"a)|(b\"", "unexpected )");
	bad("a=~\"(ab\"", "missing closing )");
	bad("a=~\"(((((((((((((((((x)))))))))))))))))\"", "nested too deeply");
}

static void
test_regex_dialect(void **state)
{
	struct sr_matchers m;
	char *err = NULL;
	struct sr_label l[] = { { "job", "api-server" } };

	(void)state;
	sr_matchers_init(&m);
	/* RE2's lazy quantifier is accepted (it cannot change an anchored match). */
	assert_int_equal(sr_matchers_parse(&m, "job=~\"api.*?\"", &err), 0);
	assert_true(sr_matchers_match(&m, l, 1));
	sr_matchers_done(&m);
	assert_int_equal(sr_matchers_parse(&m, "job=~\"[a-z]+-(server|client){1,2}\"", &err), 0);
	assert_true(sr_matchers_match(&m, l, 1));
	sr_matchers_done(&m);
	assert_int_equal(sr_matchers_parse(&m, "job=~\"[]x)(]+.*\"", &err), 0);
	assert_false(sr_matchers_match(&m, l, 1));
	sr_matchers_done(&m);
	assert_int_equal(sr_matchers_parse(&m, "job!~\"a|b\"", &err), 0);
	assert_true(sr_matchers_match(&m, l, 1));
	sr_matchers_done(&m);
}

static void
test_lists(void **state)
{
	struct sr_matchers m;
	char *err = NULL;

	(void)state;
	sr_matchers_init(&m);
	assert_int_equal(sr_matchers_parse(&m, "{a=\"1\",b=~\"x,y\", c!=\"q\\\"x,\"}", &err), 0);
	assert_int_equal(m.n, 3);
	assert_string_equal(m.v[1].value, "x,y");
	assert_string_equal(m.v[2].value, "q\"x,");
	sr_matchers_done(&m);

	/* A trailing comma leaves a blank final token, which is skipped. */
	assert_int_equal(sr_matchers_parse(&m, "a=1,", &err), 0);
	assert_int_equal(m.n, 1);
	sr_matchers_done(&m);
	assert_int_equal(sr_matchers_parse(&m, "", &err), 0);
	assert_int_equal(m.n, 0);
	sr_matchers_done(&m);
}

static void
test_args_alertname(void **state)
{
	struct sr_matchers m;
	char *err = NULL;
	char *argv1[] = { "HighErrorRate", "severity=~crit.*", "instance!=db1" };
	char *argv2[] = { "job=api", "bare" };

	(void)state;
	sr_matchers_init(&m);
	assert_int_equal(sr_matchers_parse_args(&m, 3, argv1, &err), 0);
	assert_int_equal(m.n, 3);
	assert_string_equal(m.v[0].name, "alertname");
	assert_string_equal(m.v[0].value, "HighErrorRate");
	assert_int_equal(m.v[1].op, SR_MATCH_RE);
	sr_matchers_done(&m);

	/* Only the first argument may be a bare alert name, as in amtool. */
	assert_int_equal(sr_matchers_parse_args(&m, 2, argv2, &err), -1);
	assert_non_null(strstr(err, "bad matcher format: bare"));
	free(err);
	sr_matchers_done(&m);
}

/* A first argument that is a matcher is read as one, not as an alert name holding "=". */
static void
test_args_first_is_matcher(void **state)
{
	struct sr_matchers m;
	char *err = NULL;
	char *argv[] = { "job=api", "instance!=db1" };

	(void)state;
	sr_matchers_init(&m);
	assert_int_equal(sr_matchers_parse_args(&m, 2, argv, &err), 0);
	assert_int_equal(m.n, 2);
	assert_string_equal(m.v[0].name, "job");
	assert_int_equal(m.v[0].op, SR_MATCH_EQ);
	assert_string_equal(m.v[0].value, "api");
	sr_matchers_done(&m);
}

/* Label names: a letter of either case, '_' or ':' first, then digits too (each range end). */
static void
test_name_chars(void **state)
{
	static const char *const good[] = { "a0=\"x\"", "A9=\"x\"", "z_Z:=\"x\"", "_a=\"x\"",
					     ":b=\"x\"", "Zz09=\"x\"" };
	static const char *const bad[] = { "0a=\"x\"", "9=\"x\"", "-a=\"x\"" };

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct sr_matchers m;
		char *err = NULL;

		sr_matchers_init(&m);
		if (sr_matchers_parse(&m, good[i], &err) != 0)
			fail_msg("%s refused: %s", good[i], err);
		assert_int_equal(m.n, 1);
		assert_memory_equal(m.v[0].name, good[i], strlen(m.v[0].name));
		sr_matchers_done(&m);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sr_matchers m;
		char *err = NULL;

		sr_matchers_init(&m);
		if (sr_matchers_parse(&m, bad[i], &err) == 0)
			fail_msg("%s accepted", bad[i]);
		free(err);
		sr_matchers_done(&m);
	}
}

static void
test_matching(void **state)
{
	struct sr_matchers m;
	char *err = NULL;
	struct sr_label l[] = {
		{ "alertname", "HighErrorRate" }, { "severity", "critical" },
		{ "instance", "db2" },
	};

	(void)state;
	sr_matchers_init(&m);
	assert_int_equal(sr_matchers_parse(&m, "alertname=HighErrorRate,severity=~\"crit.*\","
					   "instance!=db1", &err), 0);
	assert_true(sr_matchers_match(&m, l, 3));
	l[2].value = "db1";
	assert_false(sr_matchers_match(&m, l, 3));
	sr_matchers_done(&m);

	/* Regexes are anchored: "crit" does not match "critical". */
	assert_int_equal(sr_matchers_parse(&m, "severity=~crit", &err), 0);
	assert_false(sr_matchers_match(&m, l, 3));
	sr_matchers_done(&m);
	/* A missing label is the empty string. */
	assert_int_equal(sr_matchers_parse(&m, "team=\"\"", &err), 0);
	assert_true(sr_matchers_match(&m, l, 3));
	sr_matchers_done(&m);
	assert_int_equal(sr_matchers_parse(&m, "team!~\".+\"", &err), 0);
	assert_true(sr_matchers_match(&m, l, 3));
	sr_matchers_done(&m);
}

static void
test_format_roundtrip(void **state)
{
	const char *in[] = { "a=b", "a=~\"x.*\"", "a!=\"q\\\"uote\"", "a!~\"b\\\\s\"",
			     "a=\"line\\nbreak\"" };

	(void)state;
	for (size_t i = 0; i < SR_ARRAY_LEN(in); i++) {
		struct sr_matchers m, m2;
		struct sr_buf b;
		char *err = NULL;

		sr_matchers_init(&m);
		sr_matchers_init(&m2);
		sr_buf_init(&b);
		assert_int_equal(sr_matchers_parse(&m, in[i], &err), 0);
		sr_matcher_format(&b, &m.v[0]);
		assert_int_equal(sr_matchers_parse(&m2, b.data, &err), 0);
		assert_string_equal(m.v[0].value, m2.v[0].value);
		assert_int_equal(m.v[0].op, m2.v[0].op);
		sr_buf_done(&b);
		sr_matchers_done(&m);
		sr_matchers_done(&m2);
	}
}

/* The exact text a matcher is formatted to (sent as filter= to Alertmanager). */
static void
test_format_exact(void **state)
{
	static const struct {
		const char *in, *out;
	} t[] = {
		{ "a=b", "a=\"b\"" },
		{ "a!=\"q\\\"uote\"", "a!=\"q\\\"uote\"" },
		{ "a!~\"b\\\\s\"", "a!~\"b\\\\s\"" },
		{ "a=\"line\\nbreak\"", "a=\"line\\nbreak\"" },
		{ "a=~\"x.*\"", "a=~\"x.*\"" },
		{ "a=\"\\\\\\\"\\n\"", "a=\"\\\\\\\"\\n\"" },
		{ "a=\"\"", "a=\"\"" },
	};

	(void)state;
	for (size_t i = 0; i < SR_ARRAY_LEN(t); i++) {
		struct sr_matchers m;
		struct sr_buf b;
		char *err = NULL;

		sr_matchers_init(&m);
		sr_buf_init(&b);
		if (sr_matchers_parse(&m, t[i].in, &err) != 0)
			fail_msg("%s: %s", t[i].in, err);
		sr_matcher_format(&b, &m.v[0]);
		sr_buf_addc(&b, '\0');
		if (strcmp(b.data, t[i].out) != 0)
			fail_msg("%s formatted as %s, wanted %s", t[i].in, b.data, t[i].out);
		sr_buf_done(&b);
		sr_matchers_done(&m);
	}
}

/* The limits of the regular expressions, on both sides of each bound. */
static void
test_regex_limits(void **state)
{
	static const char *const good[] = {
		"a=~\"x{1000}\"", "a=~\"x{2,1000}\"", "a=~\"x{2,}\"", "a=~\"x{3,3}\"",
		"a=~\"x{0}\"", "a=~\"(x{998}){19}\"", "a=~\"((((((((((((((((x))))))))))))))))\"",
		"a=~\"[[:alpha:]]+\"", "a=~\"[^]x]\"", "a=~\"\\\\(\"", "a=~\"x*?\"",
		"a=~\"x{,3}\"", "a=~\"a|(b)|c\"",
		/* quantifier characters inside a class, after [:class:], [.x.] and [=x=] */
		"a=~\"[[:alpha:]*+]\"", "a=~\"[[.a.]*+]\"", "a=~\"[[=a=]*+]\"",
		"a=~\"((x{1000}){9})\"",
	};
	static const struct {
		const char *in, *why;
	} badre[] = {
		{ "a=~\"x{1001}\"", "bad repetition count" },
		{ "a=~\"x{2,1001}\"", "bad repetition count" },
		{ "a=~\"x{3,2}\"", "bad repetition count" },
		{ "a=~\"x{3\"", "bad repetition count" },
		{ "a=~\"x{99999999999999999999}\"", "bad repetition count" },
		{ "a=~\"(x{998}){19}x\"", "expands too much" },
		{ "a=~\"(x{998}){20}\"", "expands too much" },
		{ "a=~\"((x{1000}){9})+\"", "expands too much" },	/* + counts twice */
		{ "a=~\"((x{1000}){9})*\"", "expands too much" },
		{ "a=~\"((x{1000}){9})?\"", "expands too much" },
		{ "a=~\"x*+\"", "invalid nested repetition" },
		{ "a=~\"x?*\"", "invalid nested repetition" },
		{ "a=~\"x*??\"", "invalid nested repetition" },
		{ "a=~\"[abc\"", "missing closing ]" },
		{ "a=~\"[[:alpha:\"", "bad regular expression" },
		{ "a=~\"(((((((((((((((((x)))))))))))))))))\"", "nested too deeply" },
		{ "a=~\")\"", "unexpected )" },
	};
	struct sr_label l[] = { { "a", "xxx" } };
	struct sr_matchers m;
	char *err = NULL;
	char big[1100];

	(void)state;
	for (size_t i = 0; i < SR_ARRAY_LEN(good); i++) {
		sr_matchers_init(&m);
		if (sr_matchers_parse(&m, good[i], &err) != 0)
			fail_msg("%s: %s", good[i], err);
		sr_matchers_done(&m);
	}
	for (size_t i = 0; i < SR_ARRAY_LEN(badre); i++)
		bad(badre[i].in, badre[i].why);
	/* a pattern of exactly the longest length, and one byte more */
	memcpy(big, "a=~\"", 4);
	memset(big + 4, 'x', 1024);
	strcpy(big + 4 + 1024, "\"");
	sr_matchers_init(&m);
	assert_int_equal(sr_matchers_parse(&m, big, &err), 0);
	sr_matchers_done(&m);
	memset(big + 4, 'x', 1025);
	strcpy(big + 4 + 1025, "\"");
	bad(big, "pattern too long");
	/* what the accepted ones match */
	sr_matchers_init(&m);
	assert_int_equal(sr_matchers_parse(&m, "a=~\"x{3,3}\"", &err), 0);
	assert_true(sr_matchers_match(&m, l, 1));
	sr_matchers_done(&m);
	assert_int_equal(sr_matchers_parse(&m, "a=~\"x{2}\"", &err), 0);
	assert_false(sr_matchers_match(&m, l, 1));
	sr_matchers_done(&m);
	assert_int_equal(sr_matchers_parse(&m, "a=~\"x+?\"", &err), 0);
	assert_true(sr_matchers_match(&m, l, 1));
	sr_matchers_done(&m);
	assert_int_equal(sr_matchers_parse(&m, "a!~\"x+\"", &err), 0);
	assert_false(sr_matchers_match(&m, l, 1));
	sr_matchers_done(&m);
	assert_int_equal(sr_matchers_parse(&m, "a=~\"[[:alpha:]*+]+\"", &err), 0);
	assert_true(sr_matchers_match(&m, l, 1));
	sr_matchers_done(&m);
	assert_int_equal(sr_matchers_parse(&m, "a=~\"[[.x.]]+\"", &err), 0);
	assert_true(sr_matchers_match(&m, l, 1));
	sr_matchers_done(&m);
	assert_int_equal(sr_matchers_parse(&m, "a!=xxx", &err), 0);
	assert_false(sr_matchers_match(&m, l, 1));
	sr_matchers_done(&m);
	assert_int_equal(sr_matchers_parse(&m, "b!=\"\"", &err), 0);
	assert_false(sr_matchers_match(&m, l, 1));	/* missing: empty */
	sr_matchers_done(&m);
}

/* UTF-8 in values: each length at its edges; overlong forms and surrogates are refused. */
static void
test_value_utf8(void **state)
{
	static const char *const good[] = { "a=\"\xC2\x80\"", "a=\"\xDF\xBF\"",
					    "a=\"\xE0\xA0\x80\"", "a=\"\xED\x9F\xBF\"",
					    "a=\"\xF0\x90\x80\x80\"", "a=\"\xF4\x8F\xBF\xBF\"",
					    "a=\xC3\xA9", "a=x\xC3\xA9" };
	static const char *const badu[] = { "a=\"\xC1\xBF\"", "a=\"\xE0\x9F\xBF\"",
					    "a=\"\xED\xA0\x80\"", "a=\"\xF0\x8F\xBF\xBF\"",
					    "a=\"\xF4\x90\x80\x80\"", "a=\"\xF8\x88\x80\x80\x80\"",
					    "a=\xC3", "a=x\xE2\x82", "a=\"\xC3\x28\"",
					    /* stray continuation bytes, the first and the last */
					    "a=\"\x80\"", "a=\"x\xBF\"" };
	struct sr_matchers m;
	char *err = NULL;

	(void)state;
	for (size_t i = 0; i < SR_ARRAY_LEN(good); i++) {
		sr_matchers_init(&m);
		if (sr_matcher_parse(&m, good[i], &err) != 0)
			fail_msg("good %zu: %s", i, err);
		sr_matchers_done(&m);
	}
	for (size_t i = 0; i < SR_ARRAY_LEN(badu); i++) {
		sr_matchers_init(&m);
		assert_int_equal(sr_matcher_parse(&m, badu[i], &err), -1);
		if (strstr(err, "not valid UTF-8") == NULL)
			fail_msg("bad %zu: %s", i, err);
		free(err);
		err = NULL;
		sr_matchers_done(&m);
	}
	/* names: letters, digits after the first, _ and : */
	one("a_1:b=c", "a_1:b", SR_MATCH_EQ, "c");
	one("Z9=c", "Z9", SR_MATCH_EQ, "c");
	one("\t\na\r\f=b", "a", SR_MATCH_EQ, "b");
	bad("a-b=c", "bad matcher format");
	bad("9a=c", "bad matcher format");
	bad("a!b", "bad matcher format");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_operators),
		cmocka_unit_test(test_quotes_and_escapes),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_regex_dialect),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_args_alertname),
		cmocka_unit_test(test_matching),
		cmocka_unit_test(test_format_roundtrip),
		cmocka_unit_test(test_format_exact),
		cmocka_unit_test(test_regex_limits),
		cmocka_unit_test(test_value_utf8),
		cmocka_unit_test(test_args_first_is_matcher),
		cmocka_unit_test(test_name_chars),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
