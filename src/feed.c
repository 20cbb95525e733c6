/* SPDX-License-Identifier: MIT */
/* feed.c: when to poll each source, how long to back off, what is stale, what changed. */
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "spool.h"

/* --- schedule --- */

int64_t
sr_feed_backoff(int64_t interval, unsigned failures)
{
	int64_t wait = interval > 0 ? interval : 1;

	for (unsigned i = 0; i < failures && wait < SR_FEED_MAX_BACKOFF; i++)
		wait *= 2;
	return wait > SR_FEED_MAX_BACKOFF ? SR_FEED_MAX_BACKOFF : wait;
}

void
sr_feed_state_init(struct sr_feed_state *st, const char *key, int64_t interval, sr_time now)
{
	memset(st, 0, sizeof(*st));
	st->key = sr_xstrdup(key);
	st->interval = interval > 0 ? interval : 1;
	st->next_due = now;
}

void
sr_feed_state_done(struct sr_feed_state *st)
{
	free(st->key);
	free(st->last_err);
	memset(st, 0, sizeof(*st));
}

int
sr_feed_due(const struct sr_feed_state *st, sr_time now)
{
	return !st->in_flight && now >= st->next_due;
}

void
sr_feed_started(struct sr_feed_state *st, sr_time now)
{
	st->in_flight = 1;
	st->last_try = now;
}

void
sr_feed_succeeded(struct sr_feed_state *st, sr_time now)
{
	st->in_flight = 0;
	st->failures = 0;
	st->cached = 0;
	st->last_ok = now;
	free(st->last_err);
	st->last_err = NULL;
	st->next_due = now + st->interval;
}

void
sr_feed_failed(struct sr_feed_state *st, sr_time now, const char *err)
{
	st->in_flight = 0;
	if (st->failures < 64)
		st->failures++;
	sr_set_str(&st->last_err, err != NULL ? err : "failed");
	st->next_due = now + sr_feed_backoff(st->interval, st->failures);
}

int64_t
sr_feed_age(const struct sr_feed_state *st, sr_time now)
{
	if (st->last_ok == 0)
		return -1;
	return now > st->last_ok ? now - st->last_ok : 0;
}

int
sr_feed_stale(const struct sr_feed_state *st, sr_time now)
{
	if (st->last_ok == 0 || st->failures > 0 || st->cached)
		return 1;
	return sr_feed_age(st, now) > 2 * st->interval;
}

int
sr_feed_wait_ms(const struct sr_feed_state *st, size_t n, sr_time now, int max_ms)
{
	int64_t best = max_ms;

	for (size_t i = 0; i < n; i++) {
		int64_t ms;

		if (st[i].in_flight)
			continue;
		ms = st[i].next_due <= now ? 0 : (st[i].next_due - now) * 1000;
		if (ms < best)
			best = ms;
	}
	return best < 0 ? 0 : (int)best;
}

/* --- last-good cache --- */

int
sr_feed_cache_save(struct sr_store *store, const char *key, const char *body, size_t len,
		   sr_time fetched_at, char **err)
{
	if (store == NULL || store->ops->cache_put == NULL)
		return sr_err(err, "no store to keep %s in", key);
	return store->ops->cache_put(store, key, body, len, fetched_at, err);
}

int
sr_feed_cache_save_spool(struct sr_store *store, const char *key, struct sr_spool *sp,
			 sr_time fetched_at, char **err)
{
	size_t len = sr_spool_size(sp), have = 0;
	char *body;
	long got = 1;
	int rc;

	if (store == NULL || store->ops->cache_put == NULL)
		return sr_err(err, "no store to keep %s in", key);
	if (sp->failed)
		return sr_err(err, "%s not kept: a temporary file could not be written (%s)", key,
			      strerror(sp->err_no));
	sp->rpos = 0;
	if (store->ops->cache_put_stream != NULL)
		return store->ops->cache_put_stream(store, key, len, fetched_at, sr_spool_read, sp,
						    err);
	body = sr_xmalloc(len + 1);
	while (have < len && (got = sr_spool_read(sp, body + have, len - have)) > 0)
		have += (size_t)got;
	rc = have == len ? store->ops->cache_put(store, key, body, len, fetched_at, err) :
		sr_err(err, "%s not kept: a temporary file could not be read back", key);
	free(body);
	return rc;
}

int
sr_feed_cache_load(struct sr_store *store, const char *key, char **body, size_t *len,
		   sr_time *fetched_at, char **err)
{
	int64_t at = 0;
	int rc;

	*body = NULL;
	*len = 0;
	*fetched_at = 0;
	if (store == NULL || store->ops->cache_get == NULL)
		return 0;
	rc = store->ops->cache_get(store, key, body, len, &at, err);
	if (rc == 1)
		*fetched_at = at;
	return rc;
}

/* --- alert transitions --- */

const char *
sr_feed_ev_name(enum sr_feed_ev_kind k)
{
	switch (k) {
	case SR_FEED_EV_FIRING: return "firing";
	case SR_FEED_EV_RESOLVED: return "resolved";
	case SR_FEED_EV_SILENCED: return "silenced";
	case SR_FEED_EV_UNSILENCED: return "unsilenced";
	}
	return "?";
}

void
sr_feed_events_done(struct sr_feed_events *ev)
{
	for (size_t i = 0; i < ev->n; i++) {
		free(ev->v[i].fingerprint);
		free(ev->v[i].alertname);
		free(ev->v[i].silenced_by);
	}
	free(ev->v);
	memset(ev, 0, sizeof(*ev));
}

/* What a poll says about one alert. */
enum seen { SEEN_GONE, SEEN_ACTIVE, SEEN_SILENCED, SEEN_OTHER };

static enum seen
seen_state(const struct sr_am_alert *a, sr_time now)
{
	if (a == NULL || (a->ends_at != 0 && a->ends_at <= now))
		return SEEN_GONE;
	if (a->state == SR_AM_SUPPRESSED && a->n_silenced_by > 0)
		return SEEN_SILENCED;
	if (a->state == SR_AM_SUPPRESSED)
		return SEEN_OTHER;	/* inhibited: neither news nor silence */
	return SEEN_ACTIVE;
}

static int
cmp_fp(const void *x, const void *y)
{
	const struct sr_am_alert *const *a = x, *const *b = y;

	return strcmp((*a)->fingerprint, (*b)->fingerprint);
}

static const struct sr_am_alert **
sorted(const struct sr_am_alerts *al)
{
	const struct sr_am_alert **v = sr_xcalloc(al->n ? al->n : 1, sizeof(*v));

	for (size_t i = 0; i < al->n; i++)
		v[i] = &al->v[i];
	if (al->n > 1)
		qsort(v, al->n, sizeof(*v), cmp_fp);
	return v;
}

static void
emit(struct sr_feed_events *out, enum sr_feed_ev_kind k, const struct sr_am_alert *a, sr_time now)
{
	struct sr_feed_event *e;
	const char *name = sr_label_get(a->labels, a->n_labels, "alertname");

	out->v = sr_xgrow(out->v, &out->cap, out->n + 1, sizeof(*out->v));
	e = &out->v[out->n++];
	e->kind = k;
	e->fingerprint = sr_xstrdup(a->fingerprint);
	e->alertname = sr_xstrdup(name != NULL ? name : "");
	e->silenced_by = k == SR_FEED_EV_SILENCED && a->n_silenced_by > 0 ?
			 sr_xstrdup(a->silenced_by[0]) : NULL;
	e->at = now;
}

/* Compares one alert's state in the two polls (either side may be NULL). */
static void
transition(const struct sr_am_alert *p, const struct sr_am_alert *c, sr_time now,
	   struct sr_feed_events *out)
{
	enum seen before = seen_state(p, now), after = seen_state(c, now);

	if (before == after)
		return;
	if (after == SEEN_GONE && before != SEEN_GONE)
		emit(out, SR_FEED_EV_RESOLVED, p, now);
	else if (after == SEEN_ACTIVE && before == SEEN_SILENCED)
		emit(out, SR_FEED_EV_UNSILENCED, c, now);
	else if (after == SEEN_ACTIVE)
		emit(out, SR_FEED_EV_FIRING, c, now);	/* new, or no longer inhibited */
	else if (after == SEEN_SILENCED && before != SEEN_GONE)
		emit(out, SR_FEED_EV_SILENCED, c, now);
	/* New and silenced (or inhibited) from the start, or moving to/from inhibited: quiet. */
}

void
sr_feed_alert_diff(const struct sr_am_alerts *prev, const struct sr_am_alerts *cur, sr_time now,
		   struct sr_feed_events *out)
{
	const struct sr_am_alert **p, **c;
	size_t i = 0, j = 0;

	if (prev == NULL || cur == NULL)
		return;
	p = sorted(prev);
	c = sorted(cur);
	/* A merge walk over both polls in fingerprint order. */
	while (i < prev->n || j < cur->n) {
		int d;

		if (i == prev->n)
			d = 1;
		else if (j == cur->n)
			d = -1;
		else
			d = strcmp(p[i]->fingerprint, c[j]->fingerprint);
		if (d < 0)
			transition(p[i++], NULL, now, out);
		else if (d > 0)
			transition(NULL, c[j++], now, out);
		else
			transition(p[i++], c[j++], now, out);
	}
	free(p);
	free(c);
}

/* --- the live feeds --- */

static void
reply_cb(void *arg, struct sr_http_response *r)
{
	struct sr_feeds_reply *rp = arg;

	rp->ready = 1;
	rp->status = r->status;
	rp->body = r->body;
	rp->len = r->len;
	r->body = NULL;
	rp->err = r->err != NULL ? sr_xstrdup(r->err) : NULL;
	rp->seconds = r->seconds;
}

static void
reply_clear(struct sr_feeds_reply *rp)
{
	free(rp->body);
	free(rp->err);
	memset(rp, 0, sizeof(*rp));
}

static const struct sr_source *
prom_source(const struct sr_config *cfg, const char *name)
{
	return sr_config_prom(cfg, name);
}

static int64_t
pick_interval(int64_t own, int64_t dflt, int64_t fallback)
{
	return own > 0 ? own : dflt > 0 ? dflt : fallback;
}

static char *
cache_key(const char *kind, const char *name)
{
	return sr_xasprintf("%s:%s", kind, name);
}

/* Parses every Alertmanager's last good answer into one merged, sorted list. */
static void
rebuild_alerts(struct sr_feeds *f, sr_time now, int from_cache)
{
	struct sr_am_alerts merged;
	int any = 0, all_tried = 1;

	memset(&merged, 0, sizeof(merged));
	/*
	 * Transitions need a baseline: the cached answers, or else the first answer (or
	 * failure) of every Alertmanager. Until then the alerts are just loading, not news.
	 */
	for (size_t i = 0; i < f->n_am; i++)
		if (f->am[i].body == NULL && f->am[i].st.failures == 0)
			all_tried = 0;
	for (size_t i = 0; i < f->n_am; i++) {
		struct sr_am_alerts one;

		if (f->am[i].body == NULL)
			continue;
		if (sr_am_parse_alerts(f->am[i].body, f->am[i].len, 200, f->am[i].src->name, &one,
				       NULL) == 0) {
			sr_am_alerts_merge(&merged, &one, f->am[i].src->name);
			any = 1;
		}
		sr_am_alerts_done(&one);
	}
	sr_am_alerts_sort(&merged);
	if (f->have_alerts && any)
		sr_feed_alert_diff(&f->alerts, &merged, now, &f->events);
	sr_am_alerts_done(&f->alerts);
	f->alerts = merged;
	f->have_alerts = f->have_alerts || (any && (all_tried || from_cache));
	f->changed |= SR_FEEDS_ALERTS;
}

struct sr_feeds *
sr_feeds_new(const struct sr_config *cfg, struct sr_store *store, sr_time now, char **err)
{
	struct sr_feeds *f = sr_xcalloc(1, sizeof(*f));
	int loaded = 0;

	f->cfg = cfg;
	f->store = store;
	f->http = sr_http_new(err);
	if (f->http == NULL) {
		free(f);
		return NULL;
	}
	f->n_am = cfg->n_am;
	f->am = sr_xcalloc(f->n_am ? f->n_am : 1, sizeof(*f->am));
	for (size_t i = 0; i < f->n_am; i++) {
		struct sr_feeds_am *a = &f->am[i];
		char *key = cache_key("alerts", cfg->am[i].name);
		sr_time at = 0;
		char *e = NULL;

		a->src = &cfg->am[i];
		sr_feed_state_init(&a->st, key,
				   pick_interval(a->src->t.interval, cfg->alerts_interval, 15), now);
		if (sr_feed_cache_load(store, key, &a->body, &a->len, &at, &e) == 1) {
			a->st.last_ok = at;
			a->st.cached = 1;
			loaded = 1;
		}
		free(e);
		free(key);
	}
	if (loaded)
		rebuild_alerts(f, now, 1);

	f->n_panels = cfg->n_panels;
	f->panels = sr_xcalloc(f->n_panels ? f->n_panels : 1, sizeof(*f->panels));
	for (size_t i = 0; i < f->n_panels; i++) {
		struct sr_feeds_panel *p = &f->panels[i];
		char *key = cache_key("panel", cfg->panels[i].name), *body = NULL, *e = NULL;
		size_t len = 0;
		sr_time at = 0;

		p->panel = &cfg->panels[i];
		p->src = prom_source(cfg, p->panel->source);
		sr_feed_state_init(&p->st, key, pick_interval(p->src != NULL ? p->src->t.interval : 0,
							      cfg->panels_interval, 30), now);
		if (sr_feed_cache_load(store, key, &body, &len, &at, &e) == 1) {
			if (sr_prom_parse_query(body, len, 200, key, &p->res, NULL) == 0) {
				p->has_res = 1;
				p->st.last_ok = at;
				p->st.cached = 1;
				f->changed |= SR_FEEDS_PANELS;
			} else {
				sr_prom_result_done(&p->res);
			}
		}
		free(body);
		free(e);
		free(key);
	}

	f->n_checks = cfg->n_checks;
	f->checks = sr_xcalloc(f->n_checks ? f->n_checks : 1, sizeof(*f->checks));
	for (size_t i = 0; i < f->n_checks; i++) {
		char *key = cache_key("check", cfg->checks[i].name);

		f->checks[i].check = &cfg->checks[i];
		sr_feed_state_init(&f->checks[i].st, key,
				   pick_interval(cfg->checks[i].t.interval, cfg->checks_interval, 30),
				   now);
		free(key);
	}
	return f;
}

void
sr_feeds_free(struct sr_feeds *f)
{
	if (f == NULL)
		return;
	sr_http_free(f->http);	/* first: no callback may touch the replies after this */
	for (size_t i = 0; i < f->n_am; i++) {
		sr_feed_state_done(&f->am[i].st);
		free(f->am[i].body);
		reply_clear(&f->am[i].reply);
	}
	for (size_t i = 0; i < f->n_panels; i++) {
		sr_feed_state_done(&f->panels[i].st);
		sr_prom_result_done(&f->panels[i].res);
		reply_clear(&f->panels[i].reply);
	}
	for (size_t i = 0; i < f->n_checks; i++) {
		sr_feed_state_done(&f->checks[i].st);
		free(f->checks[i].detail);
		reply_clear(&f->checks[i].reply);
	}
	free(f->am);
	free(f->panels);
	free(f->checks);
	sr_am_alerts_done(&f->alerts);
	sr_feed_events_done(&f->events);
	free(f);
}

/* Keeps a good answer in the store; a store failure only costs the cache. */
static void
keep(struct sr_feeds *f, const char *key, const char *body, size_t len, sr_time now)
{
	char *e = NULL;

	if (f->store != NULL && sr_feed_cache_save(f->store, key, body, len, now, &e) < 0)
		free(e);
}

static void
take_am(struct sr_feeds *f, struct sr_feeds_am *a, sr_time now)
{
	struct sr_feeds_reply *rp = &a->reply;
	char *e = NULL;
	struct sr_am_alerts probe;

	memset(&probe, 0, sizeof(probe));
	if (rp->err != NULL) {
		sr_feed_failed(&a->st, now, rp->err);
	} else if (sr_am_parse_alerts(rp->body, rp->len, rp->status, a->src->t.url, &probe,
				      &e) < 0) {
		sr_feed_failed(&a->st, now, e);
	} else {
		free(a->body);
		a->body = rp->body;
		a->len = rp->len;
		rp->body = NULL;
		keep(f, a->st.key, a->body, a->len, now);
		sr_feed_succeeded(&a->st, now);
	}
	sr_am_alerts_done(&probe);
	free(e);
	reply_clear(rp);
}

static void
take_panel(struct sr_feeds *f, struct sr_feeds_panel *p, sr_time now)
{
	struct sr_feeds_reply *rp = &p->reply;
	struct sr_prom_result res;
	char *e = NULL;

	if (rp->err != NULL) {
		sr_feed_failed(&p->st, now, rp->err);
	} else if (sr_prom_parse_query(rp->body, rp->len, rp->status, p->src->t.url, &res,
				       &e) < 0) {
		sr_prom_result_done(&res);
		sr_feed_failed(&p->st, now, e);
	} else {
		sr_prom_result_done(&p->res);
		p->res = res;
		p->has_res = 1;
		keep(f, p->st.key, rp->body, rp->len, now);
		sr_feed_succeeded(&p->st, now);
	}
	free(e);
	reply_clear(rp);
	f->changed |= SR_FEEDS_PANELS;
}

static void
take_check(struct sr_feeds *f, struct sr_feeds_check *c, sr_time now)
{
	struct sr_feeds_reply *rp = &c->reply;
	long expect = c->check->expect_status > 0 ? c->check->expect_status : 200;

	c->has_result = 1;
	c->status = rp->status;
	c->latency_ms = rp->seconds * 1000;
	free(c->detail);
	c->detail = NULL;
	c->ok = rp->err == NULL && rp->status == expect;
	if (rp->err != NULL)
		c->detail = sr_xstrdup(rp->err);
	else if (!c->ok)
		c->detail = sr_xasprintf("HTTP %ld, expected %ld", rp->status, expect);
	/* A failing check is an answer, not a fault of the feed: it keeps its interval. */
	if (rp->err != NULL)
		sr_feed_failed(&c->st, now, rp->err);
	else
		sr_feed_succeeded(&c->st, now);
	reply_clear(rp);
	f->changed |= SR_FEEDS_CHECKS;
}

static int
start(struct sr_feeds *f, struct sr_feed_state *st, struct sr_feeds_reply *rp, const char *url,
      const struct sr_transport *t, sr_time now, char **err)
{
	struct sr_http_request rq = { .method = "GET", .url = url, .t = t };
	char *e = NULL;

	sr_feed_started(st, now);
	if (sr_http_submit(f->http, &rq, reply_cb, rp, &e) < 0) {
		sr_feed_failed(st, now, e);
		sr_err(err, "%s", e);
		free(e);
		return -1;
	}
	return 0;
}

int
sr_feeds_update(struct sr_feeds *f, sr_time now, char **err)
{
	int alerts_changed = 0, rc = 0;

	for (size_t i = 0; i < f->n_am; i++)
		if (f->am[i].reply.ready) {
			take_am(f, &f->am[i], now);
			alerts_changed = 1;
		}
	if (alerts_changed)
		rebuild_alerts(f, now, 0);
	for (size_t i = 0; i < f->n_panels; i++)
		if (f->panels[i].reply.ready)
			take_panel(f, &f->panels[i], now);
	for (size_t i = 0; i < f->n_checks; i++)
		if (f->checks[i].reply.ready)
			take_check(f, &f->checks[i], now);

	for (size_t i = 0; i < f->n_am; i++) {
		struct sr_feeds_am *a = &f->am[i];
		char *url;

		if (!sr_feed_due(&a->st, now))
			continue;
		url = sr_am_alerts_url(a->src->t.url, NULL, NULL);
		if (start(f, &a->st, &a->reply, url, &a->src->t, now, err) < 0)
			rc = -1;
		free(url);
	}
	for (size_t i = 0; i < f->n_panels; i++) {
		struct sr_feeds_panel *p = &f->panels[i];
		int64_t range = p->panel->range > 0 ? p->panel->range : 3600;
		char *url;

		if (!sr_feed_due(&p->st, now))
			continue;
		if (p->src == NULL) {
			sr_feed_started(&p->st, now);
			sr_feed_failed(&p->st, now, "no [prometheus] source for this panel");
			continue;
		}
		url = sr_prom_range_url(p->src->t.url, p->panel->query, now - range, now,
					sr_prom_step(range, 60));
		if (start(f, &p->st, &p->reply, url, &p->src->t, now, err) < 0)
			rc = -1;
		free(url);
	}
	for (size_t i = 0; i < f->n_checks; i++) {
		struct sr_feeds_check *c = &f->checks[i];

		if (sr_feed_due(&c->st, now) &&
		    start(f, &c->st, &c->reply, c->check->t.url, &c->check->t, now, err) < 0)
			rc = -1;
	}
	return rc;
}

int
sr_feeds_wait_ms(const struct sr_feeds *f, sr_time now, int max_ms)
{
	int ms = max_ms;

	for (size_t i = 0; i < f->n_am; i++)
		ms = sr_feed_wait_ms(&f->am[i].st, 1, now, ms);
	for (size_t i = 0; i < f->n_panels; i++)
		ms = sr_feed_wait_ms(&f->panels[i].st, 1, now, ms);
	for (size_t i = 0; i < f->n_checks; i++)
		ms = sr_feed_wait_ms(&f->checks[i].st, 1, now, ms);
	return ms;
}

int
sr_feeds_wait(struct sr_feeds *f, struct sr_http_waitfd *extra, unsigned n_extra,
	      int timeout_ms, char **err)
{
	return sr_http_poll(f->http, extra, n_extra, timeout_ms, err);
}

int
sr_feeds_busy(const struct sr_feeds *f)
{
	return sr_http_running(f->http) > 0;
}
