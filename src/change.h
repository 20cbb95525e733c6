/* SPDX-License-Identifier: MIT */
/*
 * change.h: one change to a stored incident, made the way every front end must make it:
 * load, record the escalations already due, change, store — one transaction, version-checked.
 */
#ifndef SR_CHANGE_H
#define SR_CHANGE_H

#include "incident.h"
#include "store.h"

enum sr_change_op {
	SR_CH_TICK,		/* only the escalations that are due */
	SR_CH_ACK,
	SR_CH_STATUS,		/* a = status name */
	SR_CH_SEV,		/* a = "P1".."P4" */
	SR_CH_NOTE,		/* a = text */
	SR_CH_ESCALATE,
	SR_CH_DEESCALATE,
	SR_CH_ASSIGN,		/* a = role name, b = person */
	SR_CH_FIELD,		/* a = "impact" | "cause" | "resolution", b = text */
	SR_CH_RESOLVE,		/* a = cause or NULL, b = resolution or NULL */
	SR_CH_CLOSE,
	SR_CH_LINK,		/* a = alert fingerprint, b = what it is (or NULL) */
	SR_CH_UPDATE_SENT,	/* a = channel or NULL, b = the text sent or NULL */
	SR_CH_CHECK,		/* a = runbook, n = item (1-based), b = item text, done = ticked */
	SR_CH_ACTION,		/* a = text, b = owner, c = kind (NULL: prevent), t = due */
	SR_CH_ACTION_DONE,	/* id = the action item */
};

struct sr_change {
	enum sr_change_op op;
	const char *a, *b;
	int n;
	int done;
	const char *c;
	sr_time t;
	int64_t id;
};

/*
 * Applies ch to inc in memory (parsing its text arguments: status, severity, role) and appends
 * the events. Returns 0, or -1 with *err; inc is then unchanged.
 */
int sr_change_apply(struct sr_incident *inc, const struct sr_change *ch,
		    const struct sr_config *cfg, const char *actor, sr_time now,
		    struct sr_event_list *ev, char **err);

/*
 * Loads incident id from st, records the escalations due at now, applies ch, and stores it
 * in one transaction. On success out (initialised by the caller, or NULL) holds the stored
 * incident and ev (or NULL) every event recorded, escalations first. A user's change that
 * meets a conflict (another writer got there first) fails with *conflict = 1: what they
 * decided was based on what they saw, so it is not retried. SR_CH_TICK is retried on a
 * conflict (reloading finds the level already raised: each level is recorded exactly once)
 * and writes nothing when nothing is due. Returns 0 or -1 with *err.
 */
int sr_change_commit(struct sr_store *st, const char *id, const struct sr_change *ch,
		     const struct sr_config *cfg, const char *actor, sr_time now,
		     struct sr_incident *out, struct sr_event_list *ev, int *conflict, char **err);

#endif
