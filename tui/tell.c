/* SPDX-License-Identifier: MIT */
/*
 * tell.c: being told. What changed since the console started (a new, resolved, silenced
 * alert; a new incident, an escalation, an update gone overdue, a breach) is highlighted for
 * [console] highlight seconds, rings the bell ([console] bell), sends a desktop notification
 * ([console] notify = osc777 | osc9) and flashes the wallboard header (new P1, breach).
 * What was already there when the console started is the baseline: never news.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "http.h"
#include "tell.h"
#include "text.h"

#define FLASH_MS 20000	/* the wallboard header flashes this long after a new P1 or breach */

/* A row that stands out until until_ms (monotonic: SITREP_NOW may hold the model's clock). */
struct mark {
	char key[80];		/* alert fingerprint or incident id */
	char what[32];		/* "new", "changed", "escalated to L2", "update overdue" */
	int64_t until_ms;
};

/* What was last seen of an open incident. */
struct inc_seen {
	char id[SR_ID_MAX];
	int level, update_overdue, breached, pass;
};

struct tui_tell {
	int alerts_base;	/* a fresh alert answer arrived: alert news counts from then */
	int inc_base;		/* the incidents were looked at once */
	int64_t now_ms;		/* the time marks are compared with (set by each tick) */
	int64_t hl_ms;		/* [console] highlight */
	struct mark *am, *im;	/* alert and incident marks */
	size_t n_am, n_im;
	struct inc_seen *inc;
	size_t n_inc;
	int pass;
	int64_t flash_until_ms;
	char flash[160];	/* what the flash says: "NEW P1 INC-2026-006: ..." */
	int sent;		/* notifications written (for the tests' stats) */
};

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct tui_tell *
tell_of(struct tui_model *m)
{
	if (m->tell == NULL) {
		m->tell = sr_xcalloc(1, sizeof(*m->tell));
		m->tell->hl_ms = m->cfg->highlight * 1000;
	}
	return m->tell;
}

/* --- marks --- */

static void
mark(struct mark **v, size_t *n, const char *key, const char *what, int64_t until)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i].key, key) == 0)
			break;
	if (i == *n) {
		*v = sr_xrealloc(*v, (*n + 1) * sizeof(**v));
		(*n)++;
	}
	snprintf((*v)[i].key, sizeof((*v)[i].key), "%s", key);
	snprintf((*v)[i].what, sizeof((*v)[i].what), "%s", what);
	(*v)[i].until_ms = until;
}

/* Drops the marks that ran out; returns how many did. */
static size_t
expire(struct mark *v, size_t *n, int64_t now)
{
	size_t j = 0, before = *n;

	for (size_t i = 0; i < *n; i++)
		if (v[i].until_ms > now)
			v[j++] = v[i];
	*n = j;
	return before - j;
}

static const char *
find(const struct mark *v, size_t n, const char *key, int64_t now)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].until_ms > now && strcmp(v[i].key, key) == 0)
			return v[i].what;
	return NULL;
}

/* --- telling: the bell and the desktop notification --- */

/*
 * Writes the desktop notification for body: OSC 777 (notify;TITLE;BODY) or OSC 9, wrapped
 * for tmux's passthrough when inside tmux. The text is sanitised to printable ASCII (no ESC,
 * BEL, C1 byte or bidi control can end the sequence early or reach the terminal), and the
 * field separator ';' becomes ','.
 */
static void
notify(const struct sr_config *cfg, const char *body)
{
	struct sr_buf clean, seq, out;
	const char *tmux = getenv("TMUX");

	if (cfg->notify == NULL || strcmp(cfg->notify, "off") == 0)
		return;
	/* body is already scrubbed whole (tell): sanitising first would turn a secret's non-ASCII
	 * bytes into '?' where the scrubber could no longer find them */
	sr_buf_init(&clean);
	sr_text_sanitize(&clean, body, strlen(body), SR_SAN_ASCII);
	sr_buf_init(&seq);
	sr_buf_adds(&seq, strcmp(cfg->notify, "osc9") == 0 ? "\033]9;" : "\033]777;notify;sitrep;");
	for (size_t i = 0; i < clean.len && i < 200; i++) {
		unsigned char c = (unsigned char)clean.data[i];

		sr_buf_addc(&seq, c == ';' ? ',' : c < 0x20 || c >= 0x7f ? '?' : (char)c);
	}
	sr_buf_addc(&seq, '\a');
	sr_buf_init(&out);
	if (tmux != NULL && *tmux != '\0') {
		/* tmux hands a DCS tmux; ... ST on to its terminal when allow-passthrough is on */
		sr_buf_adds(&out, "\033Ptmux;");
		for (size_t i = 0; i < seq.len; i++) {
			if (seq.data[i] == '\033')
				sr_buf_addc(&out, '\033');
			sr_buf_addc(&out, seq.data[i]);
		}
		sr_buf_adds(&out, "\033\\");
	} else {
		sr_buf_add(&out, seq.data, seq.len);
	}
	if (write(STDOUT_FILENO, out.data, out.len) < 0) {
		/* a notification is a courtesy: the screen still shows the news */
	}
	sr_buf_done(&out);
	sr_buf_done(&seq);
	sr_buf_done(&clean);
}

/* One piece of news: the bell, the notification, and (flash) the wallboard's header. */
static void
tell(struct tui_app *app, int flash, const char *fmt, ...) SR_PRINTF(3, 4);

static void
tell(struct tui_app *app, int flash, const char *fmt, ...)
{
	struct tui_tell *t = app->model.tell;
	char *text;
	size_t n;
	char **sec;
	va_list ap;

	va_start(ap, fmt);
	text = sr_xvasprintf(fmt, ap);
	va_end(ap);
	/*
	 * No secret of the configuration leaves in a notification or the flash line: the whole
	 * text is scrubbed before anything cuts it (a secret cut in two by a length limit would
	 * leave its first part unmasked). News is rare: the secrets are read for each.
	 */
	sec = sr_config_secrets(app->model.cfg, &n);
	text[sr_text_scrub(text, strlen(text), (const char *const *)sec, n)] = '\0';
	sr_secrets_free(sec, n);
	if (app->model.cfg->bell)
		beep();
	notify(app->model.cfg, text);
	t->sent++;
	if (flash) {
		t->flash_until_ms = t->now_ms + FLASH_MS;
		snprintf(t->flash, sizeof(t->flash), "%s", text);
	}
	free(text);
}

/* --- what is news --- */

static const struct sr_am_alert *
alert_by_fp(const struct tui_model *m, const char *fp)
{
	for (size_t i = 0; i < m->alerts.n; i++)
		if (strcmp(m->alerts.v[i].fingerprint, fp) == 0)
			return &m->alerts.v[i];
	return NULL;
}

static void
alert_news(struct tui_app *app)
{
	struct tui_model *m = &app->model;
	struct tui_tell *t = m->tell;

	if (!t->alerts_base) {
		/* the alerts on screen at the start (cached or first answer) are not news */
		if (m->src[1].configured && m->src[1].ok && m->src[1].fetched_at != 0)
			t->alerts_base = 1;
		sr_feed_events_done(&m->news);
		return;
	}
	for (size_t i = 0; i < m->news.n; i++) {
		const struct sr_feed_event *ev = &m->news.v[i];
		const struct sr_am_alert *a = alert_by_fp(m, ev->fingerprint);
		const char *name = ev->alertname[0] ? ev->alertname : ev->fingerprint;
		const char *word = ev->kind == SR_FEED_EV_FIRING ? "new" :
				   ev->kind == SR_FEED_EV_RESOLVED ? "resolved" : "changed";
		int p1 = a != NULL && ev->kind == SR_FEED_EV_FIRING && tui_alert_sev(m, a) == SR_SEV_P1;

		if (t->hl_ms > 0)
			mark(&t->am, &t->n_am, ev->fingerprint, word, t->now_ms + t->hl_ms);
		tell(app, p1, "%s%s alert %s%s%s", p1 ? "NEW P1 " : "",
		     sr_feed_ev_name(ev->kind), name, a != NULL ? ": " : "",
		     a != NULL ? tui_alert_summary(a) : "");
	}
	sr_feed_events_done(&m->news);
}

static struct inc_seen *
inc_find(struct tui_tell *t, const char *id)
{
	for (size_t i = 0; i < t->n_inc; i++)
		if (strcmp(t->inc[i].id, id) == 0)
			return &t->inc[i];
	return NULL;
}

static void
incident_news(struct tui_app *app)
{
	struct tui_model *m = &app->model;
	struct tui_tell *t = m->tell;
	int64_t until = t->now_ms + t->hl_ms;
	size_t j = 0;

	t->pass++;
	for (size_t i = 0; i < m->inc.n; i++) {
		const struct sr_incident *inc = &m->inc.v[i];
		struct inc_seen *s;
		struct sr_timers tm;
		int overdue, breached;

		if (!sr_incident_is_open(inc)) {
			/* closed: forgotten, so that a reopened incident is news again */
			if ((s = inc_find(t, inc->id)) != NULL)
				*s = t->inc[--t->n_inc];
			continue;
		}
		sr_incident_timers(inc, m->cfg, m->now, &tm);
		overdue = tm.update.running && tm.update.left < 0;
		breached = tm.respond.breached || tm.resolve.breached;
		if ((s = inc_find(t, inc->id)) == NULL) {
			t->inc = sr_xrealloc(t->inc, (t->n_inc + 1) * sizeof(*t->inc));
			s = &t->inc[t->n_inc++];
			snprintf(s->id, sizeof(s->id), "%s", inc->id);
			s->level = tm.due_level;
			s->update_overdue = overdue;
			s->breached = breached;
			if (t->inc_base) {
				int p1 = inc->sev == SR_SEV_P1;

				if (t->hl_ms > 0)
					mark(&t->im, &t->n_im, inc->id, "new", until);
				tell(app, p1, "%s%s %s: %s", p1 ? "NEW P1 " : "new incident ",
				     inc->id, sr_sev_name(inc->sev), inc->title ? inc->title : "");
			}
		} else {
			if (tm.due_level > s->level) {
				char what[32];

				snprintf(what, sizeof(what), "escalated to L%d", tm.due_level + 1);
				if (t->hl_ms > 0)
					mark(&t->im, &t->n_im, inc->id, what, until);
				tell(app, 0, "%s %s", inc->id, what);
			}
			if (overdue && !s->update_overdue) {
				if (t->hl_ms > 0)
					mark(&t->im, &t->n_im, inc->id, "update overdue", until);
				tell(app, 0, "%s: status update overdue", inc->id);
			}
			if (breached && !s->breached) {
				if (t->hl_ms > 0)
					mark(&t->im, &t->n_im, inc->id, "BREACH", until);
				tell(app, 1, "BREACH %s %s: %s", inc->id, sr_sev_name(inc->sev),
				     tm.respond.breached ? "not acknowledged in time" :
							   "not resolved in time");
			}
			s->level = tm.due_level;
			s->update_overdue = overdue;
			s->breached = breached;
		}
		s->pass = t->pass;
	}
	/*
	 * An incident missing from one pass (a list being read again) is kept: it is not news
	 * when it shows again. Only what was not seen for a long time is forgotten (bounded).
	 */
	for (size_t i = 0; i < t->n_inc; i++)
		if (t->pass - t->inc[i].pass < 100000)
			t->inc[j++] = t->inc[i];
	t->n_inc = j;
	t->inc_base = 1;
}

int
tui_tell_tick(struct tui_app *app)
{
	struct tui_model *m = &app->model;
	struct tui_tell *t = tell_of(m);
	int64_t before_flash = t->flash_until_ms;
	size_t gone, marks;

	t->now_ms = mono_ms();
	marks = t->n_am + t->n_im;
	alert_news(app);
	incident_news(app);
	gone = expire(t->am, &t->n_am, t->now_ms) + expire(t->im, &t->n_im, t->now_ms);
	return gone > 0 || t->n_am + t->n_im != marks || t->flash_until_ms != before_flash ||
	       t->flash_until_ms > t->now_ms;
}

const char *
tui_tell_alert(const struct tui_model *m, const struct sr_am_alert *a)
{
	return m->tell != NULL ? find(m->tell->am, m->tell->n_am, a->fingerprint, m->tell->now_ms) :
				 NULL;
}

const char *
tui_tell_incident(const struct tui_model *m, const char *id)
{
	return m->tell != NULL ? find(m->tell->im, m->tell->n_im, id, m->tell->now_ms) : NULL;
}

const char *
tui_tell_flash(const struct tui_model *m, int *on)
{
	const struct tui_tell *t = m->tell;

	if (t == NULL || t->flash_until_ms <= t->now_ms)
		return NULL;
	/* on every other second: a flash, not a steady colour that stops being seen */
	*on = (int)((t->now_ms / 1000) % 2 == 0);
	return t->flash;
}

void
tui_tell_done(struct tui_model *m)
{
	if (m->tell == NULL)
		return;
	free(m->tell->am);
	free(m->tell->im);
	free(m->tell->inc);
	free(m->tell);
	m->tell = NULL;
}
