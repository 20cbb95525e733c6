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
	/* a tick with nothing due writes nothing */
	{
		const struct sr_change tick = { .op = SR_CH_TICK };

		assert_int_equal(sr_change_commit(st, id, &tick, &cfg, "sitrep", T0 + 5 * 3600, &inc,
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commit_records_due_escalations_first, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tick_exactly_once_across_processes, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
