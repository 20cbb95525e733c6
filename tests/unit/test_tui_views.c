/* SPDX-License-Identifier: MIT */
/* test_tui_views.c: the console's views start no I/O in draw (the update op loads, draw reads). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "tmpdir.h"

/* True when some row of w shows s. */
static int
has_row(WINDOW *w, const char *s)
{
	char line[128];

	for (int y = 0; y < getmaxy(w); y++)
		if (mvwinnstr(w, y, 0, line, 79) != ERR && strstr(line, s) != NULL)
			return 1;
	return 0;
}

/*
 * The runbook view on a file: after the update op the file is removed, then draw runs twice.
 * A draw that (re)loaded the Markdown would find no file and say "cannot be shown"; the
 * page must still be there, from what update loaded.
 */
static void
test_runbook_draw_reads_only(void **state)
{
	char dir[64], path[128], line[128];
	struct tui_app app;
	SCREEN *scr;
	FILE *out, *in;
	FILE *f;

	(void)state;
	sr_test_tmp(dir, sizeof(dir), "sitrep-tui-views");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/disk-full.md", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("# Disk full\n\nFree space on the data volume first.\n", f);
	fclose(f);

	assert_non_null(out = fopen("/dev/null", "w"));
	assert_non_null(in = fopen("/dev/null", "r"));
	assert_non_null(scr = newterm("xterm", out, in));
	memset(&app, 0, sizeof(app));
	tui_theme_init(&app.th, "dark", 0);
	app.body = newwin(20, 80, 1, 0);
	app.view = TUI_V_RUNBOOK;	/* opened in place: no view stack needed */

	tui_view_runbook.open(&app, path);
	assert_non_null(tui_view_runbook.update);
	tui_view_runbook.update(&app);
	assert_int_equal(unlink(path), 0);
	for (int pass = 0; pass < 2; pass++) {
		werase(app.body);
		tui_view_runbook.draw(&app, app.body, 20, 80);
		assert_int_not_equal(mvwinnstr(app.body, 0, 0, line, 79), ERR);
		assert_non_null(strstr(line, "Disk full"));
		assert_true(has_row(app.body, "Free space on the data volume"));
		assert_string_equal(app.msg, "");
	}
	/* a new width is the update op's to lay out: with the file gone it now says so */
	wresize(app.body, 20, 60);
	tui_view_runbook.update(&app);
	assert_string_not_equal(app.msg, "");

	tui_view_runbook.done(&app);
	delwin(app.body);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	assert_int_equal(rmdir(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runbook_draw_reads_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
