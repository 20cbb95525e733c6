/* SPDX-License-Identifier: MIT */
/*
 * ack.h: acknowledging an alert as a short silence, as karma does (Alertmanager has no
 * acknowledgement): the silence's comment, recognising such silences among the others, and
 * what a tick does with one (extend it while its incident is open and the alert fires,
 * expire it when the incident is resolved). Pure: the front ends do the HTTP.
 */
#ifndef SR_ACK_H
#define SR_ACK_H

#include "alertmgr.h"
#include "clock.h"

/*
 * The comment of an acknowledgement: fmt ([feeds] ack_comment) with {incident} and {user}
 * replaced; an empty incident also drops the space before it ("ACK! by alice"). Allocated.
 */
char *sr_ack_comment(const char *fmt, const char *incident, const char *user);
/*
 * Whether comment was written by fmt: 1 with *incident and *user allocated ("" when fmt has
 * no such field or it was empty), else 0 (both NULL).
 */
int sr_ack_parse(const char *fmt, const char *comment, char **incident, char **user);

/* One acknowledgement found among the silences. */
struct sr_ack {
	const struct sr_am_silence *silence;
	char *incident;		/* "" when the ack names none */
	char *user;
};
void sr_ack_done(struct sr_ack *a);

/* Sorts sil by silence ID, as sr_ack_of needs (one sort, then a lookup per alert). */
void sr_ack_index(struct sr_am_silences *sil);
/*
 * The acknowledgement of alert a: the first of its silences (a->silenced_by) that is in sil
 * (sorted by sr_ack_index), active and written by fmt. Returns 1 and fills out (free with
 * sr_ack_done; out->silence points into sil), else 0.
 */
int sr_ack_of(const struct sr_am_alert *a, const struct sr_am_silences *sil, const char *fmt,
	      sr_time now, struct sr_ack *out);
/*
 * What it says in an alerts list: "acked by alice (INC-2026-005)", or "acked by alice".
 * Allocated; sanitise before printing (the user and incident come from the Alertmanager).
 */
char *sr_ack_text(const struct sr_ack *a);

/* What a tick does with one acknowledgement silence. */
enum sr_ack_step {
	SR_ACK_KEEP,	/* nothing to do */
	SR_ACK_EXTEND,	/* end it at now + ack_for */
	SR_ACK_EXPIRE,	/* the incident is over: end it now */
};
/*
 * incident_open: its incident is neither resolved nor closed; firing: the alert it silences
 * is still reported (not resolved). An alert that stopped firing is left to run out, never
 * extended (nor acknowledged again); a firing one is extended once less than half of ack_for
 * is left, so a tick every interval shorter than that keeps it acknowledged.
 */
enum sr_ack_step sr_ack_step(const struct sr_am_silence *s, int incident_open, int firing,
			     sr_time now, int64_t ack_for);

/* One thing a tick does: step for silence sil->v[silence] of incident (allocated). */
struct sr_ack_plan_item {
	size_t silence;
	enum sr_ack_step step;	/* SR_ACK_EXTEND or SR_ACK_EXPIRE */
	char *incident;
};

/*
 * Answers 1 when incident id is open, 0 when it is over, -1 when unknown (its
 * acknowledgements are left alone: another team's store, say).
 */
typedef int (*sr_ack_incident_fn)(void *arg, const char *id);

/*
 * What a tick does with one Alertmanager's acknowledgements: for each silence of sil (as
 * answered) written by fmt and naming an incident, its sr_ack_step, where "firing" means an
 * alert of al (as answered, not resolved at now) lists that silence in silenced_by. Each
 * incident is asked about once. Returns the number of items (only EXTEND and EXPIRE) in *out
 * (free with sr_ack_plan_free). Cost: O((silences + alerts) log) plus one question per
 * incident.
 */
size_t sr_ack_plan(const struct sr_am_silences *sil, const struct sr_am_alerts *al,
		   const char *fmt, sr_ack_incident_fn incident_open, void *arg, sr_time now,
		   int64_t ack_for, struct sr_ack_plan_item **out);
void sr_ack_plan_free(struct sr_ack_plan_item *v, size_t n);
/*
 * The body that extends acknowledgement s to now + ack_for: the same silence (its ID,
 * matchers, start, author and comment) with the new end, for POST /api/v2/silences. Allocated.
 */
char *sr_ack_extend_body(const struct sr_am_silence *s, sr_time now, int64_t ack_for);
/*
 * How often a running console plans its acknowledgements: a sixth of ack_for (so an ack
 * found with half left is extended well before it ends), between 5 s and 60 s.
 */
int64_t sr_ack_tick_every(int64_t ack_for);

#endif
