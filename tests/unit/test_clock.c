/* SPDX-License-Identifier: MIT */
/* test_clock.c: RFC 3339 times, durations and SITREP_NOW. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "clock.h"

static void
test_time_parse(void **state)
{
	sr_time t;
	char *err = NULL;
	char buf[32];

	(void)state;
	assert_int_equal(sr_time_parse("1970-01-01T00:00:00Z", &t, &err), 0);
	assert_int_equal(t, 0);
	assert_int_equal(sr_time_parse("2026-11-23T03:12:00Z", &t, &err), 0);
	assert_int_equal(t, 1795403520);
	assert_string_equal(sr_time_format(t, buf, sizeof(buf)), "2026-11-23T03:12:00Z");
	assert_int_equal(sr_time_parse("2026-11-23T04:12:00.123+01:00", &t, &err), 0);
	assert_int_equal(t, 1795403520);
	assert_int_equal(sr_time_parse("2026-11-23t02:42:00-00:30", &t, &err), 0);
	assert_int_equal(t, 1795403520);
	assert_int_equal(sr_time_parse("2024-02-29T00:00:00Z", &t, &err), 0);
	assert_int_equal(sr_time_year(t), 2024);
	/* regression (found by fuzz_clock): years before 1000 are zero-padded */
	assert_int_equal(sr_time_parse("0026-11-23T03:12:00Z", &t, &err), 0);
	assert_string_equal(sr_time_format(t, buf, sizeof(buf)), "0026-11-23T03:12:00Z");
	assert_null(err);
}

static void
test_time_parse_bad(void **state)
{
	static const char *const bad[] = {
		"", "2026-11-23", "2026-11-23T03:12:00", "2026-13-01T00:00:00Z",
		"2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z", "2026-11-23T24:00:00Z",
		"2026-11-23T03:12:00Zjunk", "2026-11-23T03:12:00+0100", "yesterday",
		"2026-11-23T03:12:00.Z",
	};
	sr_time t;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *err = NULL;

		assert_int_equal(sr_time_parse(bad[i], &t, &err), -1);
		assert_non_null(err);
		assert_non_null(strstr(err, "RFC 3339"));
		free(err);
	}
}

static void
test_duration_parse(void **state)
{
	static const struct {
		const char *s;
		int64_t v;
	} good[] = {
		{ "90s", 90 }, { "15m", 900 }, { "4h", 14400 }, { "1d", 86400 },
		{ "1w", 604800 }, { "1h30m", 5400 }, { "0", 0 }, { "0s", 0 },
		{ " 2h ", 7200 }, { "1d12h", 129600 },
	};
	static const char *const bad[] = { "", "15x", "-5m", "5", "m", "1.5h", "15 m", "1h-",
					   "99999999999999999999s" };

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		int64_t v = -1;
		char *err = NULL;

		assert_int_equal(sr_duration_parse(good[i].s, &v, &err), 0);
		assert_int_equal(v, good[i].v);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t v;
		char *err = NULL;

		assert_int_equal(sr_duration_parse(bad[i], &v, &err), -1);
		assert_non_null(strstr(err, "bad duration"));
		free(err);
	}
}

static void
test_duration_format(void **state)
{
	char b[24];

	(void)state;
	assert_string_equal(sr_duration_format(0, b, sizeof(b)), "0s");
	assert_string_equal(sr_duration_format(59, b, sizeof(b)), "59s");
	assert_string_equal(sr_duration_format(252, b, sizeof(b)), "4m12s");
	assert_string_equal(sr_duration_format(-252, b, sizeof(b)), "4m12s");
	assert_string_equal(sr_duration_format(3600 + 5 * 60, b, sizeof(b)), "1h05m");
	assert_string_equal(sr_duration_format(2 * 86400 + 3 * 3600, b, sizeof(b)), "2d03h");
	assert_string_equal(sr_duration_format(17 * 86400, b, sizeof(b)), "2w3d");
}

static void
test_clock_now(void **state)
{
	sr_time t;
	char *err = NULL;

	(void)state;
	setenv("SITREP_NOW", "2026-11-23T03:12:00Z", 1);
	assert_int_equal(sr_clock_now(&t, &err), 0);
	assert_int_equal(t, 1795403520);
	setenv("SITREP_NOW", "soon", 1);
	assert_int_equal(sr_clock_now(&t, &err), -1);
	assert_non_null(strstr(err, "SITREP_NOW"));
	free(err);
	unsetenv("SITREP_NOW");
	err = NULL;
	assert_int_equal(sr_clock_now(&t, &err), 0);
	assert_true(t > 1700000000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_parse),     cmocka_unit_test(test_time_parse_bad),
		cmocka_unit_test(test_duration_parse), cmocka_unit_test(test_duration_format),
		cmocka_unit_test(test_clock_now),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
