/* SPDX-License-Identifier: MIT */
/* alertmgr.c: Alertmanager API v2 answers into plain structs, silence bodies, instance merging. */
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alertmgr.h"
#include "http.h"
#include "jsonr.h"
#include "text.h"

const char *
sr_am_state_name(enum sr_am_state s)
{
	switch (s) {
	case SR_AM_ACTIVE: return "active";
	case SR_AM_SUPPRESSED: return "suppressed";
	case SR_AM_UNPROCESSED: return "unprocessed";
	}
	return "?";
}

const char *
sr_am_alert_state(const struct sr_am_alert *a)
{
	/* a->state decides: an HA alert active on one instance is active, whatever silenced it on
	 * another */
	if (!sr_am_alert_suppressed(a))
		return sr_am_state_name(a->state);
	return a->n_silenced_by > 0 ? "silenced" : "inhibited";
}

int
sr_am_alert_suppressed(const struct sr_am_alert *a)
{
	return a->state == SR_AM_SUPPRESSED;
}

/* --- URLs --- */

static char *
filter_url(const char *base, const char *path, const struct sr_am_filter *f,
	   const struct sr_matchers *m)
{
	struct sr_buf b;
	char *u = sr_http_join(base, path);
	struct sr_am_filter def = { 1, 1, 1, 1 };

	if (f == NULL)
		f = &def;
	sr_buf_init(&b);
	sr_buf_printf(&b, "%s?active=%s&silenced=%s&inhibited=%s&unprocessed=%s", u,
		      f->active ? "true" : "false", f->silenced ? "true" : "false",
		      f->inhibited ? "true" : "false", f->unprocessed ? "true" : "false");
	free(u);
	for (size_t i = 0; m != NULL && i < m->n; i++) {
		struct sr_buf one;

		sr_buf_init(&one);
		sr_matcher_format(&one, &m->v[i]);
		sr_buf_adds(&b, "&filter=");
		sr_http_urlencode(&b, one.data);
		sr_buf_done(&one);
	}
	return sr_buf_steal(&b);
}

char *
sr_am_alerts_url(const char *base, const struct sr_am_filter *f, const struct sr_matchers *m)
{
	return filter_url(base, "/api/v2/alerts", f, m);
}

char *
sr_am_groups_url(const char *base, const struct sr_am_filter *f, const struct sr_matchers *m)
{
	return filter_url(base, "/api/v2/alerts/groups", f, m);
}

char *
sr_am_silences_url(const char *base)
{
	return sr_http_join(base, "/api/v2/silences");
}

char *
sr_am_silence_url(const char *base, const char *id)
{
	struct sr_buf b;

	sr_http_join_value(&b, base, "/api/v2/silence/", id);
	return sr_buf_steal(&b);
}

/* --- freeing --- */

void
sr_am_alert_done(struct sr_am_alert *a)
{
	if (a->pack != NULL) {
		free(a->pack);
		memset(a, 0, sizeof(*a));
		return;
	}
	free(a->fingerprint);
	sr_labels_free(a->labels, a->n_labels);
	sr_labels_free(a->annotations, a->n_annotations);
	free(a->generator_url);
	sr_strv_free(a->silenced_by, a->n_silenced_by);
	sr_strv_free(a->inhibited_by, a->n_inhibited_by);
	sr_strv_free(a->receivers, a->n_receivers);
	sr_strv_free(a->instances, a->n_instances);
	memset(a, 0, sizeof(*a));
}

void
sr_am_alerts_done(struct sr_am_alerts *a)
{
	SR_LIST_DONE(a, sr_am_alert_done);
	memset(a, 0, sizeof(*a));
}

void
sr_am_groups_done(struct sr_am_groups *g)
{
	for (size_t i = 0; i < g->n; i++) {
		sr_labels_free(g->v[i].labels, g->v[i].n_labels);
		free(g->v[i].receiver);
		sr_am_alerts_done(&g->v[i].alerts);
	}
	free(g->v);
	memset(g, 0, sizeof(*g));
}

/* A silence's own members, read and freed through one table. */
#define SIL(key, kind, field) { key, kind, offsetof(struct sr_am_silence, field) }
static const struct sr_json_member silence_members[] = {
	SIL("startsAt", SR_JSON_TIME, starts_at), SIL("endsAt", SR_JSON_TIME, ends_at),
	SIL("updatedAt", SR_JSON_TIME, updated_at), SIL("createdBy", SR_JSON_STR, created_by),
	SIL("comment", SR_JSON_STR, comment), SIL("id", SR_JSON_STR, id),
};
#define N_SILENCE_MEMBERS (sizeof(silence_members) / sizeof(silence_members[0]))

void
sr_am_silence_done(struct sr_am_silence *s)
{
	sr_json_fields_free(s, silence_members, N_SILENCE_MEMBERS);
	sr_matchers_done(&s->matchers);
	free(s->state);
	memset(s, 0, sizeof(*s));
}

void
sr_am_silences_done(struct sr_am_silences *s)
{
	SR_LIST_DONE(s, sr_am_silence_done);
	memset(s, 0, sizeof(*s));
}

/* --- errors --- */

static int
unexpected(char **err, const char *url, const char *what)
{
	return sr_err(err, "unexpected response from %s: %s", url, what);
}

/*
 * A failed call: Alertmanager answers errors as a JSON string, sometimes as an object with
 * "message" (API v2 validation), or as plain text.
 */
static int
fail_status(const char *body, size_t len, long status, const char *url, char **err)
{
	cJSON *root = sr_json_parse_whole(body, len);
	const cJSON *msg = NULL;
	char *snip, *c;
	int rc;

	if (cJSON_IsString(root))
		msg = root;
	else if (cJSON_IsObject(root))
		msg = cJSON_GetObjectItemCaseSensitive(root, "message");
	if (cJSON_IsString(msg)) {
		snip = sr_xstrdup(msg->valuestring);
	} else {
		snip = sr_xstrndup(body, len > 300 ? 300 : len);
		snip[strcspn(snip, "\n")] = '\0';
	}
	c = sr_text_clean(snip);
	rc = sr_err(err, "%s: HTTP %ld%s%s", url, status, *c ? ": " : "", c);
	free(c);
	free(snip);
	cJSON_Delete(root);
	return rc;
}

static int
bad_status(long status)
{
	return status >= 300 || (status != 0 && status < 200);
}

int
sr_am_check_status(const char *body, size_t len, long status, const char *url, char **err)
{
	if (bad_status(status))
		return fail_status(body, len, status, url, err);
	return 0;
}

/* --- streaming alert reader --- */

struct rd {
	struct sr_jr jr;
	struct sr_buf s;
	char what[160];
};

static int rd_fail(struct rd *r, const char *fmt, ...) SR_PRINTF(2, 3);

/* Records what was expected at the first failure (inner failures are more precise). */
static int
rd_fail(struct rd *r, const char *fmt, ...)
{
	va_list ap;

	if (r->what[0] == '\0') {
		va_start(ap, fmt);
		vsnprintf(r->what, sizeof(r->what), fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int
rd_strv(struct rd *r, char ***out, size_t *n)
{
	size_t cap = 0;

	if (sr_jr_null(&r->jr))
		return 0;
	if (!sr_jr_lit(&r->jr, '['))
		return -1;
	if (sr_jr_lit(&r->jr, ']'))
		return 0;
	do {
		char *v = sr_jr_strdup(&r->jr);

		if (v == NULL)
			return -1;
		*out = sr_xgrow(*out, &cap, *n + 1, sizeof(**out));
		(*out)[(*n)++] = v;
	} while (sr_jr_lit(&r->jr, ','));
	return sr_jr_lit(&r->jr, ']') ? 0 : -1;
}

static int
rd_labels(struct rd *r, struct sr_label **out, size_t *n)
{
	size_t cap = 0;

	if (*out != NULL || !sr_jr_lit(&r->jr, '{'))
		return -1;
	if (sr_jr_lit(&r->jr, '}'))
		return 0;
	do {
		struct sr_label l;

		l.name = sr_jr_strdup(&r->jr);
		if (l.name == NULL || !sr_jr_lit(&r->jr, ':')) {
			free(l.name);
			return -1;
		}
		l.value = sr_jr_strdup(&r->jr);
		if (l.value == NULL) {
			free(l.name);
			return -1;
		}
		*out = sr_xgrow(*out, &cap, *n + 1, sizeof(**out));
		(*out)[(*n)++] = l;
	} while (sr_jr_lit(&r->jr, ','));
	return sr_jr_lit(&r->jr, '}') ? 0 : -1;
}

static int
rd_time(struct rd *r, sr_time *t)
{
	if (sr_jr_string(&r->jr, &r->s) < 0)
		return -1;
	if (r->s.len == 0 || sr_time_parse(r->s.data, t, NULL) < 0)
		*t = 0;
	return 0;
}

/* receivers: [{"name": "..."}] */
static int
rd_receivers(struct rd *r, struct sr_am_alert *a)
{
	size_t cap = 0;

	if (!sr_jr_lit(&r->jr, '['))
		return -1;
	if (sr_jr_lit(&r->jr, ']'))
		return 0;
	do {
		if (!sr_jr_lit(&r->jr, '{'))
			return -1;
		if (sr_jr_lit(&r->jr, '}'))
			continue;
		do {
			const char *k = sr_jr_key(&r->jr);

			if (k == NULL)
				return -1;
			if (strcmp(k, "name") == 0) {
				char *v = sr_jr_strdup(&r->jr);

				if (v == NULL)
					return -1;
				a->receivers = sr_xgrow(a->receivers, &cap, a->n_receivers + 1,
							sizeof(*a->receivers));
				a->receivers[a->n_receivers++] = v;
			} else if (sr_jr_skip(&r->jr, &r->s) < 0) {
				return -1;
			}
		} while (sr_jr_lit(&r->jr, ','));
		if (!sr_jr_lit(&r->jr, '}'))
			return -1;
	} while (sr_jr_lit(&r->jr, ','));
	return sr_jr_lit(&r->jr, ']') ? 0 : -1;
}

static int
rd_status(struct rd *r, struct sr_am_alert *a, size_t idx)
{
	if (!sr_jr_lit(&r->jr, '{'))
		return rd_fail(r, "alert %zu: %s is not an object", idx, "status");
	if (sr_jr_lit(&r->jr, '}'))
		return 0;
	do {
		const char *k = sr_jr_key(&r->jr);

		if (k == NULL)
			return -1;
		if (strcmp(k, "state") == 0) {
			if (sr_jr_string(&r->jr, &r->s) < 0 || r->s.len == 0)
				return rd_fail(r, "alert %zu: %s is not a string", idx,
					       "status.state");
			if (strcmp(r->s.data, "active") == 0)
				a->state = SR_AM_ACTIVE;
			else if (strcmp(r->s.data, "suppressed") == 0)
				a->state = SR_AM_SUPPRESSED;
			else if (strcmp(r->s.data, "unprocessed") == 0)
				a->state = SR_AM_UNPROCESSED;
			else
				return rd_fail(r, "alert %zu: unknown %s", idx, "status.state");
		} else if (strcmp(k, "silencedBy") == 0) {
			if (a->silenced_by != NULL ||
			    rd_strv(r, &a->silenced_by, &a->n_silenced_by) < 0)
				return rd_fail(r, "alert %zu: %s is not an array of strings", idx,
					       "status.silencedBy");
		} else if (strcmp(k, "inhibitedBy") == 0) {
			if (a->inhibited_by != NULL ||
			    rd_strv(r, &a->inhibited_by, &a->n_inhibited_by) < 0)
				return rd_fail(r, "alert %zu: %s is not an array of strings", idx,
					       "status.inhibitedBy");
		} else if (sr_jr_skip(&r->jr, &r->s) < 0) {
			return -1;
		}
	} while (sr_jr_lit(&r->jr, ','));
	return sr_jr_lit(&r->jr, '}') ? 0 : -1;
}

static int
rd_alert(struct rd *r, struct sr_am_alert *a, size_t idx)
{
	int have_labels = 0;

	memset(a, 0, sizeof(*a));
	if (!sr_jr_lit(&r->jr, '{'))
		return rd_fail(r, "alert %zu is not an object", idx);
	if (!sr_jr_lit(&r->jr, '}')) {
		do {
			const char *k = sr_jr_key(&r->jr);

			if (k == NULL)
				return -1;
			if (strcmp(k, "labels") == 0) {
				have_labels = 1;
				if (rd_labels(r, &a->labels, &a->n_labels) < 0)
					return rd_fail(r, "alert %zu: %s is not an object of strings",
						       idx, "labels");
			} else if (strcmp(k, "annotations") == 0) {
				if (rd_labels(r, &a->annotations, &a->n_annotations) < 0)
					return rd_fail(r, "alert %zu: %s is not an object of strings",
						       idx, "annotations");
			} else if (strcmp(k, "fingerprint") == 0) {
				if (a->fingerprint != NULL ||
				    (a->fingerprint = sr_jr_strdup(&r->jr)) == NULL)
					return rd_fail(r, "alert %zu: %s is not a string", idx,
						       "fingerprint");
			} else if (strcmp(k, "generatorURL") == 0) {
				if (a->generator_url != NULL ||
				    (a->generator_url = sr_jr_strdup(&r->jr)) == NULL)
					return rd_fail(r, "alert %zu: %s is not a string", idx,
						       "generatorURL");
			} else if (strcmp(k, "startsAt") == 0) {
				if (rd_time(r, &a->starts_at) < 0)
					return rd_fail(r, "alert %zu: %s is not a string", idx,
						       "startsAt");
			} else if (strcmp(k, "endsAt") == 0) {
				if (rd_time(r, &a->ends_at) < 0)
					return rd_fail(r, "alert %zu: %s is not a string", idx,
						       "endsAt");
			} else if (strcmp(k, "updatedAt") == 0) {
				if (rd_time(r, &a->updated_at) < 0)
					return rd_fail(r, "alert %zu: %s is not a string", idx,
						       "updatedAt");
			} else if (strcmp(k, "status") == 0) {
				if (rd_status(r, a, idx) < 0)
					return rd_fail(r, "alert %zu: bad %s", idx, "status");
			} else if (strcmp(k, "receivers") == 0) {
				if (a->receivers != NULL || rd_receivers(r, a) < 0)
					return rd_fail(r, "alert %zu: %s is not a list of receivers",
						       idx, "receivers");
			} else if (sr_jr_skip(&r->jr, &r->s) < 0) {
				return -1;
			}
		} while (sr_jr_lit(&r->jr, ','));
		if (!sr_jr_lit(&r->jr, '}'))
			return -1;
	}
	if (!have_labels || a->fingerprint == NULL)
		return rd_fail(r, "alert %zu has no %s", idx, have_labels ? "fingerprint" : "labels");
	return 0;
}

/* Calls fn for each alert read; fn may take the alert (zero it), the rest is freed. */
static int
rd_alert_each(struct rd *r, sr_am_alert_fn fn, void *arg)
{
	struct sr_am_alert a;
	size_t idx = 0;

	if (!sr_jr_lit(&r->jr, '['))
		return rd_fail(r, "expected an array of alerts");
	if (sr_jr_lit(&r->jr, ']'))
		return 0;
	do {
		if (rd_alert(r, &a, idx++) < 0) {
			sr_am_alert_done(&a);
			return -1;
		}
		fn(arg, &a);
		sr_am_alert_done(&a);
	} while (sr_jr_lit(&r->jr, ','));
	return sr_jr_lit(&r->jr, ']') ? 0 : -1;
}

static void
append_alert(void *arg, struct sr_am_alert *a)
{
	struct sr_am_alerts *out = arg;

	out->v = sr_xgrow(out->v, &out->cap, out->n + 1, sizeof(*out->v));
	out->v[out->n++] = *a;
	memset(a, 0, sizeof(*a));
}

static int
rd_alert_list(struct rd *r, struct sr_am_alerts *out)
{
	return rd_alert_each(r, append_alert, out);
}

static void
rd_init(struct rd *r, const char *body, size_t len)
{
	sr_jr_init(&r->jr, body, len);
	sr_buf_init(&r->s);
	r->what[0] = '\0';
}

/* Finishes a streaming read: the message for a failure, and frees the reader. */
static int
rd_finish(struct rd *r, int rc, const char *body, size_t len, const char *url, char **err)
{
	if (rc == 0 && !sr_jr_at_end(&r->jr)) {
		rc = -1;
		r->what[0] = '\0';
	}
	if (rc < 0) {
		cJSON *root = sr_json_parse_whole(body, len);

		if (root == NULL)
			unexpected(err, url, len == 0 ? "empty body, expected JSON" :
				   "invalid JSON");
		else
			unexpected(err, url, r->what[0] ? r->what : "unexpected JSON structure");
		cJSON_Delete(root);
	}
	sr_jr_done(&r->jr);
	sr_buf_done(&r->s);
	return rc;
}

/* --- the incremental alert reader (a body read as it arrives) --- */

struct sr_am_reader {
	struct rd rd;
	struct sr_jsplit split;
	sr_am_alert_fn fn;
	sr_am_skip_fn skip;
	void *arg;
	char *url;
	char *why;		/* what was wrong with an element */
};

struct sr_am_reader *
sr_am_reader_new(const char *url, size_t max, sr_am_alert_fn fn, void *arg)
{
	struct sr_am_reader *x = sr_xcalloc(1, sizeof(*x));

	rd_init(&x->rd, "", 0);
	sr_jsplit_init(&x->split, max);
	x->fn = fn;
	x->arg = arg;
	x->url = sr_xstrdup(url);
	return x;
}

void
sr_am_reader_free(struct sr_am_reader *x)
{
	if (x == NULL)
		return;
	sr_jr_done(&x->rd.jr);
	sr_buf_done(&x->rd.s);
	sr_jsplit_done(&x->split);
	free(x->url);
	free(x->why);
	free(x);
}

/* One element of the array: read it whole as an alert and hand it on. */
static int
reader_elem(void *arg, const char *p, size_t len, size_t idx)
{
	struct sr_am_reader *x = arg;
	struct sr_am_alert a;

	if (x->skip != NULL && x->skip(x->arg, p, len) == 1)
		return 0;
	x->rd.what[0] = '\0';
	sr_jr_reset(&x->rd.jr, p, len);
	if (rd_alert(&x->rd, &a, idx) < 0 || !sr_jr_at_end(&x->rd.jr)) {
		cJSON *root = sr_json_parse_whole(p, len);

		if (root == NULL)
			x->why = sr_xasprintf("invalid JSON in alert %zu", idx);
		else
			x->why = sr_xstrdup(x->rd.what[0] ? x->rd.what :
					    "unexpected JSON structure");
		cJSON_Delete(root);
		sr_am_alert_done(&a);
		return -1;
	}
	x->fn(x->arg, &a);
	sr_am_alert_done(&a);
	return 0;
}

/* The reader's failure as "unexpected response from URL: ...". */
static int
reader_fail(struct sr_am_reader *x, char *split_err, char **err)
{
	int rc;

	if (x->why != NULL)
		rc = unexpected(err, x->url, x->why);
	else if (split_err != NULL && strcmp(split_err, "expected an array") == 0)
		rc = unexpected(err, x->url, "expected an array of alerts");
	else
		rc = unexpected(err, x->url, split_err != NULL ? split_err : "invalid JSON");
	free(split_err);
	return rc;
}

int
sr_am_reader_feed(struct sr_am_reader *x, const char *p, size_t n, char **err)
{
	char *e = NULL;

	if (sr_jsplit_feed(&x->split, p, n, reader_elem, x, &e) < 0)
		return reader_fail(x, e, err);
	return 0;
}

int
sr_am_reader_end(struct sr_am_reader *x, char **err)
{
	char *e = NULL;

	if (x->why != NULL || sr_jsplit_end(&x->split, &e) < 0)
		return reader_fail(x, e, err);
	return 0;
}

void
sr_am_reader_skip(struct sr_am_reader *x, sr_am_skip_fn skip)
{
	x->skip = skip;
}

size_t
sr_am_reader_count(const struct sr_am_reader *x)
{
	return x->split.count;
}

int
sr_am_parse_alerts_each(const char *body, size_t len, long status, const char *url,
			sr_am_alert_fn fn, void *arg, char **err)
{
	struct sr_am_reader *x;
	int rc;

	if (bad_status(status))
		return fail_status(body, len, status, url, err);
	x = sr_am_reader_new(url, len, fn, arg);
	rc = sr_am_reader_feed(x, body, len, err);
	if (rc == 0)
		rc = sr_am_reader_end(x, err);
	sr_am_reader_free(x);
	return rc;
}

int
sr_am_parse_alerts(const char *body, size_t len, long status, const char *url,
		   struct sr_am_alerts *out, char **err)
{
	memset(out, 0, sizeof(*out));
	return sr_am_parse_alerts_each(body, len, status, url, append_alert, out, err);
}

int
sr_am_parse_groups(const char *body, size_t len, long status, const char *url,
		   struct sr_am_groups *out, char **err)
{
	struct rd r;
	size_t cap = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (bad_status(status))
		return fail_status(body, len, status, url, err);
	rd_init(&r, body, len);
	if (!sr_jr_lit(&r.jr, '[')) {
		rd_fail(&r, "expected an array of groups");
		goto out;
	}
	if (sr_jr_lit(&r.jr, ']')) {
		rc = 0;
		goto out;
	}
	do {
		struct sr_am_group *g;

		out->v = sr_xgrow(out->v, &cap, out->n + 1, sizeof(*out->v));
		g = &out->v[out->n++];
		memset(g, 0, sizeof(*g));
		if (!sr_jr_lit(&r.jr, '{'))
			goto out;
		if (sr_jr_lit(&r.jr, '}'))
			continue;
		do {
			const char *k = sr_jr_key(&r.jr);

			if (k == NULL)
				goto out;
			if (strcmp(k, "labels") == 0) {
				if (rd_labels(&r, &g->labels, &g->n_labels) < 0) {
					rd_fail(&r, "group %zu: %s is not an object of strings",
						out->n - 1, "labels");
					goto out;
				}
			} else if (strcmp(k, "alerts") == 0) {
				if (g->alerts.n > 0 || rd_alert_list(&r, &g->alerts) < 0)
					goto out;
			} else if (strcmp(k, "receiver") == 0) {
				if (!sr_jr_lit(&r.jr, '{'))
					goto out;
				if (!sr_jr_lit(&r.jr, '}')) {
					do {
						const char *rk = sr_jr_key(&r.jr);

						if (rk == NULL)
							goto out;
						if (strcmp(rk, "name") == 0 && g->receiver == NULL) {
							g->receiver = sr_jr_strdup(&r.jr);
							if (g->receiver == NULL)
								goto out;
						} else if (sr_jr_skip(&r.jr, &r.s) < 0) {
							goto out;
						}
					} while (sr_jr_lit(&r.jr, ','));
					if (!sr_jr_lit(&r.jr, '}'))
						goto out;
				}
			} else if (sr_jr_skip(&r.jr, &r.s) < 0) {
				goto out;
			}
		} while (sr_jr_lit(&r.jr, ','));
		if (!sr_jr_lit(&r.jr, '}'))
			goto out;
	} while (sr_jr_lit(&r.jr, ','));
	rc = sr_jr_lit(&r.jr, ']') ? 0 : -1;
out:
	return rd_finish(&r, rc, body, len, url, err);
}

/* --- silences (small answers: cJSON) --- */

static int
take_silence(const cJSON *it, struct sr_am_silence *s)
{
	const cJSON *ms = cJSON_GetObjectItemCaseSensitive(it, "matchers"), *m;
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(it, "status");

	sr_json_fields(it, s, silence_members, N_SILENCE_MEMBERS);
	if (s->id == NULL || !cJSON_IsArray(ms))
		return -1;
	cJSON_ArrayForEach(m, ms) {
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(m, "name");
		const cJSON *val = cJSON_GetObjectItemCaseSensitive(m, "value");
		const cJSON *re = cJSON_GetObjectItemCaseSensitive(m, "isRegex");
		const cJSON *eq = cJSON_GetObjectItemCaseSensitive(m, "isEqual");
		struct sr_matcher *x;
		int is_eq = eq == NULL || cJSON_IsTrue(eq);	/* isEqual is newer; absent = true */

		if (!cJSON_IsString(name) || !cJSON_IsString(val) || !cJSON_IsBool(re))
			return -1;
		s->matchers.v = sr_xgrow(s->matchers.v, &s->matchers.cap, s->matchers.n + 1,
					 sizeof(*s->matchers.v));
		x = &s->matchers.v[s->matchers.n++];
		memset(x, 0, sizeof(*x));
		x->name = sr_xstrdup(name->valuestring);
		x->value = sr_xstrdup(val->valuestring);
		x->op = cJSON_IsTrue(re) ? (is_eq ? SR_MATCH_RE : SR_MATCH_NRE) :
			(is_eq ? SR_MATCH_EQ : SR_MATCH_NE);
	}
	s->state = sr_json_opt_str(st, "state");
	return 0;
}

int
sr_am_parse_silences(const char *body, size_t len, long status, const char *url,
		     struct sr_am_silences *out, char **err)
{
	cJSON *root;
	const cJSON *it;
	size_t n = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (bad_status(status))
		return fail_status(body, len, status, url, err);
	root = sr_json_parse_whole(body, len);
	if (!cJSON_IsArray(root)) {
		cJSON_Delete(root);
		return unexpected(err, url, root == NULL ? "invalid JSON" :
				  "expected an array of silences");
	}
	cJSON_ArrayForEach(it, root)
		n++;
	out->v = sr_xcalloc(n ? n : 1, sizeof(*out->v));
	cJSON_ArrayForEach(it, root) {
		if (take_silence(it, &out->v[out->n++]) < 0) {
			char what[80];

			snprintf(what, sizeof(what), "silence %zu has no id or matchers",
				 out->n - 1);
			rc = unexpected(err, url, what);
			break;
		}
	}
	cJSON_Delete(root);
	return rc;
}

int
sr_am_parse_silence(const char *body, size_t len, long status, const char *url,
		    struct sr_am_silence *out, char **err)
{
	cJSON *root;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (bad_status(status))
		return fail_status(body, len, status, url, err);
	root = sr_json_parse_whole(body, len);
	if (!cJSON_IsObject(root))
		rc = unexpected(err, url, root == NULL ? "invalid JSON" : "expected a silence");
	else if (take_silence(root, out) < 0)
		rc = unexpected(err, url, "the silence has no id or matchers");
	cJSON_Delete(root);
	if (rc != 0)
		sr_am_silence_done(out);
	return rc;
}

const char *
sr_am_silence_state(const struct sr_am_silence *s, sr_time now)
{
	if (s->state != NULL && (strcmp(s->state, "active") == 0 ||
				 strcmp(s->state, "pending") == 0 ||
				 strcmp(s->state, "expired") == 0))
		return s->state;
	/* an Alertmanager that did not say: from the times */
	if (s->ends_at != 0 && s->ends_at <= now)
		return "expired";
	return s->starts_at > now ? "pending" : "active";
}

int
sr_am_parse_silence_id(const char *body, size_t len, long status, const char *url, char **id,
		       char **err)
{
	cJSON *root;

	*id = NULL;
	if (bad_status(status))
		return fail_status(body, len, status, url, err);
	root = sr_json_parse_whole(body, len);
	*id = sr_json_opt_str(root, "silenceID");
	cJSON_Delete(root);
	if (*id == NULL)
		return unexpected(err, url, "no \"silenceID\" in the answer");
	return 0;
}

static char *
time_str(sr_time t)
{
	char buf[32];

	return sr_xstrdup(sr_time_format(t, buf, sizeof(buf)));
}

char *
sr_am_silence_json(const struct sr_matchers *m, sr_time start, sr_time end,
		   const char *created_by, const char *comment, const char *id)
{
	cJSON *root = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(root, "matchers");
	char *s, *t;

	if (id != NULL)
		cJSON_AddStringToObject(root, "id", id);
	for (size_t i = 0; i < m->n; i++) {
		cJSON *o = cJSON_CreateObject();
		enum sr_match_op op = m->v[i].op;

		cJSON_AddStringToObject(o, "name", m->v[i].name);
		cJSON_AddStringToObject(o, "value", m->v[i].value);
		cJSON_AddBoolToObject(o, "isRegex", op == SR_MATCH_RE || op == SR_MATCH_NRE);
		cJSON_AddBoolToObject(o, "isEqual", op == SR_MATCH_EQ || op == SR_MATCH_RE);
		cJSON_AddItemToArray(arr, o);
	}
	t = time_str(start);
	cJSON_AddStringToObject(root, "startsAt", t);
	free(t);
	t = time_str(end);
	cJSON_AddStringToObject(root, "endsAt", t);
	free(t);
	cJSON_AddStringToObject(root, "createdBy", created_by != NULL ? created_by : "sitrep");
	cJSON_AddStringToObject(root, "comment", comment != NULL ? comment : "");
	t = cJSON_PrintUnformatted(root);
	s = sr_xstrdup(t);
	cJSON_free(t);
	cJSON_Delete(root);
	return s;
}

int
sr_am_silence_extend_json(const struct sr_am_silence *s, sr_time now, int64_t by, sr_time until,
			  char **body, char **err)
{
	sr_time end = until != 0 ? until : (s->ends_at > now ? s->ends_at : now) + by;

	*body = NULL;
	if (strcmp(sr_am_silence_state(s, now), "expired") == 0)
		return sr_err(err, "silence %s has expired: re-create it instead", s->id);
	if (end <= s->ends_at)
		return sr_err(err, "the new end is not later than the silence's end");
	/* the same id: the Alertmanager updates it in place when it can, else gives a new one */
	*body = sr_am_silence_json(&s->matchers, s->starts_at, end, s->created_by, s->comment,
				   s->id);
	return 0;
}

int
sr_am_silence_recreate_json(const struct sr_am_silence *s, sr_time now, int64_t secs,
			    const char *user, const char *comment, char **body, char **err)
{
	*body = NULL;
	if (strcmp(sr_am_silence_state(s, now), "expired") != 0)
		return sr_err(err, "silence %s is %s: extend it instead", s->id,
			      sr_am_silence_state(s, now));
	*body = sr_am_silence_json(&s->matchers, now, now + secs, user,
				   comment != NULL ? comment : s->comment, NULL);
	return 0;
}

void
sr_am_matchers_from_labels(struct sr_matchers *out, const struct sr_label *labels, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct sr_matcher *x;

		out->v = sr_xgrow(out->v, &out->cap, out->n + 1, sizeof(*out->v));
		x = &out->v[out->n++];
		memset(x, 0, sizeof(*x));
		x->name = sr_xstrdup(labels[i].name);
		x->value = sr_xstrdup(labels[i].value);
		x->op = SR_MATCH_EQ;
	}
}

/* --- packing --- */

struct packer {
	char *at;		/* next free byte (NULL while sizing) */
	size_t size;
};

static char *
pack_str(struct packer *p, const char *s)
{
	size_t n;
	char *d;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	p->size += n;
	if (p->at == NULL)
		return NULL;
	d = memcpy(p->at, s, n);
	p->at += n;
	return d;
}

static void *
pack_arr(struct packer *p, size_t n, size_t elem)
{
	void *d;

	if (n == 0)
		return NULL;
	p->size += n * elem;
	if (p->at == NULL)
		return NULL;
	d = p->at;
	p->at += n * elem;
	return d;
}

/* One pass of packing a into p: sizes it while p->at is NULL, copies it otherwise. */
static void
pack_alert(struct packer *p, const struct sr_am_alert *a, struct sr_am_alert *o)
{
	/* arrays first (pointer-aligned as the block is), strings after */
	o->labels = pack_arr(p, a->n_labels, sizeof(*o->labels));
	o->annotations = pack_arr(p, a->n_annotations, sizeof(*o->annotations));
	o->silenced_by = pack_arr(p, a->n_silenced_by, sizeof(*o->silenced_by));
	o->inhibited_by = pack_arr(p, a->n_inhibited_by, sizeof(*o->inhibited_by));
	o->receivers = pack_arr(p, a->n_receivers, sizeof(*o->receivers));
	o->fingerprint = pack_str(p, a->fingerprint);
	o->generator_url = pack_str(p, a->generator_url);
	for (size_t i = 0; i < a->n_labels; i++) {
		char *n = pack_str(p, a->labels[i].name), *v = pack_str(p, a->labels[i].value);

		if (o->labels != NULL)
			o->labels[i] = (struct sr_label){ n, v };
	}
	for (size_t i = 0; i < a->n_annotations; i++) {
		char *n = pack_str(p, a->annotations[i].name);
		char *v = pack_str(p, a->annotations[i].value);

		if (o->annotations != NULL)
			o->annotations[i] = (struct sr_label){ n, v };
	}
	for (size_t i = 0; i < a->n_silenced_by; i++) {
		char *v = pack_str(p, a->silenced_by[i]);

		if (o->silenced_by != NULL)
			o->silenced_by[i] = v;
	}
	for (size_t i = 0; i < a->n_inhibited_by; i++) {
		char *v = pack_str(p, a->inhibited_by[i]);

		if (o->inhibited_by != NULL)
			o->inhibited_by[i] = v;
	}
	for (size_t i = 0; i < a->n_receivers; i++) {
		char *v = pack_str(p, a->receivers[i]);

		if (o->receivers != NULL)
			o->receivers[i] = v;
	}
}

void
sr_am_alert_pack(struct sr_am_alert *a)
{
	struct packer p = { NULL, 0 };
	struct sr_am_alert o = *a;
	char **inst = a->instances;
	size_t n_inst = a->n_instances;

	if (a->pack != NULL)
		return;
	pack_alert(&p, a, &o);
	o.pack = sr_xmalloc(p.size ? p.size : 1);
	p.at = o.pack;
	p.size = 0;
	pack_alert(&p, a, &o);
	a->instances = NULL;	/* not the block's: the caller's, kept as they were */
	a->n_instances = 0;
	sr_am_alert_done(a);
	*a = o;
	a->instances = inst;
	a->n_instances = n_inst;
}

/* --- merging --- */

static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void
strv_add_unique(char ***v, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], s) == 0)
			return;
	*v = sr_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = sr_xstrdup(s);
}

void
sr_am_alerts_merge(struct sr_am_alerts *dst, struct sr_am_alerts *src, const char *instance)
{
	size_t total = dst->n + src->n, size = 16, *slot;

	while (size < total * 2)
		size *= 2;
	/* Open addressing over indexes into dst (+1; 0 means empty). */
	slot = sr_xcalloc(size, sizeof(*slot));
	for (size_t i = 0; i < dst->n; i++) {
		size_t h = (size_t)fnv1a(dst->v[i].fingerprint) & (size - 1);

		while (slot[h] != 0)
			h = (h + 1) & (size - 1);
		slot[h] = i + 1;
	}
	dst->v = sr_xgrow(dst->v, &dst->cap, total, sizeof(*dst->v));
	for (size_t i = 0; i < src->n; i++) {
		struct sr_am_alert *a = &src->v[i];
		size_t h = (size_t)fnv1a(a->fingerprint) & (size - 1);
		struct sr_am_alert *found = NULL;

		while (slot[h] != 0) {
			struct sr_am_alert *d = &dst->v[slot[h] - 1];

			if (strcmp(d->fingerprint, a->fingerprint) == 0) {
				found = d;
				break;
			}
			h = (h + 1) & (size - 1);
		}
		if (found != NULL) {
			strv_add_unique(&found->instances, &found->n_instances, instance);
			for (size_t k = 0; k < a->n_silenced_by; k++)
				strv_add_unique(&found->silenced_by, &found->n_silenced_by,
						a->silenced_by[k]);
			for (size_t k = 0; k < a->n_inhibited_by; k++)
				strv_add_unique(&found->inhibited_by, &found->n_inhibited_by,
						a->inhibited_by[k]);
			if (a->state == SR_AM_ACTIVE)
				found->state = SR_AM_ACTIVE;
			sr_am_alert_done(a);
			continue;
		}
		strv_add_unique(&a->instances, &a->n_instances, instance);
		slot[h] = dst->n + 1;
		dst->v[dst->n++] = *a;
		memset(a, 0, sizeof(*a));
	}
	free(slot);
	free(src->v);
	memset(src, 0, sizeof(*src));
}

static int
sev_rank(const struct sr_am_alert *a)
{
	static const char *order[] = { "critical", "error", "warning", "info" };
	const char *s = sr_label_get(a->labels, a->n_labels, "severity");

	for (size_t i = 0; s != NULL && i < SR_ARRAY_LEN(order); i++)
		if (sr_strcaseeq(s, order[i]))
			return (int)i;
	return (int)SR_ARRAY_LEN(order);
}

static int
cmp_alert(const void *x, const void *y)
{
	const struct sr_am_alert *a = x, *b = y;
	const char *na, *nb;
	int c = sev_rank(a) - sev_rank(b);

	if (c != 0)
		return c;
	if (a->starts_at != b->starts_at)
		return a->starts_at < b->starts_at ? 1 : -1;	/* newest first */
	na = sr_label_get(a->labels, a->n_labels, "alertname");
	nb = sr_label_get(b->labels, b->n_labels, "alertname");
	c = strcmp(na != NULL ? na : "", nb != NULL ? nb : "");
	return c != 0 ? c : strcmp(a->fingerprint, b->fingerprint);
}

static int
cmp_alert_p(const void *x, const void *y)
{
	return cmp_alert(*(const struct sr_am_alert *const *)x, *(const struct sr_am_alert *const *)y);
}

/*
 * Sorts pointers (qsort's merge buffer is then 8 bytes an alert, not a whole copy of the
 * list) and moves each alert once into place, one cycle of the permutation at a time.
 */
void
sr_am_alerts_sort(struct sr_am_alerts *a)
{
	const struct sr_am_alert **p;
	size_t *from;

	if (a->n < 2)
		return;
	p = sr_xcalloc(a->n, sizeof(*p));
	for (size_t i = 0; i < a->n; i++)
		p[i] = &a->v[i];
	qsort(p, a->n, sizeof(*p), cmp_alert_p);
	from = sr_xcalloc(a->n, sizeof(*from));
	for (size_t i = 0; i < a->n; i++)
		from[i] = (size_t)(p[i] - a->v);	/* the alert that belongs at i */
	free(p);
	for (size_t i = 0; i < a->n; i++) {
		struct sr_am_alert tmp;
		size_t j = i;

		if (from[i] == i)
			continue;
		tmp = a->v[i];
		while (from[j] != i) {
			size_t k = from[j];

			a->v[j] = a->v[k];
			from[j] = j;
			j = k;
		}
		a->v[j] = tmp;
		from[j] = j;
	}
	free(from);
}
