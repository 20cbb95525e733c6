/* SPDX-License-Identifier: MIT */
/* test_format.c: the one text of units, deadlines, sparklines and alert states; the session. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alertmgr.h"
#include "format.h"
#include "session.h"
#include "tmpdir.h"

static void
test_units(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(sr_format_unit(4.25, SR_UNIT_PERCENT, b, sizeof(b)), "4.2%");
	assert_string_equal(sr_format_unit(0.0705, SR_UNIT_RATIO, b, sizeof(b)), "7.0%");
	assert_string_equal(sr_format_unit(1.84, SR_UNIT_SECONDS, b, sizeof(b)), "1.84s");
	assert_string_equal(sr_format_unit(0.23, SR_UNIT_SECONDS, b, sizeof(b)), "230ms");
	assert_string_equal(sr_format_unit(512.0 * 1024 * 1024, SR_UNIT_BYTES, b, sizeof(b)),
			    "512.0MiB");
	assert_string_equal(sr_format_unit(100, SR_UNIT_BYTES, b, sizeof(b)), "100B");
	assert_string_equal(sr_format_unit(12, SR_UNIT_REQPS, b, sizeof(b)), "12.0/s");
	assert_string_equal(sr_format_unit(41.6, SR_UNIT_COUNT, b, sizeof(b)), "42");
	assert_string_equal(sr_format_unit(1234567.0, SR_UNIT_NONE, b, sizeof(b)), "1.23457e+06");
	assert_string_equal(sr_format_unit(NAN, SR_UNIT_SECONDS, b, sizeof(b)), "NaN");
	assert_string_equal(sr_format_unit(-INFINITY, SR_UNIT_NONE, b, sizeof(b)), "-Inf");
}

static void
test_deadlines(void **state)
{
	static const struct {
		struct sr_deadline d;
		enum sr_deadline_state st;
		const char *cell, *sentence;
	} cases[] = {
		{ { 0, 0, 0, 0 }, SR_DL_NONE, "-", "-" },
		{ { 100, 900, 1, 0 }, SR_DL_LEFT, "15m00s", "15m00s left" },
		{ { 100, 299, 1, 0 }, SR_DL_SOON, "4m59s", "4m59s left" },
		{ { 100, -420, 1, 1 }, SR_DL_OVERDUE, "-7m00s", "7m00s OVERDUE" },
		{ { 100, 60, 0, 0 }, SR_DL_MET, "met", "met" },
		{ { 100, -120, 0, 1 }, SR_DL_MISSED, "missed", "missed by 2m00s" },
	};
	char b[32];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(sr_format_deadline(&cases[i].d, SR_DL_CELL, b, sizeof(b)),
				 cases[i].st);
		assert_string_equal(b, cases[i].cell);
		assert_int_equal(sr_format_deadline(&cases[i].d, SR_DL_SENTENCE, b, sizeof(b)),
				 cases[i].st);
		assert_string_equal(b, cases[i].sentence);
		assert_int_equal(sr_deadline_alarm(cases[i].st),
				 cases[i].st == SR_DL_OVERDUE || cases[i].st == SR_DL_MISSED);
	}
}

/* A flat series is a flat band; thresholds are inside the range; no zero span. */
static void
test_chart_range(void **state)
{
	double lo, hi, th[2] = { NAN, NAN };

	(void)state;
	/* 41.9..42.1 (noise around 42): not stretched, at least 20% of 42 tall, centred */
	sr_chart_range(41.9, 42.1, th, 2, &lo, &hi);
	assert_true(hi - lo >= 42 * SR_CHART_MIN_SPAN - 1e-9);
	assert_true(lo < 41.9 && hi > 42.1);
	assert_true((42.1 - 41.9) / (hi - lo) < 0.05);	/* the swing is under 5% of the height */
	/* a warn threshold at 80 is inside the range, with 0 as the floor */
	th[0] = 80;
	sr_chart_range(30, 42, th, 2, &lo, &hi);
	assert_true(lo == 0 && hi >= 80);
	/* all zero: a span of 1, not zero */
	th[0] = NAN;
	sr_chart_range(0, 0, th, 2, &lo, &hi);
	assert_true(lo == 0 && hi == 1);
	/* a real swing keeps its own range */
	sr_chart_range(500, 900, th, 2, &lo, &hi);
	assert_true(lo == 500 && hi == 900);
	/* negative values are not clamped at zero */
	sr_chart_range(-5.01, -5, th, 2, &lo, &hi);
	assert_true(lo < -5.01 && hi > -5 && hi - lo >= 1 - 1e-9);
}

static void
test_spark(void **state)
{
	const double v[] = { 0, 1, 2, 3, 4, 5, 6, 7 }, gap[] = { 1, NAN, 3 }, flat[] = { 5, 5 };
	signed char l[16];

	(void)state;
	/* fewer columns than samples: the last sample of each share, the whole range shown */
	assert_int_equal(sr_spark_levels(v, 8, 4, l), 4);
	assert_int_equal(l[0], 1);
	assert_int_equal(l[1], 3);
	assert_int_equal(l[2], 5);
	assert_int_equal(l[3], 7);
	/* more columns than samples: one cell per sample; gaps are -1 */
	assert_int_equal(sr_spark_levels(gap, 3, 10, l), 3);
	assert_int_equal(l[0], 0);
	assert_int_equal(l[1], -1);
	assert_int_equal(l[2], 7);
	assert_int_equal(sr_spark_levels(flat, 2, 2, l), 2);
	assert_int_equal(l[0], 0);
	assert_int_equal(sr_spark_levels(v, 0, 4, l), 0);
}

/* The ends of each range: a second, a KiB, the largest binary unit, +Inf, "soon", and a
 * sparkline writes no cell past the width it returns. */
static void
test_format_edges(void **state)
{
	const double v[] = { 4, 0, 8, -8, 2 };
	char b[32];
	signed char l[8];
	struct sr_deadline soon = { 100, SR_DL_SOON_SECS, 1, 0 };
	struct sr_deadline zero = { 100, 0, 1, 0 };

	(void)state;
	assert_string_equal(sr_format_unit(1.0, SR_UNIT_SECONDS, b, sizeof(b)), "1.00s");
	assert_string_equal(sr_format_unit(-0.5, SR_UNIT_SECONDS, b, sizeof(b)), "-500ms");
	assert_string_equal(sr_format_unit(-1.5, SR_UNIT_SECONDS, b, sizeof(b)), "-1.50s");
	assert_string_equal(sr_format_unit(1023, SR_UNIT_BYTES, b, sizeof(b)), "1023B");
	assert_string_equal(sr_format_unit(1024, SR_UNIT_BYTES, b, sizeof(b)), "1.0KiB");
	assert_string_equal(sr_format_unit(-2048, SR_UNIT_BYTES, b, sizeof(b)), "-2.0KiB");
	assert_string_equal(sr_format_unit(1024.0 * 1024 * 1024 * 1024 * 1024, SR_UNIT_BYTES, b,
					   sizeof(b)), "1.0PiB");
	assert_string_equal(sr_format_unit(4096.0 * 1024 * 1024 * 1024 * 1024 * 1024,
					   SR_UNIT_BYTES, b, sizeof(b)), "4096.0PiB");
	assert_string_equal(sr_format_unit(INFINITY, SR_UNIT_BYTES, b, sizeof(b)), "+Inf");
	assert_string_equal(sr_format_unit(0.5, SR_UNIT_PERCENT, b, sizeof(b)), "0.5%");
	assert_string_equal(sr_format_unit(2.5, SR_UNIT_COUNT, b, sizeof(b)), "2");
	assert_int_equal(sr_format_deadline(&soon, SR_DL_CELL, b, sizeof(b)), SR_DL_LEFT);
	soon.left--;
	assert_int_equal(sr_format_deadline(&soon, SR_DL_CELL, b, sizeof(b)), SR_DL_SOON);
	assert_int_equal(sr_format_deadline(&zero, SR_DL_SENTENCE, b, sizeof(b)), SR_DL_SOON);
	assert_string_equal(b, "0s left");
	assert_false(sr_deadline_alarm(SR_DL_SOON));
	assert_false(sr_deadline_alarm(SR_DL_MET));
	assert_true(sr_deadline_alarm(SR_DL_MISSED));
	/* as many columns as samples: each one, -8..8 over 0..7 */
	memset(l, 99, sizeof(l));
	assert_int_equal(sr_spark_levels(v, 5, 5, l), 5);
	assert_int_equal(l[0], 5);
	assert_int_equal(l[1], 4);
	assert_int_equal(l[2], 7);
	assert_int_equal(l[3], 0);
	assert_int_equal(l[4], 4);
	assert_int_equal(l[5], 99);
	memset(l, 99, sizeof(l));
	assert_int_equal(sr_spark_levels(v, 5, 2, l), 2);
	assert_int_equal(l[0], 4);	/* v[1] */
	assert_int_equal(l[1], 4);	/* v[4] */
	assert_int_equal(l[2], 99);
}

static void
test_alert_state(void **state)
{
	struct sr_am_alert a;
	char *ids[] = { "x" };

	(void)state;
	memset(&a, 0, sizeof(a));
	a.state = SR_AM_ACTIVE;
	assert_string_equal(sr_am_alert_state(&a), "active");
	assert_false(sr_am_alert_suppressed(&a));
	a.state = SR_AM_UNPROCESSED;
	assert_string_equal(sr_am_alert_state(&a), "unprocessed");
	a.state = SR_AM_SUPPRESSED;
	assert_string_equal(sr_am_alert_state(&a), "inhibited");
	a.silenced_by = ids;
	a.n_silenced_by = 1;
	assert_string_equal(sr_am_alert_state(&a), "silenced");
	assert_true(sr_am_alert_suppressed(&a));
	/* the state decides: an HA alert active on one instance is active though silenced on another */
	a.state = SR_AM_ACTIVE;
	assert_string_equal(sr_am_alert_state(&a), "active");
	assert_false(sr_am_alert_suppressed(&a));
	a.state = SR_AM_SUPPRESSED;
	a.n_silenced_by = 0;
	a.inhibited_by = ids;
	a.n_inhibited_by = 1;
	assert_string_equal(sr_am_alert_state(&a), "inhibited");
}

static void
test_session(void **state)
{
	struct sr_config cfg;
	struct sr_session s;
	char dir[48], db[64], *err = NULL;

	(void)state;
	sr_test_tmp(dir, sizeof(dir), "sitrep-session");
	sr_config_init(&cfg);
	assert_non_null(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/s.db", dir);
	setenv("SITREP_NOW", "2026-11-23T03:12:00Z", 1);
	assert_int_equal(sr_session_init(&s, &cfg, db, "/data", 1, &err), 0);
	assert_int_equal(s.now, 1795403520);
	assert_int_equal(s.readonly, 1);
	assert_ptr_equal(s.cfg, &cfg);
	assert_ptr_equal(s.store_where, db);
	assert_string_equal(s.datadir, "/data");
	assert_ptr_equal(s.actor, cfg.user);
	/* the store is opened on first use only, then kept */
	assert_null(s.store);
	assert_int_equal(access(db, F_OK), -1);
	assert_non_null(sr_session_store(&s, &err));
	assert_int_equal(access(db, F_OK), 0);
	assert_ptr_equal(sr_session_store(&s, &err), s.store);
	/* the clock is re-read; a bad SITREP_NOW keeps the last time */
	setenv("SITREP_NOW", "2026-11-23T03:13:00Z", 1);
	sr_session_clock(&s);
	assert_int_equal(s.now, 1795403580);
	setenv("SITREP_NOW", "yesterday", 1);
	sr_session_clock(&s);
	assert_int_equal(s.now, 1795403580);
	sr_session_done(&s);
	assert_null(s.store);
	/* no place for a store: an error, not a crash */
	assert_int_equal(sr_session_init(&s, &cfg, NULL, NULL, 0, &err), -1);
	assert_non_null(err);
	free(err);
	err = NULL;
	unsetenv("SITREP_NOW");
	memset(&s, 0xa5, sizeof(s));	/* init fills every member, whatever was there */
	assert_int_equal(sr_session_init(&s, &cfg, NULL, NULL, 0, &err), 0);
	assert_int_equal(s.readonly, 0);
	assert_null(s.datadir);
	assert_null(s.store);
	assert_null(sr_session_store(&s, &err));
	assert_non_null(strstr(err, "no store"));
	free(err);
	sr_session_done(&s);
	sr_config_done(&cfg);
	{
		char cmd[96];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		assert_int_equal(system(cmd), 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units),	    cmocka_unit_test(test_deadlines),
		cmocka_unit_test(test_spark), cmocka_unit_test(test_chart_range),	    cmocka_unit_test(test_alert_state),
		cmocka_unit_test(test_session),
		cmocka_unit_test(test_format_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
