/* SPDX-License-Identifier: MIT */
/* test_tui_keys.c: the console's key table is consistent: one meaning per key in each view. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "app.h"

/*
 * One key, one meaning: wherever a key is bound (any views, a view's own binding or a global
 * one), it does the same thing, so a key typed in the wrong view cannot do something else
 * there (`s` was status in the incident and silence in the alerts view).
 */
static void
test_no_conflicts(void **state)
{
	(void)state;
	for (size_t i = 0; i < tui_n_keys; i++) {
		for (size_t j = i + 1; j < tui_n_keys; j++) {
			const struct tui_key *a = &tui_keys[i], *b = &tui_keys[j];

			if (a->key != b->key)
				continue;
			if (a->action != b->action)
				fail_msg("key %s means \"%s\" in one view and \"%s\" in another",
					 a->name, tui_action_text(a->action),
					 tui_action_text(b->action));
			if (a->scope & b->scope)
				fail_msg("key %s bound twice in the same view", a->name);
		}
	}
}

/* The modes refuse what changes or sends in read-only, everything but a few on the wall. */
static void
test_mode_refuses(void **state)
{
	static const enum tui_action changes[] = {
		TUI_A_ACK, TUI_A_STATUS, TUI_A_NOTE, TUI_A_ESCALATE, TUI_A_RESOLVE,
		TUI_A_CLOSE, TUI_A_UPDATE_SENT, TUI_A_NEW_INCIDENT, TUI_A_SILENCE, TUI_A_CHECK,
	};
	struct tui_options rw = { 0 }, ro = { .readonly = 1 }, wall = { .wallboard = 1 };

	(void)state;
	for (size_t i = 0; i < SR_ARRAY_LEN(changes); i++) {
		assert_null(tui_mode_refuses(&rw, changes[i]));
		assert_non_null(strstr(tui_mode_refuses(&ro, changes[i]), "read-only"));
		assert_non_null(tui_mode_refuses(&wall, changes[i]));
	}
	for (size_t i = 0; i < tui_n_keys; i++)
		assert_null(tui_mode_refuses(&rw, tui_keys[i].action));
	/* read-only still moves, reads, opens and refreshes */
	assert_null(tui_mode_refuses(&ro, TUI_A_DOWN));
	assert_null(tui_mode_refuses(&ro, TUI_A_RUNBOOK));
	assert_null(tui_mode_refuses(&ro, TUI_A_REFRESH));
	/* the wall answers quit, help and refresh only */
	assert_null(tui_mode_refuses(&wall, TUI_A_BACK));
	assert_null(tui_mode_refuses(&wall, TUI_A_HELP));
	assert_null(tui_mode_refuses(&wall, TUI_A_REFRESH));
	assert_non_null(strstr(tui_mode_refuses(&wall, TUI_A_DOWN), "wallboard"));
	assert_non_null(tui_mode_refuses(&wall, TUI_A_FILTER));
}

/* Every binding has a name, a help text and a real action: the help view needs them. */
static void
test_help_complete(void **state)
{
	(void)state;
	assert_true(tui_n_keys > 40);
	for (size_t i = 0; i < tui_n_keys; i++) {
		assert_non_null(tui_keys[i].name);
		assert_true(strlen(tui_keys[i].help) >= 2);
		assert_true(tui_keys[i].action > TUI_A_NONE && tui_keys[i].action < TUI_A_COUNT);
		assert_true(strlen(tui_action_text(tui_keys[i].action)) > 0);
	}
}

/* The bindings the issue names are there: vim keys and arrows, ? help, / filter, : command. */
static void
test_required(void **state)
{
	static const struct {
		int key;
		enum tui_action a;
	} want[] = {
		{ 'j', TUI_A_DOWN }, { KEY_DOWN, TUI_A_DOWN }, { 'k', TUI_A_UP }, { KEY_UP, TUI_A_UP },
		{ '?', TUI_A_HELP }, { '/', TUI_A_FILTER }, { ':', TUI_A_COMMAND },
		{ 'q', TUI_A_BACK }, { 27, TUI_A_BACK }, { '\t', TUI_A_NEXT_VIEW },
		{ 'g', TUI_A_REFRESH }, { 0x0c, TUI_A_REDRAW },
		{ '1', TUI_A_VIEW_1 }, { '7', TUI_A_VIEW_7 },
	};

	(void)state;
	for (size_t w = 0; w < SR_ARRAY_LEN(want); w++) {
		int found = 0;

		for (size_t i = 0; i < tui_n_keys; i++)
			found |= tui_keys[i].key == want[w].key && tui_keys[i].action == want[w].a &&
				 tui_keys[i].scope == TUI_ANY;
		assert_true(found);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_conflicts),
		cmocka_unit_test(test_mode_refuses),
		cmocka_unit_test(test_help_complete),
		cmocka_unit_test(test_required),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
