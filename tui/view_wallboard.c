/* SPDX-License-Identifier: MIT */
/* view_wallboard.c: the war-room screen: a big countdown for the most urgent incident. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "text.h"

/* "12:34", "1:02:03", "-07:12" for a signed number of seconds. */
static void
clock_text(int64_t left, char *buf, size_t n)
{
	int64_t a = left < 0 ? -left : left;

	if (a >= 100 * 3600)
		snprintf(buf, n, "%s%lld", left < 0 ? "-" : "", (long long)(a / 3600));
	else if (a >= 3600)
		snprintf(buf, n, "%s%lld:%02lld:%02lld", left < 0 ? "-" : "", (long long)(a / 3600),
			 (long long)(a / 60 % 60), (long long)(a % 60));
	else
		snprintf(buf, n, "%s%02lld:%02lld", left < 0 ? "-" : "", (long long)(a / 60),
			 (long long)(a % 60));
}

static void
draw(struct tui_app *app, WINDOW *w, int h, int wd)
{
	const struct tui_model *m = &app->model;
	const struct sr_config *cfg = m->cfg;
	struct sr_deadline d;
	const char *what = "";
	const struct sr_incident *inc = tui_model_most_urgent(m, &d, &what);
	char big[32], line[640], why[512];
	enum tui_role role;
	size_t open = 0, firing = 0;
	int y, bw, scale, lv;

	for (size_t i = 0; i < m->inc.n; i++)
		open += sr_incident_is_open(&m->inc.v[i]);
	for (size_t i = 0; i < m->alerts.n; i++)
		firing += !sr_am_alert_suppressed(&m->alerts.v[i]);
	{
		/* a dead alerting pipeline is said on the last line, whatever else shows */
		char *banner = tui_model_pipeline_banner(m);

		if (banner != NULL) {
			tui_put(&app->th, w, h - 1, (wd - (int)strlen(banner)) / 2 > 0 ?
				(wd - (int)strlen(banner)) / 2 : 0, wd, TUI_R_CRIT, 1, banner);
			h--;
		}
		free(banner);
	}

	if (inc == NULL) {
		y = h / 2 - 3;
		tui_put(&app->th, w, y, (wd - 18) / 2, 18, TUI_R_OK, 0, "No open incidents");
		if (firing == 0 && tui_model_alerts_unknown(m, why, sizeof(why)))
			snprintf(line, sizeof(line), "firing alerts unknown");	/* the reason below */
		else
			snprintf(line, sizeof(line), "%zu firing alert%s", firing,
				 firing == 1 ? "" : "s");
		tui_put(&app->th, w, y + 2, (wd - (int)strlen(line)) / 2, wd, TUI_R_DIM, 0, line);
		return;
	}
	if (d.running && d.left < 0)
		role = TUI_R_CRIT;
	else if (d.left < 300)
		role = TUI_R_WARN;
	else
		role = TUI_R_OK;

	y = h >= 20 ? 1 : 0;
	snprintf(line, sizeof(line), "%s  %s  %s", inc->id, sr_sev_name(inc->sev),
		 sr_status_name(inc->status));
	tui_put(&app->th, w, y, (wd - (int)strlen(line)) / 2, wd, tui_sev_role(inc->sev), 0, line);
	{
		struct sr_buf b;
		int tw;

		sr_buf_init(&b);
		tw = (int)sr_text_fit(&b, inc->title ? inc->title : "", (size_t)wd, 0,
				      app->th.utf8 ? 0 : SR_SAN_ASCII);
		tui_put(&app->th, w, y + 1, tw < wd ? (wd - tw) / 2 : 0, wd, TUI_R_TITLE, 0, b.data);
		sr_buf_done(&b);
	}
	clock_text(d.left, big, sizeof(big));
	y += 3;
	/* as big as the screen allows (the rest needs about 12 rows), up to 4x */
	for (scale = 4; scale > 1; scale--)
		if (tui_big_width(big, scale) <= wd - 4 && y + 5 * scale + 8 <= h)
			break;
	bw = tui_big_width(big, scale);
	if (bw <= wd && y + 5 * scale < h)
		tui_big(&app->th, w, y, (wd - bw) / 2, big, scale, role);
	else
		tui_put(&app->th, w, y + 2, (wd - (int)strlen(big)) / 2, wd, role, 0, big);
	y += 5 * scale + 1;
	snprintf(line, sizeof(line), "%s %s", d.running && d.left < 0 ? "OVERDUE to" : "left to",
		 what);
	tui_put(&app->th, w, y, (wd - (int)strlen(line)) / 2, wd, role, 0, line);
	y += 2;
	lv = sr_incident_level_now(inc, cfg, app->model.now);
	snprintf(line, sizeof(line), "L%d %s %s", lv + 1,
		 cfg->level[lv].name ? cfg->level[lv].name : "",
		 cfg->level[lv].contact ? cfg->level[lv].contact : "");
	if (y < h)
		tui_put(&app->th, w, y, (wd - (int)strlen(line)) / 2, wd,
			lv > 0 ? TUI_R_WARN : TUI_R_NORMAL, 0, line);
	y += 2;
	if (firing == 0 && tui_model_alerts_unknown(m, why, sizeof(why)))
		snprintf(line, sizeof(line), "%zu open incident%s   firing alerts unknown", open,
			 open == 1 ? "" : "s");
	else
		snprintf(line, sizeof(line), "%zu open incident%s   %zu firing alert%s", open,
			 open == 1 ? "" : "s", firing, firing == 1 ? "" : "s");
	if (y < h)
		tui_put(&app->th, w, y, (wd - (int)strlen(line)) / 2, wd, TUI_R_DIM, 0, line);
	/* a feed gone quiet must be obvious from across the room */
	for (size_t i = 0; i < m->n_src; i++) {
		int64_t age;
		const char *st = tui_source_state(m, &m->src[i], &age);

		if (strcmp(st, "STALE") == 0 || strcmp(st, "ERR") == 0) {
			char dur[24];

			if (m->src[i].fetched_at == 0)	/* never fetched: no age, the reason */
				snprintf(line, sizeof(line), " %s %s: %s ", m->src[i].name, st,
					 m->src[i].kind == SR_FEEDS_ALERTS &&
					 tui_model_alerts_unknown(m, why, sizeof(why)) ? why :
					 m->src[i].err ? m->src[i].err : "no answer yet");
			else
				snprintf(line, sizeof(line), " %s %s: data %s old ", m->src[i].name,
					 st, sr_duration_format(age, dur, sizeof(dur)));
			tui_put(&app->th, w, h - 1 - (int)i, 0, wd, TUI_R_ERROR, 0, line);
		}
	}
}

/* --- the cycle: wallboard, dashboard, incidents, alerts, each for opt.wallboard_cycle s --- */

struct wallboard {
	int index;		/* which screen of the cycle shows */
	int64_t next;		/* when the next one is due (0: not started) */
};

enum tui_view_id
tui_wallboard_next(struct tui_app *app, int64_t now_s)
{
	static const enum tui_view_id cycle[] = { TUI_V_WALLBOARD, TUI_V_DASHBOARD,
						  TUI_V_INCIDENTS, TUI_V_ALERTS };
	struct wallboard *wb = tui_view_state(app, TUI_V_WALLBOARD, sizeof(*wb));
	int n = app->opt.wallboard_cycle > 0 ? app->opt.wallboard_cycle : 15;

	if (wb->next == 0 || now_s < wb->next) {
		if (wb->next == 0)
			wb->next = now_s + n;
		return TUI_V_COUNT;
	}
	wb->next = now_s + n;
	wb->index = (wb->index + 1) % (int)SR_ARRAY_LEN(cycle);
	return cycle[wb->index];
}

const struct tui_view_ops tui_view_wallboard = TUI_VIEW(
	"wallboard", 1, "read-only wall screen: views cycle by themselves", .draw = draw);
