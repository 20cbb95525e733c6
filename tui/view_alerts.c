/* SPDX-License-Identifier: MIT */
/* view_alerts.c: alerts grouped by alertname, active apart from silenced/inhibited; filter, actions. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ack.h"
#include "app.h"
#include "tell.h"
#include "matcher.h"

/* The alerts view's own state (its private block). */
struct alerts_state {
	char *filter;		/* filter text (matchers or words), or NULL */
	char *group_label;	/* grouped by this label (NULL: alertname) */
	int sort;		/* sort order */
	size_t sel;		/* index into model.alerts of the selected alert */
	int has_sel;
	struct row *rows;	/* filtered, sorted, grouped: built by update, read by draw */
	size_t n_rows;
	int built;		/* rows match model.alerts_gen == built_gen and the choices above */
	unsigned built_gen;
	int focus;		/* Enter: the selected alert's detail fills the view, j/k scroll it */
	size_t dtop;		/* the detail's first line shown */
	char *rb_fp;		/* the alert rb_line was found for */
	char *rb_line;		/* its runbook and the rule that picked it, or why none */
	int rb_found;
};

/* Lazily allocated, so readers that hold a const app may ask for it too. */
static struct alerts_state *
AS(const struct tui_app *app)
{
	return tui_view_state((struct tui_app *)(uintptr_t)app, TUI_V_ALERTS, sizeof(struct alerts_state));
}

static void
done(struct tui_app *app)
{
	free(AS(app)->filter);
	free(AS(app)->group_label);
	free(AS(app)->rows);
	free(AS(app)->rb_fp);
	free(AS(app)->rb_line);
}

enum section { SEC_ACTIVE, SEC_SILENCED, SEC_INHIBITED, SEC_COUNT };
static const char *const section_name[SEC_COUNT] = { "Active", "Silenced", "Inhibited" };

/* A display row: a section or group heading, or an alert (index into model.alerts). */
struct row {
	int heading;	/* 1 = section, 2 = group */
	enum section sec;
	size_t alert;
	size_t count;	/* alerts under a heading */
};

static enum section
section_of(const struct sr_am_alert *a)
{
	const char *s = sr_am_alert_state(a);

	return strcmp(s, "silenced") == 0 ? SEC_SILENCED :
	       strcmp(s, "inhibited") == 0 ? SEC_INHIBITED : SEC_ACTIVE;
}

static int
contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++) {
		size_t i = 0;

		while (i < n && hay[i] && tolower((unsigned char)hay[i]) ==
						 tolower((unsigned char)needle[i]))
			i++;
		if (i == n)
			return 1;
	}
	return n == 0;
}

/* The filter: amtool matchers when it parses as such and has an operator, else plain text. */
struct filter {
	int on, matchers;
	struct sr_matchers m;
	const char *text;
};

static void
filter_init(struct filter *f, const char *text)
{
	char *err = NULL;

	memset(f, 0, sizeof(*f));
	sr_matchers_init(&f->m);
	if (text == NULL || *text == '\0')
		return;
	f->on = 1;
	f->text = text;
	if (strpbrk(text, "=~") != NULL && sr_matchers_parse(&f->m, text, &err) == 0)
		f->matchers = 1;
	free(err);
}

static int
filter_match(const struct filter *f, const struct sr_am_alert *a)
{
	if (!f->on)
		return 1;
	if (f->matchers)
		return sr_matchers_match(&f->m, a->labels, a->n_labels);
	if (contains_ci(tui_alert_summary(a), f->text))
		return 1;
	for (size_t i = 0; i < a->n_labels; i++)
		if (contains_ci(a->labels[i].value, f->text))
			return 1;
	return 0;
}

/* Sort orders of the alert rows (within each group), cycled with 'o'. */
enum sort { SORT_SEVERITY, SORT_NEWEST, SORT_OLDEST, SORT_SERVICE, SORT_COUNT };
static const char *const sort_name[SORT_COUNT] = { "severity", "newest", "oldest", "service" };

/* The value alerts are grouped by: the chosen label (alertname by default). */
static const char *
group_of(const struct tui_app *app, const struct sr_am_alert *a)
{
	const char *v;

	if (AS(app)->group_label == NULL)
		return tui_alert_name(a);
	v = sr_label_get(a->labels, a->n_labels, AS(app)->group_label);
	return v ? v : "";
}

/* A row to sort; each carries the order so the comparator needs no file-level state. */
struct skey {
	const struct sr_am_alert *a;
	size_t pos, alert;
	enum sort by;
};

static int
by_sort(const void *pa, const void *pb)
{
	const struct skey *x = pa, *y = pb;
	int c = 0;

	switch (x->by) {
	case SORT_NEWEST:
		c = (x->a->starts_at < y->a->starts_at) - (x->a->starts_at > y->a->starts_at);
		break;
	case SORT_OLDEST:
		c = (x->a->starts_at > y->a->starts_at) - (x->a->starts_at < y->a->starts_at);
		break;
	case SORT_SERVICE: {
		const char *sx = sr_label_get(x->a->labels, x->a->n_labels, "service");
		const char *sy = sr_label_get(y->a->labels, y->a->n_labels, "service");

		c = strcmp(sx ? sx : "", sy ? sy : "");
		break;
	}
	case SORT_SEVERITY:
	case SORT_COUNT:
		break;	/* the feed's order: most severe first */
	}
	return c != 0 ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

static void
sort_rows(const struct tui_app *app, const struct sr_am_alerts *al, size_t *order, size_t k)
{
	struct skey *v;

	if (AS(app)->sort == SORT_SEVERITY)
		return;
	v = sr_xcalloc(k + 1, sizeof(*v));
	for (size_t i = 0; i < k; i++) {
		v[i].a = &al->v[order[i]];
		v[i].pos = i;
		v[i].alert = order[i];
		v[i].by = (enum sort)AS(app)->sort;
	}
	qsort(v, k, sizeof(*v), by_sort);
	for (size_t i = 0; i < k; i++)
		order[i] = v[i].alert;
	free(v);
}

struct gkey {
	const char *name;
	size_t pos, rank;
	size_t alert;
};

static int
by_name(const void *pa, const void *pb)
{
	const struct gkey *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);

	return c != 0 ? c : (a->pos > b->pos) - (a->pos < b->pos);
}

static int
by_rank(const void *pa, const void *pb)
{
	const struct gkey *a = pa, *b = pb;

	if (a->rank != b->rank)
		return (a->rank > b->rank) - (a->rank < b->rank);
	return (a->pos > b->pos) - (a->pos < b->pos);
}

/*
 * Groups order[0..k) by alertname, stably: a group sits where its most severe (first) alert
 * is. O(k log k), so 5,000 alerts regroup well inside a keypress.
 */
static void
group(const struct tui_app *app, const struct sr_am_alerts *al, size_t *order, size_t k)
{
	struct gkey *g = sr_xcalloc(k + 1, sizeof(*g));

	for (size_t i = 0; i < k; i++) {
		g[i].name = group_of(app, &al->v[order[i]]);
		g[i].pos = i;
		g[i].alert = order[i];
	}
	qsort(g, k, sizeof(*g), by_name);
	for (size_t i = 0; i < k; i++)
		g[i].rank = i > 0 && strcmp(g[i].name, g[i - 1].name) == 0 ? g[i - 1].rank : g[i].pos;
	qsort(g, k, sizeof(*g), by_rank);
	for (size_t i = 0; i < k; i++)
		order[i] = g[i].alert;
	free(g);
}

/* Builds the rows: per section, groups by alertname (groups in the alerts' severity order). */
static size_t
build(struct tui_app *app, struct row **out)
{
	const struct sr_am_alerts *al = &app->model.alerts;
	struct row *rows = sr_xcalloc(al->n * 2 + SEC_COUNT + 1, sizeof(*rows));
	size_t *order = sr_xcalloc(al->n + 1, sizeof(*order)), n = 0;
	struct filter f;

	filter_init(&f, AS(app)->filter);
	for (int s = 0; s < SEC_COUNT; s++) {
		size_t k = 0, head;

		for (size_t i = 0; i < al->n; i++)
			if (section_of(&al->v[i]) == (enum section)s && filter_match(&f, &al->v[i]))
				order[k++] = i;
		if (k == 0)
			continue;
		sort_rows(app, al, order, k);
		group(app, al, order, k);
		rows[n].heading = 1;
		rows[n].sec = (enum section)s;
		rows[n].count = k;
		n++;
		head = SIZE_MAX;
		for (size_t i = 0; i < k; i++) {
			if (head == SIZE_MAX || strcmp(group_of(app, &al->v[order[i]]),
						       group_of(app, &al->v[rows[head].alert])) != 0) {
				head = n;
				rows[n].heading = 2;
				rows[n].sec = (enum section)s;
				rows[n].alert = order[i];
				n++;
			}
			rows[head].count++;
			rows[n].sec = (enum section)s;
			rows[n].alert = order[i];
			n++;
		}
	}
	sr_matchers_done(&f.m);
	free(order);
	*out = rows;
	return n;
}

/* The selected alert, or NULL; moves the selection off headings. */
static const struct sr_am_alert *
selected(struct tui_app *app, const struct row *rows, size_t n)
{
	struct tui_list *l = &app->list[TUI_V_ALERTS];

	if (n == 0)
		return NULL;
	if (l->sel >= n)
		l->sel = n - 1;
	while (l->sel + 1 < n && rows[l->sel].heading)
		l->sel++;
	while (l->sel > 0 && rows[l->sel].heading)
		l->sel--;
	return rows[l->sel].heading ? NULL : &app->model.alerts.v[rows[l->sel].alert];
}

/* One line of an alert's detail: a dim name column and its value. */
struct dline {
	const char *name, *value;
	enum tui_role role;
	int spark;		/* the value is the series' sparkline */
};

/*
 * The detail of alert a as lines, one per fact: state, runbook (and the rule that picked it),
 * each label, each annotation, its expression's last hour (or why there is none), where it
 * comes from. Returns the count; *buf holds the composed strings (free it).
 */
static size_t
detail_lines(struct tui_app *app, const struct sr_am_alert *a, struct dline **out, char **buf)
{
	const struct sr_incident *inc = tui_alert_incident(&app->model, a);
	const struct tui_series *se = &app->model.series;	/* asked for by update */
	int mine = se->fingerprint != NULL && a->fingerprint != NULL &&
		   strcmp(se->fingerprint, a->fingerprint) == 0;
	size_t n = 0, cap = a->n_labels + a->n_annotations + 8;
	struct dline *v = sr_xcalloc(cap, sizeof(*v));
	struct sr_buf b;
	size_t at[6];
	const struct tui_history *hi = &app->model.history;
	char dur[24];
	struct sr_ack ack;
	int acked = tui_silences_ack_of(app, a, &ack);

	/* strings go into one buffer: offsets while it grows, pointers once it is done */
	sr_buf_init(&b);
	at[0] = b.len;
	sr_buf_printf(&b, "%s, since %s ago%s%s", sr_am_alert_state(a),
		      a->starts_at ? sr_duration_format(app->model.now - a->starts_at, dur, 24) : "?",
		      inc ? ", incident " : "", inc ? inc->id : "");
	sr_buf_addc(&b, '\0');
	at[1] = b.len;
	sr_buf_adds(&b, AS(app)->rb_line ? AS(app)->rb_line : "");
	sr_buf_addc(&b, '\0');
	at[2] = b.len;
	for (size_t i = 0; i < a->n_instances; i++)
		sr_buf_printf(&b, "%s%s", i ? ", " : "", a->instances[i]);
	sr_buf_addc(&b, '\0');
	at[3] = b.len;
	if (!mine || se->state == TUI_SERIES_PENDING)
		sr_buf_adds(&b, "loading...");
	else if (se->state == TUI_SERIES_OK && se->n > 0)
		sr_buf_adds(&b, "");
	else
		sr_buf_adds(&b, se->err ? se->err : "no data for the expression in the last hour");
	sr_buf_addc(&b, '\0');
	at[4] = b.len;
	if (acked) {
		char *t = sr_ack_text(&ack);

		sr_buf_printf(&b, "%s, ends in %s", t,
			      sr_duration_format(ack.silence->ends_at - app->model.now, dur, 24));
		free(t);
		sr_ack_done(&ack);
	}
	sr_buf_addc(&b, '\0');
	/* when it fired, 24 hours in 30-minute cells, oldest first (asked for by update) */
	at[5] = b.len;
	if (hi->alertname == NULL || strcmp(hi->alertname, tui_alert_name(a)) != 0 ||
	    hi->state == TUI_SERIES_PENDING) {
		sr_buf_adds(&b, "loading...");
	} else if (hi->state == TUI_SERIES_ERR) {
		sr_buf_adds(&b, hi->err);
	} else {
		char *strip = sr_alert_history_strip(&hi->h, app->th.utf8 ? "\xe2\x96\x88" : "#",
						     app->th.utf8 ? "\xc2\xb7" : ".");

		sr_buf_printf(&b, "|%s| ", strip);
		if (hi->h.episodes == 0)
			sr_buf_adds(&b, "did not fire");
		else
			sr_buf_printf(&b, "fired %zu time%s, %s in all", hi->h.episodes,
				      hi->h.episodes == 1 ? "" : "s",
				      sr_duration_format(hi->h.firing_seconds, dur, 24));
		free(strip);
	}
	sr_buf_addc(&b, '\0');
	*buf = sr_buf_steal(&b);

	v[n++] = (struct dline){ "state", *buf + at[0], TUI_R_NORMAL, 0 };
	if (acked)	/* apart from the silences listed below the facts */
		v[n++] = (struct dline){ "acknowledged", *buf + at[4], TUI_R_OK, 0 };
	/* which Alertmanagers reported it: near the top, never scrolled out of a short pane */
	if (a->n_instances > 0)
		v[n++] = (struct dline){ "from", *buf + at[2], TUI_R_DIM, 0 };
	v[n++] = (struct dline){ "runbook", *buf + at[1],
				 AS(app)->rb_found ? TUI_R_LINK : TUI_R_DIM, 0 };
	v[n++] = (struct dline){ "last hour", *buf + at[3], TUI_R_DIM,
				 mine && se->state == TUI_SERIES_OK && se->n > 0 };
	if (mine && se->expr != NULL)
		v[n++] = (struct dline){ "expression", se->expr, TUI_R_CODE, 0 };
	v[n++] = (struct dline){ "last 24h", *buf + at[5],
				 hi->state == TUI_SERIES_OK ? TUI_R_WARN : TUI_R_DIM, 0 };
	for (size_t i = 0; i < a->n_labels; i++)
		v[n++] = (struct dline){ a->labels[i].name, a->labels[i].value, TUI_R_NORMAL, 0 };
	for (size_t i = 0; i < a->n_annotations; i++)
		v[n++] = (struct dline){ a->annotations[i].name, a->annotations[i].value,
					 TUI_R_NORMAL, 0 };
	*out = v;
	return n;
}

/*
 * The selected alert's detail in rows y..y+h: one line per fact, nothing drawn over another;
 * from line top on (Enter gives it the whole view, where j/k scroll it).
 */
static void
draw_detail(struct tui_app *app, WINDOW *w, int y, int h, int wd, const struct sr_am_alert *a,
	    size_t *top)
{
	struct dline *v;
	char *buf, title[160];
	size_t n = detail_lines(app, a, &v, &buf);
	int rows = h - 1;

	if (rows < 1)
		rows = 1;
	if (*top + (size_t)rows > n)
		*top = n > (size_t)rows ? n - (size_t)rows : 0;
	if (n > (size_t)rows)
		snprintf(title, sizeof(title), "%s  (%zu-%zu of %zu lines, %s)", tui_alert_name(a),
			 *top + 1, *top + (size_t)rows, n,
			 AS(app)->focus ? "j/k scroll, q list" : "Enter: all of it");
	else
		snprintf(title, sizeof(title), "%s", tui_alert_name(a));
	tui_rule(&app->th, w, y, 0, wd, title);
	for (int r = 0; r < rows && *top + (size_t)r < n; r++) {
		const struct dline *d = &v[*top + (size_t)r];
		int yy = y + 1 + r;

		tui_put(&app->th, w, yy, 0, 16, TUI_R_DIM, 0, d->name);
		if (d->spark)
			tui_spark(&app->th, w, yy, 17, wd - 18 < 60 ? wd - 18 : 60,
				  app->model.series.v, app->model.series.n, TUI_R_SPARK);
		else
			tui_put(&app->th, w, yy, 17, wd - 17, d->role, 0, d->value);
	}
	{
		/* below the last line shown: the silences that cover it (id, author, ends in) */
		size_t shown = n > *top ? n - *top : 0;
		int used = shown < (size_t)rows ? (int)shown : rows;

		if (used + 1 < rows)
			tui_silences_draw_for_alert(app, w, y + 1 + used, rows - used, wd, a);
	}
	free(v);
	free(buf);
}

/* Filter, sort and group when the alerts or the user's choice changed; ask for the series. */
static void
update(struct tui_app *app)
{
	struct alerts_state *s = AS(app);
	const struct sr_am_alert *sel;

	if (!s->built || s->built_gen != app->model.alerts_gen) {
		free(s->rows);
		s->n_rows = build(app, &s->rows);
		s->built = 1;
		s->built_gen = app->model.alerts_gen;
	}
	sel = selected(app, s->rows, s->n_rows);
	tui_silences_want(app);	/* who silenced what, for the detail */
	if (sel == NULL) {
		s->focus = 0;
		return;
	}
	tui_model_alert_series(&app->model, sel);	/* no-op when already asked */
	tui_model_alert_history(&app->model, sel);	/* the same: asked here, drawn from a copy */
	if (s->rb_fp == NULL || strcmp(s->rb_fp, sel->fingerprint ? sel->fingerprint : "") != 0) {
		/* which runbook, and which rule picked it: found here, drawn from here */
		struct sr_runbook_match m;
		char *name = NULL;

		free(s->rb_line);
		s->rb_found = tui_model_runbook_for_alert(&app->model, sel, &m, &name) == 1;
		if (s->rb_found)
			s->rb_line = sr_xasprintf("%s (%s: %s)", name, sr_rb_rule_name(m.rule),
						  m.why ? m.why : "");
		else
			s->rb_line = sr_xasprintf("none: %s%s%s", m.why ? m.why : "",
						  m.closest && *m.closest ? "; closest: " : "",
						  m.closest ? m.closest : "");
		free(name);
		sr_runbook_match_done(&m);
		sr_set_str(&s->rb_fp, sel->fingerprint ? sel->fingerprint : "");
		s->dtop = 0;
	}
}

static void
draw(struct tui_app *app, WINDOW *w, int h, int wd)
{
	const struct row *rows = AS(app)->rows;
	size_t n = AS(app)->n_rows;
	const struct sr_am_alert *sel = selected(app, rows, n);
	struct tui_list *l = &app->list[TUI_V_ALERTS];
	int list_h = h, detail_h = 0;
	char title[160], why[512];

	if (sel != NULL && AS(app)->focus) {
		draw_detail(app, w, 0, h, wd, sel, &AS(app)->dtop);
		return;
	}
	if (sel != NULL && h >= 18) {
		detail_h = h / 3 > 10 ? 10 : h / 3;
		list_h = h - detail_h;
	}
	snprintf(title, sizeof(title), "Alerts: %zu, by %s, sorted by %s%s%s", app->model.alerts.n,
		 AS(app)->group_label ? AS(app)->group_label : "alertname", sort_name[AS(app)->sort],
		 AS(app)->filter ? ", filter " : "", AS(app)->filter ? AS(app)->filter : "");
	tui_rule(&app->th, w, 0, 0, wd, title);
	tui_list_clamp(l, n, list_h - 1);
	for (int r = 0; r < list_h - 1 && l->top + (size_t)r < n; r++) {
		const struct row *rw = &rows[l->top + (size_t)r];
		const struct sr_am_alert *a = &app->model.alerts.v[rw->alert];
		int y = 1 + r, x;
		char dur[24];

		if (rw->heading == 1) {
			tui_putf(&app->th, w, y, 0, wd, TUI_R_TITLE, "%s (%zu)", section_name[rw->sec],
				 rw->count);
			continue;
		}
		if (rw->heading == 2) {
			tui_putf(&app->th, w, y, 1, wd - 1, TUI_R_KEY, "%s%s%s (%zu)",
				 AS(app)->group_label ? AS(app)->group_label : "",
				 AS(app)->group_label ? "=" : "", group_of(app, a), rw->count);
			continue;
		}
		if (l->top + (size_t)r == l->sel) {
			wattrset(w, app->th.attr[TUI_R_SELECTED]);
			mvwhline(w, y, 0, ' ', wd);
		}
		/* news (tell.c): "+" new, "~" changed, "-" resolved, while highlighted */
		if (tui_tell_alert(&app->model, a) != NULL) {
			const char *nw = tui_tell_alert(&app->model, a);

			tui_put(&app->th, w, y, 0, 2, TUI_R_FRESH, 0,
				nw[0] == 'n' ? "+ " : nw[0] == 'r' ? "- " : "~ ");
		}
		x = 3;
		x += tui_put(&app->th, w, y, x, 9,
			     l->top + (size_t)r == l->sel ? TUI_R_SELECTED :
							     tui_sev_role(tui_alert_sev(&app->model, a)),
			     1, tui_alert_severity(a)) + 1;
		{
			const char *svc = sr_label_get(a->labels, a->n_labels, "service");
			const char *inst = sr_label_get(a->labels, a->n_labels, "instance");
			enum tui_role base = l->top + (size_t)r == l->sel ? TUI_R_SELECTED :
									    TUI_R_NORMAL;

			x += tui_put(&app->th, w, y, x, 20, base, 1, svc ? svc : inst ? inst : "") + 1;
			struct sr_ack ack;

			x += tui_put(&app->th, w, y, x, 7, base, 1,
				     a->starts_at ?
					     sr_duration_format(app->model.now - a->starts_at,
								dur, 24) : "-") + 1;
			/* an acknowledgement apart from other silences: "acked by alice (INC-...)" */
			if (tui_silences_ack_of(app, a, &ack)) {
				char *t = sr_ack_text(&ack);

				x += tui_put(&app->th, w, y, x, wd - x,
					     base == TUI_R_SELECTED ? base : TUI_R_OK, 0, t) + 1;
				free(t);
				sr_ack_done(&ack);
			}
			tui_put(&app->th, w, y, x, wd - x, base, 0, tui_alert_summary(a));
		}
	}
	if (n == 0 && !AS(app)->filter && tui_model_alerts_unknown(&app->model, why, sizeof(why)))
		tui_put(&app->th, w, 2, 2, wd - 4, TUI_R_ERROR, 0, why);	/* not "No alerts" */
	else if (n == 0)
		tui_put(&app->th, w, 2, 2, wd - 4, TUI_R_DIM, 0,
			AS(app)->filter ? "No alert matches the filter (/ to change it)." :
			app->model.src[1].configured ?
				"No alerts." :
				"No Alertmanager configured ([alertmanager] in the config).");
	if (detail_h > 0) {
		size_t top = 0;

		draw_detail(app, w, list_h, detail_h, wd, sel, &top);
	}
}

/* --- actions --- */

static enum tui_result
silence_form(struct tui_app *app, const struct sr_am_alert *a)
{
	struct sr_matchers m;
	struct sr_buf b;
	static const char *const keep[] = { "alertname", "service", "instance" };

	if (tui_refuse_readonly(app))
		return TUI_HANDLED | TUI_REDRAW;
	sr_buf_init(&b);
	sr_buf_adds(&b, "");
	if (a != NULL) {
		/* prefilled with the labels that name the alert (all of them is rarely wanted) */
		sr_matchers_init(&m);
		sr_am_matchers_from_labels(&m, a->labels, a->n_labels);
		for (size_t i = 0, k = 0; i < m.n; i++) {
			for (size_t j = 0; j < SR_ARRAY_LEN(keep); j++) {
				if (strcmp(m.v[i].name, keep[j]) != 0)
					continue;
				if (k++)
					sr_buf_addc(&b, ',');
				sr_matcher_format(&b, &m.v[i]);
			}
		}
		sr_matchers_done(&m);
	}
	tui_prompt_text(app, TUI_A_SILENCE, "Silence 2h ", b.data);
	sr_buf_done(&b);
	return TUI_HANDLED | TUI_REDRAW;
}

/*
 * Acknowledges sel as karma does (issue 16): a silence on its exact labels for [feeds]
 * ack_for, commented "ACK! INC-... by USER" with the incident that tracks it, if any.
 */
static void
ack_alert(struct tui_app *app, const struct sr_am_alert *sel)
{
	const struct sr_config *cfg = app->model.cfg;
	const struct sr_incident *inc = tui_alert_incident(&app->model, sel);
	struct sr_matchers m;
	char *comment, *err = NULL;

	sr_matchers_init(&m);
	sr_am_matchers_from_labels(&m, sel->labels, sel->n_labels);
	comment = sr_ack_comment(cfg->ack_comment, inc != NULL ? inc->id : NULL, cfg->user);
	if (tui_model_silence(&app->model, &m, cfg->ack_for, comment, &err) != 0)
		tui_error(app, err);
	else
		tui_message(app, 0, "acknowledging %s...", tui_alert_name(sel));
	free(comment);
	sr_matchers_done(&m);
}

enum tui_result
tui_alert_action(struct tui_app *app, const struct sr_am_alert *sel, enum tui_action a)
{
	const struct sr_incident *inc;
	char id[SR_ID_MAX], *err = NULL;

	if (a == TUI_A_SILENCE)
		return silence_form(app, sel);
	if (a != TUI_A_NEW_INCIDENT && a != TUI_A_OPEN)
		return TUI_UNHANDLED;
	if (sel == NULL)
		return TUI_HANDLED | TUI_REDRAW;
	if ((inc = tui_alert_incident(&app->model, sel)) != NULL && sr_incident_is_open(inc)) {
		/* already worked on: go there instead of opening a duplicate */
		tui_open_incident(app, inc->id);
		if (a == TUI_A_NEW_INCIDENT)
			tui_message(app, 0, "%s already tracks this alert", inc->id);
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (a == TUI_A_OPEN) {
		tui_message(app, 0, "no incident for this alert: i opens one");
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (tui_refuse_readonly(app))
		return TUI_HANDLED | TUI_REDRAW;
	if (tui_model_incident_from_alert(&app->model, sel, id, &err) != 0) {
		tui_error(app, err);
		return TUI_HANDLED | TUI_REDRAW;
	}
	/*
	 * The work moves to the incident: it opens over the incidents list, so q lands there
	 * (not back in the alerts, where the next keys typed would act on alerts).
	 */
	tui_switch(app, TUI_V_INCIDENTS);
	tui_open_incident(app, id);
	tui_message(app, 0, "%s opened from %s: a acknowledges, r opens the runbook", id,
		    tui_alert_name(sel));
	return TUI_HANDLED | TUI_REDRAW;
}

static enum tui_result
action(struct tui_app *app, enum tui_action a)
{
	const struct row *rows = AS(app)->rows;	/* as the user saw them */
	size_t n = AS(app)->n_rows;
	const struct sr_am_alert *sel = selected(app, rows, n);
	struct tui_list *l = &app->list[TUI_V_ALERTS];
	enum tui_result r = TUI_HANDLED | TUI_REDRAW;

	if (AS(app)->focus && sel != NULL) {
		/* the detail: j/k scroll it, q goes back to the list; the alert's actions work */
		int page = getmaxy(app->body) - 2;

		switch (a) {
		case TUI_A_DOWN: AS(app)->dtop++; return r;
		case TUI_A_UP: if (AS(app)->dtop > 0) AS(app)->dtop--; return r;
		case TUI_A_PAGE_DOWN: AS(app)->dtop += (size_t)page; return r;
		case TUI_A_PAGE_UP:
			AS(app)->dtop = AS(app)->dtop > (size_t)page ? AS(app)->dtop - (size_t)page : 0;
			return r;
		case TUI_A_TOP: AS(app)->dtop = 0; return r;
		case TUI_A_BOTTOM: AS(app)->dtop = SIZE_MAX / 2; return r;	/* clamped when drawn */
		case TUI_A_BACK: AS(app)->focus = 0; return r;
		case TUI_A_OPEN: {
			const struct sr_incident *inc = tui_alert_incident(&app->model, sel);

			if (inc != NULL && sr_incident_is_open(inc))
				tui_open_incident(app, inc->id);
			return r;
		}
		default:
			break;
		}
	} else if (a == TUI_A_OPEN && sel != NULL) {
		const struct sr_incident *inc = tui_alert_incident(&app->model, sel);

		if (inc == NULL || !sr_incident_is_open(inc)) {
			/* no incident to go to: the alert's whole detail, scrollable */
			AS(app)->focus = 1;
			AS(app)->dtop = 0;
			return r;
		}
	}

	switch (a) {
	case TUI_A_UP: case TUI_A_PAGE_UP: case TUI_A_TOP:
		tui_list_move(l, a, n, getmaxy(app->body) / 2);
		while (l->sel > 0 && rows[l->sel].heading)
			l->sel--;
		break;
	case TUI_A_DOWN: case TUI_A_PAGE_DOWN: case TUI_A_BOTTOM:
		tui_list_move(l, a, n, getmaxy(app->body) / 2);
		while (l->sel + 1 < n && rows[l->sel].heading)
			l->sel++;
		break;
	case TUI_A_FILTER:
	case TUI_A_GROUP:	/* both edit a text the view keeps */
		tui_prompt_text(app, a,
				a == TUI_A_FILTER ?
					"Filter (matchers like service=\"x\", or text): " :
					"Group by label (empty: alertname): ",
				a == TUI_A_FILTER ? AS(app)->filter : AS(app)->group_label);
		break;
	case TUI_A_NEW_INCIDENT:
	case TUI_A_OPEN:
	case TUI_A_SILENCE:
		r = tui_alert_action(app, sel, a);
		break;
	case TUI_A_ACK_ALERT:
		if (sel != NULL && !tui_refuse_readonly(app))
			ack_alert(app, sel);
		break;
	case TUI_A_SORT:
		AS(app)->sort = (AS(app)->sort + 1) % SORT_COUNT;
		AS(app)->built = 0;
		tui_message(app, 0, "alerts sorted by %s within each group",
			    sort_name[AS(app)->sort]);
		break;
	case TUI_A_RUNBOOK:
		if (sel != NULL)
			tui_runbook_for_alert(app, sel);
		break;
	default:
		r = TUI_UNHANDLED;
		break;
	}
	return r;
}

static enum tui_result
answer(struct tui_app *app, enum tui_action a, const char *text)
{
	struct sr_matchers m;
	char *err = NULL, *comment = NULL;
	size_t hits = 0;
	int64_t secs;

	if (a == TUI_A_GROUP) {
		free(AS(app)->group_label);
		AS(app)->group_label = *text && strcmp(text, "alertname") != 0 ? sr_xstrdup(text) : NULL;
		AS(app)->built = 0;
		app->list[TUI_V_ALERTS].sel = app->list[TUI_V_ALERTS].top = 0;
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (a == TUI_A_FILTER) {
		free(AS(app)->filter);
		AS(app)->filter = *text ? sr_xstrdup(text) : NULL;
		AS(app)->built = 0;
		app->list[TUI_V_ALERTS].sel = app->list[TUI_V_ALERTS].top = 0;
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (a != TUI_A_SILENCE)
		return TUI_UNHANDLED;
	sr_matchers_init(&m);
	/* MATCHERS [for DURATION] [-- COMMENT] (view_silences.c) */
	if (tui_silence_spec(text, &m, &secs, &comment, &err) != 0) {
		sr_matchers_done(&m);
		tui_error(app, err);
		return TUI_HANDLED | TUI_REDRAW;
	}
	for (size_t i = 0; i < app->model.alerts.n; i++)
		hits += (size_t)sr_matchers_match(&m, app->model.alerts.v[i].labels,
						  app->model.alerts.v[i].n_labels);
	if (tui_model_silence(&app->model, &m, secs,
			      comment ? comment : "silenced from the sitrep console", &err) != 0)
		tui_error(app, err);
	else
		tui_message(app, 0, "silence sent for %zu matching alert(s)...", hits);
	sr_matchers_done(&m);
	free(comment);
	return TUI_HANDLED | TUI_REDRAW;
}

/* The whole detail goes back to the list first. */
static const char *
back(struct tui_app *app)
{
	return AS(app)->focus ? "the alert list" : NULL;
}

const struct tui_view_ops tui_view_alerts = TUI_VIEW(
	"alerts", 1, "i incident  z silence  A ack  r runbook  / filter  O sort  b group", .draw = draw,
	.action = action, .answer = answer, .update = update, .done = done, .back = back);
