/* SPDX-License-Identifier: MIT */
/*
 * view_silences.c: silences in the console. The silence form's duration and comment
 * ("MATCHERS for 90m -- COMMENT", Tab cycling the presets); the silences view listing the
 * active, pending and recently expired silences of every Alertmanager, where one is expired,
 * extended or re-created after a y/n question; and the silences covering an alert, for its
 * detail. The bodies are the core's (sr_am_silence_json, _extend_json, _recreate_json), the
 * same the CLI sends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ack.h"
#include "app.h"
#include "text.h"

#define DEFAULT_SECS (2 * 3600)
#define LIST_MAX_AGE 30		/* seconds before the list is asked for again */
#define EXPIRED_SHOWN (24 * 3600)	/* "recently expired": ended within a day */

static const char *const presets[] = { "1h", "2h", "4h", "8h", "1d" };

/* --- the form: MATCHERS [for DURATION] [-- COMMENT] --- */

/* Spaces off both ends of s, in place. */
static void
trim(char *s)
{
	size_t n = strlen(s), a = 0;

	while (n > 0 && s[n - 1] == ' ')
		s[--n] = '\0';
	while (s[a] == ' ')
		a++;
	memmove(s, s + a, n - a + 1);
}

/* Where the comment starts (" -- "), and where " for DUR" starts, both outside quotes. */
static void
spec_split(const char *text, size_t *matchers_end, const char **dur, size_t *dur_len,
	   const char **comment)
{
	size_t n = strlen(text), cut = n, last_for = (size_t)-1, com_at = n;
	int q = 0;

	*dur = NULL;
	*comment = NULL;
	for (size_t i = 0; i < n; i++) {
		if (text[i] == '\\' && q && i + 1 < n) {
			i++;
			continue;
		}
		if (text[i] == '"')
			q = !q;
		if (q)
			continue;
		if (strncmp(text + i, " -- ", 4) == 0 || strcmp(text + i, " --") == 0) {
			*comment = text + i + (text[i + 3] ? 4 : 3);
			cut = com_at = i;
			break;
		}
		if ((i == 0 || text[i - 1] == ' ' || text[i - 1] == ',') &&
		    strncmp(text + i, "for ", 4) == 0)
			last_for = i;
	}
	*dur_len = 0;
	if (last_for != (size_t)-1 && last_for < cut) {
		*dur = text + last_for + 4;
		*dur_len = com_at - (last_for + 4);
		cut = last_for;
	}
	while (cut > 0 && (text[cut - 1] == ' ' || text[cut - 1] == ','))
		cut--;
	*matchers_end = cut;
}

int
tui_silence_spec(const char *text, struct sr_matchers *m, int64_t *secs, char **comment,
		 char **err)
{
	size_t mend, dl;
	const char *dur, *com;
	char *mtext, *dtext = NULL;
	int rc = 0;

	spec_split(text, &mend, &dur, &dl, &com);
	*secs = DEFAULT_SECS;
	if (comment != NULL)
		*comment = NULL;
	if (dur != NULL) {
		dtext = sr_xstrndup(dur, dl);
		trim(dtext);
		if (sr_duration_parse(dtext, secs, NULL) != 0 || *secs <= 0) {
			rc = sr_err(err, "bad duration \"%s\" after \"for\" (1h, 2h, 4h, 8h, 1d or "
				    "e.g. 90m)", dtext);
			free(dtext);
			return rc;
		}
		free(dtext);
	}
	mtext = sr_xstrndup(text, mend);
	if (m != NULL) {
		if (sr_matchers_parse(m, mtext, err) != 0)
			rc = -1;
		else if (m->n == 0)
			rc = sr_err(err, "a silence needs at least one matcher");
	}
	free(mtext);
	if (rc == 0 && comment != NULL && com != NULL) {
		*comment = sr_xstrdup(com);
		trim(*comment);
		if (**comment == '\0') {
			free(*comment);
			*comment = NULL;
		}
	}
	return rc;
}

/* "2h" or "90m": the duration the form's text asks for, as typed (or the default). */
static void
spec_duration(const char *text, char *out, size_t n)
{
	size_t mend, dl;
	const char *dur, *com;
	int64_t secs;

	spec_split(text, &mend, &dur, &dl, &com);
	if (dur == NULL) {
		snprintf(out, n, "2h");
		return;
	}
	snprintf(out, n, "%.*s", (int)dl, dur);
	trim(out);
	if (sr_duration_parse(out, &secs, NULL) != 0 || secs <= 0)
		snprintf(out, n, "?");
}

void
tui_silence_label(const char *text, char *out, size_t n)
{
	char d[24];

	spec_duration(text, d, sizeof(d));
	snprintf(out, n, "Silence %s ", d);
}

void
tui_silence_preview(const struct tui_app *app, const char *text, char *out, size_t n)
{
	size_t mend, dl;
	const char *dur, *com;
	char *mtext;

	spec_split(text, &mend, &dur, &dl, &com);
	mtext = sr_xstrndup(text, mend);
	tui_model_silence_preview(&app->model, mtext, out, n);
	free(mtext);
}

void
tui_silence_question(const struct tui_app *app, const char *text, char *out, size_t n)
{
	char pv[80], d[24], *comment = NULL;
	int64_t secs;

	tui_silence_preview(app, text, pv, sizeof(pv));
	spec_duration(text, d, sizeof(d));
	if (tui_silence_spec(text, NULL, &secs, &comment, NULL) == 0 && comment != NULL)
		snprintf(out, n, "Silence %s for %s (\"%.40s\")", pv, d, comment);
	else
		snprintf(out, n, "Silence %s for %s", pv, d);
	free(comment);
}

/* The next preset after what text asks for; text gains or changes its " for DUR". */
void
tui_silence_next_preset(char *buf, size_t size)
{
	size_t mend, dl, k = 0;
	const char *dur, *com;
	char d[24], *rest;
	struct sr_buf b;

	spec_duration(buf, d, sizeof(d));
	for (size_t i = 0; i < SR_ARRAY_LEN(presets); i++)
		if (strcmp(d, presets[i]) == 0)
			k = (i + 1) % SR_ARRAY_LEN(presets);
	spec_split(buf, &mend, &dur, &dl, &com);
	rest = com != NULL ? sr_xstrdup(com) : NULL;
	sr_buf_init(&b);
	sr_buf_add(&b, buf, mend);
	sr_buf_printf(&b, " for %s", presets[k]);
	if (rest != NULL)
		sr_buf_printf(&b, " -- %s", rest);
	snprintf(buf, size, "%s", b.data);
	sr_buf_done(&b);
	free(rest);
}

/* --- the list, asked of every Alertmanager --- */

struct sil_row {
	struct sr_am_silence s;
	size_t am;		/* which [alertmanager] has it */
};

struct sil_req;

struct silences {
	struct sil_row *v, *next;	/* shown; being collected */
	size_t n, n_next;
	int waiting;			/* GETs of the list still out */
	char *err, *next_err;		/* what failed (sanitised on display) */
	sr_time fetched_at;		/* model time of the last whole list, 0 = never */
	int asked;			/* a list was asked for */
	struct sil_req **out;		/* requests in flight (freed at exit if still out) */
	size_t n_out;
	char target[64];		/* the silence a question is about */
	size_t target_am;
	/* acknowledgements (issue 16): told apart from silences, kept while their incident is open */
	struct sr_am_silences idx;	/* every row's silence (shallow copies), sorted by ID */
	int ack_due;			/* the next whole list plans the acknowledgements */
	sr_time ack_at;			/* model time the last plan was asked for */
	int acks_out;			/* extensions and expiries not answered yet */
};

enum req_kind { REQ_LIST, REQ_EXPIRE, REQ_POST, REQ_ACK_EXTEND, REQ_ACK_EXPIRE };

struct sil_req {
	struct tui_app *app;
	enum req_kind kind;
	size_t am;
	char what[96];		/* "expired 1a2b3c4d" */
};

static struct silences *
SL(struct tui_app *app)
{
	return tui_view_state(app, TUI_V_SILENCES, sizeof(struct silences));
}

static void
rows_free(struct sil_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sr_am_silence_done(&v[i].s);
	free(v);
}

static int
state_rank(const char *st)
{
	return strcmp(st, "active") == 0 ? 0 : strcmp(st, "pending") == 0 ? 1 : 2;
}

static sr_time sort_now;

/* Active, pending, then expired; by end within each (expired: the latest first). */
static int
cmp_rows(const void *x, const void *y)
{
	const struct sil_row *a = x, *b = y;
	int ra = state_rank(sr_am_silence_state(&a->s, sort_now)),
	    rb = state_rank(sr_am_silence_state(&b->s, sort_now));

	if (ra != rb)
		return ra - rb;
	if (a->s.ends_at != b->s.ends_at)
		return (ra == 2 ? a->s.ends_at < b->s.ends_at : a->s.ends_at > b->s.ends_at) ? 1 : -1;
	return strcmp(a->s.id, b->s.id);
}

static void
req_forget(struct silences *sl, struct sil_req *q)
{
	for (size_t i = 0; i < sl->n_out; i++)
		if (sl->out[i] == q) {
			sl->out[i] = sl->out[--sl->n_out];
			break;
		}
	free(q);
}

static void ack_plan(struct tui_app *app);

static void
list_done(struct tui_app *app)
{
	struct silences *sl = SL(app);

	sort_now = app->model.now;
	if (sl->n_next > 1)	/* an empty list is NULL: qsort must not see it */
		qsort(sl->next, sl->n_next, sizeof(*sl->next), cmp_rows);
	rows_free(sl->v, sl->n);
	sl->v = sl->next;
	sl->n = sl->n_next;
	sl->next = NULL;
	sl->n_next = 0;
	free(sl->err);
	sl->err = sl->next_err;
	sl->next_err = NULL;
	sl->fetched_at = app->model.now;
	app->model.feeds_changed = 1;	/* a repaint */
	/* the index sr_ack_of looks acknowledgements up in: the rows' silences, by ID */
	free(sl->idx.v);
	sl->idx.v = sr_xcalloc(sl->n + 1, sizeof(*sl->idx.v));
	for (size_t i = 0; i < sl->n; i++)
		sl->idx.v[i] = sl->v[i].s;
	sl->idx.n = sl->n;
	sr_ack_index(&sl->idx);
	if (sl->ack_due) {
		sl->ack_due = 0;
		ack_plan(app);
	}
}

static void list_fetch(struct tui_app *app);

static void
on_answer(void *arg, struct sr_http_response *r)
{
	struct sil_req *q = arg;
	struct tui_app *app = q->app;
	struct silences *sl = SL(app);
	const char *am = app->model.cfg->am[q->am].name;
	char *err = NULL, *id = NULL;

	if (q->kind == REQ_LIST) {
		struct sr_am_silences got = { 0 };

		if (r->err != NULL) {
			err = sr_xasprintf("Alertmanager %s unreachable: %s", am, r->err);
		} else if (sr_am_parse_silences(r->body, r->len, r->status, r->url, &got,
						&err) == 0) {
			for (size_t i = 0; i < got.n; i++) {
				const struct sr_am_silence *s = &got.v[i];

				if (strcmp(sr_am_silence_state(s, app->model.now), "expired") == 0 &&
				    s->ends_at < app->model.now - EXPIRED_SHOWN)
					continue;	/* only the recently expired */
				sl->next = sr_xrealloc(sl->next, (sl->n_next + 1) * sizeof(*sl->next));
				sl->next[sl->n_next].s = *s;
				sl->next[sl->n_next++].am = q->am;
				memset(&got.v[i], 0, sizeof(got.v[i]));
			}
		}
		sr_am_silences_done(&got);
		if (err != NULL) {
			char *both = sr_xasprintf("%s%s%s", sl->next_err ? sl->next_err : "",
						  sl->next_err ? "; " : "", err);

			free(sl->next_err);
			sl->next_err = both;
		}
		if (--sl->waiting == 0)
			list_done(app);
	} else if (q->kind == REQ_ACK_EXTEND || q->kind == REQ_ACK_EXPIRE) {
		/* quiet when it worked: the console keeps acknowledgements as a matter of course */
		if (r->err != NULL)
			tui_message(app, 1, "%s on %s failed: %s", q->what, am, r->err);
		else if ((q->kind == REQ_ACK_EXTEND ?
				  sr_am_parse_silence_id(r->body, r->len, r->status, r->url, &id, &err) :
				  sr_am_check_status(r->body, r->len, r->status, r->url, &err)) != 0)
			tui_message(app, 1, "%s on %s failed: %s", q->what, am, err);
		if (--sl->acks_out == 0) {
			/* the alerts and the list show the new ends now */
			sr_feeds_poll_alerts_now(app->model.feeds, app->model.now);
			list_fetch(app);
		}
	} else {
		const char *verb = q->kind == REQ_EXPIRE ? "expire" : "change";

		if (r->err != NULL)
			tui_message(app, 1, "%s on %s failed: %s", verb, am, r->err);
		else if (q->kind == REQ_EXPIRE &&
			 sr_am_check_status(r->body, r->len, r->status, r->url, &err) != 0)
			tui_message(app, 1, "%s", err);
		else if (q->kind == REQ_POST &&
			 sr_am_parse_silence_id(r->body, r->len, r->status, r->url, &id, &err) != 0)
			tui_message(app, 1, "%s", err);
		else
			tui_message(app, 0, "%s%s%s on %s", q->what, id ? ": silence " : "",
				    id ? id : "", am);
		app->model.feeds_changed = 1;
		/* the alerts and the list show the change now, not at the next poll */
		sr_feeds_poll_alerts_now(app->model.feeds, app->model.now);
		list_fetch(app);
	}
	free(err);
	free(id);
	req_forget(sl, q);
}

/* Sends one request to Alertmanager am; 0, or -1 with a message shown. */
static int
sil_send(struct tui_app *app, enum req_kind kind, size_t am, const char *method, const char *url,
     const char *body, const char *what)
{
	struct silences *sl = SL(app);
	struct sil_req *q = sr_xcalloc(1, sizeof(*q));
	struct sr_http_request rq = { 0 };
	char *e = NULL;

	q->app = app;
	q->kind = kind;
	q->am = am;
	snprintf(q->what, sizeof(q->what), "%s", what);
	rq.method = method;
	rq.url = url;
	rq.body = body;
	rq.body_len = body != NULL ? strlen(body) : 0;
	rq.content_type = body != NULL ? "application/json" : NULL;
	rq.t = &app->model.cfg->am[am].t;
	if (app->model.http == NULL || sr_http_submit(app->model.http, &rq, on_answer, q, &e) != 0) {
		tui_message(app, 1, "%s failed: %s", what, e ? e : "no HTTP client");
		free(e);
		free(q);
		return -1;
	}
	sl->out = sr_xrealloc(sl->out, (sl->n_out + 1) * sizeof(*sl->out));
	sl->out[sl->n_out++] = q;
	return 0;
}

static void
list_fetch(struct tui_app *app)
{
	struct silences *sl = SL(app);
	const struct sr_config *cfg = app->model.cfg;

	if (sl->waiting > 0 || app->model.feeds->demo != NULL || cfg->n_am == 0)
		return;
	sl->asked = 1;
	for (size_t i = 0; i < cfg->n_am; i++) {
		char *url = sr_am_silences_url(cfg->am[i].t.url);

		sl->waiting++;
		if (sil_send(app, REQ_LIST, i, "GET", url, NULL, "listing silences") != 0)
			sl->waiting--;
		free(url);
	}
	if (sl->waiting == 0)
		list_done(app);
}

void
tui_silences_want(struct tui_app *app)
{
	struct silences *sl = SL(app);
	int any = 0, unknown = 0;

	/* an alert silenced by a silence the list lacks: the list is older than that silence */
	for (size_t i = 0; i < app->model.alerts.n && !unknown; i++) {
		const struct sr_am_alert *a = &app->model.alerts.v[i];

		any |= a->n_silenced_by > 0;
		for (size_t k = 0; k < a->n_silenced_by && !unknown; k++) {
			size_t j = 0;

			while (j < sl->n && strcmp(sl->v[j].s.id, a->silenced_by[k]) != 0)
				j++;
			unknown = j == sl->n;
		}
	}
	tui_model_clock(&app->model);
	if (!any || sl->waiting > 0)
		return;
	if (!sl->asked || app->model.now - sl->fetched_at >= LIST_MAX_AGE ||
	    (unknown && app->model.now - sl->fetched_at >= 3))
		list_fetch(app);
}

/* --- acknowledgements: the console keeps them as `sitrep incident tick` does --- */

/* sr_ack_plan's question, answered from the incidents the console holds (no store call). */
static int
ack_incident_open(void *arg, const char *id)
{
	const struct sr_incident *inc = tui_model_find(arg, id);

	return inc == NULL ? -1 : sr_incident_is_open(inc);
}

/*
 * Plans each Alertmanager's acknowledgements from the list just taken and the engine's
 * alerts (sr_ack_plan, the core of `sitrep incident tick`), and sends each extension or
 * expiry through the engine's client: nothing waits, the answers arrive in on_answer.
 */
static void
ack_plan(struct tui_app *app)
{
	struct silences *sl = SL(app);
	const struct sr_config *cfg = app->model.cfg;
	sr_time now = app->model.now;
	struct sr_am_silences mine;

	mine.v = sr_xcalloc(sl->n + 1, sizeof(*mine.v));
	for (size_t am = 0; am < cfg->n_am; am++) {
		struct sr_ack_plan_item *plan;
		size_t n;

		mine.n = 0;
		for (size_t i = 0; i < sl->n; i++)
			if (sl->v[i].am == am)
				mine.v[mine.n++] = sl->v[i].s;
		n = sr_ack_plan(&mine, &app->model.alerts, cfg->ack_comment, ack_incident_open,
				&app->model, now, cfg->ack_for, &plan);
		for (size_t k = 0; k < n; k++) {
			const struct sr_am_silence *s = &mine.v[plan[k].silence];
			int extend = plan[k].step == SR_ACK_EXTEND;
			char what[96], *url, *body = NULL;

			snprintf(what, sizeof(what), "%s: ack %.8s %s", plan[k].incident, s->id,
				 extend ? "extended" : "expired (incident over)");
			url = extend ? sr_am_silences_url(cfg->am[am].t.url) :
				       sr_am_silence_url(cfg->am[am].t.url, s->id);
			if (extend)
				body = sr_ack_extend_body(s, now, cfg->ack_for);
			if (sil_send(app, extend ? REQ_ACK_EXTEND : REQ_ACK_EXPIRE, am,
				     extend ? "POST" : "DELETE", url, body, what) == 0)
				sl->acks_out++;
			free(url);
			free(body);
		}
		sr_ack_plan_free(plan, n);
	}
	free(mine.v);
}

void
tui_silences_ack_tick(struct tui_app *app)
{
	struct tui_model *m = &app->model;
	struct silences *sl;
	char why[8];

	if (m->readonly || m->feeds->demo != NULL || m->cfg->n_am == 0 || m->http == NULL)
		return;
	tui_model_clock(m);
	sl = SL(app);
	/* only once every Alertmanager answered: an alert not known yet is not "stopped firing" */
	if (sl->acks_out > 0 || sl->ack_due ||
	    m->now - sl->ack_at < sr_ack_tick_every(m->cfg->ack_for) ||
	    tui_model_alerts_unknown(m, why, sizeof(why)))
		return;
	sl->ack_due = 1;
	sl->ack_at = m->now;
	list_fetch(app);	/* or the list already asked for plans them when it is whole */
}

int
tui_silences_ack_of(struct tui_app *app, const struct sr_am_alert *a, struct sr_ack *out)
{
	struct silences *sl = SL(app);

	memset(out, 0, sizeof(*out));
	return a->n_silenced_by > 0 && sl->idx.n > 0 &&
	       sr_ack_of(a, &sl->idx, app->model.cfg->ack_comment, app->model.now, out);
}

/* --- the silences that cover an alert (its detail) --- */

int
tui_silences_draw_for_alert(struct tui_app *app, WINDOW *w, int y, int h, int wd,
			    const struct sr_am_alert *a)
{
	struct silences *sl = SL(app);
	int row = 0;

	for (size_t k = 0; k < a->n_silenced_by && row < h; k++, row++) {
		const struct sr_am_silence *s = NULL;
		char dur[24];
		int x;

		for (size_t i = 0; i < sl->n && s == NULL; i++)
			if (strcmp(sl->v[i].s.id, a->silenced_by[k]) == 0)
				s = &sl->v[i].s;
		{
			char *inc = NULL, *user = NULL;
			int ack = s != NULL && sr_ack_parse(app->model.cfg->ack_comment, s->comment,
							     &inc, &user);

			/* an acknowledgement apart from an ordinary silence */
			x = tui_put(&app->th, w, y + row, 0, 17, ack ? TUI_R_OK : TUI_R_DIM, 0,
				    ack ? "acked, silence" : "silenced by");
			free(inc);
			free(user);
		}
		x = 17;
		x += tui_putf(&app->th, w, y + row, x, 9, TUI_R_KEY, "%.8s", a->silenced_by[k]) + 1;
		if (s == NULL) {
			tui_put(&app->th, w, y + row, x, wd - x, TUI_R_DIM, 0,
				app->model.feeds->demo != NULL ? "(a silence of the recording)" :
				sl->waiting > 0 || !sl->asked ? "(asking the Alertmanager...)" :
								"(not listed)");
			continue;
		}
		x += tui_put(&app->th, w, y + row, x, 16, TUI_R_NORMAL, 0,
			     s->created_by ? s->created_by : "?") + 1;
		x += tui_putf(&app->th, w, y + row, x, 18, TUI_R_WARN, "ends in %s",
			      sr_duration_format(s->ends_at - app->model.now, dur, sizeof(dur))) + 1;
		tui_putf(&app->th, w, y + row, x, wd - x, TUI_R_NORMAL, "\"%s\"",
			 s->comment ? s->comment : "");
	}
	return row;
}

/* --- the view --- */

static const struct sil_row *
selected(struct tui_app *app)
{
	struct silences *sl = SL(app);
	struct tui_list *l = &app->list[TUI_V_SILENCES];

	return sl->n > 0 && l->sel < sl->n ? &sl->v[l->sel] : NULL;
}

static void
matchers_text(const struct sr_am_silence *s, struct sr_buf *b)
{
	for (size_t i = 0; i < s->matchers.n; i++) {
		if (i)
			sr_buf_addc(b, ',');
		sr_matcher_format(b, &s->matchers.v[i]);
	}
}

static void
enter(struct tui_app *app)
{
	tui_model_clock(&app->model);
	list_fetch(app);
}

static void
draw(struct tui_app *app, WINDOW *w, int h, int wd)
{
	struct silences *sl = SL(app);
	struct tui_list *l = &app->list[TUI_V_SILENCES];
	size_t count[3] = { 0, 0, 0 };
	const struct sil_row *sel = selected(app);
	char title[160], dur[24];
	int list_h = sel != NULL && h >= 14 ? h - 6 : h;
	struct sr_buf b;

	for (size_t i = 0; i < sl->n; i++)
		count[state_rank(sr_am_silence_state(&sl->v[i].s, app->model.now))]++;
	snprintf(title, sizeof(title), "Silences: %zu active, %zu pending, %zu recently expired%s",
		 count[0], count[1], count[2], sl->waiting > 0 ? " (asking...)" : "");
	tui_rule(&app->th, w, 0, 0, wd, title);
	if (app->model.feeds->demo != NULL || app->model.cfg->n_am == 0) {
		tui_put(&app->th, w, 2, 2, wd - 4, TUI_R_DIM, 0,
			app->model.feeds->demo != NULL ?
				"demo: silences made here are applied locally, not listed" :
				"No Alertmanager configured ([alertmanager] in the config).");
		return;
	}
	if (sl->err != NULL)
		tui_put(&app->th, w, 1, 0, wd, TUI_R_ERROR, 0, sl->err);
	if (sl->n == 0) {
		tui_put(&app->th, w, 3, 2, wd - 4, TUI_R_DIM, 0,
			!sl->asked || sl->fetched_at == 0 ? "asking the Alertmanagers..." :
			sl->err ? "(could not ask every Alertmanager)" :
				  "No active, pending or recently expired silences.");
		return;
	}
	tui_list_clamp(l, sl->n, list_h - 2);
	sr_buf_init(&b);
	for (int r = 0; r < list_h - 2 && l->top + (size_t)r < sl->n; r++) {
		const struct sil_row *row = &sl->v[l->top + (size_t)r];
		const struct sr_am_silence *s = &row->s;
		const char *st = sr_am_silence_state(s, app->model.now);
		int is_sel = l->top + (size_t)r == l->sel, y = 2 + r, x = 1;
		enum tui_role base = is_sel ? TUI_R_SELECTED : TUI_R_NORMAL;
		char when[40];

		if (is_sel) {
			wattrset(w, app->th.attr[TUI_R_SELECTED]);
			mvwhline(w, y, 0, ' ', wd);
		}
		if (strcmp(st, "expired") == 0)
			snprintf(when, sizeof(when), "ended %s ago",
				 sr_duration_format(app->model.now - s->ends_at, dur, sizeof(dur)));
		else if (strcmp(st, "pending") == 0)
			snprintf(when, sizeof(when), "starts in %s",
				 sr_duration_format(s->starts_at - app->model.now, dur, sizeof(dur)));
		else
			snprintf(when, sizeof(when), "ends in %s",
				 sr_duration_format(s->ends_at - app->model.now, dur, sizeof(dur)));
		x += tui_put(&app->th, w, y, x, 8, is_sel ? base : strcmp(st, "active") == 0 ?
			     TUI_R_OK : strcmp(st, "pending") == 0 ? TUI_R_WARN : TUI_R_DIM, 1, st) + 1;
		x += tui_putf(&app->th, w, y, x, 8, base, "%-8.8s", s->id) + 1;
		x += tui_put(&app->th, w, y, x, 16, base, 1, when) + 1;
		x += tui_put(&app->th, w, y, x, 12, base, 1, s->created_by ? s->created_by : "") + 1;
		b.len = 0;
		if (b.data != NULL)
			b.data[0] = '\0';
		matchers_text(s, &b);
		tui_put(&app->th, w, y, x, wd - x - 1, base, 0, b.data);
	}
	if (sel != NULL && list_h < h) {
		int y = list_h;

		tui_rule(&app->th, w, y++, 0, wd, sel->s.id);
		b.len = 0;
		if (b.data != NULL)
			b.data[0] = '\0';
		matchers_text(&sel->s, &b);
		tui_putf(&app->th, w, y++, 0, wd, TUI_R_NORMAL, "matchers  %s", b.data);
		tui_putf(&app->th, w, y++, 0, wd, TUI_R_NORMAL, "comment   %s",
			 sel->s.comment ? sel->s.comment : "");
		tui_putf(&app->th, w, y++, 0, wd, TUI_R_DIM, "by %s on %s, %s",
			 sel->s.created_by ? sel->s.created_by : "?",
			 app->model.cfg->am[sel->am].name,
			 sr_am_silence_state(&sel->s, app->model.now));
	}
	sr_buf_done(&b);
}

static enum tui_result
action(struct tui_app *app, enum tui_action a)
{
	struct silences *sl = SL(app);
	const struct sil_row *sel = selected(app);
	char label[160];
	const char *st;

	if (a == TUI_A_REDRAW) {
		list_fetch(app);	/* C-l asks again, as well as repainting */
		return TUI_UNHANDLED;
	}
	if (a != TUI_A_EXPIRE && a != TUI_A_EXTEND && a != TUI_A_SILENCE)
		return tui_list_move(&app->list[TUI_V_SILENCES], a, sl->n,
				     getmaxy(app->body) - 8);
	if (sel == NULL) {
		tui_message(app, 1, "no silence selected");
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (tui_refuse_readonly(app))
		return TUI_HANDLED | TUI_REDRAW;
	st = sr_am_silence_state(&sel->s, app->model.now);
	snprintf(sl->target, sizeof(sl->target), "%s", sel->s.id);
	sl->target_am = sel->am;
	if (a == TUI_A_EXPIRE) {
		if (strcmp(st, "expired") == 0) {
			tui_message(app, 1, "silence %.8s has already expired: s silences again", sel->s.id);
			return TUI_HANDLED | TUI_REDRAW;
		}
		snprintf(label, sizeof(label), "Expire silence %.8s (%s) now? y to do it, any other "
			 "key cancels ", sel->s.id, st);
		tui_prompt_confirm(app, TUI_A_EXPIRE, label);
	} else if (a == TUI_A_EXTEND) {
		if (strcmp(st, "expired") == 0) {
			tui_message(app, 1, "silence %.8s has expired: s silences again", sel->s.id);
			return TUI_HANDLED | TUI_REDRAW;
		}
		snprintf(label, sizeof(label), "Extend %.8s by (1h 2h 4h 8h 1d, or e.g. 90m): ",
			 sel->s.id);
		tui_prompt_text(app, TUI_A_EXTEND, label, "1h");
	} else {
		if (strcmp(st, "expired") != 0) {
			tui_message(app, 1, "silence %.8s is %s: + extends it", sel->s.id, st);
			return TUI_HANDLED | TUI_REDRAW;
		}
		snprintf(label, sizeof(label), "Silence again (%.8s's matchers) for (1h 2h 4h 8h 1d, "
			 "or e.g. 90m): ", sel->s.id);
		tui_prompt_text(app, TUI_A_SILENCE, label, "2h");
	}
	return TUI_HANDLED | TUI_REDRAW;
}

/* The silence a question is about, as it was listed. */
static const struct sil_row *
target(struct tui_app *app)
{
	struct silences *sl = SL(app);

	for (size_t i = 0; i < sl->n; i++)
		if (sl->v[i].am == sl->target_am && strcmp(sl->v[i].s.id, sl->target) == 0)
			return &sl->v[i];
	return NULL;
}

void
tui_silences_question(struct tui_app *app, enum tui_action a, const char *text, char *out,
		      size_t n)
{
	const struct sil_row *t = target(app);
	struct sr_buf b;

	sr_buf_init(&b);
	if (t != NULL)
		matchers_text(&t->s, &b);
	if (a == TUI_A_EXTEND)
		snprintf(out, n, "Extend silence %.8s by %.20s", SL(app)->target, text);
	else
		snprintf(out, n, "Silence again %.60s for %.20s", b.data ? b.data : "", text);
	sr_buf_done(&b);
}

static enum tui_result
answer(struct tui_app *app, enum tui_action a, const char *text)
{
	const struct sil_row *t = target(app);
	const struct sr_config *cfg = app->model.cfg;
	char *err = NULL, *body = NULL, *url, what[96];
	int64_t secs = 0;

	if (t == NULL) {
		tui_message(app, 1, "silence %.8s is no longer listed (nothing done)",
			    SL(app)->target);
		return TUI_HANDLED | TUI_REDRAW;
	}
	tui_model_clock(&app->model);
	if (a != TUI_A_EXPIRE &&
	    (sr_duration_parse(text, &secs, NULL) != 0 || secs <= 0)) {
		tui_message(app, 1, "bad duration \"%s\" (1h, 2h, 4h, 8h, 1d or e.g. 90m)", text);
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (a == TUI_A_EXPIRE) {
		url = sr_am_silence_url(cfg->am[t->am].t.url, t->s.id);
		snprintf(what, sizeof(what), "expired silence %.8s", t->s.id);
		sil_send(app, REQ_EXPIRE, t->am, "DELETE", url, NULL, what);
		free(url);
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (a == TUI_A_EXTEND)
		sr_am_silence_extend_json(&t->s, app->model.now, secs, 0, &body, &err);
	else
		sr_am_silence_recreate_json(&t->s, app->model.now, secs, cfg->user, NULL, &body,
					    &err);
	if (body == NULL) {
		tui_error(app, err);
		return TUI_HANDLED | TUI_REDRAW;
	}
	url = sr_am_silences_url(cfg->am[t->am].t.url);
	snprintf(what, sizeof(what), "%s %.8s by %s", a == TUI_A_EXTEND ? "extended" : "silenced again",
		 t->s.id, text);
	sil_send(app, REQ_POST, t->am, "POST", url, body, what);
	free(url);
	free(body);
	return TUI_HANDLED | TUI_REDRAW;
}

static void
done(struct tui_app *app)
{
	struct silences *sl = app->priv[TUI_V_SILENCES];

	if (sl == NULL)
		return;
	/* requests still out are aborted by the model without their callbacks */
	for (size_t i = 0; i < sl->n_out; i++)
		free(sl->out[i]);
	free(sl->out);
	rows_free(sl->v, sl->n);
	rows_free(sl->next, sl->n_next);
	free(sl->idx.v);	/* shallow: the rows owned what it pointed to */
	free(sl->err);
	free(sl->next_err);
}

const struct tui_view_ops tui_view_silences = TUI_VIEW(
	"silences", 1, "X expire  + extend  s silence again  C-l ask again", .enter = enter,
	.draw = draw, .action = action, .answer = answer, .done = done);
