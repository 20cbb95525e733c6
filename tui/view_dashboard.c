/* SPDX-License-Identifier: MIT */
/* view_dashboard.c: the default view: panels, open incidents with live timers, firing alerts. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "tell.h"

#define PANEL_MIN_WIDTH 18
#define PANEL_ROWS_MAX 2	/* rows of compact panels before "+N panels" */
#define DB_ROWS_MAX 2		/* rows of databases before "+N databases" */

/* The dashboard's own state: which of its two lists has the selection, the alert list's place. */
struct dash {
	int on_alerts;		/* Tab: the alert list has the selection */
	struct tui_list al;	/* its place among the active alerts */
};

static struct dash *
DS(struct tui_app *app)
{
	return tui_view_state(app, TUI_V_DASHBOARD, sizeof(struct dash));
}

/* One panel in a cell of cw columns: name and value (and threshold) on row y, sparkline below. */
static void
draw_panel(struct tui_app *app, WINDOW *w, int y, int x, int cw, const struct tui_panel *p,
	   int compact)
{
	enum tui_role r = tui_panel_role(p);
	char val[32], thr[48] = "";
	int vx = x;

	if (compact) {
		/* "name value": the name gives way to the value */
		int vw;

		sr_format_unit(p->last, p->def->unit, val, sizeof(val));
		vw = p->has_last ? (int)strlen(val) + 1 : 0;
		vx += tui_put(&app->th, w, y, x, cw - vw > 4 ? cw - vw : 4, TUI_R_DIM, 0, p->def->name) + 1;
	} else {
		tui_put(&app->th, w, y, x, cw, TUI_R_DIM, 0, p->def->name);
		y++;
	}
	if (!p->has_last) {
		/* the reason on one line, where the value would be */
		tui_put(&app->th, w, compact ? y + 1 : y, x, cw, TUI_R_STALE, 0,
			p->err ? p->err : "no data");
		return;
	}
	sr_format_unit(p->last, p->def->unit, val, sizeof(val));
	if (p->def->has_crit)
		sr_format_unit(p->def->crit, p->def->unit, thr, sizeof(thr));
	else if (p->def->has_warn)
		sr_format_unit(p->def->warn, p->def->unit, thr, sizeof(thr));
	vx += tui_put(&app->th, w, y, vx, x + cw - vx, r, 0, val);
	if (!compact && thr[0] && vx + 4 < x + cw)
		tui_putf(&app->th, w, y, vx + 1, x + cw - vx - 1, TUI_R_DIM, "%s %s",
			 p->def->has_crit ? "crit" : "warn", thr);
	if (p->err != NULL)	/* the value is the last good one: why there is no newer */
		tui_put(&app->th, w, y + 1, x, cw, TUI_R_STALE, 0, p->err);
	else
		tui_spark(&app->th, w, y + 1, x, cw, p->v, p->n, r == TUI_R_OK ? TUI_R_SPARK : r);
}

/*
 * The panels: one row of three-line panels when they fit, else rows of compact two-line ones;
 * when even PANEL_ROWS_MAX rows cannot hold them all, the last cell says "+N panels" and 5
 * shows every one. Returns the first free row.
 */
static int
draw_panels(struct tui_app *app, WINDOW *w, int y, int wd)
{
	const struct tui_model *m = &app->model;
	size_t fit = (size_t)(wd / PANEL_MIN_WIDTH), n = m->n_panels, cells, shown;
	int pw, compact, rows;

	if (n == 0 || fit == 0)
		return y;
	compact = n > fit;
	rows = compact ? (int)((n + fit - 1) / fit) : 1;
	if (rows > PANEL_ROWS_MAX)
		rows = PANEL_ROWS_MAX;
	cells = compact ? fit * (size_t)rows : n;
	shown = n <= cells ? n : cells - 1;	/* the last cell is the marker */
	pw = wd / (int)(compact ? fit : n);
	for (size_t i = 0; i < shown; i++) {
		int row = (int)(i / (compact ? fit : n)), col = (int)(i % (compact ? fit : n));

		draw_panel(app, w, y + row * (compact ? 2 : 3), col * pw, pw - 2, &m->panels[i],
			   compact);
	}
	if (shown < n) {
		int row = rows - 1, col = (int)fit - 1;

		tui_putf(&app->th, w, y + row * 2, col * pw, pw - 1, TUI_R_WARN, "+%zu panels",
			 n - shown);
		tui_put(&app->th, w, y + row * 2 + 1, col * pw, pw - 1, TUI_R_DIM, 0, "5 shows all");
	}
	return y + rows * (compact ? 2 : 3);
}

/* --- database health: one line per watched database, worst first --- */

/* How bad database i is: 3 unreachable, 2 a threshold breached, 1 not checked yet, 0 ok. */
static int
db_badness(const struct tui_model *m, size_t i)
{
	const char *err;
	int64_t at;
	const struct sr_db_report *r = sr_dbwatch_report(m->db[i], &err, &at);

	return err != NULL ? 3 : r == NULL ? 1 : r->breached ? 2 : 0;
}

/*
 * Why a check failed, in few words for one line: the name and connection string are known
 * here (":db" shows the whole message), so what libpq says after its last "failed: "
 * ("Connection refused ..."), else what follows "(connection string): ".
 */
static const char *
db_why(const char *err)
{
	const char *p = err, *q;

	while ((q = strstr(p, "failed: ")) != NULL)
		p = q + 8;
	if (p == err && (q = strstr(err, "): ")) != NULL)
		p = q + 3;
	return p;
}

static void
draw_db_line(struct tui_app *app, WINDOW *w, int y, int wd, size_t i)
{
	const struct tui_model *m = &app->model;
	const struct sr_pgwatch *pw = &m->cfg->pg[i];
	const char *err;
	int64_t at;
	const struct sr_db_report *r = sr_dbwatch_report(m->db[i], &err, &at);
	int x = 2;

	x += tui_put(&app->th, w, y, x, 14, TUI_R_NORMAL, 0, pw->name) + 1;
	if (err != NULL) {
		x += tui_put(&app->th, w, y, x, wd - x, TUI_R_ERROR, 0, "unreachable: ");
		tui_put(&app->th, w, y, x, wd - x, TUI_R_ERROR, 0, db_why(err));
	} else if (r == NULL) {
		tui_put(&app->th, w, y, x, wd - x, TUI_R_DIM, 0, "checking...");
	} else if (r->breached) {
		const struct sr_db_finding *f = NULL;
		size_t more = 0;
		char rb[96];
		int rw;

		for (size_t k = 0; k < r->n_findings; k++) {
			if (!r->findings[k].breached)
				continue;
			if (f == NULL)
				f = &r->findings[k];
			else
				more++;
		}
		if (f == NULL)	/* breached says one is */
			return;
		/* the runbook keeps its place at the right end; the finding gives way */
		snprintf(rb, sizeof(rb), "runbook: %s", pw->runbook);
		rw = (int)strlen(rb);
		if (more > 0)
			x += tui_putf(&app->th, w, y, x, wd - x, TUI_R_CRIT, "+%zu ", more);
		tui_put(&app->th, w, y, x, wd - x - rw - 2 > 8 ? wd - x - rw - 2 : 8, TUI_R_CRIT, 0,
			f->text);
		if (wd - rw - 1 > x + 8)
			tui_put(&app->th, w, y, wd - rw - 1, rw, TUI_R_LINK, 0, rb);
	} else {
		tui_putf(&app->th, w, y, x, wd - x, TUI_R_OK, "ok  %d of %d connections, %zu "
			 "waiting on locks", r->connections, r->max_connections, r->waits.n);
	}
}

/*
 * The watched databases ([postgres NAME]) in at most room rows: a rule saying how many are
 * in trouble, then one line each, worst first (unreachable, breached with its runbook, not
 * checked yet, ok); those that do not fit are counted on the last line ("+N databases", :db
 * shows all). Reads only the model's last reports: the checks run in the loop. Returns the
 * rows used.
 */
static int
draw_databases(struct tui_app *app, WINDOW *w, int y, int room, int wd)
{
	const struct tui_model *m = &app->model;
	size_t order[TUI_DB_MAX], n = m->n_db, bad = 0, down = 0, lines, shown;
	char title[96];

	if (n == 0 || room < 2)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int b = db_badness(m, i);
		size_t j = i;

		bad += b == 2;
		down += b == 3;
		/* insertion by badness, stable: config order among equals */
		for (; j > 0 && db_badness(m, order[j - 1]) < b; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	lines = (size_t)(room - 1) < DB_ROWS_MAX ? (size_t)(room - 1) : DB_ROWS_MAX;
	shown = n <= lines ? n : lines - 1;
	if (bad + down == 0)
		snprintf(title, sizeof(title), "Databases: %zu", n);
	else
		snprintf(title, sizeof(title), "Databases: %zu breached, %zu unreachable (:db)", bad,
			 down);
	tui_rule(&app->th, w, y, 0, wd, title);
	for (size_t k = 0; k < shown; k++)
		draw_db_line(app, w, y + 1 + (int)k, wd, order[k]);
	if (shown < n)
		tui_putf(&app->th, w, y + 1 + (int)shown, 2, wd - 2, TUI_R_WARN,
			 "+%zu databases (:db shows all)", n - shown);
	return 1 + (int)(shown < n ? shown + 1 : shown);
}

/*
 * The active (not silenced or inhibited) alerts but the watchdog, in the model's order:
 * indexes into alerts.
 */
static size_t
active_alerts(const struct tui_model *m, size_t **out)
{
	size_t n = 0;

	*out = sr_xcalloc(m->alerts.n ? m->alerts.n : 1, sizeof(**out));
	for (size_t i = 0; i < m->alerts.n; i++)
		if (tui_alert_firing_problem(m, &m->alerts.v[i]))
			(*out)[n++] = i;
	return n;
}

/* Firing alerts, most severe first: active ones only; silenced/inhibited are counted. */
static void
draw_alerts(struct tui_app *app, WINDOW *w, int y, int h, int wd)
{
	const struct tui_model *m = &app->model;
	struct dash *d = DS(app);
	size_t *idx, active = active_alerts(m, &idx), other = 0;
	char title[80];

	for (size_t i = 0; i < m->alerts.n; i++)	/* the watchdog is neither */
		other += sr_am_alert_suppressed(&m->alerts.v[i]);

	snprintf(title, sizeof(title), "Firing alerts: %zu (%zu silenced or inhibited)", active,
		 other);
	tui_rule(&app->th, w, y, 0, wd, title);
	if (d->al.sel >= active)
		d->al.sel = active ? active - 1 : 0;
	tui_list_clamp(&d->al, active, h - 1);
	for (int row = 0; row < h - 1 && d->al.top + (size_t)row < active; row++) {
		const struct sr_am_alert *a = &m->alerts.v[idx[d->al.top + (size_t)row]];
		const struct sr_incident *inc;
		int sel = d->on_alerts && d->al.top + (size_t)row == d->al.sel;
		enum tui_role base = sel ? TUI_R_SELECTED : TUI_R_NORMAL;
		char dur[24];
		int x = 0, yy = y + 1 + row;

		if (sel) {
			wattrset(w, app->th.attr[TUI_R_SELECTED]);
			mvwhline(w, yy, 0, ' ', wd);
		}
		/* a new or changed alert stands out for a while (tell.c) */
		x += tui_put(&app->th, w, yy, x, 9, sel ? base :
			     tui_tell_alert(m, a) != NULL ? TUI_R_FRESH :
			     tui_sev_role(tui_alert_sev(m, a)), 1, tui_alert_severity(a)) + 1;
		x += tui_put(&app->th, w, yy, x, 24, base, 1, tui_alert_name(a)) + 1;
		x += tui_putf(&app->th, w, yy, x, 7, sel ? base : TUI_R_DIM, "%s",
			      a->starts_at ? sr_duration_format(m->now - a->starts_at, dur, 24) :
					     "-");
		x = 43;
		inc = tui_alert_incident(m, a);
		if (inc != NULL && wd > 100) {
			tui_put(&app->th, w, yy, x, 13, sel ? base : TUI_R_LINK, 0, inc->id);
			x += 14;
		}
		tui_put(&app->th, w, yy, x, wd - x, base, 0, tui_alert_summary(a));
	}
	{
		/* "no alerts" only while the pipeline is provably alive: else the banner says why */
		char *banner = tui_model_pipeline_banner(m);
		char why[512];
		size_t left = active > d->al.top ? active - d->al.top : 0;
		int shown = left < (size_t)(h - 1) ? (int)left : h - 2;	/* the banner's row */

		if (banner != NULL)
			tui_put(&app->th, w, y + 1 + (shown > 0 ? shown : 0), 2, wd - 2, TUI_R_CRIT,
				1, banner);
		/* never "No firing alerts" for alerts never fetched: say what is known */
		else if (active == 0 && tui_model_alerts_unknown(m, why, sizeof(why)))
			tui_put(&app->th, w, y + 1, 2, wd - 2, TUI_R_ERROR, 0, why);
		else if (active == 0)
			tui_put(&app->th, w, y + 1, 2, wd - 2, TUI_R_OK, 0,
				m->src[1].configured ? "No firing alerts." :
				"No Alertmanager configured ([alertmanager] in the config).");
		free(banner);
	}
	free(idx);
}

static void
draw(struct tui_app *app, WINDOW *w, int h, int wd)
{
	size_t *idx = sr_xcalloc(app->model.inc.n ? app->model.inc.n : 1, sizeof(*idx));
	size_t n = tui_model_order(&app->model, idx, 1);
	int y = draw_panels(app, w, 0, wd), inc_h, rest, db_h;
	char title[160], who[96];

	/* the databases' rows (rule and at most DB_ROWS_MAX lines) come off the rest */
	db_h = app->model.n_db == 0 ? 0 :
	       1 + (app->model.n_db < DB_ROWS_MAX ? (int)app->model.n_db : DB_ROWS_MAX);
	rest = h - y - db_h;
	/* incidents first: they have deadlines; alerts get what is left (at least 4 rows) */
	inc_h = (int)n + 2;
	if (inc_h < 3)
		inc_h = 3;
	if (inc_h > rest - 5)
		inc_h = rest - 5 > 3 ? rest - 5 : 3;
	/* who is on call rides in the first rule: visible at 80x24 whatever else fits */
	tui_oncall_line(app, who, sizeof(who));
	snprintf(title, sizeof(title), "Open incidents: %zu%s%s", n, who[0] ? "   " : "", who);
	tui_rule(&app->th, w, y, 0, wd, title);
	if (n == 0)
		tui_put(&app->th, w, y + 1, 2, wd - 2, TUI_R_OK, 0, "No open incidents.");
	else
		tui_incident_table(&app->th, &app->model, w, y + 1, inc_h - 1, wd, idx, n,
				   &app->list[TUI_V_DASHBOARD], !DS(app)->on_alerts);
	y += inc_h;
	y += draw_databases(app, w, y, h - y - 3 < db_h ? h - y - 3 : db_h, wd);
	y += tui_comms_notes(app, w, y, h - y - 3, wd);
	if (h - y >= 2)
		draw_alerts(app, w, y, h - y, wd);
	free(idx);
}

/* The alert the dashboard's alert list has selected, or NULL. */
static const struct sr_am_alert *
selected_alert(struct tui_app *app)
{
	size_t *idx, n = active_alerts(&app->model, &idx);
	const struct sr_am_alert *a = NULL;

	if (n > 0)
		a = &app->model.alerts.v[idx[DS(app)->al.sel < n ? DS(app)->al.sel : n - 1]];
	free(idx);
	return a;
}

static enum tui_result
action(struct tui_app *app, enum tui_action a)
{
	size_t *idx = sr_xcalloc(app->model.inc.n ? app->model.inc.n : 1, sizeof(*idx));
	size_t n = tui_model_order(&app->model, idx, 1), n_al;
	struct tui_list *l = &app->list[TUI_V_DASHBOARD];
	struct dash *d = DS(app);
	enum tui_result r = TUI_UNHANDLED;
	size_t *al;

	n_al = active_alerts(&app->model, &al);
	free(al);
	if (a == TUI_A_NEXT_VIEW && !d->on_alerts && n_al > 0) {
		d->on_alerts = 1;	/* Tab: the alert list first, then the next view */
		r = TUI_HANDLED | TUI_REDRAW;
	} else if (a == TUI_A_NEXT_VIEW || a == TUI_A_PREV_VIEW) {
		d->on_alerts = 0;	/* on to the next view (the global action) */
	} else if (d->on_alerts) {
		if (a == TUI_A_OPEN || a == TUI_A_NEW_INCIDENT)
			r = tui_alert_action(app, selected_alert(app), a);
		else
			r = tui_list_move(&d->al, a, n_al, (int)n_al);
	} else if (a == TUI_A_NEW_INCIDENT) {
		tui_message(app, 0, "Tab selects the alert list: i opens an incident from an alert");
		r = TUI_HANDLED | TUI_REDRAW;
	} else if (a == TUI_A_OPEN && n > 0) {
		tui_open_incident(app, app->model.inc.v[idx[l->sel < n ? l->sel : n - 1]].id);
		r = TUI_HANDLED | TUI_REDRAW;
	} else if (a != TUI_A_OPEN) {
		r = tui_list_move(l, a, n, (int)n);
	}
	free(idx);
	return r;
}

const struct tui_view_ops tui_view_dashboard =
	TUI_VIEW("dashboard", 1, "j/k select  Enter open  Tab alert list  i incident from alert",
		 .draw = draw, .action = action);
