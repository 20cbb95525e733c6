/* SPDX-License-Identifier: MIT */
/*
 * view_wallboard.c: the war-room screen, readable across a room at 200x60 and useful at
 * 80x24. Its header (clock, sources and their staleness, who is on call, the flash of a new
 * P1 or a breach) replaces the tabs in --wallboard mode and stays on every screen of the
 * cycle. The body, most important first: stale data as a big word, the most urgent
 * incident's timer in big digits, the other open incidents and the firing critical alerts in
 * large type when there is room (one line each when not), panels as charts with what is left.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "tell.h"
#include "text.h"

/* "12:34", "1:02:03", "-07:12" for a signed number of seconds. */
static void
clock_text(int64_t left, char *buf, size_t n)
{
	int64_t a = left < 0 ? -left : left;

	if (a >= 100 * 3600)
		snprintf(buf, n, "%s%lldh", left < 0 ? "-" : "", (long long)(a / 3600));
	else if (a >= 3600)
		snprintf(buf, n, "%s%lld:%02lld:%02lld", left < 0 ? "-" : "", (long long)(a / 3600),
			 (long long)(a / 60 % 60), (long long)(a % 60));
	else
		snprintf(buf, n, "%s%02lld:%02lld", left < 0 ? "-" : "", (long long)(a / 60),
			 (long long)(a % 60));
}

/* --- the header: two rows, never dropped; what goes first when narrow is the name --- */

static int
source_stale(const char *st)
{
	return strcmp(st, "STALE") == 0 || strcmp(st, "ERR") == 0;
}

void
tui_wallboard_header(struct tui_app *app, WINDOW *w)
{
	struct tui_model *m = &app->model;
	const struct tui_theme *th = &app->th;
	char clock[48], who[128], seg[64], dur[24];
	struct tm tm;
	time_t t = (time_t)m->now;
	const char *flash;
	int on = 0, x, cols = app->cols;

	/* row 0: the clock first, then every source with its state word, then the name */
	wattrset(w, th->attr[TUI_R_HEADER]);
	mvwhline(w, 0, 0, ' ', cols);
	gmtime_r(&t, &tm);
	strftime(clock, 16, "%H:%M:%S UTC", &tm);
	localtime_r(&t, &tm);
	strftime(clock + strlen(clock), sizeof(clock) - strlen(clock), "  %H:%M %Z", &tm);
	x = 1 + tui_put(th, w, 0, 1, cols - 2, TUI_R_HEADER, 0, clock) + 3;
	for (size_t i = 0; i < m->n_src && x < cols; i++) {
		int64_t age;
		const char *st = tui_source_state(m, &m->src[i], &age);

		snprintf(seg, sizeof(seg), "%s %s%s%s", m->src[i].name, st,
			 m->src[i].fetched_at == 0 ? "" : " ",
			 m->src[i].fetched_at == 0 ? "" : sr_duration_format(age, dur, sizeof(dur)));
		x += tui_put(th, w, 0, x, cols - x, source_stale(st) ? TUI_R_ERROR : TUI_R_HEADER,
			     0, seg) + 2;
	}
	{
		const char *name = app->opt.demo ? "sitrep DEMO WALLBOARD" : "sitrep WALLBOARD";
		int nw = (int)strlen(name);

		if (x + nw + 2 < cols)
			tui_put(th, w, 0, cols - nw - 1, nw, TUI_R_HEADER, 0, name);
	}

	/* row 1: who is on call; a new P1 or a breach flashes the whole row */
	flash = tui_tell_flash(m, &on);
	tui_oncall_line(app, who, sizeof(who));
	if (who[0] == '\0')
		snprintf(who, sizeof(who), "L1 %s", m->cfg->level[0].contact ?
							m->cfg->level[0].contact : "");
	wattrset(w, th->attr[flash != NULL ? (on ? TUI_R_ERROR : TUI_R_FRESH) : TUI_R_HEADER]);
	mvwhline(w, 1, 0, ' ', cols);
	x = 1 + tui_put(th, w, 1, 1, cols - 2,
			flash != NULL ? (on ? TUI_R_ERROR : TUI_R_FRESH) : TUI_R_HEADER, 0, who);
	if (flash != NULL && x + 8 < cols)
		tui_putf(th, w, 1, x + 3, cols - x - 4, on ? TUI_R_ERROR : TUI_R_FRESH,
			 "!! %s !!", flash);
	wattrset(w, A_NORMAL);
}

/* --- large type: block letters where the screen has room, a line where it has not --- */

/* Upper-cased printable ASCII of s, at most n - 1 bytes: only what the block font draws. */
static void
big_text(const char *s, char *out, size_t n)
{
	size_t k = 0;

	for (; s != NULL && *s && k + 1 < n; s++) {
		unsigned char c = (unsigned char)*s;

		out[k++] = c >= 0x20 && c < 0x7f ? (char)toupper(c) : ' ';
	}
	out[k] = '\0';
}

/* Writes text in block letters at (y, x) when 5 rows and its width fit, else as a line. */
static int
large(struct tui_app *app, WINDOW *w, int y, int x, int wd, int big, const char *text,
      enum tui_role role)
{
	char b[64];
	size_t fit;

	if (!big) {
		tui_put(&app->th, w, y, x, wd, role, 0, text);
		return 1;
	}
	big_text(text, b, sizeof(b));
	fit = (size_t)(wd + 1) / 4;	/* 3 columns a letter and 1 between */
	if (strlen(b) > fit)
		b[fit] = '\0';
	tui_big(&app->th, w, y, x, b, 1, role);
	return 6;
}

/* A panel as a chart rows tall: one column a sample (eighths of a cell), name and value on top. */
static void
chart(struct tui_app *app, WINDOW *w, int y, int x, int wd, int rows, const struct tui_panel *p)
{
	const struct tui_theme *th = &app->th;
	enum tui_role r = tui_panel_role(p);
	char val[32];
	double lo = p->min, hi = p->max;

	if (!p->has_last) {
		tui_putf(th, w, y, x, wd, TUI_R_STALE, "%s: %s", p->def->name,
			 p->err ? p->err : "no data");
		return;
	}
	sr_format_unit(p->last, p->def->unit, val, sizeof(val));
	{
		int c = tui_put(th, w, y, x, wd, TUI_R_TITLE, 0, p->def->name) + 1;

		c += tui_put(th, w, y, x + c, wd - c, r, 0, val) + 1;
		if (p->err != NULL)	/* the value is the last good one: why no newer */
			tui_putf(th, w, y, x + c, wd - c, TUI_R_STALE, "stale: %s", p->err);
	}
	if (rows < 2 || p->n == 0)
		return;
	rows--;
	if (hi - lo < 1e-9 * (hi > 0 ? hi : 1) || !(hi > lo)) {
		lo -= 1;	/* a flat series is a flat line in the middle, not full-height swings */
		hi += 1;
	}
	for (int c = 0; c < wd; c++) {
		size_t i = p->n <= (size_t)wd ? (size_t)c : ((size_t)c + 1) * p->n / (size_t)wd - 1;
		double v;
		int eighths;

		if (i >= p->n)
			break;
		v = p->v[i];
		if (!(v == v))
			continue;	/* NaN: a gap */
		eighths = (int)((v - lo) / (hi - lo) * (rows * 8 - 1)) + 1;
		for (int rr = 0; rr < rows && eighths > 0; rr++, eighths -= 8) {
			const char *g = th->g->spark[eighths >= 8 ? 7 : eighths - 1];

			wattrset(w, th->attr[r == TUI_R_OK ? TUI_R_SPARK : r]);
			mvwaddstr(w, y + rows - rr, x + c, g);
		}
	}
	wattrset(w, A_NORMAL);
}

/* --- the body --- */

/* A feed gone quiet: a big word and what is old, visible from the back of the room. */
static int
draw_stale(struct tui_app *app, WINDOW *w, int y, int h, int wd, int big)
{
	const struct tui_model *m = &app->model;
	char line[640], dur[24], why[512];
	int used = 0, any = 0;

	for (size_t i = 0; i < m->n_src && used < h; i++) {
		int64_t age;
		const char *st = tui_source_state(m, &m->src[i], &age);

		if (!source_stale(st))
			continue;
		if (!any && big && h >= 7) {
			int bw = tui_big_width("STALE DATA", 1);

			tui_big(&app->th, w, y, (wd - bw) / 2, "STALE DATA", 1, TUI_R_ERROR);
			used += 6;
		}
		any = 1;
		if (m->src[i].fetched_at != 0)
			snprintf(line, sizeof(line), " STALE: %s %s, data %s old ", m->src[i].name, st,
				 sr_duration_format(age, dur, sizeof(dur)));
		else	/* never fetched: no age, the reason (never "data 0s old") */
			snprintf(line, sizeof(line), " STALE: %s %s: %s ", m->src[i].name, st,
				 m->src[i].kind == SR_FEEDS_ALERTS &&
				 tui_model_alerts_unknown(m, why, sizeof(why)) ? why :
				 m->src[i].err ? m->src[i].err : "no answer yet");
		tui_put(&app->th, w, y + used, (wd - (int)strlen(line)) / 2 > 1 ?
			(wd - (int)strlen(line)) / 2 : 1, wd - 2, TUI_R_ERROR, 0, line);
		used++;
	}
	return used;
}

/* The most urgent incident: id, title, the timer as large as the room allows, its level. */
static int
draw_urgent(struct tui_app *app, WINDOW *w, int y, int h, int wd, const struct sr_incident *inc,
	    const struct sr_deadline *d, const char *what)
{
	const struct sr_config *cfg = app->model.cfg;
	char big[32], line[200];
	enum tui_role role;
	int y0 = y, bw, scale, lv;
	char *who;

	role = d->running && d->left < 0 ? TUI_R_CRIT : d->left < 300 ? TUI_R_WARN : TUI_R_OK;
	snprintf(line, sizeof(line), "%s  %s  %s", inc->id, sr_sev_name(inc->sev),
		 sr_status_name(inc->status));
	tui_put(&app->th, w, y++, (wd - (int)strlen(line)) / 2, wd, tui_sev_role(inc->sev), 0,
		line);
	{
		struct sr_buf b;
		int tw;

		sr_buf_init(&b);
		tw = (int)sr_text_fit(&b, inc->title ? inc->title : "", (size_t)wd, 0,
				      app->th.utf8 ? 0 : SR_SAN_ASCII);
		tui_put(&app->th, w, y++, tw < wd ? (wd - tw) / 2 : 0, wd, TUI_R_TITLE, 0, b.data);
		sr_buf_done(&b);
	}
	clock_text(d->left, big, sizeof(big));
	if (h > 12)
		y++;	/* air around the digits when there is room for it */
	/* as big as the share of the screen allows (h rows here), up to 4x */
	for (scale = 4; scale > 1; scale--)
		if (tui_big_width(big, scale) <= wd - 4 && 5 * scale + 6 <= h)
			break;
	bw = tui_big_width(big, scale);
	if (bw <= wd && 5 * scale + 4 <= h) {
		tui_big(&app->th, w, y, (wd - bw) / 2, big, scale, role);
		y += 5 * scale + 1;
	} else {
		tui_put(&app->th, w, y++, (wd - (int)strlen(big)) / 2, wd, role, 0, big);
	}
	snprintf(line, sizeof(line), "%s %s", d->running && d->left < 0 ? "OVERDUE to" : "left to",
		 what);
	tui_put(&app->th, w, y++, (wd - (int)strlen(line)) / 2, wd, role, 0, line);
	lv = sr_incident_level_now(inc, cfg, app->model.now);
	who = tui_oncall_level(app, lv);
	snprintf(line, sizeof(line), "L%d %s %s", lv + 1,
		 cfg->level[lv].name ? cfg->level[lv].name : "", who);
	free(who);
	if (y - y0 < h)
		tui_put(&app->th, w, y++, (wd - (int)sr_text_width(line, strlen(line))) / 2, wd,
			lv > 0 ? TUI_R_WARN : TUI_R_NORMAL, 0, line);
	return y - y0;
}

static void
draw(struct tui_app *app, WINDOW *w, int h, int wd)
{
	const struct tui_model *m = &app->model;
	struct sr_deadline d;
	const char *what = "";
	const struct sr_incident *inc = tui_model_most_urgent(m, &d, &what);
	size_t *idx = sr_xcalloc(m->inc.n ? m->inc.n : 1, sizeof(*idx));
	size_t n_open = tui_model_order(m, idx, 1), n_crit = 0, firing = 0, shown;
	int big = h >= 34 && wd >= 120;	/* a wall screen: large type for the lists */
	int y = 0, rows, n_panels_room, bottom, give_i = 0, give_c = 0, lbig;
	char line[640], tbuf[32], why[512];

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
	for (size_t i = 0; i < m->alerts.n; i++) {
		const struct sr_am_alert *a = &m->alerts.v[i];

		if (!tui_alert_firing_problem(m, a))	/* the watchdog is no problem */
			continue;
		firing++;
		n_crit += tui_alert_sev(m, a) == SR_SEV_P1;
	}
	/* stale data first: nothing below can be trusted without knowing it */
	y += draw_stale(app, w, y, h - y, wd, big);

	if (inc == NULL) {
		/* never "0 firing alerts" for alerts never fetched: say what is known */
		if (firing == 0 && tui_model_alerts_unknown(m, why, sizeof(why)))
			snprintf(line, sizeof(line), "No open incidents   %s", why);
		else
			snprintf(line, sizeof(line), "No open incidents   %zu firing alert%s", firing,
				 firing == 1 ? "" : "s");
		y += large(app, w, y + 1, 2, wd - 4, big && h - y > 20, "No open incidents",
			   TUI_R_OK) + 1;
		tui_put(&app->th, w, y++, 2, wd - 4, TUI_R_DIM, 0, line);
	} else {
		/* the urgent incident takes up to half the screen (more when nothing else shows) */
		rows = n_open > 1 || n_crit > 0 || m->n_panels > 0 ? (h - y) * 2 / 5 : h - y;
		if (rows < (big ? 17 : 11))	/* digits at least 2x on a wall screen */
			rows = h - y < (big ? 17 : 11) ? h - y : (big ? 17 : 11);
		y += draw_urgent(app, w, y, rows, wd, inc, &d, what) + 1;
	}

	/* the lists stop where the charts begin: a chart needs a few rows to say anything */
	bottom = h - 1 - (m->n_panels > 0 ? (big ? 10 : 3) : 0);
	if (bottom < y + 2)
		bottom = h - 1;

	/*
	 * Rows for the two lists: each gets what it needs when both fit; else the critical
	 * alerts keep at least half (they may need someone now), the incidents the rest.
	 */
	{
		int unit, avail = bottom - y - 2;

		/* large type only where two large lines fit: else one line each says more */
		lbig = big && avail >= 14;
		unit = lbig ? 6 : 1;
		int need_i = n_open > 1 ? (int)(n_open - 1) * unit : 0;
		int need_c = (n_crit > 0 ? (int)n_crit : 1) * unit;

		give_c = need_c;
		if (need_i + need_c > avail) {
			give_c = avail / 2 > avail - need_i ? avail / 2 : avail - need_i;
			if (give_c > need_c)
				give_c = need_c;
		}
		give_i = avail - give_c;
	}

	/* the rest of the open incidents with their timers, in large type when there is room */
	if (n_open > 1 && give_i > 0) {
		int ry = y++, stop = y + give_i;

		shown = 0;
		for (size_t k = 0; k < n_open && y + (lbig ? 5 : 1) <= stop; k++) {
			const struct sr_incident *o = &m->inc.v[idx[k]];
			struct sr_timers tm;
			const struct sr_deadline *od;
			enum tui_role tr;

			if (o == inc)
				continue;
			sr_incident_timers(o, m->cfg, m->now, &tm);
			od = tm.respond.running ? &tm.respond : &tm.resolve;
			tr = od->running && od->left < 0 ? TUI_R_CRIT : tui_sev_role(o->sev);
			clock_text(od->left, tbuf, sizeof(tbuf));
			snprintf(line, sizeof(line), "%s %s %s", o->id, sr_sev_name(o->sev), tbuf);
			if (lbig) {
				y += large(app, w, y, 1, wd - 2, 1, line, tr);
			} else {
				int x = tui_put(&app->th, w, y, 1, 14, tui_sev_role(o->sev), 0,
						o->id) + 2;

				x += tui_putf(&app->th, w, y, x, 4, tui_sev_role(o->sev), "%s",
					      sr_sev_name(o->sev)) + 1;
				x += tui_put(&app->th, w, y, x, 10,
					     tr == TUI_R_CRIT ? TUI_R_CRIT : TUI_R_NORMAL, 0, tbuf) + 2;
				tui_put(&app->th, w, y++, x, wd - x - 1, TUI_R_NORMAL, 0,
					o->title ? o->title : "");
			}
			shown++;
		}
		/* what did not fit is counted in the rule, never dropped silently */
		if (shown + 1 < n_open)
			snprintf(line, sizeof(line), "Other open incidents: %zu (+%zu not shown)",
				 n_open - 1, n_open - 1 - shown);
		else
			snprintf(line, sizeof(line), "Other open incidents: %zu", n_open - 1);
		tui_rule(&app->th, w, ry, 0, wd, line);
		y = stop;
	}

	/* firing critical alerts (those the severity map makes P1), in large type */
	if (give_c > 0) {
		int ry = y++, stop = y + give_c;

		shown = 0;
		for (size_t i = 0; i < m->alerts.n && y + (lbig ? 5 : 1) <= stop; i++) {
			const struct sr_am_alert *a = &m->alerts.v[i];

			if (!tui_alert_firing_problem(m, a) || tui_alert_sev(m, a) != SR_SEV_P1)
				continue;
			if (lbig) {
				y += large(app, w, y, 1, wd - 2, 1, tui_alert_name(a), TUI_R_CRIT);
			} else {
				int x = tui_put(&app->th, w, y, 1, 30, TUI_R_CRIT, 0,
						tui_alert_name(a)) + 2;

				tui_put(&app->th, w, y++, x, wd - x - 1, TUI_R_NORMAL, 0,
					tui_alert_summary(a));
			}
			shown++;
		}
		if (n_crit == 0) {
			int64_t age;
			const char *st = tui_source_state(m, &m->src[1], &age);

			/* "none" only when the alerts are current: stale data proves nothing */
			if (source_stale(st))
				tui_putf(&app->th, w, y++, 2, wd - 4, TUI_R_ERROR,
					 "unknown: the alerts are %s", st);
			else
				tui_put(&app->th, w, y++, 2, wd - 4, TUI_R_OK, 0, "none");
		}
		snprintf(line, sizeof(line), "Firing critical alerts: %zu of %zu firing%s", n_crit,
			 firing, shown < n_crit ? " (some not shown)" : "");
		tui_rule(&app->th, w, ry, 0, wd, line);
		y = stop;
	}

	/* panels as charts in what is left, side by side */
	n_panels_room = m->n_panels > 0 ? wd / 24 : 0;
	if (n_panels_room > (int)m->n_panels)
		n_panels_room = (int)m->n_panels;
	if (n_panels_room > 0 && h - y >= 3) {
		int pw = wd / n_panels_room, ch = h - y - 1;

		tui_rule(&app->th, w, y++, 0, wd, "Panels");
		for (int i = 0; i < n_panels_room; i++)
			chart(app, w, y, i * pw + 1, pw - 2, ch, &m->panels[i]);
	}
	free(idx);
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
	"wallboard", 1, NULL, .draw = draw);
