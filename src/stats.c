/* SPDX-License-Identifier: MIT */
/* stats.c: incident statistics, accumulated from the rows a store streams. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

void
sr_stats_init(struct sr_stats *s, const struct sr_config *cfg, sr_time now,
	      const struct sr_stats_query *q)
{
	memset(s, 0, sizeof *s);
	s->cfg = cfg;
	s->now = now;
	s->q = *q;
}

static void
counts_done(struct sr_stat_count *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(c[i].key);
	free(c);
}

void
sr_stats_done(struct sr_stats *s)
{
	counts_done(s->by_service, s->n_service);
	counts_done(s->owners, s->n_owners);
	free(s->tta);
	free(s->ttr);
	free(s->slot);
	free(s->table);
	free(s->ids);
	memset(s, 0, sizeof *s);
}

/* The count for key in *c (added when new); a few services or owners: a linear look. */
static struct sr_stat_count *
count_of(struct sr_stat_count **c, size_t *n, const char *key)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*c)[i].key, key) == 0)
			return &(*c)[i];
	*c = sr_xrealloc(*c, (*n + 1) * sizeof **c);
	(*c)[*n].key = sr_xstrdup(key);
	(*c)[*n].n = 0;
	(*c)[*n].overdue = 0;
	return &(*c)[(*n)++];
}

static void
push(int64_t **v, size_t *cap, int64_t n, int64_t x)
{
	*v = sr_xgrow(*v, cap, (size_t)n + 1, sizeof **v);
	(*v)[n] = x;
}

/* --- the incidents fed, by id: escalations and updates of other incidents are skipped --- */

static size_t
hash(const char *s)
{
	size_t h = 1469598103934665603u;	/* FNV-1a */

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 1099511628211u;
	/* FNV's low bits barely change between "INC-2026-000001" and "...02": mix the high in */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdu;
	h ^= h >> 33;
	return h;
}

/* The table entry of id: its own, or the empty one where it would go. */
static struct sr_stats_probe *
probe_of(const struct sr_stats *s, const char *id, uint32_t h)
{
	size_t mask = s->cap_table - 1, i = h & mask;

	while (s->table[i].slot != 0 &&
	       (s->table[i].hash != h ||
		strcmp(s->ids + s->slot[s->table[i].slot - 1].id, id) != 0))
		i = (i + 1) & mask;
	return &s->table[i];
}

static void
remember(struct sr_stats *s, const struct sr_stats_incident *r)
{
	struct sr_stats_probe *p;
	struct sr_stats_slot *sl;
	size_t len = strlen(r->id) + 1;
	uint32_t h = (uint32_t)hash(r->id);

	if (2 * (s->n_slot + 1) > s->cap_table) {	/* at most half full */
		free(s->table);
		s->cap_table = s->cap_table ? 2 * s->cap_table : 1024;
		s->table = sr_xcalloc(s->cap_table, sizeof *s->table);
		for (size_t i = 0; i < s->n_slot; i++) {
			const char *id = s->ids + s->slot[i].id;
			uint32_t hh = (uint32_t)hash(id);

			p = probe_of(s, id, hh);
			p->hash = hh;
			p->slot = (uint32_t)i + 1;
		}
	}
	p = probe_of(s, r->id, h);
	if (p->slot != 0)
		return;
	s->ids = sr_xgrow(s->ids, &s->ids_cap, s->ids_len + len, 1);
	memcpy(s->ids + s->ids_len, r->id, len);
	s->slot = sr_xgrow(s->slot, &s->cap_slot, s->n_slot + 1, sizeof *s->slot);
	sl = &s->slot[s->n_slot];
	sl->id = (uint32_t)s->ids_len;
	s->ids_len += len;
	sl->sev = (int)r->sev;
	sl->created = r->created;
	sl->last_update = 0;
	p->hash = h;
	p->slot = (uint32_t)++s->n_slot;
}

static struct sr_stats_slot *
find(struct sr_stats *s, const char *id)
{
	struct sr_stats_probe *p;

	if (s->cap_table == 0)
		return NULL;
	p = probe_of(s, id, (uint32_t)hash(id));
	return p->slot != 0 ? &s->slot[p->slot - 1] : NULL;
}

static void
on_incident(void *arg, const struct sr_stats_incident *r)
{
	struct sr_stats *s = arg;
	struct sr_incident inc;
	struct sr_timers t;

	if ((unsigned)r->sev >= SR_SEV_COUNT)
		return;
	remember(s, r);
	s->incidents++;
	s->by_sev[r->sev]++;
	count_of(&s->by_service, &s->n_service, r->service != NULL ? r->service : "-")->n++;
	/* the same timers the console shows: respond stops at acknowledgement (or resolution) */
	memset(&inc, 0, sizeof inc);
	inc.sev = r->sev;
	inc.status = r->status;
	inc.created_at = r->created;
	inc.acked_at = r->acked;
	inc.resolved_at = r->resolved;
	inc.closed_at = r->closed;
	if (sr_incident_is_open(&inc))
		s->open++;
	sr_incident_timers(&inc, s->cfg, s->now, &t);
	s->respond_n[r->sev]++;
	s->respond_breached[r->sev] += t.respond.breached != 0;
	s->resolve_n[r->sev]++;
	s->resolve_breached[r->sev] += t.resolve.breached != 0;
	if (r->acked != 0)
		push(&s->tta, &s->cap_tta, s->mtta.n++, r->acked - r->created);
	if (r->resolved != 0)
		push(&s->ttr, &s->cap_ttr, s->mttr.n++, r->resolved - r->created);
}

static void
on_escalation(void *arg, const char *id, int level)
{
	struct sr_stats *s = arg;

	if (level >= 1 && level < SR_LEVEL_COUNT && find(s, id) != NULL)
		s->escalations[level]++;
}

/* On time: sent within the severity's cadence of the previous update (or of creation). */
static void
on_update(void *arg, const char *id, sr_time at)
{
	struct sr_stats *s = arg;
	struct sr_stats_slot *sl = find(s, id);
	sr_time prev;

	if (sl == NULL)
		return;
	prev = sl->last_update != 0 ? sl->last_update : sl->created;
	s->updates++;
	s->updates_on_time += at - prev <= s->cfg->sev[sl->sev].update_every;
	sl->last_update = at;
}

struct sr_stats_sink
sr_stats_sink(struct sr_stats *s)
{
	struct sr_stats_sink k = {
		.arg = s, .incident = on_incident, .escalation = on_escalation,
		.update = on_update,
	};

	return k;
}

void
sr_stats_actions(struct sr_stats *s, const struct sr_action_list *open)
{
	for (size_t i = 0; i < open->n; i++) {
		struct sr_stat_count *c;

		if (open->v[i].done_at != 0)
			continue;
		c = count_of(&s->owners, &s->n_owners, open->v[i].owner);
		c->n++;
		c->overdue += open->v[i].due < s->now;
		s->open_actions++;
	}
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int
cmp_count(const void *a, const void *b)
{
	const struct sr_stat_count *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->key, y->key);
}

/* Nearest rank: the value at position ceil(p / 100 * n) (1-based) of the sorted values. */
static int64_t
rank(const int64_t *v, int64_t n, int p)
{
	int64_t k = (p * n + 99) / 100;

	return n == 0 ? 0 : v[(k < 1 ? 1 : k) - 1];
}

static void
times(struct sr_stat_times *t, int64_t *v)
{
	if (t->n > 0)
		qsort(v, (size_t)t->n, sizeof *v, cmp_i64);
	t->median = rank(v, t->n, 50);
	t->p90 = rank(v, t->n, 90);
}

void
sr_stats_finish(struct sr_stats *s)
{
	times(&s->mtta, s->tta);
	times(&s->mttr, s->ttr);
	if (s->n_service > 0)
		qsort(s->by_service, s->n_service, sizeof *s->by_service, cmp_count);
	if (s->n_owners > 0)
		qsort(s->owners, s->n_owners, sizeof *s->owners, cmp_count);
}
