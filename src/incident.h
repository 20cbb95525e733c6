/* SPDX-License-Identifier: MIT */
/* incident.h: the incident model, its lifecycle state machine, SLA timers and escalation. */
#ifndef SR_INCIDENT_H
#define SR_INCIDENT_H

#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "util.h"
#include "config.h"

enum sr_status {
	SR_ST_TRIGGERED,
	SR_ST_ACKNOWLEDGED,
	SR_ST_INVESTIGATING,
	SR_ST_IDENTIFIED,
	SR_ST_MONITORING,
	SR_ST_RESOLVED,
	SR_ST_CLOSED,
};
#define SR_STATUS_COUNT 7
const char *sr_status_name(enum sr_status s);
int sr_status_parse(const char *s, enum sr_status *out, char **err);

enum sr_role { SR_ROLE_COMMANDER, SR_ROLE_COMMS, SR_ROLE_SCRIBE };
#define SR_ROLE_COUNT 3
const char *sr_role_name(enum sr_role r);	/* "commander", "comms", "scribe" */
int sr_role_parse(const char *s, enum sr_role *out, char **err);

/* Timeline event kinds; the names are stored in the database and printed in --json. */
#define SR_EVENT_KINDS(X)            \
	X(CREATED, "created")        \
	X(ACKNOWLEDGED, "acknowledged") \
	X(STATUS, "status")          \
	X(SEVERITY, "severity")      \
	X(ESCALATED, "escalated")    \
	X(DEESCALATED, "deescalated") \
	X(NOTE, "note")              \
	X(ROLE, "role")              \
	X(FIELD, "field")            \
	X(ALERT_LINKED, "alert_linked") \
	X(ALERT_EVENT, "alert")      \
	X(CHECKLIST, "checklist")    \
	X(UPDATE_SENT, "update_sent") \
	X(RESOLVED, "resolved")      \
	X(CLOSED, "closed")          \
	X(ACTION, "action")          \
	X(REMINDER, "reminder")

enum sr_event_kind {
#define X(id, name) SR_EV_##id,
	SR_EVENT_KINDS(X)
#undef X
};
const char *sr_event_kind_name(enum sr_event_kind k);
int sr_event_kind_parse(const char *s, enum sr_event_kind *out);

/*
 * Post-mortem review fields, besides impact, root cause and resolution. They can be set after
 * the incident is closed (the review comes later); review_at holds an RFC 3339 time.
 */
#define SR_REVIEW_FIELDS(X)          \
	X(SUMMARY, "summary")        \
	X(TRIGGER, "trigger")        \
	X(DETECTION, "detection")    \
	X(WENT_WELL, "went_well")    \
	X(WENT_WRONG, "went_wrong")  \
	X(LUCKY, "lucky")            \
	X(REVIEW_AT, "review_at")

enum sr_review {
#define X(id, name) SR_RV_##id,
	SR_REVIEW_FIELDS(X)
#undef X
	SR_REVIEW_COUNT
};
const char *sr_review_name(enum sr_review f);
/* Parses a review field name ('-' or '_' both work); returns 0 or -1. */
int sr_review_parse(const char *s, enum sr_review *out);

/* What an action item does about the next incident (the SRE book's categories). */
enum sr_action_kind { SR_AK_PREVENT, SR_AK_MITIGATE, SR_AK_DETECT, SR_AK_PROCESS };
#define SR_ACTION_KIND_COUNT 4
const char *sr_action_kind_name(enum sr_action_kind k);
int sr_action_kind_parse(const char *s, enum sr_action_kind *out, char **err);

#define SR_ID_MAX 24	/* "INC-2026-001" .. "INC-2026-99999999" fits */

struct sr_incident {
	char id[SR_ID_MAX];	/* set by the store on creation */
	int year;
	int64_t seq;
	char *title, *service, *impact, *root_cause, *resolution;
	enum sr_sev sev;
	enum sr_status status;
	int level;		/* 0..3 = L1..L4 */
	char *roles[SR_ROLE_COUNT];
	char **alerts;		/* linked alert fingerprints */
	size_t n_alerts;
	sr_time created_at, acked_at, resolved_at, closed_at;
	sr_time last_update_at;	/* last status update sent, 0 = none */
	int64_t version;	/* optimistic concurrency: bumped by every change */
	char *review[SR_REVIEW_COUNT];	/* NULL = not written yet */
	struct sr_action *actions;	/* action items, oldest first (not filled by list) */
	size_t n_actions;
};

/* An action item of a post-mortem. */
struct sr_action {
	int64_t id;		/* store row id, 0 before stored */
	char incident[SR_ID_MAX];
	char *text, *owner;
	enum sr_action_kind kind;
	sr_time due, created_at;
	sr_time done_at;	/* 0 = open */
	char *done_by;
	int dirty;		/* changed in memory: the next update writes it */
};

struct sr_action_list {
	struct sr_action *v;
	size_t n, cap;
};
void sr_action_done(struct sr_action *a);
void sr_action_copy(struct sr_action *dst, const struct sr_action *src);
void sr_action_list_done(struct sr_action_list *l);
struct sr_action *sr_action_list_push(struct sr_action_list *l);

struct sr_event {
	int64_t id;		/* store row id, 0 before stored */
	char incident[SR_ID_MAX];
	sr_time at;
	char *actor;
	enum sr_event_kind kind;
	char *detail;		/* human-readable: "status investigating -> identified" */
};

/*
 * A store reading a list skips a row it cannot trust (a status no sitrep writes, a time
 * outside 0..SR_TIME_LIMIT, a value of the wrong type) instead of failing the whole read, and
 * says so in skipped: one message naming each skipped row ("incident INC-2026-003: invalid
 * status \"bogus\""), or NULL. Freed by the list's _done.
 */
struct sr_incident_list {
	struct sr_incident *v;
	size_t n, cap;
	char *skipped;
};

struct sr_event_list {
	struct sr_event *v;
	size_t n, cap;
	char *skipped;
	struct sr_block *pool;	/* see sr_event_list_pack; NULL: each string on its own */
};

/* The latest time a stored row may hold: 9999-12-31T23:59:59Z (sums with it cannot overflow). */
#define SR_TIME_LIMIT INT64_C(253402300799)

/* Adds msg (taken) to *skipped, "; " between messages. */
void sr_skipped_add(char **skipped, char *msg);

void sr_incident_init(struct sr_incident *inc);
void sr_incident_done(struct sr_incident *inc);
void sr_incident_copy(struct sr_incident *dst, const struct sr_incident *src);
void sr_incident_list_done(struct sr_incident_list *l);
/* Appends an empty (initialised) incident and returns it. */
struct sr_incident *sr_incident_list_push(struct sr_incident_list *l);

void sr_event_done(struct sr_event *ev);
void sr_event_list_done(struct sr_event_list *l);
/*
 * Makes the empty list l keep the actor and detail of the events added from now on in blocks
 * of its own (an actor the same as the event before's is shared) instead of one allocation
 * each: a long timeline read to be read only (an export) costs about half the memory. The
 * strings of such a list must not be freed or replaced one by one: drop events with
 * sr_event_list_drop, and sr_event_list_done frees all.
 */
void sr_event_list_pack(struct sr_event_list *l);
/* Removes (and frees) the events from index from on. */
void sr_event_list_drop(struct sr_event_list *l, size_t from);
/* Appends an event (detail formatted) and returns it; actor and detail are copied. */
struct sr_event *sr_event_list_add(struct sr_event_list *l, sr_time at, const char *actor,
				   enum sr_event_kind kind, const char *fmt, ...) SR_PRINTF(5, 6);

/* Open = neither resolved nor closed. */
int sr_incident_is_open(const struct sr_incident *inc);

/* --- timers: pure functions of (incident, policy, now) --- */

struct sr_deadline {
	sr_time due;	/* 0 when the clock does not apply */
	int64_t left;	/* seconds left (negative: overdue); frozen when the clock stopped */
	int running;	/* the clock is still running */
	int breached;	/* due passed before the clock stopped (or now, while running) */
};

struct sr_timers {
	struct sr_deadline respond;	/* stops at acknowledgement */
	struct sr_deadline resolve;	/* stops at resolution */
	struct sr_deadline update;	/* next status update, while open */
	int due_level;			/* sr_incident_level_now (0..3) */
	sr_time next_escalation;	/* when the next level is due, 0 = none */
};

void sr_incident_timers(const struct sr_incident *inc, const struct sr_config *cfg, sr_time now,
			struct sr_timers *out);

/* --- lifecycle: each validates, changes inc in memory and appends the events to record --- */
/* All return 0, or -1 with *err naming the incident and why, leaving inc unchanged. */

/* Fills a new incident (status triggered, level L1) and its "created" event. */
int sr_incident_new(struct sr_incident *inc, const char *title, const char *service,
		    enum sr_sev sev, const char *impact, const char *actor, sr_time now,
		    struct sr_event_list *ev, char **err);
int sr_incident_ack(struct sr_incident *inc, const char *actor, sr_time now,
		    struct sr_event_list *ev, char **err);
int sr_incident_set_status(struct sr_incident *inc, enum sr_status st, const char *actor,
			   sr_time now, struct sr_event_list *ev, char **err);
int sr_incident_set_sev(struct sr_incident *inc, enum sr_sev sev, const char *actor, sr_time now,
			struct sr_event_list *ev, char **err);
int sr_incident_note(struct sr_incident *inc, const char *text, const char *actor, sr_time now,
		     struct sr_event_list *ev, char **err);
int sr_incident_assign(struct sr_incident *inc, enum sr_role role, const char *name,
		       const char *actor, sr_time now, struct sr_event_list *ev, char **err);
/*
 * Sets impact ("impact"), root cause ("cause") or resolution ("resolution"), or a review
 * field (sr_review_parse; allowed on a closed incident too, review_at must be a time).
 */
int sr_incident_set_field(struct sr_incident *inc, const char *field, const char *value,
			  const char *actor, sr_time now, struct sr_event_list *ev, char **err);
/* Manual escalation: delta +1 or -1. */
int sr_incident_escalate(struct sr_incident *inc, int delta, const struct sr_config *cfg,
			 const char *actor, sr_time now, struct sr_event_list *ev, char **err);
/*
 * The same, where a level naming a rotation records who was on call then with the on-call
 * overrides ov laid over its schedule (sr_incident_escalate: the schedule alone).
 */
struct sr_override;
int sr_incident_escalate_oncall(struct sr_incident *inc, int delta, const struct sr_config *cfg,
				const struct sr_override *ov, size_t n_ov, const char *actor,
				sr_time now, struct sr_event_list *ev, char **err);
int sr_incident_link_alert(struct sr_incident *inc, const char *fingerprint, const char *what,
			   const char *actor, sr_time now, struct sr_event_list *ev, char **err);
int sr_incident_update_sent(struct sr_incident *inc, const char *channel, const char *actor,
			    sr_time now, struct sr_event_list *ev, char **err);
/* The same, recording the text of the update too (text NULL: none). */
int sr_incident_update_sent_text(struct sr_incident *inc, const char *channel, const char *text,
				 const char *actor, sr_time now, struct sr_event_list *ev,
				 char **err);
int sr_incident_check_item(struct sr_incident *inc, const char *runbook, int item,
			   const char *text, int done, const char *actor, sr_time now,
			   struct sr_event_list *ev, char **err);
/* Adds an action item (open, id 0 until stored); allowed on a closed incident. */
int sr_incident_action_add(struct sr_incident *inc, const char *text, const char *owner,
			   sr_time due, enum sr_action_kind kind, const char *actor, sr_time now,
			   struct sr_event_list *ev, char **err);
/* Marks action item id of inc done; fails when unknown or already done. */
int sr_incident_action_done(struct sr_incident *inc, int64_t id, const char *actor, sr_time now,
			    struct sr_event_list *ev, char **err);
int sr_incident_resolve(struct sr_incident *inc, const char *cause, const char *resolution,
			const char *actor, sr_time now, struct sr_event_list *ev, char **err);
int sr_incident_close(struct sr_incident *inc, const char *actor, sr_time now,
		      struct sr_event_list *ev, char **err);

/*
 * Automatic escalation: when inc is unacknowledged and past the wait for a higher level,
 * raises inc->level to the level due (one event per level crossed, each at the moment it
 * became due) and returns 1; returns 0 when nothing is due. Never fails.
 */
int sr_incident_tick(struct sr_incident *inc, const struct sr_config *cfg, sr_time now,
		     struct sr_event_list *ev);
/*
 * The level inc stands at now, the one both front ends show: its stored level, or the higher
 * level its escalation policy has made due while it stays unacknowledged (what the next
 * sr_incident_tick records). Same as sr_incident_timers' due_level.
 */
int sr_incident_level_now(const struct sr_incident *inc, const struct sr_config *cfg, sr_time now);
/* sr_incident_tick with on-call overrides (see sr_incident_escalate_oncall). */
int sr_incident_tick_oncall(struct sr_incident *inc, const struct sr_config *cfg,
			    const struct sr_override *ov, size_t n_ov, sr_time now,
			    struct sr_event_list *ev);
/* True when sr_incident_tick would raise inc's level at now: the one "due for a tick" rule. */
int sr_incident_tick_due(const struct sr_incident *inc, const struct sr_config *cfg, sr_time now);

/*
 * --- acknowledgement timeout ---
 * An acknowledged incident (acknowledged and still open) that goes its severity's
 * ack_timeout without a sign of work gets a reminder. Signs of work are the events
 * ACKNOWLEDGED, STATUS, SEVERITY, NOTE, UPDATE_SENT, ESCALATED and an earlier REMINDER (so one
 * reminder per timeout, not one per tick).
 */

/*
 * When the next reminder of inc is due, given its timeline tl (n events, any order; those
 * of other incidents are ignored): the last sign of work (acked_at at the earliest) plus
 * ack_timeout. 0 when none applies: not acknowledged, not open, or ack_timeout is 0.
 */
sr_time sr_incident_ack_timeout_at(const struct sr_incident *inc, const struct sr_config *cfg,
				   const struct sr_event *tl, size_t n);
/*
 * True when a reminder may be due at now without reading the timeline (acknowledged, open,
 * ack_timeout set and acked_at + ack_timeout <= now): the cheap filter before loading it.
 */
int sr_incident_ack_maybe_due(const struct sr_incident *inc, const struct sr_config *cfg,
			      sr_time now);
/*
 * When a reminder is due at now (sr_incident_ack_timeout_at <= now): appends a REMINDER
 * event stamped now ("no update for 30m since ...") and, with the severity's
 * ack_timeout_escalate, escalates one level (below L4; the event names who is on call with
 * the overrides ov). Returns 1 when a reminder was raised, else 0. Never fails.
 */
int sr_incident_ack_remind(struct sr_incident *inc, const struct sr_config *cfg,
			   const struct sr_event *tl, size_t n, const struct sr_override *ov,
			   size_t n_ov, sr_time now, struct sr_event_list *ev);

#endif
