/* SPDX-License-Identifier: MIT */
/* render_ansi.h: a laid-out struct sr_doc as terminal text: ANSI SGR colours, or plain. */
#ifndef SR_RENDER_ANSI_H
#define SR_RENDER_ANSI_H

#include "markdown.h"
#include "util.h"

#define SR_RENDER_COLOR 0x1	/* SGR attributes per style (otherwise plain text) */
#define SR_RENDER_OSC8 0x2	/* links as OSC 8 hyperlinks (parse with SR_MD_NO_REFS) */
#define SR_RENDER_NO_LINKS 0x4	/* no "Links" list after the text */
#define SR_RENDER_ASCII 0x8	/* ASCII cut marker */

/*
 * Appends doc's lines from line `from` to the end to out, one '\n'-terminated line each.
 * Verbatim (code) lines wider than doc->width are cut to it with a "…" marker. Unless
 * SR_RENDER_OSC8 or SR_RENDER_NO_LINKS, the numbered link targets follow under "Links".
 * The text in doc is already sanitised; OSC 8 URLs are reduced to printable ASCII, and only
 * targets sr_render_link_ok accepts become links.
 */
void sr_render_doc(struct sr_buf *out, const struct sr_doc *doc, size_t from, unsigned flags);
/* Appends lines [from, to) only (to is capped at doc->n_lines); no "Links" list. */
void sr_render_lines(struct sr_buf *out, const struct sr_doc *doc, size_t from, size_t to,
		     unsigned flags);
/* Appends the "Links" list alone (nothing when doc has no links). */
void sr_render_links(struct sr_buf *out, const struct sr_doc *doc, unsigned flags);

/*
 * True when url may be the target of an OSC 8 hyperlink: an http or https URL, or a relative
 * reference (no scheme). javascript:, file:, data: and every other scheme are shown as text
 * only, so a runbook cannot turn a click into running or opening something local.
 */
int sr_render_link_ok(const char *url);

/* The SGR parameters ("1;4;35") for a span style and heading level; "" for none. */
const char *sr_render_sgr(unsigned style, int heading, char *buf, size_t n);

#endif
