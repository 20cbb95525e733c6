/* SPDX-License-Identifier: MIT */
/* markdown.c: md4c events -> struct sr_doc: wrapped lines of semantically styled spans. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <md4c.h>

#include "lazy.h"
#include "markdown.h"
#include "text.h"
#include "util.h"

#define MAX_FILE (64u * 1024 * 1024)

/* --- parser state --- */

/* A piece of inline text in the current block: para.data[off .. off + len) */
struct run {
	size_t off, len;
	unsigned style;
	int link;
};

enum cont_kind { C_QUOTE, C_LIST, C_ITEM };

struct cont {
	enum cont_kind kind;
	int indents;		/* contributes to the prefix (within the depth and width caps) */
	size_t pw;		/* columns it adds to the prefix */
	/* lists */
	int ordered;
	unsigned next_no;
	char delim;
	int level;		/* list nesting level, for the bullet shape */
	int loose;		/* a loose list: a blank line between items */
	/* items */
	char marker[32];
	int task;		/* 0 none, 1 open, 2 done */
	int marker_pending;
};

struct cell {
	size_t run_first, n_runs;
	size_t width;
};

struct row {
	size_t cell_first, n_cells;
	int head;
};

enum leaf { L_NONE, L_P, L_IMPLICIT, L_H, L_CODE, L_HTML, L_TABLE };

struct slot {
	char *s;
	int next;	/* the next "-N" suffix to try for this slug */
};

struct mdp {
	struct sr_doc *doc;
	struct sr_buf arena;
	int width;
	unsigned flags;

	struct cont *stack;
	size_t depth, cap_stack;
	size_t indent_w;	/* sum of pw of indenting containers */
	size_t min_content;

	enum leaf leaf;
	int h_level;
	struct sr_buf para;
	struct run *runs;
	size_t n_runs, cap_runs;
	size_t run_floor;	/* runs before this index belong to an earlier table cell */

	int n_styled[4];	/* open spans of each of span_styles */
	int n_img;
	int cur_link;
	size_t link_off;	/* where the current link's text starts in para */
	int img_link;
	int pending_blank;
	long task_capture;	/* task waiting for its text, or -1 */

	/* tables */
	struct cell *cells;
	size_t n_cells, cap_cells;
	struct row *rows;
	size_t n_rows, cap_rows;
	unsigned n_cols;
	MD_ALIGN *align;
	int in_head;
	int in_cell;

	/* the longest rule of each glyph so far, shared by shorter ones */
	struct rule_cache {
		const char *glyph;
		size_t off, n;
	} rules[4];
	int full;		/* the layout reached its size limit: stop */

	/* anchor set: open addressing over doc->toc anchors */
	struct slot *slots;
	size_t n_slots;
	size_t n_used;
};

/* --- output: spans and lines --- */

/* Writes n in decimal at out (at least 11 bytes); returns the length. No printf: hot path. */
static size_t
fmt_uint(char *out, unsigned long n)
{
	char tmp[24];
	size_t k = 0, i;

	do {
		tmp[k++] = (char)('0' + n % 10);
		n /= 10;
	} while (n > 0 && k < sizeof(tmp));
	for (i = 0; i < k; i++)
		out[i] = tmp[k - 1 - i];
	return k;
}

/* sr_buf_add without the call overhead: the layout appends millions of small pieces. */
static inline void
buf_put(struct sr_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->data = sr_xrealloc(b->data, cap);
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/*
 * The layout stops (the document ends with a marked cut) long before a 32-bit field could
 * overflow or memory run out: a hostile file of a million "***" lines is a lot of lines.
 */
#define MAX_TEXT (256u * 1024 * 1024)
#define MAX_ITEMS (4u * 1024 * 1024)	/* ten times a large (10 MB) runbook */

static void
note_size(struct mdp *p)
{
	if (p->arena.len > MAX_TEXT || p->doc->n_spans > MAX_ITEMS || p->doc->n_lines > MAX_ITEMS)
		p->full = 1;
}

static void
line_begin(struct mdp *p)
{
	struct sr_doc *d = p->doc;
	struct sr_md_line *ln;

	d->lines = sr_xgrow(d->lines, &d->caps[1], d->n_lines + 1, sizeof(*d->lines));
	ln = &d->lines[d->n_lines++];
	memset(ln, 0, sizeof(*ln));
	ln->first = (uint32_t)d->n_spans;
	note_size(p);
}

static struct sr_md_line *
cur_line(struct mdp *p)
{
	return &p->doc->lines[p->doc->n_lines - 1];
}

/* Appends text (already sanitised) as a span of the current line, merging with the last. */
#define WIDTH_UNKNOWN ((size_t)-1)

static void
span_add_w(struct mdp *p, const char *s, size_t len, size_t w, unsigned style, int heading,
	   int link)
{
	struct sr_doc *d = p->doc;
	struct sr_md_line *ln = cur_line(p);
	struct sr_md_span *sp;

	if (len == 0)
		return;
	if (w == WIDTH_UNKNOWN)
		w = sr_text_width(s, len);
	if (ln->n > 0) {
		sp = &d->spans[d->n_spans - 1];
		if (sp->style == style && sp->heading == heading && sp->link == link &&
		    (size_t)sp->off + sp->len == p->arena.len) {
			buf_put(&p->arena, s, len);
			sp->len += (uint32_t)len;
			sp->width += (uint32_t)w;
			ln->width += (uint32_t)w;
			note_size(p);
			return;
		}
	}
	d->spans = sr_xgrow(d->spans, &d->caps[0], d->n_spans + 1, sizeof(*d->spans));
	sp = &d->spans[d->n_spans++];
	sp->off = (uint32_t)p->arena.len;
	sp->len = (uint32_t)len;
	sp->style = style;
	sp->heading = heading;
	sp->link = link;
	sp->width = (uint32_t)w;
	buf_put(&p->arena, s, len);
	ln->n++;
	ln->width += (uint32_t)w;
	note_size(p);
}

/* A span over bytes already in the arena (shared, never merged into). */
static void
span_ref(struct mdp *p, size_t off, size_t len, size_t w, unsigned style, int heading)
{
	struct sr_doc *d = p->doc;
	struct sr_md_line *ln = cur_line(p);
	struct sr_md_span *sp;

	d->spans = sr_xgrow(d->spans, &d->caps[0], d->n_spans + 1, sizeof(*d->spans));
	sp = &d->spans[d->n_spans++];
	sp->off = (uint32_t)off;
	sp->len = (uint32_t)len;
	sp->style = style;
	sp->heading = heading;
	sp->link = -1;
	sp->width = (uint32_t)w;
	ln->n++;
	ln->width += (uint32_t)w;
	note_size(p);
}

static void
span_add(struct mdp *p, const char *s, size_t len, unsigned style, int heading, int link)
{
	span_add_w(p, s, len, WIDTH_UNKNOWN, style, heading, link);
}

static void
span_str(struct mdp *p, const char *s, unsigned style)
{
	span_add(p, s, strlen(s), style, 0, -1);
}

static void
span_spaces(struct mdp *p, size_t n, unsigned style)
{
	static const char sp[] = "                                ";

	while (n > 0) {
		size_t k = n < sizeof(sp) - 1 ? n : sizeof(sp) - 1;

		span_add(p, sp, k, style, 0, -1);
		n -= k;
	}
}

/* Repeats a (one-column) glyph n times. */
static void
span_repeat(struct mdp *p, const char *glyph, size_t n, unsigned style, int heading)
{
	struct sr_buf b;
	size_t i, gl = strlen(glyph), at;
	struct rule_cache *rc = NULL;

	if (n == 0)
		return;
	/*
	 * Long runs (rules, underlines) share their bytes: a file of a million "***" lines
	 * must not cost a million copies of a full-width rule.
	 */
	if (n >= 16) {
		for (i = 0; i < SR_ARRAY_LEN(p->rules); i++)
			if (p->rules[i].glyph == NULL || strcmp(p->rules[i].glyph, glyph) == 0) {
				rc = &p->rules[i];
				break;
			}
		if (rc != NULL && rc->glyph != NULL && rc->n >= n) {
			span_ref(p, rc->off, n * gl, n, style, heading);
			return;
		}
	}
	sr_buf_init(&b);
	for (i = 0; i < n; i++)
		buf_put(&b, glyph, gl);
	at = p->arena.len;
	span_add_w(p, b.data, b.len, n, style, heading, -1);	/* one column each */
	sr_buf_done(&b);
	if (rc != NULL) {
		rc->glyph = glyph;
		rc->off = at;
		rc->n = n;
	}
}

/* Drops trailing spaces of the current line (an empty list item's marker). */
static void
line_rstrip(struct mdp *p)
{
	struct sr_md_line *ln = cur_line(p);

	while (ln->n > 0) {
		struct sr_md_span *sp = &p->doc->spans[ln->first + ln->n - 1];

		while (sp->len > 0 && p->arena.data[sp->off + sp->len - 1] == ' ') {
			sp->len--;
			sp->width--;
			ln->width--;
		}
		if (sp->len > 0)
			break;
		ln->n--;
		p->doc->n_spans--;
	}
}

#define G(p, uni, ascii) (((p)->flags & SR_MD_ASCII) ? (ascii) : (uni))

static void
overcap_marker(struct mdp *p, const char *marker)
{
	struct sr_md_line *ln = cur_line(p);
	struct sr_md_span *sp;
	size_t mw = strlen(marker), k;	/* markers are one byte per column but bullets */

	if (ln->n == 0)
		return;
	sp = &p->doc->spans[ln->first + ln->n - 1];
	mw = sr_text_width(marker, mw);
	if (sp->style != 0 || sp->link != -1 || sp->len < mw ||
	    sp->off + sp->len != p->arena.len)
		return;
	for (k = 0; k < mw; k++)
		if (p->arena.data[sp->off + sp->len - 1 - k] != ' ')
			return;
	sp->len -= mw;
	sp->width -= mw;
	ln->width -= mw;
	p->arena.len -= mw;
	if (sp->len == 0) {
		ln->n--;
		p->doc->n_spans--;
	}
	span_str(p, marker, SR_MD_LIST_MARKER);
}

/*
 * Starts a line and writes the container prefix: quote bars, list markers (once, on an
 * item's first line) and hanging indents. A blank line stops after the last quote bar so
 * that no line ends in spaces.
 */
static void
line_start(struct mdp *p, int blank)
{
	size_t i, last_quote = 0, inner_item = (size_t)-1;
	int has_quote = 0;

	line_begin(p);
	if (blank) {
		for (i = 0; i < p->depth; i++)
			if (p->stack[i].indents && p->stack[i].kind == C_QUOTE) {
				last_quote = i;
				has_quote = 1;
			}
		if (!has_quote)
			return;
	}
	for (i = p->depth; i > 0; i--)
		if (p->stack[i - 1].kind == C_ITEM) {
			inner_item = i - 1;
			break;
		}
	for (i = 0; i < p->depth; i++) {
		struct cont *c = &p->stack[i];

		if (blank && i > last_quote)
			break;
		if (!c->indents) {
			/*
			 * Past the depth cap only the innermost item shows its marker, in the
			 * hanging indent before it (so the line keeps its width), if there is
			 * one.
			 */
			if (c->kind == C_ITEM && c->marker_pending && !blank) {
				if (i == inner_item)
					overcap_marker(p, c->marker);
				c->marker_pending = 0;
			}
			continue;
		}
		if (c->kind == C_QUOTE) {
			if (blank && i == last_quote)
				span_str(p, G(p, "│", "|"), SR_MD_QUOTE);	/* no trailing ' ' */
			else
				span_str(p, G(p, "│ ", "| "), SR_MD_QUOTE);
		} else if (c->kind == C_ITEM) {
			if (c->marker_pending && !blank) {
				span_str(p, c->marker, SR_MD_LIST_MARKER);
				if (c->task == 1)
					span_str(p, "[ ] ", SR_MD_TASK);
				else if (c->task == 2)
					span_str(p, "[x] ", SR_MD_TASK_DONE);
				c->marker_pending = 0;
			} else {
				span_spaces(p, c->pw, 0);
			}
		}
	}
}

static void
emit_blank_if_pending(struct mdp *p)
{
	if (p->pending_blank && p->doc->n_lines > 0)
		line_start(p, 1);
	p->pending_blank = 0;
}

/* --- containers --- */

static struct cont *
push(struct mdp *p, enum cont_kind kind, size_t pw)
{
	struct cont *c;

	p->stack = sr_xgrow(p->stack, &p->cap_stack, p->depth + 1, sizeof(*p->stack));
	c = &p->stack[p->depth++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->pw = pw;
	/* Deep nesting stops indenting: the content keeps at least min_content columns. */
	if (pw > 0 && p->depth <= SR_MD_MAX_INDENT_DEPTH * 2 &&
	    p->indent_w + pw + p->min_content <= (size_t)p->width) {
		c->indents = 1;
		p->indent_w += pw;
	}
	return c;
}

static void
pop(struct mdp *p)
{
	struct cont *c;

	if (p->depth == 0)
		return;
	c = &p->stack[--p->depth];
	if (c->indents)
		p->indent_w -= c->pw;
}

static struct cont *
innermost(struct mdp *p, enum cont_kind kind)
{
	size_t i = p->depth;

	while (i > 0)
		if (p->stack[--i].kind == kind)
			return &p->stack[i];
	return NULL;
}

static int
in_item(struct mdp *p)
{
	return innermost(p, C_ITEM) != NULL;
}

/* --- inline runs --- */

/* The spans that only style their text: each adds its style while one is open. */
static const struct {
	MD_SPANTYPE type;
	unsigned style;
} span_styles[] = {
	{ MD_SPAN_STRONG, SR_MD_STRONG },
	{ MD_SPAN_EM, SR_MD_EMPH },
	{ MD_SPAN_DEL, SR_MD_STRIKE },
	{ MD_SPAN_CODE, SR_MD_CODE },
};
_Static_assert(SR_ARRAY_LEN(span_styles) == SR_ARRAY_LEN(((struct mdp *)0)->n_styled),
	       "one counter per styling span");

/* Counts a styling span of type opened (by 1) or closed (by -1); 0 for any other span. */
static int
span_styled(struct mdp *p, MD_SPANTYPE type, int by)
{
	for (size_t i = 0; i < SR_ARRAY_LEN(span_styles); i++)
		if (span_styles[i].type == type) {
			p->n_styled[i] += by;
			return 1;
		}
	return 0;
}

static unsigned
cur_style(struct mdp *p)
{
	unsigned s = 0;

	for (size_t i = 0; i < SR_ARRAY_LEN(span_styles); i++)
		if (p->n_styled[i] != 0)
			s |= span_styles[i].style;
	if (p->cur_link >= 0)
		s |= SR_MD_LINK;
	if (p->n_img)
		s |= SR_MD_IMAGE;
	if (p->leaf == L_TABLE && p->in_head)
		s |= SR_MD_TABLE_HEAD;
	return s;
}

/* Adds len bytes already in para (from off) as a run. */
static void
run_add(struct mdp *p, size_t off, unsigned style, int link)
{
	struct run *r;
	size_t len = p->para.len - off;

	if (len == 0)
		return;
	if (p->n_runs > p->run_floor) {
		r = &p->runs[p->n_runs - 1];
		if (r->style == style && r->link == link && r->off + r->len == off) {
			r->len += len;
			return;
		}
	}
	p->runs = sr_xgrow(p->runs, &p->cap_runs, p->n_runs + 1, sizeof(*p->runs));
	r = &p->runs[p->n_runs++];
	r->off = off;
	r->len = len;
	r->style = style;
	r->link = link;
}

static void
text_add(struct mdp *p, const char *s, size_t len, unsigned style, int link)
{
	size_t off = p->para.len, i;

	/* printable ASCII (most text) is copied as it is; anything else is sanitised */
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7F)
			break;
	if (i == len)
		buf_put(&p->para, s, len);
	else
		sr_text_sanitize(&p->para, s, len, 0);
	run_add(p, off, style, link);
}

static void
para_reset(struct mdp *p)
{
	p->para.len = 0;
	if (p->para.data)
		p->para.data[0] = '\0';
	p->n_runs = 0;
	p->run_floor = 0;
}

/* Plain text of runs [first, first + n) (references excluded), as an allocated string. */
static char *
runs_plain(struct mdp *p, size_t first, size_t n)
{
	struct sr_buf b;
	size_t i, j;

	sr_buf_init(&b);
	buf_put(&b, "", 0);
	for (i = first; i < first + n; i++) {
		const struct run *r = &p->runs[i];

		if (r->style & SR_MD_LINK_REF)
			continue;
		buf_put(&b, p->para.data + r->off, r->len);
	}
	for (j = 0; j < b.len; j++)	/* hard breaks */
		if (b.data[j] == '\n')
			b.data[j] = ' ';
	/* trim */
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	if (b.len > 0 && b.data[0] == ' ') {
		size_t k = 0;

		while (k < b.len && b.data[k] == ' ')
			k++;
		memmove(b.data, b.data + k, b.len - k + 1);
		b.len -= k;
	}
	return sr_buf_steal(&b);
}

/* --- links --- */

static const struct {
	const char *name;
	uint32_t cp;
} entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
	{ "nbsp", 0xA0 }, { "copy", 0xA9 }, { "reg", 0xAE }, { "trade", 0x2122 },
	{ "mdash", 0x2014 }, { "ndash", 0x2013 }, { "hellip", 0x2026 }, { "larr", 0x2190 },
	{ "rarr", 0x2192 }, { "uarr", 0x2191 }, { "darr", 0x2193 }, { "harr", 0x2194 },
	{ "times", 0xD7 }, { "divide", 0xF7 }, { "deg", 0xB0 }, { "plusmn", 0xB1 },
	{ "middot", 0xB7 }, { "bull", 0x2022 }, { "laquo", 0xAB }, { "raquo", 0xBB },
	{ "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "ldquo", 0x201C }, { "rdquo", 0x201D },
	{ "euro", 0x20AC }, { "pound", 0xA3 }, { "yen", 0xA5 }, { "cent", 0xA2 },
	{ "sect", 0xA7 }, { "para", 0xB6 }, { "le", 0x2264 }, { "ge", 0x2265 },
	{ "ne", 0x2260 }, { "check", 0x2713 }, { "micro", 0xB5 }, { "shy", 0xAD },
};

/* Decodes an entity ("&amp;", "&#38;", "&#x26;") into out; unknown ones are kept as text. */
static void
entity_decode(struct sr_buf *out, const char *s, size_t len)
{
	char enc[4];
	uint32_t cp = 0;
	size_t i;

	if (len >= 4 && s[0] == '&' && s[1] == '#' && s[len - 1] == ';') {
		int hex = s[2] == 'x' || s[2] == 'X';

		for (i = hex ? 3 : 2; i < len - 1; i++) {
			int c = (unsigned char)s[i], v;

			if (c >= '0' && c <= '9')
				v = c - '0';
			else if (hex && c >= 'a' && c <= 'f')
				v = c - 'a' + 10;
			else if (hex && c >= 'A' && c <= 'F')
				v = c - 'A' + 10;
			else
				break;
			cp = cp * (hex ? 16u : 10u) + (uint32_t)v;
			if (cp > 0x10FFFF)
				cp = 0x110000;
		}
		if (cp == 0 || cp > 0x10FFFF)
			cp = SR_REPLACEMENT;
		sr_text_sanitize(out, enc, sr_utf8_encode(cp, enc), 0);
		return;
	}
	if (len >= 3 && s[0] == '&' && s[len - 1] == ';') {
		for (i = 0; i < SR_ARRAY_LEN(entities); i++)
			if (strlen(entities[i].name) == len - 2 &&
			    memcmp(entities[i].name, s + 1, len - 2) == 0) {
				sr_text_sanitize(out, enc, sr_utf8_encode(entities[i].cp, enc), 0);
				return;
			}
	}
	sr_text_sanitize(out, s, len, 0);
}

static char *
attr_text(const MD_ATTRIBUTE *a)
{
	struct sr_buf b;
	size_t i;

	sr_buf_init(&b);
	sr_buf_adds(&b, "");
	if (a->substr_offsets == NULL)
		return sr_buf_steal(&b);
	for (i = 0; a->substr_offsets[i] < a->size; i++) {
		MD_OFFSET o = a->substr_offsets[i], e = a->substr_offsets[i + 1];

		if (a->substr_types[i] == MD_TEXT_ENTITY)
			entity_decode(&b, a->text + o, e - o);
		else if (a->substr_types[i] == MD_TEXT_NULLCHAR)
			sr_buf_add(&b, "\xEF\xBF\xBD", 3);
		else
			sr_text_sanitize(&b, a->text + o, e - o, 0);
	}
	return sr_buf_steal(&b);
}

static int
link_add(struct mdp *p, const MD_ATTRIBUTE *href)
{
	struct sr_doc *d = p->doc;
	struct sr_md_link *l;

	d->links = sr_xgrow(d->links, &d->caps[2], d->n_links + 1, sizeof(*d->links));
	l = &d->links[d->n_links];
	l->url = attr_text(href);
	l->number = (int)d->n_links + 1;
	return (int)d->n_links++;
}

static void
link_ref(struct mdp *p, int link)
{
	char ref[32];

	if (p->flags & SR_MD_NO_REFS)
		return;
	size_t n = 0;

	ref[n++] = '[';
	n += fmt_uint(ref + n, (unsigned long)p->doc->links[link].number);
	ref[n++] = ']';
	text_add(p, ref, n, SR_MD_LINK_REF, link);
}

/* --- anchors --- */

static size_t
hash_str(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static struct slot *
anchor_find(struct mdp *p, const char *s)
{
	size_t i;

	if (p->n_slots == 0)
		return NULL;
	for (i = hash_str(s) & (p->n_slots - 1); p->slots[i].s; i = (i + 1) & (p->n_slots - 1))
		if (strcmp(p->slots[i].s, s) == 0)
			return &p->slots[i];
	return NULL;
}

static void
anchor_insert(struct mdp *p, char *s)
{
	size_t i;

	if ((p->n_used + 1) * 2 > p->n_slots) {
		struct slot *old = p->slots;
		size_t n_old = p->n_slots, j;

		p->n_slots = p->n_slots ? p->n_slots * 2 : 64;
		p->slots = sr_xcalloc(p->n_slots, sizeof(*p->slots));
		for (j = 0; j < n_old; j++) {
			if (old[j].s == NULL)
				continue;
			for (i = hash_str(old[j].s) & (p->n_slots - 1); p->slots[i].s;
			     i = (i + 1) & (p->n_slots - 1))
				;
			p->slots[i] = old[j];
		}
		free(old);
	}
	for (i = hash_str(s) & (p->n_slots - 1); p->slots[i].s; i = (i + 1) & (p->n_slots - 1))
		;
	p->slots[i].s = s;
	p->slots[i].next = 1;
	p->n_used++;
}

/* Code points GitHub drops from a slug beyond ASCII punctuation (approximation). */
static int
slug_drops(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
	       (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
	       (cp >= 0x1F000 && cp <= 0x1FAFF) || cp == SR_REPLACEMENT ||
	       (cp >= 0xFE00 && cp <= 0xFE0F);
}

char *
sr_md_slug(const char *text)
{
	struct sr_buf b;
	size_t i = 0, len = strlen(text);

	sr_buf_init(&b);
	sr_buf_adds(&b, "");
	while (i < len) {
		uint32_t cp;
		size_t n = sr_utf8_decode(text + i, len - i, &cp);

		if (cp < 0x80) {
			char c = (char)cp;

			if (c >= 'A' && c <= 'Z')
				sr_buf_addc(&b, (char)(c - 'A' + 'a'));
			else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
				 c == '-')
				sr_buf_addc(&b, c);
			else if (c == ' ')
				sr_buf_addc(&b, '-');
		} else if (!slug_drops(cp) && !sr_cp_is_unsafe(cp)) {
			/* Latin-1 capitals and basic Greek/Cyrillic capitals lowercase simply. */
			if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) ||
			    (cp >= 0x391 && cp <= 0x3A9) || (cp >= 0x410 && cp <= 0x42F))
				cp += 0x20;
			else if (cp >= 0x400 && cp <= 0x40F)
				cp += 0x50;
			{
				char enc[4];

				sr_buf_add(&b, enc, sr_utf8_encode(cp, enc));
			}
		}
		i += n;
	}
	return sr_buf_steal(&b);
}

/* "base-n", allocated */
static char *
anchor_suffixed(const char *base, int n)
{
	size_t bl = strlen(base), k;
	char *s = sr_xmalloc(bl + 24);

	memcpy(s, base, bl);
	s[bl] = '-';
	k = fmt_uint(s + bl + 1, (unsigned long)n);
	s[bl + 1 + k] = '\0';
	return s;
}

static char *
anchor_unique(struct mdp *p, const char *text)
{
	char *base = sr_md_slug(text), *s;
	struct slot *sl = anchor_find(p, base);
	int n;

	if (sl == NULL) {
		anchor_insert(p, base);
		return base;
	}
	/* GitHub: "x", "x-1", "x-2", ...; the counter keeps many repeats linear */
	n = sl->next;
	s = anchor_suffixed(base, n);
	while (anchor_find(p, s) != NULL) {
		free(s);
		s = anchor_suffixed(base, ++n);
	}
	sl->next = n + 1;	/* before the insert, which may move the slots */
	free(base);
	anchor_insert(p, s);
	return s;
}

/* --- wrapping --- */

static size_t
run_at(struct mdp *p, size_t off)
{
	size_t lo = 0, hi = p->n_runs;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (p->runs[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Emits para bytes [a, b) as spans, split where the runs change. */
static void
emit_range(struct mdp *p, size_t a, size_t b, size_t w, unsigned extra, int heading)
{
	size_t r;

	if (a >= b || p->n_runs == 0)
		return;
	r = run_at(p, a);
	/* w (the whole range's width) is only right when one run holds it all */
	if (p->runs[r].off + p->runs[r].len < b)
		w = WIDTH_UNKNOWN;
	for (; r < p->n_runs && a < b; r++) {
		const struct run *rn = &p->runs[r];
		size_t end = rn->off + rn->len;

		if (end <= a)
			continue;
		if (end > b)
			end = b;
		span_add_w(p, p->para.data + a, end - a, w, rn->style | extra, heading,
			   (rn->style & (SR_MD_LINK | SR_MD_LINK_REF | SR_MD_IMAGE)) ?
			   rn->link : -1);
		a = end;
	}
}

/*
 * Lays out the para text as wrapped lines (greedy, on display width) of the columns left
 * after the container prefix. mark: a heading's "### " on the first line, with a hanging
 * indent of its width on the others.
 */
struct wrap {
	struct mdp *p;
	const char *mark;
	size_t hang;
	int heading;
	int lines;
};

static void
wrap_line(struct wrap *w)
{
	line_start(w->p, 0);
	if (w->mark != NULL) {
		if (w->lines == 0)
			span_add(w->p, w->mark, strlen(w->mark), SR_MD_HEADING_MARK, w->heading,
				 -1);
		else
			span_spaces(w->p, w->hang, 0);
	}
	cur_line(w->p)->heading = w->heading;
	w->lines++;
}

/*
 * Words of one run on one line, separated by single spaces, are emitted as one span: far
 * fewer calls than a span per word and per gap.
 */
struct pending {
	int on;
	size_t a, b, w;		/* para bytes [a, b) and their columns */
	size_t run_end;		/* end of the run holding a */
};

static void
pend_flush(struct mdp *p, struct pending *pd, unsigned extra, int heading)
{
	if (pd->on)
		emit_range(p, pd->a, pd->b, pd->w, extra, heading);
	pd->on = 0;
}

static void
pend_start(struct mdp *p, struct pending *pd, size_t a, size_t b, size_t w)
{
	const struct run *rn = &p->runs[run_at(p, a)];

	pd->on = 1;
	pd->a = a;
	pd->b = b;
	pd->w = w;
	pd->run_end = rn->off + rn->len;
}

static void
wrap_para(struct mdp *p, unsigned extra, int heading, const char *mark)
{
	const char *t = p->para.data;
	size_t len = p->para.len, i = 0, lw = 0, avail;
	struct wrap w = { p, mark, 0, heading, 0 };
	struct pending pd = { 0, 0, 0, 0, 0 };
	int open = 0;

	if (mark)
		w.hang = sr_text_width(mark, strlen(mark));
	avail = (size_t)p->width > p->indent_w + w.hang + 1 ?
		(size_t)p->width - p->indent_w - w.hang : 1;
	while (i < len) {
		size_t ws, we, ww;
		int ascii = 1;

		if (t[i] == ' ') {
			i++;
			continue;
		}
		if (t[i] == '\n') {	/* hard break */
			pend_flush(p, &pd, extra, heading);
			if (!open)
				wrap_line(&w);
			open = 0;
			lw = 0;
			i++;
			continue;
		}
		ws = i;
		while (i < len && t[i] != ' ' && t[i] != '\n') {
			if ((unsigned char)t[i] >= 0x80)
				ascii = 0;
			i++;
		}
		we = i;
		/* para is sanitised: an ASCII byte is one column */
		ww = ascii ? we - ws : sr_text_width(t + ws, we - ws);
		if (open && lw + 1 + ww <= avail) {
			if (pd.on && ws == pd.b + 1 && we <= pd.run_end) {
				pd.b = we;	/* same run, one space: extend */
				pd.w += 1 + ww;
			} else {
				/* the gap keeps the style of the run it sits in (an underline) */
				const struct run *rn = &p->runs[run_at(p, ws - 1)];
				unsigned gs = (rn->style & ~(unsigned)SR_MD_LINK_REF) | extra;

				pend_flush(p, &pd, extra, heading);
				span_add_w(p, " ", 1, 1, gs, heading,
					   (rn->style & (SR_MD_LINK | SR_MD_IMAGE)) ?
					   rn->link : -1);
				pend_start(p, &pd, ws, we, ww);
			}
			lw += 1 + ww;
			continue;
		}
		/* a new line; a word wider than the line is cut into pieces */
		pend_flush(p, &pd, extra, heading);
		for (;;) {
			size_t cols, nb;
			uint32_t cp;

			wrap_line(&w);
			open = 1;
			if (ww <= avail) {
				pend_start(p, &pd, ws, we, ww);
				lw = ww;
				break;
			}
			nb = sr_text_cut(t + ws, we - ws, avail, &cols);
			if (nb == 0) {	/* a wide character in a one-column line */
				nb = sr_utf8_decode(t + ws, we - ws, &cp);
				cols = avail;
			}
			emit_range(p, ws, ws + nb, WIDTH_UNKNOWN, extra, heading);
			ws += nb;
			lw = cols;
			if (ws >= we)
				break;
			ww = sr_text_width(t + ws, we - ws);
		}
	}
	pend_flush(p, &pd, extra, heading);
	if (w.lines == 0 && mark != NULL)	/* an empty heading still shows */
		wrap_line(&w);
}

static void
task_take_text(struct mdp *p, size_t line)
{
	struct sr_md_task *t;

	if (p->task_capture < 0)
		return;
	t = &p->doc->tasks[p->task_capture];
	t->text = runs_plain(p, 0, p->n_runs);
	t->line = line;
	p->task_capture = -1;
}

static void
flush_paragraph(struct mdp *p)
{
	size_t first = p->doc->n_lines;

	if (p->leaf == L_IMPLICIT && p->n_runs == 0) {
		p->leaf = L_NONE;
		return;
	}
	wrap_para(p, 0, 0, NULL);
	/* an item with nothing but its marker still shows the marker */
	if (p->doc->n_lines == first)
		line_start(p, 0);
	task_take_text(p, first);
	para_reset(p);
	p->leaf = L_NONE;
}

static void
flush_implicit(struct mdp *p)
{
	if (p->leaf == L_IMPLICIT)
		flush_paragraph(p);
}

static void
flush_heading(struct mdp *p)
{
	struct sr_doc *d = p->doc;
	struct sr_md_heading *h;
	size_t first = d->n_lines, i, maxw = 0;
	int lvl = p->h_level;
	static const char *marks[] = { "", "", "", "### ", "#### ", "##### ", "###### " };
	char *text = runs_plain(p, 0, p->n_runs);

	if (text[0] == '\0') {	/* "#" alone: GitHub shows nothing either */
		free(text);
		para_reset(p);
		p->leaf = L_NONE;
		return;
	}
	wrap_para(p, 0, lvl, lvl >= 3 ? marks[lvl] : NULL);
	if (d->n_lines == first) {
		line_start(p, 0);
		cur_line(p)->heading = lvl;
	}
	if (lvl <= 2) {
		for (i = first; i < d->n_lines; i++)
			if (d->lines[i].width > maxw)
				maxw = d->lines[i].width;
		maxw -= p->indent_w <= maxw ? p->indent_w : maxw;
		if (maxw == 0)
			maxw = 1;
		line_start(p, 0);
		span_repeat(p, lvl == 1 ? G(p, "═", "=") : G(p, "─", "-"), maxw, SR_MD_RULE,
			    lvl);
		cur_line(p)->heading = lvl;
	}
	d->toc = sr_xgrow(d->toc, &d->caps[3], d->n_toc + 1, sizeof(*d->toc));
	h = &d->toc[d->n_toc++];
	h->level = lvl;
	h->anchor = anchor_unique(p, text);
	h->text = text;
	h->line = first;
	if (lvl == 1 && d->title == NULL)
		d->title = sr_xstrdup(text);
	para_reset(p);
	p->leaf = L_NONE;
}

/* Verbatim lines (code, raw HTML): never wrapped; tabs expanded to 8 columns. */
static void
flush_verbatim(struct mdp *p, unsigned style, size_t indent)
{
	const char *t = p->para.data ? p->para.data : "";
	size_t len = p->para.len, i = 0;
	struct sr_buf ln;

	if (len > 0 && t[len - 1] == '\n')
		len--;
	sr_buf_init(&ln);
	while (i <= len) {
		size_t e = i, col = 0, k;

		while (e < len && t[e] != '\n')
			e++;
		ln.len = 0;
		if (memchr(t + i, '\t', e - i) == NULL) {
			buf_put(&ln, t + i, e - i);
		} else {
			for (k = i; k < e; k++) {
				if (t[k] == '\t') {
					do {
						buf_put(&ln, " ", 1);
					} while (++col % 8 != 0);
					continue;
				}
				if (((unsigned char)t[k] & 0xC0) != 0x80)
					col++;
				buf_put(&ln, t + k, 1);
			}
		}
		line_start(p, ln.len == 0);
		cur_line(p)->code = 1;
		if (ln.len > 0)
			span_spaces(p, indent, 0);
		cur_line(p)->prefix_width = cur_line(p)->width;
		if (ln.len > 0) {
			struct sr_buf clean;
			const char *cs;
			size_t left, pw = cur_line(p)->prefix_width, room;

			sr_buf_init(&clean);
			sr_text_sanitize(&clean, ln.data, ln.len, 0);
			cs = clean.data;
			left = clean.len;
			/* SR_MD_WRAP_CODE: the rest of a line too wide goes on the next ones,
			 * each marked as a continuation ("↪ ") */
			room = (size_t)p->width > pw + 4 ? (size_t)p->width - pw : 4;
			while ((p->flags & SR_MD_WRAP_CODE) && sr_text_width(cs, left) > room) {
				size_t nb = sr_text_cut(cs, left, room - (cs != clean.data ? 2 : 0),
							NULL);

				if (nb == 0)
					break;
				span_add(p, cs, nb, style, 0, -1);
				cs += nb;
				left -= nb;
				line_start(p, 0);
				cur_line(p)->code = 1;
				span_spaces(p, indent, 0);
				cur_line(p)->prefix_width = cur_line(p)->width;
				span_str(p, G(p, "↪ ", "+ "), SR_MD_CUT);
			}
			span_add(p, cs, left, style, 0, -1);
			sr_buf_done(&clean);
		}
		i = e + 1;
	}
	sr_buf_done(&ln);
	para_reset(p);
	p->leaf = L_NONE;
}

/* --- tables --- */

static void
cell_emit(struct mdp *p, const struct cell *c, size_t w, MD_ALIGN al)
{
	size_t r, used = 0, lead = 0;
	int cut = c->width > w;
	size_t budget = cut ? (w > 0 ? w - 1 : 0) : w;

	if (!cut && c->width < w) {
		if (al == MD_ALIGN_RIGHT)
			lead = w - c->width;
		else if (al == MD_ALIGN_CENTER)
			lead = (w - c->width) / 2;
	}
	span_spaces(p, lead, 0);
	used = lead;
	for (r = c->run_first; r < c->run_first + c->n_runs; r++) {
		const struct run *rn = &p->runs[r];
		const char *s = p->para.data + rn->off;
		size_t cols, nb;
		int link = (rn->style & (SR_MD_LINK | SR_MD_LINK_REF | SR_MD_IMAGE)) ?
			   rn->link : -1;

		if (used - lead >= budget && cut)
			break;
		nb = cut ? sr_text_cut(s, rn->len, budget - (used - lead), &cols)
			 : rn->len;
		if (!cut)
			cols = sr_text_width(s, nb);
		span_add(p, s, nb, rn->style, 0, link);
		used += cols;
		if (nb < rn->len)
			break;
	}
	if (cut) {
		span_str(p, G(p, "…", "."), SR_MD_CUT);
		used++;
	}
	if (used < w)
		span_spaces(p, w - used, 0);
}

/* A piece of a wrapped cell: from run r0 byte o0 up to run r1 byte o1, width columns. */
struct cell_seg {
	size_t r0, o0, r1, o1, width;
};

/*
 * Cuts cell c into pieces at most w columns wide, at spaces where it can, else anywhere
 * between characters. Returns the number of pieces (at least 1) in *segs (allocated).
 */
static size_t
cell_wrap(const struct mdp *p, const struct cell *c, size_t w, struct cell_seg **segs)
{
	size_t n = 0, cap = 0, r, o, lw = 0, end = c->run_first + c->n_runs;
	struct cell_seg cur = { c->run_first, 0, c->run_first, 0, 0 };
	int have_sp = 0;
	struct cell_seg sp = { 0, 0, 0, 0, 0 };	/* the line up to the last space */
	size_t sp_r = 0, sp_o = 0, sp_w = 0;	/* just after that space, its width so far */

	*segs = NULL;
	for (r = c->run_first; r < end; r++) {
		const struct run *rn = &p->runs[r];
		const char *s = p->para.data + rn->off;

		for (o = 0; o < rn->len;) {
			size_t cl = 1, cw;

			while (o + cl < rn->len && ((unsigned char)s[o + cl] & 0xC0) == 0x80)
				cl++;
			cw = sr_text_width(s + o, cl);
			while (lw + cw > w && lw > 0) {
				*segs = sr_xgrow(*segs, &cap, n + 1, sizeof(**segs));
				if (have_sp) {
					sp.r0 = cur.r0;
					sp.o0 = cur.o0;
					(*segs)[n++] = sp;
					cur.r0 = sp_r;
					cur.o0 = sp_o;
					lw -= sp_w;
				} else {
					cur.r1 = r;
					cur.o1 = o;
					cur.width = lw;
					(*segs)[n++] = cur;
					cur.r0 = r;
					cur.o0 = o;
					lw = 0;
				}
				have_sp = 0;
			}
			lw += cw;
			if (s[o] == ' ') {
				have_sp = 1;
				sp.r1 = r;
				sp.o1 = o;
				sp.width = lw - cw;
				sp_r = r;
				sp_o = o + 1;
				sp_w = lw;
			}
			o += cl;
		}
	}
	*segs = sr_xgrow(*segs, &cap, n + 1, sizeof(**segs));
	cur.r1 = end;
	cur.o1 = 0;
	cur.width = lw;
	(*segs)[n++] = cur;
	return n;
}

/* Emits one piece of a wrapped cell, aligned and padded to w columns. */
static void
seg_emit(struct mdp *p, const struct cell *c, const struct cell_seg *sg, size_t w, MD_ALIGN al)
{
	size_t r, lead = 0, end = c->run_first + c->n_runs;

	if (sg->width < w) {
		if (al == MD_ALIGN_RIGHT)
			lead = w - sg->width;
		else if (al == MD_ALIGN_CENTER)
			lead = (w - sg->width) / 2;
	}
	span_spaces(p, lead, 0);
	for (r = sg->r0; r < end && r <= sg->r1; r++) {
		const struct run *rn = &p->runs[r];
		size_t a = r == sg->r0 ? sg->o0 : 0, b = r == sg->r1 ? sg->o1 : rn->len;
		int link = (rn->style & (SR_MD_LINK | SR_MD_LINK_REF | SR_MD_IMAGE)) ?
			   rn->link : -1;

		if (b > rn->len)
			b = rn->len;
		if (b > a)
			span_add(p, p->para.data + rn->off + a, b - a, rn->style, 0, link);
	}
	if (lead + sg->width < w)
		span_spaces(p, w - lead - sg->width, 0);
}

/* A table line: with SR_MD_WIDE_TABLES it is verbatim (never cut; the TUI scrolls it). */
static void
table_line(struct mdp *p)
{
	line_start(p, 0);
	if (p->flags & SR_MD_WIDE_TABLES) {
		cur_line(p)->code = 1;
		cur_line(p)->prefix_width = cur_line(p)->width;
	}
}

static void
table_border(struct mdp *p, const size_t *w, size_t k, const char *l, const char *m,
	     const char *r)
{
	size_t i;

	table_line(p);
	span_str(p, l, SR_MD_TABLE_BORDER);
	for (i = 0; i < k; i++) {
		span_repeat(p, G(p, "─", "-"), w[i] + 2, SR_MD_TABLE_BORDER, 0);
		span_str(p, i + 1 < k ? m : r, SR_MD_TABLE_BORDER);
	}
}

static void
flush_table(struct mdp *p)
{
	size_t n = p->n_cols, k, i, j, avail, budget, sum = 0, lo, hi;
	size_t *nat, *w;
	int cut_cols;
	const size_t minw = 3;

	if (n == 0)
		goto out;
	nat = sr_xcalloc(n, sizeof(*nat));
	w = sr_xcalloc(n, sizeof(*w));
	for (i = 0; i < p->n_rows; i++)
		for (j = 0; j < p->rows[i].n_cells && j < n; j++) {
			const struct cell *c = &p->cells[p->rows[i].cell_first + j];

			if (c->width > nat[j])
				nat[j] = c->width;
		}
	for (j = 0; j < n; j++)
		if (nat[j] == 0)
			nat[j] = 1;
	avail = (size_t)p->width > p->indent_w ? (size_t)p->width - p->indent_w : 8;
	if (p->flags & SR_MD_WIDE_TABLES)
		avail = (size_t)-1 / 4;	/* every column at its natural width */
	/* how many columns fit: each needs "│ " + content + " " and one final "│" */
	k = n;
	for (j = 0; j < n; j++)
		sum += nat[j];
	if (3 * n + 1 + sum > avail) {
		while (k > 1 && 3 * k + 1 + k * minw + (k < n ? 1 : 0) > avail)
			k--;
	}
	cut_cols = k < n;
	budget = avail > 3 * k + 1 + (size_t)cut_cols ? avail - 3 * k - 1 - (size_t)cut_cols : k;
	/* water-filling: the largest cap c with sum(min(nat, c)) <= budget */
	sum = 0;
	for (j = 0; j < k; j++)
		sum += nat[j];
	if (sum <= budget) {
		for (j = 0; j < k; j++)
			w[j] = nat[j];
	} else {
		lo = 1;
		hi = budget;
		while (lo < hi) {
			size_t c = (lo + hi + 1) / 2, s = 0;

			for (j = 0; j < k; j++)
				s += nat[j] < c ? nat[j] : c;
			if (s <= budget)
				lo = c;
			else
				hi = c - 1;
		}
		sum = 0;
		for (j = 0; j < k; j++) {
			w[j] = nat[j] < lo ? nat[j] : lo;
			sum += w[j];
		}
		for (j = 0; j < k && sum < budget; j++)
			if (w[j] < nat[j]) {
				w[j]++;
				sum++;
			}
	}
	table_border(p, w, k, G(p, "┌", "+"), G(p, "┬", "+"), G(p, "┐", "+"));
	for (i = 0; i < p->n_rows; i++) {
		const struct row *rw = &p->rows[i];
		struct cell_seg **segs = NULL;
		size_t *nseg = NULL, v, nv = 1;

		if (p->flags & SR_MD_WRAP_CELLS) {
			/* each cell as pieces of its column's width, the row as tall as the
			 * tallest cell */
			segs = sr_xcalloc(k, sizeof(*segs));
			nseg = sr_xcalloc(k, sizeof(*nseg));
			for (j = 0; j < k && j < rw->n_cells; j++) {
				nseg[j] = cell_wrap(p, &p->cells[rw->cell_first + j], w[j],
						    &segs[j]);
				if (nseg[j] > nv)
					nv = nseg[j];
			}
		}
		for (v = 0; v < nv; v++) {
			table_line(p);
			span_str(p, G(p, "│ ", "| "), SR_MD_TABLE_BORDER);
			for (j = 0; j < k; j++) {
				struct cell empty = { 0, 0, 0 };
				const struct cell *c = j < rw->n_cells
							       ? &p->cells[rw->cell_first + j]
							       : &empty;

				if (segs == NULL)
					cell_emit(p, c, w[j], p->align[j]);
				else if (v < nseg[j])
					seg_emit(p, c, &segs[j][v], w[j], p->align[j]);
				else
					span_spaces(p, w[j], 0);
				span_str(p, j + 1 < k ? G(p, " │ ", " | ") : G(p, " │", " |"),
					 SR_MD_TABLE_BORDER);
			}
			if (cut_cols)
				span_str(p, G(p, "…", "."), SR_MD_CUT);
		}
		if (segs != NULL) {
			for (j = 0; j < k; j++)
				free(segs[j]);
			free(segs);
			free(nseg);
		}
		if (rw->head && (i + 1 < p->n_rows))
			table_border(p, w, k, G(p, "├", "+"), G(p, "┼", "+"), G(p, "┤", "+"));
	}
	table_border(p, w, k, G(p, "└", "+"), G(p, "┴", "+"), G(p, "┘", "+"));
	free(nat);
	free(w);
out:
	p->n_cells = 0;
	p->n_rows = 0;
	free(p->align);
	p->align = NULL;
	p->n_cols = 0;
	para_reset(p);
	p->leaf = L_NONE;
}

/* --- md4c callbacks --- */

static void
begin_leaf(struct mdp *p, enum leaf leaf)
{
	flush_implicit(p);
	emit_blank_if_pending(p);
	para_reset(p);
	p->leaf = leaf;
}

static int
enter_block(MD_BLOCKTYPE type, void *detail, void *arg)
{
	struct mdp *p = arg;
	struct cont *c, *list;
	int level;

	if (p->full)
		return 1;	/* md_parse stops */
	switch (type) {
	case MD_BLOCK_DOC:
		break;
	case MD_BLOCK_QUOTE:
		flush_implicit(p);
		emit_blank_if_pending(p);
		push(p, C_QUOTE, 2);
		break;
	case MD_BLOCK_UL:
	case MD_BLOCK_OL:
		flush_implicit(p);
		if (!in_item(p))
			emit_blank_if_pending(p);
		list = innermost(p, C_LIST);
		level = list ? list->level + 1 : 0;
		c = push(p, C_LIST, 0);	/* may move the stack: list is stale after this */
		c->level = level;
		if (type == MD_BLOCK_UL)
			c->loose = !((const MD_BLOCK_UL_DETAIL *)detail)->is_tight;
		if (type == MD_BLOCK_OL) {
			const MD_BLOCK_OL_DETAIL *od = detail;

			c->loose = !od->is_tight;
			c->ordered = 1;
			c->next_no = od->start;
			c->delim = od->mark_delimiter;
		}
		break;
	case MD_BLOCK_LI: {
		const MD_BLOCK_LI_DETAIL *ld = detail;
		static const char *bullets[] = { "• ", "◦ ", "▪ " };
		char marker[32];
		size_t mw;

		flush_implicit(p);
		/* a new item in a loose list comes after a blank line */
		emit_blank_if_pending(p);
		list = innermost(p, C_LIST);
		if (list && list->ordered) {
			size_t k = fmt_uint(marker, list->next_no++);

			marker[k++] = list->delim ? list->delim : '.';
			marker[k++] = ' ';
			marker[k] = '\0';
			mw = k;
		} else {
			const char *b = G(p, bullets[(list ? list->level : 0) % 3], "- ");

			memcpy(marker, b, strlen(b) + 1);
			mw = 2;	/* every bullet is one column and a space */
		}
		if (ld->is_task)
			mw += 4;
		c = push(p, C_ITEM, mw);
		memcpy(c->marker, marker, sizeof(marker));
		c->marker_pending = 1;
		if (ld->is_task) {
			struct sr_doc *d = p->doc;
			struct sr_md_task *t;

			c->task = (ld->task_mark == 'x' || ld->task_mark == 'X') ? 2 : 1;
			d->tasks = sr_xrealloc(d->tasks, (d->n_tasks + 1) * sizeof(*d->tasks));
			t = &d->tasks[d->n_tasks];
			memset(t, 0, sizeof(*t));
			t->number = (int)d->n_tasks + 1;
			t->checked = c->task == 2;
			t->line = d->n_lines;
			p->task_capture = (long)d->n_tasks++;
		}
		break;
	}
	case MD_BLOCK_HR:
		begin_leaf(p, L_NONE);
		line_start(p, 0);
		span_repeat(p, G(p, "─", "-"),
			    (size_t)p->width > p->indent_w ? (size_t)p->width - p->indent_w : 1,
			    SR_MD_RULE, 0);
		p->pending_blank = 1;
		break;
	case MD_BLOCK_H:
		begin_leaf(p, L_H);
		p->h_level = (int)((const MD_BLOCK_H_DETAIL *)detail)->level;
		if (p->h_level < 1 || p->h_level > 6)
			p->h_level = 6;
		break;
	case MD_BLOCK_CODE:
		begin_leaf(p, L_CODE);
		break;
	case MD_BLOCK_HTML:
		begin_leaf(p, L_HTML);
		break;
	case MD_BLOCK_P:
		begin_leaf(p, L_P);
		break;
	case MD_BLOCK_TABLE:
		begin_leaf(p, L_TABLE);
		p->n_cols = ((const MD_BLOCK_TABLE_DETAIL *)detail)->col_count;
		p->align = sr_xcalloc(p->n_cols ? p->n_cols : 1, sizeof(*p->align));
		break;
	case MD_BLOCK_THEAD:
		p->in_head = 1;
		break;
	case MD_BLOCK_TBODY:
		p->in_head = 0;
		break;
	case MD_BLOCK_TR:
		p->rows = sr_xgrow(p->rows, &p->cap_rows, p->n_rows + 1, sizeof(*p->rows));
		p->rows[p->n_rows].cell_first = p->n_cells;
		p->rows[p->n_rows].n_cells = 0;
		p->rows[p->n_rows].head = p->in_head;
		p->n_rows++;
		break;
	case MD_BLOCK_TH:
	case MD_BLOCK_TD: {
		struct cell *cl;
		struct row *rw;

		if (p->n_rows == 0)
			break;
		rw = &p->rows[p->n_rows - 1];
		if (rw->n_cells < p->n_cols && rw->head)
			p->align[rw->n_cells] = ((const MD_BLOCK_TD_DETAIL *)detail)->align;
		p->cells = sr_xgrow(p->cells, &p->cap_cells, p->n_cells + 1, sizeof(*p->cells));
		cl = &p->cells[p->n_cells++];
		cl->run_first = p->n_runs;
		p->run_floor = p->n_runs;
		cl->n_runs = 0;
		cl->width = 0;
		rw->n_cells++;
		p->in_cell = 1;
		break;
	}
	}
	return 0;
}

static int
leave_block(MD_BLOCKTYPE type, void *detail, void *arg)
{
	struct mdp *p = arg;
	struct cont *c;

	if (p->full)
		return 1;	/* md_parse stops */
	(void)detail;
	switch (type) {
	case MD_BLOCK_DOC:
		flush_implicit(p);
		break;
	case MD_BLOCK_QUOTE:
		flush_implicit(p);
		pop(p);
		p->pending_blank = 1;
		break;
	case MD_BLOCK_UL:
	case MD_BLOCK_OL:
		flush_implicit(p);
		pop(p);
		if (!in_item(p))
			p->pending_blank = 1;
		break;
	case MD_BLOCK_LI:
		flush_implicit(p);
		c = p->depth ? &p->stack[p->depth - 1] : NULL;
		if (c && c->kind == C_ITEM && c->marker_pending) {
			line_start(p, 0);	/* an empty item */
			line_rstrip(p);
		}
		if (p->task_capture >= 0) {
			p->doc->tasks[p->task_capture].text = sr_xstrdup("");
			p->task_capture = -1;
		}
		pop(p);
		c = innermost(p, C_LIST);
		if (c != NULL && c->loose)
			p->pending_blank = 1;
		break;
	case MD_BLOCK_HR:
		break;
	case MD_BLOCK_H:
		flush_heading(p);
		p->pending_blank = 1;
		break;
	case MD_BLOCK_CODE:
		flush_verbatim(p, SR_MD_CODE_BLOCK, 4);
		p->pending_blank = 1;
		break;
	case MD_BLOCK_HTML:
		flush_verbatim(p, SR_MD_HTML, 0);
		p->pending_blank = 1;
		break;
	case MD_BLOCK_P:
		flush_paragraph(p);
		p->pending_blank = 1;
		break;
	case MD_BLOCK_TABLE:
		flush_table(p);
		p->pending_blank = 1;
		break;
	case MD_BLOCK_THEAD:
	case MD_BLOCK_TBODY:
	case MD_BLOCK_TR:
		break;
	case MD_BLOCK_TH:
	case MD_BLOCK_TD:
		if (p->in_cell && p->n_cells > 0) {
			struct cell *cl = &p->cells[p->n_cells - 1];
			size_t r;

			cl->n_runs = p->n_runs - cl->run_first;
			for (r = cl->run_first; r < p->n_runs; r++) {
				size_t k;

				/* a cell is one line: hard breaks become spaces */
				for (k = 0; k < p->runs[r].len; k++)
					if (p->para.data[p->runs[r].off + k] == '\n')
						p->para.data[p->runs[r].off + k] = ' ';
				cl->width += sr_text_width(p->para.data + p->runs[r].off,
							   p->runs[r].len);
			}
		}
		p->in_cell = 0;
		break;
	}
	return 0;
}

static int
enter_span(MD_SPANTYPE type, void *detail, void *arg)
{
	struct mdp *p = arg;

	if (p->full)
		return 1;	/* md_parse stops */
	if (p->leaf == L_NONE)
		p->leaf = L_IMPLICIT;
	if (span_styled(p, type, 1))
		return 0;
	switch (type) {
	case MD_SPAN_A:
		if (p->cur_link < 0) {
			p->cur_link = link_add(p, &((const MD_SPAN_A_DETAIL *)detail)->href);
			p->link_off = p->para.len;
		}
		break;
	case MD_SPAN_IMG:
		if (p->n_img++ == 0) {
			p->img_link = link_add(p, &((const MD_SPAN_IMG_DETAIL *)detail)->src);
			text_add(p, "[image: ", 8, cur_style(p), p->img_link);
		}
		break;
	default:	/* LaTeX, wiki links, underline: not enabled */
		break;
	}
	return 0;
}

static int
leave_span(MD_SPANTYPE type, void *detail, void *arg)
{
	struct mdp *p = arg;

	if (p->full)
		return 1;	/* md_parse stops */
	(void)detail;
	if (span_styled(p, type, -1))
		return 0;
	switch (type) {
	case MD_SPAN_A:
		if (p->cur_link >= 0) {
			int link = p->cur_link;
			const char *url = p->doc->links[link].url;
			size_t off = p->link_off, n = p->para.len - off;

			p->cur_link = -1;
			/* an autolink shows its URL already: no "[n]" after it */
			if (strncmp(url, "mailto:", 7) == 0 && n == strlen(url) - 7 &&
			    memcmp(p->para.data + off, url + 7, n) == 0)
				break;
			if (n != strlen(url) || memcmp(p->para.data + off, url, n) != 0)
				link_ref(p, link);
		}
		break;
	case MD_SPAN_IMG:
		if (p->n_img == 1) {
			text_add(p, "]", 1, cur_style(p), p->img_link);
			p->n_img--;
			link_ref(p, p->img_link);
		} else if (p->n_img > 1) {
			p->n_img--;
		}
		break;
	default:
		break;
	}
	return 0;
}

static int
text_cb(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *arg)
{
	struct mdp *p = arg;
	size_t off;

	if (p->full)
		return 1;	/* md_parse stops */
	if (p->leaf == L_CODE || p->leaf == L_HTML) {
		/* raw: split into lines and sanitised at the end of the block */
		sr_buf_add(&p->para, text, size);
		return 0;
	}
	if (p->leaf == L_NONE)
		p->leaf = L_IMPLICIT;
	switch (type) {
	case MD_TEXT_BR:
		off = p->para.len;
		sr_buf_addc(&p->para, p->leaf == L_TABLE ? ' ' : '\n');
		run_add(p, off, 0, -1);
		break;
	case MD_TEXT_SOFTBR:
		text_add(p, " ", 1, cur_style(p), p->cur_link);
		break;
	case MD_TEXT_NULLCHAR:
		text_add(p, "\xEF\xBF\xBD", 3, cur_style(p), p->cur_link);
		break;
	case MD_TEXT_ENTITY:
		off = p->para.len;
		entity_decode(&p->para, text, size);
		run_add(p, off, cur_style(p), p->cur_link);
		break;
	case MD_TEXT_HTML:
		text_add(p, text, size, cur_style(p) | SR_MD_HTML, p->cur_link);
		break;
	default:
		text_add(p, text, size, cur_style(p), p->n_img ? p->img_link : p->cur_link);
		break;
	}
	return 0;
}

/* --- front matter --- */

static char *
yaml_scalar(const char *s, size_t len)
{
	char *raw, *clean;

	while (len > 0 && (s[0] == ' ' || s[0] == '\t'))
		s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	if (len >= 2 && ((s[0] == '"' && s[len - 1] == '"') ||
			 (s[0] == '\'' && s[len - 1] == '\'')))
		s++, len -= 2;
	raw = sr_xstrndup(s, len);
	clean = sr_text_clean(raw);
	free(raw);
	return clean;
}

static void
list_push(char ***v, size_t *n, char *s)
{
	if (s[0] == '\0') {
		free(s);
		return;
	}
	*v = sr_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = s;
}

/* "[a, b]" or "a, b" or a single value */
static void
yaml_list(const char *s, size_t len, char ***v, size_t *n)
{
	size_t i = 0, st;

	while (len > 0 && (s[0] == ' ' || s[0] == '\t'))
		s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\r'))
		len--;
	if (len > 0 && s[0] == '[') {
		s++, len--;
		if (len > 0 && s[len - 1] == ']')
			len--;
	}
	while (i <= len) {
		st = i;
		while (i < len && s[i] != ',')
			i++;
		list_push(v, n, yaml_scalar(s + st, i - st));
		i++;
	}
}

static void
meta_read(const char *src, size_t len, struct sr_md_meta *meta, int scan_title)
{
	size_t i = 0, line = 0;
	char ***cur_list = NULL;
	size_t *cur_n = NULL;

	memset(meta, 0, sizeof(*meta));
	if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	if (len - i >= 4 && memcmp(src + i, "---", 3) == 0 &&
	    (src[i + 3] == '\n' || (src[i + 3] == '\r' && len - i >= 5 && src[i + 4] == '\n'))) {
		size_t j = i + 3 + (src[i + 3] == '\r' ? 2 : 1), end = 0, ln = 1, close = 0;
		int closed = 0;

		/* find the closing line first: without one this is not front matter */
		while (j < len) {
			size_t e = j;

			while (e < len && src[e] != '\n')
				e++;
			ln++;
			{
				size_t k = e;

				while (k > j && (src[k - 1] == ' ' || src[k - 1] == '\r'))
					k--;
				if ((k - j == 3 && (memcmp(src + j, "---", 3) == 0 ||
						    memcmp(src + j, "...", 3) == 0))) {
					closed = 1;
					close = j;
					end = e < len ? e + 1 : e;
					break;
				}
			}
			j = e + 1;
		}
		if (closed) {
			j = i + 3 + (src[i + 3] == '\r' ? 2 : 1);
			while (j < close) {
				size_t e = j, colon;

				while (e < close && src[e] != '\n')
					e++;
				for (colon = j; colon < e && src[colon] != ':'; colon++)
					;
				if (src[j] == ' ' || src[j] == '\t' || src[j] == '-') {
					size_t k = j;

					while (k < e && (src[k] == ' ' || src[k] == '\t'))
						k++;
					if (k < e && src[k] == '-' && cur_list)
						list_push(cur_list, cur_n, yaml_scalar(src + k + 1,
										     e - k - 1));
				} else if (colon < e) {
					size_t kl = colon - j;
					const char *v = src + colon + 1;
					size_t vl = e - colon - 1;

					cur_list = NULL;
					if (kl == 5 && memcmp(src + j, "title", 5) == 0) {
						free(meta->title);
						meta->title = yaml_scalar(v, vl);
					} else if (kl == 4 && memcmp(src + j, "tags", 4) == 0) {
						cur_list = &meta->tags;
						cur_n = &meta->n_tags;
					} else if ((kl == 6 && memcmp(src + j, "alerts", 6) == 0) ||
						   (kl == 5 && memcmp(src + j, "alert", 5) == 0)) {
						cur_list = &meta->alerts;
						cur_n = &meta->n_alerts;
					}
					if (cur_list)
						yaml_list(v, vl, cur_list, cur_n);
				}
				j = e + 1;
			}
			i = end;
			line = ln;
		}
	}
	meta->body_off = i;
	meta->body_line = line;
	if (scan_title && (meta->title == NULL || meta->title[0] == '\0')) {
		/* first ATX level 1 heading, outside fenced code */
		size_t j = i;
		int fence = 0;

		while (j < len) {
			size_t e = j;

			while (e < len && src[e] != '\n')
				e++;
			if (e - j >= 3 && (memcmp(src + j, "```", 3) == 0 ||
					   memcmp(src + j, "~~~", 3) == 0))
				fence = !fence;
			else if (!fence && e - j >= 2 && src[j] == '#' && src[j + 1] == ' ') {
				size_t k = e;

				while (k > j + 2 && (src[k - 1] == '#' || src[k - 1] == ' ' ||
						     src[k - 1] == '\r'))
					k--;
				free(meta->title);
				meta->title = yaml_scalar(src + j + 2, k - j - 2);
				break;
			}
			j = e + 1;
		}
	}
	if (meta->title && meta->title[0] == '\0') {
		free(meta->title);
		meta->title = NULL;
	}
}

void
sr_md_meta_read(const char *src, size_t len, struct sr_md_meta *meta)
{
	meta_read(src, len, meta, 1);
}

void
sr_md_meta_done(struct sr_md_meta *meta)
{
	free(meta->title);
	sr_strv_free(meta->tags, meta->n_tags);
	sr_strv_free(meta->alerts, meta->n_alerts);
	memset(meta, 0, sizeof(*meta));
}

/* --- entry points --- */

/*
 * libmd4c is dlopen()ed on first use (lazy.h): only runbook rendering needs it, and a linked
 * library is paid for by every start of sitrep (docs/architecture.md, "Start-up cost").
 */
#define SR_MD4C_FUNCS(X) X(md_parse)
static struct {
#define X(name) __typeof__(name) *name;
	SR_MD4C_FUNCS(X)
#undef X
} md4c;

static int
md4c_load(char **err)
{
	static int loaded;
	static const char *const names[] = { SR_MD4C_FUNCS(SR_LAZY_NAME) };
#define SLOT(name) SR_LAZY_SLOT(md4c, name)
	void *const slots[] = { SR_MD4C_FUNCS(SLOT) };
#undef SLOT

	if (!loaded && sr_lazy_load("libmd4c.so.0", "libmd4c0", names, slots,
				    sizeof(names) / sizeof(names[0]), err) != 0)
		return -1;
	loaded = 1;
	return 0;
}

struct sr_doc *
sr_md_parse(const char *src, size_t len, int width, unsigned flags, char **err)
{
	MD_PARSER parser;
	struct mdp p;
	struct sr_md_meta meta;
	struct sr_doc *doc;
	int rc;
	size_t i;

	if (src == NULL)
		src = "", len = 0;
	if (sr_text_is_binary(src, len)) {
		sr_err(err, "not a text file");
		return NULL;
	}
	if (len > 0xFFFFFFF0u) {
		sr_err(err, "file too large (%zu bytes)", len);
		return NULL;
	}
	if (md4c_load(err) != 0)
		return NULL;
	if (width < SR_MD_MIN_WIDTH)
		width = SR_MD_MIN_WIDTH;
	if (width > 100000)
		width = 100000;
	doc = sr_xcalloc(1, sizeof(*doc));
	doc->width = width;
	meta_read(src, len, &meta, 0);	/* the first heading gives the title below */
	doc->title = meta.title;
	doc->tags = meta.tags;
	doc->n_tags = meta.n_tags;
	doc->alerts = meta.alerts;
	doc->n_alerts = meta.n_alerts;

	memset(&p, 0, sizeof(p));
	p.doc = doc;
	p.width = width;
	p.flags = flags;
	p.cur_link = -1;
	p.task_capture = -1;
	p.min_content = (size_t)width / 3 > 8 ? (size_t)width / 3 : 8;
	sr_buf_init(&p.arena);
	sr_buf_init(&p.para);
	/* reserve about what the layout of len bytes needs: fewer reallocs and copies */
	p.arena.cap = len + len / 4 + 256;
	p.arena.data = sr_xmalloc(p.arena.cap);
	p.arena.data[0] = '\0';
	doc->caps[0] = len / 12 + 16;
	doc->spans = sr_xmalloc(doc->caps[0] * sizeof(*doc->spans));
	doc->caps[1] = len / 28 + 16;
	doc->lines = sr_xmalloc(doc->caps[1] * sizeof(*doc->lines));

	memset(&parser, 0, sizeof(parser));
	parser.flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_TASKLISTS;
	parser.enter_block = enter_block;
	parser.leave_block = leave_block;
	parser.enter_span = enter_span;
	parser.leave_span = leave_span;
	parser.text = text_cb;
	rc = md4c.md_parse(src + meta.body_off, (MD_SIZE)(len - meta.body_off), &parser, &p);
	if (p.full) {	/* stopped on purpose: say so where the reader gets to */
		p.full = 0;
		p.depth = 0;
		p.indent_w = 0;
		line_start(&p, 0);
		span_str(&p, G(&p, "…", "..."), SR_MD_CUT);
		span_str(&p, " (too large to show whole: cut here)", 0);
		rc = 0;
	}

	doc->text_len = p.arena.len;
	doc->text = sr_buf_steal(&p.arena);
	for (i = 0; i < doc->n_tasks; i++)
		if (doc->tasks[i].text == NULL)
			doc->tasks[i].text = sr_xstrdup("");
	sr_buf_done(&p.para);
	free(p.runs);
	free(p.stack);
	free(p.cells);
	free(p.rows);
	free(p.align);
	free(p.slots);	/* the strings belong to doc->toc */
	if (rc != 0) {
		sr_doc_free(doc);
		sr_err(err, "the Markdown parser failed (code %d)", rc);
		return NULL;
	}
	return doc;
}

/* Reads a whole regular file with one allocation of its size (large runbooks: no regrowth). */
static int
read_whole(const char *path, char **out, size_t *len, char **err)
{
	struct stat st;
	char *buf;
	size_t got = 0;
	int fd = sr_open_regular(path, &st, err);	/* a FIFO or device is refused */

	if (fd < 0)
		return -1;
	if ((uint64_t)st.st_size > MAX_FILE) {
		close(fd);
		return sr_err(err, "%s: file larger than %u bytes", path, MAX_FILE);
	}
	buf = sr_xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			free(buf);
			return sr_err(err, "%s: %s", path, strerror(e));
		}
		if (n == 0)	/* the file shrank meanwhile */
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return 0;
}

struct sr_doc *
sr_md_load(const char *path, int width, unsigned flags, char **err)
{
	char *src = NULL, *e = NULL;
	size_t len = 0;
	struct sr_doc *doc;

	if (read_whole(path, &src, &len, &e) < 0) {
		sr_err(err, "%s", e);
		free(e);
		return NULL;
	}
	doc = sr_md_parse(src, len, width, flags, &e);
	free(src);
	if (doc == NULL) {
		char *cp = sr_text_clean(path);

		sr_err(err, "%s: %s", cp, e);
		free(cp);
		free(e);
	}
	return doc;
}

void
sr_doc_free(struct sr_doc *doc)
{
	size_t i;

	if (doc == NULL)
		return;
	free(doc->text);
	free(doc->spans);
	free(doc->lines);
	for (i = 0; i < doc->n_links; i++)
		free(doc->links[i].url);
	free(doc->links);
	for (i = 0; i < doc->n_toc; i++) {
		free(doc->toc[i].text);
		free(doc->toc[i].anchor);
	}
	free(doc->toc);
	for (i = 0; i < doc->n_tasks; i++)
		free(doc->tasks[i].text);
	free(doc->tasks);
	free(doc->title);
	sr_strv_free(doc->tags, doc->n_tags);
	sr_strv_free(doc->alerts, doc->n_alerts);
	free(doc);
}

long
sr_doc_find_anchor(const struct sr_doc *doc, const char *anchor)
{
	size_t i;

	if (anchor == NULL)
		return -1;
	if (anchor[0] == '#')
		anchor++;
	for (i = 0; i < doc->n_toc; i++)
		if (strcmp(doc->toc[i].anchor, anchor) == 0)
			return (long)i;
	/* be forgiving about case and spaces typed on a command line */
	{
		char *slug = sr_md_slug(anchor);
		long found = -1;

		for (i = 0; i < doc->n_toc && found < 0; i++)
			if (strcmp(doc->toc[i].anchor, slug) == 0)
				found = (long)i;
		free(slug);
		return found;
	}
}
