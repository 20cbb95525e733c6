/* SPDX-License-Identifier: MIT */
/* model.c: the console's adapters to the core: store, incident engine, fixtures, alerts, panels. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "prom.h"
#include "text.h"

/* --- fixtures: recorded answers whose times are written relative to "now" --- */

/*
 * Expands the time placeholders of a fixture so a recorded answer looks fresh:
 * {{now}} / {{now-DUR}} / {{now+DUR}} become RFC 3339 times, {{unix}} / {{unix-DUR}} Unix seconds,
 * DUR being a duration such as 90s, 21m or 1h30m. Anything else is copied unchanged.
 */
static char *
expand_times(const char *s, size_t len, sr_time now, size_t *out_len)
{
	struct sr_buf b;
	size_t i = 0;

	sr_buf_init(&b);
	while (i < len) {
		const char *open = memchr(s + i, '{', len - i), *close;
		char tok[40], ts[32];
		int64_t ago = 0;
		int is_unix;

		if (open == NULL || open + 1 >= s + len || open[1] != '{') {
			size_t n = open ? (size_t)(open - (s + i)) + 1 : len - i;

			sr_buf_add(&b, s + i, n);
			i += n;
			continue;
		}
		sr_buf_add(&b, s + i, (size_t)(open - (s + i)));
		i = (size_t)(open - s);
		close = memchr(open, '}', len - i);
		if (close == NULL || close + 1 >= s + len || close[1] != '}' ||
		    (size_t)(close - open - 2) >= sizeof(tok)) {
			sr_buf_addc(&b, '{');
			i++;
			continue;
		}
		memcpy(tok, open + 2, (size_t)(close - open - 2));
		tok[close - open - 2] = '\0';
		is_unix = strncmp(tok, "unix", 4) == 0;
		if (!is_unix && strncmp(tok, "now", 3) != 0) {
			sr_buf_addc(&b, '{');
			i++;
			continue;
		}
		if (tok[is_unix ? 4 : 3] == '-' || tok[is_unix ? 4 : 3] == '+') {
			char *e = NULL;

			if (sr_duration_parse(tok + (is_unix ? 5 : 4), &ago, &e) != 0) {
				free(e);
				ago = 0;
			}
			if (tok[is_unix ? 4 : 3] == '+')
				ago = -ago;
		}
		if (is_unix)
			sr_buf_printf(&b, "%lld", (long long)(now - ago));
		else
			sr_buf_adds(&b, sr_time_format(now - ago, ts, sizeof(ts)));
		i = (size_t)(close - s) + 2;
	}
	if (b.data == NULL)
		sr_buf_adds(&b, "");
	*out_len = b.len;
	return sr_buf_steal(&b);
}

/* Reads DIR/NAME with its times shifted to now. Returns 0 or -1 with *err. */
static int
read_fixture(const struct tui_model *m, const char *name, char **body, size_t *len, char **err)
{
	char *path = sr_xasprintf("%s/%s", m->fixtures, name), *raw = NULL;
	size_t rlen = 0;
	int rc = sr_read_file(path, 64u << 20, &raw, &rlen, err);

	free(path);
	if (rc != 0)
		return -1;
	*body = expand_times(raw, rlen, m->now, len);
	free(raw);
	return 0;
}

/* "error rate" -> "panel-error-rate.json" */
static char *
panel_file(const char *name)
{
	struct sr_buf b;

	sr_buf_init(&b);
	sr_buf_adds(&b, "panel-");
	for (const char *p = name; *p; p++) {
		char c = *p;

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			sr_buf_addc(&b, c);
		else if (c >= 'A' && c <= 'Z')
			sr_buf_addc(&b, (char)(c - 'A' + 'a'));
		else
			sr_buf_addc(&b, '-');
	}
	sr_buf_adds(&b, ".json");
	return sr_buf_steal(&b);
}

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

static void
load_panel(struct tui_model *m, struct tui_panel *p)
{
	struct sr_prom_result r;
	char *name = panel_file(p->def->name), *body = NULL, *err = NULL;
	size_t len = 0;

	memset(&r, 0, sizeof(r));
	if (read_fixture(m, name, &body, &len, &err) != 0 ||
	    sr_prom_parse_query(body, len, 200, name, &r, &err) != 0) {
		p->err = err;
		goto out;
	}
	if (r.n_series == 0 || r.series[0].n_samples == 0) {
		p->err = sr_xstrdup("no data");
		goto out;
	}
	/* A panel shows one series: its query is expected to aggregate to one. */
	p->n = r.series[0].n_samples;
	p->v = sr_xcalloc(p->n, sizeof(*p->v));
	p->min = INFINITY;
	p->max = -INFINITY;
	for (size_t i = 0; i < p->n; i++) {
		double v = r.series[0].samples[i].v;

		p->v[i] = v;
		if (isfinite(v)) {
			p->min = fmin(p->min, v);
			p->max = fmax(p->max, v);
		}
	}
	p->last = p->v[p->n - 1];
	p->has_last = 1;
out:
	sr_prom_result_done(&r);
	free(body);
	free(name);
}

static void
source_set(struct tui_source *s, int ok, sr_time now, char *err)
{
	s->ok = ok;
	if (ok)
		s->fetched_at = now;
	free(s->err);
	s->err = err;
}

void
tui_model_refresh_feeds(struct tui_model *m)
{
	const struct sr_panel *defs;
	size_t n_defs, len = 0;
	char *body = NULL, *err = NULL;
	struct sr_am_alerts fresh;
	int any_ok = 0;

	defs = m->has_fixture_cfg ? m->fixture_cfg.panels : m->cfg->panels;
	n_defs = m->has_fixture_cfg ? m->fixture_cfg.n_panels : m->cfg->n_panels;
	panels_free(m);
	m->n_panels = n_defs;
	m->panels = sr_xcalloc(n_defs ? n_defs : 1, sizeof(*m->panels));
	for (size_t i = 0; i < n_defs; i++) {
		m->panels[i].def = &defs[i];
		if (m->fixtures == NULL)
			continue;	/* live: filled by the panel's feed */
		load_panel(m, &m->panels[i]);
		any_ok |= m->panels[i].has_last;
	}
	if (m->fixtures == NULL)
		return;
	m->src[0].configured = m->src[1].configured = 1;
	source_set(&m->src[0], any_ok || n_defs == 0, m->now,
		   any_ok || n_defs == 0 ? NULL : sr_xstrdup("no panel answered"));

	memset(&fresh, 0, sizeof(fresh));
	if (read_fixture(m, "alerts.json", &body, &len, &err) != 0 ||
	    sr_am_parse_alerts(body, len, 200, "alerts.json", &fresh, &err) != 0) {
		/* keep the last good alerts; the header shows the source failing */
		source_set(&m->src[1], 0, m->now, err);
		sr_am_alerts_done(&fresh);
	} else {
		sr_am_alerts_done(&m->alerts);
		m->alerts = fresh;
		sr_am_alerts_sort(&m->alerts);
		source_set(&m->src[1], 1, m->now, NULL);
	}
	free(body);
}

/* --- live sources: Alertmanager alerts and panel range queries over sr_http --- */

enum feed_kind { FEED_AM, FEED_PANEL };

struct tui_feed {
	struct tui_model *m;
	enum feed_kind kind;
	size_t index;			/* into cfg->am or m->panels */
	struct sr_feed_state st;
	char *body;			/* Alertmanager: the last good answer (alerts are re-merged) */
	size_t len;
};

static const struct sr_source *
panel_source(const struct sr_config *cfg, const struct sr_panel *p)
{
	for (size_t i = 0; p->source != NULL && i < cfg->n_prom; i++)
		if (strcmp(cfg->prom[i].name, p->source) == 0)
			return &cfg->prom[i];
	return cfg->n_prom > 0 ? &cfg->prom[0] : NULL;
}

/* Rebuilds m->alerts from every Alertmanager's last good answer, merged by fingerprint. */
static void
merge_alerts(struct tui_model *m)
{
	struct sr_am_alerts all;

	memset(&all, 0, sizeof(all));
	for (size_t i = 0; i < m->n_feeds; i++) {
		struct tui_feed *f = &m->feeds[i];
		struct sr_am_alerts one;
		char *err = NULL;

		if (f->kind != FEED_AM || f->body == NULL)
			continue;
		memset(&one, 0, sizeof(one));
		if (sr_am_parse_alerts(f->body, f->len, 200, f->st.key, &one, &err) == 0)
			sr_am_alerts_merge(&all, &one, m->cfg->am[f->index].name);
		free(err);
		sr_am_alerts_done(&one);
	}
	sr_am_alerts_sort(&all);
	sr_am_alerts_done(&m->alerts);
	m->alerts = all;
}

/* Takes an answer body: returns 0, or -1 with *err when it does not parse. */
static int
feed_take(struct tui_feed *f, const char *body, size_t len, long status, const char *url,
	  char **err)
{
	struct tui_model *m = f->m;

	if (f->kind == FEED_AM) {
		struct sr_am_alerts check;
		int rc;

		memset(&check, 0, sizeof(check));
		rc = sr_am_parse_alerts(body, len, status, url, &check, err);
		sr_am_alerts_done(&check);
		if (rc != 0)
			return -1;
		free(f->body);
		f->body = sr_xstrndup(body, len);
		f->len = len;
		merge_alerts(m);
	} else {
		struct tui_panel *p = &m->panels[f->index];
		struct sr_prom_result r;

		memset(&r, 0, sizeof(r));
		if (sr_prom_parse_query(body, len, status, url, &r, err) != 0) {
			sr_prom_result_done(&r);
			return -1;
		}
		free(p->v);
		p->v = NULL;
		p->n = 0;
		p->has_last = 0;
		free(p->err);
		p->err = NULL;
		if (r.n_series == 0 || r.series[0].n_samples == 0) {
			p->err = sr_xstrdup("no data");
		} else {
			p->n = r.series[0].n_samples;
			p->v = sr_xcalloc(p->n, sizeof(*p->v));
			p->min = INFINITY;
			p->max = -INFINITY;
			for (size_t i = 0; i < p->n; i++) {
				p->v[i] = r.series[0].samples[i].v;
				if (isfinite(p->v[i])) {
					p->min = fmin(p->min, p->v[i]);
					p->max = fmax(p->max, p->v[i]);
				}
			}
			p->last = p->v[p->n - 1];
			p->has_last = 1;
		}
		sr_prom_result_done(&r);
	}
	return 0;
}

/* The header's view of one kind of source: the oldest data and whether all last tries worked. */
static void
summarise(struct tui_model *m)
{
	for (int k = 0; k < 2; k++) {
		struct tui_source *s = &m->src[k == FEED_AM ? 1 : 0];
		int any = 0, ok = 1;
		sr_time oldest = 0;
		const char *err = NULL;

		for (size_t i = 0; i < m->n_feeds; i++) {
			const struct tui_feed *f = &m->feeds[i];

			if ((int)f->kind != k)
				continue;
			any = 1;
			if (f->st.last_ok == 0 || f->st.failures > 0)
				ok = 0;
			if (f->st.last_err != NULL && err == NULL)
				err = f->st.last_err;
			if (oldest == 0 || f->st.last_ok < oldest || f->st.last_ok == 0)
				oldest = f->st.last_ok;
		}
		s->configured = any;
		s->ok = ok;
		s->fetched_at = oldest;
		sr_set_str(&s->err, err);
	}
}

static void
on_answer(void *arg, struct sr_http_response *r)
{
	struct tui_feed *f = arg;
	struct tui_model *m = f->m;
	char *err = NULL, *cerr = NULL;

	tui_model_clock(m);
	if (r->err != NULL) {
		sr_feed_failed(&f->st, m->now, r->err);
	} else if (feed_take(f, r->body, r->len, r->status, r->url, &err) != 0) {
		sr_feed_failed(&f->st, m->now, err);
	} else {
		sr_feed_succeeded(&f->st, m->now);
		/* the last good answer survives a restart with the network gone */
		if (sr_feed_cache_save(m->st, f->st.key, r->body, r->len, m->now, &cerr) != 0)
			free(cerr);
	}
	free(err);
	summarise(m);
	m->feeds_changed = 1;
}

static void
feeds_open(struct tui_model *m)
{
	const struct sr_config *cfg = m->cfg;
	size_t n = cfg->n_am + m->n_panels, k = 0;

	m->feeds = sr_xcalloc(n ? n : 1, sizeof(*m->feeds));
	for (size_t i = 0; i < n; i++) {
		struct tui_feed *f = &m->feeds[k];
		char *key, *body = NULL, *err = NULL;
		size_t len = 0;
		sr_time at = 0;

		f->m = m;
		if (i < cfg->n_am) {
			f->kind = FEED_AM;
			f->index = i;
			key = sr_xasprintf("alerts:%s", cfg->am[i].name);
			sr_feed_state_init(&f->st, key, cfg->am[i].t.interval, m->now);
		} else {
			const struct sr_source *src;

			f->kind = FEED_PANEL;
			f->index = i - cfg->n_am;
			src = panel_source(cfg, m->panels[f->index].def);
			if (src == NULL) {
				sr_set_str(&m->panels[f->index].err, "no [prometheus] source");
				continue;
			}
			key = sr_xasprintf("panel:%s", m->panels[f->index].def->name);
			sr_feed_state_init(&f->st, key, src->t.interval, m->now);
		}
		free(key);
		/* start from the cache: old data with its age beats an empty screen */
		if (sr_feed_cache_load(m->st, f->st.key, &body, &len, &at, &err) == 1 &&
		    feed_take(f, body, len, 200, f->st.key, &err) == 0)
			f->st.last_ok = at;
		free(body);
		free(err);
		k++;
	}
	m->n_feeds = k;
	merge_alerts(m);	/* the cached answers, now that every feed is in place */
	summarise(m);
}

static void
feeds_free(struct tui_model *m)
{
	for (size_t i = 0; i < m->n_feeds; i++) {
		sr_feed_state_done(&m->feeds[i].st);
		free(m->feeds[i].body);
	}
	free(m->feeds);
	m->feeds = NULL;
	m->n_feeds = 0;
}

int
tui_model_feeds_tick(struct tui_model *m)
{
	int changed = m->feeds_changed;

	m->feeds_changed = 0;
	if (m->fixtures != NULL || m->http == NULL)
		return changed;
	for (size_t i = 0; i < m->n_feeds; i++) {
		struct tui_feed *f = &m->feeds[i];
		struct sr_http_request rq = { 0 };
		char *url, *err = NULL;

		if (!sr_feed_due(&f->st, m->now))
			continue;
		if (f->kind == FEED_AM) {
			struct sr_am_filter flt = { 1, 1, 1, 0 };

			rq.t = &m->cfg->am[f->index].t;
			url = sr_am_alerts_url(rq.t->url, &flt, NULL);
		} else {
			const struct sr_panel *p = m->panels[f->index].def;
			int64_t range = p->range > 0 ? p->range : 3600;

			rq.t = &panel_source(m->cfg, p)->t;
			url = sr_prom_range_url(rq.t->url, p->query, m->now - range, m->now,
						sr_prom_step(range, 120));
		}
		rq.url = url;
		sr_feed_started(&f->st, m->now);
		if (sr_http_submit(m->http, &rq, on_answer, f, &err) != 0) {
			sr_feed_failed(&f->st, m->now, err);
			summarise(m);
			changed = 1;
		}
		free(err);
		free(url);
	}
	return changed;
}

/* --- an alert's own expression --- */

static void
series_clear(struct tui_series *s)
{
	free(s->fingerprint);
	free(s->expr);
	free(s->v);
	free(s->err);
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
			s->state = TUI_SERIES_ERR;
			sr_set_str(&s->err, r->err);
		} else if (series_take(s, r->body, r->len, r->status, r->url, &err) != 0) {
			s->state = TUI_SERIES_ERR;
			sr_set_str(&s->err, err);
		} else {
			s->state = TUI_SERIES_OK;
		}
		q->m->feeds_changed = 1;
	}
	free(err);
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
	char *err = NULL;

	if (s->fingerprint != NULL && strcmp(s->fingerprint, fp) == 0)
		return s;
	series_clear(s);
	s->fingerprint = sr_xstrdup(fp);
	s->expr = url_expr(a->generator_url);
	if (m->fixtures != NULL) {
		char *name = sr_xasprintf("expr-%s.json", fp), *body = NULL;
		size_t len = 0;

		if (read_fixture(m, name, &body, &len, &err) != 0 ||
		    series_take(s, body, len, 200, name, &err) != 0) {
			s->state = TUI_SERIES_ERR;
			s->err = sr_xstrdup("no recorded series in the demo");
		} else {
			s->state = TUI_SERIES_OK;
		}
		free(err);
		free(body);
		free(name);
		return s;
	}
	if (s->expr == NULL || m->cfg->n_prom == 0 || m->http == NULL) {
		s->state = TUI_SERIES_ERR;
		s->err = sr_xstrdup(s->expr == NULL ? "no expression in the alert's generatorURL" :
						      "no [prometheus] source to query");
		return s;
	}
	{
		struct sr_http_request rq = { 0 };
		struct series_req *q = sr_xcalloc(1, sizeof(*q));
		char *url;

		tui_model_clock(m);
		url = sr_prom_range_url(m->cfg->prom[0].t.url, s->expr, m->now - 3600, m->now, 60);
		q->m = m;
		q->fingerprint = sr_xstrdup(fp);
		rq.url = url;
		rq.t = &m->cfg->prom[0].t;
		s->state = TUI_SERIES_PENDING;
		if (sr_http_submit(m->http, &rq, on_series, q, &err) != 0) {
			s->state = TUI_SERIES_ERR;
			s->err = err;
			free(q->fingerprint);
			free(q);
		}
		free(url);
	}
	return s;
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
	for (size_t i = 0; i < q->m->n_feeds; i++)
		if (q->m->feeds[i].kind == FEED_AM && !q->m->feeds[i].st.in_flight)
			q->m->feeds[i].st.next_due = q->m->now;
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
	if (m->fixtures != NULL) {
		size_t hits = 0;

		for (size_t i = 0; i < m->alerts.n; i++) {
			struct sr_am_alert *al = &m->alerts.v[i];

			if (!sr_matchers_match(ms, al->labels, al->n_labels))
				continue;
			hits++;
			al->silenced_by = sr_xrealloc(al->silenced_by,
						      (al->n_silenced_by + 1) * sizeof(char *));
			al->silenced_by[al->n_silenced_by++] = sr_xstrdup("demo-silence");
		}
		notice(m, 0, sr_xasprintf("demo: silenced %zu alert(s) (not sent anywhere)", hits));
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
		sr_runbook_scan(&m->runbooks, dirs, n, SR_RB_META, err);
		sr_runbook_dirs_free(dirs, n);
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
	m->src[0].interval = m->cfg->panels_interval;
	m->src[1].interval = m->cfg->alerts_interval;
	m->http = sr_http_new(err);
	if (m->http == NULL) {
		free(*err);	/* the loop falls back to poll(2); live sources stay off */
		*err = NULL;
	}
	if (fixtures != NULL) {
		char *path = sr_xasprintf("%s/sitrep.conf", fixtures);

		m->fixtures = sr_xstrdup(fixtures);
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
	tui_model_refresh_feeds(m);
	if (m->fixtures == NULL)
		feeds_open(m);
	return 0;
}

void
tui_model_done(struct tui_model *m)
{
	sr_http_free(m->http);	/* aborts requests: their callbacks are not called */
	m->http = NULL;
	feeds_free(m);
	free(m->notice);
	series_clear(&m->series);	/* before the feeds' callbacks could see freed memory */
	sr_incident_list_done(&m->inc);
	sr_am_alerts_done(&m->alerts);
	panels_free(m);
	for (size_t i = 0; i < SR_ARRAY_LEN(m->src); i++)
		free(m->src[i].err);
	free(m->fixtures);
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
	tui_model_clock(m);
	sr_incident_init(&inc);
	if (sr_change_commit(m->st, id, ch, m->cfg, m->cfg->user, m->now, &inc, &ev, NULL, err) !=
	    0)
		goto out;
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

const char *
tui_source_state(const struct tui_model *m, const struct tui_source *s, int64_t *age)
{
	*age = s->fetched_at ? m->now - s->fetched_at : 0;
	if (!s->configured)
		return "off";
	if (s->fetched_at == 0)
		return s->err != NULL ? "ERR" : "wait";
	if (*age > 2 * (s->interval > 0 ? s->interval : 30))
		return "STALE";
	return s->ok ? "ok" : "ERR";
}
