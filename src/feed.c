/* SPDX-License-Identifier: MIT */
/* feed.c: when to poll each source, how long to back off, what is stale, what changed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "feed.h"
#include "spool.h"

/* --- schedule --- */

int64_t
sr_feed_backoff(int64_t interval, unsigned failures)
{
	int64_t wait = interval > 0 ? interval : 1;

	if (failures == 0)
		return wait;
	/*
	 * The first retry comes one interval later, then the wait doubles, but a failing source
	 * is probed at least every SR_FEED_MAX_BACKOFF seconds (even one polled less often when
	 * healthy): a server that is back shows fresh data within that, not minutes later.
	 */
	for (unsigned i = 1; i < failures && wait < SR_FEED_MAX_BACKOFF; i++)
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

/* Reports the move of one alert from state before to after (p: as before, c: as after). */
static void
moved(enum seen before, enum seen after, const struct sr_am_alert *p, const struct sr_am_alert *c,
      sr_time now, struct sr_feed_events *out)
{
	/* A NULL side is SEEN_GONE (seen_state), so p is set when before is not GONE and c when
	 * after is not; the checks say so for readers and analysers. */
	if (before == after || (before != SEEN_GONE && p == NULL) ||
	    (after != SEEN_GONE && c == NULL))
		return;
	if (after == SEEN_GONE)
		emit(out, SR_FEED_EV_RESOLVED, p, now);
	else if (after == SEEN_ACTIVE && before == SEEN_SILENCED)
		emit(out, SR_FEED_EV_UNSILENCED, c, now);
	else if (after == SEEN_ACTIVE)
		emit(out, SR_FEED_EV_FIRING, c, now);	/* new, or no longer inhibited */
	else if (after == SEEN_SILENCED && before != SEEN_GONE)
		emit(out, SR_FEED_EV_SILENCED, c, now);
	/* New and silenced (or inhibited) from the start, or moving to/from inhibited: quiet. */
}

/* Compares one alert's state in the two polls (either side may be NULL). */
static void
transition(const struct sr_am_alert *p, const struct sr_am_alert *c, sr_time now,
	   struct sr_feed_events *out)
{
	moved(seen_state(p, now), seen_state(c, now), p, c, now, out);
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

/* --- the feed engine --- */

static void
reply_clear(struct sr_feeds_reply *rp)
{
	free(rp->body);
	free(rp->err);
	memset(rp, 0, sizeof(*rp));
}

static void
reply_cb(void *arg, struct sr_http_response *r)
{
	struct sr_feeds_reply *rp = arg;

	reply_clear(rp);
	rp->ready = 1;
	rp->status = r->status;
	rp->body = r->body;
	rp->len = r->len;
	r->body = NULL;
	rp->err = r->err != NULL ? sr_xstrdup(r->err) : NULL;
	rp->seconds = r->seconds;
	rp->streamed = r->streamed;
	rp->sink_failed = r->sink_failed;
}

/*
 * The [prometheus] source of a panel: the one it names, matched without regard to case as
 * the config's check does, else (no name) the first. A name that matches no section (the
 * config refuses it, so only a config built by hand) is an error, never another's data.
 */
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

/* A fast hash of an alert's bytes, 8 at a time: unchanged alerts are recognised by it. */
static uint64_t
hash_bytes(const char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15u ^ n;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;

		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	for (; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001b3u;
	h ^= h >> 29;
	return h * 0xc4ceb9fe1a85ec53u;
}

static uint64_t
hash_str(const char *s)
{
	return hash_bytes(s, strlen(s));
}

/* --- demo recordings: answers whose times are written relative to "now" --- */

/*
 * Expands the time placeholders of a recording so an answer looks fresh: {{now}} /
 * {{now-DUR}} / {{now+DUR}} become RFC 3339 times, {{unix}} / {{unix-DUR}} Unix seconds, DUR
 * being a duration such as 90s, 21m or 1h30m. Anything else is copied unchanged.
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
		char sign;

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
		sign = tok[is_unix ? 4 : 3];
		if (sign == '-' || sign == '+') {
			char *e = NULL;

			if (sr_duration_parse(tok + (is_unix ? 5 : 4), &ago, &e) != 0) {
				free(e);
				ago = 0;
			}
			if (sign == '+')
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

/*
 * Reads DIR/NAME with its times shifted to now, handing it to fn piece by piece (a recording
 * of 25,000 alerts is never held whole). Returns 0, or -1 with *err (fn's -1 leaves it).
 */
static int
demo_each(const struct sr_feeds *f, const char *name, sr_time now,
	  int (*fn)(void *arg, const char *p, size_t n), void *arg, char **err)
{
	enum { PIECE = 64 * 1024, TOKEN = 48 };
	char *path = sr_xasprintf("%s/%s", f->demo, name), *buf;
	FILE *fp = fopen(path, "rb");
	size_t have = 0;
	int rc = 0;

	if (fp == NULL) {
		rc = sr_err(err, "%s: %s", path, strerror(errno));
		free(path);
		return rc;
	}
	buf = sr_xmalloc(PIECE + TOKEN);
	for (;;) {
		size_t got = fread(buf + have, 1, PIECE, fp), cut, out_len;
		char *out;

		have += got;
		cut = have;
		if (got > 0) {
			/* a placeholder cut in two is expanded with the next piece */
			size_t from = have > TOKEN ? have - TOKEN : 0;
			const char *lb = memchr(buf + from, '{', have - from), *q;

			while (lb != NULL && (q = memchr(lb + 1, '{', (size_t)(buf + have - lb - 1))))
				lb = q;
			if (lb != NULL && lb > buf && lb[-1] == '{')
				lb--;	/* the first brace of a "{{" */
			if (lb != NULL)
				cut = (size_t)(lb - buf);
		}
		out = expand_times(buf, cut, now, &out_len);
		rc = out_len > 0 ? fn(arg, out, out_len) : 0;
		free(out);
		memmove(buf, buf + cut, have - cut);
		have -= cut;
		if (rc < 0 || got == 0)
			break;
	}
	if (rc == 0 && ferror(fp))
		rc = sr_err(err, "%s: read error", path);
	fclose(fp);
	free(buf);
	free(path);
	return rc;
}

static int
to_buf(void *arg, const char *p, size_t n)
{
	sr_buf_add(arg, p, n);
	return 0;
}

/* Reads DIR/NAME whole, with its times shifted to now. Returns 0 or -1 with *err. */
static int
demo_read(const struct sr_feeds *f, const char *name, sr_time now, char **body, size_t *len,
	  char **err)
{
	struct sr_buf b;

	sr_buf_init(&b);
	sr_buf_adds(&b, "");
	if (demo_each(f, name, now, to_buf, &b, err) != 0) {
		sr_buf_done(&b);
		return -1;
	}
	*len = b.len;
	*body = sr_buf_steal(&b);
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

/* --- the merged alert list and its indexes --- */

static size_t
slot_of(const struct sr_feeds *f, uint64_t h)
{
	return (size_t)h & (f->n_slot - 1);
}

static void
index_put(struct sr_feeds *f, size_t *tab, uint64_t h, size_t i)
{
	size_t k = slot_of(f, h);

	while (tab[k] != 0 && tab[k] != i + 1)
		k = (k + 1) & (f->n_slot - 1);
	tab[k] = i + 1;
}

static void index_add(struct sr_feeds *f, size_t i, int fp);

/* Rebuilds both indexes for at least want entries. */
static void
index_rebuild(struct sr_feeds *f, size_t want)
{
	size_t size = 64;

	while (size < want * 2 + 2)
		size *= 2;
	free(f->fp_slot);
	free(f->raw_slot);
	f->fp_slot = sr_xcalloc(size, sizeof(*f->fp_slot));
	f->raw_slot = sr_xcalloc(size, sizeof(*f->raw_slot));
	f->n_slot = size;
	f->n_indexed = 0;
	for (size_t i = 0; i < f->alerts.n; i++)
		index_add(f, i, 1);
}

/* Indexes alert i by its bytes (and by its fingerprint when fp). */
static void
index_add(struct sr_feeds *f, size_t i, int fp)
{
	const struct sr_am_alert *a = &f->alerts.v[i];

	if ((f->n_indexed + 1) * 2 > f->n_slot) {
		index_rebuild(f, (f->alerts.n > f->n_indexed ? f->alerts.n : f->n_indexed) * 2);
		return;		/* the rebuild indexed everything, i included */
	}
	if (fp)
		index_put(f, f->fp_slot, hash_str(a->fingerprint), i);
	index_put(f, f->raw_slot, a->feed.raw_hash, i);
	f->n_indexed++;
}

static long
find_fp(const struct sr_feeds *f, const char *fp)
{
	if (f->n_slot == 0)
		return -1;
	for (size_t k = slot_of(f, hash_str(fp)); f->fp_slot[k] != 0;
	     k = (k + 1) & (f->n_slot - 1))
		if (strcmp(f->alerts.v[f->fp_slot[k] - 1].fingerprint, fp) == 0)
			return (long)f->fp_slot[k] - 1;
	return -1;
}

static long
find_raw(const struct sr_feeds *f, uint64_t h, size_t len)
{
	if (f->n_slot == 0)
		return -1;
	for (size_t k = slot_of(f, h); f->raw_slot[k] != 0; k = (k + 1) & (f->n_slot - 1)) {
		const struct sr_am_seen *s = &f->alerts.v[f->raw_slot[k] - 1].feed;

		if (s->raw_hash == h && s->raw_len == len)
			return (long)f->raw_slot[k] - 1;
	}
	return -1;
}

static void
set_active(struct sr_am_seen *s, uint64_t bit)
{
	if (s->raw_state == SR_AM_ACTIVE)
		s->active_in |= bit;
	else
		s->active_in &= ~bit;
}

static int
labels_equal(const struct sr_label *a, size_t na, const struct sr_label *b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i].name, b[i].name) != 0 || strcmp(a[i].value, b[i].value) != 0)
			return 0;
	return 1;
}

/* The demo silences that match a become its silences. */
static void
demo_silence(const struct sr_feeds *f, struct sr_am_alert *a)
{
	for (size_t i = 0; i < f->n_sil; i++) {
		if (f->sil[i].until <= f->now ||
		    !sr_matchers_match(&f->sil[i].ms, a->labels, a->n_labels))
			continue;
		a->silenced_by = sr_xrealloc(a->silenced_by,
					     (a->n_silenced_by + 1) * sizeof(*a->silenced_by));
		a->silenced_by[a->n_silenced_by++] = sr_xstrdup(f->sil[i].id);
		a->state = SR_AM_SUPPRESSED;
	}
}

/* Before an element is parsed: an alert known from exactly these bytes is only marked seen. */
static int
am_skip(void *arg, const char *p, size_t n)
{
	struct sr_feeds_am *s = arg;
	struct sr_feeds *f = s->f;
	long i;

	f->cur_hash = hash_bytes(p, n);
	f->cur_len = n;
	if (f->demo != NULL || (i = find_raw(f, f->cur_hash, n)) < 0)
		return 0;
	f->alerts.v[i].feed.pass |= s->bit;
	set_active(&f->alerts.v[i].feed, s->bit);
	s->n_skipped++;
	return 1;
}

/*
 * An alert read from source s, merged as soon as it is read so that one copy of each alert
 * is held: it replaces the copy with its fingerprint, or is added (and dropped again if the
 * answer fails part-way). Callers that borrow f->alerts take it again after each wait.
 */
static void
am_alert(void *arg, struct sr_am_alert *a)
{
	struct sr_feeds_am *s = arg;
	struct sr_feeds *f = s->f;
	long i;

	if (f->match != NULL && !sr_matchers_match(f->match, a->labels, a->n_labels)) {
		sr_am_alert_done(a);	/* what the server would have left out (cache, demo) */
		memset(a, 0, sizeof(*a));
		return;
	}
	if (a->fingerprint == NULL)
		a->fingerprint = sr_xstrdup("");
	if (f->demo != NULL)
		demo_silence(f, a);
	sr_am_alert_pack(a);	/* held until replaced: one block, not one per string */
	memset(&a->feed, 0, sizeof(a->feed));
	a->feed.raw_hash = f->cur_hash;
	a->feed.raw_len = f->cur_len;
	a->feed.raw_state = a->state;
	s->n_read++;
	i = find_fp(f, a->fingerprint);

	if (i >= 0) {
		struct sr_am_alert *old = &f->alerts.v[i];

		a->feed.seen = old->feed.seen;
		a->feed.pass = old->feed.pass;
		a->feed.active_in = old->feed.active_in;
		a->feed.shown = old->feed.shown;
		a->feed.change = old->feed.change;
		a->feed.change_at = old->feed.change_at;
		if (f->have_alerts && old->feed.shown != SEEN_GONE &&
		    !labels_equal(old->annotations, old->n_annotations, a->annotations,
				  a->n_annotations)) {
			a->feed.change = SR_AM_CHANGED;
			a->feed.change_at = f->now;
		}
		a->instances = old->instances;
		a->n_instances = old->n_instances;
		old->instances = NULL;
		old->n_instances = 0;
		sr_am_alert_done(old);
		*old = *a;
	} else {
		if (f->alerts.n == f->alerts.cap) {	/* by half: the list is the big thing held */
			f->alerts.cap = f->alerts.cap < 64 ? 64 : f->alerts.cap + f->alerts.cap / 2;
			f->alerts.v = sr_xrealloc(f->alerts.v, f->alerts.cap * sizeof(*f->alerts.v));
		}
		a->feed.shown = SEEN_GONE;
		i = (long)f->alerts.n++;
		f->alerts.v[i] = *a;
	}
	memset(a, 0, sizeof(*a));
	f->alerts.v[i].feed.pass |= s->bit;
	set_active(&f->alerts.v[i].feed, s->bit);
	index_add(f, (size_t)i, 1);
}

/* The instance names of the bits in seen, shared by every alert seen by the same ones. */
static void
set_instances(struct sr_feeds *f, struct sr_am_alert *a)
{
	size_t n = 0;

	struct sr_feeds_names *x = NULL;

	for (size_t i = 0; i < f->n_names && x == NULL; i++)
		if (f->names[i].mask == a->feed.seen)
			x = &f->names[i];
	if (x == NULL) {
		f->names = sr_xrealloc(f->names, (f->n_names + 1) * sizeof(*f->names));
		x = &f->names[f->n_names++];
		x->mask = a->feed.seen;
		x->v = sr_xcalloc(f->n_am ? f->n_am : 1, sizeof(*x->v));
		for (size_t k = 0; k < f->n_am; k++)
			if (a->feed.seen & f->am[k].bit)
				x->v[n++] = (char *)f->am[k].name;
		x->n = n;
	}
	a->instances = x->v;	/* the engine's: a packed alert does not own them */
	a->n_instances = x->n;
}

/*
 * After source s's answer: ok, the alerts it did not list are no longer seen by it (gone
 * when nobody sees them); not ok, what it read stays but removes nothing. Records the
 * transitions, merges the instances' states and sorts. Returns whether the list changed.
 */
static int
am_commit(struct sr_feeds *f, struct sr_feeds_am *s, int ok, int baseline)
{
	struct sr_am_alerts *al = &f->alerts;
	size_t j = 0;
	int changed = s->n_read > 0;

	for (size_t i = 0; i < al->n; i++) {
		struct sr_am_alert *a = &al->v[i];
		uint64_t before = a->feed.seen;
		int now_shown;

		if (ok && (a->feed.pass & s->bit)) {
			a->feed.seen |= s->bit;
		} else if (ok) {
			a->feed.seen &= ~s->bit;
			a->feed.active_in &= ~s->bit;
		}
		a->feed.pass &= ~s->bit;
		if (a->feed.seen == 0 && a->feed.pass != 0) {
			/* only in answers still being read: theirs to commit */
			if (j != i)
				al->v[j] = *a;
			j++;
			continue;
		}
		if (a->feed.seen == 0) {
			/* (an alert only a failed answer had was never shown: no news) */
			if (baseline && a->feed.shown != SEEN_GONE)
				emit(&f->events, SR_FEED_EV_RESOLVED, a, f->now);
			sr_am_alert_done(a);
			changed = 1;
			continue;
		}
		/* active when any instance says so (as sr_am_alerts_merge does) */
		if (a->feed.active_in & a->feed.seen)
			a->state = SR_AM_ACTIVE;
		else if (a->feed.raw_state == SR_AM_ACTIVE)
			a->state = SR_AM_SUPPRESSED;
		else
			a->state = a->feed.raw_state;
		if (before != a->feed.seen || a->instances == NULL) {
			set_instances(f, a);
			changed = 1;
		}
		now_shown = (int)seen_state(a, f->now);
		if (now_shown != a->feed.shown) {
			if (baseline) {
				moved((enum seen)a->feed.shown, (enum seen)now_shown, a, a, f->now,
				      &f->events);
				a->feed.change = a->feed.shown == SEEN_GONE ? SR_AM_NEW :
						 SR_AM_CHANGED;
				a->feed.change_at = f->now;
			}
			a->feed.shown = now_shown;
			changed = 1;
		}
		if (j != i)
			al->v[j] = *a;
		j++;
	}
	al->n = j;
	if (changed) {
		if (al->cap > al->n + al->n / 8 + 64) {	/* give back what a shorter list frees */
			al->cap = al->n + 64;
			al->v = sr_xrealloc(al->v, al->cap * sizeof(*al->v));
		}
		sr_am_alerts_sort(al);
		index_rebuild(f, al->n);
		f->changed |= SR_FEEDS_ALERTS;
	}
	return changed;
}

/* Starts reading an answer of s (keep: its bytes go to a spool for the cache). */
static void
am_begin(struct sr_feeds_am *s, const char *url, int keep)
{
	sr_am_reader_free(s->rd);
	s->rd = sr_am_reader_new(url, (size_t)-1, am_alert, s);
	sr_am_reader_skip(s->rd, am_skip);
	free(s->rerr);
	s->rerr = NULL;
	s->n_read = s->n_skipped = 0;
	if (s->spool != NULL) {
		sr_spool_done(s->spool);
		free(s->spool);
		s->spool = NULL;
	}
	if (keep) {
		s->spool = sr_xcalloc(1, sizeof(*s->spool));
		sr_spool_init(s->spool);
	}
}

static int
am_sink(void *arg, const char *p, size_t n)
{
	struct sr_feeds_am *s = arg;

	if (s->spool != NULL && sr_spool_write(s->spool, p, n) < 0) {
		sr_spool_done(s->spool);	/* no temporary space: shown, not kept */
		free(s->spool);
		s->spool = NULL;
	}
	return sr_am_reader_feed(s->rd, p, n, &s->rerr);
}

/* Ends the answer being read: 0, or -1 with s->rerr saying why. */
static int
am_end(struct sr_feeds_am *s)
{
	int rc = s->rerr == NULL && sr_am_reader_end(s->rd, &s->rerr) == 0 ? 0 : -1;

	sr_am_reader_free(s->rd);
	s->rd = NULL;
	return rc;
}

/* Whether every Alertmanager has answered or failed once (transitions need a baseline). */
static int
all_tried(const struct sr_feeds *f)
{
	for (size_t i = 0; i < f->n_am; i++)
		if (f->am[i].st.last_ok == 0 && f->am[i].st.failures == 0)
			return 0;
	return 1;
}

/* Reads a whole body of s (cache, demo, or an answer that was not streamed). */
static int
am_read_body(struct sr_feeds_am *s, const char *body, size_t len, const char *what, int keep)
{
	am_begin(s, what, keep);
	if (am_sink(s, body, len) < 0) {
		sr_am_reader_free(s->rd);
		s->rd = NULL;
		return -1;
	}
	return am_end(s);
}

static void
free_spool(struct sr_feeds_am *s)
{
	if (s->spool != NULL) {
		sr_spool_done(s->spool);
		free(s->spool);
		s->spool = NULL;
	}
}

/* The last good answer of s from the store, when there is one: shown with its age. */
static void
am_from_cache(struct sr_feeds *f, struct sr_feeds_am *s)
{
	char *body = NULL, *e = NULL;
	size_t len = 0;
	sr_time at = 0;

	if (f->demo == NULL && sr_feed_cache_load(f->store, s->st.key, &body, &len, &at, &e) == 1 &&
	    am_read_body(s, body, len, s->st.key, 0) == 0) {
		s->st.last_ok = at;
		s->st.cached = 1;
		s->saved_at = at;
		(void)am_commit(f, s, 1, 0);
		f->have_alerts = 1;
	}
	free(body);
	free(e);
}

/* The end of one Alertmanager answer (the reply in s->reply, or a demo body). */
static void
am_finish(struct sr_feeds *f, struct sr_feeds_am *s, int ok, const char *err)
{
	int baseline = f->have_alerts, changed;

	if (!ok)
		sr_feed_failed(&s->st, f->now, err);
	else
		sr_feed_succeeded(&s->st, f->now);
	changed = am_commit(f, s, ok, baseline);
	if (!ok && f->cache_late && s->st.last_ok == 0)
		am_from_cache(f, s);
	/*
	 * The last good copy is written when the answer changed anything, else at most every
	 * SR_FEED_CACHE_EVERY seconds: a cached age is then at most that much older than the
	 * truth, for the cost of not writing megabytes every poll.
	 */
	if (ok && s->spool != NULL && f->store != NULL &&
	    (changed || s->n_read > 0 || f->now - s->saved_at >= SR_FEED_CACHE_EVERY)) {
		char *e = NULL;

		/* a store failure only costs the cache */
		if (sr_feed_cache_save_spool(f->store, s->st.key, s->spool, f->now, &e) < 0)
			free(e);
		else
			s->saved_at = f->now;
	}
	free_spool(s);
	if (!f->have_alerts && all_tried(f))
		f->have_alerts = 1;
	/* any instance that answered with it proves the pipeline alive at this moment */
	if (ok && sr_watchdog_name(f->cfg) != NULL &&
	    sr_watchdog_in(&f->alerts, sr_watchdog_name(f->cfg), f->now))
		f->wd_seen = f->now;
	f->changed |= SR_FEEDS_ALERTS;
}

static void
take_am(struct sr_feeds *f, struct sr_feeds_am *s)
{
	struct sr_feeds_reply *rp = &s->reply;
	char *e = NULL, *safe = sr_http_redact(s->src->t.url);

	if (rp->err != NULL) {
		if (s->rd != NULL)
			(void)am_end(s);
		am_finish(f, s, 0, rp->err);
	} else if (!rp->streamed && !rp->sink_failed &&
		   sr_am_check_status(rp->body, rp->len, rp->status, safe, &e) < 0) {
		(void)am_end(s);
		am_finish(f, s, 0, e);
	} else {
		/* a 2xx answer arrives through am_sink; anything else was collected */
		if (!rp->streamed && !rp->sink_failed && rp->len > 0)
			(void)am_sink(s, rp->body, rp->len);
		if (am_end(s) == 0)
			am_finish(f, s, 1, NULL);
		else
			am_finish(f, s, 0, s->rerr);
	}
	free(e);
	free(safe);
	reply_clear(rp);
}

/* The demo source: the recording read as if fetched. */
static void
demo_am(struct sr_feeds *f, struct sr_feeds_am *s)
{
	char *e = NULL;

	sr_feed_started(&s->st, f->now);
	am_begin(s, "alerts.json", 0);
	if (demo_each(f, "alerts.json", f->now, am_sink, s, &e) != 0) {
		if (e == NULL) {	/* the reader's reason */
			e = s->rerr;
			s->rerr = NULL;
		}
		sr_am_reader_free(s->rd);
		s->rd = NULL;
		am_finish(f, s, 0, e);
	} else if (am_end(s) != 0) {
		am_finish(f, s, 0, s->rerr);
	} else {
		am_finish(f, s, 1, NULL);
	}
	free(e);
}

/* A panel's answer (a query_range body): kept when it parses. */
static void
panel_answer(struct sr_feeds *f, struct sr_feeds_panel *p, const char *body, size_t len,
	     long status, const char *url, int keep)
{
	struct sr_prom_result res;
	char *e = NULL;

	if (sr_prom_parse_query(body, len, status, url, &res, &e) < 0) {
		sr_prom_result_done(&res);
		sr_feed_failed(&p->st, f->now, e);
	} else {
		sr_prom_result_done(&p->res);
		p->res = res;
		p->has_res = 1;
		if (keep && f->store != NULL &&
		    sr_feed_cache_save(f->store, p->st.key, body, len, f->now, &e) < 0) {
			free(e);
			e = NULL;
		}
		sr_feed_succeeded(&p->st, f->now);
	}
	free(e);
	f->changed |= SR_FEEDS_PANELS;
}

static void
take_panel(struct sr_feeds *f, struct sr_feeds_panel *p)
{
	struct sr_feeds_reply *rp = &p->reply;

	if (rp->err != NULL) {
		sr_feed_failed(&p->st, f->now, rp->err);
		f->changed |= SR_FEEDS_PANELS;
	} else {
		char *safe = sr_http_redact(p->src->t.url);

		panel_answer(f, p, rp->body, rp->len, rp->status, safe, 1);
		free(safe);
	}
	reply_clear(rp);
}

static void
demo_panel(struct sr_feeds *f, struct sr_feeds_panel *p)
{
	char *name = panel_file(p->panel->name), *body = NULL, *e = NULL;
	size_t len = 0;

	sr_feed_started(&p->st, f->now);
	if (demo_read(f, name, f->now, &body, &len, &e) != 0) {
		sr_feed_failed(&p->st, f->now, e);
		f->changed |= SR_FEEDS_PANELS;
	} else {
		panel_answer(f, p, body, len, 200, name, 0);
	}
	free(e);
	free(body);
	free(name);
}

static void
take_check(struct sr_feeds *f, struct sr_feeds_check *c)
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
		sr_feed_failed(&c->st, f->now, rp->err);
	else
		sr_feed_succeeded(&c->st, f->now);
	reply_clear(rp);
	f->changed |= SR_FEEDS_CHECKS;
}

struct sr_feeds *
sr_feeds_new(const struct sr_config *cfg, struct sr_store *store, const char *demo, sr_time now)
{
	return sr_feeds_open(cfg, store, demo, now, NULL);
}

struct sr_feeds *
sr_feeds_open(const struct sr_config *cfg, struct sr_store *store, const char *demo, sr_time now,
	      const struct sr_feeds_opts *o)
{
	static const struct sr_feeds_opts dflt = { 0, NULL, NULL, SR_FEEDS_CACHE_START, 0 };
	static const struct sr_am_filter shown = { 1, 1, 1, 0 };	/* silenced show as such */
	struct sr_feeds *f = sr_xcalloc(1, sizeof(*f));
	int64_t demo_every = 15;
	unsigned kinds;

	if (o == NULL)
		o = &dflt;
	kinds = o->kinds != 0 ? o->kinds : SR_FEEDS_ALERTS | SR_FEEDS_PANELS | SR_FEEDS_CHECKS;
	f->cfg = cfg;
	f->started = now;
	f->store = store;
	f->now = now;
	f->am_filter = o->am_filter != NULL ? *o->am_filter : shown;
	f->match = o->match;
	f->cache_late = o->cache == SR_FEEDS_CACHE_ON_FAILURE;
	f->no_save = o->no_save;
	f->demo = demo != NULL ? sr_xstrdup(demo) : NULL;
	f->http = sr_http_new(&f->http_err);
	f->n_am = !(kinds & SR_FEEDS_ALERTS) ? 0 : demo != NULL ? 1 :
		  cfg->n_am < SR_FEEDS_MAX_AM ? cfg->n_am : SR_FEEDS_MAX_AM;
	f->am = sr_xcalloc(f->n_am ? f->n_am : 1, sizeof(*f->am));
	for (size_t i = 0; i < f->n_am; i++) {
		struct sr_feeds_am *a = &f->am[i];
		char *key;

		a->f = f;
		a->bit = (uint64_t)1 << i;
		a->src = demo != NULL ? NULL : &cfg->am[i];
		a->name = demo != NULL ? "demo" : a->src->name;
		key = cache_key("alerts", a->name);
		sr_feed_state_init(&a->st, key, demo != NULL ? demo_every :
				   pick_interval(a->src->t.interval, cfg->alerts_interval, 15), now);
		free(key);
		/* start from the cache: old data with its age beats an empty screen */
		if (!f->cache_late)
			am_from_cache(f, a);
	}

	f->n_panels = kinds & SR_FEEDS_PANELS ? cfg->n_panels : 0;
	f->panels = sr_xcalloc(f->n_panels ? f->n_panels : 1, sizeof(*f->panels));
	for (size_t i = 0; i < f->n_panels; i++) {
		struct sr_feeds_panel *p = &f->panels[i];
		char *key = cache_key("panel", cfg->panels[i].name), *body = NULL, *e = NULL;
		size_t len = 0;
		sr_time at = 0;

		p->panel = &cfg->panels[i];
		p->src = demo != NULL ? NULL : prom_source(cfg, p->panel->source);
		sr_feed_state_init(&p->st, key, demo != NULL ? demo_every :
				   pick_interval(p->src != NULL ? p->src->t.interval : 0,
						 cfg->panels_interval, 30), now);
		if (demo == NULL && sr_feed_cache_load(store, key, &body, &len, &at, &e) == 1) {
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

	f->n_checks = demo != NULL || !(kinds & SR_FEEDS_CHECKS) ? 0 : cfg->n_checks;
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
	free(f->http_err);
	for (size_t i = 0; i < f->n_am; i++) {
		sr_feed_state_done(&f->am[i].st);
		sr_am_reader_free(f->am[i].rd);
		free_spool(&f->am[i]);
		free(f->am[i].rerr);
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
	for (size_t i = 0; i < f->n_sil; i++) {
		sr_matchers_done(&f->sil[i].ms);
		free(f->sil[i].id);
	}
	free(f->sil);
	for (size_t i = 0; i < f->n_names; i++)
		free(f->names[i].v);
	free(f->names);
	free(f->am);
	free(f->panels);
	free(f->checks);
	free(f->fp_slot);
	free(f->raw_slot);
	free(f->demo);
	sr_am_alerts_done(&f->alerts);
	sr_feed_events_done(&f->events);
	free(f);
}

static int
start(struct sr_feeds *f, struct sr_feed_state *st, struct sr_feeds_reply *rp,
      const struct sr_http_request *rq, char **err)
{
	char *e = NULL;

	sr_feed_started(st, f->now);
	if (f->http == NULL)
		e = sr_xstrdup(f->http_err != NULL ? f->http_err : "no HTTP client");
	else if (sr_http_submit(f->http, rq, reply_cb, rp, &e) == 0)
		return 0;
	sr_feed_failed(st, f->now, e);
	sr_err(err, "%s", e);
	free(e);
	return -1;
}

int
sr_feeds_update(struct sr_feeds *f, sr_time now, char **err)
{
	int rc = 0;

	f->now = now;
	for (size_t i = 0; i < f->n_am; i++)
		if (f->am[i].reply.ready)
			take_am(f, &f->am[i]);
	for (size_t i = 0; i < f->n_panels; i++)
		if (f->panels[i].reply.ready)
			take_panel(f, &f->panels[i]);
	for (size_t i = 0; i < f->n_checks; i++)
		if (f->checks[i].reply.ready)
			take_check(f, &f->checks[i]);

	for (size_t i = 0; i < f->n_am; i++) {
		struct sr_feeds_am *a = &f->am[i];
		struct sr_http_request rq = { .method = "GET", .sink = am_sink, .sink_arg = a };
		char *url, *safe;

		if (!sr_feed_due(&a->st, now))
			continue;
		if (f->demo != NULL) {
			demo_am(f, a);
			continue;
		}
		url = sr_am_alerts_url(a->src->t.url, &f->am_filter, f->match);
		safe = sr_http_redact(url);
		rq.url = url;
		rq.t = &a->src->t;
		am_begin(a, safe, f->store != NULL && !f->no_save);
		if (start(f, &a->st, &a->reply, &rq, err) < 0) {
			(void)am_end(a);
			free_spool(a);
			if (f->cache_late && a->st.last_ok == 0)
				am_from_cache(f, a);
			f->changed |= SR_FEEDS_ALERTS;
			rc = -1;
		}
		free(safe);
		free(url);
	}
	for (size_t i = 0; i < f->n_panels; i++) {
		struct sr_feeds_panel *p = &f->panels[i];
		int64_t range = p->panel->range > 0 ? p->panel->range : 3600;
		struct sr_http_request rq = { .method = "GET" };
		char *url;

		if (!sr_feed_due(&p->st, now))
			continue;
		if (f->demo != NULL) {
			demo_panel(f, p);
			continue;
		}
		if (p->src == NULL) {
			char *e = sr_xasprintf("no [prometheus %s] source for this panel",
					       p->panel->source != NULL ? p->panel->source : "");

			sr_feed_started(&p->st, now);
			sr_feed_failed(&p->st, now, e);
			free(e);
			f->changed |= SR_FEEDS_PANELS;
			continue;
		}
		url = sr_prom_range_url(p->src->t.url, p->panel->query, now - range, now,
					sr_prom_step(range, 120));
		rq.url = url;
		rq.t = &p->src->t;
		if (start(f, &p->st, &p->reply, &rq, err) < 0) {
			f->changed |= SR_FEEDS_PANELS;
			rc = -1;
		}
		free(url);
	}
	for (size_t i = 0; i < f->n_checks; i++) {
		struct sr_feeds_check *c = &f->checks[i];
		struct sr_http_request rq = { .method = "GET", .url = c->check->t.url,
					      .t = &c->check->t };

		if (sr_feed_due(&c->st, now) && start(f, &c->st, &c->reply, &rq, err) < 0) {
			f->changed |= SR_FEEDS_CHECKS;
			rc = -1;
		}
	}
	return rc;
}

int
sr_feeds_once(struct sr_feeds *f, sr_time now, char **err)
{
	char *e = NULL;

	/* every source is due at now: one update starts them all (a failure to start is theirs) */
	(void)sr_feeds_update(f, now, &e);
	free(e);
	while (sr_feeds_busy(f))
		if (sr_feeds_wait(f, NULL, 0, 1000, err) < 0)
			return -1;
	/* takes the answers; what failed is due again only after its backoff, not at now */
	e = NULL;
	(void)sr_feeds_update(f, now, &e);
	free(e);
	return 0;
}

size_t
sr_feeds_poll_all_now(struct sr_feeds *f, sr_time now)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n_am; i++)
		if (!f->am[i].st.in_flight && f->am[i].st.next_due > now)
			f->am[i].st.next_due = now, n++;
	for (size_t i = 0; i < f->n_panels; i++)
		if (!f->panels[i].st.in_flight && f->panels[i].st.next_due > now)
			f->panels[i].st.next_due = now, n++;
	for (size_t i = 0; i < f->n_checks; i++)
		if (!f->checks[i].st.in_flight && f->checks[i].st.next_due > now)
			f->checks[i].st.next_due = now, n++;
	return n;
}

void
sr_feeds_poll_alerts_now(struct sr_feeds *f, sr_time now)
{
	for (size_t i = 0; i < f->n_am; i++)
		if (!f->am[i].st.in_flight)
			f->am[i].st.next_due = now;
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
	if (f->http == NULL) {
		if (timeout_ms > 0 && n_extra == 0)
			usleep((useconds_t)timeout_ms * 1000);
		return 0;
	}
	return sr_http_poll(f->http, extra, n_extra, timeout_ms, err);
}

int
sr_feeds_busy(const struct sr_feeds *f)
{
	return f->http != NULL && sr_http_running(f->http) > 0;
}

/* --- what a header shows --- */

const char *
sr_feeds_health_name(enum sr_feeds_health h)
{
	switch (h) {
	case SR_FEEDS_OFF: return "off";
	case SR_FEEDS_WAIT: return "wait";
	case SR_FEEDS_OK: return "ok";
	case SR_FEEDS_STALE: return "STALE";
	case SR_FEEDS_ERR: return "ERR";
	}
	return "?";
}

void
sr_feeds_status(const struct sr_feeds *f, unsigned kind, sr_time now, struct sr_feeds_status *out)
{
	size_t n = kind == SR_FEEDS_ALERTS ? f->n_am : kind == SR_FEEDS_PANELS ? f->n_panels :
		   f->n_checks;
	size_t tried = 0, good = 0, stale = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		const struct sr_feed_state *st = kind == SR_FEEDS_ALERTS ? &f->am[i].st :
			kind == SR_FEEDS_PANELS ? &f->panels[i].st : &f->checks[i].st;

		if (st->last_ok == 0 && st->failures == 0)
			continue;	/* not answered yet: neither good nor stale */
		tried++;
		if (st->failures > 0) {
			if (st->in_flight)
				out->retrying = 1;
			else if (out->next_try == 0 || st->next_due < out->next_try)
				out->next_try = st->next_due;
		}
		if (st->last_err != NULL && out->err == NULL)
			out->err = st->last_err;
		if (st->last_ok == 0)
			continue;
		good++;
		stale += sr_feed_stale(st, now);
		if (out->fetched_at == 0 || st->last_ok < out->fetched_at)
			out->fetched_at = st->last_ok;
	}
	if (n == 0)
		out->health = SR_FEEDS_OFF;
	else if (tried == 0)
		out->health = SR_FEEDS_WAIT;
	else if (good == 0)
		out->health = SR_FEEDS_ERR;
	else if (stale > 0 || good < tried)
		out->health = SR_FEEDS_STALE;
	else
		out->health = SR_FEEDS_OK;
}

/* --- demo silences and an alert's own series --- */

/* Copies src's matchers by their text (the regexes are compiled again). */
static int
matchers_copy(struct sr_matchers *dst, const struct sr_matchers *src, char **err)
{
	for (size_t i = 0; i < src->n; i++) {
		struct sr_buf b;
		int rc;

		sr_buf_init(&b);
		sr_buf_printf(&b, "%s%s\"", src->v[i].name, sr_match_op_str(src->v[i].op));
		for (const char *p = src->v[i].value; *p; p++) {
			if (*p == '"' || *p == '\\')
				sr_buf_addc(&b, '\\');
			sr_buf_addc(&b, *p);
		}
		sr_buf_addc(&b, '"');
		rc = sr_matcher_parse(dst, b.data, err);
		sr_buf_done(&b);
		if (rc != 0)
			return -1;
	}
	return 0;
}

long
sr_feeds_silence_demo(struct sr_feeds *f, const struct sr_matchers *ms, sr_time until,
		      sr_time now, char **err)
{
	struct sr_feeds_silence *s;
	long hits = 0;

	if (f->demo == NULL)
		return sr_err(err, "not in demo mode");
	f->sil = sr_xrealloc(f->sil, (f->n_sil + 1) * sizeof(*f->sil));
	s = &f->sil[f->n_sil];
	memset(s, 0, sizeof(*s));
	sr_matchers_init(&s->ms);
	if (matchers_copy(&s->ms, ms, err) != 0) {
		sr_matchers_done(&s->ms);
		return -1;
	}
	s->id = sr_xasprintf("demo-silence-%zu", f->n_sil + 1);
	s->until = until;
	f->n_sil++;
	for (size_t i = 0; i < f->alerts.n; i++)
		hits += sr_matchers_match(ms, f->alerts.v[i].labels, f->alerts.v[i].n_labels);
	/* the demo source reads its alerts again, now with the silence applied */
	sr_feeds_poll_alerts_now(f, now);
	if (sr_feeds_update(f, now, err) != 0)
		return -1;
	return hits;
}

int
sr_feeds_series(struct sr_feeds *f, const char *fingerprint, const char *expr, sr_time now,
		sr_http_cb cb, void *arg, char **err)
{
	struct sr_http_request rq = { .method = "GET" };
	char *url;
	int rc;

	if (f->demo != NULL) {
		struct sr_http_response r = { 0 };
		char *name = sr_xasprintf("expr-%s.json", fingerprint), *e = NULL;

		r.url = name;
		r.method = "GET";
		if (demo_read(f, name, now, &r.body, &r.len, &e) != 0) {
			r.err = sr_xstrdup("no recorded series in the demo");
			r.body = sr_xstrdup("");
		} else {
			r.status = 200;
		}
		cb(arg, &r);
		free(r.body);
		free(r.err);
		free(e);
		free(name);
		return 0;
	}
	if (expr == NULL)
		return sr_err(err, "no expression in the alert's generatorURL");
	if (f->cfg->n_prom == 0)
		return sr_err(err, "no [prometheus] source to query");
	if (f->http == NULL)
		return sr_err(err, "%s", f->http_err != NULL ? f->http_err : "no HTTP client");
	url = sr_prom_range_url(f->cfg->prom[0].t.url, expr, now - 3600, now, 60);
	rq.url = url;
	rq.t = &f->cfg->prom[0].t;
	rc = sr_http_submit(f->http, &rq, cb, arg, err);
	free(url);
	return rc;
}

/* --- one-shot requests of a command --- */

static void
job_done_cb(void *arg, struct sr_http_response *r)
{
	struct sr_feed_job *j = arg;

	j->done = 1;
	j->status = r->status;
	j->resp = r->body;
	j->len = r->len;
	r->body = NULL;
	j->err = r->err != NULL ? sr_xstrdup(r->err) : NULL;
	j->seconds = r->seconds;
	j->streamed = r->streamed;
	j->sink_failed = r->sink_failed;
}

int
sr_feed_jobs_run(struct sr_feed_job *jobs, size_t n, char **err)
{
	struct sr_http *h = sr_http_new(err);
	int rc;

	if (h == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct sr_http_request rq = {
			.method = jobs[i].method, .url = jobs[i].url, .body = jobs[i].body,
			.body_len = jobs[i].body ? strlen(jobs[i].body) : 0,
			.content_type = "application/json", .t = jobs[i].t,
			.sink = jobs[i].sink, .sink_arg = jobs[i].sink_arg,
		};

		if (sr_http_submit(h, &rq, job_done_cb, &jobs[i], &jobs[i].err) < 0)
			jobs[i].done = 1;
	}
	rc = sr_http_run(h, err);
	sr_http_free(h);
	return rc < 0 ? -1 : 0;
}

void
sr_feed_jobs_free(struct sr_feed_job *jobs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(jobs[i].url);
		free(jobs[i].body);
		free(jobs[i].resp);
		free(jobs[i].err);
	}
	free(jobs);
}

/* --- dead man's switch --- */

const char *
sr_watchdog_name(const struct sr_config *cfg)
{
	const char *w = cfg->watchdog;

	if (w == NULL || *w == '\0' || strcmp(w, "no") == 0 || strcmp(w, "off") == 0)
		return NULL;
	return strcmp(w, "yes") == 0 || strcmp(w, "on") == 0 ? "Watchdog" : w;
}

int
sr_watchdog_in(const struct sr_am_alerts *al, const char *name, sr_time now)
{
	for (size_t i = 0; i < al->n; i++) {
		const struct sr_am_alert *a = &al->v[i];
		const char *n = sr_label_get(a->labels, a->n_labels, "alertname");

		if (n != NULL && strcmp(n, name) == 0 && (a->ends_at == 0 || a->ends_at > now))
			return 1;
	}
	return 0;
}

void
sr_watchdog_judge(const struct sr_config *cfg, sr_time last_seen, sr_time since, sr_time now,
		  struct sr_watchdog *out)
{
	sr_time from = last_seen != 0 ? last_seen : since;

	memset(out, 0, sizeof(*out));
	out->name = sr_watchdog_name(cfg);
	if (out->name == NULL) {
		out->health = SR_WD_OFF;
		return;
	}
	out->absent_for = last_seen != 0 ? now - last_seen : -1;
	if (from != 0 && now - from <= cfg->watchdog_grace)
		out->health = SR_WD_ALIVE;
	else
		out->health = SR_WD_ABSENT;
}

char *
sr_watchdog_banner(const struct sr_watchdog *w)
{
	char d[32];

	if (w->health != SR_WD_ABSENT)
		return NULL;
	if (w->absent_for < 0)
		return sr_xasprintf("ALERTING PIPELINE: %s not seen", w->name);
	return sr_xasprintf("ALERTING PIPELINE: %s absent for %s", w->name,
			    sr_duration_format(w->absent_for, d, sizeof(d)));
}

void
sr_feeds_watchdog(const struct sr_feeds *f, sr_time now, struct sr_watchdog *out)
{
	sr_watchdog_judge(f->cfg, f->wd_seen, f->started, now, out);
}
