/* SPDX-License-Identifier: MIT */
/* view_dashboard.c: the default view: panels, open incidents with live timers, firing alerts. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "tell.h"

#define PANEL_MIN_WIDTH 18

/* One row of panels: name, value coloured by threshold, sparkline over its range. */
static int
draw_panels(struct tui_app *app, WINDOW *w, int y, int wd)
{
	const struct tui_model *m = &app->model;
	size_t fit = (size_t)(wd / PANEL_MIN_WIDTH), n = m->n_panels < fit ? m->n_panels : fit;
	int pw;

	if (n == 0)
		return y;
	pw = wd / (int)n;
	for (size_t i = 0; i < n; i++) {
		const struct tui_panel *p = &m->panels[i];
		int x = (int)i * pw, cw = pw - 2;
		enum tui_role r = tui_panel_role(p);
		char val[32], thr[48] = "";

		tui_put(&app->th, w, y, x, cw, TUI_R_DIM, 0, p->def->name);
		if (!p->has_last) {
			tui_put(&app->th, w, y + 1, x, cw, TUI_R_STALE, 0, p->err ? p->err : "no data");
			continue;
		}
		sr_format_unit(p->last, p->def->unit, val, sizeof(val));
		if (p->def->has_crit)
			sr_format_unit(p->def->crit, p->def->unit, thr, sizeof(thr));
		else if (p->def->has_warn)
			sr_format_unit(p->def->warn, p->def->unit, thr, sizeof(thr));
		x += tui_put(&app->th, w, y + 1, x, cw, r, 0, val);
		if (thr[0] && x + 4 < (int)i * pw + cw)
			tui_putf(&app->th, w, y + 1, x + 1, (int)i * pw + cw - x - 1, TUI_R_DIM,
				 "%s %s", p->def->has_crit ? "crit" : "warn", thr);
		tui_spark(&app->th, w, y + 2, (int)i * pw, cw, p->v, p->n,
			  r == TUI_R_OK ? TUI_R_SPARK : r);
	}
	return y + 3;
}

/* Firing alerts, most severe first: active ones only; silenced/inhibited are counted. */
static void
draw_alerts(struct tui_app *app, WINDOW *w, int y, int h, int wd)
{
	const struct tui_model *m = &app->model;
	size_t active = 0, other = 0;
	char title[80];
	int row = 0;

	for (size_t i = 0; i < m->alerts.n; i++) {
		if (!sr_am_alert_suppressed(&m->alerts.v[i]))
			active++;
		else
			other++;
	}
	snprintf(title, sizeof(title), "Firing alerts: %zu (%zu silenced or inhibited)", active,
		 other);
	tui_rule(&app->th, w, y, 0, wd, title);
	for (size_t i = 0; i < m->alerts.n && row < h - 1; i++) {
		const struct sr_am_alert *a = &m->alerts.v[i];
		const struct sr_incident *inc;
		enum sr_sev sev;
		char dur[24];
		int x = 0, yy = y + 1 + row;

		if (sr_am_alert_suppressed(a))
			continue;
		sev = tui_alert_sev(m, a);
		/* a new or changed alert stands out for a while (tell.c) */
		x += tui_put(&app->th, w, yy, x, 9,
			     tui_tell_alert(m, a) != NULL ? TUI_R_FRESH : tui_sev_role(sev), 1,
			     tui_alert_severity(a)) + 1;
		x += tui_put(&app->th, w, yy, x, 24, TUI_R_NORMAL, 1, tui_alert_name(a)) + 1;
		x += tui_putf(&app->th, w, yy, x, 7, TUI_R_DIM, "%s",
			      a->starts_at ? sr_duration_format(m->now - a->starts_at, dur, 24) :
					     "-");
		x = 43;
		inc = tui_alert_incident(m, a);
		if (inc != NULL && wd > 100) {
			tui_put(&app->th, w, yy, x, 13, TUI_R_LINK, 0, inc->id);
			x += 14;
		}
		tui_put(&app->th, w, yy, x, wd - x, TUI_R_NORMAL, 0, tui_alert_summary(a));
		row++;
	}
	if (active == 0)
		tui_put(&app->th, w, y + 1, 2, wd - 2, TUI_R_OK, 0,
			m->src[1].configured ? "No firing alerts." :
					       "No Alertmanager configured ([alertmanager] in the config).");
}

static void
draw(struct tui_app *app, WINDOW *w, int h, int wd)
{
	size_t *idx = sr_xcalloc(app->model.inc.n ? app->model.inc.n : 1, sizeof(*idx));
	size_t n = tui_model_order(&app->model, idx, 1);
	int y = draw_panels(app, w, 0, wd), inc_h, rest;
	char title[160], who[96];

	rest = h - y;
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
				   &app->list[TUI_V_DASHBOARD], 1);
	y += inc_h;
	if (h - y >= 2)
		draw_alerts(app, w, y, h - y, wd);
	free(idx);
}

static enum tui_result
action(struct tui_app *app, enum tui_action a)
{
	size_t *idx = sr_xcalloc(app->model.inc.n ? app->model.inc.n : 1, sizeof(*idx));
	size_t n = tui_model_order(&app->model, idx, 1);
	struct tui_list *l = &app->list[TUI_V_DASHBOARD];
	enum tui_result r = TUI_UNHANDLED;

	if (a == TUI_A_OPEN && n > 0) {
		tui_open_incident(app, app->model.inc.v[idx[l->sel < n ? l->sel : n - 1]].id);
		r = TUI_HANDLED | TUI_REDRAW;
	} else if (a != TUI_A_OPEN) {
		r = tui_list_move(l, a, n, (int)n);
	}
	free(idx);
	return r;
}

const struct tui_view_ops tui_view_dashboard = TUI_VIEW(
	"dashboard", 1, "j/k select  Enter incident  Tab views", .draw = draw, .action = action);
