/* SPDX-License-Identifier: MIT */
/* test_text.c: UTF-8 decoding, display widths, fitting, cutting and the sanitiser. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "util.h"

static void
test_decode(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(sr_utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(sr_utf8_decode("\xC3\xA9", 2, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(sr_utf8_decode("\xE6\x97\xA5", 3, &cp), 3);
	assert_int_equal(cp, 0x65E5);
	assert_int_equal(sr_utf8_decode("\xF0\x9F\x9A\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F680);
	/* overlong, surrogate, truncated, stray continuation, out of range */
	assert_int_equal(sr_utf8_decode("\xC0\xAF", 2, &cp), 1);
	assert_int_equal(cp, SR_REPLACEMENT);
	assert_int_equal(sr_utf8_decode("\xED\xA0\x80", 3, &cp), 1);
	assert_int_equal(cp, SR_REPLACEMENT);
	assert_int_equal(sr_utf8_decode("\xE6\x97", 2, &cp), 1);
	assert_int_equal(cp, SR_REPLACEMENT);
	assert_int_equal(sr_utf8_decode("\x80", 1, &cp), 1);
	assert_int_equal(cp, SR_REPLACEMENT);
	assert_int_equal(sr_utf8_decode("\xF4\x90\x80\x80", 4, &cp), 1);
	assert_int_equal(cp, SR_REPLACEMENT);
}

static void
test_encode_roundtrip(void **state)
{
	static const uint32_t cps[] = { 0x24, 0xA2, 0x20AC, 0x10348, 0x10FFFF };
	char buf[4];
	uint32_t cp;
	size_t i, n;

	(void)state;
	for (i = 0; i < SR_ARRAY_LEN(cps); i++) {
		n = sr_utf8_encode(cps[i], buf);
		assert_int_equal(sr_utf8_decode(buf, n, &cp), n);
		assert_int_equal(cp, cps[i]);
	}
	n = sr_utf8_encode(0xD800, buf);	/* a surrogate becomes U+FFFD */
	assert_int_equal(n, 3);
	assert_memory_equal(buf, "\xEF\xBF\xBD", 3);
}

static void
test_width(void **state)
{
	(void)state;
	assert_int_equal(sr_cp_width('a'), 1);
	assert_int_equal(sr_cp_width(0x301), 0);	/* combining acute */
	assert_int_equal(sr_cp_width(0x200B), 0);	/* zero width space */
	assert_int_equal(sr_cp_width(0x65E5), 2);	/* CJK */
	assert_int_equal(sr_cp_width(0xAC00), 2);	/* Hangul */
	assert_int_equal(sr_cp_width(0x1F680), 2);	/* emoji */
	assert_int_equal(sr_cp_width(0xFF21), 2);	/* fullwidth A */
	assert_int_equal(sr_text_width("cafe\xCC\x81", 6), 4);
	assert_int_equal(sr_text_width("\xE6\x97\xA5\xE6\x9C\xAC", 6), 4);
	assert_int_equal(sr_text_width("a\033b", 3), 3);	/* ESC counts as its replacement */
	assert_int_equal(sr_text_width("", 0), 0);
}

static char *
san(const char *s, size_t len, unsigned flags)
{
	struct sr_buf b;

	sr_buf_init(&b);
	sr_buf_adds(&b, "");
	sr_text_sanitize(&b, s, len, flags);
	return sr_buf_steal(&b);
}

static void
test_sanitize(void **state)
{
	char *s;

	(void)state;
	s = san("a\033[31mred", sizeof("a\033[31mred") - 1, 0);
	assert_string_equal(s, "a\xEF\xBF\xBD[31mred");
	free(s);
	/* OSC: ESC and BEL both replaced */
	s = san("\033]8;;http://x\007t", sizeof("\033]8;;http://x\007t") - 1, 0);
	assert_null(strchr(s, '\033'));
	assert_null(strchr(s, '\007'));
	free(s);
	s = san("c1\xC2\x9B" "2J", sizeof("c1\xC2\x9B" "2J") - 1, 0);	/* C1 CSI */
	assert_string_equal(s, "c1\xEF\xBF\xBD" "2J");
	free(s);
	/* RLO, LRI */
	s = san("x\xE2\x80\xAEy\xE2\x81\xA6z", sizeof("x\xE2\x80\xAEy\xE2\x81\xA6z") - 1, 0);
	assert_string_equal(s, "x\xEF\xBF\xBDy\xEF\xBF\xBDz");
	free(s);
	s = san("a\tb\r\nc\x7F", sizeof("a\tb\r\nc\x7F") - 1, 0);
	assert_string_equal(s, "a b c\xEF\xBF\xBD");
	free(s);
	s = san("a\nb", sizeof("a\nb") - 1, SR_SAN_NEWLINES);
	assert_string_equal(s, "a\nb");
	free(s);
	s = san("caf\xC3\xA9 \xFF", sizeof("caf\xC3\xA9 \xFF") - 1, SR_SAN_ASCII);
	assert_string_equal(s, "caf? ?");
	free(s);
	s = san("nul\0byte", sizeof("nul\0byte") - 1, 0);
	assert_string_equal(s, "nul\xEF\xBF\xBD" "byte");
	free(s);
	s = sr_text_clean(NULL);
	assert_string_equal(s, "");
	free(s);
	s = sr_text_clean("ok \xE6\x97\xA5");
	assert_string_equal(s, "ok \xE6\x97\xA5");
	free(s);
}

/* Every kind of line break, in a one-line and in a multi-line field. */
static const char *const breaks[] = { "\n", "\r", "\r\n", "\v", "\f", "\xC2\x85",
				      "\xE2\x80\xA8", "\xE2\x80\xA9" };

static void
test_line_structure(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof(breaks) / sizeof(breaks[0]); k++) {
		char in[64], *s, flat[64];
		struct sr_buf b;

		snprintf(in, sizeof(in), "a%sSTATUS: RESOLVED%s%s", breaks[k], breaks[k],
			 breaks[k]);
		/* one-line field: every break is a space */
		s = san(in, strlen(in), 0);
		assert_null(strchr(s, '\n'));
		assert_null(strchr(s, '\r'));
		assert_null(strstr(s, "\xE2\x80\xA8"));
		assert_non_null(strstr(s, "a STATUS: RESOLVED"));
		free(s);
		/* multi-line: each later line indented, trailing breaks dropped */
		sr_buf_init(&b);
		sr_text_block(&b, in, strlen(in), "    ", 0);
		assert_string_equal(b.data, "a\n    STATUS: RESOLVED");
		sr_buf_done(&b);
		/* in place: only breaks change */
		snprintf(flat, sizeof(flat), "x%sy", breaks[k]);
		sr_text_flatten(flat);
		assert_null(strpbrk(flat, "\n\r\v\f"));
		assert_int_equal(flat[0], 'x');
		assert_int_equal(flat[strlen(flat) - 1], 'y');
		assert_null(strstr(flat, "\xE2\x80\xA8"));
		assert_null(strstr(flat, "\xC2\x85"));
	}
	/* a block sanitises like a line: no ESC gets through its later lines */
	{
		struct sr_buf b;

		sr_buf_init(&b);
		sr_text_block(&b, "x\n\033[2Jy", 7, "  ", 0);
		assert_string_equal(b.data, "x\n  \xEF\xBF\xBD[2Jy");
		sr_buf_done(&b);
	}
}

static void
test_ascii(void **state)
{
	struct sr_buf b;
	size_t used;
	/* C1 CSI as UTF-8, a wide CJK character, an ellipsis, a box line, a combining accent */
	const char in[] = "a\xC2\x9B" "b\xE6\x97\xA5" "c\xE2\x80\xA6\xE2\x94\x80" "e\xCC\x81\033[1m";

	(void)state;
	sr_buf_init(&b);
	used = sr_text_ascii(&b, in, sizeof(in) - 1, 1);
	assert_int_equal(used, sizeof(in) - 1);
	assert_string_equal(b.data, "a?b??c.-e\033[1m");
	for (size_t i = 0; i < b.len; i++)
		assert_true((unsigned char)b.data[i] < 0x80);
	sr_buf_done(&b);
	/* a sequence cut by the end of a chunk is left for the next write */
	sr_buf_init(&b);
	used = sr_text_ascii(&b, "ok\xE6\x97", 4, 0);
	assert_int_equal(used, 2);
	assert_string_equal(b.data, "ok");
	used = sr_text_ascii(&b, "\xE6\x97", 2, 1);	/* at the end it is one bad byte each */
	assert_int_equal(used, 2);
	assert_string_equal(b.data, "ok??");
	sr_buf_done(&b);
}

static void
test_fit(void **state)
{
	struct sr_buf b;

	(void)state;
	sr_buf_init(&b);
	assert_int_equal(sr_text_fit(&b, "hello world", 8, 0, 0), 8);
	assert_string_equal(b.data, "hello w\xE2\x80\xA6");
	b.len = 0;
	assert_int_equal(sr_text_fit(&b, "hi", 5, 1, 0), 5);
	assert_string_equal(b.data, "hi   ");
	b.len = 0;
	/* a wide character never straddles the cut */
	assert_int_equal(sr_text_fit(&b, "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 4, 1, 0), 4);
	assert_string_equal(b.data, "\xE6\x97\xA5\xE2\x80\xA6 ");
	b.len = 0;
	sr_text_fit(&b, "abcdef", 3, 0, SR_SAN_ASCII);
	assert_string_equal(b.data, "ab.");
	b.len = 0;
	sr_text_fit(&b, "a\033b", 10, 0, 0);
	assert_null(strchr(b.data, '\033'));
	sr_buf_done(&b);
}

static void
test_cut(void **state)
{
	size_t cols;

	(void)state;
	assert_int_equal(sr_text_cut("abcdef", 6, 4, &cols), 4);
	assert_int_equal(cols, 4);
	assert_int_equal(sr_text_cut("\xE6\x97\xA5\xE6\x9C\xAC", 6, 3, &cols), 3);
	assert_int_equal(cols, 2);
	assert_int_equal(sr_text_cut("\xE6\x97\xA5", 3, 1, &cols), 0);
	assert_int_equal(cols, 0);
	/* a combining mark stays with its base */
	assert_int_equal(sr_text_cut("e\xCC\x81x", 4, 1, &cols), 3);
	assert_int_equal(sr_text_cut("ab", 2, 10, NULL), 2);
}

static void
test_binary(void **state)
{
	char buf[1000];
	size_t i;

	(void)state;
	assert_false(sr_text_is_binary("", 0));
	assert_false(sr_text_is_binary("# Title\n\nplain text \xE6\x97\xA5\n", 22));
	assert_true(sr_text_is_binary("abc\0def", 7));
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(0x80 + i % 64);	/* stray continuation bytes */
	assert_true(sr_text_is_binary(buf, sizeof(buf)));
	/* a few bad bytes in a text file are tolerated (shown as U+FFFD) */
	memset(buf, 'a', sizeof(buf));
	buf[10] = (char)0xFF;
	buf[500] = (char)0xFE;
	assert_false(sr_text_is_binary(buf, sizeof(buf)));
}

/* Every range end of the sanitiser's unsafe set, with its neighbours outside. */
static void
test_unsafe_range_ends(void **state)
{
	static const uint32_t unsafe[] = { 0x00, 0x1F, 0x7F, 0x80, 0x9F, 0x061C, 0x200E, 0x200F,
					   0x202A, 0x202E, 0x2066, 0x2069 };
	static const uint32_t safe[] = { 0x20, 0x7E, 0xA0, 0xFF, 0x061B, 0x061D, 0x200D, 0x2010,
					 0x2027, 0x202F, 0x2065, 0x206A };	/* U+2028/9 are breaks */
	char in[8], *out;
	size_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(unsafe) / sizeof(unsafe[0]); i++) {
		if (!sr_cp_is_unsafe(unsafe[i]))
			fail_msg("U+%04X should be unsafe", (unsigned)unsafe[i]);
		if (unsafe[i] == '\t' || unsafe[i] == '\n' || unsafe[i] == '\r' || unsafe[i] == 0)
			continue;
		n = sr_utf8_encode(unsafe[i], in);
		in[n] = '\0';
		out = sr_text_clean(in);
		if (strcmp(out, "\xEF\xBF\xBD") != 0)
			fail_msg("U+%04X reached the output", (unsigned)unsafe[i]);
		free(out);
		/* one column in a width, never the code point's own */
		assert_int_equal(sr_text_width(in, n), 1);
	}
	for (size_t i = 0; i < sizeof(safe) / sizeof(safe[0]); i++) {
		if (sr_cp_is_unsafe(safe[i]))
			fail_msg("U+%04X should be safe", (unsigned)safe[i]);
		n = sr_utf8_encode(safe[i], in);
		in[n] = '\0';
		out = sr_text_clean(in);
		if (strcmp(out, in) != 0)
			fail_msg("U+%04X was changed", (unsigned)safe[i]);
		free(out);
	}
	/* C1 at both ends inside text, and with the ASCII flag */
	out = sr_text_clean("a\xC2\x80" "b\xC2\x9F" "c\xC2\xA0" "d");
	assert_string_equal(out, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xC2\xA0" "d");
	free(out);
	{
		struct sr_buf b;

		sr_buf_init(&b);
		sr_text_sanitize(&b, "a\xC2\x9F\xC3\xA9\tb\nc\rd", 11, SR_SAN_ASCII);
		sr_buf_addc(&b, '\0');
		assert_string_equal(b.data, "a?? b c d");	/* a lone CR is a break too */
		sr_buf_done(&b);
		sr_buf_init(&b);
		sr_text_sanitize(&b, "x\ny\x7F", 4, SR_SAN_NEWLINES);
		sr_buf_addc(&b, '\0');
		assert_string_equal(b.data, "x\ny\xEF\xBF\xBD");
		sr_buf_done(&b);
	}
}

/* UTF-8 at the edges of each length, overlong forms, surrogates, the last code point. */
static void
test_utf8_edges(void **state)
{
	static const struct {
		const char *s;
		size_t len, n;
		uint32_t cp;
	} t[] = {
		{ "\x7F", 1, 1, 0x7F },
		{ "\xC2\x80", 2, 2, 0x80 },
		{ "\xC1\xBF", 2, 1, SR_REPLACEMENT },	/* overlong 0x7F */
		{ "\xDF\xBF", 2, 2, 0x7FF },
		{ "\xE0\x9F\xBF", 3, 1, SR_REPLACEMENT },	/* overlong 0x7FF */
		{ "\xE0\xA0\x80", 3, 3, 0x800 },
		{ "\xED\x9F\xBF", 3, 3, 0xD7FF },
		{ "\xED\xA0\x80", 3, 1, SR_REPLACEMENT },	/* U+D800 */
		{ "\xED\xBF\xBF", 3, 1, SR_REPLACEMENT },	/* U+DFFF */
		{ "\xEE\x80\x80", 3, 3, 0xE000 },
		{ "\xEF\xBF\xBF", 3, 3, 0xFFFF },
		{ "\xF0\x8F\xBF\xBF", 4, 1, SR_REPLACEMENT },	/* overlong 0xFFFF */
		{ "\xF0\x90\x80\x80", 4, 4, 0x10000 },
		{ "\xF4\x8F\xBF\xBF", 4, 4, 0x10FFFF },
		{ "\xF4\x90\x80\x80", 4, 1, SR_REPLACEMENT },	/* past U+10FFFF */
		{ "\xF8\x88\x80\x80", 4, 1, SR_REPLACEMENT },	/* 5-byte lead */
		{ "\xE2\x82", 2, 1, SR_REPLACEMENT },		/* cut short */
		{ "\xE2\x82\xAC", 2, 1, SR_REPLACEMENT },	/* cut by len */
		{ "\xE2\x28\xAC", 3, 1, SR_REPLACEMENT },	/* not a continuation */
	};
	static const struct {
		uint32_t cp;
		const char *s;
	} e[] = {
		{ 0x7F, "\x7F" }, { 0x80, "\xC2\x80" }, { 0x7FF, "\xDF\xBF" },
		{ 0x800, "\xE0\xA0\x80" }, { 0xD7FF, "\xED\x9F\xBF" }, { 0xD800, "\xEF\xBF\xBD" },
		{ 0xDFFF, "\xEF\xBF\xBD" }, { 0xE000, "\xEE\x80\x80" }, { 0xFFFF, "\xEF\xBF\xBF" },
		{ 0x10000, "\xF0\x90\x80\x80" }, { 0x10FFFF, "\xF4\x8F\xBF\xBF" },
		{ 0x110000, "\xEF\xBF\xBD" },
	};
	uint32_t cp;
	char out[8];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		size_t n = sr_utf8_decode(t[i].s, t[i].len, &cp);

		if (n != t[i].n || cp != t[i].cp)
			fail_msg("decode %zu: got %zu U+%04X", i, n, (unsigned)cp);
	}
	for (size_t i = 0; i < sizeof(e) / sizeof(e[0]); i++) {
		size_t n = sr_utf8_encode(e[i].cp, out);

		if (n != strlen(e[i].s) || memcmp(out, e[i].s, n) != 0)
			fail_msg("encode U+%04X: %zu bytes", (unsigned)e[i].cp, n);
	}
}

/* Widths at the ends of the zero-width and wide ranges, and what fit/cut make of them. */
static void
test_width_range_ends(void **state)
{
	static const struct {
		uint32_t cp;
		int w;
	} t[] = {
		{ 0x2FF, 1 }, { 0x300, 0 }, { 0x36F, 0 }, { 0x370, 1 }, { 0x05BE, 1 }, { 0x05BF, 0 },
		{ 0x05C0, 1 }, { 0x200A, 1 }, { 0x200B, 0 }, { 0xFEFF, 0 }, { 0xE0001, 0 },
		{ 0xE01EF, 0 }, { 0xE01F0, 1 }, { 0x10FF, 1 }, { 0x1100, 2 }, { 0x115F, 2 },
		{ 0x1160, 1 }, { 0x23EF, 1 }, { 0x23F0, 2 }, { 0x23F1, 1 }, { 0x4E00, 2 },
		{ 0x9FFF, 2 }, { 0xAC00, 2 }, { 0xD7A3, 2 }, { 0xD7A4, 1 }, { 0xFF00, 2 },
		{ 0xFF60, 2 }, { 0xFF61, 1 }, { 0x1F600, 2 }, { 0x1FAFF, 2 }, { 0x20000, 2 },
		{ 0x3FFFD, 2 }, { 0x3FFFE, 1 },
	};
	struct sr_buf b;
	size_t cols, w;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (sr_cp_width(t[i].cp) != t[i].w)
			fail_msg("U+%04X: width %d, wanted %d", (unsigned)t[i].cp,
				 sr_cp_width(t[i].cp), t[i].w);
	/* 漢字漢 is 6 columns */
	assert_int_equal(sr_text_width("\xE6\xBC\xA2\xE5\xAD\x97\xE6\xBC\xA2", 9), 6);
	sr_buf_init(&b);
	w = sr_text_fit(&b, "\xE6\xBC\xA2\xE5\xAD\x97\xE6\xBC\xA2", 6, 0, 0);
	sr_buf_addc(&b, '\0');
	assert_int_equal(w, 6);
	assert_string_equal(b.data, "\xE6\xBC\xA2\xE5\xAD\x97\xE6\xBC\xA2");
	sr_buf_done(&b);
	sr_buf_init(&b);
	w = sr_text_fit(&b, "\xE6\xBC\xA2\xE5\xAD\x97\xE6\xBC\xA2", 5, 1, 0);
	sr_buf_addc(&b, '\0');
	assert_int_equal(w, 5);
	assert_string_equal(b.data, "\xE6\xBC\xA2\xE5\xAD\x97\xE2\x80\xA6");
	sr_buf_done(&b);
	sr_buf_init(&b);
	w = sr_text_fit(&b, "\xE6\xBC\xA2\xE5\xAD\x97\xE6\xBC\xA2", 4, 1, 0);
	sr_buf_addc(&b, '\0');
	assert_int_equal(w, 4);
	assert_string_equal(b.data, "\xE6\xBC\xA2\xE2\x80\xA6 ");
	sr_buf_done(&b);
	sr_buf_init(&b);
	w = sr_text_fit(&b, "abcdef", 4, 0, SR_SAN_ASCII);
	sr_buf_addc(&b, '\0');
	assert_int_equal(w, 4);
	assert_string_equal(b.data, "abc.");
	sr_buf_done(&b);
	sr_buf_init(&b);
	w = sr_text_fit(&b, "abcdef", 0, 1, 0);
	assert_int_equal(w, 0);
	assert_int_equal(b.len, 0);
	sr_buf_done(&b);
	/* cut: a wide character that does not fit whole stays out */
	assert_int_equal(sr_text_cut("ab\xE6\xBC\xA2", 5, 3, &cols), 2);
	assert_int_equal(cols, 2);
	assert_int_equal(sr_text_cut("ab\xE6\xBC\xA2", 5, 4, &cols), 5);
	assert_int_equal(cols, 4);
	assert_int_equal(sr_text_cut("ab\xE6\xBC\xA2", 5, 9, &cols), 5);
	assert_int_equal(cols, 4);
	assert_int_equal(sr_text_cut("abc", 3, 2, &cols), 2);
	assert_int_equal(cols, 2);
	assert_int_equal(sr_text_cut("a\xC2\x9F" "b", 4, 2, &cols), 3);	/* C1: one column */
	assert_int_equal(cols, 2);
	assert_int_equal(sr_text_cut("a\xCC\x81" "b", 4, 1, &cols), 3);	/* combining: none */
	assert_int_equal(cols, 1);
}

/* Invalid lead bytes are evidence of binary data; a sequence cut at the end is not. */
static void
test_binary_leads(void **state)
{
	char buf[1000];

	(void)state;
	memset(buf, 0xFF, sizeof(buf));
	assert_true(sr_text_is_binary(buf, sizeof(buf)));
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i % 2 ? 'a' : 0xC3);	/* a lead followed by no continuation */
	assert_true(sr_text_is_binary(buf, sizeof(buf)));
	assert_false(sr_text_is_binary("ab\xE6\x97", 4));
	assert_true(sr_text_is_binary("\xE6\x97" "ab", 4));
	/* exactly one bad sequence in ten is tolerated, two are not */
	assert_false(sr_text_is_binary("\xFF" "abcdefghi", 10));
	assert_true(sr_text_is_binary("\xFF" "abcdefgh", 9));
}

/* sr_text_scrub: every occurrence, longest first, short secrets, in place. */
static void
test_scrub(void **state)
{
	const char *sec[] = { "user:longsecret", "longsecret", "ab", "", NULL };
	char s[] = "x longsecret y user:longsecret ab zlongsecretlongsecret";
	size_t n = sr_text_scrub(s, strlen(s), sec, 5);

	(void)state;
	s[n] = '\0';
	assert_string_equal(s, "x *** y *** ** z******");
	{
		char t[] = "nothing here";

		assert_int_equal(sr_text_scrub(t, strlen(t), sec, 5), strlen("nothing here"));
		assert_string_equal(t, "nothing here");
	}
}

/* base64 (RFC 4648) back to bytes, for reading an OSC 52 payload */
static size_t
unbase64(const char *in, size_t len, char *out)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t acc = 0;
	int bits = 0;
	size_t n = 0;

	for (size_t i = 0; i < len && in[i] != '='; i++) {
		const char *p = strchr(al, in[i]);

		assert_non_null(p);
		acc = acc << 6 | (uint32_t)(p - al);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (char)(acc >> bits & 0xFF);
		}
	}
	out[n] = '\0';
	return n;
}

/* The clipboard gets what the screen would show: no ESC/OSC/BEL, secrets masked, lines kept. */
static void
test_osc52_clean_and_masked(void **state)
{
	const char *sec[] = { "hunter22" };
	const char in[] = "a\033]0;title\007b pw hunter22\nline two";
	struct sr_buf out;
	char dec[256];
	size_t n;

	(void)state;
	sr_buf_init(&out);
	sr_text_osc52(&out, in, sizeof(in) - 1, sec, 1);
	assert_true(out.len > 8);
	assert_memory_equal(out.data, "\033]52;c;", 7);
	assert_int_equal(out.data[out.len - 1], '\a');
	n = unbase64(out.data + 7, out.len - 8, dec);
	assert_null(memchr(dec, '\033', n));
	assert_null(memchr(dec, '\007', n));
	assert_null(strstr(dec, "hunter22"));
	assert_non_null(strstr(dec, "pw ***"));
	assert_non_null(strstr(dec, "\nline two"));	/* a copied note keeps its lines */
	assert_true(n >= 8);
	assert_memory_equal(dec + n - 8, "line two", 8);	/* nothing after it: the mask's length */
	sr_buf_done(&out);
}

/* Masking replaces the secret, never what follows it, even where the mask and the text after
 * it spell the secret again. */
static void
test_scrub_mask_not_rescanned(void **state)
{
	const char *sec[] = { "**b" };
	char s[] = "x**bb";
	size_t n = sr_text_scrub(s, strlen(s), sec, 1);

	(void)state;
	s[n] = '\0';
	assert_string_equal(s, "x***b");
}

/* Nothing to decode: nothing consumed, the replacement character. */
static void
test_decode_empty(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(sr_utf8_decode("", 0, &cp), 0);
	assert_int_equal(cp, SR_REPLACEMENT);
}

/* ASCII output: a stray continuation byte is not ASCII; a 4-byte character cut by a chunk's
 * end waits for its last byte. */
static void
test_ascii_stray_and_cut(void **state)
{
	struct sr_buf b;
	size_t used;

	(void)state;
	sr_buf_init(&b);
	sr_text_ascii(&b, "a\x80" "b", 3, 1);
	sr_buf_addc(&b, '\0');
	assert_string_equal(b.data, "a?b");
	sr_buf_done(&b);

	sr_buf_init(&b);
	used = sr_text_ascii(&b, "x\xF0\x9F\x98", 4, 0);
	assert_int_equal(used, 1);
	sr_text_ascii(&b, "\xF0\x9F\x98\x80", 4, 1);	/* U+1F600, two columns */
	sr_buf_addc(&b, '\0');
	assert_string_equal(b.data, "x??");
	sr_buf_done(&b);
}

/*
 * A byte sequence at the end is "cut" (not evidence of binary data, and held back by
 * sr_text_ascii for the next chunk) only when it is a proper prefix of a valid UTF-8 sequence.
 * Every byte that can never lead one (0x80-0xC1, 0xF5-0xFF: 0xC0 and 0xC1 could only start
 * an overlong form) counts as bad at the end as anywhere; so do leads whose next byte is out of
 * their range (overlong E0/F0, surrogate ED, above U+10FFFF F4) or not a continuation.
 */
static void
test_cut_is_a_valid_prefix(void **state)
{
	static const char *const cut[] = {
		"\xC2", "\xDF", "\xE0\xA0", "\xE1", "\xE1\x80", "\xEC\xBF", "\xED\x9F", "\xEE\x80",
		"\xEF", "\xF0\x90", "\xF0\x90\x80", "\xF1", "\xF3\xBF\xBF", "\xF4\x8F", "\xF4\x8F\xBF",
	};
	/* and what sr_text_ascii consumes of "ab" + each: all, or up to a cut lead after it */
	static const struct {
		const char *s;
		size_t used;
	} not_cut[] = {
		{ "\xE0\x9F", 4 }, { "\xED\xA0", 4 }, { "\xF0\x8F", 4 }, { "\xF4\x90", 4 },
		{ "\xE1\x41", 4 }, { "\xF1\x80\x41", 5 }, { "\xC2\xC2", 3 }, { "\xE1\xE1\x80", 3 },
	};
	char buf[16];
	struct sr_buf b;

	(void)state;
	/* "abcd" + one byte: one bad sequence in five is binary, a cut one is not counted */
	for (int c = 0x80; c <= 0xFF; c++) {
		int can_lead = c >= 0xC2 && c <= 0xF4;

		memcpy(buf, "abcd", 4);
		buf[4] = (char)c;
		if (can_lead)
			assert_false(sr_text_is_binary(buf, 5));
		else if (sr_text_is_binary(buf, 5) != 1)
			fail_msg("trailing 0x%02X taken for a cut sequence", c);
		sr_buf_init(&b);
		assert_int_equal(sr_text_ascii(&b, buf, 5, 0), can_lead ? 4u : 5u);
		sr_buf_done(&b);
	}
	for (size_t k = 0; k < sizeof(cut) / sizeof(cut[0]); k++) {
		size_t n = strlen(cut[k]);

		snprintf(buf, sizeof(buf), "abcd%s", cut[k]);
		assert_false(sr_text_is_binary(buf, 4 + n));
		sr_buf_init(&b);
		assert_int_equal(sr_text_ascii(&b, buf, 4 + n, 0), 4);
		assert_int_equal(sr_text_ascii(&b, buf, 4 + n, 1), 4 + n);
		sr_buf_done(&b);
	}
	for (size_t k = 0; k < sizeof(not_cut) / sizeof(not_cut[0]); k++) {
		size_t n = strlen(not_cut[k].s);

		snprintf(buf, sizeof(buf), "ab%s", not_cut[k].s);
		if (sr_text_is_binary(buf, 2 + n) != 1)
			fail_msg("not_cut[%zu] taken for a cut sequence", k);
		sr_buf_init(&b);
		assert_int_equal(sr_text_ascii(&b, buf, 2 + n, 0), not_cut[k].used);
		sr_buf_done(&b);
	}
	/* a whole sequence at the end is text, not a cut */
	assert_false(sr_text_is_binary("abcd\xF4\x8F\xBF\xBF", 8));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_encode_roundtrip),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_line_structure),
		cmocka_unit_test(test_ascii),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_unsafe_range_ends),
		cmocka_unit_test(test_utf8_edges),
		cmocka_unit_test(test_width_range_ends),
		cmocka_unit_test(test_binary_leads),
		cmocka_unit_test(test_scrub),
		cmocka_unit_test(test_osc52_clean_and_masked),
		cmocka_unit_test(test_scrub_mask_not_rescanned),
		cmocka_unit_test(test_decode_empty),
		cmocka_unit_test(test_ascii_stray_and_cut),
		cmocka_unit_test(test_cut_is_a_valid_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
