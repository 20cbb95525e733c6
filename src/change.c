/* SPDX-License-Identifier: MIT */
/* change.c: load → due escalations → change → store, shared by the CLI and the TUI. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "change.h"
#include "oncall.h"
#include "util.h"

int
sr_change_apply(struct sr_incident *inc, const struct sr_change *ch,
		const struct sr_config *cfg, const char *who, sr_time now,
		struct sr_event_list *ev, char **err)
{
	enum sr_status st;
	enum sr_sev sev;
	enum sr_role role;
	enum sr_action_kind kind = SR_AK_PREVENT;

	switch (ch->op) {
	case SR_CH_TICK:
		return 0;	/* sr_change_commit already recorded what was due */
	case SR_CH_ACK:
		return sr_incident_ack(inc, who, now, ev, err);
	case SR_CH_STATUS:
		if (sr_status_parse(ch->a ? ch->a : "", &st, err) != 0)
			return -1;
		return sr_incident_set_status(inc, st, who, now, ev, err);
	case SR_CH_SEV:
		if (sr_sev_parse(ch->a ? ch->a : "", &sev, err) != 0)
			return -1;
		return sr_incident_set_sev(inc, sev, who, now, ev, err);
	case SR_CH_NOTE:
		return sr_incident_note(inc, ch->a, who, now, ev, err);
	case SR_CH_ESCALATE:
		return sr_incident_escalate(inc, 1, cfg, who, now, ev, err);
	case SR_CH_DEESCALATE:
		return sr_incident_escalate(inc, -1, cfg, who, now, ev, err);
	case SR_CH_ASSIGN:
		if (sr_role_parse(ch->a ? ch->a : "", &role, err) != 0)
			return -1;
		return sr_incident_assign(inc, role, ch->b, who, now, ev, err);
	case SR_CH_FIELD:
		return sr_incident_set_field(inc, ch->a ? ch->a : "", ch->b, who, now, ev, err);
	case SR_CH_RESOLVE:
		return sr_incident_resolve(inc, ch->a, ch->b, who, now, ev, err);
	case SR_CH_CLOSE:
		return sr_incident_close(inc, who, now, ev, err);
	case SR_CH_LINK:
		return sr_incident_link_alert(inc, ch->a, ch->b, who, now, ev, err);
	case SR_CH_UPDATE_SENT:
		return sr_incident_update_sent_text(inc, ch->a, ch->b, who, now, ev, err);
	case SR_CH_CHECK:
		return sr_incident_check_item(inc, ch->a, ch->n, ch->b, ch->done, who, now, ev, err);
	case SR_CH_ACTION:
		if (ch->c != NULL && sr_action_kind_parse(ch->c, &kind, err) != 0)
			return -1;
		return sr_incident_action_add(inc, ch->a, ch->b, ch->t, kind, who, now, ev, err);
	case SR_CH_ACTION_DONE:
		return sr_incident_action_done(inc, ch->id, who, now, ev, err);
	}
	return sr_err(err, "internal error: unknown change %d", (int)ch->op);
}

/*
 * The clock may go backwards (a VM restored, NTP stepping, a laptop's wrong time). A new event
 * is never stamped earlier than the incident's last one, or the timeline would read
 * "acknowledged" before "created": *at becomes that later time, and a note from sitrep says
 * the clock was behind and by how much (past CLOCK_SLACK). Ticks do not load the timeline
 * (they run every few seconds for every open incident); their escalations are stamped when
 * each became due.
 */
#define CLOCK_SLACK 60	/* seconds behind that are no clock problem */

static int
not_before_last(struct sr_store *st, const struct sr_incident *inc, const struct sr_change *ch,
		sr_time now, sr_time *at, int *noted, struct sr_event_list *ev, char **err)
{
	const sr_time known[] = { inc->created_at, inc->acked_at, inc->resolved_at,
				  inc->closed_at, inc->last_update_at };
	struct sr_event_list past = { 0 };
	sr_time last = 0;
	char dur[24];

	*at = now;
	*noted = 0;
	for (size_t i = 0; i < SR_ARRAY_LEN(known); i++)
		if (known[i] > last)
			last = known[i];
	if (ch->op != SR_CH_TICK) {
		if (st->ops->events(st, inc->id, &past, err) != 0)
			return -1;
		for (size_t i = 0; i < past.n; i++)
			if (past.v[i].at > last)
				last = past.v[i].at;
		sr_event_list_done(&past);
	}
	if (last <= now)
		return 0;
	*at = last;
	/* a few seconds behind is a concurrent writer's commit landing between our clock read
	 * and our write (a retried note), not a wrong clock: stamped later, without a note */
	if (last - now <= CLOCK_SLACK)
		return 0;
	*noted = 1;
	sr_event_list_add(ev, last, "sitrep", SR_EV_NOTE,
			  "the clock here is %s behind this incident's last event: what follows "
			  "is stamped at that event's time", sr_duration_format(last - now, dur,
										sizeof(dur)));
	return 0;
}

int
sr_change_commutes(enum sr_change_op op)
{
	switch (op) {
	case SR_CH_TICK:	/* reloading finds the level raised: each level once */
	case SR_CH_NOTE:
	case SR_CH_CHECK:	/* the item is ticked or not, whatever else changed */
	case SR_CH_LINK:
	case SR_CH_UPDATE_SENT:
		return 1;
	default:
		return 0;	/* status, severity, resolve...: decided on what the user saw */
	}
}

/* Changes that are themselves work on an incident: no acknowledgement reminder before them. */
static int
work_change(enum sr_change_op op)
{
	switch (op) {
	case SR_CH_ACK:
	case SR_CH_STATUS:
	case SR_CH_SEV:
	case SR_CH_NOTE:
	case SR_CH_UPDATE_SENT:
	case SR_CH_ESCALATE:
	case SR_CH_RESOLVE:
	case SR_CH_CLOSE:
		return 1;
	default:
		return 0;
	}
}

/*
 * Whether inc's acknowledgement timeout has run out at now, by its stored timeline (read into
 * tl only when the incident alone says it may have; the caller frees tl).
 */
static int
reminder_due(struct sr_store *st, const struct sr_incident *inc, const struct sr_config *cfg,
	     sr_time now, struct sr_event_list *tl)
{
	char *e = NULL;
	sr_time at;

	if (!sr_incident_ack_maybe_due(inc, cfg, now) || st->ops->events == NULL)
		return 0;
	if (st->ops->events(st, inc->id, tl, &e) != 0) {
		free(e);	/* an unreadable timeline reminds nobody: the next tick tries again */
		return 0;
	}
	at = sr_incident_ack_timeout_at(inc, cfg, tl->v, tl->n);
	return at != 0 && at <= now;
}

/*
 * After the k-th conflict in a row, waits a little (k ms, at most 16, plus up to as much
 * again from the pid) so that writers that collided do not collide again in step. Only a
 * conflict waits: a change that meets none never sleeps.
 */
static void
conflict_pause(int k)
{
	long ms = k < 16 ? k : 16;
	struct timespec ts;

	ms += (long)(getpid() % (ms + 1));
	ts.tv_sec = 0;
	ts.tv_nsec = ms * 1000000L;
	nanosleep(&ts, NULL);
}

int
sr_change_commit(struct sr_store *st, const char *id, const struct sr_change *ch,
		 const struct sr_config *cfg, const char *actor, sr_time now,
		 struct sr_incident *out, struct sr_event_list *evout, int *conflict, char **err)
{
	int attempts = sr_change_commutes(ch->op) ? SR_CHANGE_RETRIES : 1;
	struct sr_override_list ov;

	if (conflict != NULL)
		*conflict = 0;
	/*
	 * Escalations record who was on call in a level's rotation, overrides included. An
	 * escalation due since long ago may look back up to the longest escalation wait; a
	 * store that cannot list them leaves the schedule alone to answer.
	 */
	sr_override_list_init(&ov);
	for (int l = 0; l < SR_LEVEL_COUNT; l++) {
		if (cfg->level[l].rotation != NULL && st->ops->override_list != NULL) {
			char *oe = NULL;

			if (st->ops->override_list(st, NULL, 0, INT64_MAX, &ov, &oe) != 0)
				sr_override_list_done(&ov);
			free(oe);
			break;
		}
	}
	for (int i = 0; i < attempts; i++) {
		struct sr_incident inc;
		struct sr_event_list ev = { 0 };
		char *e = NULL;
		int c = 0, rc;
		sr_time at = now;
		int noted = 0;

		sr_incident_init(&inc);
		rc = st->ops->get(st, id, &inc, &e);
		if (rc == 0)
			rc = not_before_last(st, &inc, ch, now, &at, &noted, &ev, &e);
		if (rc == 0) {
			struct sr_event_list tl = { 0 };

			sr_incident_tick_oncall(&inc, cfg, ov.v, ov.n, at, &ev);
			if (!work_change(ch->op) && reminder_due(st, &inc, cfg, at, &tl))
				sr_incident_ack_remind(&inc, cfg, tl.v, tl.n, ov.v, ov.n, at, &ev);
			sr_event_list_done(&tl);
			if (ch->op == SR_CH_ESCALATE || ch->op == SR_CH_DEESCALATE)
				rc = sr_incident_escalate_oncall(&inc, ch->op == SR_CH_ESCALATE ? 1 : -1,
								 cfg, ov.v, ov.n, actor, at, &ev,
								 &e);
			else
				rc = sr_change_apply(&inc, ch, cfg, actor, at, &ev, &e);
		}
		if (rc == 0 && ch->op == SR_CH_TICK && noted && ev.n == 1) {
			/* a tick that found nothing due writes nothing, not even the clock note */
			sr_event_list_done(&ev);
			memset(&ev, 0, sizeof(ev));
		}
		if (rc == 0 && ev.n > 0)
			rc = st->ops->update(st, &inc, &ev, &c, &e);
		if (rc == 0 || !c || i + 1 == attempts) {
			if (rc != 0) {
				if (conflict != NULL)
					*conflict = c;
				if (err != NULL && *err == NULL)
					*err = e;
				else
					free(e);
				sr_incident_done(&inc);
				sr_event_list_done(&ev);
				sr_override_list_done(&ov);
				return -1;
			}
			if (out != NULL) {
				sr_incident_done(out);
				*out = inc;
			} else {
				sr_incident_done(&inc);
			}
			if (evout != NULL) {
				sr_event_list_done(evout);
				*evout = ev;
			} else {
				sr_event_list_done(&ev);
			}
			sr_override_list_done(&ov);
			return 0;
		}
		free(e);	/* a change that commutes met a conflict: reload and apply again */
		sr_incident_done(&inc);
		sr_event_list_done(&ev);
		conflict_pause(i + 1);
	}
	sr_override_list_done(&ov);
	return sr_err(err, "%s: gave up after %d conflicts", id, attempts);
}

int
sr_change_create(struct sr_store *st, const struct sr_new_incident *n, const char *actor,
		 sr_time now, struct sr_incident *out, struct sr_event_list *ev, char **err)
{
	struct sr_event_list mine = { 0 };
	struct sr_event_list *e = ev != NULL ? ev : &mine;
	int rc = -2;

	if (sr_incident_new(out, n->title, n->service, n->sev, n->impact, actor, now, e, err) ==
		    0 &&
	    (n->alert == NULL ||
	     sr_incident_link_alert(out, n->alert, n->alert_what, actor, now, e, err) == 0))
		rc = st->ops->create(st, out, e, err) == 0 ? 0 : -1;
	sr_event_list_done(&mine);
	return rc;
}

/* Moves every event of from to the end of to (from is left empty). */
static void
events_move(struct sr_event_list *to, struct sr_event_list *from)
{
	if (to != NULL && from->n > 0) {
		to->v = sr_xgrow(to->v, &to->cap, to->n + from->n, sizeof(*to->v));
		memcpy(to->v + to->n, from->v, from->n * sizeof(*from->v));
		to->n += from->n;
		from->n = 0;
	}
	sr_event_list_done(from);
}

int
sr_change_tick_due(struct sr_store *st, const struct sr_incident_list *l,
		   const struct sr_config *cfg, sr_time now, struct sr_event_list *ev,
		   char **err)
{
	const struct sr_change tick = { .op = SR_CH_TICK };
	int ticked = 0, failed = 0;

	for (size_t i = 0; i < l->n; i++) {
		struct sr_event_list got = { 0 };
		char *e = NULL;
		struct sr_event_list tl = { 0 };
		int due = sr_incident_tick_due(&l->v[i], cfg, now) ||
			  reminder_due(st, &l->v[i], cfg, now, &tl);

		sr_event_list_done(&tl);
		if (!due)
			continue;
		/* conflicts are retried inside: each level is recorded once, whoever wins */
		if (sr_change_commit(st, l->v[i].id, &tick, cfg, "sitrep", now, NULL, &got, NULL,
				     &e) != 0) {
			if (!failed)
				*err = e;
			else
				free(e);
			failed = 1;
			continue;
		}
		ticked++;
		events_move(ev, &got);
	}
	return failed ? -1 : ticked;
}
