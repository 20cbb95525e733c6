/* SPDX-License-Identifier: MIT */
/* test_tui_input.c: prompt text never ends inside a character; the OSC 52 payload is clean. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "text.h"

/* The prompt's limit falls inside a 3-byte character: the text stops before it, whole. */
static void
test_text_full_never_splits(void **state)
{
	struct tui_text t = { 0 };
	const char euro[] = "\xe2\x82\xac";
	char *fill = malloc(TUI_PROMPT_MAX);

	(void)state;
	memset(fill, 'a', TUI_PROMPT_MAX - 2);
	tui_text_set(&t, NULL);
	assert_int_equal(tui_text_add(&t, fill, TUI_PROMPT_MAX - 2), 0);
	/* two bytes of room: the euro's first two bytes would fit, the character would not */
	assert_int_equal(tui_text_add(&t, euro, 3), 1);
	assert_int_equal(t.len, TUI_PROMPT_MAX - 2);
	assert_int_equal(t.refused, 1);
	/* typed byte by byte (as wgetch gives them) the same holds */
	tui_text_set(&t, NULL);
	tui_text_add(&t, fill, TUI_PROMPT_MAX - 2);
	tui_text_add(&t, euro, 1);
	tui_text_add(&t, euro + 1, 1);
	tui_text_add(&t, euro + 2, 1);
	assert_int_equal(t.len, TUI_PROMPT_MAX - 2);
	assert_int_equal(t.s[t.len - 1], 'a');
	/* a long note well under the limit is taken whole; backspace removes whole characters */
	tui_text_set(&t, NULL);
	for (int i = 0; i < 2000; i++)
		assert_int_equal(tui_text_add(&t, euro, 3), 0);
	assert_int_equal(t.len, 6000);
	tui_text_backspace(&t);
	assert_int_equal(t.len, 5997);
	tui_text_done(&t);
	free(fill);
}

/*
 * What a full prompt trims at its end is exactly the start of a valid character cut short
 * (the class of text.c's cut test, sr_utf8_cut): every valid sequence cut at every point is
 * trimmed; bytes that can never start a character (0x80-0xC1, 0xF5-0xFF) or an invalid second
 * byte are not a character in halves, and stay for the sanitiser to show as U+FFFD.
 */
static void
test_text_full_cut_class(void **state)
{
	static const char *const whole[] = { "\xc2\xa9", "\xdf\xbf", "\xe0\xa0\x80", "\xe2\x82\xac",
					     "\xed\x9f\xbf", "\xef\xbf\xbd", "\xf0\x90\x80\x80",
					     "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf" };
	/* bytes that never start a character, then starts whose second byte rules them out */
	static const char *const never[] = { "\xc0\xaf", "\xc1\xbf", "\xf5\x80\x80\x80",
					     "\xf8\x80\x80\x80", "\xff\x80", "\x80\x80" };
	static const char *const second[] = { "\xe0\x80\x80", "\xed\xa0\x80", "\xf0\x80\x80\x80",
					      "\xf4\x90\x80\x80", "\xe2\x28\xa1", "\xc2\x41" };
	struct tui_text t = { 0 };
	char *fill = malloc(TUI_PROMPT_MAX);

	(void)state;
	memset(fill, 'a', TUI_PROMPT_MAX);
	for (size_t k = 0; k < sizeof whole / sizeof whole[0]; k++)
		for (size_t room = 1; room < strlen(whole[k]); room++) {
			tui_text_set(&t, NULL);
			tui_text_add(&t, fill, TUI_PROMPT_MAX - room);
			assert_int_equal(tui_text_add(&t, whole[k], strlen(whole[k])),
					 strlen(whole[k]) - room);	/* the bytes that did not fit */
			assert_int_equal(t.len, TUI_PROMPT_MAX - room);	/* the cut start trimmed */
		}
	for (size_t k = 0; k < sizeof never / sizeof never[0]; k++) {
		tui_text_set(&t, NULL);
		tui_text_add(&t, fill, TUI_PROMPT_MAX - 1);
		tui_text_add(&t, never[k], strlen(never[k]));
		assert_int_equal(t.len, TUI_PROMPT_MAX);	/* one byte that starts nothing: kept */
	}
	for (size_t k = 0; k < sizeof second / sizeof second[0]; k++) {
		tui_text_set(&t, NULL);
		tui_text_add(&t, fill, TUI_PROMPT_MAX - 2);
		tui_text_add(&t, second[k], strlen(second[k]));
		assert_int_equal(t.len, TUI_PROMPT_MAX);	/* no character's start: kept */
	}
	tui_text_done(&t);
	free(fill);
}

/* What the prompt line shows of a long text: its end, marked as scrolled, within width. */
static void
test_text_view_scrolls(void **state)
{
	struct sr_buf b;
	size_t cols;

	(void)state;
	sr_buf_init(&b);
	cols = tui_text_view(&b, "first\nsecond line that is long", 30, 10, 1);
	sr_buf_addc(&b, '\0');
	assert_true(cols <= 10);
	assert_non_null(strstr(b.data, "\xe2\x80\xa6"));	/* … */
	assert_non_null(strstr(b.data, "is long"));
	sr_buf_done(&b);
	sr_buf_init(&b);
	tui_text_view(&b, "a\nb", 3, 10, 1);
	sr_buf_addc(&b, '\0');
	assert_string_equal(b.data, "a\xe2\x8f\x8e" "b");	/* the kept break shown as ⏎ */
	sr_buf_done(&b);
}

/* Pasted text: sanitised, line breaks kept for a note, joined by one space otherwise. */
static void
test_paste_text(void **state)
{
	struct sr_buf b;
	size_t lines;
	const char *s = "x\r\n\tat y\n\n\033[2Jz\033]52;c;QQ==\a\xe2\x80\xae\n";

	(void)state;
	sr_buf_init(&b);
	tui_paste_text(&b, s, strlen(s), 1, &lines);
	sr_buf_addc(&b, '\0');
	assert_null(strchr(b.data, '\033'));
	assert_null(strchr(b.data, '\a'));
	assert_null(strstr(b.data, "\xe2\x80\xae"));
	assert_non_null(strstr(b.data, "x\n at y\n\n"));
	assert_int_equal(lines, 3);
	sr_buf_done(&b);
	sr_buf_init(&b);
	tui_paste_text(&b, s, strlen(s), 0, &lines);
	sr_buf_addc(&b, '\0');
	assert_null(strchr(b.data, '\n'));
	assert_non_null(strstr(b.data, "x  at y "));
	sr_buf_done(&b);
}

/* Decodes the base64 of an OSC 52 payload framed ESC ] 52 ; c ; ... BEL. */
static char *
decode(const struct sr_buf *b)
{
	static const char al[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = b->data + 7;
	size_t n = b->len - 8, o = 0;
	char *out = calloc(1, n + 1);
	unsigned acc = 0;
	int bits = 0;

	assert_memory_equal(b->data, "\033]52;c;", 7);
	assert_int_equal(b->data[b->len - 1], '\a');
	for (size_t i = 0; i < n && p[i] != '='; i++) {
		const char *c = strchr(al, p[i]);

		assert_non_null(c);
		acc = (acc << 6) | (unsigned)(c - al);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	return out;
}

/* The clipboard: no ESC/OSC/C1/bidi, every secret replaced, even one that looks like "***". */
static void
test_osc52_clean(void **state)
{
	const char *secrets[] = { "canaryTOKEN", "", "**", NULL };
	const char *s = "Pool \033]52;c;ZXZpbA==\a canaryTOKEN \302\233 \342\200\256 x**y\nnext";
	struct sr_buf b;
	char *clip;

	(void)state;
	sr_buf_init(&b);
	sr_text_osc52(&b, s, strlen(s), secrets, 4);
	clip = decode(&b);
	assert_null(strchr(clip, '\033'));
	assert_null(strchr(clip, '\a'));
	assert_null(strstr(clip, "\302\233"));
	assert_null(strstr(clip, "\342\200\256"));
	assert_null(strstr(clip, "canaryTOKEN"));
	assert_non_null(strstr(clip, "Pool "));
	assert_non_null(strstr(clip, "***"));
	assert_non_null(strstr(clip, "\nnext"));	/* line breaks kept */
	free(clip);
	sr_buf_done(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_full_never_splits),
		cmocka_unit_test(test_text_full_cut_class),
		cmocka_unit_test(test_text_view_scrolls),
		cmocka_unit_test(test_paste_text),
		cmocka_unit_test(test_osc52_clean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
