/* SPDX-License-Identifier: MIT */
/* input.h: text that is not typing: prompt text, bracketed paste, the clipboard payload. */
#ifndef TUI_INPUT_H
#define TUI_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/*
 * A prompt takes what the store takes for a note, a stack trace included: up to this many
 * bytes. More is refused with a message, never cut silently, and never inside a character.
 */
#define TUI_PROMPT_MAX 65536

/* Bracketed paste (xterm's mode 2004): the terminal wraps a paste in these two sequences. */
#define TUI_PASTE_ON "\033[?2004h"
#define TUI_PASTE_OFF "\033[?2004l"
/* The key codes define_key gives the two sequences (above every ncurses key code). */
#define TUI_KEY_PASTE_BEGIN 0x7e00
#define TUI_KEY_PASTE_END 0x7e01
/* A paste whose end never came is taken as ended after this long without a byte. */
#define TUI_PASTE_TIMEOUT_MS 1000

/* The text of an open prompt: NUL-terminated UTF-8, grown as needed. */
struct tui_text {
	char *s;
	size_t len, cap;
	size_t refused;		/* bytes refused since the prompt opened (over TUI_PROMPT_MAX) */
};

/* Empties t and sets it to init (NULL: ""). */
void tui_text_set(struct tui_text *t, const char *init);
void tui_text_done(struct tui_text *t);
/*
 * Appends len bytes of typed or pasted input (already one character or sanitised text). What
 * does not fit in TUI_PROMPT_MAX is refused (counted in t->refused) and an incomplete UTF-8
 * character left at the end is removed, so the text never ends inside a character. Returns
 * the bytes refused.
 */
size_t tui_text_add(struct tui_text *t, const char *s, size_t len);
/* Removes the last whole character. */
void tui_text_backspace(struct tui_text *t);

/*
 * Appends to b what a prompt line shows of s in width columns: line breaks as a visible mark
 * (⏎, or '|' without UTF-8), sanitised; when wider than width, the end (where the cursor is)
 * with a mark (… or '<') for the part scrolled off to the left. Returns the columns written.
 */
size_t tui_text_view(struct sr_buf *b, const char *s, size_t len, size_t width, int utf8);

/*
 * Pasted bytes made into prompt text: sanitised like the screen (no ESC, CSI, OSC, C1, bidi
 * controls, invalid UTF-8); line breaks kept as '\n' when multiline, else each run of them
 * becomes one space. *lines gets the number of line breaks met. Trailing breaks are dropped.
 */
void tui_paste_text(struct sr_buf *out, const char *s, size_t len, int multiline,
		    size_t *lines);

/* A paste being received between TUI_KEY_PASTE_BEGIN and _END. */
struct tui_paste {
	int on;
	int64_t last_ms;	/* when its last byte came */
	struct sr_buf b;
	size_t dropped;		/* bytes past TUI_PASTE_MAX, or keys (not bytes) inside it */
};
#define TUI_PASTE_MAX (4 * TUI_PROMPT_MAX)

void tui_paste_begin(struct tui_paste *p, int64_t now_ms);
/* One key code read while p->on (a byte, or a key code a sequence inside the paste made). */
void tui_paste_key(struct tui_paste *p, int ch, int64_t now_ms);

#endif
