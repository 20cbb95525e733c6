/* SPDX-License-Identifier: MIT */
/* view_metrics.c: the panels large: a block chart of each range with last, min, max, thresholds. */
#include <math.h>
#include <stdio.h>

#include "app.h"

/* A column chart of the last wd samples, h rows tall, eighth-block resolution. */
static void
chart(struct tui_app *app, WINDOW *w, int y, int x, int h, int wd, const struct tui_panel *p,
      enum tui_role role)
{
	size_t from = p->n > (size_t)wd ? p->n - (size_t)wd : 0;
	double lo = p->min, hi = p->max;

	if (p->def->has_crit && p->def->crit > hi)
		hi = p->def->crit;
	if (lo > 0 && lo < hi * 0.5)
		lo = 0;
	if (!(hi > lo))
		hi = lo + 1;
	wattrset(w, app->th.attr[role]);
	for (size_t i = from; i < p->n; i++) {
		int col = x + (int)(i - from), eighths;

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
	int per, y = 1;

	tui_rule(&app->th, w, 0, 0, wd, "Metrics");
	if (m->n_panels == 0) {
		tui_put(&app->th, w, 2, 2, wd - 4, TUI_R_DIM, 0,
			"No panels: add [panel NAME] sections to the config (see sitrep.conf(5)).");
		return;
	}
	per = (h - 1) / (int)m->n_panels;
	if (per < 3)
		per = 3;
	for (size_t i = 0; i < m->n_panels && y + 2 <= h; i++) {
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
		if (ch > 0 && y + 1 + ch <= h)
			chart(app, w, y + 1, 2, ch, wd - 4, p, r == TUI_R_OK ? TUI_R_SPARK : r);
		y += per;
	}
}

const struct tui_view_ops tui_view_metrics = TUI_VIEW("metrics", 0, NULL, .draw = draw);
