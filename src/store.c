/* SPDX-License-Identifier: MIT */
/* store.c: picks the store backend for a path or URL and hands out the ops table behind it. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "store.h"
#include "util.h"

/* --- which backend --- */

int
sr_store_is_pg(const char *where)
{
	const char *p = where;

	if (strncasecmp(where, "postgresql://", 13) == 0 ||
	    strncasecmp(where, "postgres://", 11) == 0)
		return 1;
	/* a libpq key=value string: "host=db dbname=sitrep ..." (a keyword, then '=') */
	while (*p == ' ')
		p++;
	if (!islower((unsigned char)*p))
		return 0;
	while (islower((unsigned char)*p) || *p == '_')
		p++;
	while (*p == ' ')
		p++;
	return *p == '=';
}

/* --- creating the directory of a SQLite file --- */

/* mkdir -p for the directory part of path, new directories private to the user (0700). */
int
sr_store_parent_dirs(const char *path, char **err)
{
	char *dir = sr_xstrdup(path);
	char *slash = strrchr(dir, '/');
	struct stat sb;

	if (slash == NULL || slash == dir) {
		free(dir);
		return 0;
	}
	*slash = '\0';
	if (stat(dir, &sb) == 0) {
		int ok = S_ISDIR(sb.st_mode);

		if (!ok)
			sr_err(err, "store %s: %s is not a directory", path, dir);
		free(dir);
		return ok ? 0 : -1;
	}
	for (char *p = dir + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			sr_err(err, "store %s: cannot create directory %s: %s", path, dir,
			       strerror(errno));
			free(dir);
			return -1;
		}
		*p = c;
		if (c == '\0')
			break;
	}
	free(dir);
	return 0;
}

/* --- public --- */

struct sr_store *
sr_store_open(const char *where, char **err)
{
	if (where == NULL || *where == '\0') {
		sr_err(err, "store: no path given");
		return NULL;
	}
	if (sr_store_is_pg(where))
		return sr_store_pg_open(where, err);
	if (strncmp(where, "sqlite:", 7) == 0)
		where += 7;
	if (sr_store_parent_dirs(where, err) != 0)
		return NULL;
	return sr_store_sqlite_open(where, err);
}

void
sr_store_close(struct sr_store *st)
{
	if (st == NULL)
		return;
	st->ops->close(st);
}

int
sr_store_has_postmortem(const struct sr_store *st, char **err)
{
	if (st->ops->chain_walk == NULL || st->ops->chain_head == NULL ||
	    st->ops->actions == NULL || st->ops->stats == NULL)
		return sr_err(err, "%s: the %s store does not keep the post-mortem data "
			      "(verifiable timeline, action items, statistics) yet", st->where,
			      st->ops->name);
	return 0;
}

int
sr_store_has_outbox(const struct sr_store *st, char **err)
{
	if (st->ops->send == NULL || st->ops->outbox_list == NULL ||
	    st->ops->outbox_claim == NULL || st->ops->outbox_set == NULL ||
	    st->ops->outbox_drop == NULL)
		return sr_err(err, "%s: the %s store has no outbox (status messages to Slack or "
			      "Mattermost) yet", st->where, st->ops->name);
	return 0;
}

int
sr_store_has_overrides(const struct sr_store *st, char **err)
{
	if (st->ops->override_add == NULL || st->ops->override_list == NULL ||
	    st->ops->override_remove == NULL)
		return sr_err(err, "%s: the %s store does not keep on-call overrides yet",
			      st->where, st->ops->name);
	return 0;
}
/* --- the outbox --- */

const char *
sr_outbox_state_name(enum sr_outbox_state s)
{
	static const char *const names[] = { "pending", "sending", "sent", "failed", "unknown" };

	return (unsigned)s < SR_ARRAY_LEN(names) ? names[s] : "unknown";
}

void
sr_outbox_msg_done(struct sr_outbox_msg *m)
{
	free(m->target);
	free(m->kind);
	free(m->payload);
	free(m->text);
	free(m->error);
	free(m->ts);
	memset(m, 0, sizeof(*m));
}

void
sr_outbox_list_done(struct sr_outbox_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		sr_outbox_msg_done(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* --- copying between stores --- */

#define FNV_OFFSET 14695981039346656037ULL
#define FNV_PRIME 1099511628211ULL

static void
sum_bytes(uint64_t *h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		*h ^= b[i];
		*h *= FNV_PRIME;
	}
}

/* A string with its length (NULL differs from ""), then a separator. */
static void
sum_str(uint64_t *h, const char *s)
{
	int64_t n = s != NULL ? (int64_t)strlen(s) : -1;

	sum_bytes(h, &n, sizeof n);
	if (s != NULL)
		sum_bytes(h, s, (size_t)n);
}

static void
sum_int(uint64_t *h, int64_t v)
{
	unsigned char b[8];

	for (int i = 0; i < 8; i++)	/* little-endian whatever the host */
		b[i] = (unsigned char)((uint64_t)v >> (8 * i));
	sum_bytes(h, b, sizeof b);
}

static int
cmp_by_id(const void *a, const void *b)
{
	const struct sr_incident *x = a, *y = b;

	return x->year != y->year ? (x->year < y->year ? -1 : 1) :
	       x->seq != y->seq ? (x->seq < y->seq ? -1 : 1) : strcmp(x->id, y->id);
}

static void
sum_incident(uint64_t *h, const struct sr_incident *inc, const struct sr_event_list *ev)
{
	const int64_t nums[] = { inc->year, inc->seq, inc->sev, inc->status, inc->level,
				 inc->created_at, inc->acked_at, inc->resolved_at, inc->closed_at,
				 inc->last_update_at, inc->version, (int64_t)inc->n_alerts,
				 (int64_t)ev->n };
	const char *strs[] = { inc->id, inc->title, inc->service, inc->impact, inc->root_cause,
			       inc->resolution, inc->roles[0], inc->roles[1], inc->roles[2] };

	for (size_t i = 0; i < SR_ARRAY_LEN(strs); i++)
		sum_str(h, strs[i]);
	for (size_t i = 0; i < SR_ARRAY_LEN(nums); i++)
		sum_int(h, nums[i]);
	for (size_t i = 0; i < inc->n_alerts; i++)
		sum_str(h, inc->alerts[i]);
	for (size_t i = 0; i < ev->n; i++) {
		sum_int(h, ev->v[i].id);
		sum_int(h, ev->v[i].at);
		sum_str(h, ev->v[i].actor);
		sum_str(h, sr_event_kind_name(ev->v[i].kind));
		sum_str(h, ev->v[i].detail);
	}
}

/* Calls fn for every incident of st (oldest id first) with its timeline. */
static int
each_incident(struct sr_store *st, int (*fn)(void *arg, const struct sr_incident *inc,
					     const struct sr_event_list *ev, char **err),
	      void *arg, char **err)
{
	struct sr_incident_list l = { 0 };
	int rc = st->ops->list(st, SR_LIST_ALL, &l, err);

	if (rc == 0)
		qsort(l.v, l.n, sizeof *l.v, cmp_by_id);
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		struct sr_event_list ev = { 0 };

		rc = st->ops->events(st, l.v[i].id, &ev, err);
		if (rc == 0)
			rc = fn(arg, &l.v[i], &ev, err);
		sr_event_list_done(&ev);
	}
	sr_incident_list_done(&l);
	return rc;
}

static int
sum_one(void *arg, const struct sr_incident *inc, const struct sr_event_list *ev, char **err)
{
	struct sr_store_sum *out = arg;

	(void)err;
	sum_incident(&out->checksum, inc, ev);
	out->incidents++;
	out->events += (int64_t)ev->n;
	return 0;
}

int
sr_store_sum(struct sr_store *st, struct sr_store_sum *out, char **err)
{
	memset(out, 0, sizeof *out);
	out->checksum = FNV_OFFSET;
	return each_incident(st, sum_one, out, err);
}

struct copy_ctx {
	struct sr_store *to;
	struct sr_store_copied *out;
};

static int
copy_one(void *arg, const struct sr_incident *inc, const struct sr_event_list *ev, char **err)
{
	struct copy_ctx *c = arg;
	int existed = 0;

	if (c->to->ops->import(c->to, inc, ev, &existed, err) != 0)
		return -1;
	if (existed) {
		c->out->existed++;
	} else {
		c->out->copied++;
		c->out->events += (int64_t)ev->n;
	}
	return 0;
}

int
sr_store_copy(struct sr_store *from, struct sr_store *to, struct sr_store_copied *out,
	      char **err)
{
	struct copy_ctx c = { to, out };

	memset(out, 0, sizeof *out);
	if (each_incident(from, copy_one, &c, err) != 0 ||
	    sr_store_sum(from, &out->from, err) != 0 || sr_store_sum(to, &out->to, err) != 0)
		return -1;
	if (out->from.incidents != out->to.incidents || out->from.events != out->to.events ||
	    out->from.checksum != out->to.checksum)
		return sr_err(err, "%s and %s differ after the copy (%" PRId64 " incidents, %"
			      PRId64 " events, checksum %016" PRIx64 " against %" PRId64
			      " incidents, %" PRId64 " events, checksum %016" PRIx64 "): the "
			      "target held other incidents, or ones with the same ids that differ",
			      from->where, to->where, out->from.incidents, out->from.events,
			      out->from.checksum, out->to.incidents, out->to.events,
			      out->to.checksum);
	return 0;
}

/* --- shared by the backends --- */

int
sr_store_check_row(const char *where, const struct sr_incident *inc, char **err)
{
	if ((unsigned)inc->sev >= SR_SEV_COUNT || (unsigned)inc->status >= SR_STATUS_COUNT ||
	    inc->level < 0 || inc->level >= SR_LEVEL_COUNT)
		return sr_err(err, "%s: incident %s: severity, status or level out of range",
			      where, inc->id[0] != '\0' ? inc->id : "(new)");
	return 0;
}

int
sr_store_check_kind(const char *where, const char *id, const struct sr_event *e, char **err)
{
	enum sr_event_kind back;

	if (sr_event_kind_parse(sr_event_kind_name(e->kind), &back) != 0 || back != e->kind)
		return sr_err(err, "%s: incident %s: invalid timeline event kind %d", where, id,
			      (int)e->kind);
	return 0;
}

void
sr_store_events_stored(struct sr_event_list *ev, const char *id)
{
	for (size_t i = 0; ev != NULL && i < ev->n; i++)
		snprintf(ev->v[i].incident, sizeof ev->v[i].incident, "%s", id);
}

void
sr_store_events_unstored(struct sr_event_list *ev)
{
	for (size_t i = 0; ev != NULL && i < ev->n; i++)
		ev->v[i].id = 0;
}

static int
cmp_incident_ptr(const void *a, const void *b)
{
	const struct sr_incident *const *x = a, *const *y = b;

	return strcmp((*x)->id, (*y)->id);
}

struct sr_incident **
sr_store_index_by_id(struct sr_incident_list *l, size_t from)
{
	size_t n = l->n - from;
	struct sr_incident **idx = sr_xmalloc((n ? n : 1) * sizeof *idx);

	for (size_t i = 0; i < n; i++)
		idx[i] = &l->v[from + i];
	qsort(idx, n, sizeof *idx, cmp_incident_ptr);
	return idx;
}

struct sr_incident *
sr_store_find_by_id(struct sr_incident **idx, size_t n, const char *id)
{
	struct sr_incident key, *keyp = &key, **hit;

	snprintf(key.id, sizeof key.id, "%s", id);
	hit = bsearch(&keyp, idx, n, sizeof *idx, cmp_incident_ptr);
	return hit != NULL ? *hit : NULL;
}

void
sr_store_add_alert(struct sr_incident *inc, const char *fingerprint)
{
	inc->alerts = sr_xrealloc(inc->alerts, (inc->n_alerts + 1) * sizeof *inc->alerts);
	inc->alerts[inc->n_alerts++] = sr_xstrdup(fingerprint);
}

/* --- live updates --- */

int
sr_store_watch(struct sr_store *st, char **err)
{
	return st->ops->watch != NULL ? st->ops->watch(st, err) : 0;
}

int
sr_store_watch_fd(const struct sr_store *st)
{
	return st->ops->watch_fd != NULL ? st->ops->watch_fd((struct sr_store *)st) : -1;
}

int
sr_store_changes(struct sr_store *st, struct sr_store_changes *out, char **err)
{
	return st->ops->changes != NULL ? st->ops->changes(st, out, err) : 0;
}

void
sr_store_changes_add(struct sr_store_changes *out, const char *id)
{
	for (size_t i = 0; i < out->n; i++)
		if (strcmp(out->ids[i], id) == 0)
			return;
	out->ids = sr_xgrow(out->ids, &out->cap, out->n + 1, sizeof *out->ids);
	snprintf(out->ids[out->n++], SR_ID_MAX, "%s", id);
}

void
sr_store_changes_done(struct sr_store_changes *out)
{
	free(out->ids);
	memset(out, 0, sizeof *out);
}

void
sr_store_overrides_at(struct sr_store *st, sr_time at, struct sr_override_list *out)
{
	char *err = NULL;

	sr_override_list_init(out);
	if (sr_store_has_overrides(st, NULL) != 0 ||
	    st->ops->override_list(st, NULL, at, out, &err) != 0) {
		free(err);
		sr_override_list_done(out);
		sr_override_list_init(out);
	}
}

int
sr_store_stats(struct sr_store *st, const struct sr_config *cfg, sr_time now,
	       const struct sr_stats_query *q, struct sr_stats *s, char **err)
{
	struct sr_action_filter f = { .open_only = 1 };
	struct sr_action_list open = { 0 };
	struct sr_stats_sink k;

	sr_stats_init(s, cfg, now, q);
	k = sr_stats_sink(s);
	if (st->ops->stats(st, q, &k, err) != 0 || st->ops->actions(st, &f, &open, err) != 0) {
		sr_action_list_done(&open);
		return -1;
	}
	sr_stats_actions(s, &open);
	sr_action_list_done(&open);
	sr_stats_finish(s);
	return 0;
}
