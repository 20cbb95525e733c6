/* SPDX-License-Identifier: MIT */
/* store.c: picks the store backend for a path or URL and hands out the ops table behind it. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
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
	free(m->claimed_host);
	memset(m, 0, sizeof(*m));
}

void
sr_outbox_list_done(struct sr_outbox_list *l)
{
	SR_LIST_DONE(l, sr_outbox_msg_done);
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
	for (int f = 0; f < SR_REVIEW_COUNT; f++)
		sum_str(h, inc->review[f]);
	sum_int(h, (int64_t)inc->n_actions);
	for (size_t i = 0; i < inc->n_actions; i++) {
		const struct sr_action *a = &inc->actions[i];
		const int64_t an[] = { a->id, a->kind, a->due, a->created_at, a->done_at };

		for (size_t j = 0; j < SR_ARRAY_LEN(an); j++)
			sum_int(h, an[j]);
		sum_str(h, a->text);
		sum_str(h, a->owner);
		sum_str(h, a->done_by);
	}
	for (size_t i = 0; i < ev->n; i++) {
		sum_int(h, ev->v[i].id);
		sum_int(h, ev->v[i].at);
		sum_str(h, ev->v[i].actor);
		sum_str(h, sr_event_kind_name(ev->v[i].kind));
		sum_str(h, ev->v[i].detail);
	}
}

/*
 * Calls fn for every incident of st (oldest id first, whole as get reads it: review fields
 * and action items included) with its timeline.
 */
static int
each_incident(struct sr_store *st, int (*fn)(void *arg, struct sr_store *st,
					     const struct sr_incident *inc,
					     const struct sr_event_list *ev, char **err),
	      void *arg, char **err)
{
	struct sr_incident_list l = { 0 };
	int rc = st->ops->list(st, SR_LIST_ALL, &l, err);

	if (rc == 0)
		qsort(l.v, l.n, sizeof *l.v, cmp_by_id);
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		struct sr_event_list ev = { 0 };
		struct sr_incident inc;

		sr_incident_init(&inc);
		rc = st->ops->get(st, l.v[i].id, &inc, err);
		if (rc == 0)
			rc = st->ops->events(st, l.v[i].id, &ev, err);
		if (rc == 0)
			rc = fn(arg, st, &inc, &ev, err);
		sr_event_list_done(&ev);
		sr_incident_done(&inc);
	}
	sr_incident_list_done(&l);
	return rc;
}

static int
sum_one(void *arg, struct sr_store *st, const struct sr_incident *inc,
	const struct sr_event_list *ev, char **err)
{
	struct sr_store_sum *out = arg;
	char head[SR_HASH_HEX];
	int64_t n;

	if (st->ops->chain_head(st, inc->id, &n, head, err) != 0)
		return -1;
	sum_incident(&out->checksum, inc, ev);
	sum_int(&out->checksum, n);
	sum_str(&out->checksum, head);
	out->incidents++;
	out->events += (int64_t)ev->n;
	out->actions += (int64_t)inc->n_actions;
	return 0;
}

/* Every override (ending whenever) and every outbox message of st, in id order. */
static int
list_extras(struct sr_store *st, struct sr_override_list *ov, struct sr_outbox_list *ob,
	    char **err)
{
	if (st->ops->override_list(st, NULL, INT64_MIN, INT64_MAX, ov, err) != 0 ||
	    st->ops->outbox_list(st, NULL, ob, err) != 0)
		return -1;
	return 0;
}

static void
sum_extras(struct sr_store_sum *out, const struct sr_override_list *ov,
	   const struct sr_outbox_list *ob)
{
	uint64_t *h = &out->checksum;

	/* overrides come in order of start: sum them in id order, like everything else */
	for (int64_t want = 0, done = 0; done < (int64_t)ov->n; done++) {
		const struct sr_override *o = NULL;

		for (size_t i = 0; i < ov->n; i++)
			if (ov->v[i].id > want && (o == NULL || ov->v[i].id < o->id))
				o = &ov->v[i];
		if (o == NULL)	/* ids are distinct: never, but the loop must not trust it */
			break;
		want = o->id;
		sum_int(h, o->id);
		sum_str(h, o->rotation);
		sum_str(h, o->who);
		sum_int(h, o->from);
		sum_int(h, o->until);
		sum_int(h, o->created);
		sum_str(h, o->created_by);
	}
	for (size_t i = 0; i < ob->n; i++) {
		const struct sr_outbox_msg *m = &ob->v[i];
		const int64_t nums[] = { m->id, m->state, m->attempts, m->claimed_by, m->created_at,
					 m->next_at, m->sent_ms, m->claimed_at };
		const char *strs[] = { m->incident, m->target, m->kind, m->payload, m->text,
				       m->error, m->ts, m->claimed_host };

		for (size_t j = 0; j < SR_ARRAY_LEN(nums); j++)
			sum_int(h, nums[j]);
		for (size_t j = 0; j < SR_ARRAY_LEN(strs); j++)
			sum_str(h, strs[j]);
	}
	out->overrides = (int64_t)ov->n;
	out->messages = (int64_t)ob->n;
}

int
sr_store_sum(struct sr_store *st, struct sr_store_sum *out, char **err)
{
	struct sr_override_list ov = { 0 };
	struct sr_outbox_list ob = { 0 };
	int rc;

	memset(out, 0, sizeof *out);
	out->checksum = FNV_OFFSET;
	if (sr_store_has_postmortem(st, err) != 0 || sr_store_has_outbox(st, err) != 0 ||
	    sr_store_has_overrides(st, err) != 0)
		return -1;
	rc = each_incident(st, sum_one, out, err);
	if (rc == 0)
		rc = list_extras(st, &ov, &ob, err);
	if (rc == 0)
		sum_extras(out, &ov, &ob);
	sr_override_list_done(&ov);
	sr_outbox_list_done(&ob);
	return rc;
}

struct copy_ctx {
	struct sr_store *to;
	struct sr_store_copied *out;
};

static int
copy_one(void *arg, struct sr_store *from, const struct sr_incident *inc,
	 const struct sr_event_list *ev, char **err)
{
	struct copy_ctx *c = arg;
	int existed = 0;

	(void)from;
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
	struct sr_override_list ov = { 0 };
	struct sr_outbox_list ob = { 0 };
	struct sr_chain_check chk;
	int rc, existed;

	memset(out, 0, sizeof *out);
	if (sr_store_has_postmortem(to, err) != 0 || sr_store_has_outbox(to, err) != 0 ||
	    sr_store_has_overrides(to, err) != 0 || sr_store_has_outbox(from, err) != 0 ||
	    sr_store_has_overrides(from, err) != 0)
		return -1;
	rc = each_incident(from, copy_one, &c, err);
	if (rc == 0)
		rc = list_extras(from, &ov, &ob, err);
	for (size_t i = 0; rc == 0 && i < ov.n; i++) {
		rc = to->ops->override_import(to, &ov.v[i], &existed, err);
		out->overrides += rc == 0 && !existed;
	}
	for (size_t i = 0; rc == 0 && i < ob.n; i++) {
		rc = to->ops->outbox_import(to, &ob.v[i], &existed, err);
		out->messages += rc == 0 && !existed;
	}
	sr_override_list_done(&ov);
	sr_outbox_list_done(&ob);
	if (rc != 0)
		return -1;
	/* the target's chains, recomputed from what it stores now */
	sr_chain_check_init(&chk);
	rc = to->ops->chain_walk(to, NULL, sr_chain_check_row, &chk, err);
	sr_chain_check_end(&chk);
	out->chained = chk.events;
	if (rc == 0 && chk.n_found > 0)
		rc = sr_err(err, "%s: after the copy, the timeline of %s does not verify: %s",
			    to->where, chk.found[0].incident, chk.found[0].text);
	sr_chain_check_done(&chk);
	if (rc != 0 || sr_store_sum(from, &out->from, err) != 0 ||
	    sr_store_sum(to, &out->to, err) != 0)
		return -1;
	if (out->from.incidents != out->to.incidents || out->from.events != out->to.events ||
	    out->from.overrides != out->to.overrides || out->from.messages != out->to.messages ||
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
sr_store_append_events(struct sr_store *st, const struct sr_store_writer *io, const char *id,
		       sr_time created, struct sr_event_list *ev, int keep_ids, char **err)
{
	char prev[SR_HASH_HEX], hash[SR_HASH_HEX];
	struct sr_buf b;
	int64_t n;
	int rc = 0;

	if (ev == NULL || ev->n == 0)
		return 0;
	if (io->head(st, id, &n, prev, err) != 0)
		return -1;
	for (size_t i = 0; i < ev->n; i++) {
		struct sr_event *e = &ev->v[i];
		const char *actor = e->actor != NULL ? e->actor : "";
		const char *detail = e->detail != NULL ? e->detail : "";

		if (sr_store_check_kind(st->where, id, e, err) != 0)
			return -1;
		sr_chain_hash(prev, ++n, id, e->at, actor, sr_event_kind_name(e->kind), detail, hash);
		if (io->put(st, id, e, actor, detail, n, hash, keep_ids, err) != 0)
			return -1;
		memcpy(prev, hash, sizeof prev);
	}
	if (io->set_head(st, id, n, prev, err) != 0)
		return -1;
	/* most changes record nothing in the summary */
	sr_buf_init(&b);
	sr_store_stats_events(&b, created, ev);
	if (b.len > 0)
		rc = io->add_stats(st, id, b.data, err);
	sr_buf_done(&b);
	return rc;
}

int
sr_store_write_children(struct sr_store *st, const struct sr_store_writer *io, const char *id,
			struct sr_incident *inc, struct sr_event_list *ev, int keep_ids, char **err)
{
	return io->alerts(st, id, inc, err) != 0 ||
	       sr_store_append_events(st, io, id, inc->created_at, ev, keep_ids, err) != 0 ||
	       io->review(st, id, inc, keep_ids, err) != 0 ? -1 : 0;
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

/* --- decoding rows, for both backends --- */

/* Where a column goes in a struct: a string (copied, NULL kept), an int64_t or an int. */
enum col_kind { COL_STR, COL_I64, COL_INT };
struct col_map {
	int col;
	enum col_kind kind;
	size_t off;
};
#define STR_AT(type, field, col) { col, COL_STR, offsetof(type, field) }
#define I64_AT(type, field, col) { col, COL_I64, offsetof(type, field) }
#define INT_AT(type, field, col) { col, COL_INT, offsetof(type, field) }

static void
read_cols(const struct sr_store_row *r, void *obj, const struct col_map *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *p = (char *)obj + m[i].off;
		const char *t;

		switch (m[i].kind) {
		case COL_STR:
			t = r->text(r, m[i].col);
			*(char **)p = t != NULL ? sr_xstrdup(t) : NULL;
			break;
		case COL_I64:
			*(int64_t *)p = r->num(r, m[i].col);
			break;
		case COL_INT:
			*(int *)p = (int)r->num(r, m[i].col);
			break;
		}
	}
}

/* The reverse of read_cols: obj's fields into the values of their columns. */
static void
write_cols(const void *obj, const struct col_map *m, size_t n, struct sr_store_val *v)
{
	for (size_t i = 0; i < n; i++) {
		const char *p = (const char *)obj + m[i].off;
		struct sr_store_val *o = &v[m[i].col];

		o->is_num = m[i].kind != COL_STR;
		o->text = m[i].kind == COL_STR ? *(char *const *)p : NULL;
		o->num = m[i].kind == COL_I64 ? *(const int64_t *)p :
			 m[i].kind == COL_INT ? *(const int *)p : 0;
	}
}

/* An id column into a fixed buffer ("" for NULL). */
static void
read_id(const struct sr_store_row *r, int col, char out[SR_ID_MAX])
{
	const char *t = r->text(r, col);

	snprintf(out, SR_ID_MAX, "%s", t != NULL ? t : "");
}

/*
 * An integer column holding a value in [lo, hi] (a sqlite3 shell can write text, reals, blobs
 * or values out of range into any column): 0 and *out, or -1.
 */
static int
col_int(const struct sr_store_row *r, int col, int64_t lo, int64_t hi, int64_t *out)
{
	int64_t v;

	if (!r->is_int(r, col))
		return -1;
	v = r->num(r, col);
	if (v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* A column's text for an error message. */
static const char *
col_shown(const struct sr_store_row *r, int col)
{
	const char *t = r->text(r, col);

	return t != NULL ? t : "(null)";
}

int
sr_store_read_incident(const char *where, const struct sr_store_row *r, struct sr_incident *inc,
		       char **err)
{
	static const struct col_map m[] = {
#define S(f, c) STR_AT(struct sr_incident, f, c)
#define L(f, c) I64_AT(struct sr_incident, f, c)
		L(seq, SR_COL_SEQ),
		S(title, SR_COL_TITLE), S(service, SR_COL_SERVICE), S(impact, SR_COL_IMPACT),
		S(root_cause, SR_COL_ROOT_CAUSE), S(resolution, SR_COL_RESOLUTION),
		S(roles[SR_ROLE_COMMANDER], SR_COL_COMMANDER), S(roles[SR_ROLE_COMMS], SR_COL_COMMS),
		S(roles[SR_ROLE_SCRIBE], SR_COL_SCRIBE), L(version, SR_COL_VERSION),
#undef S
#undef L
	};
	/* times: 0 = not yet; bounded so that timers computed from them cannot overflow */
	static const struct {
		int col;
		size_t off;
		const char *name;
	} times[] = {
		{ SR_COL_CREATED, offsetof(struct sr_incident, created_at), "created_at" },
		{ SR_COL_ACKED, offsetof(struct sr_incident, acked_at), "acked_at" },
		{ SR_COL_RESOLVED, offsetof(struct sr_incident, resolved_at), "resolved_at" },
		{ SR_COL_CLOSED, offsetof(struct sr_incident, closed_at), "closed_at" },
		{ SR_COL_LAST_UPDATE, offsetof(struct sr_incident, last_update_at),
		  "last_update_at" },
	};
	const char *id = r->text(r, SR_COL_ID), *status = r->text(r, SR_COL_STATUS);
	int64_t v;

	if (id == NULL || strlen(id) >= sizeof inc->id)
		return sr_err(err, "%s: an incident row has an invalid id", where);
	read_id(r, SR_COL_ID, inc->id);
	read_cols(r, inc, m, SR_ARRAY_LEN(m));
	if (inc->title == NULL)
		return sr_err(err, "%s: incident %s has no title", where, inc->id);
	if (col_int(r, SR_COL_YEAR, 0, 9999, &v) != 0 || !r->is_int(r, SR_COL_SEQ) ||
	    !r->is_int(r, SR_COL_VERSION))
		return sr_err(err, "%s: incident %s has an invalid year, number or version", where,
			      inc->id);
	inc->year = (int)v;
	if (col_int(r, SR_COL_SEV, 1, SR_SEV_COUNT, &v) != 0)
		return sr_err(err, "%s: incident %s has an invalid severity \"%s\"", where,
			      inc->id, col_shown(r, SR_COL_SEV));
	inc->sev = (enum sr_sev)(v - 1);
	if (status == NULL || sr_status_parse(status, &inc->status, NULL) != 0)
		return sr_err(err, "%s: incident %s has an invalid status \"%s\"", where, inc->id,
			      status != NULL ? status : "(null)");
	if (col_int(r, SR_COL_LEVEL, 0, SR_LEVEL_COUNT - 1, &v) != 0)
		return sr_err(err, "%s: incident %s has an invalid escalation level \"%s\"",
			      where, inc->id, col_shown(r, SR_COL_LEVEL));
	inc->level = (int)v;
	for (size_t i = 0; i < SR_ARRAY_LEN(times); i++) {
		if (col_int(r, times[i].col, 0, SR_TIME_LIMIT, &v) != 0)
			return sr_err(err, "%s: incident %s has an invalid %s (not a time in "
				      "0..%lld)", where, inc->id, times[i].name,
				      (long long)SR_TIME_LIMIT);
		*(sr_time *)(void *)((char *)inc + times[i].off) = v;
	}
	return 0;
}

void
sr_store_list_row(const char *where, const struct sr_store_row *r, struct sr_incident_list *out)
{
	char *why = NULL;

	if (sr_store_read_incident(where, r, sr_incident_list_push(out), &why) != 0) {
		/* one bad row costs that row only, said once; the rest is listed */
		sr_incident_done(&out->v[--out->n]);
		sr_skipped_add(&out->skipped, sr_xasprintf("skipped: %s", why));
		free(why);
	}
}

void
sr_store_read_event(const char *where, const char *id, const struct sr_store_row *r,
		    struct sr_event_list *out)
{
	const char *kind = r->text(r, 3), *actor = r->text(r, 2), *detail = r->text(r, 4);
	const char *bad = NULL;
	enum sr_event_kind k;
	int64_t at = 0;
	struct sr_event *e;

	if (kind == NULL || sr_event_kind_parse(kind, &k) != 0)
		bad = "kind";
	else if (col_int(r, 1, 0, SR_TIME_LIMIT, &at) != 0)
		bad = "time";
	else if (actor == NULL)
		bad = "actor";
	else if (detail == NULL)
		bad = "detail";
	if (bad != NULL) {
		sr_skipped_add(&out->skipped,
			       sr_xasprintf("skipped: %s: incident %s: timeline event %lld has an "
					    "invalid %s", where, id, (long long)r->num(r, 0), bad));
		return;
	}
	e = sr_event_list_add(out, at, actor, k, "%s", detail);
	e->id = r->num(r, 0);
	snprintf(e->incident, sizeof e->incident, "%s", id);
}

int
sr_store_read_action(const char *where, const struct sr_store_row *r, struct sr_action *a,
		     char **err)
{
	static const struct col_map m[] = {
		I64_AT(struct sr_action, id, 0), STR_AT(struct sr_action, text, 2),
		STR_AT(struct sr_action, owner, 3), I64_AT(struct sr_action, due, 5),
		I64_AT(struct sr_action, created_at, 6), I64_AT(struct sr_action, done_at, 7),
		STR_AT(struct sr_action, done_by, 8),
	};
	const char *kind = r->text(r, 4);

	read_id(r, 1, a->incident);
	read_cols(r, a, m, SR_ARRAY_LEN(m));
	if (kind == NULL || sr_action_kind_parse(kind, &a->kind, NULL) != 0)
		return sr_err(err, "%s: action item %" PRId64 " has an invalid kind \"%s\"", where,
			      a->id, kind != NULL ? kind : "(null)");
	return 0;
}

void
sr_store_read_review(const struct sr_store_row *r, struct sr_incident *inc)
{
	const char *name = r->text(r, 0);
	enum sr_review f;

	if (name != NULL && sr_review_parse(name, &f) == 0)
		sr_set_str(&inc->review[f], r->text(r, 1));
}

int
sr_outbox_state_parse(const char *name, enum sr_outbox_state *out)
{
	for (int i = SR_OB_PENDING; i <= SR_OB_UNKNOWN; i++)
		if (name != NULL && strcmp(name, sr_outbox_state_name((enum sr_outbox_state)i)) == 0) {
			*out = (enum sr_outbox_state)i;
			return 0;
		}
	return -1;
}

/* SR_STORE_OUTBOX_COLS but incident_id (1) and state (8), for reading and for writing. */
static const struct col_map outbox_map[] = {
#define S(f, c) STR_AT(struct sr_outbox_msg, f, c)
#define L(f, c) I64_AT(struct sr_outbox_msg, f, c)
	L(id, 0), S(target, 2), S(kind, 3), S(payload, 4), S(text, 5), S(error, 6),
	S(ts, 7), INT_AT(struct sr_outbox_msg, attempts, 9), L(claimed_by, 10),
	L(created_at, 11), L(next_at, 12), L(sent_ms, 13), S(claimed_host, 14),
	L(claimed_at, 15),
#undef S
#undef L
};

/* SR_STORE_OVERRIDE_COLS. */
static const struct col_map override_map[] = {
	I64_AT(struct sr_override, id, 0), STR_AT(struct sr_override, rotation, 1),
	STR_AT(struct sr_override, who, 2), I64_AT(struct sr_override, from, 3),
	I64_AT(struct sr_override, until, 4), I64_AT(struct sr_override, created, 5),
	STR_AT(struct sr_override, created_by, 6),
};

void
sr_store_read_outbox(const struct sr_store_row *r, struct sr_outbox_msg *m)
{
	memset(m, 0, sizeof *m);
	read_id(r, 1, m->incident);
	read_cols(r, m, outbox_map, SR_ARRAY_LEN(outbox_map));
	if (sr_outbox_state_parse(r->text(r, 8), &m->state) != 0)
		m->state = SR_OB_UNKNOWN;
}

void
sr_store_read_override(const struct sr_store_row *r, struct sr_override *o)
{
	memset(o, 0, sizeof *o);
	read_cols(r, o, override_map, SR_ARRAY_LEN(override_map));
}

void
sr_store_outbox_vals(const struct sr_outbox_msg *m,
		     struct sr_store_val v[SR_STORE_OUTBOX_NCOLS])
{
	write_cols(m, outbox_map, SR_ARRAY_LEN(outbox_map), v);
	v[1] = (struct sr_store_val){ .text = m->incident };
	v[8] = (struct sr_store_val){ .text = sr_outbox_state_name(m->state) };
	if (v[5].text == NULL)
		v[5].text = "";	/* text is NOT NULL */
}

void
sr_store_override_vals(const struct sr_override *o,
		       struct sr_store_val v[SR_STORE_OVERRIDE_NCOLS])
{
	write_cols(o, override_map, SR_ARRAY_LEN(override_map), v);
	if (v[6].text == NULL)
		v[6].text = "unknown";
}

int
sr_store_add_outbox_row(void *list, const struct sr_store_row *r, char **err)
{
	struct sr_outbox_list *out = list;

	(void)err;
	out->v = sr_xgrow(out->v, &out->cap, out->n + 1, sizeof(*out->v));
	sr_store_read_outbox(r, &out->v[out->n++]);
	return 0;
}

int
sr_store_add_override_row(void *list, const struct sr_store_row *r, char **err)
{
	struct sr_override_list *out = list;

	(void)err;
	out->v = sr_xgrow(out->v, &out->cap, out->n + 1, sizeof(*out->v));
	sr_store_read_override(r, &out->v[out->n++]);
	return 0;
}

void
sr_store_read_chain(const struct sr_store_row *r, int empty, struct sr_chain_row *out)
{
	int head_col = empty ? 1 : 8;

	memset(out, 0, sizeof *out);
	out->incident = r->text(r, 0);
	if (out->incident == NULL)
		out->incident = "";
	if (!empty) {
		out->id = r->num(r, 1);
		out->at = r->num(r, 2);
		out->actor = r->text(r, 3);
		out->kind = r->text(r, 4);
		out->detail = r->text(r, 5);
		out->pos = r->num(r, 6);
		out->hash = r->text(r, 7);
	}
	out->head_n = r->num(r, head_col);
	out->head = r->text(r, head_col + 1);
}

/*
 * A stored status: the names sitrep writes first (strcmp), else the forgiving parse (its
 * case-insensitive loop was 6 % of `sitrep stats`).
 */
static int
stats_status(const char *st, enum sr_status *out)
{
	for (int i = SR_STATUS_COUNT - 1; i >= 0; i--)	/* most of history: closed, resolved */
		if (strcmp(st, sr_status_name((enum sr_status)i)) == 0) {
			*out = (enum sr_status)i;
			return 0;
		}
	return sr_status_parse(st, out, NULL);
}

/* "escalated L1 -> L2 (...)": the level reached (1 = L1); 0 when d says something else. */
static int
escalated_to(const char *d)
{
	static const char head[] = "escalated L";
	const char *p;

	if (strncmp(d, head, sizeof head - 1) != 0)
		return 0;
	p = d + sizeof head - 1;
	while (*p >= '0' && *p <= '9')
		p++;
	if (p == d + sizeof head - 1 || strncmp(p, " -> L", 5) != 0 || p[5] < '0' || p[5] > '9')
		return 0;
	return (int)strtol(p + 5, NULL, 10);
}

void
sr_store_stats_event(struct sr_buf *b, sr_time created, sr_time at, const char *kind,
		     const char *detail)
{
	int to;

	if (strcmp(kind, "update_sent") == 0)
		sr_buf_printf(b, "u%" PRId64 ";", (int64_t)(at - created));
	else if (strcmp(kind, "escalated") == 0 && detail != NULL &&
		 (to = escalated_to(detail)) > 0)
		sr_buf_printf(b, "e%d@%" PRId64 ";", to, (int64_t)(at - created));
}

void
sr_store_stats_events(struct sr_buf *b, sr_time created, const struct sr_event_list *ev)
{
	for (size_t i = 0; ev != NULL && i < ev->n; i++)
		sr_store_stats_event(b, created, ev->v[i].at, sr_event_kind_name(ev->v[i].kind),
				     ev->v[i].detail);
}

/* A signed decimal at *p (stats_events): *p moves past it; 0 when there is none. */
static int
stats_num(const char **p, int64_t *out)
{
	const char *s = *p;
	int neg = *s == '-';
	uint64_t v = 0;

	s += neg;
	if (*s < '0' || *s > '9')
		return 0;
	for (; *s >= '0' && *s <= '9' && v < (uint64_t)INT64_MAX / 10; s++)
		v = v * 10 + (uint64_t)(*s - '0');
	*out = neg ? -(int64_t)v : (int64_t)v;
	*p = s;
	return 1;
}

/*
 * The escalations and updates of incident id from its stats_events summary: escalations as
 * they come, updates in time order (written in the order appended, which an imported or
 * clock-skewed timeline may not keep). A summary written by hand that does not parse ends
 * where it stops parsing.
 */
static void
stats_events(const struct sr_stats_query *q, const char *id, sr_time created, const char *p,
	     const struct sr_stats_sink *k)
{
	sr_time small[16], *up = small;
	size_t n = 0, cap = SR_ARRAY_LEN(small);
	int sorted = 1;

	while (*p == 'u' || *p == 'e') {
		int esc = *p++ == 'e';
		int64_t level = 0, t;
		sr_time at;

		if (esc && (!stats_num(&p, &level) || *p++ != '@'))
			break;
		if (!stats_num(&p, &t) || *p++ != ';')
			break;
		at = (sr_time)((uint64_t)created + (uint64_t)t);	/* wraps, never traps */
		if (esc) {
			/* the level as the escalated event's detail names it (1 = L1) */
			if (at >= q->since && level > 0 && level <= INT_MAX)
				k->escalation(k->arg, id, (int)level - 1);
			continue;
		}
		if (n == cap) {
			sr_time *grown = sr_xcalloc(cap * 2, sizeof *grown);

			memcpy(grown, up, n * sizeof *up);
			if (up != small)
				free(up);
			up = grown;
			cap *= 2;
		}
		sorted &= n == 0 || up[n - 1] <= at;
		up[n++] = at;
	}
	for (size_t i = 1; !sorted && i < n; i++) {	/* insertion sort: a few, nearly sorted */
		sr_time v = up[i];
		size_t j = i;

		for (; j > 0 && up[j - 1] > v; j--)
			up[j] = up[j - 1];
		up[j] = v;
	}
	for (size_t i = 0; i < n; i++)
		if (up[i] >= q->since)
			k->update(k->arg, id, up[i]);
	if (up != small)
		free(up);
}

void
sr_store_stats_row(const struct sr_stats_query *q, const struct sr_store_row *r,
		   const struct sr_stats_sink *k)
{
	struct sr_stats_incident row = { 0 };
	const char *id = r->text(r, 0), *st = r->text(r, 3), *ev = r->text(r, 8);
	int64_t sev = r->num(r, 2);

	if (id == NULL || sev < 1 || sev > SR_SEV_COUNT || st == NULL ||
	    stats_status(st, &row.status) != 0)
		return;	/* not ours to judge here: get() reports it */
	row.id = id;
	row.service = r->text(r, 1);
	row.sev = (enum sr_sev)(sev - 1);
	row.created = r->num(r, 4);
	row.acked = r->num(r, 5);
	row.resolved = r->num(r, 6);
	row.closed = r->num(r, 7);
	k->incident(k->arg, &row);
	if (ev != NULL)
		stats_events(q, id, row.created, ev, k);
}

int
sr_store_update_by_send(struct sr_store *st, struct sr_incident *inc, struct sr_event_list *ev,
			int *conflict, char **err)
{
	return st->ops->send(st, inc, ev, NULL, conflict, err);
}

int
sr_store_drop_incidents(struct sr_incident_list *l, size_t from)
{
	while (l->n > from)
		sr_incident_done(&l->v[--l->n]);
	return -1;
}

int
sr_store_drop_events(struct sr_event_list *l, size_t from)
{
	sr_event_list_drop(l, from);
	return -1;
}

int
sr_store_drop_actions(struct sr_action_list *l, size_t from)
{
	while (l->n > from)
		sr_action_done(&l->v[--l->n]);
	return -1;
}

int
sr_store_send_tx(struct sr_store *st, struct sr_incident *inc, struct sr_event_list *ev,
		 struct sr_outbox_msg *msg, int *conflict, char **err)
{
	int64_t msg_id = msg != NULL ? msg->id : 0;

	if (conflict != NULL)
		*conflict = 0;
	if (sr_store_check_row(st->where, inc, err) != 0 ||
	    st->ops->send_rows(st, inc, ev, msg, conflict, err) != 0) {
		sr_store_events_unstored(ev);
		if (msg != NULL)
			msg->id = msg_id;
		return -1;
	}
	inc->version++;
	sr_store_events_stored(ev, inc->id);
	return 0;
}

int
sr_store_create_done(int rc, struct sr_incident *inc, struct sr_event_list *ev, const char *id,
		     int year, int64_t seq)
{
	if (rc != 0) {
		sr_store_events_unstored(ev);
		return rc;
	}
	snprintf(inc->id, sizeof inc->id, "%s", id);
	inc->year = year;
	inc->seq = seq;
	inc->version = 1;
	sr_store_events_stored(ev, id);
	return 0;
}

void
sr_store_overrides_at(struct sr_store *st, sr_time at, struct sr_override_list *out)
{
	char *err = NULL;

	sr_override_list_init(out);
	if (sr_store_has_overrides(st, NULL) != 0 ||
	    st->ops->override_list(st, NULL, at, INT64_MAX, out, &err) != 0) {
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
