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
/* True when s[0..len) is valid UTF-8 throughout (no overlong form, surrogate or code point
 * above U+10FFFF; structure only, as Go's utf8.ValidString). */
int sr_utf8_valid(const char *s, size_t len);
/*
 * True when s[0..len) is a proper prefix of a valid UTF-8 sequence: a lead byte that can start
 * one (0xC2-0xF4), fewer bytes than it needs, each present one a continuation byte in the
 * lead's range: what a cut (of a window, a chunk, a full prompt) may leave at an end.
 */
int sr_utf8_cut(const char *s, size_t len);

/* Columns a code point takes: 0 (combining, zero-width), 1, or 2 (wide CJK, emoji). */
int sr_cp_width(uint32_t cp);
/* True for code points that must never reach a terminal: C0/C1 controls, DEL, bidi controls. */
int sr_cp_is_unsafe(uint32_t cp);

/*
 * True for the code points that end a line somewhere: LF, CR, VT, FF, NEL (U+0085), LINE
 * SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029). The sanitiser treats them all alike.
 */
int sr_cp_is_line_break(uint32_t cp);

/*
 * What a line break in stored text means on a line-based output (incident list, show, the
 * Slack text, stderr): a one-line field (title, service, id, actor, role, alert, level name,
 * every label) is written with sr_text_sanitize without SR_SAN_NEWLINES, so a break becomes a
 * space; a multi-line field (a note or another event detail, impact, root cause, resolution)
 * is written with sr_text_block, so each of its lines is indented under the field it belongs
 * to. Either way no stored text can begin a line of its own.
 */

/* Sanitiser flags. */
#define SR_SAN_NEWLINES 0x1	/* keep '\n' (otherwise it becomes a space) */
#define SR_SAN_ASCII 0x2	/* non-ASCII becomes '?' (for non-UTF-8 locales) */

/*
 * Appends s (len bytes of untrusted text) to b so that it is safe to write to a terminal:
 * invalid UTF-8 becomes U+FFFD; ESC, CSI, OSC, C1 controls and every other control character,
 * and bidi overrides/isolates, become U+FFFD; a tab becomes a space; a line break (see
 * sr_cp_is_line_break, CR LF counting once) becomes '\n' with SR_SAN_NEWLINES, else a space.
 */
void sr_text_sanitize(struct sr_buf *b, const char *s, size_t len, unsigned flags);
/*
 * Appends multi-line untrusted text to b: sanitised as by sr_text_sanitize, each line break
 * (any of sr_cp_is_line_break; CR LF counts once) written as '\n' followed by indent, trailing
 * breaks dropped. The caller writes the first line's lead and the final newline. Only
 * SR_SAN_ASCII is taken from flags.
 */
void sr_text_block(struct sr_buf *b, const char *s, size_t len, const char *indent,
		   unsigned flags);
/* Turns every line break in s (NUL-terminated, may be NULL) into spaces, in place. */
void sr_text_flatten(char *s);
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
 * Appends s (len bytes of output about to be written, already sanitised) to b as ASCII, for a
 * locale that is not UTF-8: bytes below 0x80 are kept (sitrep's own escapes included), the
 * glyphs sitrep draws become their ASCII look-alikes, every other character becomes as many
 * '?' as it has columns (none for zero-width ones), so no byte >= 0x80 is ever written and
 * columns stay aligned. Unless final, a UTF-8 sequence cut at the end of s is left for the
 * next call. Returns the bytes of s consumed.
 */
size_t sr_text_ascii(struct sr_buf *b, const char *s, size_t len, int final);

/*
 * Replaces in place every occurrence in s[0..len) of each of the n secrets (NUL-terminated;
 * NULL and empty ones ignored) by "***" (a secret shorter than that by as many '*'), in the
 * order given: longest first (as sr_config_secrets sorts them) leaves no part of a longer
 * one. Returns the new length (s is not NUL-terminated again). The one masking function of
 * every channel: the console's screen, the clipboard, desktop notifications, the CLI's
 * streams, messages, exports, and the bodies and errors of HTTP answers.
 */
size_t sr_text_scrub(char *s, size_t len, const char *const *secrets, size_t n);

/*
 * The OSC 52 sequence that puts text (len bytes) on the terminal's clipboard, appended to out:
 * the text sanitised like the screen (line breaks kept, no ESC/OSC/C1/bidi/invalid UTF-8) with
 * every secret in secrets (n of them, NUL-terminated, empty ones ignored) replaced by "***",
 * then base64, framed as ESC ] 52 ; c ; ... BEL. The one encoder of the console and
 * `sitrep slack --copy` (secrets from sr_config_secrets).
 */
void sr_text_osc52(struct sr_buf *out, const char *s, size_t len, const char *const *secrets,
		   size_t n);

#endif
