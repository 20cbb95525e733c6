/* SPDX-License-Identifier: MIT */
/* text.h: UTF-8 decoding, display width, fitting and sanitising of outside text. */
#ifndef SR_TEXT_H
#define SR_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define SR_REPLACEMENT 0xFFFDu

/*
 * Decodes one UTF-8 sequence at s (at most len bytes). Returns the bytes consumed (>= 1) and
 * the code point in *cp; an invalid, overlong, surrogate or truncated sequence consumes one
 * byte and yields U+FFFD.
 */
size_t sr_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Encodes cp into out (at least 4 bytes); returns the length. */
size_t sr_utf8_encode(uint32_t cp, char *out);

/* Columns a code point takes: 0 (combining, zero-width), 1, or 2 (wide CJK, emoji). */
int sr_cp_width(uint32_t cp);
/* True for code points that must never reach a terminal: C0/C1 controls, DEL, bidi controls. */
int sr_cp_is_unsafe(uint32_t cp);

/* Sanitiser flags. */
#define SR_SAN_NEWLINES 0x1	/* keep '\n' (otherwise it becomes a space) */
#define SR_SAN_ASCII 0x2	/* non-ASCII becomes '?' (for non-UTF-8 locales) */

/*
 * Appends s (len bytes of untrusted text) to b so that it is safe to write to a terminal:
 * invalid UTF-8 becomes U+FFFD; ESC, CSI, OSC, C1 controls and every other control character,
 * and bidi overrides/isolates, become U+FFFD; a tab becomes a space; '\n' is kept only with
 * SR_SAN_NEWLINES; '\r' is dropped.
 */
void sr_text_sanitize(struct sr_buf *b, const char *s, size_t len, unsigned flags);
/* Returns an allocated sanitised single-line copy of s (NULL becomes ""). */
char *sr_text_clean(const char *s);

/* Display width of UTF-8 text (unsafe code points counted as 1, as they will be replaced). */
size_t sr_text_width(const char *s, size_t len);

/*
 * Appends sanitised s to b cut to at most width columns; when cut, the last column is an
 * ellipsis ("…", or "." with SR_SAN_ASCII). With pad, spaces fill up to width. Returns the
 * columns written.
 */
size_t sr_text_fit(struct sr_buf *b, const char *s, size_t width, int pad, unsigned flags);

/*
 * Bytes of the longest prefix of s (len bytes of already sanitised UTF-8) that fits in width
 * columns, never splitting a code point; *cols (when not NULL) gets that prefix's width.
 * Zero-width code points after the cut point are kept with the character before them.
 */
size_t sr_text_cut(const char *s, size_t len, size_t width, size_t *cols);

/*
 * True when s looks like a binary file rather than text: a NUL byte, or more than one sequence in
 * ten that is not valid UTF-8, within its first 64 KiB. Empty text is not binary.
 */
int sr_text_is_binary(const char *s, size_t len);

/*
 * Appends the OSC 52 sequence that puts text (len bytes) on the terminal's clipboard:
 * ESC ] 52 ; c ; BASE64 BEL. The text is sanitised first (newlines kept), so the clipboard
 * never receives a control sequence to paste back; only the base64 alphabet follows the
 * introducer. The one encoder of the console and `sitrep slack --copy`.
 */
void sr_text_osc52(struct sr_buf *b, const char *s, size_t len);

#endif
