/* SPDX-License-Identifier: MIT */
/* test_tui_keys.c: the console's key table is consistent: one meaning per key in each view. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "app.h"

/* In every view, a key resolves to exactly one binding of that view's own scope. */
static void
test_no_conflicts(void **state)
{
	(void)state;
	for (int v = 0; v < TUI_V_COUNT; v++) {
		for (size_t i = 0; i < tui_n_keys; i++) {
			for (size_t j = i + 1; j < tui_n_keys; j++) {
				const struct tui_key *a = &tui_keys[i], *b = &tui_keys[j];

				if (a->key != b->key || !(a->scope & TUI_IN(v)) ||
				    !(b->scope & TUI_IN(v)))
					continue;
				/* a view binding may shadow a global one; two of the same kind not */
				if ((a->scope == TUI_ANY) == (b->scope == TUI_ANY))
					fail_msg("key %s bound twice in view %d", a->name, v);
			}
		}
	}
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
		cmocka_unit_test(test_help_complete),
		cmocka_unit_test(test_required),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
