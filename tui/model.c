/* SPDX-License-Identifier: MIT */
/* model.c: the console's adapters to the core: store, incident engine, fixtures, alerts, panels. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model.h"
#include "prom.h"
#include "text.h"

/* --- feeds: one engine (src/feed.c) for live sources and the demo recording alike --- */

static void
panels_free(struct tui_model *m)
{
	for (size_t i = 0; i < m->n_panels; i++) {
		free(m->panels[i].v);
		free(m->panels[i].err);
	}
	free(m->panels);
	m->panels = NULL;
	m->n_panels = 0;
}

/*
 * Why a panel's query failed, without the URL in front ("GET URL: reason", "URL: HTTP 400: ..."):
 * every panel of a source shares it, and in a panel's few columns it would hide the reason.
 */
static char *
panel_reason(const char *err)
{
	const char *p = err, *sp;

	if (strncmp(p, "GET ", 4) == 0)
		p += 4;
	if (strncmp(p, "http://", 7) != 0 && strncmp(p, "https://", 8) != 0)
		return sr_xstrdup(err);
	sp = strstr(p, ": ");
	if (sp == NULL || memchr(p, ' ', (size_t)(sp - p)) != NULL)
		return sr_xstrdup(err);
	return sr_xstrdup(sp + 2);
}

/* A dashboard panel from the engine's last good range query of it, and its last failure. */
static void
panel_from(struct tui_panel *p, const struct sr_feeds_panel *fp)
{
	free(p->v);
	p->v = NULL;
	p->n = 0;
	p->has_last = 0;
	free(p->err);
	p->err = fp->st.last_err != NULL ? panel_reason(fp->st.last_err) : NULL;
	if (!fp->has_res) {
		if (p->err == NULL)
			p->err = sr_xstrdup("no data yet");
		return;
	}
	if (fp->res.n_series == 0 || fp->res.series[0].n_samples == 0) {
		if (p->err == NULL)
			p->err = sr_xstrdup("no data");
		return;
	}
	/* A panel shows one series: its query is expected to aggregate to one. */
	p->n = fp->res.series[0].n_samples;
	p->v = sr_xcalloc(p->n, sizeof(*p->v));
	p->min = INFINITY;
	p->max = -INFINITY;
	for (size_t i = 0; i < p->n; i++) {
		double v = fp->res.series[0].samples[i].v;

		p->v[i] = v;
		if (isfinite(v)) {
			p->min = fmin(p->min, v);
			p->max = fmax(p->max, v);
		}
	}
	p->last = p->v[p->n - 1];
	p->has_last = 1;
}

/* Takes what the engine has: the merged alerts (borrowed), panels, the sources' states. */
static void
feeds_show(struct tui_model *m)
{
	struct sr_feeds *f = m->feeds;
	static const unsigned kinds[2] = { SR_FEEDS_PANELS, SR_FEEDS_ALERTS };

	m->alerts = f->alerts;	/* a view of the engine's list, valid until the next update */
	m->alerts_gen++;
	if (f->changed & SR_FEEDS_PANELS)
		for (size_t i = 0; i < m->n_panels; i++)
			panel_from(&m->panels[i], &f->panels[i]);
	for (size_t i = 0; i < 2; i++) {
		struct sr_feeds_status st;

		sr_feeds_status(f, kinds[i], m->now, &st);
		m->src[i].configured = st.health != SR_FEEDS_OFF;
		m->src[i].fetched_at = st.fetched_at;
		m->src[i].ok = st.health == SR_FEEDS_OK;
		sr_set_str(&m->src[i].err, st.err);
	}
	f->changed = 0;
	/* the rows carry their marks (feed.change); the transitions go to tell.c as news */
	for (size_t i = 0; i < f->events.n && m->news.n < 4096; i++) {
		if (m->news.n == m->news.cap) {
			m->news.cap = m->news.cap ? 2 * m->news.cap : 16;
			m->news.v = sr_xrealloc(m->news.v, m->news.cap * sizeof(*m->news.v));
		}
		m->news.v[m->news.n++] = f->events.v[i];
		memset(&f->events.v[i], 0, sizeof(f->events.v[i]));
	}
	sr_feed_events_done(&f->events);
}

int
tui_model_feeds_tick(struct tui_model *m)
{
	int changed = m->feeds_changed;
	char *err = NULL;

	m->feeds_changed = 0;
	if (sr_feeds_update(m->feeds, m->now, &err) != 0)
		free(err);	/* the source's state says it */
	if (m->alerts.v != m->feeds->alerts.v || m->alerts.n != m->feeds->alerts.n)
		m->alerts_gen++;
	m->alerts = m->feeds->alerts;	/* answers being read may have moved it */
	if (m->feeds->changed != 0) {
		feeds_show(m);
		changed = 1;
	}
	return changed;
}

/* --- an alert's own expression --- */

static void
series_clear(struct tui_series *s)
{
	char *owned[] = { s->fingerprint, s->expr, s->err };

	for (size_t i = 0; i < SR_ARRAY_LEN(owned); i++)
		free(owned[i]);
	free(s->v);	/* the samples */
	memset(s, 0, sizeof(*s));
}

/* Fills s from a query_range answer; 0 or -1 with *err. */
static int
series_take(struct tui_series *s, const char *body, size_t len, long status, const char *url,
	    char **err)
{
	struct sr_prom_result r;

	memset(&r, 0, sizeof(r));
	if (sr_prom_parse_query(body, len, status, url, &r, err) != 0) {
		sr_prom_result_done(&r);
		return -1;
	}
	free(s->v);
	s->v = NULL;
	s->n = 0;
	if (r.n_series > 0 && r.series[0].n_samples > 0) {
		s->n = r.series[0].n_samples;
		s->v = sr_xcalloc(s->n, sizeof(*s->v));
		s->min = INFINITY;
		s->max = -INFINITY;
		for (size_t i = 0; i < s->n; i++) {
			s->v[i] = r.series[0].samples[i].v;
			if (isfinite(s->v[i])) {
				s->min = fmin(s->min, s->v[i]);
				s->max = fmax(s->max, s->v[i]);
			}
		}
	}
	sr_prom_result_done(&r);
	return 0;
}

/* --- questions in flight that the engine's client may drop at exit without a callback --- */

static void
out_add(void ***v, size_t *n, void *q)
{
	*v = sr_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = q;
}

static void
out_forget(void **v, size_t *n, const void *q)
{
	for (size_t i = 0; i < *n; i++)
		if (v[i] == q) {
			v[i] = v[--*n];
			break;
		}
}

struct series_req {
	struct tui_model *m;
	char *fingerprint;
};

static void
on_series(void *arg, struct sr_http_response *r)
{
	struct series_req *q = arg;
	struct tui_series *s = &q->m->series;
	char *err = NULL;

	/* only if the user still looks at the same alert */
	if (s->fingerprint != NULL && strcmp(s->fingerprint, q->fingerprint) == 0) {
		if (r->err != NULL) {
			char *why = sr_xasprintf("Prometheus unreachable: %s", r->err);

			s->state = TUI_SERIES_ERR;
			sr_set_str(&s->err, q->m->feeds->demo != NULL ? r->err : why);
			free(why);
		} else if (series_take(s, r->body, r->len, r->status, r->url, &err) != 0) {
			s->state = TUI_SERIES_ERR;
			sr_set_str(&s->err, err);
		} else {
			s->state = TUI_SERIES_OK;
		}
		q->m->feeds_changed = 1;
	}
	free(err);
	out_forget(q->m->series_out, &q->m->n_series_out, q);
	free(q->fingerprint);
	free(q);
}

/* The decoded value of parameter g0.expr (or expr) in a Prometheus graph URL, or NULL. */
static char *
url_expr(const char *url)
{
	static const char *const keys[] = { "g0.expr=", "expr=" };
	const char *p = NULL;
	struct sr_buf b;

	for (size_t k = 0; url != NULL && p == NULL && k < SR_ARRAY_LEN(keys); k++) {
		const char *q = strstr(url, keys[k]);

		if (q != NULL && (q == url || q[-1] == '?' || q[-1] == '&'))
			p = q + strlen(keys[k]);
	}
	if (p == NULL || *p == '\0' || *p == '&')
		return NULL;
	sr_buf_init(&b);
	for (; *p && *p != '&' && *p != '#'; p++) {
		if (*p == '+') {
			sr_buf_addc(&b, ' ');
		} else if (*p == '%' && p[1] && p[2]) {
			char hex[3] = { p[1], p[2], 0 };
			char *end = NULL;
			long c = strtol(hex, &end, 16);

			sr_buf_addc(&b, end == hex + 2 ? (char)c : '%');
			p += end == hex + 2 ? 2 : 0;
		} else {
			sr_buf_addc(&b, *p);
		}
	}
	return sr_buf_steal(&b);
}

const struct tui_series *
tui_model_alert_series(struct tui_model *m, const struct sr_am_alert *a)
{
	struct tui_series *s = &m->series;
	const char *fp = a->fingerprint ? a->fingerprint : "";
	struct series_req *q;
	char *err = NULL;

	if (s->fingerprint != NULL && strcmp(s->fingerprint, fp) == 0)
		return s;
	series_clear(s);
	s->fingerprint = sr_xstrdup(fp);
	s->expr = url_expr(a->generator_url);
	s->state = TUI_SERIES_PENDING;
	q = sr_xcalloc(1, sizeof(*q));
	q->m = m;
	q->fingerprint = sr_xstrdup(fp);
	tui_model_clock(m);
	/* listed before it is asked: an answer at hand (the demo) comes back at once, and
	 * on_series takes it off the list and frees it before sr_feeds_series returns */
	out_add(&m->series_out, &m->n_series_out, q);
	if (sr_feeds_series(m->feeds, fp, s->expr, m->now, on_series, q, &err) != 0) {
		s->state = TUI_SERIES_ERR;
		s->err = err;
		out_forget(m->series_out, &m->n_series_out, q);
		free(q->fingerprint);
		free(q);
	}
	return s;
}

/* --- an alert's last 24 hours (ALERTS{alertstate="firing"}) --- */

#define HISTORY_MAX_AGE 300	/* seconds before the detail asks again */

struct history_req {
	struct tui_model *m;
	char *alertname;
	sr_time now;
};

static void
history_clear(struct tui_history *h)
{
	free(h->alertname);
	free(h->err);
	sr_alert_history_done(&h->h);
	memset(h, 0, sizeof(*h));
}

static void
history_forget(struct tui_model *m, struct history_req *q)
{
	out_forget(m->hist_out, &m->n_hist_out, q);
	free(q->alertname);
	free(q);
}

static void
history_fail(struct tui_history *h, const char *why)
{
	h->state = TUI_SERIES_ERR;
	free(h->err);
	h->err = sr_xasprintf("no history: %s", why);
}

static void
on_history(void *arg, struct sr_http_response *r)
{
	struct history_req *q = arg;
	struct tui_history *h = &q->m->history;

	/* only if the detail still shows the same alert */
	if (h->alertname != NULL && strcmp(h->alertname, q->alertname) == 0) {
		struct sr_prom_result res;
		char *err = NULL;

		memset(&res, 0, sizeof(res));
		if (r->err != NULL) {
			char *why = sr_xasprintf("Prometheus unreachable: %s", r->err);

			history_fail(h, why);
			free(why);
		} else if (sr_prom_parse_query(r->body, r->len, r->status, r->url, &res, &err) != 0) {
			history_fail(h, err);
		} else {
			sr_alert_history_done(&h->h);
			sr_alert_history_cells(&res, q->now, SR_HISTORY_CELLS, &h->h);
			h->state = TUI_SERIES_OK;
		}
		sr_prom_result_done(&res);
		free(err);
		q->m->feeds_changed = 1;	/* a repaint */
	}
	history_forget(q->m, q);
}

const struct tui_history *
tui_model_alert_history(struct tui_model *m, const struct sr_am_alert *a)
{
	struct tui_history *h = &m->history;
	const char *name = tui_alert_name(a);
	struct sr_http_request rq = { .method = "GET" };
	struct history_req *q;
	char *url, *err = NULL;

	tui_model_clock(m);
	if (h->alertname != NULL && strcmp(h->alertname, name) == 0 &&
	    (h->state == TUI_SERIES_PENDING || m->now - h->asked_at < HISTORY_MAX_AGE))
		return h;
	history_clear(h);
	h->alertname = sr_xstrdup(name);
	h->asked_at = m->now;
	if (m->feeds->demo != NULL) {
		history_fail(h, "the demo recording has no Prometheus to ask");
		return h;
	}
	if (m->cfg->n_prom == 0 || m->http == NULL) {
		history_fail(h, m->cfg->n_prom == 0 ? "no [prometheus] configured (its ALERTS "
			     "series is the history)" : "no HTTP client");
		return h;
	}
	h->state = TUI_SERIES_PENDING;
	url = sr_alert_history_url(m->cfg->prom[0].t.url, name, m->now);
	q = sr_xcalloc(1, sizeof(*q));
	q->m = m;
	q->alertname = sr_xstrdup(name);
	q->now = m->now;
	rq.url = url;
	rq.t = &m->cfg->prom[0].t;
	if (sr_http_submit(m->http, &rq, on_history, q, &err) != 0) {
		history_fail(h, err);
		free(q->alertname);
		free(q);
	} else {
		out_add(&m->hist_out, &m->n_hist_out, q);
	}
	free(err);
	free(url);
	return h;
}

/* --- silences --- */

struct silence_req {
	struct tui_model *m;
	char *am;	/* which Alertmanager */
};

static void
notice(struct tui_model *m, int error, char *msg)
{
	free(m->notice);
	m->notice = msg;
	m->notice_error = error;
	m->feeds_changed = 1;
}

static void
on_silenced(void *arg, struct sr_http_response *r)
{
	struct silence_req *q = arg;
	char *id = NULL, *err = NULL;

	if (r->err != NULL)
		notice(q->m, 1, sr_xasprintf("silence on %s failed: %s", q->am, r->err));
	else if (sr_am_parse_silence_id(r->body, r->len, r->status, r->url, &id, &err) != 0)
		notice(q->m, 1, sr_xasprintf("silence on %s failed: %s", q->am, err));
	else
		notice(q->m, 0, sr_xasprintf("silence %s created on %s", id, q->am));
	/* the alerts list shows the change at the next poll: make that now */
	sr_feeds_poll_alerts_now(q->m->feeds, q->m->now);
	free(id);
	free(err);
	free(q->am);
	free(q);
}

int
tui_model_silence(struct tui_model *m, const struct sr_matchers *ms, int64_t secs,
		  const char *comment, char **err)
{
	char *body;
	size_t sent = 0;

	tui_model_clock(m);
	if (m->feeds->demo != NULL) {
		long hits = sr_feeds_silence_demo(m->feeds, ms, m->now + secs, m->now, err);

		if (hits < 0)
			return -1;
		feeds_show(m);
		notice(m, 0, sr_xasprintf("demo: silenced %ld alert(s) (not sent anywhere)", hits));
		return 0;
	}
	if (m->cfg->n_am == 0 || m->http == NULL)
		return sr_err(err, "no [alertmanager] configured to create the silence on");
	body = sr_am_silence_json(ms, m->now, m->now + secs, m->cfg->user, comment, NULL);
	for (size_t i = 0; i < m->cfg->n_am; i++) {
		struct sr_http_request rq = { 0 };
		struct silence_req *q = sr_xcalloc(1, sizeof(*q));
		char *url = sr_am_silences_url(m->cfg->am[i].t.url), *e = NULL;

		q->m = m;
		q->am = sr_xstrdup(m->cfg->am[i].name);
		rq.method = "POST";
		rq.url = url;
		rq.body = body;
		rq.body_len = strlen(body);
		rq.content_type = "application/json";
		rq.t = &m->cfg->am[i].t;
		if (sr_http_submit(m->http, &rq, on_silenced, q, &e) != 0) {
			notice(m, 1, sr_xasprintf("silence on %s failed: %s", q->am, e));
			free(e);
			free(q->am);
			free(q);
		} else {
			sent++;
		}
		free(url);
	}
	free(body);
	if (sent == 0) {
		int rc = sr_err(err, "%s", m->notice ? m->notice : "silence not sent");

		free(m->notice);
		m->notice = NULL;
		return rc;
	}
	return 0;
}

void
tui_model_silence_preview(const struct tui_model *mo, const char *text, char *out, size_t n)
{
	struct sr_matchers m;
	char *err = NULL;
	size_t hits = 0;

	sr_matchers_init(&m);
	if (sr_matchers_parse(&m, text, &err) != 0 || m.n == 0) {
		snprintf(out, n, "(not a matcher list yet)");
	} else {
		for (size_t i = 0; i < mo->alerts.n; i++)
			hits += (size_t)sr_matchers_match(&m, mo->alerts.v[i].labels,
							  mo->alerts.v[i].n_labels);
		snprintf(out, n, "[matches %zu of %zu alerts]", hits, mo->alerts.n);
	}
	free(err);
	sr_matchers_done(&m);
}

/* --- runbooks --- */

const struct sr_runbook_set *
tui_model_runbooks(struct tui_model *m, char **err)
{
	if (!m->runbooks_scanned) {
		size_t n = 0;
		char **dirs = sr_runbook_dirs(m->cfg, m->ses->datadir, &n);

		m->runbooks_scanned = 1;
		/* an unreadable directory is skipped: said once, like a scan error */
		if (sr_runbook_scan(&m->runbooks, dirs, n, SR_RB_META, err) == 0 &&
		    m->runbooks.warning != NULL && err != NULL)
			*err = sr_xstrdup(m->runbooks.warning);
		sr_strv_free(dirs, n);
	}
	return &m->runbooks;
}

int
tui_model_runbook_for_alert(struct tui_model *m, const struct sr_am_alert *a,
			    struct sr_runbook_match *out, char **name)
{
	const struct sr_runbook_set *set;
	struct sr_runbook_alert q = { 0 };
	char *err = NULL;
	const char *base;

	set = tui_model_runbooks(m, &err);
	free(err);	/* the runbook view shows scan errors */
	q.alertname = tui_alert_name(a);
	q.runbook_url = sr_label_get(a->annotations, a->n_annotations, "runbook_url");
	q.runbook_label = sr_label_get(a->labels, a->n_labels, "runbook");
	memset(out, 0, sizeof(*out));
	if (sr_runbook_resolve(set, m->cfg, &q, out) != 1)
		return 0;
	if (name == NULL)
		return 1;
	*name = NULL;
	for (size_t i = 0; i < set->n && *name == NULL; i++)
		if (strcmp(set->v[i].path, out->path) == 0)
			*name = sr_xstrdup(set->v[i].name);
	base = strrchr(out->path, '/');
	base = base ? base + 1 : out->path;
	if (*name == NULL)
		*name = sr_xstrndup(base, strlen(base) - (strstr(base, ".md") ? 3 : 0));
	return 1;
}

/* --- opening --- */

int
tui_model_open(struct tui_model *m, struct sr_session *ses, const char *fixtures, int readonly,
	       char **err)
{
	memset(m, 0, sizeof(*m));
	m->ses = ses;
	m->cfg = ses->cfg;
	m->readonly = readonly;
	tui_model_clock(m);
	sr_config_init(&m->fixture_cfg);
	m->n_src = 2;
	snprintf(m->src[0].name, sizeof(m->src[0].name), "prom");
	snprintf(m->src[1].name, sizeof(m->src[1].name), "am");
	m->src[0].kind = SR_FEEDS_PANELS;
	m->src[1].kind = SR_FEEDS_ALERTS;
	if (fixtures != NULL) {
		char *path = sr_xasprintf("%s/sitrep.conf", fixtures);

		if (sr_config_load(&m->fixture_cfg, path, 1, err) != 0) {
			free(path);
			return -1;
		}
		free(path);
		m->has_fixture_cfg = 1;
	}
	if ((m->st = sr_session_store(ses, err)) == NULL)
		return -1;
	if (tui_model_reload(m, err) != 0)
		return -1;
	if (sr_store_watch(m->st, err) != 0)
		return -1;
	/* from now on the store never connects inside an operation: the loop does, unblocked */
	if (m->st->ops->connect_async != NULL)
		m->st->ops->connect_async(m->st);
	/* the demo is the engine's recording source; live, the cache shows until answers come */
	m->feeds = sr_feeds_new(m->has_fixture_cfg ? &m->fixture_cfg : m->cfg,
				fixtures != NULL ? NULL : m->st, fixtures, m->now);
	m->http = m->feeds->http;	/* silences and series share the engine's client */
	m->n_panels = m->feeds->n_panels;
	m->panels = sr_xcalloc(m->n_panels ? m->n_panels : 1, sizeof(*m->panels));
	for (size_t i = 0; i < m->n_panels; i++)
		m->panels[i].def = m->feeds->panels[i].panel;
	m->feeds->changed |= SR_FEEDS_PANELS;
	tui_model_feeds_tick(m);
	feeds_show(m);
	m->n_db = m->cfg->n_pg < TUI_DB_MAX ? m->cfg->n_pg : TUI_DB_MAX;
	m->db = sr_xcalloc(m->n_db ? m->n_db : 1, sizeof(*m->db));
	for (size_t i = 0; i < m->n_db; i++)
		m->db[i] = sr_dbwatch_new(&m->cfg->pg[i]);
	return 0;
}

int
tui_model_db_fd(const struct tui_model *m, size_t i, short *events)
{
	int out = 0, fd = i < m->n_db ? sr_dbwatch_fd(m->db[i], &out) : -1;

	*events = out ? SR_HTTP_WAIT_OUT : SR_HTTP_WAIT_IN;
	return fd;
}

int
tui_model_db_tick(struct tui_model *m, int64_t now_ms, const int *ready)
{
	int ended = 0;

	for (size_t i = 0; i < m->n_db; i++)
		ended |= sr_dbwatch_step(m->db[i], now_ms, ready != NULL && ready[i],
					 TUI_DB_EVERY_MS);
	if (ended)
		m->db_gen++;
	return ended;
}

void
tui_model_done(struct tui_model *m)
{
	for (size_t i = 0; i < m->n_db; i++)
		sr_dbwatch_free(m->db[i]);
	free(m->db);
	sr_feeds_free(m->feeds);	/* aborts requests: their callbacks are not called */
	m->feeds = NULL;
	sr_feed_events_done(&m->news);
	m->http = NULL;
	free(m->notice);
	free(m->store_error);
	series_clear(&m->series);	/* before the feeds' callbacks could see freed memory */
	history_clear(&m->history);
	for (size_t i = 0; i < m->n_hist_out; i++) {	/* aborted: no callback freed them */
		struct history_req *q = m->hist_out[i];

		free(q->alertname);
		free(q);
	}
	free(m->hist_out);
	for (size_t i = 0; i < m->n_series_out; i++) {	/* the same for the series */
		struct series_req *q = m->series_out[i];

		free(q->fingerprint);
		free(q);
	}
	free(m->series_out);
	sr_incident_list_done(&m->inc);
	panels_free(m);
	for (size_t i = 0; i < SR_ARRAY_LEN(m->src); i++)
		free(m->src[i].err);
	sr_config_done(&m->fixture_cfg);
	sr_runbook_set_done(&m->runbooks);
	memset(m, 0, sizeof(*m));
}

void
tui_model_clock(struct tui_model *m)
{
	sr_session_clock(m->ses);
	m->now = m->ses->now;
}

/* --- incidents --- */

int
tui_model_reload(struct tui_model *m, char **err)
{
	struct sr_incident_list l = { 0 };

	if (m->st->ops->list(m->st, SR_LIST_RECENT, &l, err) != 0) {
		sr_incident_list_done(&l);
		return -1;
	}
	if (!m->readonly) {
		char *terr = NULL;
		int ticked = sr_change_tick_due(m->st, &l, m->cfg, m->now, NULL, &terr);

		if (ticked < 0)
			free(terr);	/* tried again on the next reload; never fatal here */
		if (ticked == 0)
			goto keep;
		sr_incident_list_done(&l);
		memset(&l, 0, sizeof(l));
		if (m->st->ops->list(m->st, SR_LIST_RECENT, &l, err) != 0) {
			sr_incident_list_done(&l);
			return -1;
		}
	}
keep:
	sr_incident_list_done(&m->inc);
	m->inc = l;
	m->inc_loaded_at = m->now;
	m->inc_gen++;
	return 0;
}

/* --- live updates and an unreachable store --- */

/*
 * While the store is offline, changes are refused rather than queued: a queued change could
 * conflict with what others did meanwhile, and the user would believe it made.
 */
static int
store_refuses(struct tui_model *m, char **err)
{
	char when[16];
	struct tm tm;
	time_t t = (time_t)m->store_offline_since;

	if (m->store_offline_since == 0)
		return 0;
	localtime_r(&t, &tm);
	strftime(when, sizeof when, "%H:%M", &tm);
	sr_err(err, "store offline since %s: nothing changed (sitrep reconnects by itself; try "
	       "again then)", when);
	return 1;
}

static void
store_down(struct tui_model *m, int64_t now_ms, char *err)
{
	if (m->store_offline_since == 0) {
		tui_model_clock(m);
		m->store_offline_since = m->now;
	}
	m->store_backoff_ms = m->store_backoff_ms == 0 ? 1000 :
			      m->store_backoff_ms >= 4000 ? 8000 : m->store_backoff_ms * 2;
	m->store_retry_ms = now_ms + m->store_backoff_ms;
	free(m->store_error);
	m->store_error = err;
}

/* Reads incident id again into the list; 1 when it is not listed yet (a new one). */
static int
reload_one(struct tui_model *m, const char *id, char **err)
{
	for (size_t i = 0; i < m->inc.n; i++) {
		struct sr_incident inc;

		if (strcmp(m->inc.v[i].id, id) != 0)
			continue;
		sr_incident_init(&inc);
		if (m->st->ops->get(m->st, id, &inc, err) != 0) {
			sr_incident_done(&inc);
			return -1;
		}
		sr_incident_done(&m->inc.v[i]);
		m->inc.v[i] = inc;
		m->inc_gen++;
		return 0;
	}
	return 1;
}

int
tui_model_store_fd(const struct tui_model *m)
{
	if (m->store_connecting)
		return m->store_conn_fd;
	return m->store_offline_since != 0 ? -1 : sr_store_watch_fd(m->st);
}

short
tui_model_store_events(const struct tui_model *m)
{
	return m->store_connecting && m->store_conn_out ? SR_HTTP_WAIT_OUT : SR_HTTP_WAIT_IN;
}

/* How long a reconnection may take (libpq's connect_timeout is the caller's to keep here). */
#define CONNECT_WAIT_MS 10000

/*
 * One step of a reconnection that never blocks: start one when the backoff allows, move it
 * on when its descriptor was ready, give it up after CONNECT_WAIT_MS. Returns -1 while under
 * way (or not due), 0 once connected, 1 when it failed (offline again, screen to redraw).
 */
static int
reconnect_step(struct tui_model *m, int64_t now_ms, char **err)
{
	int fd = -1, out = 0, rc;

	if (!m->store_connecting) {
		if (now_ms < m->store_retry_ms)
			return -1;
		m->store_conn_deadline_ms = now_ms + CONNECT_WAIT_MS;
	} else if (now_ms >= m->store_conn_deadline_ms) {
		m->st->ops->connect_stop(m->st);
		m->store_connecting = 0;
		*err = sr_xasprintf("%s: cannot connect: no answer within %d s", m->st->where,
				    CONNECT_WAIT_MS / 1000);
		return 1;
	} else if (!m->store_fd_ready) {
		return -1;
	}
	rc = m->st->ops->connect_step(m->st, &fd, &out, err);
	m->store_connecting = rc == 0;
	m->store_conn_fd = fd;
	m->store_conn_out = out;
	return rc == 0 ? -1 : rc < 0 ? 1 : 0;
}

int
tui_model_store_tick(struct tui_model *m, int64_t now_ms)
{
	struct sr_store_changes ch = { 0 };
	char *err = NULL;
	int rc = 0, all;

	if (m->store_offline_since != 0) {
		int step = 0;

		if (m->st->ops->connect_step != NULL) {
			step = reconnect_step(m, now_ms, &err);
			if (step < 0)
				return 0;
		} else if (now_ms < m->store_retry_ms) {
			return 0;
		}
		/* back? then whatever changed meanwhile is read again: all of it */
		if (step != 0 || (m->st->ops->connect_step == NULL &&
				  m->st->ops->ping(m->st, &err) != 0) ||
		    tui_model_reload(m, &err) != 0 || sr_store_changes(m->st, &ch, &err) != 0) {
			sr_store_changes_done(&ch);
			store_down(m, now_ms, err);
			return 1;
		}
		sr_store_changes_done(&ch);
		m->store_offline_since = 0;
		m->store_backoff_ms = 0;
		free(m->store_error);
		m->store_error = NULL;
		free(m->notice);
		m->notice = sr_xstrdup("store reachable again: incidents reloaded");
		m->notice_error = 0;
		return 1;
	}
	if (sr_store_changes(m->st, &ch, &err) != 0) {
		sr_store_changes_done(&ch);
		store_down(m, now_ms, err);
		return 1;
	}
	all = ch.all;
	for (size_t i = 0; !all && rc == 0 && i < ch.n; i++) {
		rc = reload_one(m, ch.ids[i], &err);
		all = rc == 1;
		if (rc == 1)
			rc = 0;
	}
	if (rc == 0 && all)
		rc = tui_model_reload(m, &err);
	if (rc != 0)
		store_down(m, now_ms, err);
	rc = rc != 0 || all || ch.n > 0;
	sr_store_changes_done(&ch);
	return rc;
}

int
tui_model_events(struct tui_model *m, const char *id, struct sr_event_list *out, char **err)
{
	return m->st->ops->events(m->st, id, out, err);
}

int
tui_model_change(struct tui_model *m, const char *id, const struct sr_change *ch, char **done,
		 char **err)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	int rc = -1;

	if (m->readonly)
		return sr_err(err, "read-only mode (--readonly): %s is not changed", id);
	if (store_refuses(m, err))
		return -1;
	tui_model_clock(m);
	sr_incident_init(&inc);
	if (sr_change_commit(m->st, id, ch, m->cfg, m->cfg->user, m->now, &inc, &ev, NULL, err) !=
	    0) {
		char *perr = NULL;

		/* the store went away: say so in the header from now on */
		if (m->st->ops->ping(m->st, &perr) != 0)
			store_down(m, 0, perr);
		goto out;
	}
	*done = sr_xasprintf("%s: %s", inc.id, ev.n ? ev.v[ev.n - 1].detail : "changed");
	rc = tui_model_reload(m, err) != 0 ? -1 : 0;
out:
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	return rc;
}

int
tui_model_incident_from_alert(struct tui_model *m, const struct sr_am_alert *a, char *id,
			      char **err)
{
	struct sr_new_incident n = { 0 };
	struct sr_incident inc;
	const char *name = tui_alert_name(a), *summary = tui_alert_summary(a);
	char *what;
	int rc;

	if (m->readonly)
		return sr_err(err, "read-only mode (--readonly): no incident opened");
	if (store_refuses(m, err))
		return -1;
	n.service = sr_label_get(a->labels, a->n_labels, "service");
	if (n.service == NULL)
		n.service = sr_label_get(a->labels, a->n_labels, "job");
	n.title = *summary ? summary : name;
	n.sev = tui_alert_sev(m, a);
	n.impact = sr_label_get(a->annotations, a->n_annotations, "impact");
	n.alert = a->fingerprint ? a->fingerprint : "";
	what = n.service ? sr_xasprintf("%s{service=\"%s\"}", name, n.service) : sr_xstrdup(name);
	n.alert_what = what;
	tui_model_clock(m);
	sr_incident_init(&inc);
	rc = sr_change_create(m->st, &n, m->ses->actor, m->now, &inc, NULL, err);
	if (rc == 0) {
		snprintf(id, SR_ID_MAX, "%s", inc.id);
		rc = tui_model_reload(m, err);
	}
	free(what);
	sr_incident_done(&inc);
	return rc < 0 ? -1 : 0;
}

const struct sr_incident *
tui_model_find(const struct tui_model *m, const char *id)
{
	for (size_t i = 0; i < m->inc.n; i++)
		if (strcmp(m->inc.v[i].id, id) == 0)
			return &m->inc.v[i];
	return NULL;
}

/* The deadline that decides how urgent an open incident is: respond until acked. */
static const struct sr_deadline *
deciding(const struct sr_timers *t, const char **what)
{
	if (t->respond.running) {
		*what = "respond";
		return &t->respond;
	}
	*what = "resolve";
	return &t->resolve;
}

static int64_t
urgency(const struct tui_model *m, const struct sr_incident *inc)
{
	struct sr_timers t;
	const char *what;
	const struct sr_deadline *d;

	sr_incident_timers(inc, m->cfg, m->now, &t);
	d = deciding(&t, &what);
	if (d->due == 0 || !d->running)
		return INT64_MAX / 2;
	return d->left;
}

const struct sr_incident *
tui_model_most_urgent(const struct tui_model *m, struct sr_deadline *d, const char **what)
{
	const struct sr_incident *best = NULL;
	int64_t best_u = INT64_MAX;

	for (size_t i = 0; i < m->inc.n; i++) {
		int64_t u;

		if (!sr_incident_is_open(&m->inc.v[i]))
			continue;
		u = urgency(m, &m->inc.v[i]);
		if (best == NULL || u < best_u ||
		    (u == best_u && m->inc.v[i].sev < best->sev)) {
			best = &m->inc.v[i];
			best_u = u;
		}
	}
	if (best != NULL) {
		struct sr_timers t;

		sr_incident_timers(best, m->cfg, m->now, &t);
		*d = *deciding(&t, what);
	}
	return best;
}

struct ord {
	size_t i;
	int open;
	int64_t u;
	enum sr_sev sev;
};

static int
ord_cmp(const void *pa, const void *pb)
{
	const struct ord *a = pa, *b = pb;

	if (a->open != b->open)
		return b->open - a->open;
	if (a->open && a->u != b->u)
		return a->u < b->u ? -1 : 1;
	if (a->open && a->sev != b->sev)
		return (int)a->sev - (int)b->sev;
	return a->i < b->i ? -1 : a->i > b->i;
}

size_t
tui_model_order(const struct tui_model *m, size_t *idx, int open_only)
{
	struct ord *o = sr_xcalloc(m->inc.n ? m->inc.n : 1, sizeof(*o));
	size_t n = 0;

	for (size_t i = 0; i < m->inc.n; i++) {
		int open = sr_incident_is_open(&m->inc.v[i]);

		if (open_only && !open)
			continue;
		o[n].i = i;
		o[n].open = open;
		o[n].u = open ? urgency(m, &m->inc.v[i]) : 0;
		o[n].sev = m->inc.v[i].sev;
		n++;
	}
	qsort(o, n, sizeof(*o), ord_cmp);
	for (size_t i = 0; i < n; i++)
		idx[i] = o[i].i;
	free(o);
	return n;
}

/* --- alerts --- */

static const char *
label_or_empty(const struct sr_label *l, size_t n, const char *name)
{
	const char *v = sr_label_get(l, n, name);

	return v ? v : "";
}

const char *
tui_alert_name(const struct sr_am_alert *a)
{
	return label_or_empty(a->labels, a->n_labels, "alertname");
}

const char *
tui_alert_severity(const struct sr_am_alert *a)
{
	return label_or_empty(a->labels, a->n_labels, "severity");
}

const char *
tui_alert_summary(const struct sr_am_alert *a)
{
	const char *s = sr_label_get(a->annotations, a->n_annotations, "summary");

	if (s == NULL)
		s = sr_label_get(a->annotations, a->n_annotations, "description");
	return s ? s : "";
}

enum sr_sev
tui_alert_sev(const struct tui_model *m, const struct sr_am_alert *a)
{
	return sr_config_alert_sev(m->cfg, tui_alert_severity(a));
}

const struct sr_incident *
tui_alert_incident(const struct tui_model *m, const struct sr_am_alert *a)
{
	const struct sr_incident *found = NULL;

	if (a->fingerprint == NULL)
		return NULL;
	for (size_t i = 0; i < m->inc.n; i++) {
		const struct sr_incident *inc = &m->inc.v[i];

		for (size_t j = 0; j < inc->n_alerts; j++) {
			if (strcmp(inc->alerts[j], a->fingerprint) != 0)
				continue;
			if (sr_incident_is_open(inc))
				return inc;
			if (found == NULL)
				found = inc;
		}
	}
	return found;
}

int
tui_alert_firing_problem(const struct tui_model *m, const struct sr_am_alert *a)
{
	const char *wd = sr_watchdog_name(m->cfg);

	return !sr_am_alert_suppressed(a) && (wd == NULL || strcmp(tui_alert_name(a), wd) != 0);
}

char *
tui_model_pipeline_banner(const struct tui_model *m)
{
	struct sr_watchdog w;

	if (m->feeds == NULL)
		return NULL;
	sr_feeds_watchdog(m->feeds, m->now, &w);
	return sr_watchdog_banner(&w);
}

const char *
tui_source_state(const struct tui_model *m, const struct tui_source *s, int64_t *age)
{
	struct sr_feeds_status st;

	sr_feeds_status(m->feeds, s->kind, m->now, &st);
	*age = st.fetched_at ? m->now - st.fetched_at : 0;
	return sr_feeds_health_name(st.health);
}

int
tui_model_alerts_unknown(const struct tui_model *m, char *buf, size_t n)
{
	const struct sr_feeds *f = m->feeds;
	size_t answered = 0, failed = 0, waiting = 0, len;

	if (n > 0)
		buf[0] = '\0';
	if (f == NULL || f->n_am == 0 || n == 0)
		return 0;
	for (size_t i = 0; i < f->n_am; i++) {
		const struct sr_feed_state *st = &f->am[i].st;

		answered += st->last_ok != 0;
		failed += st->last_ok == 0 && st->last_err != NULL;
		waiting += st->last_ok == 0 && st->last_err == NULL;
	}
	if (failed == 0) {
		if (answered == 0 && waiting > 0)
			snprintf(buf, n, "Alerts not known yet: waiting for the first answer from "
				 "Alertmanager %s%s", f->am[0].name ? f->am[0].name : "",
				 f->n_am > 1 ? " and the others" : "");
		return buf[0] != '\0';
	}
	/* the conclusion first, so that it shows however narrow the screen; then each reason */
	len = (size_t)snprintf(buf, n, "%s", answered ? "Some alerts not known" :
				"No alerts known");
	for (size_t i = 0; i < f->n_am && len < n; i++) {
		const struct sr_feed_state *st = &f->am[i].st;
		int w;

		if (st->last_ok != 0 || st->last_err == NULL)
			continue;
		w = snprintf(buf + len, n - len, " \u2014 Alertmanager %s: %s",
			     f->am[i].name ? f->am[i].name : "", st->last_err);
		len = w < 0 ? n : len + (size_t)w;
	}
	return 1;
}

const char *
tui_source_retry(const struct tui_model *m, const struct tui_source *s, char *out, size_t n)
{
	struct sr_feeds_status st;
	char dur[24];

	sr_feeds_status(m->feeds, s->kind, m->now, &st);
	out[0] = '\0';
	if (st.retrying)
		snprintf(out, n, "retrying");
	else if (st.next_try != 0)
		snprintf(out, n, "retry %s",
			 st.next_try > m->now ? sr_duration_format(st.next_try - m->now, dur, 24) :
						"now");
	return out;
}

size_t
tui_model_refresh(struct tui_model *m)
{
	size_t n;

	tui_model_clock(m);
	n = sr_feeds_poll_all_now(m->feeds, m->now);
	m->feeds_changed = 1;
	return n;
}
