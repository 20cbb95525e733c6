/* SPDX-License-Identifier: MIT */
/*
 * view_slack.c: the console's Slack view: pick the message kind and the target, see the exact
 * text that goes out, send it through the outbox after one y/n question, retry or drop the
 * messages still waiting. Delivery runs in a worker thread with its own store connection and
 * HTTP client, so the console never waits for Slack (see docs/architecture.md). Also the
 * dashboard's "needs attention" lines: messages stuck in the outbox, overdue action items.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "http.h"
#include "outbox.h"
#include "slack.h"
#include "text.h"

/* Messages undelivered this long (or failed, or unknown) count as stuck on the dashboard. */
#define STUCK_MS 60000
/* The worker looks at the outbox at least this often (messages queued by `sitrep slack`). */
#define IDLE_MS 5000

struct comms {
	int kind;			/* enum sr_slack_kind, when chosen for kind_of */
	char kind_of[SR_ID_MAX];	/* the incident the kind was chosen for ("": none) */
	size_t target;			/* index into cfg->targets */
	struct sr_buf preview;		/* the text as the target will show it, rendered by update */
	char preview_err[200];
	struct sr_outbox_list ob;	/* undelivered messages, oldest first */
	struct sr_action_list late;	/* open action items past their due date */
	unsigned inc_gen;		/* the model's incidents the lists were read against */
	int loaded;

	/* the delivery worker */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int started, stop, wake;
	atomic_int changed;		/* the worker delivered, failed or recovered something */
	struct sr_store *wst;		/* the worker's own connection */
	struct sr_http *wh;
	const struct sr_config *cfg;
	char werr[200];			/* the worker's last store error (under mu) */
};

static struct comms *
state(struct tui_app *app)
{
	return tui_view_state(app, TUI_V_SLACK, sizeof(struct comms));
}

static int64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* --- the delivery worker --- */

static void *
worker(void *arg)
{
	struct comms *c = arg;

	pthread_mutex_lock(&c->mu);
	while (!c->stop) {
		struct sr_outbox_pass pass;
		char *err = NULL;
		int64_t wait;
		int rc;

		c->wake = 0;
		pthread_mutex_unlock(&c->mu);
		rc = sr_outbox_deliver(c->wst, c->cfg, c->wh, (int64_t)getpid(), wall_ms(), &pass,
				       &err);
		pthread_mutex_lock(&c->mu);
		if (rc != 0) {
			snprintf(c->werr, sizeof(c->werr), "outbox: %s", err ? err : "store error");
			wait = IDLE_MS;
		} else {
			wait = pass.wait_ms < 0 || pass.wait_ms > IDLE_MS ? IDLE_MS : pass.wait_ms;
			if (pass.sent + pass.failed + pass.retry + pass.recovered > 0)
				atomic_store(&c->changed, 1);
		}
		free(err);
		if (c->stop || c->wake || wait == 0)
			continue;
		{
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += wait / 1000;
			ts.tv_nsec += (wait % 1000) * 1000000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			while (!c->stop && !c->wake &&
			       pthread_cond_timedwait(&c->cv, &c->mu, &ts) == 0)
				;
		}
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

/* Starts the worker once: a writable console with targets and a store that keeps an outbox. */
static void
start(struct tui_app *app, struct comms *c)
{
	char *err = NULL;

	if (c->started || app->opt.readonly || app->model.cfg->n_targets == 0)
		return;
	c->started = -1;	/* tried */
	if (sr_store_has_outbox(app->model.st, &err) != 0) {
		free(err);
		return;
	}
	if ((c->wst = sr_store_open(app->model.ses->store_where, &err)) == NULL ||
	    (c->wh = sr_http_new(&err)) == NULL) {
		tui_error(app, err);
		return;
	}
	c->cfg = app->model.cfg;
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	if (pthread_create(&c->thread, NULL, worker, c) != 0) {
		tui_message(app, 1, "cannot start the message sender: messages wait in the outbox");
		return;
	}
	c->started = 1;
}

static void
wake(struct comms *c)
{
	if (c->started != 1)
		return;
	pthread_mutex_lock(&c->mu);
	c->wake = 1;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

/* --- what the view and the dashboard show --- */

/* The incident written about: the one last acted on, else the most urgent open one. */
static const struct sr_incident *
subject(struct tui_app *app)
{
	const struct sr_incident *inc = NULL;
	struct sr_deadline d;
	const char *what;

	if (app->target_id[0] != '\0')
		inc = tui_model_find(&app->model, app->target_id);
	if (inc == NULL)
		inc = tui_model_most_urgent(&app->model, &d, &what);
	return inc;
}

/* The kind shown: the one chosen for this incident, else the one it calls for now. */
static enum sr_slack_kind
kind(struct comms *c, const struct sr_incident *inc)
{
	if (inc != NULL && strcmp(c->kind_of, inc->id) != 0)
		return sr_slack_kind_for(inc);
	return (enum sr_slack_kind)c->kind;
}

static const struct sr_target *
target(struct tui_app *app, struct comms *c)
{
	const struct sr_config *cfg = app->model.cfg;

	if (cfg->n_targets == 0)
		return NULL;
	if (c->target >= cfg->n_targets)
		c->target = 0;
	return &cfg->targets[c->target];
}

/* Re-reads the undelivered messages and the overdue action items. */
static void
reload_lists(struct tui_app *app, struct comms *c)
{
	struct sr_store *st = app->model.st;
	struct sr_outbox_filter f = { .undelivered = 1 };
	struct sr_action_filter af = { .open_only = 1 };
	struct sr_action_list all = { 0 };
	char *err = NULL;

	sr_outbox_list_done(&c->ob);
	memset(&c->ob, 0, sizeof(c->ob));
	if (sr_store_has_outbox(st, NULL) == 0 && st->ops->outbox_list(st, &f, &c->ob, &err) != 0)
		tui_error(app, err), err = NULL;
	sr_action_list_done(&c->late);
	memset(&c->late, 0, sizeof(c->late));
	if (sr_store_has_postmortem(st, NULL) == 0 && st->ops->actions(st, &af, &all, &err) == 0) {
		for (size_t i = 0; i < all.n; i++) {
			if (all.v[i].done_at == 0 && all.v[i].due != 0 &&
			    all.v[i].due < app->model.now) {
				*sr_action_list_push(&c->late) = all.v[i];
				memset(&all.v[i], 0, sizeof(all.v[i]));
			}
		}
	}
	free(err);
	sr_action_list_done(&all);
	c->inc_gen = app->model.inc_gen;
	c->loaded = 1;
}

/* Renders the chosen message for the chosen target into c->preview (the timeline is read). */
static void
render(struct tui_app *app, struct comms *c)
{
	const struct sr_incident *inc = subject(app);
	const struct sr_target *tg = target(app, c);
	struct sr_event_list ev = { 0 };
	struct sr_override_list ov = { 0 };
	char *err = NULL, *dir;

	sr_buf_done(&c->preview);
	sr_buf_init(&c->preview);
	c->preview_err[0] = '\0';
	if (inc == NULL)
		return;
	dir = sr_slack_template_dir(app->model.cfg);
	sr_store_overrides_at(app->model.st, app->model.now, &ov);
	if (tui_model_events(&app->model, inc->id, &ev, &err) == 0) {
		struct sr_slack_input in = { .inc = inc, .events = &ev, .cfg = app->model.cfg,
					     .now = app->model.now, .tpl_dir = dir,
					     .overrides = ov.v, .n_overrides = ov.n };
		/* the exact text that goes out: the payload the outbox would queue for this target
		 * (Block Kit for Slack, Mattermost's), read back as the receiver shows its text */
		struct sr_buf payload;

		sr_buf_init(&payload);
		if (sr_slack_render(tg != NULL ? &payload : &c->preview, kind(c, inc),
				    tg != NULL ? sr_outbox_format(tg) : SR_FMT_TEXT, &in, &err) != 0)
			snprintf(c->preview_err, sizeof(c->preview_err), "template error: %s", err);
		else if (tg != NULL &&
			 sr_slack_payload_text(&c->preview, payload.data, payload.len, &err) != 0)
			snprintf(c->preview_err, sizeof(c->preview_err), "%s", err);
		sr_buf_done(&payload);
	} else {
		snprintf(c->preview_err, sizeof(c->preview_err), "%s", err ? err : "no timeline");
	}
	free(err);
	free(dir);
	sr_event_list_done(&ev);
	sr_override_list_done(&ov);
}

int
tui_comms_tick(struct tui_app *app)
{
	struct comms *c = state(app);
	int changed = tui_export_tick(app);

	start(app, c);
	if (atomic_exchange(&c->changed, 0)) {
		char *err = NULL;

		/* a delivery also changes nothing on the incident; a failure shows at once */
		if (tui_model_reload(&app->model, &err) != 0)
			free(err);
		changed = 1;
	}
	if (changed || !c->loaded || c->inc_gen != app->model.inc_gen) {
		reload_lists(app, c);
		changed = 1;
	}
	if (c->started == 1) {
		pthread_mutex_lock(&c->mu);
		if (c->werr[0] != '\0') {
			tui_message(app, 1, "%s", c->werr);
			c->werr[0] = '\0';
			changed = 1;
		}
		pthread_mutex_unlock(&c->mu);
	}
	if (app->view == TUI_V_SLACK)
		render(app, c);	/* the timers in the text move every second */
	return changed;
}

static int
stuck(const struct sr_outbox_msg *m, int64_t now_ms)
{
	return m->state == SR_OB_FAILED || m->state == SR_OB_UNKNOWN ||
	       now_ms - m->created_at * 1000 >= STUCK_MS;
}

int
tui_comms_notes(struct tui_app *app, WINDOW *w, int y, int h, int wd)
{
	struct comms *c = state(app);
	int64_t now_ms = wall_ms();
	int rows = 0;

	for (size_t i = 0; i < c->ob.n && rows < h; i++) {
		const struct sr_outbox_msg *m = &c->ob.v[i];

		if (!stuck(m, now_ms))
			continue;
		tui_putf(&app->th, w, y + rows++, 0, wd, TUI_R_CRIT,
			 "%s %s: %s message %lld to %s %s in the outbox%s%s", app->th.g->breach,
			 m->incident, m->kind, (long long)m->id, m->target,
			 sr_outbox_state_name(m->state), m->error ? ": " : "",
			 m->error ? m->error : "");
	}
	for (size_t i = 0; i < c->late.n && rows < h; i++) {
		const struct sr_action *a = &c->late.v[i];
		char dur[24];

		tui_putf(&app->th, w, y + rows++, 0, wd, TUI_R_WARN,
			 "%s %s: action %lld overdue by %s (%s): %s", app->th.g->breach, a->incident,
			 (long long)a->id, sr_duration_format(app->model.now - a->due, dur, 24),
			 a->owner ? a->owner : "nobody", a->text ? a->text : "");
	}
	return rows;
}

/* --- the view --- */

static void
update(struct tui_app *app)
{
	struct comms *c = state(app);

	if (!c->loaded || c->inc_gen != app->model.inc_gen)
		reload_lists(app, c);
	render(app, c);
}

static void
draw_kinds(struct tui_app *app, struct comms *c, WINDOW *w, int y, int wd)
{
	const struct sr_target *tg = target(app, c);
	int x = 2;

	for (int k = 0; k < SR_SLACK_KIND_COUNT; k++) {
		char word[24];

		int cur = k == (int)kind(c, subject(app));

		snprintf(word, sizeof(word), cur ? "[%s]" : " %s ",
			 sr_slack_kind_name((enum sr_slack_kind)k));
		x += tui_put(&app->th, w, y, x, wd - x, cur ? TUI_R_SELECTED : TUI_R_DIM, 0, word);
	}
	x += tui_put(&app->th, w, y, x, wd - x, TUI_R_DIM, 0, "  to ");
	tui_put(&app->th, w, y, x, wd - x, tg ? TUI_R_KEY : TUI_R_WARN, 0,
		tg ? tg->name : "no target: add [slack NAME] to the config");
}

static void
draw(struct tui_app *app, WINDOW *w, int h, int wd)
{
	struct comms *c = state(app);
	const struct sr_incident *inc = subject(app);
	const struct sr_target *tg = target(app, c);
	size_t n_ob = c->ob.n;
	int ob_rows = n_ob == 0 ? 0 : (int)(n_ob < 4 ? n_ob : 4) + 1;
	int text_end = h - 1 - ob_rows, y = 2;
	char title[120];

	if (inc == NULL) {
		tui_rule(&app->th, w, 0, 0, wd, "Slack preview");
		tui_put(&app->th, w, 2, 2, wd - 4, TUI_R_DIM, 0, "No incident to write about.");
	} else {
		snprintf(title, sizeof(title), "Slack preview: %s, %s message%s%s", inc->id,
			 sr_slack_kind_title(kind(c, inc)), tg ? " to " : "",
			 tg ? tg->name : "");
		tui_rule(&app->th, w, 0, 0, wd, title);
		draw_kinds(app, c, w, 1, wd);
		if (c->preview_err[0] != '\0')
			tui_put(&app->th, w, y++, 2, wd - 4, TUI_R_ERROR, 0, c->preview_err);
		for (char *line = c->preview.data, *nl; line != NULL && *line && y < text_end;
		     line = nl, y++) {
			char save = 0;

			nl = strchr(line, '\n');
			if (nl != NULL) {
				save = *nl;
				*nl = '\0';
			}
			/* tui_put sanitises: nothing from the incident reaches the terminal raw */
			tui_put(&app->th, w, y, 2, wd - 4, y == 2 ? TUI_R_TITLE : TUI_R_NORMAL, 0,
				line);
			if (nl != NULL)
				*nl++ = save;
		}
	}
	if (ob_rows > 0) {
		struct tui_list *l = &app->list[TUI_V_SLACK];
		int oy = h - ob_rows;

		snprintf(title, sizeof(title), "Outbox: %zu waiting (T retry, d drop)", n_ob);
		tui_rule(&app->th, w, oy, 0, wd, title);
		tui_list_clamp(l, n_ob, ob_rows - 1);
		for (int r = 0; r < ob_rows - 1 && l->top + (size_t)r < n_ob; r++) {
			size_t i = l->top + (size_t)r;
			const struct sr_outbox_msg *m = &c->ob.v[i];

			tui_putf(&app->th, w, oy + 1 + r, 0, wd,
				 i == l->sel ? TUI_R_SELECTED :
				 m->state == SR_OB_FAILED || m->state == SR_OB_UNKNOWN ? TUI_R_CRIT :
											  TUI_R_NORMAL,
				 "%-5lld %-13s %-10s %-8s %-8s %s", (long long)m->id, m->incident,
				 m->kind, m->target, sr_outbox_state_name(m->state),
				 m->error ? m->error : "");
		}
	} else if (text_end + 1 < h) {
		tui_put(&app->th, w, h - 1, 2, wd - 4, TUI_R_DIM, 0,
			"p posts (after y), h/l kind, c target, y copies (OSC 52); nothing waits "
			"in the outbox.");
	}
}

/*
 * Copies text through the terminal with OSC 52 (tmux and most terminals honour it). What is
 * copied will be pasted into a terminal or a chat: it is sanitised like the screen and no
 * secret of the configuration is in it (sr_text_osc52).
 */
static void
osc52(struct tui_app *app, const char *s, size_t len)
{
	struct sr_buf b;
	size_t n;
	char **secrets = sr_config_secrets(app->model.cfg, &n);

	sr_buf_init(&b);
	sr_text_osc52(&b, s, len, (const char *const *)secrets, n);
	sr_secrets_free(secrets, n);
	/* the base64 alphabet is all that follows the introducer: nothing else reaches the tty */
	if (write(STDOUT_FILENO, b.data, b.len) < 0) {
		/* nothing to do: the preview stays on screen */
	}
	sr_buf_done(&b);
}

static const struct sr_outbox_msg *
selected(struct tui_app *app, struct comms *c)
{
	size_t sel = app->list[TUI_V_SLACK].sel;

	return sel < c->ob.n ? &c->ob.v[sel] : NULL;
}

static enum tui_result
action(struct tui_app *app, enum tui_action a)
{
	struct comms *c = state(app);
	const struct sr_incident *inc = subject(app);
	const struct sr_target *tg = target(app, c);
	const struct sr_outbox_msg *m = selected(app, c);
	char q[160];

	switch (a) {
	case TUI_A_OPEN:
	case TUI_A_COPY:
		if (inc == NULL)
			return TUI_UNHANDLED;
		osc52(app, c->preview.data ? c->preview.data : "", c->preview.len);
		tui_message(app, 0, "copied %zu bytes to the clipboard (OSC 52)", c->preview.len);
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_A_LEFT:
	case TUI_A_RIGHT:
		if (inc == NULL)
			return TUI_HANDLED;
		c->kind = ((int)kind(c, inc) + (a == TUI_A_RIGHT ? 1 : SR_SLACK_KIND_COUNT - 1)) %
			  SR_SLACK_KIND_COUNT;
		snprintf(c->kind_of, sizeof(c->kind_of), "%s", inc->id);
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_A_TARGET:
		if (app->model.cfg->n_targets == 0) {
			tui_message(app, 1, "no message targets: add a [slack NAME] or [mattermost "
					    "NAME] section to the config");
			return TUI_HANDLED | TUI_REDRAW;
		}
		c->target = (c->target + 1) % app->model.cfg->n_targets;
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_A_SEND:
		if (tui_refuse_readonly(app))
			return TUI_HANDLED | TUI_REDRAW;
		if (inc == NULL || tg == NULL) {
			tui_message(app, 1, inc == NULL ? "no incident to write about" :
							  "no message targets in the config");
			return TUI_HANDLED | TUI_REDRAW;
		}
		snprintf(app->target_id, sizeof(app->target_id), "%s", inc->id);
		/* the kind asked about is the kind sent, whatever the clock does meanwhile */
		c->kind = (int)kind(c, inc);
		snprintf(c->kind_of, sizeof(c->kind_of), "%s", inc->id);
		snprintf(q, sizeof(q), "Send the %s message of %s to %s? y to send, any other key "
			 "cancels ", sr_slack_kind_name((enum sr_slack_kind)c->kind), inc->id,
			 tg->name);
		tui_prompt_confirm(app, TUI_A_SEND, q);
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_A_RETRY:
	case TUI_A_DROP:
		if (tui_refuse_readonly(app))
			return TUI_HANDLED | TUI_REDRAW;
		if (m == NULL) {
			tui_message(app, 1, "no message selected: the outbox is empty");
			return TUI_HANDLED | TUI_REDRAW;
		}
		snprintf(q, sizeof(q), "%s message %lld (%s of %s to %s)? y to do it, any other "
			 "key cancels ", a == TUI_A_DROP ? "Drop" : "Retry", (long long)m->id,
			 m->kind, m->incident, m->target);
		tui_prompt_confirm(app, a, q);
		/* the question carries the id: the list may move before the answer */
		snprintf(q, sizeof(q), "%lld", (long long)m->id);
		tui_text_set(&app->prompt.text, q);
		app->prompt.staged = 1;
		return TUI_HANDLED | TUI_REDRAW;
	default:
		return tui_list_move(&app->list[TUI_V_SLACK], a, c->ob.n, 4);
	}
}

static enum tui_result
send_now(struct tui_app *app, struct comms *c)
{
	const struct sr_incident *inc = tui_model_find(&app->model, app->target_id);
	const struct sr_target *tg = target(app, c);
	char *err = NULL, *dir, id[SR_ID_MAX];
	int64_t msg = 0;

	if (inc == NULL || tg == NULL) {
		tui_message(app, 1, "nothing sent: the incident or the target is gone");
		return TUI_HANDLED | TUI_REDRAW;
	}
	snprintf(id, sizeof(id), "%s", inc->id);
	start(app, c);
	tui_model_clock(&app->model);
	dir = sr_slack_template_dir(app->model.cfg);
	/* the message and its "update sent" event in one transaction; the worker posts it */
	if (sr_outbox_queue(app->model.st, app->model.cfg, tg, id, (enum sr_slack_kind)c->kind,
			    dir, app->model.ses->actor, app->model.now, wall_ms(), &msg,
			    &err) != 0) {
		free(dir);
		tui_error(app, err);
		return TUI_HANDLED | TUI_REDRAW;
	}
	free(dir);
	wake(c);
	if (tui_model_reload(&app->model, &err) != 0)
		tui_error(app, err);
	else
		tui_message(app, 0, "%s: %s message queued as message %lld to %s%s", id,
			    sr_slack_kind_name((enum sr_slack_kind)c->kind), (long long)msg,
			    tg->name, c->started == 1 ? ": sending" : " (not sent from here)");
	reload_lists(app, c);
	return TUI_HANDLED | TUI_REDRAW;
}

static enum tui_result
answer(struct tui_app *app, enum tui_action a, const char *text)
{
	struct comms *c = state(app);
	char *err = NULL;
	long long id = atoll(text);

	if (a == TUI_A_SEND)
		return send_now(app, c);
	if (a != TUI_A_RETRY && a != TUI_A_DROP)
		return TUI_UNHANDLED;
	if (id <= 0) {
		tui_message(app, 1, "no message selected");
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (a == TUI_A_DROP ? app->model.st->ops->outbox_drop(app->model.st, id, &err) :
			      sr_outbox_retry(app->model.st, id, wall_ms(), &err)) {
		tui_error(app, err);
	} else {
		tui_message(app, 0, "message %lld %s", id,
			    a == TUI_A_DROP ? "dropped" : "back in the queue: sending");
		start(app, c);
		wake(c);
	}
	reload_lists(app, c);
	return TUI_HANDLED | TUI_REDRAW;
}

static void
done(struct tui_app *app)
{
	struct comms *c = app->priv[TUI_V_SLACK];

	if (c == NULL)
		return;
	if (c->started == 1) {
		pthread_mutex_lock(&c->mu);
		c->stop = 1;
		pthread_cond_signal(&c->cv);
		pthread_mutex_unlock(&c->mu);
		/* a post in flight is cut short, not waited for (up to the target's timeout): it
		 * stays in the outbox, as after a kill, and the next sender delivers it */
		sr_http_abort(c->wh);
		pthread_join(c->thread, NULL);
		pthread_mutex_destroy(&c->mu);
		pthread_cond_destroy(&c->cv);
	}
	sr_http_free(c->wh);
	sr_store_close(c->wst);
	sr_buf_done(&c->preview);
	sr_outbox_list_done(&c->ob);
	sr_action_list_done(&c->late);
}

const struct tui_view_ops tui_view_slack = TUI_VIEW("slack", 1,
	"h/l kind  c target  p post  j/k T d outbox  y copy",
	.update = update, .draw = draw, .action = action, .answer = answer, .done = done);
