/* SPDX-License-Identifier: MIT */
/* view_incidents.c: the incidents list and one incident's detail, and the actions on both. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "text.h"

/* The detail view's own state (its private block). */
struct detail {
	char id[SR_ID_MAX];		/* the incident shown */
	struct sr_event_list events;	/* its timeline */
	unsigned events_gen;		/* model.inc_gen they were loaded at */
	char *cl_path, *cl_name;	/* its runbook and that runbook's checklist */
	struct sr_checklist cl;
};

/* Lazily allocated, so readers that hold a const app may ask for it too. */
static struct detail *
D(const struct tui_app *app)
{
	return tui_view_state((struct tui_app *)(uintptr_t)app, TUI_V_DETAIL, sizeof(struct detail));
}

/* --- actions shared by both views --- */

static enum tui_result
change(struct tui_app *app, enum sr_change_op op, const char *a, const char *b)
{
	struct sr_change ch = { .op = op, .a = a, .b = b };
	char *done = NULL, *err = NULL;

	if (tui_model_change(&app->model, app->target_id, &ch, &done, &err) != 0) {
		free(done);
		tui_error(app, err);
	} else {
		tui_message(app, 0, "%s", done);
		free(done);
		free(err);
	}
	D(app)->events_gen = 0;	/* reload the timeline */
	return TUI_HANDLED | TUI_REDRAW;
}

enum tui_result
tui_incident_action(struct tui_app *app, const char *id, enum tui_action a)
{
	const struct sr_config *cfg = app->model.cfg;
	const struct sr_incident *inc;
	char label[96];

	switch (a) {
	case TUI_A_ACK: case TUI_A_STATUS: case TUI_A_SEV: case TUI_A_NOTE: case TUI_A_ASSIGN:
	case TUI_A_ESCALATE: case TUI_A_DEESCALATE: case TUI_A_RESOLVE: case TUI_A_CLOSE:
	case TUI_A_UPDATE_SENT:
		break;
	case TUI_A_SLACK:
		if (id != NULL) {
			snprintf(app->target_id, sizeof(app->target_id), "%s", id);
			tui_push(app, TUI_V_SLACK);
		}
		return TUI_HANDLED | TUI_REDRAW;
	default:
		return TUI_UNHANDLED;
	}
	if (id == NULL || (inc = tui_model_find(&app->model, id)) == NULL) {
		tui_message(app, 1, "no incident selected");
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (tui_refuse_readonly(app))
		return TUI_HANDLED | TUI_REDRAW;
	snprintf(app->target_id, sizeof(app->target_id), "%s", id);
	switch (a) {
	case TUI_A_ACK:
		return change(app, SR_CH_ACK, NULL, NULL);	/* no prompt: seconds count */
	case TUI_A_STATUS:
		snprintf(label, sizeof(label), "%s status (now %s; investigating, identified, "
			 "monitoring): ", id, sr_status_name(inc->status));
		tui_prompt_text(app, a, label, NULL);
		break;
	case TUI_A_SEV:
		snprintf(label, sizeof(label), "%s severity (now %s) P1..P4: ", id,
			 sr_sev_name(inc->sev));
		tui_prompt_text(app, a, label, NULL);
		break;
	case TUI_A_NOTE:
		snprintf(label, sizeof(label), "%s note: ", id);
		tui_prompt_text(app, a, label, NULL);
		break;
	case TUI_A_ASSIGN:
		snprintf(label, sizeof(label), "%s assign ROLE NAME (commander, comms, scribe): ", id);
		tui_prompt_text(app, a, label, NULL);
		break;
	case TUI_A_ESCALATE:
	case TUI_A_DEESCALATE: {
		int to = inc->level + (a == TUI_A_ESCALATE ? 1 : -1);

		if (to < 0 || to >= SR_LEVEL_COUNT) {
			tui_message(app, 1, "%s is already at L%d", id, inc->level + 1);
			return TUI_HANDLED | TUI_REDRAW;
		}
		snprintf(label, sizeof(label), "%s to L%d %s %s?",
			 a == TUI_A_ESCALATE ? "Escalate" : "De-escalate", to + 1,
			 cfg->level[to].name ? cfg->level[to].name : "",
			 cfg->level[to].contact ? cfg->level[to].contact : "");
		tui_prompt_confirm(app, a, label);
		break;
	}
	case TUI_A_RESOLVE:
		snprintf(label, sizeof(label), "Resolve %s. Resolution (Enter resolves, Esc "
			 "cancels): ", id);
		tui_prompt_text(app, a, label, NULL);
		break;
	case TUI_A_CLOSE:
		snprintf(label, sizeof(label), "Close %s?", id);
		tui_prompt_confirm(app, a, label);
		break;
	case TUI_A_UPDATE_SENT:
		snprintf(label, sizeof(label), "%s status update sent on channel: ", id);
		tui_prompt_text(app, a, label, "slack");
		break;
	default:
		break;
	}
	return TUI_HANDLED | TUI_REDRAW;
}

enum tui_result
tui_incident_answer(struct tui_app *app, enum tui_action a, const char *text)
{
	char role[32] = "";
	int n = 0;

	switch (a) {
	case TUI_A_STATUS:
		return change(app, SR_CH_STATUS, text, NULL);
	case TUI_A_SEV:
		return change(app, SR_CH_SEV, text, NULL);
	case TUI_A_NOTE:
		if (*text == '\0') {
			tui_message(app, 0, "empty note: nothing added");
			return TUI_HANDLED | TUI_REDRAW;
		}
		return change(app, SR_CH_NOTE, text, NULL);
	case TUI_A_ASSIGN:
		if (sscanf(text, " %31s %n", role, &n) != 1 || n == 0 || text[n] == '\0') {
			tui_message(app, 1, "usage: ROLE NAME, e.g. commander dana");
			return TUI_HANDLED | TUI_REDRAW;
		}
		return change(app, SR_CH_ASSIGN, role, text + n);
	case TUI_A_ESCALATE:
		return change(app, SR_CH_ESCALATE, NULL, NULL);
	case TUI_A_DEESCALATE:
		return change(app, SR_CH_DEESCALATE, NULL, NULL);
	case TUI_A_RESOLVE:
		return change(app, SR_CH_RESOLVE, NULL, *text ? text : NULL);
	case TUI_A_CLOSE:
		return change(app, SR_CH_CLOSE, NULL, NULL);
	case TUI_A_UPDATE_SENT:
		return change(app, SR_CH_UPDATE_SENT, *text ? text : NULL, NULL);
	default:
		return TUI_UNHANDLED;
	}
}

/* --- the list --- */

/* The ordered rows of the list view (open first by urgency), rebuilt at each draw. */
static size_t
rows(struct tui_app *app, size_t **idx)
{
	*idx = sr_xcalloc(app->model.inc.n ? app->model.inc.n : 1, sizeof(**idx));
	return tui_model_order(&app->model, *idx, 0);
}

static const char *
selected_id(struct tui_app *app)
{
	size_t *idx, n = rows(app, &idx);
	const char *id = NULL;

	if (n > 0) {
		struct tui_list *l = &app->list[TUI_V_INCIDENTS];

		if (l->sel >= n)
			l->sel = n - 1;
		id = app->model.inc.v[idx[l->sel]].id;
	}
	free(idx);
	return id;
}

static void
list_draw(struct tui_app *app, WINDOW *w, int h, int wd)
{
	size_t *idx, n = rows(app, &idx), open = 0;
	char title[64];

	for (size_t i = 0; i < n; i++)
		open += sr_incident_is_open(&app->model.inc.v[idx[i]]);
	snprintf(title, sizeof(title), "Incidents: %zu open, %zu in all", open, n);
	tui_rule(&app->th, w, 0, 0, wd, title);
	if (n == 0)
		tui_put(&app->th, w, 2, 2, wd - 4, TUI_R_DIM, 0,
			"No incidents. `:incident new P2 TITLE` opens one; `i` on an alert too.");
	else
		tui_incident_table(&app->th, &app->model, w, 1, h - 1, wd, idx, n, &app->list[TUI_V_INCIDENTS], 1);
	free(idx);
}

static enum tui_result
list_action(struct tui_app *app, enum tui_action a)
{
	size_t *idx, n;
	enum tui_result r;
	int h = getmaxy(app->body) - 2;

	if (a == TUI_A_OPEN) {
		const char *id = selected_id(app);

		if (id != NULL)
			tui_open_incident(app, id);
		return TUI_HANDLED | TUI_REDRAW;
	}
	n = rows(app, &idx);
	free(idx);
	r = tui_list_move(&app->list[TUI_V_INCIDENTS], a, n, h);
	if (r != TUI_UNHANDLED)
		return r;
	return tui_incident_action(app, selected_id(app), a);
}

const struct tui_view_ops tui_view_incidents = TUI_VIEW(
	"incidents", 1, "Enter open  a ack  s status  n note  e escalate  R resolve",
	.draw = list_draw, .action = list_action, .answer = tui_incident_answer);

/* --- the detail --- */

static void
detail_enter(struct tui_app *app)
{
	D(app)->events_gen = 0;
}

static void
detail_open(struct tui_app *app, const char *id)
{
	snprintf(D(app)->id, sizeof(D(app)->id), "%s", id);
	snprintf(app->target_id, sizeof(app->target_id), "%s", id);
	D(app)->events_gen = 0;
}

static void
load_events(struct tui_app *app)
{
	char *err = NULL;

	if (D(app)->events_gen == app->model.inc_gen && D(app)->events_gen != 0)
		return;
	sr_event_list_done(&D(app)->events);
	memset(&D(app)->events, 0, sizeof(D(app)->events));
	if (tui_model_events(&app->model, D(app)->id, &D(app)->events, &err) != 0)
		tui_error(app, err);
	D(app)->events_gen = app->model.inc_gen;
}

static int
field(struct tui_app *app, WINDOW *w, int y, int x, int wd, const char *label, const char *v,
      enum tui_role role)
{
	tui_put(&app->th, w, y, x, 13, TUI_R_DIM, 0, label);
	tui_put(&app->th, w, y, x + 13, wd - 13, role, 0, v && *v ? v : "-");
	return y + 1;
}

/*
 * A multi-line field (impact, root cause, resolution): its lines under the value column, the
 * later ones indented (tui_put_wrapped), in at most rows rows (an ellipsis says there is more).
 */
static int
block_field(struct tui_app *app, WINDOW *w, int y, int x, int wd, const char *label,
	    const char *v, int rows)
{
	int n;

	tui_put(&app->th, w, y, x, 13, TUI_R_DIM, 0, label);
	n = tui_put_wrapped(&app->th, w, y, x + 13, wd - 13, TUI_R_NORMAL, rows,
			    v && *v ? v : "-");
	return y + (n < rows ? n : rows);
}

static int
timer_field(struct tui_app *app, WINDOW *w, int y, int x, int wd, const char *label,
	    const struct sr_deadline *d)
{
	char text[64], ts[32];
	enum tui_role role;
	int col = x + 13;

	tui_deadline(d, SR_DL_SENTENCE, text, sizeof(text), &role);
	tui_put(&app->th, w, y, x, 13, TUI_R_DIM, 0, label);
	if (role == TUI_R_CRIT)
		col += tui_put(&app->th, w, y, col, 2, role, 1, app->th.g->breach);
	tui_put(&app->th, w, y, col, x + 13 + 20 - col, role, 0, text);
	if (d->due != 0) {
		sr_time_format(d->due, ts, sizeof(ts));
		tui_putf(&app->th, w, y, x + 34, wd - 34, TUI_R_DIM, "due %.5s UTC", ts + 11);
	}
	return y + 1;
}

/* --- the runbook checklist of the incident (ticks are timeline events) --- */

static void
checklist_clear(struct tui_app *app)
{
	sr_checklist_done(&D(app)->cl);
	memset(&D(app)->cl, 0, sizeof(D(app)->cl));
	free(D(app)->cl_path);
	free(D(app)->cl_name);
	D(app)->cl_path = D(app)->cl_name = NULL;
}

/* Finds the runbook through the incident's linked alerts that are still known. */
static void
checklist_load(struct tui_app *app, const struct sr_incident *inc)
{
	char *path = NULL, *name = NULL, *err = NULL;

	for (size_t i = 0; i < inc->n_alerts && path == NULL; i++) {
		for (size_t k = 0; k < app->model.alerts.n && path == NULL; k++) {
			const struct sr_am_alert *a = &app->model.alerts.v[k];
			struct sr_runbook_match rm;

			if (a->fingerprint == NULL || strcmp(a->fingerprint, inc->alerts[i]) != 0)
				continue;
			if (tui_model_runbook_for_alert(&app->model, a, &rm, &name) == 1) {
				path = rm.path;
				rm.path = NULL;
			}
			sr_runbook_match_done(&rm);
		}
	}
	if (path != NULL && D(app)->cl_path != NULL && strcmp(path, D(app)->cl_path) == 0) {
		free(path);
		free(name);
		return;
	}
	checklist_clear(app);
	if (path == NULL)
		return;
	D(app)->cl_path = path;
	D(app)->cl_name = name;
	if (sr_runbook_checklist(path, &D(app)->cl, &err) != 0)
		tui_error(app, err);
}

/* Whether item n is ticked: the runbook file's own mark, then the timeline's last word. */
static int
checked(const struct tui_app *app, size_t idx)
{
	int done = D(app)->cl.v[idx].checked;
	size_t nl = strlen(D(app)->cl_name);

	for (size_t i = 0; i < D(app)->events.n; i++) {
		const struct sr_event *ev = &D(app)->events.v[i];
		int item = 0;
		char mark = ' ';

		if (ev->kind != SR_EV_CHECKLIST || strncmp(ev->detail, D(app)->cl_name, nl) != 0)
			continue;
		if (sscanf(ev->detail + nl, " #%d [%c]", &item, &mark) == 2 &&
		    item == D(app)->cl.v[idx].number)
			done = mark == 'x';
	}
	return done;
}

static int
draw_checklist(struct tui_app *app, WINDOW *w, int y, int h, int lw, int full)
{
	size_t done = 0;
	char title[96];

	if (D(app)->cl_path == NULL || D(app)->cl.n == 0 || y >= h)
		return y;
	for (size_t i = 0; i < D(app)->cl.n; i++)
		done += (size_t)checked(app, i);
	snprintf(title, sizeof(title), "Checklist %s: %zu/%zu (x ticks)", D(app)->cl_name, done,
		 D(app)->cl.n);
	if (!full) {
		tui_put(&app->th, w, y, 0, lw, TUI_R_DIM, 0, title);
		return y + 1;
	}
	tui_rule(&app->th, w, y++, 0, lw, title);
	for (size_t i = 0; i < D(app)->cl.n && y < h; i++, y++) {
		int on = checked(app, i);

		tui_putf(&app->th, w, y, 0, 8, on ? TUI_R_OK : TUI_R_KEY, "[%c] %2d", on ? 'x' : ' ',
			 D(app)->cl.v[i].number);
		tui_put(&app->th, w, y, 8, lw - 8, on ? TUI_R_DIM : TUI_R_NORMAL, 0, D(app)->cl.v[i].text);
	}
	return y;
}

/* The timeline and the runbook checklist, read when the incident or the data changed. */
static void
detail_update(struct tui_app *app)
{
	const struct sr_incident *inc = tui_model_find(&app->model, D(app)->id);

	if (inc == NULL)
		return;
	load_events(app);
	checklist_load(app, inc);
}

static void
detail_draw(struct tui_app *app, WINDOW *w, int h, int wd)
{
	const struct sr_config *cfg = app->model.cfg;
	const struct sr_incident *inc = tui_model_find(&app->model, D(app)->id);
	struct tui_list *l = &app->list[TUI_V_DETAIL];
	struct sr_timers t;
	char buf[128], dur[24];
	int y = 0, x = 0, lw, tx, ty, th, fr;

	if (inc == NULL) {
		tui_putf(&app->th, w, 1, 2, wd - 4, TUI_R_WARN, "no incident %s", D(app)->id);
		return;
	}
	sr_incident_timers(inc, cfg, app->model.now, &t);

	/* title line */
	x = tui_put(&app->th, w, y, 0, 14, TUI_R_TITLE, 0, inc->id) + 1;
	x += tui_put(&app->th, w, y, x, 4, tui_sev_role(inc->sev), 0, sr_sev_name(inc->sev)) + 1;
	x += tui_put(&app->th, w, y, x, 14, TUI_R_NORMAL, 0, sr_status_name(inc->status)) + 1;
	tui_put(&app->th, w, y, x, wd - x, TUI_R_TITLE, 0, inc->title);
	y += 1;

	/* two columns when there is room: facts left, timeline right; else stacked */
	lw = wd >= 110 ? 54 : wd;
	y = field(app, w, y, 0, lw, "Service", inc->service, TUI_R_NORMAL);
	/* multi-line fields take a few rows where the screen has them (stacked above the
	 * timeline on a small screen: one, ending in an ellipsis when there is more) */
	fr = h >= 40 ? 4 : h >= 30 ? 3 : lw < wd ? 2 : 1;
	y = block_field(app, w, y, 0, lw, "Impact", inc->impact, fr);
	snprintf(buf, sizeof(buf), "%s ago (%s)",
		 sr_duration_format(app->model.now - inc->created_at, dur, sizeof(dur)),
		 sr_time_format(inc->created_at, buf + 100, 28));
	y = field(app, w, y, 0, lw, "Opened", buf, TUI_R_NORMAL);
	y = timer_field(app, w, y, 0, lw, "Respond", &t.respond);
	y = timer_field(app, w, y, 0, lw, "Resolve", &t.resolve);
	y = timer_field(app, w, y, 0, lw, "Next update", &t.update);
	if (inc->root_cause)
		y = block_field(app, w, y, 0, lw, "Root cause", inc->root_cause, fr);
	if (inc->resolution)
		y = block_field(app, w, y, 0, lw, "Resolution", inc->resolution, fr);

	/* escalation ladder: who is at each level, where the incident is, when the next is due */
	tui_rule(&app->th, w, y++, 0, lw, "Escalation");
	for (int lv = 0; lv < SR_LEVEL_COUNT && y < h; lv++) {
		int here = lv == t.due_level;
		enum tui_role r = here ? (lv > 0 ? TUI_R_WARN : TUI_R_OK) :
				  lv < t.due_level ? TUI_R_NORMAL : TUI_R_DIM;
		/* a level that follows a rotation names whoever is on call in it now */
		char *who = tui_oncall_level(app, lv);
		int cw = lw - 27 - 16 > 14 ? lw - 27 - 16 : 14, lx = 27 + cw + 1;

		tui_put(&app->th, w, y, 0, 2, r, 0, here ? app->th.g->sel : " ");
		tui_putf(&app->th, w, y, 2, 24, r, "L%d %s", lv + 1, cfg->level[lv].name);
		tui_put(&app->th, w, y, 27, cw, r, 0, who);
		free(who);
		if (lv == t.due_level + 1 && t.next_escalation != 0)
			tui_putf(&app->th, w, y, lx, lw - lx, TUI_R_WARN, "in %s",
				 sr_duration_format(t.next_escalation - app->model.now, dur,
						    sizeof(dur)));
		else if (lv > t.due_level && inc->acked_at == 0 && sr_incident_is_open(inc))
			tui_putf(&app->th, w, y, lx, lw - lx, TUI_R_DIM, "after %s",
				 sr_duration_format(sr_config_escalate_after(cfg, inc->sev, lv), dur,
						    sizeof(dur)));
		y++;
	}
	if (y < h) {
		int col = 0;

		for (int r = 0; r < SR_ROLE_COUNT; r++) {
			col += tui_putf(&app->th, w, y, col, lw - col, TUI_R_DIM, "%s ",
					sr_role_name((enum sr_role)r));
			col += tui_put(&app->th, w, y, col, lw - col, TUI_R_NORMAL, 0,
				       inc->roles[r] ? inc->roles[r] : "-") + 2;
		}
		y++;
	}
	if (y < h) {
		int col = tui_put(&app->th, w, y, 0, 13, TUI_R_DIM, 0, "Alerts");

		col = 13;
		if (inc->n_alerts == 0)
			tui_put(&app->th, w, y, col, lw - col, TUI_R_DIM, 0, "-");
		for (size_t i = 0; i < inc->n_alerts && col < lw; i++) {
			const char *name = inc->alerts[i];

			for (size_t k = 0; k < app->model.alerts.n; k++)
				if (app->model.alerts.v[k].fingerprint &&
				    strcmp(app->model.alerts.v[k].fingerprint, name) == 0)
					name = tui_alert_name(&app->model.alerts.v[k]);
			col += tui_put(&app->th, w, y, col, lw - col, TUI_R_LINK, 0, name) + 2;
		}
		y++;
	}

	if (lw < wd)
		y = draw_checklist(app, w, y, h, lw, 1);

	/* timeline */
	if (lw < wd) {
		tx = lw + 2;
		ty = 1;
	} else {
		tx = 0;
		ty = draw_checklist(app, w, y, h, lw, 0);
	}
	th = h - ty - 1;
	if (th < 1)
		return;
	snprintf(buf, sizeof(buf), "Timeline (%zu)", D(app)->events.n);
	tui_rule(&app->th, w, ty, tx, wd - tx, buf);
	{
		/* entries wrap under their text column, none ends in an ellipsis */
		const struct sr_event_list *ev = &D(app)->events;
		int dx = tx + 6 + 8 + 1, used = 0;	/* time, actor, text */
		size_t last_top = ev->n;

		/* the latest top from which the rest of the timeline fills the rows */
		while (last_top > 0) {
			used += tui_put_wrapped(&app->th, w, 0, dx, wd - dx, TUI_R_NORMAL, 0,
						ev->v[last_top - 1].detail);
			if (used > th)
				break;
			last_top--;
		}
		if (l->top > last_top)
			l->top = last_top;
		used = 0;
		for (size_t i = l->top; i < ev->n && used < th; i++) {
			char ts[32];
			int ey = ty + 1 + used;

			sr_time_format(ev->v[i].at, ts, sizeof(ts));
			tui_putf(&app->th, w, ey, tx, 6, TUI_R_DIM, "%.5s", ts + 11);
			tui_put(&app->th, w, ey, tx + 6, 8, TUI_R_KEY, 1, ev->v[i].actor);
			used += tui_put_wrapped(&app->th, w, ey, dx, wd - dx, TUI_R_NORMAL,
						th - used, ev->v[i].detail);
		}
	}
}

static enum tui_result
detail_action(struct tui_app *app, enum tui_action a)
{
	struct tui_list *l = &app->list[TUI_V_DETAIL];
	const struct sr_incident *inc;

	switch (a) {
	case TUI_A_UP:
		if (l->top > 0)
			l->top--;
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_A_DOWN:
		l->top++;	/* clamped when drawn */
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_A_TOP:
		l->top = 0;
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_A_BOTTOM:
		l->top = D(app)->events.n;
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_A_RUNBOOK:
		inc = tui_model_find(&app->model, D(app)->id);
		for (size_t i = 0; inc != NULL && i < inc->n_alerts; i++)
			for (size_t k = 0; k < app->model.alerts.n; k++)
				if (app->model.alerts.v[k].fingerprint &&
				    strcmp(app->model.alerts.v[k].fingerprint, inc->alerts[i]) == 0) {
					tui_runbook_for_alert(app, &app->model.alerts.v[k]);
					return TUI_HANDLED | TUI_REDRAW;
				}
		tui_message(app, 1, "no firing alert linked to %s to find a runbook by",
			    D(app)->id);
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_A_CHECK:
		if (tui_refuse_readonly(app))
			return TUI_HANDLED | TUI_REDRAW;
		if (D(app)->cl_path == NULL || D(app)->cl.n == 0) {
			tui_message(app, 1, "no runbook checklist for %s", D(app)->id);
			return TUI_HANDLED | TUI_REDRAW;
		}
		snprintf(app->target_id, sizeof(app->target_id), "%s", D(app)->id);
		{
			char label[64];

			snprintf(label, sizeof(label), "Tick checklist item (1-%d): ",
				 D(app)->cl.v[D(app)->cl.n - 1].number);
			tui_prompt_text(app, TUI_A_CHECK, label, NULL);
		}
		return TUI_HANDLED | TUI_REDRAW;
	default:
		return tui_incident_action(app, D(app)->id, a);
	}
}

static enum tui_result
detail_answer(struct tui_app *app, enum tui_action a, const char *text)
{
	struct sr_change ch = { .op = SR_CH_CHECK };
	char *done = NULL, *err = NULL;
	int n = atoi(text);

	if (a != TUI_A_CHECK)
		return tui_incident_answer(app, a, text);
	for (size_t i = 0; i < D(app)->cl.n; i++) {
		if (D(app)->cl.v[i].number != n)
			continue;
		ch.a = D(app)->cl_name;
		ch.b = D(app)->cl.v[i].text;
		ch.n = n;
		ch.done = !checked(app, i);
		if (tui_model_change(&app->model, app->target_id, &ch, &done, &err) != 0)
			tui_error(app, err);
		else
			tui_message(app, 0, "%s", done);
		free(done);
		D(app)->events_gen = 0;
		return TUI_HANDLED | TUI_REDRAW;
	}
	tui_message(app, 1, "no checklist item %s", text);
	return TUI_HANDLED | TUI_REDRAW;
}

static void
detail_done(struct tui_app *app)
{
	checklist_clear(app);
	sr_event_list_done(&D(app)->events);
	memset(&D(app)->events, 0, sizeof(D(app)->events));
}

const struct tui_view_ops tui_view_detail = TUI_VIEW(
	"incident", 1, "a ack  s status  n note  o role  e escalate  R resolve  C close  r runbook  x tick",
	.enter = detail_enter, .open = detail_open, .update = detail_update, .draw = detail_draw,
	.action = detail_action, .answer = detail_answer, .done = detail_done);
