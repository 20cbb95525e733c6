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
 * incident and ev (or NULL) every event recorded, escalations first. A change that commutes
 * (sr_change_commutes: notes, checklist ticks, links, updates sent, ticks) is reloaded and
 * applied again when it meets a conflict (another writer got there first), up to
 * SR_CHANGE_RETRIES times with a pause of a few milliseconds between tries; any other change
 * fails with *conflict = 1 at once: what the user decided was based on what they saw.
 * SR_CH_TICK writes nothing when nothing is due (reloading finds a level already raised:
 * each level is recorded exactly once). Returns 0 or -1 with *err.
 */
/*
 * 1 when op's meaning does not depend on the incident's state (an append: note, checklist
 * tick, alert link, update sent, escalation tick), so applying it to a newer version is what
 * the user asked for; 0 for status, severity, resolve, close, assignments and fields.
 */
int sr_change_commutes(enum sr_change_op op);

#define SR_CHANGE_RETRIES 64

int sr_change_commit(struct sr_store *st, const char *id, const struct sr_change *ch,
		     const struct sr_config *cfg, const char *actor, sr_time now,
		     struct sr_incident *out, struct sr_event_list *ev, int *conflict, char **err);

/* A new incident as a front end asks for it. */
struct sr_new_incident {
	const char *title;
	const char *service;	/* or NULL */
	const char *impact;	/* or NULL */
	enum sr_sev sev;
	const char *alert;	/* fingerprint of an alert to link at once, or NULL */
	const char *alert_what;	/* what that alert is ("HighErrorRate{service=\"api\"}") */
};

/*
 * Opens incident n by actor at now and stores it (its id is given by the store). out
 * (initialised by the caller) receives it and ev (or NULL) its events. Returns 0; -2 with *err
 * when n is not a valid incident (empty title...: nothing is stored); -1 with *err when the
 * store fails.
 */
int sr_change_create(struct sr_store *st, const struct sr_new_incident *n, const char *actor,
		     sr_time now, struct sr_incident *out, struct sr_event_list *ev, char **err);

/*
 * Records the escalations due at now (sr_incident_tick_due) and the acknowledgement
 * reminders due (sr_incident_ack_remind, by each acknowledged incident's timeline) on each
 * incident of l, one SR_CH_TICK commit each; every event recorded is appended to ev (or dropped when NULL).
 * Returns how many incidents were ticked, or -1 with *err (the first failure; the others are
 * still tried).
 */
int sr_change_tick_due(struct sr_store *st, const struct sr_incident_list *l,
		       const struct sr_config *cfg, sr_time now, struct sr_event_list *ev,
		       char **err);

#endif
