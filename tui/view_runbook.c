/* SPDX-License-Identifier: MIT */
/* view_runbook.c: a rendered runbook: scrolling, contents, find (/ n N), links, history; an index. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "markdown.h"
#include "runbook.h"
#include "text.h"

#define HIST_MAX 16
#define HSTEP 8		/* columns a code block scrolls sideways per h / l */

struct tui_runbook {
	char *path, *anchor;	/* the open runbook; anchor to jump to once laid out */
	struct sr_doc *doc;
	int width;		/* the layout width of doc */
	size_t top;
	size_t hoff;		/* code lines are shown from this column (scrolled sideways) */
	size_t code_over;	/* columns the widest code line needs beyond the layout width */
	int toc;		/* showing the table of contents */
	char *find;
	size_t *matches, n_matches, cur;
	char *hist[HIST_MAX];	/* previous paths */
	size_t n_hist;
	struct sr_search_hits hits;	/* full-text search results */
	char *query;
	int results;		/* showing the results */
	const struct sr_runbook_set *set;	/* the index draw lists (the update op scans) */
};

static struct tui_runbook *
state(struct tui_app *app)
{
	if (app->rb == NULL)
		app->rb = sr_xcalloc(1, sizeof(*app->rb));
	return app->rb;
}

/* The model's runbook set (scanned on first use; a scan error is shown once). */
static const struct sr_runbook_set *
scan(struct tui_app *app)
{
	char *err = NULL;
	const struct sr_runbook_set *set = tui_model_runbooks(&app->model, &err);

	if (err != NULL)
		tui_error(app, err);
	return set;
}
static void
clear_find(struct tui_runbook *rb)
{
	free(rb->matches);
	rb->matches = NULL;
	rb->n_matches = rb->cur = 0;
}

/* Lays the open runbook out at width (again when the width changed). */
static void
layout(struct tui_app *app, struct tui_runbook *rb, int width)
{
	char *err = NULL;

	if (rb->path == NULL || (rb->doc != NULL && rb->width == width))
		return;
	sr_doc_free(rb->doc);
	/* tables keep their width and scroll sideways with the code (never cut) */
	rb->doc = sr_md_load(rb->path, width,
			     SR_MD_WIDE_TABLES | (app->th.utf8 ? 0 : SR_MD_ASCII), &err);
	rb->width = width;
	rb->code_over = 0;
	clear_find(rb);
	if (rb->doc == NULL) {
		tui_error(app, err);
		return;
	}
	/* code lines are never wrapped: how far the widest one reaches past the window */
	for (size_t i = 0; i < rb->doc->n_lines; i++) {
		const struct sr_md_line *line = &rb->doc->lines[i];

		if (line->code && width > 0 && line->width > (uint32_t)width &&
		    line->width - (uint32_t)width > rb->code_over)
			rb->code_over = line->width - (uint32_t)width;
	}
	if (rb->hoff > rb->code_over)
		rb->hoff = rb->code_over;
	if (rb->anchor != NULL) {
		long h = sr_doc_find_anchor(rb->doc, rb->anchor);

		if (h >= 0)
			rb->top = rb->doc->toc[h].line;
		else
			tui_message(app, 1, "no section #%s in this runbook", rb->anchor);
		free(rb->anchor);
		rb->anchor = NULL;
	}
}

/* Opens path (#anchor); with remember the current runbook goes on the history. */
static void
open_path(struct tui_app *app, char *path, char *anchor, int remember)
{
	struct tui_runbook *rb = state(app);

	if (remember && rb->path != NULL) {
		if (rb->n_hist == HIST_MAX) {
			free(rb->hist[0]);
			memmove(rb->hist, rb->hist + 1, (HIST_MAX - 1) * sizeof(char *));
			rb->n_hist--;
		}
		rb->hist[rb->n_hist++] = rb->path;
		rb->path = NULL;
	}
	free(rb->path);
	free(rb->anchor);
	rb->path = path;
	rb->anchor = anchor;
	sr_doc_free(rb->doc);
	rb->doc = NULL;
	rb->top = 0;
	rb->hoff = 0;
	rb->toc = 0;
	free(rb->find);	/* a find belongs to the page it was made on */
	rb->find = NULL;
	if (app->view != TUI_V_RUNBOOK)
		tui_push(app, TUI_V_RUNBOOK);
}

/* --- drawing --- */

static enum tui_role
span_role(unsigned style, int heading)
{
	if (heading)
		return TUI_R_TITLE;
	if (style & (SR_MD_CODE | SR_MD_CODE_BLOCK))
		return TUI_R_CODE;
	if (style & (SR_MD_LINK | SR_MD_LINK_REF))
		return TUI_R_LINK;
	if (style & SR_MD_TASK_DONE)
		return TUI_R_OK;
	if (style & SR_MD_TASK)
		return TUI_R_KEY;
	if (style & (SR_MD_QUOTE | SR_MD_RULE | SR_MD_TABLE_BORDER | SR_MD_HEADING_MARK))
		return TUI_R_BORDER;
	if (style & (SR_MD_LIST_MARKER | SR_MD_TABLE_HEAD | SR_MD_STRONG))
		return TUI_R_KEY;
	return TUI_R_NORMAL;
}

static void
draw_index(struct tui_app *app, struct tui_runbook *rb, WINDOW *w, int h, int wd)
{
	struct tui_list *l = &app->list[TUI_V_RUNBOOK];
	char title[64];

	static const struct sr_runbook_set none;
	const struct sr_runbook_set *set = rb->set != NULL ? rb->set : &none;

	snprintf(title, sizeof(title), "Runbooks: %zu (Enter opens; r on an alert finds its own)",
		 set->n);
	tui_rule(&app->th, w, 0, 0, wd, title);
	if (set->n == 0) {
		tui_put(&app->th, w, 2, 2, wd - 4, TUI_R_DIM, 0,
			"No runbooks found: set [runbooks] dirs in the config.");
		return;
	}
	tui_list_clamp(l, set->n, h - 1);
	for (int r = 0; r < h - 1 && l->top + (size_t)r < set->n; r++) {
		const struct sr_runbook *b = &set->v[l->top + (size_t)r];
		int sel = l->top + (size_t)r == l->sel;

		if (sel) {
			wattrset(w, app->th.attr[TUI_R_SELECTED]);
			mvwhline(w, 1 + r, 0, ' ', wd);
		}
		tui_put(&app->th, w, 1 + r, 1, 26, sel ? TUI_R_SELECTED : TUI_R_KEY, 0, b->name);
		tui_put(&app->th, w, 1 + r, 28, wd - 28, sel ? TUI_R_SELECTED : TUI_R_NORMAL, 0,
			b->title ? b->title : "");
	}
}

static void
draw_toc(struct tui_app *app, struct tui_runbook *rb, WINDOW *w, int h, int wd)
{
	struct tui_list *l = &app->list[TUI_V_RUNBOOK];

	tui_rule(&app->th, w, 0, 0, wd, "Contents (Enter jumps, t closes)");
	tui_list_clamp(l, rb->doc->n_toc, h - 1);
	for (int r = 0; r < h - 1 && l->top + (size_t)r < rb->doc->n_toc; r++) {
		const struct sr_md_heading *hd = &rb->doc->toc[l->top + (size_t)r];
		int sel = l->top + (size_t)r == l->sel, ind = 2 * (hd->level - 1);

		tui_put(&app->th, w, 1 + r, 1 + ind, wd - 2 - ind, sel ? TUI_R_SELECTED : TUI_R_NORMAL, 0,
			hd->text);
	}
}

/* A snippet: matched terms (between SR_HL_START and SR_HL_END) highlighted. */
static void
draw_snippet(struct tui_app *app, WINDOW *w, int y, int x, int wd, const char *s)
{
	int hl = 0;

	while (*s && x < wd) {
		size_t n = strcspn(s, "\002\003");

		if (n > 0)
			x += tui_putn(&app->th, w, y, x, wd - x, hl ? TUI_R_KEY : TUI_R_DIM, s, n);
		s += n;
		if (*s == SR_HL_START || *s == SR_HL_END)
			hl = *s++ == SR_HL_START;
	}
}

static void
draw_results(struct tui_app *app, struct tui_runbook *rb, WINDOW *w, int h, int wd)
{
	struct tui_list *l = &app->list[TUI_V_RUNBOOK];
	char title[160];
	int per = 2;

	snprintf(title, sizeof(title), "Search \"%s\": %zu hit%s (Enter opens, Esc closes)",
		 rb->query ? rb->query : "", rb->hits.n, rb->hits.n == 1 ? "" : "s");
	tui_rule(&app->th, w, 0, 0, wd, title);
	tui_list_clamp(l, rb->hits.n, (h - 1) / per);
	for (int r = 0; r < (h - 1) / per && l->top + (size_t)r < rb->hits.n; r++) {
		const struct sr_search_hit *hit = &rb->hits.v[l->top + (size_t)r];
		int sel = l->top + (size_t)r == l->sel, y = 1 + r * per, x;

		if (sel) {
			wattrset(w, app->th.attr[TUI_R_SELECTED]);
			mvwhline(w, y, 0, ' ', wd);
		}
		x = 1 + tui_put(&app->th, w, y, 1, 24, sel ? TUI_R_SELECTED : TUI_R_KEY, 0, hit->name);
		x += 2;
		tui_put(&app->th, w, y, x, wd - x, sel ? TUI_R_SELECTED : TUI_R_TITLE, 0,
			hit->heading && *hit->heading ? hit->heading : hit->title);
		draw_snippet(app, w, y + 1, 3, wd - 1, hit->snippet ? hit->snippet : "");
	}
}

/*
 * Writes the columns [skip, skip + cols) of s (len bytes of sanitised UTF-8) at (y, x); a wide
 * character across the left edge shows as a space. Returns the columns written.
 */
static size_t
put_cols(struct tui_app *app, WINDOW *w, int y, int x, enum tui_role role, const char *s,
	 size_t len, size_t skip, size_t cols)
{
	size_t got, at = sr_text_cut(s, len, skip, &got), pad = 0, n;

	if (got < skip && at < len) {	/* the wide character across the edge: skip it too */
		at = sr_text_cut(s, len, skip + 1, &got);
		pad = got > skip ? got - skip : 0;
		pad = pad < cols ? pad : cols;
		if (pad > 0)
			tui_put(&app->th, w, y, x, (int)pad, role, 1, "");
	}
	n = sr_text_cut(s + at, len - at, cols - pad, &got);
	return pad + (size_t)tui_putn(&app->th, w, y, x + (int)pad, (int)got, role, s + at, n);
}

/*
 * A code line (never wrapped): its container prefix (quote bars, indents) stays put, its
 * text is shown from column hoff; a cut on either side is marked with the theme's ellipsis.
 * view is the number of columns from x = 2 to the window's edge.
 */
static void
draw_code(struct tui_app *app, WINDOW *w, int y, size_t view, const struct sr_doc *d,
	  const struct sr_md_line *line, size_t hoff, int hit)
{
	size_t pre = line->prefix_width, col = 0, lo, hi;
	int cut_left, cut_right;

	if (pre + 2 > view) {	/* no room to scroll: as laid out, cut at the edge */
		hoff = 0;
		pre = 0;
	}
	cut_left = hoff > 0 && line->width > pre;
	cut_right = line->width > hoff + view;
	/* the line columns of code that show: [lo, hi), at x = 2 + column - hoff */
	lo = pre + hoff + (cut_left ? 1 : 0);
	hi = hoff + view - (cut_right ? 1 : 0);
	for (size_t s = line->first; s < line->first + line->n; s++) {
		const struct sr_md_span *sp = &d->spans[s];
		enum tui_role role = hit ? TUI_R_SELECTED : span_role(sp->style, sp->heading);
		const char *text = d->text + sp->off;
		size_t from = col, to = col + sp->width;

		col = to;
		if (from < pre && from < view)
			put_cols(app, w, y, 2 + (int)from, role, text, sp->len, 0,
				 (to < pre ? to : pre) - from);
		if (to > lo && from < hi) {
			size_t a = from > lo ? from : lo, b = to < hi ? to : hi;

			put_cols(app, w, y, 2 + (int)(a - hoff), role, text, sp->len, a - from,
				 b - a);
		}
	}
	if (cut_left)
		tui_put(&app->th, w, y, 2 + (int)pre, 1, hit ? TUI_R_SELECTED : TUI_R_DIM, 0,
			app->th.g->ellipsis);
	if (cut_right)
		tui_put(&app->th, w, y, 2 + (int)view - 1, 1, hit ? TUI_R_SELECTED : TUI_R_DIM, 0,
			app->th.g->ellipsis);
}

/*
 * Before a paint that follows a change (a key, a view switch, a resize): scans the runbook
 * set for the index and loads and lays out the open runbook at the body's width. Draw only
 * reads what this made.
 */
static void
update(struct tui_app *app)
{
	struct tui_runbook *rb = state(app);

	if (rb->results)
		return;
	if (rb->path == NULL)
		rb->set = scan(app);
	else
		layout(app, rb, getmaxx(app->body) - 2);
}

static void
draw(struct tui_app *app, WINDOW *w, int h, int wd)
{
	struct tui_runbook *rb = state(app);
	const struct sr_doc *d;
	char title[160], side[40] = "";

	if (rb->results) {
		draw_results(app, rb, w, h, wd);
		return;
	}
	if (rb->path == NULL) {
		draw_index(app, rb, w, h, wd);
		return;
	}
	if ((d = rb->doc) == NULL) {	/* laid out by update (at this width) */
		tui_put(&app->th, w, 1, 1, wd - 2, TUI_R_ERROR, 0, "this runbook cannot be shown");
		return;
	}
	if (rb->toc) {
		draw_toc(app, rb, w, h, wd);
		return;
	}
	if (rb->top + (size_t)(h - 1) > d->n_lines)
		rb->top = d->n_lines > (size_t)(h - 1) ? d->n_lines - (size_t)(h - 1) : 0;
	if (rb->code_over > 0)	/* only when some code is wider than the window */
		snprintf(side, sizeof(side), "  code +%zu/%zu (h/l)", rb->hoff, rb->code_over);
	snprintf(title, sizeof(title), "%s  %zu/%zu%s%s%s%s", d->title ? d->title : rb->path,
		 rb->top + 1, d->n_lines, side, rb->find ? "  find: " : "",
		 rb->find ? rb->find : "", rb->find && rb->n_matches == 0 ? " (no match)" : "");
	tui_rule(&app->th, w, 0, 0, wd, title);
	for (int r = 0; r < h - 1 && rb->top + (size_t)r < d->n_lines; r++) {
		size_t ln = rb->top + (size_t)r;
		const struct sr_md_line *line = &d->lines[ln];
		int x = 2, hit = rb->n_matches > 0 && rb->matches[rb->cur] == ln;

		if (hit)
			tui_put(&app->th, w, 1 + r, 0, 1, TUI_R_SELECTED, 0, app->th.g->sel);
		if (line->code && wd > 2) {
			draw_code(app, w, 1 + r, (size_t)(wd - 2), d, line, rb->hoff, hit);
			continue;
		}
		for (size_t s = line->first; s < line->first + line->n && x < wd; s++) {
			const struct sr_md_span *sp = &d->spans[s];
			enum tui_role role = hit ? TUI_R_SELECTED : span_role(sp->style, sp->heading);

			x += tui_putn(&app->th, w, 1 + r, x, wd - x, role, d->text + sp->off, sp->len);
		}
	}
}

/* --- find, links, contents --- */

static int
line_has(const struct sr_doc *d, size_t ln, const char *q)
{
	const struct sr_md_line *line = &d->lines[ln];
	size_t qn = strlen(q);
	struct sr_buf b;
	int found = 0;

	sr_buf_init(&b);
	for (size_t s = line->first; s < line->first + line->n; s++)
		sr_buf_add(&b, d->text + d->spans[s].off, d->spans[s].len);
	for (size_t i = 0; b.data && i + qn <= b.len && !found; i++) {
		size_t k = 0;

		while (k < qn && tolower((unsigned char)b.data[i + k]) ==
					 tolower((unsigned char)q[k]))
			k++;
		found = k == qn;
	}
	sr_buf_done(&b);
	return found;
}

static void
find(struct tui_app *app, struct tui_runbook *rb, const char *q)
{
	free(rb->find);
	rb->find = *q ? sr_xstrdup(q) : NULL;
	clear_find(rb);
	if (rb->find == NULL || rb->doc == NULL)
		return;
	rb->matches = sr_xcalloc(rb->doc->n_lines + 1, sizeof(size_t));
	for (size_t ln = 0; ln < rb->doc->n_lines; ln++)
		if (line_has(rb->doc, ln, q))
			rb->matches[rb->n_matches++] = ln;
	/* first match at or after the top of the screen */
	for (rb->cur = 0; rb->cur < rb->n_matches && rb->matches[rb->cur] < rb->top; rb->cur++)
		;
	if (rb->cur == rb->n_matches)
		rb->cur = 0;
	if (rb->n_matches > 0)
		rb->top = rb->matches[rb->cur] > 2 ? rb->matches[rb->cur] - 2 : 0;
	else
		tui_message(app, 1, "\"%s\" not found", q);
}

/* Full-text search over every runbook (the FTS5 index is brought up to date first). */
static void
search(struct tui_app *app, struct tui_runbook *rb, const char *q)
{
	char *path = sr_runbook_index_default_path(), *err = NULL;
	struct sr_runbook_index *idx = NULL;
	struct sr_index_stats stats;

	sr_search_hits_done(&rb->hits);
	memset(&rb->hits, 0, sizeof(rb->hits));
	free(rb->query);
	rb->query = sr_xstrdup(q);
	if (path == NULL) {
		tui_message(app, 1, "no place for the search index: set XDG_CACHE_HOME or HOME");
		return;
	}
	if ((idx = sr_runbook_index_open(path, &err)) == NULL ||
	    sr_runbook_index_update(idx, scan(app), 0, NULL, NULL, &stats, &err) != 0 ||
	    sr_runbook_search(idx, q, 50, &rb->hits, &err) != 0) {
		tui_error(app, err);
	} else {
		rb->results = 1;
		app->list[TUI_V_RUNBOOK].sel = app->list[TUI_V_RUNBOOK].top = 0;
	}
	sr_runbook_index_close(idx);
	free(path);
}

static enum tui_result
action(struct tui_app *app, enum tui_action a)
{
	struct tui_runbook *rb = state(app);
	struct tui_list *l = &app->list[TUI_V_RUNBOOK];
	int h = getmaxy(app->body) - 1;

	if (a == TUI_A_SEARCH) {
		tui_prompt_text(app, TUI_A_SEARCH, "Search all runbooks: ", rb->query);
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (rb->results) {
		if (a == TUI_A_OPEN && l->sel < rb->hits.n) {
			const struct sr_search_hit *hit = &rb->hits.v[l->sel];

			rb->results = 0;
			open_path(app, sr_xstrdup(hit->path),
				  hit->anchor && *hit->anchor ? sr_xstrdup(hit->anchor) : NULL, 1);
			return TUI_HANDLED | TUI_REDRAW;
		}
		if (a == TUI_A_BACK) {
			rb->results = 0;
			return TUI_HANDLED | TUI_REDRAW;
		}
		return tui_list_move(l, a, rb->hits.n, h / 2);
	}
	if (rb->path == NULL) {	/* the index */
		if (a == TUI_A_OPEN && l->sel < scan(app)->n) {
			open_path(app, sr_xstrdup(scan(app)->v[l->sel].path), NULL, 0);
			return TUI_HANDLED | TUI_REDRAW;
		}
		return tui_list_move(l, a, scan(app)->n, h);
	}
	if (rb->toc && rb->doc != NULL) {
		if (a == TUI_A_OPEN && l->sel < rb->doc->n_toc) {
			rb->top = rb->doc->toc[l->sel].line;
			rb->toc = 0;
			return TUI_HANDLED | TUI_REDRAW;
		}
		if (a == TUI_A_TOC || a == TUI_A_BACK) {
			rb->toc = 0;
			return TUI_HANDLED | TUI_REDRAW;
		}
		return tui_list_move(l, a, rb->doc->n_toc, h);
	}
	switch (a) {
	case TUI_A_UP:		/* the page scrolls; there is no selection */
	case TUI_A_DOWN:
		rb->top = a == TUI_A_DOWN ? rb->top + 1 : rb->top > 0 ? rb->top - 1 : 0;
		break;
	case TUI_A_PAGE_UP:
		rb->top = rb->top > (size_t)h - 1 ? rb->top - (size_t)h + 1 : 0;
		break;
	case TUI_A_PAGE_DOWN:
		rb->top += (size_t)h - 1;
		break;
	case TUI_A_TOP:
		rb->top = 0;
		break;
	case TUI_A_LEFT:
		rb->hoff = rb->hoff > HSTEP ? rb->hoff - HSTEP : 0;
		break;
	case TUI_A_RIGHT:
		if (rb->code_over == 0) {
			tui_message(app, 0, "no code wider than the window");
			break;
		}
		rb->hoff = rb->hoff + HSTEP < rb->code_over ? rb->hoff + HSTEP : rb->code_over;
		break;
	case TUI_A_LEFT_EDGE:
		rb->hoff = 0;
		break;
	case TUI_A_BOTTOM:
		rb->top = rb->doc ? rb->doc->n_lines : 0;
		break;
	case TUI_A_FILTER:
		tui_prompt_text(app, TUI_A_FILTER, "Find: ", rb->find);
		break;
	case TUI_A_FIND_NEXT:
	case TUI_A_FIND_PREV:
		if (rb->n_matches == 0) {
			tui_message(app, 1, rb->find ? "no match" : "nothing to find: / first");
			break;
		}
		rb->cur = a == TUI_A_FIND_NEXT ? (rb->cur + 1) % rb->n_matches :
						 (rb->cur + rb->n_matches - 1) % rb->n_matches;
		rb->top = rb->matches[rb->cur] > 2 ? rb->matches[rb->cur] - 2 : 0;
		break;
	case TUI_A_FOLLOW:
		if (rb->doc == NULL || rb->doc->n_links == 0) {
			tui_message(app, 1, "this runbook has no links");
			break;
		}
		tui_prompt_text(app, TUI_A_FOLLOW, "Follow link number: ", NULL);
		break;
	case TUI_A_TOC:
		if (rb->doc != NULL && rb->doc->n_toc > 0) {
			rb->toc = 1;
			l->sel = l->top = 0;
		}
		break;
	case TUI_A_HISTORY:
		if (rb->n_hist == 0) {
			tui_message(app, 0, "no earlier runbook");
			break;
		}
		open_path(app, rb->hist[--rb->n_hist], NULL, 0);
		break;
	default:
		return TUI_UNHANDLED;
	}
	return TUI_HANDLED | TUI_REDRAW;
}

static enum tui_result
answer(struct tui_app *app, enum tui_action a, const char *text)
{
	struct tui_runbook *rb = state(app);
	char *path = NULL, *anchor = NULL, *err = NULL;

	switch (a) {
	case TUI_A_FILTER:
		find(app, rb, text);
		break;
	case TUI_A_SEARCH:
		if (*text != '\0')
			search(app, rb, text);
		break;
	case TUI_A_FOLLOW: {
		int n = atoi(text);

		if (rb->doc == NULL || n < 1 || (size_t)n > rb->doc->n_links) {
			tui_message(app, 1, "no link [%s]", text);
			break;
		}
		if (sr_runbook_follow(rb->path, rb->doc->links[n - 1].url, &path, &anchor,
				      &err) != 0) {
			tui_error(app, err);
			break;
		}
		if (strcmp(path, rb->path) == 0) {	/* a "#section" in the same runbook */
			long hd = anchor ? sr_doc_find_anchor(rb->doc, anchor) : -1;

			if (hd >= 0)
				rb->top = rb->doc->toc[hd].line;
			free(path);
			free(anchor);
			break;
		}
		open_path(app, path, anchor, 1);
		break;
	}
	case TUI_A_COMMAND:	/* ":runbook NAME" */
		scan(app);
		if (*text == '\0') {
			free(rb->path);
			rb->path = NULL;
			if (app->view != TUI_V_RUNBOOK)
				tui_push(app, TUI_V_RUNBOOK);
			break;
		}
		if (sr_runbook_locate(scan(app), text, &path, &anchor, &err) != 0) {
			tui_error(app, err);
			break;
		}
		open_path(app, path, anchor, 1);
		break;
	default:
		return TUI_UNHANDLED;
	}
	return TUI_HANDLED | TUI_REDRAW;
}

/* Opened from another view on a runbook file: "PATH" or "PATH#ANCHOR". */
static void
open_arg(struct tui_app *app, const char *arg)
{
	const char *hash = strrchr(arg, '#');

	if (hash != NULL && strchr(hash, '/') == NULL)
		open_path(app, sr_xstrndup(arg, (size_t)(hash - arg)), sr_xstrdup(hash + 1), 1);
	else
		open_path(app, sr_xstrdup(arg), NULL, 1);
}

static void
done(struct tui_app *app)
{
	struct tui_runbook *rb = app->rb;

	if (rb == NULL)
		return;
	free(rb->path);
	free(rb->anchor);
	sr_doc_free(rb->doc);
	free(rb->find);
	clear_find(rb);
	sr_search_hits_done(&rb->hits);
	free(rb->query);
	for (size_t i = 0; i < rb->n_hist; i++)
		free(rb->hist[i]);
	free(rb);
	app->rb = NULL;
}

const struct tui_view_ops tui_view_runbook = TUI_VIEW(
	"runbook", 0, "/ find  ]/[ next  t contents  f follow  B previous  S search all",
	.open = open_arg, .update = update, .draw = draw, .action = action, .answer = answer, .done = done);
