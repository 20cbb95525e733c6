/* SPDX-License-Identifier: MIT */
/* test_tui_silence.c: the console's silence form text: MATCHERS [for DURATION] [-- COMMENT]. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "app.h"

static void
spec(const char *text, int64_t want_secs, const char *want_comment, size_t want_n)
{
	struct sr_matchers m;
	int64_t secs = -1;
	char *comment = NULL, *err = NULL;

	sr_matchers_init(&m);
	if (tui_silence_spec(text, &m, &secs, &comment, &err) != 0)
		fail_msg("\"%s\": %s", text, err);
	assert_int_equal(secs, want_secs);
	assert_int_equal(m.n, want_n);
	if (want_comment == NULL)
		assert_null(comment);
	else
		assert_string_equal(comment, want_comment);
	free(comment);
	sr_matchers_done(&m);
}

static void
test_spec(void **state)
{
	(void)state;
	spec("alertname=\"X\"", 7200, NULL, 1);
	spec("alertname=\"X\",service=\"y\" for 90m", 5400, NULL, 2);
	spec("alertname=\"X\" for 1d -- deploy rollback", 86400, "deploy rollback", 1);
	spec("alertname=\"X\" -- only a comment", 7200, "only a comment", 1);
	/* " for " and " -- " inside a quoted value are part of the value */
	spec("summary=\"wait for 5m -- then\"", 7200, NULL, 1);
	spec("summary=\"wait for 5m\" for 4h", 4 * 3600, NULL, 1);
}

static void
test_spec_errors(void **state)
{
	struct sr_matchers m;
	int64_t secs;
	char *err = NULL;
	static const char *const bad[] = { "alertname=\"X\" for soon", "for 2h", "",
					   "alertname=\"X\" for 0s", "alertname=~\"(\"" };

	(void)state;
	for (size_t i = 0; i < SR_ARRAY_LEN(bad); i++) {
		sr_matchers_init(&m);
		if (tui_silence_spec(bad[i], &m, &secs, NULL, &err) == 0)
			fail_msg("\"%s\" accepted", bad[i]);
		assert_non_null(err);
		free(err);
		err = NULL;
		sr_matchers_done(&m);
	}
}

/* Tab walks the presets and keeps the matchers and the comment. */
static void
test_presets(void **state)
{
	char buf[256] = "alertname=\"X\" -- why", label[64];
	static const char *const want[] = { "Silence 4h ", "Silence 8h ", "Silence 1d ",
					    "Silence 1h ", "Silence 2h " };

	(void)state;
	tui_silence_label(buf, label, sizeof(label));
	assert_string_equal(label, "Silence 2h ");
	for (size_t i = 0; i < SR_ARRAY_LEN(want); i++) {
		tui_silence_next_preset(buf, sizeof(buf));
		tui_silence_label(buf, label, sizeof(label));
		assert_string_equal(label, want[i]);
	}
	assert_string_equal(buf, "alertname=\"X\" for 2h -- why");
	strcpy(buf, "alertname=\"X\" for 90m");
	tui_silence_label(buf, label, sizeof(label));
	assert_string_equal(label, "Silence 90m ");
	tui_silence_next_preset(buf, sizeof(buf));	/* not a preset: back to the first */
	assert_string_equal(buf, "alertname=\"X\" for 1h");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec),
		cmocka_unit_test(test_spec_errors),
		cmocka_unit_test(test_presets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
