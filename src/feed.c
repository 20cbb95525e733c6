/* SPDX-License-Identifier: MIT */
/* feed.c: when to poll each source, how long to back off, what is stale, what changed. */
#include <stdlib.h>
#include <string.h>

#include "feed.h"

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
	if (st->last_ok == 0 || st->failures > 0)
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
