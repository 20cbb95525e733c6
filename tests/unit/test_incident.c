/* SPDX-License-Identifier: MIT */
/* test_incident.c: lifecycle transitions, timers at their boundaries, escalation exactly once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incident.h"

#define T0 ((sr_time)1795403520) /* 2026-11-23T03:12:00Z */
#define MIN 60

static struct sr_config cfg;

static int
setup(void **state)
{
	(void)state;
	sr_config_init(&cfg);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	sr_config_done(&cfg);
	return 0;
}

/* A refusal's message holds text; err is freed for the next call. */
static void
refused(char **err, const char *text)
{
	assert_non_null(*err);
	assert_non_null(strstr(*err, text));
	free(*err);
	*err = NULL;
}

/* The end of a step: its events and the incident freed. */
static void
done(struct sr_incident *inc, struct sr_event_list *ev)
{
	sr_event_list_done(ev);
	sr_incident_done(inc);
}

static void
make(struct sr_incident *inc, enum sr_sev sev)
{
	struct sr_event_list ev = { 0 };
	char *err = NULL;

	assert_int_equal(sr_incident_new(inc, "Checkout 5xx", "checkout", sev, NULL, "alice", T0,
					 &ev, &err), 0);
	snprintf(inc->id, sizeof(inc->id), "INC-2026-001");
	assert_int_equal(ev.n, 1);
	assert_int_equal(ev.v[0].kind, SR_EV_CREATED);
	sr_event_list_done(&ev);
}

/* An action item: every field set, the incident's id copied, one event; each refusal. */
static void
test_action_add(void **state)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char *err = NULL;
	struct sr_action *a;

	(void)state;
	make(&inc, SR_SEV_P2);
	assert_int_equal(sr_incident_action_add(&inc, "add a canary", "bob", T0 + 86400,
						SR_AK_DETECT, "alice", T0 + 5, &ev, &err), 0);
	assert_int_equal(inc.n_actions, 1);
	a = &inc.actions[0];
	assert_string_equal(a->incident, "INC-2026-001");
	assert_string_equal(a->text, "add a canary");
	assert_string_equal(a->owner, "bob");
	assert_int_equal(a->kind, SR_AK_DETECT);
	assert_int_equal(a->due, T0 + 86400);
	assert_int_equal(a->created_at, T0 + 5);
	assert_int_equal(a->done_at, 0);
	assert_int_equal(a->dirty, 1);
	assert_int_equal(ev.n, 1);
	assert_int_equal(ev.v[0].kind, SR_EV_ACTION);
	assert_int_equal(ev.v[0].at, T0 + 5);
	assert_string_equal(ev.v[0].actor, "alice");
	assert_non_null(strstr(ev.v[0].detail, "action added (detect, owner bob, due "));
	assert_non_null(strstr(ev.v[0].detail, "): add a canary"));
	assert_int_equal(sr_incident_action_add(&inc, "", "bob", T0 + 1, SR_AK_DETECT, "a", T0, &ev,
						&err), -1);
	free(err);
	err = NULL;
	assert_int_equal(sr_incident_action_add(&inc, "x", "", T0 + 1, SR_AK_DETECT, "a", T0, &ev,
						&err), -1);
	free(err);
	err = NULL;
	assert_int_equal(sr_incident_action_add(&inc, "x", "bob", T0 + 1,
						(enum sr_action_kind)SR_ACTION_KIND_COUNT, "a", T0,
						&ev, &err), -1);
	refused(&err, "bad action kind");
	assert_int_equal(sr_incident_action_add(&inc, "x", "bob", 0, SR_AK_DETECT, "a", T0, &ev,
						&err), -1);
	refused(&err, "due date");
	assert_string_equal(sr_action_kind_name(SR_AK_PROCESS), "process");
	assert_string_equal(sr_action_kind_name((enum sr_action_kind)SR_ACTION_KIND_COUNT), "?");
	/* the last kind is one */
	err = NULL;
	assert_int_equal(sr_incident_action_add(&inc, "y", "cy", 1, SR_AK_PROCESS, "a", T0, &ev,
						&err), 0);
	assert_int_equal(inc.n_actions, 2);
	assert_int_equal(ev.n, 2);
	done(&inc, &ev);
}

/* Brings a new P1 incident to status st through the normal path. */
static void
make_at(struct sr_incident *inc, enum sr_status st)
{
	struct sr_event_list ev = { 0 };
	char *err = NULL;

	make(inc, SR_SEV_P1);
	if (st >= SR_ST_ACKNOWLEDGED)
		assert_int_equal(sr_incident_ack(inc, "a", T0 + 60, &ev, &err), 0);
	if (st >= SR_ST_INVESTIGATING && st <= SR_ST_MONITORING)
		assert_int_equal(sr_incident_set_status(inc, st, "a", T0 + 120, &ev, &err), 0);
	if (st >= SR_ST_RESOLVED)
		assert_int_equal(sr_incident_resolve(inc, NULL, NULL, "a", T0 + 180, &ev, &err), 0);
	if (st == SR_ST_CLOSED)
		assert_int_equal(sr_incident_close(inc, "a", T0 + 240, &ev, &err), 0);
	assert_int_equal(inc->status, st);
	sr_event_list_done(&ev);
}

static void
test_new(void **state)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char *err = NULL;

	(void)state;
	make(&inc, SR_SEV_P2);
	assert_int_equal(inc.status, SR_ST_TRIGGERED);
	assert_int_equal(inc.level, 0);
	assert_int_equal(inc.created_at, T0);
	assert_int_equal(inc.year, 2026);
	assert_string_equal(inc.service, "checkout");
	sr_incident_done(&inc);

	assert_int_equal(sr_incident_new(&inc, "  ", NULL, SR_SEV_P1, NULL, "a", T0, &ev, &err),
			 -1);
	refused(&err, "title");
	assert_int_equal(sr_incident_new(&inc, "x", NULL, (enum sr_sev)7, NULL, "a", T0, &ev, &err),
			 -1);
	refused(&err, "severity");
	assert_int_equal(ev.n, 0);
}

/*
 * Every status x every target status: allowed ones change the status and add events;
 * refused ones fail with a message naming the incident and leave it and the event list as
 * they were.
 */
static void
test_status_matrix(void **state)
{
	/* ok[from][to] */
	static const int ok[SR_STATUS_COUNT][SR_STATUS_COUNT] = {
		/*                 T  A  I  Id M  R  C */
		[SR_ST_TRIGGERED] = { 0, 1, 1, 1, 1, 1, 0 },
		[SR_ST_ACKNOWLEDGED] = { 0, 0, 1, 1, 1, 1, 0 },
		[SR_ST_INVESTIGATING] = { 0, 0, 0, 1, 1, 1, 0 },
		[SR_ST_IDENTIFIED] = { 0, 0, 1, 0, 1, 1, 0 },
		[SR_ST_MONITORING] = { 0, 0, 1, 1, 0, 1, 0 },
		[SR_ST_RESOLVED] = { 0, 0, 1, 1, 1, 0, 1 },
		[SR_ST_CLOSED] = { 0, 0, 0, 0, 0, 0, 0 },
	};

	(void)state;
	for (int from = 0; from < SR_STATUS_COUNT; from++) {
		for (int to = 0; to < SR_STATUS_COUNT; to++) {
			struct sr_incident inc, before;
			struct sr_event_list ev = { 0 };
			char *err = NULL;
			int rc;

			make_at(&inc, (enum sr_status)from);
			sr_incident_copy(&before, &inc);
			rc = sr_incident_set_status(&inc, (enum sr_status)to, "bob", T0 + 600, &ev,
						    &err);
			if (ok[from][to]) {
				if (rc != 0)
					fail_msg("%s -> %s refused: %s",
						 sr_status_name((enum sr_status)from),
						 sr_status_name((enum sr_status)to), err);
				assert_int_equal(inc.status, to);
				assert_true(ev.n >= 1);
				assert_null(err);
			} else {
				if (rc == 0)
					fail_msg("%s -> %s allowed",
						 sr_status_name((enum sr_status)from),
						 sr_status_name((enum sr_status)to));
				assert_non_null(err);
				assert_non_null(strstr(err, "INC-2026-001"));
				assert_int_equal(ev.n, 0);
				assert_int_equal(inc.status, before.status);
				assert_int_equal(inc.acked_at, before.acked_at);
				assert_int_equal(inc.resolved_at, before.resolved_at);
				assert_int_equal(inc.closed_at, before.closed_at);
				free(err);
			}
			done(&inc, &ev);
			sr_incident_done(&before);
		}
	}
}

static void
test_ack_rules(void **state)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char *err = NULL;

	(void)state;
	make(&inc, SR_SEV_P1);
	assert_int_equal(sr_incident_ack(&inc, "alice", T0 + 240, &ev, &err), 0);
	assert_int_equal(inc.acked_at, T0 + 240);
	assert_int_equal(ev.v[0].kind, SR_EV_ACKNOWLEDGED);
	/* ack twice */
	assert_int_equal(sr_incident_ack(&inc, "alice", T0 + 300, &ev, &err), -1);
	assert_non_null(strstr(err, "already acknowledged"));
	assert_int_equal(inc.acked_at, T0 + 240);
	assert_int_equal(ev.n, 1);
	free(err);
	err = NULL;
	done(&inc, &ev);

	/* investigating straight from triggered acknowledges too (two events) */
	make(&inc, SR_SEV_P1);
	assert_int_equal(sr_incident_set_status(&inc, SR_ST_INVESTIGATING, "b", T0 + 60, &ev, &err),
			 0);
	assert_int_equal(inc.acked_at, T0 + 60);
	assert_int_equal(ev.n, 2);
	assert_int_equal(ev.v[0].kind, SR_EV_ACKNOWLEDGED);
	assert_int_equal(ev.v[1].kind, SR_EV_STATUS);
	done(&inc, &ev);
}

static void
test_resolve_close(void **state)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char *err = NULL;

	(void)state;
	make_at(&inc, SR_ST_INVESTIGATING);
	/* an empty resolution is refused before anything changes */
	assert_int_equal(sr_incident_resolve(&inc, "bad deploy", "", "a", T0 + 900, &ev, &err), -1);
	assert_null(inc.root_cause);
	assert_int_equal(inc.status, SR_ST_INVESTIGATING);
	free(err);
	err = NULL;
	sr_event_list_done(&ev);
	assert_int_equal(sr_incident_close(&inc, "a", T0 + 900, &ev, &err), -1);
	refused(&err, "resolve it before closing");
	assert_int_equal(sr_incident_resolve(&inc, "bad deploy", "rolled back", "a", T0 + 900, &ev,
					     &err), 0);
	assert_string_equal(inc.root_cause, "bad deploy");
	assert_string_equal(inc.resolution, "rolled back");
	assert_int_equal(inc.resolved_at, T0 + 900);
	assert_int_equal(ev.v[ev.n - 1].kind, SR_EV_RESOLVED);
	assert_int_equal(sr_incident_resolve(&inc, NULL, NULL, "a", T0 + 901, &ev, &err), -1);
	free(err);
	err = NULL;
	assert_int_equal(sr_incident_close(&inc, "a", T0 + 1000, &ev, &err), 0);
	assert_int_equal(inc.closed_at, T0 + 1000);
	/* resolve a closed incident; close twice; note, severity and roles on closed */
	assert_int_equal(sr_incident_resolve(&inc, NULL, NULL, "a", T0 + 1001, &ev, &err), -1);
	refused(&err, "closed");
	assert_int_equal(sr_incident_close(&inc, "a", T0 + 1001, &ev, &err), -1);
	refused(&err, "already closed");
	assert_int_equal(sr_incident_set_sev(&inc, SR_SEV_P2, "a", T0 + 1001, &ev, &err), -1);
	free(err);
	err = NULL;
	assert_int_equal(sr_incident_assign(&inc, SR_ROLE_SCRIBE, "x", "a", T0 + 1001, &ev, &err),
			 -1);
	free(err);
	err = NULL;
	/* notes stay possible: the post-mortem may add to the timeline */
	assert_int_equal(sr_incident_note(&inc, "follow-up filed", "a", T0 + 1002, &ev, &err), 0);
	done(&inc, &ev);
}

static void
test_fields_roles_links(void **state)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	enum sr_role role;
	char *err = NULL;

	(void)state;
	make(&inc, SR_SEV_P2);
	assert_int_equal(sr_role_parse("ic", &role, &err), 0);
	assert_int_equal(role, SR_ROLE_COMMANDER);
	assert_int_equal(sr_role_parse("captain", &role, &err), -1);
	refused(&err, "commander, comms, scribe");
	assert_int_equal(sr_incident_assign(&inc, SR_ROLE_COMMANDER, "dana", "a", T0, &ev, &err), 0);
	assert_int_equal(sr_incident_assign(&inc, SR_ROLE_COMMANDER, "dana", "a", T0, &ev, &err), -1);
	free(err);
	err = NULL;
	assert_int_equal(sr_incident_assign(&inc, SR_ROLE_COMMANDER, "sam", "a", T0, &ev, &err), 0);
	assert_string_equal(inc.roles[SR_ROLE_COMMANDER], "sam");
	assert_string_equal(ev.v[1].detail, "commander: dana -> sam");
	assert_int_equal(sr_incident_set_field(&inc, "impact", "all users", "a", T0, &ev, &err), 0);
	assert_string_equal(inc.impact, "all users");
	assert_int_equal(sr_incident_set_field(&inc, "colour", "red", "a", T0, &ev, &err), -1);
	free(err);
	err = NULL;
	assert_int_equal(sr_incident_link_alert(&inc, "abc123", NULL, "a", T0, &ev, &err), 0);
	assert_int_equal(sr_incident_link_alert(&inc, "abc123", NULL, "a", T0, &ev, &err), -1);
	free(err);
	err = NULL;
	assert_int_equal(inc.n_alerts, 1);
	assert_int_equal(sr_incident_note(&inc, "", "a", T0, &ev, &err), -1);
	free(err);
	err = NULL;
	assert_int_equal(sr_incident_check_item(&inc, "db-pool.md", 0, "x", 1, "a", T0, &ev, &err),
			 -1);
	free(err);
	err = NULL;
	assert_int_equal(sr_incident_check_item(&inc, "db-pool.md", 2, "Check pool", 1, "a", T0, &ev,
						&err), 0);
	assert_string_equal(ev.v[ev.n - 1].detail, "db-pool.md #2 [x] Check pool");
	done(&inc, &ev);
}

static void
test_timers_boundaries(void **state)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	struct sr_timers t;
	char *err = NULL;

	(void)state;
	make(&inc, SR_SEV_P1);	/* respond 15m, resolve 1h, update every 15m */
	sr_incident_timers(&inc, &cfg, T0 + 15 * MIN, &t);
	assert_int_equal(t.respond.due, T0 + 15 * MIN);
	assert_int_equal(t.respond.left, 0);
	assert_true(t.respond.running);
	assert_false(t.respond.breached);	/* exactly at the deadline is still in time */
	sr_incident_timers(&inc, &cfg, T0 + 15 * MIN + 1, &t);
	assert_int_equal(t.respond.left, -1);
	assert_true(t.respond.breached);
	assert_int_equal(t.update.due, T0 + 15 * MIN);
	assert_true(t.update.breached);
	assert_int_equal(t.resolve.due, T0 + 60 * MIN);
	assert_int_equal(t.resolve.left, 45 * MIN - 1);

	/* acknowledging at 10m stops the respond clock: met, frozen */
	assert_int_equal(sr_incident_ack(&inc, "a", T0 + 10 * MIN, &ev, &err), 0);
	sr_incident_timers(&inc, &cfg, T0 + 5 * 3600, &t);
	assert_false(t.respond.running);
	assert_int_equal(t.respond.left, 5 * MIN);
	assert_false(t.respond.breached);
	assert_true(t.resolve.running);
	assert_true(t.resolve.breached);

	/* a status update restarts the update clock */
	assert_int_equal(sr_incident_update_sent(&inc, "#inc", "a", T0 + 20 * MIN, &ev, &err), 0);
	sr_incident_timers(&inc, &cfg, T0 + 20 * MIN, &t);
	assert_int_equal(t.update.due, T0 + 35 * MIN);
	assert_int_equal(t.update.left, 15 * MIN);

	/* severity change re-bases from creation: P3 respond 4h, resolve 24h */
	assert_int_equal(sr_incident_set_sev(&inc, SR_SEV_P3, "a", T0 + 30 * MIN, &ev, &err), 0);
	assert_int_equal(ev.v[ev.n - 1].kind, SR_EV_SEVERITY);
	sr_incident_timers(&inc, &cfg, T0 + 30 * MIN, &t);
	assert_int_equal(t.respond.due, T0 + 4 * 3600);
	assert_int_equal(t.resolve.due, T0 + 24 * 3600);
	assert_int_equal(sr_incident_set_sev(&inc, SR_SEV_P3, "a", T0, &ev, &err), -1);
	free(err);
	err = NULL;

	/* resolving exactly at the deadline is in time, and stops the clock */
	assert_int_equal(sr_incident_resolve(&inc, NULL, NULL, "a", T0 + 24 * 3600, &ev, &err), 0);
	sr_incident_timers(&inc, &cfg, T0 + 48 * 3600, &t);
	assert_false(t.resolve.running);
	assert_false(t.resolve.breached);
	assert_int_equal(t.resolve.left, 0);
	assert_int_equal(t.update.due, 0);	/* no updates due once resolved */
	done(&inc, &ev);

	/* acknowledged one second late: breached and frozen at -1 */
	make(&inc, SR_SEV_P2);
	assert_int_equal(sr_incident_ack(&inc, "a", T0 + 3600 + 1, &ev, &err), 0);
	sr_incident_timers(&inc, &cfg, T0 + 2 * 3600, &t);
	assert_true(t.respond.breached);
	assert_int_equal(t.respond.left, -1);
	done(&inc, &ev);
}

/* sr_incident_level_now: the one level both front ends show (stored, or due while unacknowledged) */
static void
test_level_now(void **state)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	struct sr_timers t;
	char *err = NULL;

	(void)state;
	make(&inc, SR_SEV_P1);	/* L2 after 15m, L3 after 30m, L4 after 60m */
	assert_int_equal(sr_incident_level_now(&inc, &cfg, T0 + 15 * MIN - 1), 0);
	/* due but not yet recorded by a tick: shown as due */
	assert_int_equal(sr_incident_level_now(&inc, &cfg, T0 + 15 * MIN), 1);
	assert_int_equal(inc.level, 0);
	assert_int_equal(sr_incident_level_now(&inc, &cfg, T0 + 61 * MIN), 3);
	sr_incident_timers(&inc, &cfg, T0 + 31 * MIN, &t);
	assert_int_equal(t.due_level, 2);
	assert_int_equal(sr_incident_level_now(&inc, &cfg, T0 + 31 * MIN), 2);
	/* after the tick records it, the stored level and the shown one agree */
	assert_int_equal(sr_incident_tick(&inc, &cfg, T0 + 31 * MIN, &ev), 1);
	assert_int_equal(sr_incident_level_now(&inc, &cfg, T0 + 31 * MIN), inc.level);
	done(&inc, &ev);

	/* acknowledged: the stored level, also a manual escalation above what is due */
	make(&inc, SR_SEV_P1);
	assert_int_equal(sr_incident_ack(&inc, "a", T0 + 5 * MIN, &ev, &err), 0);
	assert_int_equal(sr_incident_level_now(&inc, &cfg, T0 + 5 * 3600), 0);
	assert_int_equal(sr_incident_escalate(&inc, 1, &cfg, "a", T0 + 6 * MIN, &ev, &err), 0);
	assert_int_equal(sr_incident_level_now(&inc, &cfg, T0 + 7 * MIN), 1);
	sr_incident_timers(&inc, &cfg, T0 + 7 * MIN, &t);
	assert_int_equal(t.due_level, 1);
	done(&inc, &ev);
}

static void
test_escalation_once(void **state)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	struct sr_timers t;
	char *err = NULL;

	(void)state;
	make(&inc, SR_SEV_P1);	/* L2 after 15m, L3 after 30m, L4 after 60m */
	assert_int_equal(sr_incident_tick(&inc, &cfg, T0 + 15 * MIN - 1, &ev), 0);
	assert_int_equal(inc.level, 0);
	sr_incident_timers(&inc, &cfg, T0, &t);
	assert_int_equal(t.next_escalation, T0 + 15 * MIN);

	assert_int_equal(sr_incident_tick(&inc, &cfg, T0 + 15 * MIN, &ev), 1);
	assert_int_equal(inc.level, 1);
	assert_int_equal(ev.n, 1);
	assert_int_equal(ev.v[0].kind, SR_EV_ESCALATED);
	assert_int_equal(ev.v[0].at, T0 + 15 * MIN);
	assert_non_null(strstr(ev.v[0].detail, "L1 -> L2"));
	assert_non_null(strstr(ev.v[0].detail, "Tech lead"));
	/* ticking again at the same moment records nothing */
	assert_int_equal(sr_incident_tick(&inc, &cfg, T0 + 15 * MIN, &ev), 0);
	assert_int_equal(sr_incident_tick(&inc, &cfg, T0 + 29 * MIN, &ev), 0);
	assert_int_equal(ev.n, 1);

	/* a long gap crosses two levels: one event each, at the moment each became due */
	assert_int_equal(sr_incident_tick(&inc, &cfg, T0 + 61 * MIN, &ev), 1);
	assert_int_equal(inc.level, 3);
	assert_int_equal(ev.n, 3);
	assert_int_equal(ev.v[1].at, T0 + 30 * MIN);
	assert_int_equal(ev.v[2].at, T0 + 60 * MIN);
	assert_int_equal(sr_incident_tick(&inc, &cfg, T0 + 10 * 3600, &ev), 0);
	sr_incident_timers(&inc, &cfg, T0 + 10 * 3600, &t);
	assert_int_equal(t.next_escalation, 0);

	/* manual limits */
	assert_int_equal(sr_incident_escalate(&inc, 1, &cfg, "a", T0, &ev, &err), -1);
	refused(&err, "top level");
	assert_int_equal(sr_incident_escalate(&inc, -1, &cfg, "a", T0 + 62 * MIN, &ev, &err), 0);
	assert_int_equal(inc.level, 2);
	assert_int_equal(ev.v[ev.n - 1].kind, SR_EV_DEESCALATED);
	done(&inc, &ev);

	/* acknowledged incidents do not escalate by themselves */
	make(&inc, SR_SEV_P1);
	assert_int_equal(sr_incident_ack(&inc, "a", T0 + 5 * MIN, &ev, &err), 0);
	assert_int_equal(sr_incident_tick(&inc, &cfg, T0 + 5 * 3600, &ev), 0);
	assert_int_equal(inc.level, 0);
	assert_int_equal(sr_incident_escalate(&inc, -1, &cfg, "a", T0, &ev, &err), -1);
	refused(&err, "already at L1");
	assert_int_equal(sr_incident_escalate(&inc, 1, &cfg, "a", T0 + 6 * MIN, &ev, &err), 0);
	assert_int_equal(inc.level, 1);
	done(&inc, &ev);

	/* P4 scales: first escalation only after 24h */
	make(&inc, SR_SEV_P4);
	assert_int_equal(sr_incident_tick(&inc, &cfg, T0 + 24 * 3600 - 1, &ev), 0);
	assert_int_equal(sr_incident_tick(&inc, &cfg, T0 + 24 * 3600, &ev), 1);
	done(&inc, &ev);
}

static void
test_names(void **state)
{
	enum sr_status st;
	enum sr_event_kind k;
	char *err = NULL;

	(void)state;
	for (int i = 0; i < SR_STATUS_COUNT; i++) {
		assert_int_equal(sr_status_parse(sr_status_name((enum sr_status)i), &st, &err), 0);
		assert_int_equal(st, i);
	}
	assert_int_equal(sr_status_parse("fixed", &st, &err), -1);
	refused(&err, "triggered, acknowledged");
	/* a unique prefix of 3 or more characters is enough (a prompt's "inv") */
	{
		static const struct {
			const char *typed;
			enum sr_status want;
		} ok[] = { { "inv", SR_ST_INVESTIGATING }, { "INVEST", SR_ST_INVESTIGATING },
			   { "ide", SR_ST_IDENTIFIED },	   { "mon", SR_ST_MONITORING },
			   { "ack", SR_ST_ACKNOWLEDGED },  { "res", SR_ST_RESOLVED } };

		for (size_t i = 0; i < SR_ARRAY_LEN(ok); i++) {
			assert_int_equal(sr_status_parse(ok[i].typed, &st, &err), 0);
			assert_int_equal(st, ok[i].want);
		}
	}
	/* two letters are not enough, even when only one status starts so */
	assert_int_equal(sr_status_parse("re", &st, &err), -1);
	free(err);
	err = NULL;
	assert_int_equal(sr_status_parse("investigatingx", &st, &err), -1);
	free(err);
	err = NULL;
	{
		enum sr_role role;

		/* an ambiguous prefix names what it fits */
		assert_int_equal(sr_role_parse("com", &role, &err), -1);
		assert_string_equal(err, "ambiguous role \"com\": commander, comms?");
		free(err);
		err = NULL;
		assert_int_equal(sr_role_parse("scr", &role, &err), 0);
		assert_int_equal(role, SR_ROLE_SCRIBE);
	}
	assert_int_equal(sr_event_kind_parse("alert_linked", &k), 0);
	assert_int_equal(k, SR_EV_ALERT_LINKED);
	assert_int_equal(sr_event_kind_parse("nope", &k), -1);
}

/* Resolved without ever being acknowledged: the respond clock stops at the resolution too. */
static void
test_timers_resolved_without_ack(void **state)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	struct sr_timers t;
	char *err = NULL;
	const struct sr_sev_policy *p = &cfg.sev[SR_SEV_P1];

	(void)state;
	make(&inc, SR_SEV_P1);
	/* late: resolved after the respond deadline, never acknowledged */
	assert_int_equal(sr_incident_resolve(&inc, NULL, NULL, "a", T0 + p->respond + 300, &ev,
					     &err), 0);
	assert_int_equal(inc.acked_at, 0);
	sr_incident_timers(&inc, &cfg, T0 + 5 * 3600, &t);
	assert_false(t.respond.running);
	assert_int_equal(t.respond.due, T0 + p->respond);
	assert_int_equal(t.respond.left, -300);
	assert_true(t.respond.breached);
	assert_false(t.resolve.running);
	assert_int_equal(t.resolve.left, p->resolve - p->respond - 300);
	assert_false(t.resolve.breached);
	assert_int_equal(t.update.due, 0);	/* no update clock once resolved */
	assert_int_equal(t.next_escalation, 0);
	assert_int_equal(t.due_level, 0);
	done(&inc, &ev);

	/* in time: resolved 1 s before the respond deadline */
	make(&inc, SR_SEV_P1);
	assert_int_equal(sr_incident_resolve(&inc, NULL, NULL, "a", T0 + p->respond - 1, &ev,
					     &err), 0);
	sr_incident_timers(&inc, &cfg, T0 + 5 * 3600, &t);
	assert_false(t.respond.running);
	assert_int_equal(t.respond.left, 1);
	assert_false(t.respond.breached);
	/* closed: the clocks stay where the resolution stopped them */
	assert_int_equal(sr_incident_close(&inc, "a", T0 + 9 * 3600, &ev, &err), 0);
	sr_incident_timers(&inc, &cfg, T0 + 10 * 3600, &t);
	assert_int_equal(t.respond.left, 1);
	assert_int_equal(t.resolve.left, p->resolve - p->respond + 1);
	done(&inc, &ev);
}

/* Reopening a resolved incident clears resolved_at: its resolve clock runs again. */
static void
test_reopen_clears_resolved_at(void **state)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	struct sr_timers t;
	char *err = NULL;

	(void)state;
	make_at(&inc, SR_ST_RESOLVED);
	assert_int_equal(inc.resolved_at, T0 + 180);
	assert_int_equal(sr_incident_set_status(&inc, SR_ST_INVESTIGATING, "a", T0 + 600, &ev, &err),
			 0);
	assert_int_equal(inc.status, SR_ST_INVESTIGATING);
	assert_int_equal(inc.resolved_at, 0);
	assert_int_equal(ev.n, 1);
	assert_string_equal(ev.v[0].detail, "status resolved -> investigating (reopened)");
	sr_incident_timers(&inc, &cfg, T0 + 700, &t);
	assert_true(t.resolve.running);
	assert_int_equal(t.resolve.left, cfg.sev[SR_SEV_P1].resolve - 700);
	assert_false(t.respond.running);	/* acknowledged at T0 + 60 */
	assert_int_equal(t.respond.left, cfg.sev[SR_SEV_P1].respond - 60);
	assert_int_not_equal(t.update.due, 0);
	/* resolved again: a new resolved_at */
	assert_int_equal(sr_incident_resolve(&inc, NULL, NULL, "a", T0 + 800, &ev, &err), 0);
	assert_int_equal(inc.resolved_at, T0 + 800);
	done(&inc, &ev);
}

/* De-escalation: one level down, an event naming both levels, refused at L1 and when done. */
static void
test_deescalate(void **state)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char *err = NULL;

	(void)state;
	make(&inc, SR_SEV_P1);
	assert_int_equal(sr_incident_escalate(&inc, -1, &cfg, "a", T0, &ev, &err), -1);
	refused(&err, "already at L1");
	assert_int_equal(inc.level, 0);
	assert_int_equal(ev.n, 0);
	for (int i = 1; i < SR_LEVEL_COUNT; i++)
		assert_int_equal(sr_incident_escalate(&inc, 1, &cfg, "a", T0 + i, &ev, &err), 0);
	assert_int_equal(inc.level, SR_LEVEL_COUNT - 1);
	assert_int_equal(sr_incident_escalate(&inc, 1, &cfg, "a", T0 + 9, &ev, &err), -1);
	refused(&err, "top level");
	sr_event_list_done(&ev);
	assert_int_equal(sr_incident_escalate(&inc, -1, &cfg, "bob", T0 + 10, &ev, &err), 0);
	assert_int_equal(inc.level, SR_LEVEL_COUNT - 2);
	assert_int_equal(ev.n, 1);
	assert_int_equal(ev.v[0].kind, SR_EV_DEESCALATED);
	assert_int_equal(ev.v[0].at, T0 + 10);
	assert_string_equal(ev.v[0].actor, "bob");
	assert_non_null(strstr(ev.v[0].detail, "de-escalated L4 -> L3"));
	sr_event_list_done(&ev);
	/* resolved: neither way */
	assert_int_equal(sr_incident_resolve(&inc, NULL, NULL, "a", T0 + 20, &ev, &err), 0);
	assert_int_equal(sr_incident_escalate(&inc, -1, &cfg, "a", T0 + 21, &ev, &err), -1);
	refused(&err, "cannot de-escalate");
	assert_int_equal(sr_incident_escalate(&inc, 1, &cfg, "a", T0 + 21, &ev, &err), -1);
	refused(&err, "cannot escalate");
	assert_int_equal(inc.level, SR_LEVEL_COUNT - 2);
	done(&inc, &ev);
}

/* Closed incidents refuse field changes and links; empty values are refused; nothing changes. */
static void
test_refusals_leave_incident_unchanged(void **state)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char *err = NULL;

	(void)state;
	make(&inc, SR_SEV_P2);
	assert_int_equal(sr_incident_set_field(&inc, "impact", " \t", "a", T0, &ev, &err), -1);
	refused(&err, "impact must not be empty");
	assert_int_equal(sr_incident_link_alert(&inc, "", NULL, "a", T0, &ev, &err), -1);
	refused(&err, "must not be empty");
	assert_int_equal(ev.n, 0);
	assert_null(inc.impact);
	assert_int_equal(inc.n_alerts, 0);
	sr_incident_done(&inc);

	make_at(&inc, SR_ST_CLOSED);
	assert_int_equal(sr_incident_set_field(&inc, "impact", "all", "a", T0, &ev, &err), -1);
	refused(&err, "closed");
	assert_int_equal(sr_incident_link_alert(&inc, "fp1", NULL, "a", T0, &ev, &err), -1);
	refused(&err, "cannot link alerts");
	assert_int_equal(ev.n, 0);
	assert_null(inc.impact);
	assert_int_equal(inc.n_alerts, 0);
	sr_incident_done(&inc);
}

/* A copy owns its strings and alerts; many links and many list entries grow their arrays. */
static void
test_copy_and_growth(void **state)
{
	struct sr_incident inc, cp;
	struct sr_incident_list l = { 0 };
	struct sr_event_list ev = { 0 };
	char *err = NULL, fp[32];

	(void)state;
	make(&inc, SR_SEV_P2);
	for (int r = 0; r < SR_ROLE_COUNT; r++)
		assert_int_equal(sr_incident_assign(&inc, (enum sr_role)r, "dana", "a", T0, &ev, &err),
				 0);
	for (int i = 0; i < 40; i++) {
		snprintf(fp, sizeof(fp), "fp%02d", i);
		assert_int_equal(sr_incident_link_alert(&inc, fp, "x", "a", T0, &ev, &err), 0);
	}
	assert_int_equal(sr_incident_set_field(&inc, "impact", "all users", "a", T0, &ev, &err), 0);
	assert_int_equal(sr_incident_set_field(&inc, "cause", "bad deploy", "a", T0, &ev, &err), 0);
	assert_int_equal(sr_incident_set_field(&inc, "resolution", "rolled back", "a", T0, &ev,
					       &err), 0);
	sr_incident_copy(&cp, &inc);
	/* the copy owns every string: changing the original's leaves it alone */
	sr_set_str(&inc.title, "changed");
	sr_set_str(&inc.service, "changed");
	sr_set_str(&inc.impact, "changed");
	sr_set_str(&inc.root_cause, "changed");
	sr_set_str(&inc.resolution, "changed");
	assert_string_equal(cp.service, "checkout");
	assert_string_equal(cp.impact, "all users");
	assert_string_equal(cp.root_cause, "bad deploy");
	assert_string_equal(cp.resolution, "rolled back");
	sr_incident_done(&inc);
	memset(&inc, 0x55, sizeof(inc));
	for (int r = 0; r < SR_ROLE_COUNT; r++)
		assert_string_equal(cp.roles[r], "dana");
	assert_int_equal(cp.n_alerts, 40);
	for (int i = 0; i < 40; i++) {
		snprintf(fp, sizeof(fp), "fp%02d", i);
		assert_string_equal(cp.alerts[i], fp);
	}
	assert_string_equal(cp.title, "Checkout 5xx");
	for (int i = 0; i < 40; i++) {
		struct sr_incident *e = sr_incident_list_push(&l);

		assert_int_equal(l.n, (size_t)i + 1);
		sr_incident_copy(e, &cp);
		snprintf(e->id, sizeof(e->id), "INC-2026-%03d", i + 1);
	}
	for (int i = 0; i < 40; i++) {
		snprintf(fp, sizeof(fp), "INC-2026-%03d", i + 1);
		assert_string_equal(l.v[i].id, fp);
		assert_string_equal(l.v[i].alerts[39], "fp39");
	}
	sr_incident_list_done(&l);
	sr_incident_done(&cp);
	sr_event_list_done(&ev);
}

/* Names of values past the end of each table are "?", never a neighbour's name. */
static void
test_names_out_of_range(void **state)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char *err = NULL;

	(void)state;
	assert_string_equal(sr_role_name((enum sr_role)SR_ROLE_COUNT), "?");
	assert_string_equal(sr_role_name((enum sr_role)-1), "?");
	assert_string_equal(sr_role_name(SR_ROLE_COUNT - 1), "scribe");
	assert_string_equal(sr_status_name((enum sr_status)SR_STATUS_COUNT), "?");
	assert_string_equal(sr_event_kind_name(SR_EV_CLOSED), "closed");
	/* the last kind (acknowledgement reminders), then one past it */
	assert_string_equal(sr_event_kind_name(SR_EV_ACTION), "action");
	assert_string_equal(sr_event_kind_name(SR_EV_REMINDER), "reminder");
	assert_string_equal(sr_event_kind_name((enum sr_event_kind)(SR_EV_REMINDER + 1)), "?");
	assert_string_equal(sr_event_kind_name((enum sr_event_kind)-1), "?");
	/* a field change is on the timeline, with its value */
	make(&inc, SR_SEV_P2);
	assert_int_equal(sr_incident_set_field(&inc, "cause", "bad deploy", "bob", T0 + 5, &ev, &err),
			 0);
	assert_int_equal(ev.n, 1);
	assert_int_equal(ev.v[0].kind, SR_EV_FIELD);
	assert_int_equal(ev.v[0].at, T0 + 5);
	assert_string_equal(ev.v[0].actor, "bob");
	assert_string_equal(ev.v[0].detail, "cause: bad deploy");
	assert_string_equal(inc.root_cause, "bad deploy");
	done(&inc, &ev);
}

/*
 * Acknowledgement timeout (issue 16), pure: the last sign of work among the timeline decides,
 * other incidents' events and events that are not work do not; only acknowledged open
 * incidents; escalating again stops at L4.
 */
static void
test_ack_timeout(void **state)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 }, tl = { 0 };
	char *err = NULL;

	(void)state;
	make(&inc, SR_SEV_P1);
	assert_int_equal(sr_incident_ack_timeout_at(&inc, &cfg, NULL, 0), 0);	/* not acked */
	assert_false(sr_incident_ack_maybe_due(&inc, &cfg, T0 + 86400));
	assert_int_equal(sr_incident_ack(&inc, "a", T0 + 60, &tl, &err), 0);
	assert_int_equal(sr_incident_ack_timeout_at(&inc, &cfg, tl.v, tl.n), T0 + 60 + 1800);
	assert_false(sr_incident_ack_maybe_due(&inc, &cfg, T0 + 60 + 1799));
	assert_true(sr_incident_ack_maybe_due(&inc, &cfg, T0 + 60 + 1800));
	/* a checklist tick is not an update; a note is; another incident's note is not ours */
	assert_int_equal(sr_incident_check_item(&inc, "rb", 1, "x", 1, "a", T0 + 600, &tl, &err), 0);
	assert_int_equal(sr_incident_ack_timeout_at(&inc, &cfg, tl.v, tl.n), T0 + 60 + 1800);
	sr_event_list_add(&tl, T0 + 900, "b", SR_EV_NOTE, "elsewhere");
	snprintf(tl.v[tl.n - 1].incident, SR_ID_MAX, "INC-2026-999");
	assert_int_equal(sr_incident_ack_timeout_at(&inc, &cfg, tl.v, tl.n), T0 + 60 + 1800);
	assert_int_equal(sr_incident_set_status(&inc, SR_ST_INVESTIGATING, "a", T0 + 1200, &tl,
						&err), 0);
	assert_int_equal(sr_incident_ack_timeout_at(&inc, &cfg, tl.v, tl.n), T0 + 1200 + 1800);
	/* not due yet: nothing */
	assert_int_equal(sr_incident_ack_remind(&inc, &cfg, tl.v, tl.n, NULL, 0, T0 + 2999, &ev), 0);
	assert_int_equal(ev.n, 0);
	/* due: a reminder, no escalation unless configured */
	assert_int_equal(sr_incident_ack_remind(&inc, &cfg, tl.v, tl.n, NULL, 0, T0 + 3000, &ev), 1);
	assert_int_equal(ev.n, 1);
	assert_int_equal(ev.v[0].kind, SR_EV_REMINDER);
	assert_int_equal(ev.v[0].at, T0 + 3000);
	assert_string_equal(ev.v[0].detail, "acknowledged, no update for 30m00s (ack timeout 30m00s)");
	assert_int_equal(inc.level, 0);
	/* the reminder counts as a sign: the next one is a timeout later */
	sr_event_list_add(&tl, ev.v[0].at, "sitrep", SR_EV_REMINDER, "%s", ev.v[0].detail);
	assert_int_equal(sr_incident_ack_timeout_at(&inc, &cfg, tl.v, tl.n), T0 + 3000 + 1800);
	sr_event_list_done(&ev);
	memset(&ev, 0, sizeof(ev));
	cfg.sev[SR_SEV_P1].ack_timeout_escalate = 1;
	inc.level = 2;
	assert_int_equal(sr_incident_ack_remind(&inc, &cfg, tl.v, tl.n, NULL, 0, T0 + 9000, &ev), 1);
	assert_int_equal(ev.n, 2);
	assert_int_equal(ev.v[1].kind, SR_EV_ESCALATED);
	assert_non_null(strstr(ev.v[1].detail, "L3 -> L4"));
	assert_non_null(strstr(ev.v[1].detail, "acknowledged, no update for 1h40m"));
	assert_int_equal(inc.level, 3);
	sr_event_list_done(&ev);
	memset(&ev, 0, sizeof(ev));
	/* at L4: the reminder alone */
	assert_int_equal(sr_incident_ack_remind(&inc, &cfg, tl.v, tl.n, NULL, 0, T0 + 9000, &ev), 1);
	assert_int_equal(ev.n, 1);
	sr_event_list_done(&ev);
	memset(&ev, 0, sizeof(ev));
	cfg.sev[SR_SEV_P1].ack_timeout_escalate = 0;
	/* resolved: none applies; ack_timeout 0: none applies */
	assert_int_equal(sr_incident_resolve(&inc, NULL, NULL, "a", T0 + 9100, &tl, &err), 0);
	assert_int_equal(sr_incident_ack_timeout_at(&inc, &cfg, tl.v, tl.n), 0);
	assert_int_equal(sr_incident_ack_remind(&inc, &cfg, tl.v, tl.n, NULL, 0, T0 + 99999, &ev), 0);
	sr_incident_done(&inc);
	make(&inc, SR_SEV_P3);
	assert_int_equal(sr_incident_ack(&inc, "a", T0 + 60, &tl, &err), 0);
	assert_int_equal(sr_incident_ack_timeout_at(&inc, &cfg, tl.v, tl.n), 0);
	sr_incident_done(&inc);
	sr_event_list_done(&tl);
}

/* --- mutation round 6 (incident, seed 29's survivors) --- */

/* An action item marked done records when and by whom; done twice or unknown is refused. */
static void
test_action_done_by(void **state)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char *err = NULL;

	(void)state;
	make(&inc, SR_SEV_P2);
	assert_int_equal(sr_incident_action_add(&inc, "add a canary", "bob", T0 + 86400,
						SR_AK_DETECT, "alice", T0 + 5, &ev, &err), 0);
	inc.actions[0].id = 7;
	inc.actions[0].dirty = 0;
	assert_int_equal(sr_incident_action_done(&inc, 7, "carol", T0 + 99, &ev, &err), 0);
	assert_int_equal(inc.actions[0].done_at, T0 + 99);
	assert_non_null(inc.actions[0].done_by);
	assert_string_equal(inc.actions[0].done_by, "carol");
	assert_int_equal(inc.actions[0].dirty, 1);
	assert_int_equal(ev.n, 2);
	assert_string_equal(ev.v[1].actor, "carol");
	assert_string_equal(ev.v[1].detail, "action A7 done: add a canary");
	assert_int_equal(sr_incident_action_done(&inc, 7, "dave", T0 + 120, &ev, &err), -1);
	refused(&err, "already done");
	assert_string_equal(inc.actions[0].done_by, "carol");
	assert_int_equal(sr_incident_action_done(&inc, 8, "dave", T0 + 120, &ev, &err), -1);
	refused(&err, "has no action item 8");
	assert_int_equal(ev.n, 2);
	done(&inc, &ev);
}

/* The first value past the status table is refused as a bad status, like any other. */
static void
test_status_past_the_table(void **state)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char *err = NULL;

	(void)state;
	make_at(&inc, SR_ST_ACKNOWLEDGED);
	assert_int_equal(sr_incident_set_status(&inc, (enum sr_status)SR_STATUS_COUNT, "a", T0 + 300,
						&ev, &err), -1);
	refused(&err, "bad status");
	assert_int_equal(sr_incident_set_status(&inc, (enum sr_status)(SR_STATUS_COUNT + 1), "a",
						T0 + 300, &ev, &err), -1);
	refused(&err, "bad status");
	assert_int_equal(inc.status, SR_ST_ACKNOWLEDGED);
	assert_int_equal(ev.n, 0);
	done(&inc, &ev);
}

/* Every review field is set through set_field: 0, the value kept, one event each. */
static void
test_review_fields_set(void **state)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char *err = NULL, want[80];

	(void)state;
	make(&inc, SR_SEV_P3);
	for (int f = 0; f < SR_REVIEW_COUNT; f++) {
		const char *v = f == SR_RV_REVIEW_AT ? "2026-12-01T10:00:00Z" : "some words";

		if (sr_incident_set_field(&inc, sr_review_name((enum sr_review)f), v, "erin",
					  T0 + f, &ev, &err) != 0)
			fail_msg("%s: %s", sr_review_name((enum sr_review)f), err);
		assert_null(err);
		assert_string_equal(inc.review[f], v);
		assert_int_equal(ev.n, (size_t)f + 1);
		snprintf(want, sizeof want, "%s: %s", sr_review_name((enum sr_review)f), v);
		assert_string_equal(ev.v[f].detail, want);
	}
	/* "went-well" names went_well too */
	assert_int_equal(sr_incident_set_field(&inc, "went-well", "the pager", "erin", T0, &ev, &err),
			 0);
	assert_string_equal(inc.review[SR_RV_WENT_WELL], "the pager");
	assert_int_equal(sr_incident_set_field(&inc, "review_at", "soon", "erin", T0, &ev, &err),
			 -1);
	free(err);
	err = NULL;
	assert_string_equal(inc.review[SR_RV_REVIEW_AT], "2026-12-01T10:00:00Z");
	done(&inc, &ev);
}

/* A copy shares no memory with its source, even an allocated, empty alert array. */
static void
test_copy_empty_alert_array(void **state)
{
	struct sr_incident inc, cp;

	(void)state;
	make(&inc, SR_SEV_P4);
	inc.alerts = calloc(4, sizeof(*inc.alerts));
	inc.n_alerts = 0;
	sr_incident_copy(&cp, &inc);
	assert_int_equal(cp.n_alerts, 0);
	assert_true(cp.alerts != inc.alerts);
	sr_incident_done(&inc);
	sr_incident_done(&cp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new),	       cmocka_unit_test(test_status_matrix),
		cmocka_unit_test(test_action_add),
		cmocka_unit_test(test_ack_rules),      cmocka_unit_test(test_resolve_close),
		cmocka_unit_test(test_fields_roles_links), cmocka_unit_test(test_timers_boundaries),
		cmocka_unit_test(test_escalation_once), cmocka_unit_test(test_names),
		cmocka_unit_test(test_level_now),
		cmocka_unit_test(test_timers_resolved_without_ack),
		cmocka_unit_test(test_reopen_clears_resolved_at), cmocka_unit_test(test_deescalate),
		cmocka_unit_test(test_refusals_leave_incident_unchanged),
		cmocka_unit_test(test_copy_and_growth),
		cmocka_unit_test(test_names_out_of_range),
		cmocka_unit_test(test_ack_timeout),
		cmocka_unit_test(test_action_done_by),
		cmocka_unit_test(test_status_past_the_table),
		cmocka_unit_test(test_review_fields_set),
		cmocka_unit_test(test_copy_empty_alert_array),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
