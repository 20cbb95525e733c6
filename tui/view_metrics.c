/* SPDX-License-Identifier: MIT */
/* view_metrics.c: every panel large: a block chart with its y range, threshold line, last/min/max. */
#include <math.h>
#include <stdio.h>

#include "app.h"

#define GUTTER 9	/* the y axis labels left of a chart */
#define THR_LABEL 13	/* the threshold labels right of it */

/*
 * A column chart of the last wd samples, h rows tall, eighth-block resolution, between the
 * range sr_chart_range gives (thresholds inside it, flat series not stretched); the threshold
 * is a line across the chart, the range's ends are written in the gutter.
 */
static void
chart(struct tui_app *app, WINDOW *w, int y, int x, int h, int wd, const struct tui_panel *p,
      enum tui_role role)
{
	const struct sr_panel *d = p->def;
	double th[2] = { d->has_warn ? d->warn : NAN, d->has_crit ? d->crit : NAN }, lo, hi;
	int cx = x + GUTTER, cw = wd - GUTTER - THR_LABEL;
	size_t from = p->n > (size_t)cw ? p->n - (size_t)cw : 0;
	char lab[32];

	sr_chart_range(p->min, p->max, th, 2, &lo, &hi);
	tui_put(&app->th, w, y, x, GUTTER - 1, TUI_R_DIM, 0, sr_format_unit(hi, d->unit, lab, 32));
	tui_put(&app->th, w, y + h - 1, x, GUTTER - 1, TUI_R_DIM, 0,
		sr_format_unit(lo, d->unit, lab, 32));
	/* the thresholds first: the bars cover them where they reach over */
	for (int t = 0; t < 2; t++) {
		int row;

		if (!isfinite(th[t]))
			continue;
		row = y + h - 1 - (int)((th[t] - lo) / (hi - lo) * (double)h - 0.5);
		if (row < y)
			row = y;
		if (row > y + h - 1)
			row = y + h - 1;
		wattrset(w, app->th.attr[t == 1 ? TUI_R_CRIT : TUI_R_WARN]);
		for (int c = cx; c < cx + cw; c++)
			mvwaddstr(w, row, c, app->th.g->hline);
		tui_putf(&app->th, w, row, cx + cw, THR_LABEL, t == 1 ? TUI_R_CRIT : TUI_R_WARN,
			 " %s %s", t == 1 ? "crit" : "warn", sr_format_unit(th[t], d->unit, lab, 32));
	}
	wattrset(w, app->th.attr[role]);
	for (size_t i = from; i < p->n; i++) {
		int col = cx + (int)(i - from), eighths;

		if (!isfinite(p->v[i]))
			continue;
		eighths = (int)((p->v[i] - lo) / (hi - lo) * (double)(h * 8) + 0.5);
		for (int r = 0; r < h; r++) {
			int fill = eighths - r * 8;

			if (fill <= 0)
				break;
			mvwaddstr(w, y + h - 1 - r, col, app->th.g->spark[fill >= 8 ? 7 : fill - 1]);
		}
	}
	wattrset(w, A_NORMAL);
}

static void
draw(struct tui_app *app, WINDOW *w, int h, int wd)
{
	const struct tui_model *m = &app->model;
	struct tui_list *l = &app->list[TUI_V_METRICS];
	int per, y = 1, fit;
	char title[64];

	if (m->n_panels == 0) {
		tui_rule(&app->th, w, 0, 0, wd, "Metrics");
		tui_put(&app->th, w, 2, 2, wd - 4, TUI_R_DIM, 0,
			"No panels: add [panel NAME] sections to the config (see sitrep.conf(5)).");
		return;
	}
	per = (h - 1) / (int)m->n_panels;
	if (per < 4)
		per = 4;	/* a title and a chart of three rows at least: j/k scroll the rest */
	fit = (h - 1) / per;
	if (l->top + (size_t)fit > m->n_panels)
		l->top = m->n_panels > (size_t)fit ? m->n_panels - (size_t)fit : 0;
	if ((size_t)fit < m->n_panels)
		snprintf(title, sizeof(title), "Metrics: %zu-%zu of %zu panels (j/k)", l->top + 1,
			 l->top + (size_t)fit, m->n_panels);
	else
		snprintf(title, sizeof(title), "Metrics: %zu panels", m->n_panels);
	tui_rule(&app->th, w, 0, 0, wd, title);
	for (size_t i = l->top; i < m->n_panels && y + per <= h; i++) {
		const struct tui_panel *p = &m->panels[i];
		enum tui_role r = tui_panel_role(p);
		char last[32], lo[32], hi[32], thr[32];
		char dur[24];
		int ch = per - 2, x;

		x = tui_put(&app->th, w, y, 0, 24, TUI_R_TITLE, 0, p->def->name) + 2;
		if (!p->has_last) {
			tui_put(&app->th, w, y, x, wd - x, TUI_R_STALE, 0, p->err ? p->err : "no data");
			y += per;
			continue;
		}
		x += tui_put(&app->th, w, y, x, 14, r, 0, sr_format_unit(p->last, p->def->unit, last,
								       sizeof(last))) + 2;
		tui_putf(&app->th, w, y, x, wd - x, TUI_R_DIM, "min %s  max %s  %s%s%s  over %s",
			 sr_format_unit(p->min, p->def->unit, lo, sizeof(lo)),
			 sr_format_unit(p->max, p->def->unit, hi, sizeof(hi)),
			 p->def->has_crit ? "crit " : p->def->has_warn ? "warn " : "",
			 p->def->has_crit ? sr_format_unit(p->def->crit, p->def->unit, thr, 32) :
			 p->def->has_warn ? sr_format_unit(p->def->warn, p->def->unit, thr, 32) :
					    "",
			 "", sr_duration_format(p->def->range, dur, sizeof(dur)));
		if (ch > 0)
			chart(app, w, y + 1, 0, ch, wd - 2, p, r == TUI_R_OK ? TUI_R_SPARK : r);
		if (p->err != NULL)	/* the chart is the last good answer: why no newer */
			tui_putf(&app->th, w, y + per - 1, 0, wd, TUI_R_STALE, "stale: %s", p->err);
		y += per;
	}
}

/* j/k move a panel at a time when they do not all fit. */
static enum tui_result
action(struct tui_app *app, enum tui_action a)
{
	return tui_list_scroll(&app->list[TUI_V_METRICS], a);
}

const struct tui_view_ops tui_view_metrics =
	TUI_VIEW("metrics", 0, "j/k more panels", .draw = draw, .action = action);
