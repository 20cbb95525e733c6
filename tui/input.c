/* SPDX-License-Identifier: MIT */
/* input.c: prompt text (long, whole characters), bracketed paste, the OSC 52 payload. */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "http.h"
#include "input.h"
#include "text.h"

/* --- prompt text --- */

void
tui_text_set(struct tui_text *t, const char *init)
{
	t->len = 0;
	t->refused = 0;
	if (t->s == NULL) {
		t->cap = 256;
		t->s = sr_xcalloc(1, t->cap);
	}
	t->s[0] = '\0';
	if (init != NULL)
		tui_text_add(t, init, strlen(init));
}

void
tui_text_done(struct tui_text *t)
{
	free(t->s);
	memset(t, 0, sizeof(*t));
}

/* Removes a UTF-8 sequence left incomplete at the end of t. */
static void
trim_partial(struct tui_text *t)
{
	for (size_t back = 1; back <= 3 && back <= t->len; back++) {
		unsigned char c = (unsigned char)t->s[t->len - back];

		if ((c & 0xC0) == 0x80)
			continue;	/* a continuation byte: look further back for its lead */
		if (sr_utf8_cut(t->s + t->len - back, back))
			t->len -= back;	/* the start of a character that never came whole */
		break;
	}
	t->s[t->len] = '\0';
}

size_t
tui_text_add(struct tui_text *t, const char *s, size_t len)
{
	size_t room, take;

	if (t->s == NULL)
		tui_text_set(t, NULL);
	room = TUI_PROMPT_MAX - t->len;
	take = len < room ? len : room;
	if (t->len + take + 1 > t->cap) {
		while (t->len + take + 1 > t->cap)
			t->cap *= 2;
		t->s = sr_xrealloc(t->s, t->cap);
	}
	memcpy(t->s + t->len, s, take);
	t->len += take;
	t->s[t->len] = '\0';
	if (take < len) {
		/* full: what is cut off is refused, and no character is left half there */
		t->refused += len - take;
		trim_partial(t);
	}
	return len - take;
}

void
tui_text_backspace(struct tui_text *t)
{
	while (t->len > 0) {	/* remove one whole UTF-8 character */
		unsigned char c = (unsigned char)t->s[--t->len];

		if ((c & 0xC0) != 0x80)
			break;
	}
	if (t->s != NULL)
		t->s[t->len] = '\0';
}

size_t
tui_text_view(struct sr_buf *b, const char *s, size_t len, size_t width, int utf8)
{
	struct sr_buf line, clean;
	size_t w, cols, start = 0;
	unsigned flags = utf8 ? 0 : SR_SAN_ASCII;
	const char *mark = utf8 ? "\u23ce" : "|", *more = utf8 ? "\u2026" : "<";

	if (width == 0)
		return 0;
	/* line breaks shown as a mark (the text keeps them), everything else sanitised */
	sr_buf_init(&line);
	for (size_t i = 0; i < len;) {
		size_t j = i;

		while (j < len && s[j] != '\n')
			j++;
		sr_text_sanitize(&line, s + i, j - i, flags);
		if (j < len)
			sr_buf_adds(&line, mark);
		i = j + 1;
	}
	sr_buf_init(&clean);
	sr_buf_add(&clean, line.data != NULL ? line.data : "", line.len);
	sr_buf_done(&line);
	w = sr_text_width(clean.data != NULL ? clean.data : "", clean.len);
	if (w > width) {
		/* scrolled: the end stays in view, whole characters only */
		size_t need = w - (width - 1);

		while (start < clean.len && need > 0) {
			uint32_t cp;
			size_t n = sr_utf8_decode(clean.data + start, clean.len - start, &cp);
			size_t cw = (size_t)sr_cp_width(cp);

			start += n;
			need = cw >= need ? 0 : need - cw;
		}
		/* zero-width characters belong with the one before them */
		while (start < clean.len) {
			uint32_t cp;
			size_t n = sr_utf8_decode(clean.data + start, clean.len - start, &cp);

			if (sr_cp_width(cp) != 0)
				break;
			start += n;
		}
		sr_buf_adds(b, more);
		cols = 1 + sr_text_width(clean.data + start, clean.len - start);
	} else {
		cols = w;
	}
	sr_buf_add(b, clean.data != NULL ? clean.data + start : "", clean.len - start);
	sr_buf_done(&clean);
	return cols;
}

/* --- paste --- */

void
tui_paste_text(struct sr_buf *out, const char *s, size_t len, int multiline, size_t *lines)
{
	struct sr_buf b;
	size_t n = 0, end;

	sr_buf_init(&b);
	sr_text_sanitize(&b, s, len, SR_SAN_NEWLINES);
	end = b.len;
	while (end > 0 && b.data[end - 1] == '\n')
		end--;		/* the Enter at the end of a copied line is not text */
	for (size_t i = 0; i < end; i++) {
		if (b.data[i] != '\n') {
			sr_buf_addc(out, b.data[i]);
			continue;
		}
		n++;
		if (multiline) {
			sr_buf_addc(out, '\n');
		} else {
			while (i + 1 < end && b.data[i + 1] == '\n')
				i++;
			sr_buf_addc(out, ' ');
		}
	}
	sr_buf_done(&b);
	*lines = n;
}

void
tui_paste_begin(struct tui_paste *p, int64_t now_ms)
{
	p->on = 1;
	p->last_ms = now_ms;
	p->dropped = 0;
	p->b.len = 0;
}

void
tui_paste_key(struct tui_paste *p, int ch, int64_t now_ms)
{
	p->last_ms = now_ms;
	if (ch < 0 || ch > 0xff || p->b.len >= TUI_PASTE_MAX) {
		p->dropped++;	/* a key code an escape sequence in the paste made, or too much */
		return;
	}
	sr_buf_addc(&p->b, (char)ch);
}

