/* SPDX-License-Identifier: MIT */
/* markdown.h: Markdown (md4c) -> struct sr_doc, lines of semantically styled spans at a width. */
#ifndef SR_MARKDOWN_H
#define SR_MARKDOWN_H

#include <stddef.h>
#include <stdint.h>

/*
 * Span styles are semantic bit flags; a front end maps them to attributes (curses) or SGR
 * codes (CLI). Several may combine ("strong link inside a heading").
 */
#define SR_MD_STRONG 0x0001u
#define SR_MD_EMPH 0x0002u
#define SR_MD_STRIKE 0x0004u
#define SR_MD_CODE 0x0008u		/* inline code */
#define SR_MD_LINK 0x0010u		/* link text; span->link names the target */
#define SR_MD_LINK_REF 0x0020u		/* the "[3]" reference after a link's text */
#define SR_MD_QUOTE 0x0040u		/* the quote bar "│ " (text inside quotes is unstyled) */
#define SR_MD_LIST_MARKER 0x0080u	/* "• ", "1. " */
#define SR_MD_RULE 0x0100u		/* horizontal rule and heading underlines */
#define SR_MD_TABLE_BORDER 0x0200u
#define SR_MD_TABLE_HEAD 0x0400u	/* text of a header cell */
#define SR_MD_CODE_BLOCK 0x0800u	/* text of a fenced/indented code block line */
#define SR_MD_HTML 0x1000u		/* raw HTML, shown as text */
#define SR_MD_TASK 0x2000u		/* an open task box "[ ] " */
#define SR_MD_TASK_DONE 0x4000u	/* a ticked task box "[x] " */
#define SR_MD_HEADING_MARK 0x8000u	/* the "### " before a level 3-6 heading */
#define SR_MD_IMAGE 0x10000u		/* "[image: alt]" */
#define SR_MD_CUT 0x20000u		/* marker where a cell or line was cut ("…") */

/*
 * 32-bit fields keep a large document small (a line per few input bytes is common); the
 * input is capped at 64 MiB and the layout stops, marked, before any count would overflow.
 * Spans may share bytes of doc->text (rules of the same width): treat it as read-only.
 */
struct sr_md_span {
	uint32_t off, len;	/* text is doc->text + off, len bytes, sanitised UTF-8 */
	uint32_t width;		/* display columns */
	uint32_t style;		/* SR_MD_* flags */
	int32_t link;		/* index into doc->links, or -1 */
	int32_t heading;	/* 1..6 inside a heading, else 0 */
};

struct sr_md_line {
	uint32_t first, n;	/* spans doc->spans[first .. first + n) */
	uint32_t width;		/* display columns of the whole line */
	uint32_t prefix_width;	/* columns of container prefix (quote bars, indents) on code
				 * lines */
	int16_t heading;	/* 1..6 for a heading's text line, else 0 */
	int16_t code;		/* 1: a verbatim line (code block, raw HTML block): not wrapped,
				 * may be wider than the layout width; the CLI cuts it, the TUI
				 * scrolls it sideways */
};

struct sr_md_link {
	char *url;		/* sanitised, as written in the file */
	int number;		/* 1-based, as shown in the "[n]" reference */
};

struct sr_md_heading {
	int level;		/* 1..6 */
	char *text;		/* plain text */
	char *anchor;		/* GitHub slug without '#': "check-the-pool", "faq-1" */
	size_t line;		/* index into doc->lines of the heading's first line */
};

struct sr_md_task {
	int number;		/* 1-based in document order */
	char *text;		/* plain text of the item's first paragraph */
	int checked;
	size_t line;		/* index into doc->lines */
};

struct sr_doc {
	char *text;		/* every span's bytes */
	size_t text_len;
	struct sr_md_span *spans;
	size_t n_spans;
	struct sr_md_line *lines;
	size_t n_lines;
	struct sr_md_link *links;
	size_t n_links;
	struct sr_md_heading *toc;
	size_t n_toc;
	struct sr_md_task *tasks;
	size_t n_tasks;
	/* From the YAML front matter (sanitised; NULL / 0 when absent). */
	char *title;		/* front matter title, else the first level 1 heading */
	char **tags;
	size_t n_tags;
	char **alerts;		/* alert names the runbook says it serves */
	size_t n_alerts;
	int width;		/* the layout width */
	size_t caps[4];		/* private: allocated sizes */
};

/* Layout flags. */
#define SR_MD_NO_REFS 0x1	/* no "[n]" after links (the front end shows URLs itself) */
#define SR_MD_ASCII 0x2		/* ASCII only for bullets, borders, bars and markers */
#define SR_MD_WRAP_CELLS 0x4	/* a table cell wider than its column wraps onto more lines
				 * (at spaces where it can) instead of being cut with "…" */
#define SR_MD_WRAP_CODE 0x10	/* a code line wider than the layout goes on as more lines,
				 * each starting with "↪ " (SR_MD_CUT style) */
#define SR_MD_WIDE_TABLES 0x8	/* tables keep their natural width; their lines are verbatim
				 * (code = 1), for a front end that scrolls them sideways */

/* Narrowest layout width accepted; smaller widths are raised to it. */
#define SR_MD_MIN_WIDTH 16
/* Deepest container (list, quote) nesting that still indents; deeper ones are laid out flat. */
#define SR_MD_MAX_INDENT_DEPTH 12

/*
 * Parses len bytes of Markdown (CommonMark with tables, task lists, strikethrough, and a YAML
 * front-matter block) and lays it out at width columns. Returns a new document the caller
 * frees with sr_doc_free(), or NULL with *err set when the text is binary ("not a text
 * file"), md4c fails, or libmd4c.so.0 cannot be loaded (it is dlopen()ed on first use).
 * Linear in len; any nesting depth is accepted.
 */
struct sr_doc *sr_md_parse(const char *src, size_t len, int width, unsigned flags, char **err);
/*
 * Reads path (at most 64 MiB) and parses it as sr_md_parse does. Errors start with the path:
 * "PATH: not a text file", "PATH: No such file or directory".
 */
struct sr_doc *sr_md_load(const char *path, int width, unsigned flags, char **err);
void sr_doc_free(struct sr_doc *doc);

/* Index of the heading whose anchor is anchor (a leading '#' is ignored), or -1. */
long sr_doc_find_anchor(const struct sr_doc *doc, const char *anchor);

/* Front matter alone, without rendering (fast, for listings). Allocated fields; see sr_doc. */
struct sr_md_meta {
	char *title;
	char **tags;
	size_t n_tags;
	char **alerts;
	size_t n_alerts;
	size_t body_off;	/* where the Markdown after the front matter starts */
	size_t body_line;	/* its 0-based source line */
};
/*
 * Reads the front matter of src (if any) into meta; when it has no title, the first ATX
 * level 1 heading ("# ...") gives one. Never fails; unknown keys are ignored.
 */
void sr_md_meta_read(const char *src, size_t len, struct sr_md_meta *meta);
void sr_md_meta_done(struct sr_md_meta *meta);

/*
 * Returns the GitHub anchor slug of heading text (allocated): lowercased, punctuation
 * removed, spaces to '-'. Duplicates are not handled here (the parser appends "-1", ...).
 */
char *sr_md_slug(const char *text);

#endif
