/* SPDX-License-Identifier: MIT */
/*
 * stats.h: incident statistics over a time window: counts by severity and service, MTTA and
 * MTTR (median and p90), SLA breach rates per severity, escalations per level, status updates
 * on time, open action items by owner. Fed row by row by a store (sr_store_ops.stats).
 */
#ifndef SR_STATS_H
#define SR_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "incident.h"

/* What a store streams for the incidents created in [since, until) (of one service). */
struct sr_stats_query {
	sr_time since, until;
	const char *service;	/* NULL: every service */
};

struct sr_stats_incident {
	const char *id, *service;
	enum sr_sev sev;
	enum sr_status status;
	sr_time created, acked, resolved, closed;
};

/*
 * Escalations and updates name their incident by id and count only for an incident fed
 * before them; they are cheapest right after their incident (what a store does).
 */
struct sr_stats_sink {
	void *arg;
	void (*incident)(void *arg, const struct sr_stats_incident *row);
	/* an escalation of incident id to level (1..3 = L2..L4) */
	void (*escalation)(void *arg, const char *id, int level);
	/* a status update of incident id, those of one incident in the order they were sent */
	void (*update)(void *arg, const char *id, sr_time at);
};

struct sr_stats_slot;
struct sr_stats_probe;

struct sr_stat_count {
	char *key;
	int64_t n;
	int64_t overdue;	/* action items: past their due date */
};

/* Percentiles by nearest rank: the p-th is the smallest value with p % of them at or below. */
struct sr_stat_times {
	int64_t n;
	int64_t median, p90;	/* seconds; 0 when n == 0 */
};

struct sr_stats {
	const struct sr_config *cfg;
	sr_time now;
	struct sr_stats_query q;
	int64_t incidents, open;
	int64_t by_sev[SR_SEV_COUNT];
	struct sr_stat_count *by_service;	/* sorted by count, then name */
	size_t n_service;
	struct sr_stat_times mtta, mttr;
	/* respond / resolve: incidents the target applies to, and those that breached it */
	int64_t respond_n[SR_SEV_COUNT], respond_breached[SR_SEV_COUNT];
	int64_t resolve_n[SR_SEV_COUNT], resolve_breached[SR_SEV_COUNT];
	int64_t escalations[SR_LEVEL_COUNT];	/* [1..3] = reached L2..L4 */
	int64_t updates, updates_on_time;
	struct sr_stat_count *owners;		/* open action items by owner */
	size_t n_owners;
	int64_t open_actions;
	/* working state */
	int64_t *tta, *ttr;
	size_t cap_tta, cap_ttr;
	/*
	 * The incidents fed, in the order fed. A store feeds each incident's escalations and
	 * updates right after it: the last slot is theirs. An escalation or update of another
	 * incident (a sink fed in some other order) is found by id through an open-addressing
	 * table of 8-byte entries (hash, index + 1), built on the first such look and kept
	 * from then on.
	 */
	struct sr_stats_slot *slot;
	size_t n_slot, cap_slot;
	struct sr_stats_probe *table;
	size_t cap_table, n_table;
	char *ids;			/* their ids, one after another */
	size_t ids_len, ids_cap;
	/* by_service index + 1 by a hash of the name: one strcmp a row, not one per service */
	uint32_t service_hint[64];
};

struct sr_stats_probe {
	uint32_t hash;		/* of the id: most probes end without comparing strings */
	uint32_t slot;		/* index + 1 in slot; 0 = empty */
};

struct sr_stats_slot {
	uint32_t id;		/* offset in ids */
	int sev;
	sr_time created, last_update;
};

/* Starts collecting for q at now. */
void sr_stats_init(struct sr_stats *s, const struct sr_config *cfg, sr_time now,
		   const struct sr_stats_query *q);
void sr_stats_done(struct sr_stats *s);
/* The sink to hand to the store. */
struct sr_stats_sink sr_stats_sink(struct sr_stats *s);
/* Counts the open action items (of any incident) by owner. */
void sr_stats_actions(struct sr_stats *s, const struct sr_action_list *open);
/* Computes the medians and percentiles once everything was fed. */
void sr_stats_finish(struct sr_stats *s);

#endif
