/* SPDX-License-Identifier: MIT */
/* test_change.c: load -> due escalations -> change -> store, conflicts and exactly-once ticks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "change.h"
#include "tmpdir.h"

#define T0 ((sr_time)1795403520)
#define MIN 60

static struct sr_config cfg;
static char dir[64], path[96];

static int
setup(void **state)
{
	(void)state;
	sr_config_init(&cfg);
	sr_test_tmp(dir, sizeof(dir), "sitrep-change");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/s.db", dir);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	sr_config_done(&cfg);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
create(struct sr_store *st, enum sr_sev sev, char *id)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char *err = NULL;

	assert_int_equal(sr_incident_new(&inc, "db down", "db", sev, NULL, "a", T0, &ev, &err), 0);
	if (st->ops->create(st, &inc, &ev, &err) != 0)
		fail_msg("%s", err);
	strcpy(id, inc.id);
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
}

static void
test_commit_records_due_escalations_first(void **state)
{
	char *err = NULL, id[SR_ID_MAX];
	struct sr_store *st = sr_store_open(path, &err);
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	const struct sr_change ack = { .op = SR_CH_ACK };

	(void)state;
	assert_non_null(st);
	create(st, SR_SEV_P1, id);
	sr_incident_init(&inc);
	/* acknowledged at 31m: L2 (15m) and L3 (30m) were due before it, recorded first */
	assert_int_equal(sr_change_commit(st, id, &ack, &cfg, "bob", T0 + 31 * MIN, &inc, &ev, NULL,
					  &err), 0);
	assert_int_equal(ev.n, 3);
	assert_int_equal(ev.v[0].kind, SR_EV_ESCALATED);
	assert_int_equal(ev.v[0].at, T0 + 15 * MIN);
	assert_int_equal(ev.v[1].at, T0 + 30 * MIN);
	assert_int_equal(ev.v[2].kind, SR_EV_ACKNOWLEDGED);
	assert_int_equal(inc.level, 2);
	assert_int_equal(inc.version, 2);
	sr_event_list_done(&ev);

	/* a bad argument fails before anything is written */
	{
		const struct sr_change bad = { .op = SR_CH_STATUS, .a = "fixed" };

		assert_int_equal(sr_change_commit(st, id, &bad, &cfg, "bob", T0 + 32 * MIN, &inc,
						  &ev, NULL, &err), -1);
		assert_non_null(strstr(err, "bad status"));
		free(err);
		err = NULL;
	}
	/* an unknown id */
	assert_int_equal(sr_change_commit(st, "INC-2026-999", &ack, &cfg, "bob", T0, NULL, NULL,
					  NULL, &err), -1);
	assert_non_null(strstr(err, "INC-2026-999"));
	free(err);
	err = NULL;
	/* a tick with nothing due (acknowledged at 31m: the ack timeout runs to 61m) writes nothing */
	{
		const struct sr_change tick = { .op = SR_CH_TICK };

		assert_int_equal(sr_change_commit(st, id, &tick, &cfg, "sitrep", T0 + 60 * MIN, &inc,
						  &ev, NULL, &err), 0);
		assert_int_equal(ev.n, 0);
		assert_int_equal(inc.version, 2);
	}
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	sr_store_close(st);
}

/* Many processes tick the same incidents at the same instant: each level once. */
static void
test_tick_exactly_once_across_processes(void **state)
{
	char *err = NULL, ids[10][SR_ID_MAX];
	struct sr_store *st = sr_store_open(path, &err);
	const int procs = 4;
	pid_t pids[4];

	(void)state;
	assert_non_null(st);
	for (int i = 0; i < 10; i++)
		create(st, SR_SEV_P1, ids[i]);
	sr_store_close(st);
	for (int p = 0; p < procs; p++) {
		pids[p] = fork();
		assert_true(pids[p] >= 0);
		if (pids[p] == 0) {
			struct sr_store *cst = sr_store_open(path, NULL);
			const struct sr_change tick = { .op = SR_CH_TICK };
			int rc = cst == NULL;

			for (int i = 0; i < 10 && cst != NULL; i++)
				rc |= sr_change_commit(cst, ids[i], &tick, &cfg, "sitrep",
						       T0 + 61 * MIN, NULL, NULL, NULL, NULL) != 0;
			sr_store_close(cst);
			_exit(rc);
		}
	}
	for (int p = 0; p < procs; p++) {
		int status;

		assert_int_equal(waitpid(pids[p], &status, 0), pids[p]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	st = sr_store_open(path, &err);
	for (int i = 0; i < 10; i++) {
		struct sr_event_list ev = { 0 };
		int escalated = 0;

		assert_int_equal(st->ops->events(st, ids[i], &ev, &err), 0);
		for (size_t e = 0; e < ev.n; e++)
			escalated += ev.v[e].kind == SR_EV_ESCALATED;
		assert_int_equal(escalated, 3);	/* L2, L3, L4: once each */
		sr_event_list_done(&ev);
	}
	sr_store_close(st);
}

/* sr_change_create: one way to open an incident (CLI new, console :incident new, from an alert, demo) */
static void
test_create(void **state)
{
	char *err = NULL;
	struct sr_store *st = sr_store_open(path, &err);
	const struct sr_new_incident n = { "Checkout 5xx", "checkout", "users see errors",
					   SR_SEV_P2, "fp-1", "HighErrorRate{service=\"checkout\"}" };
	const struct sr_new_incident bad = { "", NULL, NULL, SR_SEV_P1, NULL, NULL };
	struct sr_incident inc, got;
	struct sr_event_list ev = { 0 };
	struct sr_incident_list l = { 0 };

	(void)state;
	assert_non_null(st);
	sr_incident_init(&inc);
	assert_int_equal(sr_change_create(st, &n, "alice", T0, &inc, &ev, &err), 0);
	assert_string_equal(inc.id, "INC-2026-001");
	assert_int_equal(ev.n, 2);
	assert_int_equal(ev.v[0].kind, SR_EV_CREATED);
	assert_int_equal(ev.v[1].kind, SR_EV_ALERT_LINKED);
	sr_event_list_done(&ev);
	sr_incident_init(&got);
	assert_int_equal(st->ops->get(st, inc.id, &got, &err), 0);
	assert_int_equal(got.sev, SR_SEV_P2);
	assert_int_equal(got.n_alerts, 1);
	assert_string_equal(got.alerts[0], "fp-1");
	assert_string_equal(got.service, "checkout");
	sr_incident_done(&got);
	sr_incident_done(&inc);
	/* not a valid incident: -2, nothing stored */
	sr_incident_init(&inc);
	assert_int_equal(sr_change_create(st, &bad, "alice", T0, &inc, NULL, &err), -2);
	assert_non_null(err);
	free(err);
	err = NULL;
	sr_incident_done(&inc);
	assert_int_equal(st->ops->list(st, SR_LIST_ALL, &l, &err), 0);
	assert_int_equal(l.n, 1);
	sr_incident_list_done(&l);
	sr_store_close(st);
}

/* sr_change_tick_due: the one "which incidents are due" rule for `incident tick` and the console */
static void
test_tick_due(void **state)
{
	char *err = NULL, a[SR_ID_MAX], b[SR_ID_MAX];
	struct sr_store *st = sr_store_open(path, &err);
	struct sr_incident_list l = { 0 };
	struct sr_event_list ev = { 0 };
	const struct sr_change ack = { .op = SR_CH_ACK };

	(void)state;
	assert_non_null(st);
	create(st, SR_SEV_P1, a);
	create(st, SR_SEV_P1, b);
	assert_int_equal(sr_change_commit(st, b, &ack, &cfg, "bob", T0 + MIN, NULL, NULL, NULL,
					  &err), 0);
	assert_int_equal(st->ops->list(st, SR_LIST_OPEN, &l, &err), 0);
	assert_int_equal(l.n, 2);
	/* nothing due at 10 minutes */
	for (size_t i = 0; i < l.n; i++)
		assert_false(sr_incident_tick_due(&l.v[i], &cfg, T0 + 10 * MIN));
	assert_int_equal(sr_change_tick_due(st, &l, &cfg, T0 + 10 * MIN, &ev, &err), 0);
	assert_int_equal(ev.n, 0);
	/* at 16 minutes the unacknowledged one is due for L2; the acknowledged one never */
	assert_int_equal(sr_change_tick_due(st, &l, &cfg, T0 + 16 * MIN, &ev, &err), 1);
	assert_int_equal(ev.n, 1);
	assert_string_equal(ev.v[0].incident, a);
	assert_int_equal(ev.v[0].kind, SR_EV_ESCALATED);
	sr_event_list_done(&ev);
	memset(&ev, 0, sizeof(ev));
	/* the same (stale) list again: the level is recorded once, whoever ticks */
	assert_int_equal(sr_change_tick_due(st, &l, &cfg, T0 + 16 * MIN, &ev, &err), 1);
	assert_int_equal(ev.n, 0);
	sr_incident_list_done(&l);
	sr_store_close(st);
}

/*
 * A store whose update lets another writer in first, deterministically: before each of the
 * first `races` updates it commits a note through a second handle on the same file, so the
 * update that follows meets a real version conflict.
 */
static const struct sr_store_ops *real_ops;
static struct sr_store_ops racing_ops;
static struct sr_store *rival;
static int races, raced;

static int
racing_update(struct sr_store *st, struct sr_incident *inc, struct sr_event_list *ev,
	      int *conflict, char **err)
{
	if (raced < races) {
		const struct sr_change note = { .op = SR_CH_NOTE, .a = "rival" };
		char *e = NULL;

		raced++;
		/* at the same moment: an earlier clock would add sitrep's clock notes */
		if (sr_change_commit(rival, inc->id, &note, &cfg, "rival", T0 + 2 * MIN, NULL, NULL,
				     NULL, &e) != 0)
			fail_msg("%s", e);
	}
	return real_ops->update(st, inc, ev, conflict, err);
}

static size_t
count_notes(struct sr_store *st, const char *id)
{
	struct sr_event_list ev = { 0 };
	char *err = NULL;
	size_t i, n = 0;

	assert_int_equal(st->ops->events(st, id, &ev, &err), 0);
	for (i = 0; i < ev.n; i++)
		n += ev.v[i].kind == SR_EV_NOTE;
	sr_event_list_done(&ev);
	return n;
}

static void
test_commuting_changes_retry(void **state)
{
	static const struct sr_change appends[] = {
		{ .op = SR_CH_NOTE, .a = "mine" },
		{ .op = SR_CH_CHECK, .a = "db-down", .n = 1, .b = "look", .done = 1 },
		{ .op = SR_CH_LINK, .a = "fp123", .b = "DBDown" },
		{ .op = SR_CH_UPDATE_SENT, .a = "#inc" },
	};
	static const struct sr_change decided[] = {
		{ .op = SR_CH_STATUS, .a = "investigating" },
		{ .op = SR_CH_SEV, .a = "P2" },
		{ .op = SR_CH_RESOLVE, .a = "cause", .b = "fix" },
	};
	char *err = NULL, id[SR_ID_MAX];
	struct sr_store *st = sr_store_open(path, &err);
	size_t i, rivals = 0;
	int conflict;

	(void)state;
	assert_non_null(st);
	rival = sr_store_open(path, &err);
	assert_non_null(rival);
	create(st, SR_SEV_P1, id);
	real_ops = st->ops;
	racing_ops = *st->ops;
	racing_ops.update = racing_update;
	st->ops = &racing_ops;
	/* each append loses three races in a row and still lands, after the rivals' notes */
	for (i = 0; i < SR_ARRAY_LEN(appends); i++) {
		assert_true(sr_change_commutes(appends[i].op));
		races = 3;
		raced = 0;
		conflict = -1;
		if (sr_change_commit(st, id, &appends[i], &cfg, "me", T0 + 2 * MIN, NULL, NULL,
				     &conflict, &err) != 0)
			fail_msg("%s", err);
		assert_int_equal(raced, 3);
		assert_int_equal(conflict, 0);
		rivals += 3;
	}
	assert_int_equal(count_notes(st, id), rivals + 1);
	/* more conflicts than the bound: refused, and says so */
	races = SR_CHANGE_RETRIES;
	raced = 0;
	assert_int_equal(sr_change_commit(st, id, &appends[0], &cfg, "me", T0 + 2 * MIN, NULL,
					  NULL, &conflict, &err), -1);
	assert_int_equal(conflict, 1);
	assert_non_null(strstr(err, "changed by someone else"));
	free(err);
	err = NULL;
	/* a change decided on the state the user saw reports the first conflict */
	for (i = 0; i < SR_ARRAY_LEN(decided); i++) {
		assert_false(sr_change_commutes(decided[i].op));
		races = 1;
		raced = 0;
		assert_int_equal(sr_change_commit(st, id, &decided[i], &cfg, "me", T0 + 2 * MIN, NULL,
						  NULL, &conflict, &err), -1);
		assert_int_equal(raced, 1);
		assert_int_equal(conflict, 1);
		assert_non_null(strstr(err, "changed by someone else"));
		free(err);
		err = NULL;
	}
	st->ops = real_ops;
	sr_store_close(rival);
	sr_store_close(st);
}

/*
 * A deterministic race: a store whose update first lets another writer (a second connection,
 * `races` times) commit a tick on the same incident, so the update meets a conflict every time
 * it is armed, whatever the scheduling. Counts the updates tried.
 */
struct rival {
	struct sr_store base;
	struct sr_store *real, *other;
	struct sr_store_ops ops;
	int races, updates;
	sr_time other_now;
};

static int
rival_get(struct sr_store *st, const char *id, struct sr_incident *out, char **err)
{
	struct rival *r = (struct rival *)st;

	return r->real->ops->get(r->real, id, out, err);
}

/* the timeline read for the clock check (sr_change_commit's not_before_last) */
static int
rival_events(struct sr_store *st, const char *id, struct sr_event_list *out, char **err)
{
	struct rival *r = (struct rival *)st;

	return r->real->ops->events(r->real, id, out, err);
}

static int
rival_update(struct sr_store *st, struct sr_incident *inc, struct sr_event_list *ev,
	      int *conflict, char **err)
{
	struct rival *r = (struct rival *)st;

	r->updates++;
	if (r->races > 0) {
		struct sr_incident o;
		struct sr_event_list oev = { 0 };
		const struct sr_change note = { .op = SR_CH_NOTE, .a = "the other writer" };

		r->races--;
		sr_incident_init(&o);
		assert_int_equal(r->other->ops->get(r->other, inc->id, &o, NULL), 0);
		sr_incident_tick(&o, &cfg, r->other_now, &oev);
		assert_int_equal(sr_change_apply(&o, &note, &cfg, "other", r->other_now, &oev, NULL),
				 0);
		assert_int_equal(r->other->ops->update(r->other, &o, &oev, NULL, NULL), 0);
		sr_incident_done(&o);
		sr_event_list_done(&oev);
	}
	return r->real->ops->update(r->real, inc, ev, conflict, err);
}

static void
rival_open(struct rival *r, int n)
{
	memset(r, 0, sizeof(*r));
	r->real = sr_store_open(path, NULL);
	r->other = sr_store_open(path, NULL);
	assert_non_null(r->real);
	assert_non_null(r->other);
	r->ops = *r->real->ops;
	r->ops.get = rival_get;
	r->ops.events = rival_events;
	r->ops.update = rival_update;
	r->base.ops = &r->ops;
	r->races = n;
	r->other_now = T0 + 61 * MIN;
}

static void
rival_close(struct rival *r)
{
	sr_store_close(r->real);
	sr_store_close(r->other);
}

static int
count_kind(const char *id, enum sr_event_kind kind)
{
	struct sr_store *st = sr_store_open(path, NULL);
	struct sr_event_list ev = { 0 };
	int n = 0;

	assert_int_equal(st->ops->events(st, id, &ev, NULL), 0);
	for (size_t i = 0; i < ev.n; i++)
		n += ev.v[i].kind == kind;
	sr_event_list_done(&ev);
	sr_store_close(st);
	return n;
}

/* A tick that meets a conflict reloads and looks again: each level recorded exactly once. */
static void
test_tick_retries_after_conflict(void **state)
{
	struct rival r;
	char id[SR_ID_MAX], *err = NULL;
	const struct sr_change tick = { .op = SR_CH_TICK };
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	int conflict = -1;

	(void)state;
	rival_open(&r, 1);
	create(r.real, SR_SEV_P1, id);
	sr_incident_init(&inc);
	assert_int_equal(sr_change_commit(&r.base, id, &tick, &cfg, "sitrep", T0 + 61 * MIN, &inc,
					  &ev, &conflict, &err), 0);
	assert_null(err);
	assert_int_equal(conflict, 0);
	assert_int_equal(r.updates, 1);	/* the retry found everything already recorded */
	assert_int_equal(ev.n, 0);
	assert_int_equal(inc.level, 3);
	assert_int_equal(count_kind(id, SR_EV_ESCALATED), 3);
	assert_int_equal(count_kind(id, SR_EV_NOTE), 1);
	sr_incident_done(&inc);
	sr_event_list_done(&ev);

	/* the other writer wins four times; the fifth attempt writes the tick */
	create(r.real, SR_SEV_P1, id);
	r.races = 4;
	r.updates = 0;
	r.other_now = T0 + 16 * MIN;	/* the other writer records L2 only */
	sr_incident_init(&inc);
	assert_int_equal(sr_change_commit(&r.base, id, &tick, &cfg, "sitrep", T0 + 61 * MIN, &inc,
					  NULL, &conflict, &err), 0);
	assert_int_equal(r.updates, 5);
	assert_int_equal(inc.level, 3);
	assert_int_equal(count_kind(id, SR_EV_ESCALATED), 3);
	assert_int_equal(count_kind(id, SR_EV_NOTE), 4);
	sr_incident_done(&inc);

	/* SR_CHANGE_RETRIES lost races: it gives up with the last conflict, naming the incident */
	create(r.real, SR_SEV_P1, id);
	r.races = SR_CHANGE_RETRIES;
	r.updates = 0;
	assert_int_equal(sr_change_commit(&r.base, id, &tick, &cfg, "sitrep", T0 + 61 * MIN, NULL,
					  NULL, &conflict, &err), -1);
	assert_int_equal(r.updates, SR_CHANGE_RETRIES);
	assert_int_equal(conflict, 1);
	assert_non_null(strstr(err, "someone else"));
	assert_non_null(strstr(err, id));
	free(err);
	err = NULL;
	rival_close(&r);
}

/* A user's change that meets a conflict is not retried: it fails with *conflict = 1. */
static void
test_user_change_conflict_not_retried(void **state)
{
	struct rival r;
	char id[SR_ID_MAX], *err = NULL;
	const struct sr_change ack = { .op = SR_CH_ACK };
	int conflict = -1;

	(void)state;
	rival_open(&r, 1);
	create(r.real, SR_SEV_P1, id);
	assert_int_equal(sr_change_commit(&r.base, id, &ack, &cfg, "bob", T0 + 5 * MIN, NULL, NULL,
					  &conflict, &err), -1);
	assert_int_equal(conflict, 1);
	assert_int_equal(r.updates, 1);
	assert_non_null(err);
	assert_non_null(strstr(err, "someone else"));
	free(err);
	err = NULL;
	assert_int_equal(count_kind(id, SR_EV_ACKNOWLEDGED), 0);
	/* the same without err or conflict to fill */
	r.races = 1;
	assert_int_equal(sr_change_commit(&r.base, id, &ack, &cfg, "bob", T0 + 5 * MIN, NULL, NULL,
					  NULL, NULL), -1);
	assert_int_equal(count_kind(id, SR_EV_ACKNOWLEDGED), 0);
	/* an error that is no conflict is not retried either, even for a tick */
	r.updates = 0;
	{
		const struct sr_change tick = { .op = SR_CH_TICK };

		assert_int_equal(sr_change_commit(&r.base, "INC-2026-404", &tick, &cfg, "sitrep",
						  T0, NULL, NULL, &conflict, &err), -1);
		assert_int_equal(conflict, 0);
		assert_non_null(strstr(err, "INC-2026-404"));
		assert_null(strstr(err, "gave up"));
		free(err);
		err = NULL;
		assert_int_equal(sr_change_commit(&r.base, "INC-2026-404", &tick, &cfg, "sitrep",
						  T0, NULL, NULL, NULL, NULL), -1);
	}
	assert_int_equal(r.updates, 0);
	/* the change goes through once nobody races */
	conflict = -1;
	assert_int_equal(sr_change_commit(&r.base, id, &ack, &cfg, "bob", T0 + 5 * MIN, NULL, NULL,
					  &conflict, &err), 0);
	assert_int_equal(conflict, 0);
	assert_int_equal(count_kind(id, SR_EV_ACKNOWLEDGED), 1);
	rival_close(&r);
}

/* Every change's text arguments are parsed: good ones apply, bad ones fail and change nothing. */
static void
test_apply_parses_arguments(void **state)
{
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	char *err = NULL;
	static const struct {
		enum sr_change_op op;
		const char *a, *b, *want_err;
	} bad[] = {
		{ SR_CH_STATUS, "fixed", NULL, "bad status" },
		{ SR_CH_STATUS, NULL, NULL, "bad status" },
		{ SR_CH_SEV, "P9", NULL, "P1" },
		{ SR_CH_SEV, NULL, NULL, "P1" },
		{ SR_CH_ASSIGN, "captain", "dana", "commander, comms, scribe" },
		{ SR_CH_ASSIGN, NULL, "dana", "commander, comms, scribe" },
	};

	(void)state;
	assert_int_equal(sr_incident_new(&inc, "db down", "db", SR_SEV_P2, NULL, "a", T0, &ev, &err),
			 0);
	snprintf(inc.id, sizeof(inc.id), "INC-2026-001");
	sr_event_list_done(&ev);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct sr_change ch = { .op = bad[i].op, .a = bad[i].a, .b = bad[i].b };

		assert_int_equal(sr_change_apply(&inc, &ch, &cfg, "bob", T0 + 60, &ev, &err), -1);
		assert_non_null(err);
		if (strstr(err, bad[i].want_err) == NULL)
			fail_msg("change %zu: \"%s\" lacks \"%s\"", i, err, bad[i].want_err);
		free(err);
		err = NULL;
		assert_int_equal(ev.n, 0);
	}
	assert_int_equal(inc.status, SR_ST_TRIGGERED);
	assert_int_equal(inc.sev, SR_SEV_P2);
	assert_null(inc.roles[SR_ROLE_COMMANDER]);
	{
		const struct sr_change st = { .op = SR_CH_STATUS, .a = "investigating" };
		const struct sr_change sev = { .op = SR_CH_SEV, .a = "P1" };
		const struct sr_change as = { .op = SR_CH_ASSIGN, .a = "ic", .b = "dana" };

		assert_int_equal(sr_change_apply(&inc, &st, &cfg, "bob", T0 + 60, &ev, &err), 0);
		assert_int_equal(sr_change_apply(&inc, &sev, &cfg, "bob", T0 + 60, &ev, &err), 0);
		assert_int_equal(sr_change_apply(&inc, &as, &cfg, "bob", T0 + 60, &ev, &err), 0);
	}
	assert_int_equal(inc.status, SR_ST_INVESTIGATING);
	assert_int_equal(inc.sev, SR_SEV_P1);
	assert_string_equal(inc.roles[SR_ROLE_COMMANDER], "dana");
	sr_event_list_done(&ev);
	sr_incident_done(&inc);
}

/* De-escalation through the change path: stored, one event, refused at L1 with nothing written. */
static void
test_commit_deescalate(void **state)
{
	char *err = NULL, id[SR_ID_MAX];
	struct sr_store *st = sr_store_open(path, &err);
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	const struct sr_change up = { .op = SR_CH_ESCALATE }, down = { .op = SR_CH_DEESCALATE };

	(void)state;
	assert_non_null(st);
	create(st, SR_SEV_P3, id);
	sr_incident_init(&inc);
	assert_int_equal(sr_change_commit(st, id, &down, &cfg, "bob", T0 + 60, &inc, &ev, NULL,
					  &err), -1);
	assert_non_null(strstr(err, "already at L1"));
	free(err);
	err = NULL;
	assert_int_equal(sr_change_commit(st, id, &up, &cfg, "bob", T0 + 60, &inc, &ev, NULL, &err),
			 0);
	assert_int_equal(inc.level, 1);
	assert_int_equal(sr_change_commit(st, id, &down, &cfg, "bob", T0 + 120, &inc, &ev, NULL,
					  &err), 0);
	assert_int_equal(inc.level, 0);
	assert_int_equal(inc.version, 3);
	assert_int_equal(ev.n, 1);
	assert_int_equal(ev.v[0].kind, SR_EV_DEESCALATED);
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	sr_incident_init(&inc);
	assert_int_equal(st->ops->get(st, id, &inc, &err), 0);
	assert_int_equal(inc.level, 0);
	sr_incident_done(&inc);
	sr_store_close(st);
	assert_int_equal(count_kind(id, SR_EV_DEESCALATED), 1);
}

/*
 * A tick whose clock is a little behind the incident's last event (within CLOCK_SLACK: no
 * clock note) and that finds one escalation due records that escalation: the "nothing due"
 * drop is for the clock note alone (it once asked "at != now" and lost the escalation).
 */
static void
test_tick_slightly_behind_keeps_escalation(void **state)
{
	char *err = NULL, id[SR_ID_MAX];
	struct sr_store *st = sr_store_open(path, &err);
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	const struct sr_change tick = { .op = SR_CH_TICK };
	int c = 0;

	(void)state;
	assert_non_null(st);
	create(st, SR_SEV_P1, id);
	/* an update recorded at 16m by a writer that does not tick (another clock, ahead) */
	sr_incident_init(&inc);
	assert_int_equal(st->ops->get(st, id, &inc, &err), 0);
	assert_int_equal(sr_incident_update_sent(&inc, "slack", "carol", T0 + 16 * MIN, &ev, &err),
			 0);
	assert_int_equal(st->ops->update(st, &inc, &ev, &c, &err), 0);
	sr_event_list_done(&ev);
	memset(&ev, 0, sizeof(ev));
	/* the tick's clock reads 15m30s: 30 s behind; at 16m the L2 escalation (15m) is due */
	assert_int_equal(sr_change_commit(st, id, &tick, &cfg, "sitrep", T0 + 15 * MIN + 30, &inc,
					  &ev, NULL, &err), 0);
	assert_int_equal(ev.n, 1);
	assert_int_equal(ev.v[0].kind, SR_EV_ESCALATED);
	assert_int_equal(inc.level, 1);
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	sr_store_close(st);
}

/* Issue 16: an acknowledged incident without an update for ack_timeout gets a reminder. */
static size_t
count_ev(const struct sr_event_list *ev, const char *id, enum sr_event_kind k)
{
	size_t n = 0;

	for (size_t i = 0; i < ev->n; i++)
		n += ev->v[i].kind == k && strcmp(ev->v[i].incident, id) == 0;
	return n;
}

static void
tick_at(struct sr_store *st, sr_time at, struct sr_event_list *ev, int want_ticked)
{
	struct sr_incident_list l = { 0 };
	char *err = NULL;

	sr_event_list_done(ev);
	memset(ev, 0, sizeof(*ev));
	assert_int_equal(st->ops->list(st, SR_LIST_OPEN, &l, &err), 0);
	assert_int_equal(sr_change_tick_due(st, &l, &cfg, at, ev, &err), want_ticked);
	sr_incident_list_done(&l);
}

static void
test_ack_timeout_reminder(void **state)
{
	char *err = NULL, a[SR_ID_MAX], c[SR_ID_MAX];
	struct sr_store *st = sr_store_open(path, &err);
	struct sr_event_list ev = { 0 }, tl = { 0 };
	struct sr_incident inc;
	const struct sr_change ack = { .op = SR_CH_ACK };
	const struct sr_change note = { .op = SR_CH_NOTE, .a = "rolled back" };
	const struct sr_change link = { .op = SR_CH_LINK, .a = "fp1" };
	const struct sr_change resolve = { .op = SR_CH_RESOLVE };

	(void)state;
	assert_non_null(st);
	assert_int_equal(cfg.sev[SR_SEV_P1].ack_timeout, 30 * MIN);	/* the default */
	assert_int_equal(cfg.sev[SR_SEV_P3].ack_timeout, 0);
	create(st, SR_SEV_P1, a);
	create(st, SR_SEV_P3, c);
	assert_int_equal(sr_change_commit(st, a, &ack, &cfg, "alice", T0 + MIN, NULL, NULL, NULL,
					  &err), 0);
	assert_int_equal(sr_change_commit(st, c, &ack, &cfg, "alice", T0 + MIN, NULL, NULL, NULL,
					  &err), 0);
	/* a note at 20m moves the reminder from 31m to 50m */
	assert_int_equal(sr_change_commit(st, a, &note, &cfg, "alice", T0 + 20 * MIN, NULL, NULL,
					  NULL, &err), 0);
	tick_at(st, T0 + 40 * MIN, &ev, 0);
	tick_at(st, T0 + 50 * MIN - 1, &ev, 0);
	tick_at(st, T0 + 50 * MIN, &ev, 1);
	assert_int_equal(count_ev(&ev, a, SR_EV_REMINDER), 1);
	assert_int_equal(count_ev(&ev, a, SR_EV_ESCALATED), 0);	/* not configured */
	assert_non_null(strstr(ev.v[0].detail, "no update for 30m"));
	/* one reminder per timeout, not one per tick */
	tick_at(st, T0 + 60 * MIN, &ev, 0);
	/* a change that is not work (a link) raises the reminder due before it */
	assert_int_equal(sr_change_commit(st, a, &link, &cfg, "bob", T0 + 80 * MIN, NULL, &ev,
					  NULL, &err), 0);
	assert_int_equal(count_ev(&ev, a, SR_EV_REMINDER), 1);
	/* configured to escalate again: reminder and one level up, who is on call named */
	cfg.sev[SR_SEV_P1].ack_timeout_escalate = 1;
	tick_at(st, T0 + 110 * MIN, &ev, 1);
	assert_int_equal(count_ev(&ev, a, SR_EV_REMINDER), 1);
	assert_int_equal(count_ev(&ev, a, SR_EV_ESCALATED), 1);
	sr_incident_init(&inc);
	assert_int_equal(st->ops->get(st, a, &inc, &err), 0);
	assert_int_equal(inc.level, 1);
	assert_int_equal(inc.status, SR_ST_ACKNOWLEDGED);
	sr_incident_done(&inc);
	/* the P3 (no ack_timeout) was never reminded; once resolved, a is not either */
	assert_int_equal(st->ops->events(st, c, &tl, &err), 0);
	assert_int_equal(count_ev(&tl, c, SR_EV_REMINDER), 0);
	sr_event_list_done(&tl);
	assert_int_equal(sr_change_commit(st, a, &resolve, &cfg, "alice", T0 + 120 * MIN, NULL,
					  NULL, NULL, &err), 0);
	tick_at(st, T0 + 300 * MIN, &ev, 0);
	sr_event_list_done(&ev);
	sr_store_close(st);
}

/*
 * The clock behind the incident's last event (a note written by a clock ahead): a change is
 * stamped at that event's time, never before it; more than CLOCK_SLACK behind, sitrep says so
 * in a note first; within it, silently.
 */
static void
test_clock_behind_last_event(void **state)
{
	char *err = NULL, id[SR_ID_MAX];
	struct sr_store *st = sr_store_open(path, &err);
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	const struct sr_change ahead = { .op = SR_CH_NOTE, .a = "from a clock ahead" };
	const struct sr_change late = { .op = SR_CH_NOTE, .a = "from a clock behind" };

	(void)state;
	assert_non_null(st);
	create(st, SR_SEV_P2, id);
	sr_incident_init(&inc);
	assert_int_equal(sr_change_commit(st, id, &ahead, &cfg, "amy", T0 + 10 * MIN, &inc, &ev,
					  NULL, &err), 0);
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	memset(&ev, 0, sizeof(ev));
	/* 5 minutes behind the note (which no incident field records): a clock note, then it */
	sr_incident_init(&inc);
	assert_int_equal(sr_change_commit(st, id, &late, &cfg, "bob", T0 + 5 * MIN, &inc, &ev,
					  NULL, &err), 0);
	assert_int_equal(ev.n, 2);
	assert_int_equal(ev.v[0].kind, SR_EV_NOTE);
	assert_string_equal(ev.v[0].actor, "sitrep");
	assert_non_null(strstr(ev.v[0].detail, "5m"));
	assert_non_null(strstr(ev.v[0].detail, "behind"));
	assert_int_equal(ev.v[0].at, T0 + 10 * MIN);
	assert_string_equal(ev.v[1].actor, "bob");
	assert_int_equal(ev.v[1].at, T0 + 10 * MIN);
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	memset(&ev, 0, sizeof(ev));
	/* 30 s behind: stamped at the last event, no note */
	sr_incident_init(&inc);
	assert_int_equal(sr_change_commit(st, id, &late, &cfg, "bob", T0 + 10 * MIN - 30, &inc,
					  &ev, NULL, &err), 0);
	assert_int_equal(ev.n, 1);
	assert_string_equal(ev.v[0].actor, "bob");
	assert_int_equal(ev.v[0].at, T0 + 10 * MIN);
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	sr_store_close(st);
}

/* An action item through the change path: its kind read from the text, a bad one refused. */
static void
test_action_kind(void **state)
{
	char *err = NULL, id[SR_ID_MAX];
	struct sr_store *st = sr_store_open(path, &err);
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	const struct sr_change detect = { .op = SR_CH_ACTION, .a = "alert on lag", .b = "carol",
					  .c = "detect", .t = T0 + 7 * 86400 };
	const struct sr_change plain = { .op = SR_CH_ACTION, .a = "write it down", .b = "dan",
					 .t = T0 + 7 * 86400 };
	const struct sr_change bad = { .op = SR_CH_ACTION, .a = "x", .b = "eve", .c = "bogus",
				       .t = T0 + 7 * 86400 };

	(void)state;
	assert_non_null(st);
	create(st, SR_SEV_P3, id);
	sr_incident_init(&inc);
	if (sr_change_commit(st, id, &detect, &cfg, "amy", T0 + MIN, &inc, &ev, NULL, &err) != 0)
		fail_msg("%s", err);
	assert_int_equal(ev.n, 1);
	assert_non_null(strstr(ev.v[0].detail, "(detect, owner carol"));
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	memset(&ev, 0, sizeof(ev));
	sr_incident_init(&inc);
	if (sr_change_commit(st, id, &plain, &cfg, "amy", T0 + 2 * MIN, &inc, &ev, NULL, &err) != 0)
		fail_msg("%s", err);
	assert_non_null(strstr(ev.v[0].detail, "owner dan"));
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	memset(&ev, 0, sizeof(ev));
	sr_incident_init(&inc);
	assert_int_equal(sr_change_commit(st, id, &bad, &cfg, "amy", T0 + 3 * MIN, &inc, &ev, NULL,
					  &err), -1);
	assert_non_null(err);
	assert_non_null(strstr(err, "bogus"));
	free(err);
	sr_incident_done(&inc);
	sr_event_list_done(&ev);
	sr_store_close(st);
}

/* --- sixth round (issue 17, seed 29's survivors) --- */

/* A tick whose clock is far behind the incident and finds nothing due writes nothing at all. */
static void
test_tick_behind_nothing_due_writes_nothing(void **state)
{
	char *err = NULL, id[SR_ID_MAX];
	struct sr_store *st = sr_store_open(path, &err);
	struct sr_incident inc;
	struct sr_event_list ev = { 0 };
	const struct sr_change tick = { .op = SR_CH_TICK };
	const struct sr_change note = { .op = SR_CH_NOTE, .a = "late" };

	(void)state;
	assert_non_null(st);
	create(st, SR_SEV_P1, id);
	sr_incident_init(&inc);
	assert_int_equal(sr_change_commit(st, id, &tick, &cfg, "sitrep", T0 - 10 * MIN, &inc, &ev,
					  NULL, &err), 0);
	assert_null(err);
	assert_int_equal(ev.n, 0);
	assert_int_equal(inc.level, 0);
	sr_incident_done(&inc);
	assert_int_equal(count_kind(id, SR_EV_NOTE), 0);
	/* a user's change from the same clock writes the clock note and the change */
	assert_int_equal(sr_change_commit(st, id, &note, &cfg, "bob", T0 - 10 * MIN, NULL, &ev,
					  NULL, &err), 0);
	assert_int_equal(ev.n, 2);
	assert_int_equal(count_kind(id, SR_EV_NOTE), 2);
	sr_event_list_done(&ev);
	sr_store_close(st);
}

/* A store that fails on demand: its timeline read, or its next update (no conflict). */
struct flaky {
	struct sr_store base;
	struct sr_store *real;
	struct sr_store_ops ops;
	int fail_events, fail_updates, updates;
};

static int
flaky_get(struct sr_store *st, const char *id, struct sr_incident *out, char **err)
{
	struct flaky *f = (struct flaky *)st;

	return f->real->ops->get(f->real, id, out, err);
}

static int
flaky_events(struct sr_store *st, const char *id, struct sr_event_list *out, char **err)
{
	struct flaky *f = (struct flaky *)st;

	if (f->fail_events)
		return sr_err(err, "events of %s: disk I/O error", id);
	return f->real->ops->events(f->real, id, out, err);
}

static int
flaky_update(struct sr_store *st, struct sr_incident *inc, struct sr_event_list *ev,
	     int *conflict, char **err)
{
	struct flaky *f = (struct flaky *)st;

	f->updates++;
	if (f->fail_updates > 0) {
		f->fail_updates--;
		if (conflict != NULL)
			*conflict = 0;
		return sr_err(err, "update of %s: disk I/O error", inc->id);
	}
	return f->real->ops->update(f->real, inc, ev, conflict, err);
}

static void
flaky_open(struct flaky *f)
{
	memset(f, 0, sizeof(*f));
	f->real = sr_store_open(path, NULL);
	assert_non_null(f->real);
	f->ops = *f->real->ops;
	f->ops.get = flaky_get;
	f->ops.events = flaky_events;
	f->ops.update = flaky_update;
	f->base.ops = &f->ops;
}

/*
 * A store error that is not a conflict fails the change at once, even one that commutes (a
 * retry could land it twice or hide a broken disk), and the timeline read for the clock check
 * failing fails the change: nothing is written.
 */
static void
test_store_errors_fail_the_change(void **state)
{
	struct flaky f;
	char id[SR_ID_MAX], *err = NULL;
	const struct sr_change note = { .op = SR_CH_NOTE, .a = "x" };
	int conflict = -1;

	(void)state;
	flaky_open(&f);
	create(f.real, SR_SEV_P2, id);
	f.fail_updates = 1;
	assert_int_equal(sr_change_commit(&f.base, id, &note, &cfg, "amy", T0 + MIN, NULL, NULL,
					  &conflict, &err), -1);
	assert_int_equal(f.updates, 1);
	assert_int_equal(conflict, 0);
	assert_non_null(err);
	assert_non_null(strstr(err, "update of"));
	free(err);
	err = NULL;
	assert_int_equal(count_kind(id, SR_EV_NOTE), 0);
	f.fail_events = 1;
	f.updates = 0;
	assert_int_equal(sr_change_commit(&f.base, id, &note, &cfg, "amy", T0 + MIN, NULL, NULL,
					  &conflict, &err), -1);
	assert_non_null(err);
	assert_non_null(strstr(err, "events of"));
	free(err);
	err = NULL;
	assert_int_equal(f.updates, 0);
	assert_int_equal(count_kind(id, SR_EV_NOTE), 0);
	sr_store_close(f.real);
}

/*
 * sr_change_tick_due: without an event list to fill it still records what is due; incidents
 * it cannot tick make it answer -1 with the first one's error.
 */
static void
test_tick_due_without_list_and_failures(void **state)
{
	char *err = NULL, a[SR_ID_MAX], b[SR_ID_MAX], other[128];
	struct sr_store *st = sr_store_open(path, &err), *empty;
	struct sr_incident_list l = { 0 };

	(void)state;
	assert_non_null(st);
	create(st, SR_SEV_P1, a);
	assert_int_equal(st->ops->list(st, SR_LIST_OPEN, &l, &err), 0);
	assert_int_equal(sr_change_tick_due(st, &l, &cfg, T0 + 16 * MIN, NULL, &err), 1);
	assert_int_equal(count_kind(a, SR_EV_ESCALATED), 1);
	sr_incident_list_done(&l);
	memset(&l, 0, sizeof(l));
	/* a list read from another store: its incidents are not in this one */
	create(st, SR_SEV_P1, b);
	assert_int_equal(st->ops->list(st, SR_LIST_OPEN, &l, &err), 0);
	assert_int_equal(l.n, 2);
	snprintf(other, sizeof(other), "%s/other.db", dir);
	empty = sr_store_open(other, &err);
	assert_non_null(empty);
	assert_int_equal(sr_change_tick_due(empty, &l, &cfg, T0 + 16 * MIN, NULL, &err), -1);
	assert_non_null(err);
	assert_non_null(strstr(err, l.v[0].id));
	assert_null(strstr(err, l.v[1].id));
	free(err);
	sr_incident_list_done(&l);
	sr_store_close(empty);
	sr_store_close(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commit_records_due_escalations_first, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tick_due, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tick_exactly_once_across_processes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_commuting_changes_retry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tick_retries_after_conflict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_change_conflict_not_retried, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_apply_parses_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_deescalate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tick_slightly_behind_keeps_escalation, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ack_timeout_reminder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clock_behind_last_event, setup, teardown),
		cmocka_unit_test_setup_teardown(test_action_kind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tick_behind_nothing_due_writes_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_store_errors_fail_the_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tick_due_without_list_and_failures, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
