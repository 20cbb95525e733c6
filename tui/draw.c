/* SPDX-License-Identifier: MIT */
/* draw.c: drawing helpers: sanitised text cut to fit, rules, sparklines, big digits, tables. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "tell.h"
#include "text.h"

int
tui_put(const struct tui_theme *th, WINDOW *w, int y, int x, int width, enum tui_role role, int pad,
	const char *s)
{
	struct sr_buf b;
	size_t cols;
	char *masked = NULL;

	if (width <= 0)
		return 0;
	s = s ? s : "";
	/* every text of every view comes through here: a configured secret becomes "***" */
	for (size_t i = 0; i < th->n_secrets; i++) {
		if (strstr(s, th->secrets[i]) != NULL) {
			size_t len = strlen(s);

			masked = sr_xstrdup(s);
			masked[sr_text_scrub(masked, len, (const char *const *)th->secrets,
					     th->n_secrets)] = '\0';
			s = masked;
			break;
		}
	}
	sr_buf_init(&b);
	cols = sr_text_fit(&b, s, (size_t)width, pad, th->utf8 ? 0 : SR_SAN_ASCII);
	free(masked);
	if (b.len > 0) {
		wattrset(w, th->attr[role]);
		mvwaddnstr(w, y, x, b.data, (int)b.len);
		wattrset(w, A_NORMAL);
	}
	sr_buf_done(&b);
	return (int)cols;
}

/* One line (no break in it) wrapped at spaces into rows from row; returns the rows it takes. */
static int
put_line_wrapped(const struct tui_theme *th, WINDOW *w, int y, int x, int width,
		 enum tui_role role, int row, int max_rows, const char *p, size_t len)
{
	int rows = 0;

	do {
		size_t cut = sr_text_cut(p, len, (size_t)width, NULL);

		if (cut < len) {
			/* back to the last space inside the cut, when there is one */
			size_t sp = cut;

			while (sp > 0 && p[sp] != ' ')
				sp--;
			if (sp > 0)
				cut = sp;
			else if (cut == 0)
				cut = 1;	/* one character wider than the column: never stall */
		}
		if (row + rows < max_rows)
			tui_putn(th, w, y + row + rows, x, width, role, p, cut);
		rows++;
		p += cut;
		len -= cut;
		while (len > 0 && *p == ' ')
			p++, len--;
	} while (len > 0);
	return rows;
}

int
tui_put_wrapped(const struct tui_theme *th, WINDOW *w, int y, int x, int width,
		enum tui_role role, int max_rows, const char *s)
{
	struct sr_buf b;
	const char *p;
	int rows = 0, first = 1;

	if (width <= 0)
		return 1;
	/* each line of s on rows of its own: a line break in stored text stays one */
	sr_buf_init(&b);
	sr_text_sanitize(&b, s ? s : "", s ? strlen(s) : 0,
			 SR_SAN_NEWLINES | (th->utf8 ? 0 : SR_SAN_ASCII));
	if (b.len > 0)	/* before the wrap can split a secret over two rows */
		b.len = sr_text_scrub(b.data, b.len, (const char *const *)th->secrets,
				      th->n_secrets);
	while (b.len > 0 && b.data[b.len - 1] == '\n')
		b.len--;	/* trailing breaks make no rows */
	sr_buf_addc(&b, '\0');
	p = b.data;
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		int in = first || width <= TUI_BLOCK_INDENT + 1 ? 0 : TUI_BLOCK_INDENT;

		rows += put_line_wrapped(th, w, y, x + in, width - in, role, rows, max_rows, p, len);
		first = 0;
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	if (rows > max_rows && max_rows > 0)	/* more than the rows hold: say so */
		tui_put(th, w, y + max_rows - 1, x + width - 1, 1, role, 0, th->g->ellipsis);
	sr_buf_done(&b);
	return rows;
}

int
tui_putn(const struct tui_theme *th, WINDOW *w, int y, int x, int width, enum tui_role role,
	 const char *s, size_t len)
{
	char *copy = sr_xstrndup(s, len);
	int n = tui_put(th, w, y, x, width, role, 0, copy);

	free(copy);
	return n;
}

int
tui_putf(const struct tui_theme *th, WINDOW *w, int y, int x, int width, enum tui_role role,
	 const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	s = sr_xvasprintf(fmt, ap);
	va_end(ap);
	n = tui_put(th, w, y, x, width, role, 0, s);
	free(s);
	return n;
}

void
tui_rule(const struct tui_theme *th, WINDOW *w, int y, int x, int width, const char *title)
{
	const char *h = th->g->hline;
	int col = 0;

	wattrset(w, th->attr[TUI_R_BORDER]);
	for (int i = 0; i < 2 && col < width; i++, col++)
		mvwaddstr(w, y, x + col, h);
	if (title != NULL && *title != '\0' && col + 4 < width) {
		col += tui_put(th, w, y, x + col, 1, TUI_R_BORDER, 0, " ");
		col += tui_put(th, w, y, x + col, width - col - 1, TUI_R_TITLE, 0, title);
		col += tui_put(th, w, y, x + col, 1, TUI_R_BORDER, 0, " ");
	}
	wattrset(w, th->attr[TUI_R_BORDER]);
	for (; col < width; col++)
		mvwaddstr(w, y, x + col, h);
	wattrset(w, A_NORMAL);
}

void
tui_spark(const struct tui_theme *th, WINDOW *w, int y, int x, int width, const double *v,
	  size_t n, enum tui_role role)
{
	signed char lvl[512];
	size_t cells;

	if (width <= 0 || n == 0)
		return;
	cells = sr_spark_levels(v, n, (size_t)width < sizeof(lvl) ? (size_t)width : sizeof(lvl),
				lvl);
	wattrset(w, th->attr[role]);
	for (size_t c = 0; c < cells; c++)
		mvwaddstr(w, y, x + (int)c, lvl[c] < 0 ? " " : th->g->spark[lvl[c]]);
	wattrset(w, A_NORMAL);
}

/* --- big text: 5 rows, 3 columns each (':' is 1 column wide); digits, A-Z, . / ! --- */

static const char *
glyph(char c)
{
	static const char *const digits[10] = {
		"###"
		"# #"
		"# #"
		"# #"
		"###",
		"  #"
		"  #"
		"  #"
		"  #"
		"  #",
		"###"
		"  #"
		"###"
		"#  "
		"###",
		"###"
		"  #"
		"###"
		"  #"
		"###",
		"# #"
		"# #"
		"###"
		"  #"
		"  #",
		"###"
		"#  "
		"###"
		"  #"
		"###",
		"###"
		"#  "
		"###"
		"# #"
		"###",
		"###"
		"  #"
		"  #"
		"  #"
		"  #",
		"###"
		"# #"
		"###"
		"# #"
		"###",
		"###"
		"# #"
		"###"
		"  #"
		"###",
	};
	static const char *const letters[26] = {
		" # " "# #" "###" "# #" "# #",	/* A */
		"## " "# #" "## " "# #" "## ",	/* B */
		" ##" "#  " "#  " "#  " " ##",	/* C */
		"## " "# #" "# #" "# #" "## ",	/* D */
		"###" "#  " "## " "#  " "###",	/* E */
		"###" "#  " "## " "#  " "#  ",	/* F */
		" ##" "#  " "# #" "# #" " ##",	/* G */
		"# #" "# #" "###" "# #" "# #",	/* H */
		"###" " # " " # " " # " "###",	/* I */
		"  #" "  #" "  #" "# #" " # ",	/* J */
		"# #" "# #" "## " "# #" "# #",	/* K */
		"#  " "#  " "#  " "#  " "###",	/* L */
		"# #" "###" "###" "# #" "# #",	/* M */
		"## " "# #" "# #" "# #" "# #",	/* N */
		" # " "# #" "# #" "# #" " # ",	/* O */
		"## " "# #" "## " "#  " "#  ",	/* P */
		" # " "# #" "# #" "## " " ##",	/* Q */
		"## " "# #" "## " "# #" "# #",	/* R */
		" ##" "#  " " # " "  #" "## ",	/* S */
		"###" " # " " # " " # " " # ",	/* T */
		"# #" "# #" "# #" "# #" "###",	/* U */
		"# #" "# #" "# #" "# #" " # ",	/* V */
		"# #" "# #" "###" "###" "# #",	/* W */
		"# #" "# #" " # " "# #" "# #",	/* X */
		"# #" "# #" " # " " # " " # ",	/* Y */
		"###" "  #" " # " "#  " "###",	/* Z */
	};

	if (c >= '0' && c <= '9')
		return digits[c - '0'];
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c >= 'A' && c <= 'Z')
		return letters[c - 'A'];
	if (c == '.')
		return "   " "   " "   " "   " " # ";
	if (c == '/')
		return "  #" "  #" " # " "#  " "#  ";
	if (c == '!')
		return " # " " # " " # " "   " " # ";
	if (c == '-')
		return "   "
		       "   "
		       "###"
		       "   "
		       "   ";
	if (c == '+')
		return "   "
		       " # "
		       "###"
		       " # "
		       "   ";
	return "   "
	       "   "
	       "   "
	       "   "
	       "   ";
}

int
tui_big_width(const char *text, int scale)
{
	int wd = 0;

	for (const char *p = text; *p; p++)
		wd += (*p == ':' ? 1 : 3) * scale + (p[1] ? scale : 0);
	return wd;
}

int
tui_big(const struct tui_theme *th, WINDOW *w, int y, int x, const char *text, int scale,
	enum tui_role role)
{
	int col = 0;

	wattrset(w, th->attr[role]);
	for (const char *p = text; *p; p++) {
		int cw = *p == ':' ? 1 : 3;

		for (int r = 0; r < 5 * scale; r++) {
			for (int c = 0; c < cw * scale; c++) {
				int on = *p == ':' ? (r / scale == 1 || r / scale == 3) :
						     glyph(*p)[(r / scale) * 3 + c / scale] == '#';

				if (on)
					mvwaddstr(w, y + r, x + col + c, th->g->block);
			}
		}
		col += (cw + 1) * scale;
	}
	wattrset(w, A_NORMAL);
	return col > 0 ? col - scale : 0;
}

/* --- values --- */

enum tui_role
tui_sev_role(enum sr_sev s)
{
	static const enum tui_role r[SR_SEV_COUNT] = { TUI_R_P1, TUI_R_P2, TUI_R_P3, TUI_R_P4 };

	return (unsigned)s < SR_SEV_COUNT ? r[s] : TUI_R_NORMAL;
}

const char *
tui_deadline(const struct sr_deadline *d, enum sr_deadline_form form, char *buf, size_t n,
	     enum tui_role *role)
{
	static const enum tui_role roles[] = {
		[SR_DL_NONE] = TUI_R_DIM,    [SR_DL_LEFT] = TUI_R_NORMAL, [SR_DL_SOON] = TUI_R_WARN,
		[SR_DL_OVERDUE] = TUI_R_CRIT, [SR_DL_MET] = TUI_R_OK,	 [SR_DL_MISSED] = TUI_R_CRIT,
	};

	*role = roles[sr_format_deadline(d, form, buf, n)];
	return buf;
}

enum tui_role
tui_panel_role(const struct tui_panel *p)
{
	if (!p->has_last)
		return TUI_R_STALE;
	if (p->def->has_crit && p->last > p->def->crit)
		return TUI_R_CRIT;
	if (p->def->has_warn && p->last > p->def->warn)
		return TUI_R_WARN;
	return TUI_R_OK;
}

/* --- the incident table shared by the dashboard and the incidents view --- */

enum icol { IC_ID, IC_SEV, IC_STATUS, IC_LVL, IC_AGE, IC_RESPOND, IC_RESOLVE, IC_UPDATE,
	    IC_TITLE, IC_COUNT };
static const struct {
	const char *head;
	int width;
	int drop;	/* dropped first when narrow: higher goes first; 0 = never */
} icols[IC_COUNT] = {
	[IC_ID] = { "ID", 13, 0 },	   [IC_SEV] = { "SEV", 4, 0 },
	[IC_STATUS] = { "STATUS", 14, 2 }, [IC_LVL] = { "LVL", 4, 0 },
	[IC_AGE] = { "AGE", 7, 4 },	   [IC_RESPOND] = { "RESPOND", 10, 1 },
	[IC_RESOLVE] = { "RESOLVE", 10, 1 }, [IC_UPDATE] = { "UPDATE", 10, 3 },
	[IC_TITLE] = { "TITLE", 0, 0 },
};
#define TITLE_MIN 14

/* id_w: the widest id shown plus a space (INC-2026-1000 and -1099 whole, never cut). */
static void
layout(int wd, int id_w, int *width)
{
	int total = 0;

	for (int c = 0; c < IC_COUNT; c++) {
		width[c] = c == IC_ID && id_w > icols[c].width ? id_w : icols[c].width;
		total += width[c];
	}
	for (int drop = 4; drop >= 1 && wd - total < TITLE_MIN; drop--) {
		for (int c = 0; c < IC_COUNT; c++) {
			if (icols[c].drop == drop && width[c] > 0) {
				total -= width[c];
				width[c] = 0;
			}
		}
	}
	width[IC_TITLE] = wd - total > 0 ? wd - total : 0;
}

static void
row(const struct tui_theme *th, const struct tui_model *m, WINDOW *w, int y, int wd,
    const int *width,
    const struct sr_incident *inc, int selected)
{
	const struct sr_config *cfg = m->cfg;
	struct sr_timers t;
	char buf[48], dur[24];
	enum tui_role role, base = selected ? TUI_R_SELECTED : TUI_R_NORMAL;
	const char *news = tui_tell_incident(m, inc->id);	/* new, escalated, ... */
	int x = 0;

	sr_incident_timers(inc, cfg, m->now, &t);
	if (selected) {
		wattrset(w, th->attr[TUI_R_SELECTED]);
		mvwhline(w, y, 0, ' ', wd);
		wattrset(w, A_NORMAL);
	}
	for (int c = 0; c < IC_COUNT; c++) {
		const char *s = "";
		const struct sr_deadline *d = NULL;

		if (width[c] == 0)
			continue;
		role = base;
		switch ((enum icol)c) {
		case IC_ID:
			s = inc->id;
			if (news != NULL && !selected)
				role = TUI_R_FRESH;
			break;
		case IC_SEV:
			s = sr_sev_name(inc->sev);
			role = selected ? base : tui_sev_role(inc->sev);
			break;
		case IC_STATUS:
			s = sr_status_name(inc->status);
			break;
		case IC_LVL:
			snprintf(buf, sizeof(buf), "L%d", t.due_level + 1);
			s = buf;
			if (t.due_level > 0 && !selected)
				role = TUI_R_WARN;
			break;
		case IC_AGE:
			/* with its sign: a clock set back shows a negative age */
			s = sr_age_format(m->now - inc->created_at, dur, sizeof(dur));
			break;
		case IC_RESPOND:
			d = &t.respond;
			break;
		case IC_RESOLVE:
			d = &t.resolve;
			break;
		case IC_UPDATE:
			d = &t.update;
			break;
		case IC_TITLE:
		case IC_COUNT:
			s = inc->title;
			break;
		}
		if (d != NULL) {
			enum tui_role dr;

			s = tui_deadline(d, SR_DL_CELL, buf, sizeof(buf), &dr);
			if (!selected || dr == TUI_R_CRIT)
				role = dr;
			if (dr == TUI_R_CRIT) {
				tui_put(th, w, y, x, 2, role, 0, th->g->breach);
				tui_put(th, w, y, x + 2, width[c] - 3, role, 0, s);
				x += width[c];
				continue;
			}
		}
		if (c == IC_SEV && !selected) {
			tui_put(th, w, y, x, 2, role, 0, s);
		} else if (c == IC_TITLE && news != NULL) {
			/* the reason first, in the highlight: "escalated to L2", "new" */
			int nw = tui_putf(th, w, y, x, width[c], TUI_R_FRESH, "%s", news);

			tui_put(th, w, y, x + nw + 1, width[c] - nw - 1, role, 0, s);
		} else {
			tui_put(th, w, y, x, width[c] - (c == IC_TITLE ? 0 : 1), role, 0, s);
		}
		x += width[c];
	}
}

void
tui_incident_table(const struct tui_theme *th, const struct tui_model *m, WINDOW *w, int y, int h,
		   int wd, const size_t *idx,
		   size_t n, struct tui_list *l, int selected)
{
	int width[IC_COUNT], x = 0, id_w = 0;

	if (h < 1)
		return;
	for (size_t i = 0; i < n; i++) {
		int iw = (int)sr_text_width(m->inc.v[idx[i]].id, strlen(m->inc.v[idx[i]].id)) + 1;

		if (iw > id_w)
			id_w = iw;
	}
	layout(wd, id_w, width);
	for (int c = 0; c < IC_COUNT; c++) {
		if (width[c] == 0)
			continue;
		tui_put(th, w, y, x, c == IC_TITLE ? width[c] : width[c] - 1, TUI_R_DIM, 0,
			icols[c].head);
		x += width[c];
	}
	if (l != NULL)
		tui_list_clamp(l, n, h - 1);
	for (int r = 0; r < h - 1; r++) {
		size_t i = (l ? l->top : 0) + (size_t)r;

		if (i >= n)
			break;
		row(th, m, w, y + 1 + r, wd, width, &m->inc.v[idx[i]],
		    selected && l != NULL && i == l->sel);
	}
}

/* --- lists --- */

void
tui_list_clamp(struct tui_list *l, size_t n, int h)
{
	size_t rows = h > 0 ? (size_t)h : 1;

	if (n == 0) {
		l->sel = l->top = 0;
		return;
	}
	if (l->sel >= n)
		l->sel = n - 1;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + rows)
		l->top = l->sel - rows + 1;
	if (l->top + rows > n)
		l->top = n > rows ? n - rows : 0;
}
